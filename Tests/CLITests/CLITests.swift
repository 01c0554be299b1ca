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
    /// Each bad input, and a word its one-line message must contain.
    static let cases: [([String], String)] = [
        (["--alpha", "0"], "--alpha"),
        (["--alpha", "-0.5"], "--alpha"),
        (["--gamma", "1.5"], "--gamma"),
        (["--gamma", "-0.1"], "--gamma"),
        (["--seeds", "0"], "--seeds"),
        (["--format", "jpg"], "--format"),
        (["--seed", "abc"], "--seed"),
        (["--trials", "many"], "--trials"),
        (["--bogus"], "--bogus"),
        (["--cue-time", "12", "--reward-time", "10"], "--cue-time"),
        (["--reward-time", "40"], "--reward-time"),
    ]

    @Test(arguments: cases)
    func badInputGivesOneLineAndExitTwo(arguments: [String], flag: String) throws {
        let outcome = try run("ch2-td", arguments + ["--out", temporaryFolder()])
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

@Suite struct BackpropCLITests {
    static let badInputs: [([String], String)] = [
        (["--learning-rate", "0"], "--learning-rate"),
        (["--learning-rate", "fast"], "--learning-rate"),
        (["--eta-perturbation", "-1"], "--eta-perturbation"),
        (["--hidden", "0"], "--hidden"),
        (["--steps", "0"], "--steps"),
        (["--sigma", "0"], "--sigma"),
        (["--methods", "backprop,bp"], "--methods"),
        (["--nonlinearity", "sine"], "--nonlinearity"),
        (["--seeds", "0"], "--seeds"),
    ]

    @Test(arguments: badInputs)
    func badInputGivesOneLineAndExitTwo(arguments: [String], flag: String) throws {
        let outcome = try run("ch1-backprop", arguments + ["--out", temporaryFolder()])
        #expect(outcome.status == 2)
        #expect(outcome.stderrLines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains(flag))
    }

    @Test func methodMessageNamesTheAcceptedMethods() throws {
        let outcome = try run("ch1-backprop", ["--methods", "bp"])
        for name in ["backprop", "fa", "dfa", "np", "wp"] { #expect(outcome.stderr.contains(name)) }
    }

    @Test func quickDataRunWritesEveryPromisedFile() throws {
        let folder = temporaryFolder()
        let outcome = try run("credit", ["backprop", "--quick", "--data", "--out", folder])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let names = try files(in: folder)
        for figure in ["fig1-credit-types", "weight-transport", "learning-curves", "alignment", "perturbation-scaling"] {
            #expect(names.contains("\(figure).png") && names.contains("\(figure).svg"), "\(figure)")
        }
        let header = try String(contentsOfFile: folder + "/alignment.csv", encoding: .utf8).split(separator: "\n").first
        #expect(header?.hasPrefix("seed,step,angle_deg") == true)
    }
}

@Suite struct GatingCLITests {
    static let badInputs: [([String], String)] = [
        (["--tau", "0"], "--tau"),
        (["--tau", "-5"], "--tau"),
        (["--dt", "20"], "--dt"),
        (["--dt", "50", "--tau", "10"], "--dt"),
        (["--r-md", "-1"], "--r-md"),
        (["--w-pfc", "0"], "--w-pfc"),
        (["--trials", "0"], "--trials"),
        (["--items", "1"], "--items"),
        (["--delay", "0"], "--delay"),
        (["--alpha-actor", "0"], "--alpha-actor"),
    ]

    @Test(arguments: badInputs)
    func badInputGivesOneLineAndExitTwo(arguments: [String], flag: String) throws {
        let outcome = try run("ch5-gating", arguments + ["--out", temporaryFolder()])
        #expect(outcome.status == 2)
        #expect(outcome.stderrLines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains(flag))
    }

    @Test func quickDataRunWritesEveryPromisedFile() throws {
        let folder = temporaryFolder()
        let outcome = try run("credit", ["gating", "--quick", "--data", "--out", folder])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let names = try files(in: folder)
        for figure in ["fig7-wm-gating", "tau-eff", "bifurcation", "phase-diagram", "traces", "learned-gating"] {
            #expect(names.contains("\(figure).png") && names.contains("\(figure).svg"), "\(figure)")
        }
        let header = try String(contentsOfFile: folder + "/tau-eff.csv", encoding: .utf8).split(separator: "\n").first
        #expect(header?.hasPrefix("r_md,w_pfc,tau_eff_sim,tau_eff_theory") == true)
    }
}

@Suite struct ConsolidationCLITests {
    static let badInputs: [([String], String)] = [
        (["--eta-teacher", "0"], "--eta-teacher"),
        (["--eta-student", "-1"], "--eta-student"),
        (["--eta-w", "x"], "--eta-w"),
        (["--actions", "1"], "--actions"),
        (["--stimuli", "0"], "--stimuli"),
        (["--trials", "0"], "--trials"),
        (["--renewal", "0"], "--renewal"),
    ]

    @Test(arguments: badInputs)
    func badInputGivesOneLineAndExitTwo(arguments: [String], flag: String) throws {
        let outcome = try run("ch3-consolidation", arguments + ["--out", temporaryFolder()])
        #expect(outcome.status == 2)
        #expect(outcome.stderrLines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains(flag))
    }

    @Test func divergingRunIsReportedNotDrawn() throws {
        let folder = temporaryFolder()
        let outcome = try run("ch3-consolidation", ["--quick", "--eta-student", "100", "--out", folder])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("diverged"))
        #expect(!(try files(in: folder)).contains("consolidation.png"))
    }

    @Test func quickDataRunWritesEveryPromisedFile() throws {
        let folder = temporaryFolder()
        let outcome = try run("credit", ["consolidation", "--quick", "--data", "--out", folder])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let names = try files(in: folder)
        for figure in ConsolidationFiguresList.names {
            #expect(names.contains("\(figure).png") && names.contains("\(figure).svg"), "\(figure)")
        }
    }
}

private enum ConsolidationFiguresList {
    static let names = [
        "fig2-architectures", "fig3-two-views", "fig4-motif", "consolidation", "teacher-lesion", "reversal", "sweep",
    ]
}
