import Foundation
import Testing

@testable import Chapters

/// The repository's top folder (this file is Tests/CLITests/ContextProseNumbersTests.swift).
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The release executable whose default run the chapter quotes (too slow for a debug build).
private let contextBinary = repository.appendingPathComponent(".build/release/ch4-context")

/// chapters/04-context.md with every run of whitespace read as one space, so that a quoted number
/// is found wherever the line breaks fall. ChaptersTests' `ChapterProse` does the same for the
/// other chapters, but a test target cannot import another test target, and a helper that only
/// tests use does not belong in Sources/; these few lines are its equivalent here.
private struct ContextProse {
    let text: String

    init() {
        let raw = (try? String(contentsOf: repository.appendingPathComponent("chapters/04-context.md"), encoding: .utf8)) ?? ""
        text = raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Records an issue naming the phrase when the chapter does not contain it.
    func expectSays(_ phrase: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let collapsed = phrase.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let found = text.contains(collapsed)
        #expect(found, "chapters/04-context.md does not say \"\(collapsed)\"", sourceLocation: sourceLocation)
    }
}

/// Rows of a CSV file as column → value (the chapter's CSVs have no quoted fields).
private typealias Rows = [[String: String]]

private func readCSV(_ path: String) throws -> Rows {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    guard let header = lines.first else { return [] }
    return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}

/// Every CSV of one `ch4-context --data` run with `arguments`, by file name without `.csv`.
private func contextRun(_ arguments: [String]) throws -> [String: Rows] {
    try withTemporaryFolder { folder in
        let outcome = try run(contextBinary.path, ["--data", "--out", folder] + arguments)
        guard outcome.status == 0 else { throw CocoaError(.executableLoad, userInfo: ["stderr": outcome.stderr]) }
        var tables: [String: Rows] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".csv") {
            tables[String(file.dropLast(4))] = try readCSV(folder + "/" + file)
        }
        return tables
    }
}

/// The default run the chapter quotes.
private let defaultRun = Result { try contextRun([]) }

private func table(_ name: String, in tables: [String: Rows]? = nil) throws -> Rows {
    try #require(try (tables ?? defaultRun.get())[name], "the run wrote no \(name).csv")
}

/// Flags that make the weight-protection reservoir tiny, for the exercise runs that check other
/// parts only (the parts share no state, so these flags change nothing else).
private let tinyReservoir = ["--format", "svg", "--pfc-per-group", "2", "--cycles-c1", "1", "--cycles-c2", "1", "--cycles-return", "1"]

/// Mean over seeds of a column of the rows that match every `filter` pair.
private func meanOf(_ rows: Rows, _ column: String, _ filter: [String: String]) -> Double {
    mean(rows.filter { row in filter.allSatisfy { row[$0.key] == $0.value } }.map { number($0, column) })
}

private func number(_ row: [String: String], _ column: String) -> Double { Double(row[column] ?? "") ?? .nan }
private func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
private func sem(_ xs: [Double]) -> Double {
    let m = mean(xs)
    return (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count - 1)).squareRoot() / Double(xs.count).squareRoot()
}
/// `x` with `digits` decimals, as the chapter prints it.
private func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
/// Accuracies as the chapter writes them in running text: 0.05, 0.6, 1.0.
private func short(_ x: Double) -> String {
    var s = fixed(x, 2)
    while s.hasSuffix("0") && !s.hasSuffix(".0") { s.removeLast() }
    return s
}
/// `x` as "1.22 × 10⁻⁵" with `digits` decimals in the mantissa.
private func scientific(_ x: Double, _ digits: Int) -> String {
    let exponent = Int(floor(log10(x)))
    let superscripts: [Character: Character] = [
        "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
    ]
    return fixed(x / pow(10, Double(exponent)), digits) + " × 10" + String(String(exponent).map { superscripts[$0]! })
}

/// Every number chapters/04-context.md quotes from the chapter's default run (5 seeds), read from
/// the CSVs of one `ch4-context --data` run and formatted as the text prints it, so that a change
/// of a model or its defaults cannot leave the text behind. Numbers the text attributes to a
/// science test at a smaller size are checked by that test, not here.
@Suite(
    .enabled(
        if: FileManager.default.fileExists(atPath: repository.appendingPathComponent(".build/release/credit").path)
            && FileManager.default.fileExists(atPath: contextBinary.path),
        "needs the release build: `make test` builds it first"))
struct ContextProseNumbersTests {
    private let prose = ContextProse()

    @Test func theRunIsTheDefaultFiveSeeds() throws {
        let p = ContextParameters(quick: false)
        #expect(p.seeds == 5 && p.protection.seeds == 5 && p.forgetting.seeds == 5 && p.timescales.seeds == 5)
        prose.expectSays("mean ± SEM over 5 seeds")
        prose.expectSays("**Measured** (defaults, seeds 1–5)")
        #expect(Set(try table("forgetting").map { $0["seed"]! }) == ["1", "2", "3", "4", "5"])
    }

    /// Part 1: figure `weight-protection` and its summary.
    @Test func weightProtection() throws {
        let summary = try table("weight-protection-summary")
        func column(_ md: String, _ name: String) -> [Double] { summary.filter { $0["md"] == md }.map { number($0, name) } }
        let ratios = column("on", "protection_ratio")
        #expect(ratios.count == 5)
        prose.expectSays(
            "drift \(fixed(mean(ratios), 0)) ± \(fixed(sem(ratios), 0)) times less with MD than without (mean ± SEM of the per-seed ratio; \(fixed(ratios.min()!, 0))–\(fixed(ratios.max()!, 0)) across seeds)"
        )
        let driftOn = mean(column("on", "c2_dw_context1")), driftOff = mean(column("off", "c2_dw_context1"))
        prose.expectSays("move about \(scientific(driftOn, 2)) per cycle, against \(scientific(driftOff, 1)) without MD")
        prose.expectSays("\(scientific(driftOn, 2)) measured")
        // The first-step estimate η E[tanh x₀] with x₀ ~ U(0, 0.1).
        let eta = WeightProtectionParameters(quick: false).eta
        prose.expectSays("η = \(scientific(eta, 1)) against their 5 × 10⁻⁶")
        prose.expectSays("η ln cosh(0.1) / 0.1 = \(scientific(eta * log(cosh(0.1)) / 0.1, 2))")
        prose.expectSays(
            "the whole effect (ratio \(fixed(mean(column("inhibition-only", "protection_ratio")), 1))), the gain alone not at all (\(fixed(mean(column("gain-only", "protection_ratio")), 2)))"
        )
        #expect(mean(column("gain-only", "protection_ratio")) < 1.5)

        let firstShareOn = column("on", "first_step_share"), firstShareOff = column("off", "first_step_share")
        #expect(firstShareOn.allSatisfy { fixed(100 * $0, 0) == "100" })
        prose.expectSays(
            "With MD on, 100 % of context 1's drift during context 2 happens at a trial's first step; without MD, \(fixed(100 * firstShareOff.min()!, 0))–\(fixed(100 * firstShareOff.max()!, 0)) %"
        )

        let returnOn = column("on", "return_error"), returnOff = column("off", "return_error")
        prose.expectSays("the first cycle back has an error of \(fixed(mean(returnOff), 3))")
        prose.expectSays("with MD it is \(fixed(mean(returnOn), 3)), where it was left")
        #expect(returnOn.count == 5 && zip(returnOn, returnOff).allSatisfy { $0 < $1 }, "the text says MD comes back better on every seed")
        prose.expectSays("lower with MD on every seed, \(fixed(mean(returnOff) / mean(returnOn), 1)) times on the mean")
        prose.expectSays(
            "(\(fixed(mean(column("on", "end_c1_error")), 3)) against \(fixed(mean(column("off", "end_c1_error")), 3)) at the end of context 1)"
        )

        let firstCycle = try table("weight-protection-error").filter { $0["block"] == "c1" && $0["cycle"] == "1" }.map {
            number($0, "error")
        }
        prose.expectSays("the first training cycle scored \(fixed(mean(firstCycle), 2)) on average")
    }

    /// Part 2: figures `forgetting` and `capacity`, and the method table.
    @Test func forgettingAndCapacity() throws {
        let forgetting = try table("forgetting")
        func accuracy(_ method: String, _ block: Int, _ context: Int) -> Double {
            mean(
                forgetting.filter { $0["method"] == method && $0["block"] == "\(block)" && $0["context"] == "\(context)" }.map {
                    number($0, "accuracy")
                })
        }
        prose.expectSays(
            "C1 is learned (\(short(accuracy("no-thalamus", 1, 1))) after block 1) and then C2 (\(short(accuracy("no-thalamus", 2, 2))) after block 2), and C1 falls to \(short(accuracy("no-thalamus", 2, 1)))"
        )
        #expect(accuracy("no-thalamus", 2, 1) < 0.5, "below chance, as the text says")
        prose.expectSays("exactly wrong on C2 (\(short(accuracy("no-thalamus", 1, 2))) after block 1)")
        prose.expectSays(
            "C1 after the second C2 block is \(short(accuracy("no-thalamus", 4, 1))), after the third \(short(accuracy("no-thalamus", 6, 1)))"
        )
        let blocks = 1...6
        let thirdSwitch = forgetting.filter { $0["method"] == "no-thalamus" && $0["block"] == "6" && $0["context"] == "1" }.map {
            number($0, "accuracy")
        }
        #expect(thirdSwitch.sorted() == [0.75, 0.75, 0.75, 1, 1], "the text says two seeds are at 1.0 and three at 0.75")
        prose.expectSays("on these 5 seeds two are at 1.0 by then and three at 0.75")
        #expect(blocks.allSatisfy { accuracy("md-oracle", $0, 1) == 1 } && (2...6).allSatisfy { accuracy("md-oracle", $0, 2) == 1 })
        prose.expectSays("1.0 on both contexts after every block once each has been trained")
        #expect(["growing", "replay", "xdg"].allSatisfy { accuracy($0, 2, 1) == 1 })
        prose.expectSays("a readout per context, replay and XdG keep C1 at 1.0 after C2")
        prose.expectSays("EWC keeps \(short(accuracy("ewc", 2, 1))) of C1 and still learns C2 (\(short(accuracy("ewc", 2, 2))))")

        let criterion = try table("forgetting-criterion")
        func trials(_ method: String, _ block: Int) throws -> Double {
            let values = criterion.filter { $0["method"] == method && $0["block"] == "\(block)" }.map { number($0, "trials_to_criterion") }
            #expect(values.count == 5 && values.allSatisfy(\.isFinite), "\(method) block \(block) reached the criterion on every seed")
            return mean(values)
        }
        prose.expectSays(
            "\(fixed(try trials("growing", 2), 1)) for a readout per context (it starts afresh), \(fixed(try trials("no-thalamus", 2), 1)) without the thalamus, \(fixed(try trials("md-oracle", 2), 1)) for the MD oracle, \(fixed(try trials("replay", 2), 1)) for replay, \(fixed(try trials("xdg", 2), 1)) for XdG and \(fixed(try trials("ewc", 2), 1)) for EWC"
        )
        #expect(try ["growing", "replay", "xdg"].allSatisfy { try trials($0, 2) < trials("ewc", 2) }, "EWC learns C2 the slowest of them")
        prose.expectSays("more slowly than any other machine-learning answer (panel C)")
        for method in ["bg-selected", "consolidated"] {
            let rows = forgetting.filter { $0["method"] == method && $0["context"] == "1" }
            #expect(
                rows.filter { $0["block"] == "2" && number($0, "accuracy") < 1 }.count == 1, "\(method): one seed below 1.0 after block 2")
            #expect(
                rows.filter { Int($0["block"]!)! >= 3 }.allSatisfy { number($0, "accuracy") == 1 }, "\(method): 1.0 after every later block"
            )
        }
        prose.expectSays("below 1.0 on one seed each, and 1.0 on every seed after every later block")
        prose.expectSays(
            "(\(fixed(try trials("md-oracle", 1), 1)) trials in block 1, against \(fixed(try trials("no-thalamus", 1), 1)) for the shared network)"
        )
        for method in ["md-oracle", "growing", "replay", "xdg"] {
            for block in 3...6 { #expect(try trials(method, block) == 1, "\(method) block \(block)") }
        }
        let ewcLater = try (3...6).map { try trials("ewc", $0) }.max()!
        prose.expectSays(
            "the MD oracle, the readout per context, replay and XdG are right after one trial (EWC after \(fixed(ewcLater, 1)) at most)")
        let relearn = try (3...6).map { fixed(try trials("no-thalamus", $0), 1) }
        prose.expectSays("with savings: \(relearn[0]), \(relearn[1]), \(relearn[2]) and \(relearn[3]) trials in blocks 3–6")

        // The method table: every cell from the run.
        let capacity = try table("capacity"), newest = try table("capacity-newest"), memory = try table("capacity-memory")
        func retention(_ method: String, _ k: Int) -> Double {
            mean(capacity.filter { $0["method"] == method && $0["contexts"] == "\(k)" }.map { number($0, "retention") })
        }
        let labels = [
            ("no-thalamus", "no thalamus", "as input only"), ("md-oracle", "MD, context given", "yes"), ("ewc", "EWC", "when a task ends"),
            ("growing", "readout per context", "yes"), ("replay", "replay", "no"), ("xdg", "XdG", "yes"),
            ("bg-selected", "BG select MD", "as input only"), ("consolidated", "BG + corticothalamic", "as input only"),
        ]
        for (id, label, told) in labels {
            let newestK8 = mean(newest.filter { $0["method"] == id && $0["contexts"] == "8" }.map { number($0, "accuracy_newest") })
            let stored = Set(memory.filter { $0["method"] == id }.map { $0["numbers_per_context"]! })
            #expect(stored.count == 1, "\(id) stores the same per context at every K")
            prose.expectSays(
                "| \(label) | \(fixed(accuracy(id, 2, 1), 2)) | \(fixed(retention(id, 4), 2)) | \(fixed(retention(id, 8), 2)) | \(fixed(newestK8, 2)) | \(fixed(try trials(id, 2), 1)) | \(stored.first ?? "?") | \(told) |"
            )
        }
        // The shapes the capacity caption describes.
        #expect(retention("no-thalamus", 2) < retention("no-thalamus", 4) && retention("no-thalamus", 4) < retention("no-thalamus", 8))
        #expect(retention("xdg", 8) < retention("xdg", 4) && retention("ewc", 8) < retention("ewc", 2))
        prose.expectSays("The MD stores 41 numbers per context")
        #expect(memory.contains { $0["method"] == "md-oracle" && $0["numbers_per_context"] == "41" })
    }

    /// Part 2, selection: figures `bg-selection` and `bg-lesion`, and the two basal-ganglia
    /// methods of `forgetting`.
    @Test func basalGangliaSelection() throws {
        let assignment = try table("bg-selection-assignment")
        let seeds = Set(assignment.map { $0["seed"]! })
        let oneToOne = seeds.filter { seed in assignment.filter { $0["seed"] == seed }.allSatisfy { $0["one_to_one"] == "yes" } }
        prose.expectSays("emerges on \(oneToOne.count) of \(seeds.count) seeds")
        func own(_ context: Int) -> String {
            fixed(mean(assignment.filter { $0["context"] == "\(context)" }.map { number($0, "probability") }), 3)
        }
        prose.expectSays("selected with P = \(own(1)) in C1 and \(own(2)) in C2")

        let comparison = try table("bg-selection-comparison")
        func other(_ method: String) -> String {
            fixed(
                mean(
                    comparison.filter { $0["method"] == method && $0["block"] == "2" && $0["context"] == "1" }.map {
                        number($0, "accuracy")
                    }), 2)
        }
        prose.expectSays(
            "from the first switch (\(other("bg-selected")) after block 2, against \(other("no-thalamus")) for the shared network)")
        prose.expectSays("reaches only \(other("hebbian-md"))")
        let hebbian = try table("bg-selection-hebbian")
        prose.expectSays(
            "gives both contexts the same MD unit on \(hebbian.filter { $0["hebbian_distinct_units"] == "no" }.count) of \(hebbian.count) seeds"
        )

        let lesion = try table("bg-lesion")
        func retained(_ trial: Int, _ condition: String) -> String {
            fixed(
                mean(lesion.filter { $0["lesion_trial"] == "\(trial)" && $0["condition"] == condition }.map { number($0, "accuracy") }), 2)
        }
        prose.expectSays(
            "Silenced after trial 200, the circuit forgets (\(retained(200, "lesioned")) against \(retained(200, "intact")) intact)")
        prose.expectSays("Silenced after trial 1200 it keeps both (\(retained(1200, "lesioned")))")
        #expect(retained(1200, "intact") == retained(1200, "lesioned"))
        let progress = try table("bg-lesion-progress")
        func at(_ trial: Int, _ column: String, _ digits: Int) -> String {
            fixed(mean(progress.filter { $0["trial"] == "\(trial)" }.map { number($0, column) }), digits)
        }
        prose.expectSays(
            "basal ganglia's unit, \(at(200, "student_selection", 2)) at trial 200 and \(at(600, "student_selection", 2)) at trial 600, and the gain w, still \(at(600, "bg_gain", 2)) at trial 600 and \(at(1200, "bg_gain", 3)) at trial 1200"
        )

        let criterion = try table("forgetting-criterion")
        func firstBlock(_ method: String) -> String {
            fixed(mean(criterion.filter { $0["method"] == method && $0["block"] == "1" }.map { number($0, "trials_to_criterion") }), 1)
        }
        prose.expectSays(
            "\(firstBlock("bg-selected")) trials to criterion in the first block against the oracle's \(firstBlock("md-oracle"))")
        let memory = try table("forgetting-memory")
        func stored(_ method: String) -> String { memory.first { $0["method"] == method }?["numbers_per_context"] ?? "?" }
        prose.expectSays("at \(stored("bg-selected")) and \(stored("consolidated")) stored numbers per context")
    }

    /// Part 3: figure `two-timescales` and its summary table.
    @Test func twoTimescales() throws {
        let summary = try table("two-timescales-summary")
        let models = ["two-timescale", "two-timescale-frozen-cortex", "single-timescale", "single-timescale-same-eta", "oracle"]
        func values(_ model: String, _ column: String) -> [Double] { summary.filter { $0["model"] == model }.map { number($0, column) } }
        let window = TwoTimescaleParameters(quick: false).window
        let recovery = models.map { model -> String in
            let v = values(model, "recovery_trials")
            if v.allSatisfy({ $0 == Double(window) }) { return "never (\(window))" }
            return model == "oracle" ? fixed(mean(v), 1) : "\(fixed(mean(v), 1)) ± \(fixed(sem(v), 1))"
        }
        prose.expectSays("| trials to recover (P(error) < 0.25) | " + recovery.joined(separator: " | ") + " |")
        func row(_ label: String, _ column: String, _ digits: Int) {
            prose.expectSays("| \(label) | " + models.map { fixed(mean(values($0, column)), digits) }.joined(separator: " | ") + " |")
        }
        row("expected errors, first 10 trials", "errors_first10", 2)
        row("P(error) on the other context, best MD unit", "other_context_error_best_md", 3)
        row("P(error) on the other context, MD as is", "other_context_error_own_md", 2)
        row("MD decodes the context (from trial 3)", "md_decoding", 3)
        #expect(TwoTimescaleParameters(quick: false).settleTrials == 3)

        let two = mean(values("two-timescale", "recovery_trials")), single = mean(values("single-timescale", "recovery_trials"))
        #expect(fixed(single / two, 0) == "4")
        prose.expectSays("recovers about four times faster than the tuned single-timescale one")
        let bestTwo = mean(values("two-timescale", "other_context_error_best_md"))
        prose.expectSays(
            "keeps the other context (\(fixed(bestTwo, 3)) against \(fixed(mean(values("single-timescale", "other_context_error_best_md")), 3)) with the best MD unit)"
        )
        prose.expectSays(
            "The residual error of about \(fixed(bestTwo, 2)) (oracle \(fixed(mean(values("oracle", "other_context_error_best_md")), 3)))")

        // Panel A at the switch.
        let curve = try table("two-timescales").filter { $0["model"] == "two-timescale" && $0["trial_after_switch"] == "0" }.map {
            number($0, "error")
        }
        prose.expectSays("Every network starts above chance (\(fixed(mean(curve), 2)) for the two-timescale network")

        // The tuned single-timescale rate: fewest errors on the tuning seeds.
        let sweep = try table("two-timescales-sweep")
        let rates = Array(Set(sweep.map { number($0, "eta_slow") })).sorted()
        let tuned = rates.min { a, b in
            mean(sweep.filter { number($0, "eta_slow") == a }.map { number($0, "errors_first10") })
                < mean(sweep.filter { number($0, "eta_slow") == b }.map { number($0, "errors_first10") })
        }!
        prose.expectSays("(it picks η_slow = \(short(tuned)))")

        // Panel E: the first and last bins of 10 training blocks.
        let training = try table("two-timescales-training")
        func bin(_ model: String, _ blocks: Int) -> String {
            fixed(
                mean(training.filter { $0["model"] == model && $0["training_blocks"] == "\(blocks)" }.map { number($0, "error_first10") }),
                2)
        }
        prose.expectSays(
            "falls from \(bin("two-timescale", 10)) (blocks 1–10) to \(bin("two-timescale", 20)) (11–20) and \(bin("two-timescale", 100)) (91–100)"
        )
        prose.expectSays("stays near chance (\(bin("single-timescale", 10)) at the start, \(bin("single-timescale", 100)) at the end)")
        prose.expectSays("the oracle goes from \(bin("oracle", 10)) to \(bin("oracle", 100))")
    }

    /// The expected outcomes the exercises state, each run with the flags the exercise gives. To
    /// keep the test short, flags of parts that share no state (the reservoir, EWC, XdG, the
    /// selection circuit, the two-timescale network; `--md-inhibition` and `--context-weight`
    /// reach every MD method of the static network, so they are not combined with its flags) go
    /// into one run, and runs that need no reservoir make it tiny.
    @Test func exercisesHaveTheStatedOutcomes() throws {
        let full = ["--format", "svg"]
        let (r1, r2, r3) = (
            try contextRun(full + ["--md-inhibition", "-1", "--ewc-lambda", "5", "--switch-cues", "8"]),
            try contextRun(full + ["--md-inhibition", "-0.3", "--ewc-lambda", "100", "--eta-fast", "1"]),
            try contextRun(full + ["--md-gain", "0", "--eta-ct", "0.01", "--eta-fast", "8"])
        )
        func tiny(_ arguments: String) throws -> [String: Rows] {
            try contextRun(tinyReservoir + arguments.split(separator: " ").map(String.init))
        }
        let t1 = try tiny("--md-inhibition 0 --switch-cues 2")
        let t2 = try tiny("--context-weight 1 --feedback-noise 0.1")
        let t3 = try tiny("--context-weight 0.25 --switch-md-gain 6")
        let t4 = try tiny("--xdg-keep 0.5 --eta-hebb 1 --tau-trace 1 --eta-bg-gain 1 --switch-md-gain 6 --eta-slow 0.0006")
        let base = try defaultRun.get()

        // 1, 2: the reservoir.
        func on(_ run: [String: Rows], _ column: String) throws -> Double {
            meanOf(try table("weight-protection-summary", in: run), column, ["md": "on"])
        }
        #expect(try on(r1, "protection_ratio") < on(base, "protection_ratio") - 5 && on(r1, "first_step_share") < 0.9)
        #expect(try on(r2, "protection_ratio") < 5, "protection nearly gone at −0.3")
        #expect(try abs(on(r3, "protection_ratio") / on(base, "protection_ratio") - 1) < 0.2, "ratio unchanged without the gain")
        #expect(try on(r3, "end_c1_error") > on(base, "end_c1_error"), "the end-of-block error rises without the gain")
        // 3: trials from rest (only the reservoir is needed).
        let rest = try table(
            "weight-protection-summary", in: try contextRun(full + ["--initial-spread", "0", "--figure", "weight-protection"]))
        #expect(rest.filter { $0["md"] == "on" }.map { number($0, "c2_dw_context1") } == Array(repeating: 0, count: 5))
        #expect(rest.filter { $0["md"] == "on" }.allSatisfy { $0["protection_ratio"] == "inf" }, "an infinite ratio")
        #expect(rest.filter { $0["md"] == "off" }.allSatisfy { number($0, "c2_dw_context1") > 1e-4 }, "MD off still drifts")

        // 4–7: the static network.
        func accuracy(_ run: [String: Rows], _ method: String, _ block: Int, _ context: Int) throws -> Double {
            meanOf(try table("forgetting", in: run), "accuracy", ["method": method, "block": "\(block)", "context": "\(context)"])
        }
        let oracleAfter = try table("forgetting", in: t1).filter {
            $0["method"] == "md-oracle" && $0["block"] == "2" && $0["context"] == "1"
        }
        #expect(!oracleAfter.isEmpty && oracleAfter.allSatisfy { number($0, "accuracy") <= 0.5 })
        #expect(try accuracy(r2, "ewc", 2, 1) > accuracy(r1, "ewc", 2, 1) && accuracy(r2, "ewc", 2, 2) < accuracy(r1, "ewc", 2, 2))
        #expect(try accuracy(t2, "no-thalamus", 2, 1) >= accuracy(base, "no-thalamus", 2, 1) + 0.15, "forgets less with σ_ctx = 1")
        #expect(try (4...6).allSatisfy { try accuracy(t2, "no-thalamus", $0, 1) == 1 && accuracy(t2, "no-thalamus", $0, 2) == 1 })
        #expect(try accuracy(t3, "no-thalamus", 6, 1) <= 0.5)
        #expect(try accuracy(t2, "md-oracle", 6, 1) == 1 && accuracy(t3, "md-oracle", 6, 1) == 1)
        #expect(try accuracy(t4, "xdg", 2, 1) < 1)

        // 8–10: the selection circuit.
        func retained(_ run: [String: Rows], _ trial: Int, _ condition: String) throws -> Double {
            meanOf(try table("bg-lesion", in: run), "accuracy", ["lesion_trial": "\(trial)", "condition": condition])
        }
        #expect(try retained(r3, 600, "lesioned") < retained(base, 600, "lesioned") - 0.2)
        #expect(try retained(r3, 1200, "lesioned") >= 0.9)
        #expect(try retained(t4, 600, "intact") <= 0.75, "even the intact circuit forgets")
        let hebbian = try table("bg-selection-hebbian", in: t4)
        let separated = hebbian.filter { $0["hebbian_distinct_units"] == "yes" }.count
        #expect(separated >= 1 && separated < hebbian.count)

        // 11–13: the two-timescale network.
        func summary(_ run: [String: Rows], _ model: String, _ column: String) throws -> Double {
            meanOf(try table("two-timescales-summary", in: run), column, ["model": model])
        }
        let single4 = try summary(base, "single-timescale", "recovery_trials")
        for (run, cues) in [(t1, 2), (r1, 8)] {
            #expect(try summary(run, "two-timescale", "recovery_trials") <= 2.5)
            let single = try summary(run, "single-timescale", "recovery_trials")
            #expect(cues == 2 ? single < single4 : single > single4 + 2, "single-timescale recovery with \(cues) cues: \(single)")
        }
        #expect(try summary(r2, "two-timescale", "recovery_trials") >= summary(r2, "single-timescale", "recovery_trials"))
        #expect(try summary(r3, "two-timescale", "recovery_trials") <= 1)
        #expect(try summary(t2, "two-timescale", "recovery_trials") > summary(base, "two-timescale", "recovery_trials"))
        #expect(
            try summary(t2, "two-timescale", "other_context_error_best_md") < summary(t2, "single-timescale", "other_context_error_best_md")
                - 0.1)
        #expect(try summary(t3, "two-timescale", "recovery_trials") > summary(base, "two-timescale", "recovery_trials") + 2)
        #expect(try summary(t3, "two-timescale", "md_decoding") < summary(base, "two-timescale", "md_decoding") - 0.05)
        #expect(
            try summary(t3, "two-timescale", "other_context_error_best_md")
                > summary(base, "two-timescale", "other_context_error_best_md") + 0.1)
        #expect(try summary(t4, "two-timescale", "recovery_trials") <= 2.5)
    }
}
