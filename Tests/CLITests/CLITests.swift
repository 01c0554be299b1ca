import Foundation
import Testing

@testable import Chapters

/// The folder holding the built executables (the test bundle sits beside them).
private let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Wall-clock seconds from start to exit.
    var seconds: Double
    var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

/// A fresh folder under the system's temporary folder, removed when `body` returns.
func withTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = NSTemporaryDirectory() + "credit-cli-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

/// Runs a built executable (a name beside the test bundle, or a path) with `arguments`, in
/// `directory` if given, and waits for it. Standard output and standard error go to files,
/// so neither can fill a pipe and block the child.
func run(
    _ executable: String, _ arguments: [String], in directory: String? = nil, memoryLimitMB: Int? = nil,
    umask: String? = nil
) throws -> Outcome {
    try start(executable, arguments, in: directory, memoryLimitMB: memoryLimitMB, umask: umask).wait()
}

/// A started executable; ``wait()`` collects its outcome.
struct Started {
    var process: Process
    var capture: String
    var out: FileHandle
    var err: FileHandle
    var start: ContinuousClock.Instant

    func wait() throws -> Outcome {
        defer { try? FileManager.default.removeItem(atPath: capture) }
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        try out.close()
        try err.close()
        return Outcome(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: capture + "/stdout", encoding: .utf8),
            stderr: try String(contentsOfFile: capture + "/stderr", encoding: .utf8),
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}

/// Starts a built executable (see ``run(_:_:in:memoryLimitMB:umask:)``) without waiting.
func start(
    _ executable: String, _ arguments: [String], in directory: String? = nil, memoryLimitMB: Int? = nil,
    umask: String? = nil
) throws -> Started {
    let capture = NSTemporaryDirectory() + "credit-cli-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: capture, withIntermediateDirectories: true)
    let (outPath, errPath) = (capture + "/stdout", capture + "/stderr")
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let process = Process()
    let path = executable.contains("/") ? executable : binaries.appendingPathComponent(executable).path
    // A shell sets the limits asked for, then becomes the child.
    let prelude = [memoryLimitMB.map { "ulimit -v \($0 * 1024)" }, umask.map { "umask \($0)" }].compactMap { $0 }
    if prelude.isEmpty {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", (prelude + ["exec \"$0\" \"$@\""]).joined(separator: " && "), path] + arguments
    }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.standardOutput = out
    process.standardError = err
    let start = ContinuousClock.now
    try process.run()
    return Started(process: process, capture: capture, out: out, err: err, start: start)
}

func files(in folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
}

/// Every chapter's name, for parameterized tests.
let chapterNames = allChapters.map { $0.name }

@Suite struct UsageErrorTests {
    /// Every declared parameter of every chapter with each value it must reject.
    static let rejectedValues: [(String, String, String)] = allChapters.flatMap { chapter in
        chapter.declaredFlags.flatMap { flag, invalid in invalid.map { (chapter.executable, flag, $0) } }
    }

    @Test(arguments: rejectedValues)
    func badValueGivesOneLineAndExitTwo(executable: String, flag: String, value: String) throws {
        let (outcome, leftovers) = try withTemporaryFolder { folder in
            (
                try run(executable, [flag, value, "--out", folder], memoryLimitMB: 2048),
                FileManager.default.fileExists(atPath: folder)
            )
        }
        #expect(outcome.status == 2, "\(flag) \(value)")
        #expect(outcome.seconds < 2, "\(flag) \(value) took \(outcome.seconds) s")
        #expect(!leftovers, "a rejected run created its output folder")
        #expect(outcome.stderrLines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains(flag))
        #expect(outcome.stderr.contains("see '\(executable) --help'"))
        #expect(outcome.stdout.isEmpty)
    }

    /// Values that are each fine alone but not together, and options no chapter has.
    static let otherCases: [(String, [String], String)] = [
        ("ch2-td", ["--format", "jpg"], "--format"),
        ("ch2-td", ["--bogus"], "--bogus"),
        ("ch2-td", ["--cue-time", "12", "--reward-time", "10"], "--cue-time"),
        ("ch2-td", ["--reward-time", "40"], "--reward-time"),
        ("ch2-td", ["--alpha"], "--alpha"),
        ("ch2-td", ["--seeds=-1"], "--seeds"),
        ("ch5-gating", ["--dt", "20"], "--dt"),
        ("ch5-gating", ["--dt", "5", "--tau", "4"], "--dt"),
        // Budgets on products of parameters (each value alone is accepted).
        ("ch2-td", ["--trials", "100000", "--trial-length", "1000", "--reward-time", "20"], "--trials"),
        ("ch2-td", ["--runs", "10000", "--episodes", "10000"], "--episodes"),
        ("ch1-backprop", ["--steps", "1000000", "--hidden", "500"], "--steps"),
        ("ch3-consolidation", ["--trials", "100000", "--actions", "100", "--inputs", "1000"], "--trials"),
        ("ch5-gating", ["--dt", "0.001"], "--dt"),
        ("ch5-gating", ["--trials", "100000", "--seeds", "100"], "--trials"),
        // Inputs that once crashed, hung or exhausted memory.
        ("ch2-td", ["--trials", "9223372036854775807"], "--trials"),
        ("ch2-td", ["--trials", "2305843009213693952"], "--trials"),
        ("ch2-td", ["--seeds", "1000000"], "--seeds"),
        ("ch2-td", ["--seed", "18446744073709551615", "--seeds", "3"], "--seed"),
        ("ch1-backprop", ["--hidden", "100000000"], "--hidden"),
        ("ch1-backprop", ["--steps", "1000000000000"], "--steps"),
        ("ch3-consolidation", ["--inputs", "1000000000"], "--inputs"),
        ("ch3-consolidation", ["--eta-teacher", "1e308"], "--eta-teacher"),
        ("ch5-gating", ["--items", "1000000000"], "--items"),
        ("ch5-gating", ["--dt", "1e-300"], "--dt"),
        ("ch5-gating", ["--r-md", "1e308"], "--r-md"),
        ("ch5-gating", ["--seeds", "-1"], "--seeds"),
        ("ch2-td", ["--out", ""], "--out"),
        ("credit", ["synthesis", "--seed", "3"], "--seed"),
    ]

    @Test(arguments: otherCases)
    func badCombinationGivesOneLineAndExitTwo(executable: String, arguments: [String], flag: String) throws {
        let extra = arguments.contains("--out") ? [] : ["--out", NSTemporaryDirectory() + "credit-cli-\(UUID().uuidString)"]
        let outcome = try run(executable, arguments + extra, memoryLimitMB: 2048)
        #expect(outcome.status == 2)
        #expect(outcome.seconds < 2)
        #expect(outcome.stderrLines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains(flag))
        #expect(outcome.stdout.isEmpty)
    }

    @Test func formatMessageNamesTheAcceptedValues() throws {
        let outcome = try run("ch2-td", ["--format", "jpg"])
        #expect(outcome.stderr.contains("png") && outcome.stderr.contains("svg") && outcome.stderr.contains("all"))
    }

    @Test func methodMessageNamesTheAcceptedMethods() throws {
        let outcome = try run("ch1-backprop", ["--methods", "bp"])
        for name in ["backprop", "fa", "dfa", "np", "wp"] { #expect(outcome.stderr.contains(name)) }
    }

    @Test func umbrellaReportsBadInputTheSameWayAndNamesTheChapterPage() throws {
        let outcome = try run("credit", ["td", "--gamma", "2"])
        #expect(outcome.status == 2)
        #expect(outcome.stderrLines.count == 1)
        #expect(outcome.stderr.contains("--gamma"))
        #expect(outcome.stderr.contains("see 'credit td --help'"))
        let unknown = try run("credit", ["nosuchchapter"])
        #expect(unknown.status == 2)
    }

    @Test func longValuesAreCutInTheMessage() throws {
        let long = String(repeating: "backprop,", count: 2000)
        let outcome = try run("ch1-backprop", ["--methods", long])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.count < 400)
    }
}

@Suite struct ExtremeValueTests {
    /// Accepted values at the edge of the bounds: the run must end normally (exit 0, or 1 when
    /// a figure's only run diverged), never crash, stay under 2 GB and leave no temporary file.
    static let cases: [(String, [String], Int32)] = [
        ("ch2-td", ["--alpha", "1000000"], 1),
        ("ch2-td", ["--trial-length", "200", "--cue-time", "0", "--reward-time", "199", "--trials", "50"], 0),
        ("ch1-backprop", ["--learning-rate", "1000000", "--steps", "300"], 1),
        ("ch1-backprop", ["--sigma", "1000000", "--steps", "300"], 0),
        ("ch1-backprop", ["--eta-perturbation", "1000000", "--steps", "300"], 0),
        ("ch3-consolidation", ["--eta-teacher", "1000000"], 1),
        ("ch3-consolidation", ["--eta-student", "1000000"], 1),
        ("ch3-consolidation", ["--unlearning", "1", "--beta-output", "1000"], 0),
        ("ch4-context", ["--eta", "1"], 1),
        ("ch4-context", ["--eta-ct", "10"], 1),
        ("ch4-context", ["--eta-reservoir", "1", "--md-gain", "50", "--ewc-lambda", "1000000"], 0),
        ("ch4-context", ["--eta-fast", "100", "--eta-slow", "10", "--md-inhibition", "-100"], 0),
        ("ch5-gating", ["--alpha-critic", "1000000"], 1),
        ("ch5-gating", ["--alpha-actor", "1000000"], 0),
        ("ch5-gating", ["--r-md", "100"], 0),
        ("ch5-gating", ["--w-pfc", "1000000"], 0),
        ("ch5-gating", ["--r-bias", "-100"], 0),
    ]

    @Test(arguments: cases)
    func extremeValueEndsCleanly(executable: String, arguments: [String], status: Int32) throws {
        try withTemporaryFolder { folder in
            let outcome = try run(executable, arguments + ["--quick", "--out", folder], memoryLimitMB: 2048)
            #expect(outcome.status == status, "stderr: \(outcome.stderr.suffix(600))")
            #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Backtrace"))
            let left = (try? files(in: folder)) ?? []
            #expect(!left.contains { $0.hasSuffix(".tmp") }, "temporary files left: \(left)")
            // Every file reported was written whole (a PNG starts with its signature).
            for png in left where png.hasSuffix(".png") {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(png)")).prefix(4)
                #expect(Array(bytes) == [0x89, 0x50, 0x4E, 0x47], "\(png)")
            }
        }
    }
}

@Suite struct HelpTests {
    /// The defaults `--help` prints for each flag: "default 300" or "default 300; 100 with --quick".
    static func shownDefaults(_ help: String) -> [String: String] {
        var result: [String: String] = [:]
        let section = help.components(separatedBy: "\n\n").first { $0.hasPrefix("MODEL PARAMETERS") } ?? ""
        let entries = section.components(separatedBy: "\n  --").dropFirst()
        for entry in entries {
            let flag = "--" + entry.prefix { $0 != " " && $0 != "\n" }
            let text = entry.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
                .joined(separator: " ")
            guard let range = text.range(of: "default ") else { continue }
            result[flag] = String(text[range.upperBound...].dropLast())
        }
        return result
    }

    @Test(arguments: chapterNames)
    func helpShowsEveryParameterWithTheDefaultsOfItsStruct(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let outcome = try run(chapter.executable, ["--help"])
        #expect(outcome.status == 0)
        for option in ["--out", "--format", "--quick", "--data", "--list"] {
            #expect(outcome.stdout.contains(option), "--help does not mention \(option)")
        }
        let shown = Self.shownDefaults(outcome.stdout)
        for (flag, defaults) in chapter.declaredDefaults {
            #expect(shown[flag] == defaults, "\(chapter.executable) --help shows \(flag) default \(shown[flag] ?? "none")")
        }
        #expect(shown.count == chapter.declaredDefaults.count)
        // The umbrella shows the same page.
        let umbrella = try run("credit", [name, "--help"])
        #expect(Self.shownDefaults(umbrella.stdout) == shown)
    }

    @Test func tdHelpShowsTheReviewsSymbols() throws {
        let outcome = try run("ch2-td", ["--help"])
        #expect(outcome.stdout.contains("α") && outcome.stdout.contains("γ"))
        #expect(outcome.stdout.contains("default 10; 5 with --quick"))  // --seeds
    }
}

@Suite struct ChapterRunTests {
    @Test(arguments: chapterNames)
    func quickDataRunWritesExactlyTheDeclaredFigures(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        try withTemporaryFolder { folder in
            let outcome = try run("credit", [name, "--quick", "--data", "--out", folder])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let written = try files(in: folder)
            let images = Set(written.filter { !$0.hasSuffix(".csv") })
            let declared = Set(chapter.figures.flatMap { ["\($0.name).png", "\($0.name).svg", "\($0.name).caption.txt"] })
            #expect(images == declared)
            // Every CSV file belongs to a declared figure and starts with a header row.
            let csvs = written.filter { $0.hasSuffix(".csv") }
            #expect(!csvs.isEmpty)
            for csv in csvs {
                #expect(chapter.figures.contains { csv == "\($0.name).csv" || csv.hasPrefix("\($0.name)-") }, "\(csv)")
                let header = try String(contentsOfFile: "\(folder)/\(csv)", encoding: .utf8).prefix { $0 != "\n" }
                #expect(header.range(of: #"^[a-z_0-9]+(,[a-z_0-9]+)*$"#, options: .regularExpression) != nil, "\(csv)")
            }
            // Every file written is reported on standard output, and nothing else.
            #expect(outcome.stdout.split(separator: "\n").map { String($0.split(separator: "/").last!) }.sorted() == written)
        }
    }

    /// `credit synthesis` writes exactly its declared figure, with or without the common flags
    /// that change nothing in a schematic (`--quick`, `--data`), byte for byte the same.
    @Test func synthesisWritesItsFigureAndNothingElse() throws {
        try withTemporaryFolder { folder in
            let plain = try run("credit", ["synthesis", "--out", folder + "/plain"])
            let quick = try run("credit", ["synthesis", "--quick", "--data", "--out", folder + "/quick"])
            #expect(plain.status == 0 && quick.status == 0, "stderr: \(plain.stderr) \(quick.stderr)")
            let declared = SynthesisChapter.figures.flatMap { ["\($0.name).png", "\($0.name).svg", "\($0.name).caption.txt"] }
            #expect(try files(in: folder + "/plain") == declared.sorted())
            for name in declared {
                let a = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/plain/\(name)"))
                let b = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/quick/\(name)"))
                #expect(a == b, "\(name) differs with --quick --data")
            }
        }
    }

    @Test(arguments: chapterNames)
    func listNamesEachDeclaredFigure(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let outcome = try run(chapter.executable, ["--list"])
        #expect(outcome.status == 0)
        let listed = outcome.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(listed == chapter.figures.map(\.name))
    }

    @Test func creditListNamesEveryChapterAndFigure() throws {
        let all = try run("credit", ["list"])
        #expect(all.status == 0)
        for chapter in bookChapters {
            #expect(all.stdout.contains("\(chapter.name) (\(chapter.executable))"))
            for figure in chapter.figures { #expect(all.stdout.contains("  \(figure.name): ")) }
        }
    }
}

@Suite struct RunTests {
    @Test func unwritableOutputFolderFailsWithExitOne() throws {
        try withTemporaryFolder { blocker in
            // A regular file where a folder is needed cannot be written into, even by root.
            try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
            let outcome = try run("ch2-td", ["--quick", "--out", blocker + "/figures"])
            #expect(outcome.status == 1)
            #expect(outcome.stderrLines.count == 1, "stderr: \(outcome.stderr)")
            #expect(outcome.stderr.contains(blocker))
            #expect(outcome.stdout.isEmpty)
        }
    }

    @Test func chapterAndUmbrellaWriteTheSameBytes() throws {
        try withTemporaryFolder { first in
            try withTemporaryFolder { second in
                let a = try run("ch2-td", ["--quick", "--data", "--out", first])
                #expect(a.status == 0, "stderr: \(a.stderr)")
                let b = try run("credit", ["td", "--quick", "--data", "--out", second])
                #expect(b.status == 0)
                let names = try files(in: first)
                #expect(try files(in: second) == names)
                for name in names {
                    let x = try Data(contentsOf: URL(fileURLWithPath: "\(first)/\(name)"))
                    let y = try Data(contentsOf: URL(fileURLWithPath: "\(second)/\(name)"))
                    #expect(x == y, "\(name) differs between two runs")
                }
                let header = try String(contentsOfFile: first + "/rpe-transfer.csv", encoding: .utf8)
                    .split(separator: "\n").first
                #expect(header == "trial,time,delta")
            }
        }
    }

    @Test func formatChoiceSelectsFiles() throws {
        try withTemporaryFolder { folder in
            let outcome = try run("ch2-td", ["--quick", "--format", "pdf", "--out", folder])
            #expect(outcome.status == 0)
            #expect(
                try files(in: folder) == TDChapter.figures.flatMap { ["\($0.name).pdf", "\($0.name).caption.txt"] }.sorted())
        }
    }

    /// `--figure` makes only the figures it names (and computes only their runs: the learning
    /// curves of ch1 need the step-size sweep, so asking for them writes only them).
    @Test func figureOptionMakesOnlyTheNamedFigures() throws {
        try withTemporaryFolder { folder in
            let outcome = try run("ch2-td", ["--quick", "--figure", "random-walk", "--figure", "rpe-transfer", "--data", "--out", folder])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let names = ["random-walk", "rpe-transfer"]
            let written = try files(in: folder)
            #expect(names.allSatisfy { name in ["png", "svg", "csv", "caption.txt"].allSatisfy { written.contains("\(name).\($0)") } })
            #expect(written.allSatisfy { file in names.contains { file.hasPrefix($0 + ".") || file.hasPrefix($0 + "-") } }, "\(written)")
            #expect(!outcome.stderr.contains("omission"), "a skipped figure's run was reported: \(outcome.stderr)")
        }
        try withTemporaryFolder { folder in
            let outcome = try run("ch1-backprop", ["--quick", "--figure", "step-sizes", "--format", "svg", "--out", folder])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(try files(in: folder) == ["step-sizes.caption.txt", "step-sizes.svg"])
            #expect(!outcome.stderr.contains("learning curves"), "the learning curves ran: \(outcome.stderr)")
        }
        let bad = try run("ch2-td", ["--quick", "--figure", "rpe"])
        #expect(bad.status == 2)
        #expect(
            bad.stderrLines.first?.contains("invalid value 'rpe' for --figure: expected one of fig1c-temporal-credit, rpe-transfer") == true
        )
    }

    @Test func divergingRunIsReportedNotDrawn() throws {
        try withTemporaryFolder { folder in
            let outcome = try run("ch2-td", ["--quick", "--alpha", "50", "--out", folder])
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("diverged"))
            #expect(outcome.stderr.contains("alpha"))
            #expect(!(try files(in: folder)).contains("rpe-transfer.png"))
        }
    }

    @Test func divergingConsolidationIsReportedNotDrawn() throws {
        try withTemporaryFolder { folder in
            let outcome = try run("ch3-consolidation", ["--quick", "--eta-student", "100", "--out", folder])
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("diverged"))
            #expect(!(try files(in: folder)).contains("consolidation.png"))
        }
    }
}

@Suite struct OutputFolderTests {
    /// Exploring never overwrites the book's figures: without `--out`, a run with changed
    /// parameters (or `--quick`) goes to explore/<chapter>-<changes>/ and says so.
    @Test func changedParametersWithoutOutGoToAnExploreFolder() throws {
        try withTemporaryFolder { root in
            try FileManager.default.createDirectory(atPath: root + "/figures/td", withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: root + "/figures/td/rpe-transfer.png", contents: Data("book".utf8))
            let outcome = try run("ch2-td", ["--gamma", "0.9", "--alpha=0.2", "--quick"], in: root)
            #expect(outcome.status == 0)
            #expect(outcome.stderr.contains("writing to explore/td-quick-alpha-0.2-gamma-0.9/"))
            #expect(try files(in: root + "/explore/td-quick-alpha-0.2-gamma-0.9").contains("rpe-transfer.png"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/figures/td/rpe-transfer.png")) == Data("book".utf8))
            #expect(try files(in: root + "/figures/td") == ["rpe-transfer.png"])
        }
    }

    /// `--no-captions` (for slides) drops the caption block, so the page is shorter; at the
    /// default parameters it still goes to explore/, never over the book's captioned figures.
    @Test func noCaptionsDropsTheCaptionBlockAndKeepsTheBook() throws {
        /// The height in pixels from a PNG's IHDR chunk.
        func pngHeight(_ path: String) throws -> Int {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(24))
            return bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        }
        try withTemporaryFolder { root in
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let captioned = try run("ch2-td", ["--quick", "--out", "with"], in: root)
            let bare = try run("ch2-td", ["--quick", "--no-captions", "--out", "without"], in: root)
            #expect(captioned.status == 0 && bare.status == 0)
            for name in ["rpe-transfer", "random-walk", "fig1c-temporal-credit"] {
                let with = try pngHeight("\(root)/with/\(name).png"), without = try pngHeight("\(root)/without/\(name).png")
                #expect(without < with - 40, "\(name): \(without) px without the caption, \(with) px with it")
                #expect(FileManager.default.fileExists(atPath: "\(root)/with/\(name).caption.txt"))
                #expect(FileManager.default.fileExists(atPath: "\(root)/without/\(name).caption.txt"))
            }
            let defaults = try run("ch2-td", ["--no-captions", "--format", "png", "--seeds", "2"], in: root)
            #expect(defaults.stderr.contains("writing to explore/td-seeds-2-no-captions/"))
            #expect(!FileManager.default.fileExists(atPath: root + "/figures/td"))
        }
    }

    /// A run at the default parameters copies each caption into the chapter's prose (the one
    /// source of a caption, ``CaptionBlock``); a run at other parameters leaves the prose alone.
    @Test func defaultRunCopiesItsCaptionsIntoTheChapter() throws {
        try withTemporaryFolder { root in
            try FileManager.default.createDirectory(atPath: root + "/chapters", withIntermediateDirectories: true)
            let oldBlock = "<!-- caption random-walk: old -->\nOld.\n<!-- end caption -->"
            let stale = "# TD\n\n![x](../figures/td/random-walk.png)\n\n\(oldBlock)\n\nProse.\n"
            let prose = root + "/" + TDChapter.prose
            try stale.write(toFile: prose, atomically: true, encoding: .utf8)
            let explore = try run("ch2-td", ["--format", "png", "--alpha", "0.2"], in: root)
            #expect(explore.status == 0)
            #expect(try String(contentsOfFile: prose, encoding: .utf8) == stale)
            let book = try run("ch2-td", ["--format", "png"], in: root)
            #expect(book.status == 0 && book.stderr.contains("updated the caption of random-walk in chapters/02-td.md"))
            let caption = try String(contentsOfFile: root + "/figures/td/random-walk.caption.txt", encoding: .utf8)
            let updated = try String(contentsOfFile: prose, encoding: .utf8)
            let block = CaptionBlock.markdown(name: "random-walk", caption: String(caption.dropLast()), executable: "ch2-td")
            #expect(updated == stale.replacingOccurrences(of: oldBlock, with: block))
        }
    }

    @Test func filesFollowTheUmask() throws {
        try withTemporaryFolder { folder in
            let outcome = try run("ch2-td", ["--quick", "--data", "--out", folder], umask: "077")
            #expect(outcome.status == 0)
            for name in try files(in: folder) {
                let mode = try #require(
                    FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)")[.posixPermissions] as? Int)
                #expect(mode == 0o600, "\(name) has mode \(String(mode, radix: 8)) under umask 077")
            }
            let open = try run("ch2-td", ["--quick", "--out", folder], umask: "022")
            #expect(open.status == 0)
            let mode = try FileManager.default.attributesOfItem(atPath: "\(folder)/rpe-transfer.png")[.posixPermissions]
            #expect(mode as? Int == 0o644)
        }
    }

    @Test func aRunRemovesOnlyTheStaleTemporaryFilesOfItsOwnPattern() throws {
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let stale = [".rpe-transfer.png.kGWcCj.tmp", ".phase-diagram.pdf.Ab12Z9.tmp"]
            let kept = [".keep.tmp", "notes.tmp", ".hidden", "draft.png.kGWcCj.tmp"]
            for name in stale + kept { _ = FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data("x".utf8)) }
            let outcome = try run("ch2-td", ["--quick", "--out", folder])
            #expect(outcome.status == 0)
            let left = Set(try files(in: folder))
            for name in stale { #expect(!left.contains(name), "\(name) was left") }
            for name in kept { #expect(left.contains(name), "\(name) was removed") }
        }
    }

    @Test func twoRunsIntoOneFolderDoNotMixTheirFiles() throws {
        try withTemporaryFolder { root in
            // What each run writes alone.
            let (a, b, shared) = (root + "/a", root + "/b", root + "/shared")
            #expect(try run("ch2-td", ["--quick", "--gamma", "0.9", "--out", a]).status == 0)
            #expect(try run("ch2-td", ["--quick", "--gamma", "0.5", "--out", b]).status == 0)
            try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
            let first = try start("ch2-td", ["--quick", "--gamma", "0.9", "--out", shared])
            let second = try start("ch2-td", ["--quick", "--gamma", "0.5", "--out", shared])
            let outcomes = [try first.wait(), try second.wait()]
            #expect(outcomes.allSatisfy { $0.status == 0 })
            // The lock serialises the runs: every file comes from the run that went last.
            let names = try files(in: shared)
            func bytes(_ folder: String, _ name: String) throws -> Data {
                try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))
            }
            let fromA = try names.filter { try bytes(shared, $0) == bytes(a, $0) }
            let fromB = try names.filter { try bytes(shared, $0) == bytes(b, $0) }
            let varying = names.filter { !fromA.contains($0) || !fromB.contains($0) }
            #expect(!varying.isEmpty)
            #expect(varying.allSatisfy(fromA.contains) || varying.allSatisfy(fromB.contains), "mixed: \(varying)")
        }
    }
}

@Suite struct KilledRunTests {
    /// A run killed part-way leaves only whole files under their final names; the next run into
    /// the folder removes what the killed one left half-written.
    @Test func aKilledRunLeavesNothingPartialBehind() throws {
        try withTemporaryFolder { folder in
            for delay in [0.3, 0.9, 1.5, 2.5] {
                let victim = try start("ch5-gating", ["--quick", "--data", "--out", folder])
                Thread.sleep(forTimeInterval: delay)
                kill(victim.process.processIdentifier, SIGKILL)
                _ = try victim.wait()
                for name in (try? files(in: folder)) ?? [] where !name.hasPrefix(".") {
                    let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))
                    if name.hasSuffix(".png") { #expect(Array(data.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "\(name)") }
                    if name.hasSuffix(".svg") { #expect(String(decoding: data.suffix(8), as: UTF8.self).contains("</svg>"), "\(name)") }
                    if name.hasSuffix(".csv") { #expect(data.last == UInt8(ascii: "\n"), "\(name)") }
                }
            }
            let next = try run("ch2-td", ["--quick", "--out", folder])
            #expect(next.status == 0)
            #expect(try files(in: folder).allSatisfy { !$0.hasSuffix(".tmp") })
        }
    }
}
