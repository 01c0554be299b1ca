import Foundation
import Testing

@testable import Chapters

/// The repository's top folder (this file is Tests/CLITests/SolutionRunTests.swift).
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private let credit = repository.appendingPathComponent(".build/release/credit").path

/// One exercise's solution, for a parametrised test.
struct SolvedExercise: CustomTestStringConvertible, Sendable {
    var chapter: String
    var number: Int
    var runs: [String]
    var testDescription: String { "\(chapter) exercise \(number)" }
}

/// Every exercise that has a solutions file, with the runs its commands write.
private func solvedExercises() -> [SolvedExercise] {
    bookChapters.flatMap { chapter in
        let file = try? SolutionFile(chapter: chapter, repository: repository.path)
        return (file?.exercises ?? []).map { SolvedExercise(chapter: chapter.name, number: $0.number, runs: $0.commands.map(\.run)) }
    }
}

/// The files below `folder`, relative to it, sorted.
private func files(below folder: String) -> [String] {
    (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? [])
        .filter { path in
            var dir: ObjCBool = false;
            return FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &dir) && !dir.boolValue
        }
        .sorted()
}

/// Runs each solution's commands (`credit solutions <chapter> <exercise>`, release build) and
/// checks every number it states; the figures it writes must be byte-identical to the committed
/// ones in figures/solutions/ (the CSVs are not committed: `make solutions` writes them).
@Suite(
    .enabled(if: FileManager.default.fileExists(atPath: credit), "needs the release build: `make test` builds it first"))
struct SolutionRunTests {
    @Test(arguments: solvedExercises())
    func solutionRunsAndItsNumbersHold(_ exercise: SolvedExercise) throws {
        try withTemporaryFolder { root in
            let outcome = try run(credit, ["solutions", exercise.chapter, String(exercise.number), "--root", root])
            #expect(
                outcome.status == 0,
                "\(outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") })\n\(outcome.stderr.suffix(600))")
            #expect(outcome.stdout.contains("ok    \(exercise.chapter) exercise \(exercise.number):"))
            for run in exercise.runs {
                let fresh = "\(root)/\(exercise.chapter)/\(run)"
                let committed = repository.appendingPathComponent("figures/solutions/\(exercise.chapter)/\(run)").path
                let written = files(below: fresh).filter { !$0.hasSuffix(".csv") }
                #expect(
                    files(below: committed).filter { !$0.hasSuffix(".csv") } == written, "\(committed) differs from a fresh run's files")
                for file in written {
                    #expect(
                        FileManager.default.contentsEqual(atPath: "\(fresh)/\(file)", andPath: "\(committed)/\(file)"),
                        "\(committed)/\(file) is not what the solution's command writes (run make solutions)")
                }
            }
        }
    }
}
