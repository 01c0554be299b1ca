import Foundation
import Testing

@testable import Chapters

/// The repository's top folder (this file is Tests/CLITests/DocumentedCommandTests.swift).
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The release executables the README and the chapters tell a reader to run.
private let releaseBinaries = repository.appendingPathComponent(".build/release")

/// One command shown to a reader: where it is written and its words.
struct DocumentedCommand: CustomTestStringConvertible, Sendable {
    var source: String
    var words: [String]
    var testDescription: String { "\(source): \(words.joined(separator: " "))" }
}

/// Prose besides the README and the chapters whose ```sh blocks are run too: the instructor
/// guide, and the synthesis, which has no executable for inline `--flag value` spans.
let otherDocumentedFiles = ["chapters/instructor.md", SynthesisChapter.prose]

/// Every command in README.md, chapters/*.md and ``otherDocumentedFiles``: the lines of ```sh
/// blocks that run an executable of the toolkit, and every inline `--flag value …` span of a
/// chapter (run with the chapter's executable), except in items marked ``ChapterExercise/codeEditMark``. `make`
/// lines are not here: CI runs `make test`, which builds what `make figures` builds and
/// regenerates every figure.
func documentedCommands() throws -> [DocumentedCommand] {
    var commands: [DocumentedCommand] = []
    let chapterFiles = allChapters.map { ($0.prose, Optional($0.executable)) }
    let otherFiles = otherDocumentedFiles.map { ($0, String?.none) }
    for (file, executable) in [("README.md", nil)] + chapterFiles + otherFiles {
        let text = try String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8)
        var inShell = false
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let place = "\(file):\(number + 1)"
            if line.hasPrefix("```") {
                inShell = line == "```sh" && !inShell
                continue
            }
            if inShell {
                let command = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
                let words = command.split(separator: " ").map(String.init)
                guard let first = words.first, first != "make" else { continue }
                commands.append(DocumentedCommand(source: place, words: words))
                continue
            }
            guard let executable, !line.contains(ChapterExercise.codeEditMark) else { continue }
            let spans = line.split(separator: "`", omittingEmptySubsequences: false)
            for span in stride(from: 1, to: spans.count, by: 2).map({ String(spans[$0]) })
            where span.range(of: #"^(--[a-z-]+ [^ -][^ ]*)( --[a-z-]+ [^ -][^ ]*)*$"#, options: .regularExpression) != nil {
                commands.append(
                    DocumentedCommand(source: place, words: [".build/release/\(executable)"] + span.split(separator: " ").map(String.init)))
            }
        }
    }
    return commands
}

@Suite(
    .enabled(
        if: FileManager.default.fileExists(atPath: releaseBinaries.appendingPathComponent("credit").path),
        "needs the release build: `make test` builds it first"))
struct DocumentedCommandTests {
    @Test func everyChapterShowsCommands() throws {
        let commands = try documentedCommands()
        for chapter in allChapters {
            #expect(commands.filter { $0.source.hasPrefix(chapter.prose) }.count >= 5, "\(chapter.prose)")
        }
        #expect(commands.contains { $0.words.contains("--sigma") && $0.words.contains("1") })
        #expect(commands.contains { $0.words.contains("--eta-w") && $0.words.contains("0.05") })
        for file in otherDocumentedFiles {
            #expect(commands.contains { $0.source.hasPrefix(file + ":") }, "no command of \(file) is run")
        }
    }

    /// Runs the command as written, from a fresh folder, with `--quick` added (except for
    /// help, listings and `credit solutions`, which runs from the repository) and any `--out`
    /// (or `--root`) folder moved into that fresh folder; it must succeed.
    @Test(arguments: try documentedCommands())
    func documentedCommandRuns(_ command: DocumentedCommand) throws {
        let program = try #require(command.words.first)
        if program == "python3" {
            // The NumPy yardstick (README, Benchmarks): its scripts exist and take these
            // arguments; asked for --help, so the test needs no NumPy and runs no benchmark.
            let script = try #require(command.words.dropFirst().first)
            #expect(script.hasPrefix("scripts/reference/"), "\(command.source) runs \(script)")
            let outcome = try run(
                "/usr/bin/env", ["python3", repository.appendingPathComponent(script).path] + command.words.dropFirst(2) + ["--help"],
                in: repository.path)
            #expect(outcome.status == 0 && outcome.stdout.contains("usage:"), "\(command.source): \(outcome.stderr.suffix(400))")
            return
        }
        #expect(program.hasPrefix(".build/release/"), "\(command.source) runs \(program), not a toolkit executable")
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var arguments = Array(command.words.dropFirst())
            for option in ["--out", "--root"] {
                if let out = arguments.firstIndex(of: option), out + 1 < arguments.count {
                    arguments[out + 1] = folder + "/out"
                }
            }
            let informational = arguments.contains("--help") || arguments.contains("--list") || arguments == ["list"]
            // `credit solutions` reads chapters/solutions/ and runs full solutions: from the
            // repository, into the fresh folder.
            let solutions = arguments.first == "solutions"
            if solutions && !arguments.contains("--root") { arguments += ["--root", folder + "/out"] }
            if !informational && !solutions && !arguments.contains("--quick") { arguments.append("--quick") }
            let outcome = try run(
                repository.appendingPathComponent(program).path, arguments, in: solutions ? repository.path : folder)
            #expect(outcome.status == 0, "\(command.source): exit \(outcome.status): \(outcome.stderr.suffix(400))")
            if !informational {
                #expect(!outcome.stdout.isEmpty, "\(command.source) wrote no file")
            }
        }
    }
}
