import Foundation
import Testing

/// The folder holding the built executables (the test bundle sits beside them).
private let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

private struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

/// Runs a built executable with `arguments` and waits for it.
private func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
    let process = Process()
    process.executableURL = binaries.appendingPathComponent(executable)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

private func temporaryFolder() -> String {
    NSTemporaryDirectory() + "credit-cli-\(UUID().uuidString)"
}

private func files(in folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
}

@Suite struct UsageErrorTests {
    /// Each chapter's bad inputs (executable, arguments, a word its one-line message must contain).
    static let cases: [(String, [String], String)] = [
        ("ch2-td", ["--alpha", "0"], "--alpha"),
        ("ch2-td", ["--alpha", "-0.5"], "--alpha"),
        ("ch2-td", ["--gamma", "1.5"], "--gamma"),
        ("ch2-td", ["--gamma", "-0.1"], "--gamma"),
        ("ch2-td", ["--seeds", "0"], "--seeds"),
        ("ch2-td", ["--format", "jpg"], "--format"),
        ("ch2-td", ["--seed", "abc"], "--seed"),
        ("ch2-td", ["--trials", "many"], "--trials"),
        ("ch2-td", ["--bogus"], "--bogus"),
        ("ch2-td", ["--cue-time", "12", "--reward-time", "10"], "--cue-time"),
        ("ch2-td", ["--reward-time", "40"], "--reward-time"),
        ("ch1-backprop", ["--learning-rate", "0"], "--learning-rate"),
        ("ch1-backprop", ["--learning-rate", "fast"], "--learning-rate"),
        ("ch1-backprop", ["--eta-perturbation", "-1"], "--eta-perturbation"),
        ("ch1-backprop", ["--hidden", "0"], "--hidden"),
        ("ch1-backprop", ["--steps", "0"], "--steps"),
        ("ch1-backprop", ["--sigma", "0"], "--sigma"),
        ("ch1-backprop", ["--methods", "backprop,bp"], "--methods"),
        ("ch1-backprop", ["--nonlinearity", "sine"], "--nonlinearity"),
        ("ch1-backprop", ["--seeds", "0"], "--seeds"),
        ("ch3-consolidation", ["--eta-teacher", "0"], "--eta-teacher"),
        ("ch3-consolidation", ["--eta-student", "-1"], "--eta-student"),
        ("ch3-consolidation", ["--eta-w", "x"], "--eta-w"),
        ("ch3-consolidation", ["--actions", "1"], "--actions"),
        ("ch3-consolidation", ["--stimuli", "0"], "--stimuli"),
        ("ch3-consolidation", ["--trials", "0"], "--trials"),
        ("ch3-consolidation", ["--renewal", "0"], "--renewal"),
        ("ch5-gating", ["--tau", "0"], "--tau"),
        ("ch5-gating", ["--tau", "-5"], "--tau"),
        ("ch5-gating", ["--dt", "20"], "--dt"),
        ("ch5-gating", ["--dt", "50", "--tau", "10"], "--dt"),
        ("ch5-gating", ["--r-md", "-1"], "--r-md"),
        ("ch5-gating", ["--w-pfc", "0"], "--w-pfc"),
        ("ch5-gating", ["--trials", "0"], "--trials"),
        ("ch5-gating", ["--items", "1"], "--items"),
        ("ch5-gating", ["--delay", "0"], "--delay"),
        ("ch5-gating", ["--alpha-actor", "0"], "--alpha-actor"),
    ]

    @Test(arguments: cases)
    func badInputGivesOneLineAndExitTwo(executable: String, arguments: [String], flag: String) throws {
        let outcome = try run(executable, arguments + ["--out", temporaryFolder()])
        #expect(outcome.status == 2)
        #expect(outcome.stderrLines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains(flag))
        #expect(outcome.stdout.isEmpty)
    }

    @Test func formatMessageNamesTheAcceptedValues() throws {
        let outcome = try run("ch2-td", ["--format", "jpg"])
        #expect(outcome.stderr.contains("png") && outcome.stderr.contains("svg") && outcome.stderr.contains("all"))
    }

    @Test func umbrellaReportsBadInputTheSameWay() throws {
        let outcome = try run("credit", ["td", "--gamma", "2"])
        #expect(outcome.status == 2)
        #expect(outcome.stderrLines.count == 1)
        #expect(outcome.stderr.contains("--gamma"))
        let unknown = try run("credit", ["nosuchchapter"])
        #expect(unknown.status == 2)
    }
}

@Suite struct RunTests {
    @Test func unwritableOutputFolderFailsWithExitOne() throws {
        // A regular file where a folder is needed cannot be written into, even by root.
        let blocker = temporaryFolder()
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let outcome = try run("ch2-td", ["--quick", "--out", blocker + "/figures"])
        #expect(outcome.status == 1)
        #expect(outcome.stderrLines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains(blocker))
        #expect(outcome.stdout.isEmpty)
    }

    @Test func quickDataRunWritesEveryPromisedFileAndRepeatsByteForByte() throws {
        let first = temporaryFolder()
        let second = temporaryFolder()
        let a = try run("ch2-td", ["--quick", "--data", "--out", first])
        #expect(a.status == 0, "stderr: \(a.stderr)")
        let figures = [
            "fig1c-temporal-credit", "rpe-transfer", "omission-extinction", "state-representation", "random-walk",
        ]
        var expected = figures.flatMap { ["\($0).png", "\($0).svg"] }
        expected += ["rpe-transfer.csv", "omission-extinction.csv", "state-representation.csv"]
        expected += ["state-representation-summary.csv", "random-walk.csv"]
        #expect(try files(in: first) == expected.sorted())
        // Every file written is reported on standard output.
        #expect(a.stdout.split(separator: "\n").count == expected.count)

        let header = try String(contentsOfFile: first + "/rpe-transfer.csv", encoding: .utf8)
            .split(separator: "\n").first
        #expect(header == "trial,time,delta")
        let walkHeader = try String(contentsOfFile: first + "/random-walk.csv", encoding: .utf8)
            .split(separator: "\n").first
        #expect(walkHeader == "method,alpha,episode,rms")

        let b = try run("credit", ["td", "--quick", "--data", "--out", second])
        #expect(b.status == 0)
        for name in expected {
            let x = try Data(contentsOf: URL(fileURLWithPath: "\(first)/\(name)"))
            let y = try Data(contentsOf: URL(fileURLWithPath: "\(second)/\(name)"))
            #expect(x == y, "\(name) differs between two runs")
        }
    }

    @Test func formatChoiceSelectsFiles() throws {
        let folder = temporaryFolder()
        let outcome = try run("ch2-td", ["--quick", "--format", "pdf", "--out", folder])
        #expect(outcome.status == 0)
        #expect(try files(in: folder).allSatisfy { $0.hasSuffix(".pdf") })
        #expect(try files(in: folder).count == 5)
    }

    @Test func helpDocumentsEveryOption() throws {
        let outcome = try run("ch2-td", ["--help"])
        #expect(outcome.status == 0)
        for option in [
            "--out", "--format", "--seed", "--seeds", "--quick", "--data", "--list", "--alpha", "--gamma",
            "--trial-length", "--cue-time", "--reward-time", "--trials", "--omission-trials", "--runs", "--episodes",
        ] {
            #expect(outcome.stdout.contains(option), "--help does not mention \(option)")
        }
        #expect(outcome.stdout.contains("α") && outcome.stdout.contains("γ"))
    }

    @Test func listNamesEachFigure() throws {
        let outcome = try run("ch2-td", ["--list"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.split(separator: "\n").count == 5)
        let all = try run("credit", ["list"])
        #expect(all.status == 0)
        #expect(all.stdout.contains("td") && all.stdout.contains("rpe-transfer"))
    }

    @Test func divergingRunIsReportedNotDrawn() throws {
        let folder = temporaryFolder()
        let outcome = try run("ch2-td", ["--quick", "--alpha", "50", "--out", folder])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("diverged"))
        #expect(outcome.stderr.contains("alpha"))
        #expect(!(try files(in: folder)).contains("rpe-transfer.png"))
    }
}

@Suite struct ChapterRunTests {
    /// Each chapter run through `credit`, the figures it must write (PNG and SVG), and one CSV
    /// file with the start of its promised header.
    static let chapters: [(String, [String], String)] = [
        ("backprop", ["fig1-credit-types", "weight-transport", "learning-curves", "alignment", "perturbation-scaling"],
         "alignment.csv:seed,step,angle_deg"),
        ("consolidation", ["fig2-architectures", "fig3-two-views", "fig4-motif", "consolidation", "teacher-lesion", "reversal", "sweep"],
         "consolidation.csv:seed,trial"),
        ("gating", ["fig7-wm-gating", "tau-eff", "bifurcation", "phase-diagram", "traces", "learned-gating"],
         "tau-eff.csv:r_md,w_pfc,tau_eff_sim,tau_eff_theory"),
    ]

    @Test(arguments: chapters)
    func quickDataRunWritesEveryPromisedFile(chapter: String, figures: [String], csv: String) throws {
        let folder = temporaryFolder()
        let outcome = try run("credit", [chapter, "--quick", "--data", "--out", folder])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let names = try files(in: folder)
        for figure in figures {
            #expect(names.contains("\(figure).png") && names.contains("\(figure).svg"), "\(figure)")
        }
        let (file, header) = (String(csv.split(separator: ":")[0]), String(csv.split(separator: ":")[1]))
        let first = try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8).split(separator: "\n").first
        #expect(first?.hasPrefix(header) == true, "\(file): \(first ?? "")")
    }

    @Test func methodMessageNamesTheAcceptedMethods() throws {
        let outcome = try run("ch1-backprop", ["--methods", "bp"])
        for name in ["backprop", "fa", "dfa", "np", "wp"] { #expect(outcome.stderr.contains(name)) }
    }

    @Test func divergingConsolidationIsReportedNotDrawn() throws {
        let folder = temporaryFolder()
        let outcome = try run("ch3-consolidation", ["--quick", "--eta-student", "100", "--out", folder])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("diverged"))
        #expect(!(try files(in: folder)).contains("consolidation.png"))
    }
}
