import Foundation
import Testing

@testable import Chapters

/// The worked solutions (chapters/solutions/): one per exercise, each stating numbers the
/// toolkit can check, and the parser and measurer `credit solutions` checks them with. The runs
/// themselves are made by CLITests' SolutionRunTests.
struct SolutionFileTests {
    /// Every chapter of the book has a solutions file.
    @Test(arguments: bookChapters.map { $0.name })
    func everyChapterHasASolutionsFile(_ name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let path = SolutionFile.path(of: chapter)
        #expect(FileManager.default.fileExists(atPath: repository.appendingPathComponent(path).path), "\(path) is missing")
    }

    /// Every chapter has a solutions file with one solution per exercise, under the exercise's
    /// number and title, each stating at least one checked number.
    @Test(arguments: bookChapters.map { $0.name })
    func everyExerciseHasASolution(_ name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let exercises = ChapterExercise.all(inProse: try read(chapter.prose))
        let file = try SolutionFile(chapter: chapter, repository: repository.path)
        #expect(file.exercises.map(\.number) == exercises.map(\.number), "\(file.path) solves other exercises than \(chapter.prose)")
        for (exercise, solution) in zip(exercises, file.exercises) {
            #expect(
                solution.title == exercise.title, "\(solution.place): the chapter calls exercise \(exercise.number) \"\(exercise.title)\"")
            #expect(!solution.checks.isEmpty, "\(solution.place): the solution states no checked number")
            let measured = solution.checks.contains { if case .file = $0.source { true } else { false } }
            #expect(!measured || !solution.commands.isEmpty, "\(solution.place): checks without a command")
            for check in solution.checks {
                #expect(SolutionRunner.testExists(check, repository: repository.path), "\(check.place): no such test")
            }
        }
    }

    /// Each figure a solution shows is one its own runs write, and is committed; the committed
    /// solution figures hold no run that no solution writes.
    @Test(arguments: bookChapters.map { $0.name })
    func solutionFiguresAreTheRunsOwn(_ name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let file = try SolutionFile(chapter: chapter, repository: repository.path)
        let root = "../../\(SolutionFile.defaultRoot)/\(chapter.name)/"
        for solution in file.exercises {
            for image in solution.images {
                #expect(image.hasPrefix(root), "\(solution.place): \(image) is not under \(root)")
                let run = image.dropFirst(root.count).split(separator: "/").first.map(String.init) ?? ""
                #expect(solution.commands.contains { $0.run == run }, "\(solution.place): no command of this exercise writes \(image)")
                let committed = repository.appendingPathComponent("chapters/solutions").appendingPathComponent(image).standardized.path
                #expect(FileManager.default.fileExists(atPath: committed), "\(solution.place): \(image) is not committed")
            }
        }
        let folder = repository.appendingPathComponent("\(SolutionFile.defaultRoot)/\(chapter.name)").path
        let committedRuns = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let runs = Set(file.exercises.flatMap { $0.commands.map(\.run) })
        #expect(Set(committedRuns).subtracting(runs).isEmpty, "stale runs in \(folder): \(Set(committedRuns).subtracting(runs))")
    }

    /// A course can do at least 80 % of the exercises from the command line alone.
    @Test func mostExercisesNeedNoCodeEdit() throws {
        let exercises = try bookChapters.flatMap { ChapterExercise.all(inProse: try read($0.prose)) }
        let flagOnly = exercises.filter { !$0.needsCodeEdit }.count
        #expect(Double(flagOnly) >= 0.8 * Double(exercises.count), "\(flagOnly) of \(exercises.count) exercises need no code edit")
    }

    // MARK: The format and the measurer, on made-up files (each planted error must be caught).

    private static let sample = """
        ## Exercise 1. Discounting

        ```sh
        .build/release/ch2-td --gamma 0.9 --data --out figures/solutions/td/ex1  # comment
        ```

        | quantity | expected | measured from |
        |---|---|---|
        | cue δ | 0.3487 ± 0.0001 | `ex1/rpe-transfer.csv`: `delta` where `trial=300`, `time=5` |
        | first trial | ≤ 120 | `ex1/rpe-transfer.csv`: `delta` where `time=5`; first `trial` with ≥ 0.17 |
        | edited | 0.5 ± 0.1 | test `SolutionFileTests/parsesTheFormat` |

        ## Exercise 2. Speed of transfer
        """

    @Test func parsesTheFormat() throws {
        let file = try SolutionFile(chapter: TDChapter.self, text: Self.sample)
        #expect(file.exercises.map(\.number) == [1, 2] && file.exercises[1].title == "Speed of transfer")
        let one = file.exercises[0]
        #expect(one.commands.map(\.run) == ["ex1"])
        #expect(one.commands[0].arguments(root: "/tmp/r", solved: "td") == ["--gamma", "0.9", "--data", "--out", "/tmp/r/td/ex1"])
        #expect(one.checks.map(\.expected) == [.within(0.3487, tolerance: 0.0001), .atMost(120), .within(0.5, tolerance: 0.1)])
        #expect(
            one.checks[0].source
                == .file(
                    run: "ex1", file: "rpe-transfer.csv", column: "delta",
                    filters: [.init(column: "trial", value: "300"), .init(column: "time", value: "5")], reduction: .mean))
        #expect(
            one.checks[1].source
                == .file(
                    run: "ex1", file: "rpe-transfer.csv", column: "delta", filters: [.init(column: "time", value: "5")],
                    reduction: .firstReaching(column: "trial", atLeast: true, threshold: 0.17)))
        #expect(one.checks[2].source == .test(suite: "SolutionFileTests", name: "parsesTheFormat"))
        #expect(SolutionRunner.testExists(one.checks[2], repository: repository.path))
    }

    @Test(arguments: [
        ("| x | 0.3 +- 0.1 | `ex1/a.csv`: `v` |", "write 'v ± t'"),
        ("| x | 0.3 ± 0.1 | `ex1/a.csv` |", "measured from"),
        ("| x | 0.3 ± 0.1 | `ex1/a.csv`: `v`; average |", "unknown reduction 'average'"),
        ("| x | 0.3 ± 0.1 | `ex2/a.csv`: `v` |", "no command of exercise 1 writes the run 'ex2'"),
        ("| 0.3 ± 0.1 | `ex1/a.csv`: `v` |", "three cells"),
        // A filter that is not one (no backticks, a stray span, "and") is an error, not left out.
        ("| x | 0.3 ± 0.1 | `ex1/a.csv`: `v` where trial=3 |", "where `key=value`"),
        ("| x | 0.3 ± 0.1 | `ex1/a.csv`: `v` where `trial=3` and `seed=1` |", "where `key=value`"),
        ("| x | 0.3 ± 0.1 | `ex1/a.csv`: `v` where `trial=3`, `seed` |", "where `key=value`"),
        ("| x | 0.3 ± 0.1 | `ex1/a.csv`: `v` `w` |", "where `key=value`"),
    ])
    func malformedRowsAreRejected(_ row: String, _ message: String) throws {
        let text = "## Exercise 1. A\n\n```sh\n.build/release/ch2-td --out figures/solutions/td/ex1\n```\n\n\(row)\n"
        #expect {
            _ = try SolutionFile(chapter: TDChapter.self, text: text)
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains(":7:")
        }
    }

    @Test func commandsMustRunTheChapterIntoTheSolutionsFolder() throws {
        for command in [
            ".build/release/ch1-backprop --out figures/solutions/backprop/a", ".build/release/ch2-td --out /tmp/a",
            ".build/release/ch2-td", ".build/release/credit all --out figures/solutions/td/a", "ch2-td --out figures/solutions/td/a",
        ] {
            #expect(throws: SolutionFormatError.self) {
                _ = try SolutionFile(chapter: TDChapter.self, text: "## Exercise 1. A\n\n```sh\n\(command)\n```\n")
            }
        }
        // A solution may run another chapter (the synthesis runs the others), directly or through credit.
        let other = try SolutionFile(
            chapter: SynthesisChapter.self,
            text: "## Exercise 1. A\n\n```sh\n.build/release/ch4-context --md-inhibition 0 --out figures/solutions/synthesis/a\n"
                + ".build/release/credit td --gamma 0.9 --out figures/solutions/synthesis/b\n```\n")
        #expect(other.exercises[0].commands.map { $0.chapter.name } == ["context", "td"])
        #expect(other.exercises[0].commands[1].arguments == ["--gamma", "0.9", "--out", "figures/solutions/synthesis/b"])
        #expect(throws: SolutionFormatError.self) {
            let twice = ".build/release/ch2-td --out figures/solutions/td/a"
            _ = try SolutionFile(chapter: TDChapter.self, text: "## Exercise 1. A\n\n```sh\n\(twice)\n\(twice)\n```\n")
        }
    }

    @Test func measuresWhatTheRowsSay() throws {
        let csv = "trial,time,delta,label\n1,5,0.1,\"a,b\"\n2,5,0.3,c\n3,5,0.5,c\n3,6,9,c\n"
        let at = SolutionPlace(file: "x", line: 1)
        func m(_ filters: [(String, String)], _ r: SolutionCheck.Reduction) throws -> Double {
            try SolutionRunner.measure(csv, column: "delta", filters: filters.map { .init(column: $0.0, value: $0.1) }, r, at: at)
        }
        #expect(try m([("time", "5")], .mean) == 0.3)
        #expect(try m([("time", "5")], .median) == 0.3)
        #expect(try m([], .max) == 9 && (try m([], .count)) == 4 && (try m([("label", "a,b")], .first)) == 0.1)
        #expect(try m([("time", "5")], .firstReaching(column: "trial", atLeast: true, threshold: 0.3)) == 2)
        #expect(try m([("time", "5")], .firstReaching(column: "trial", atLeast: false, threshold: 0.05)).isNaN)
        #expect(abs(try m([("time", "5")], .sd) - 0.2) < 1e-12)
        #expect(throws: RunFailure.self) { try m([("time", "7")], .mean) }
        #expect(throws: RunFailure.self) { try SolutionRunner.measure(csv, column: "nope", filters: [], .mean, at: at) }
        // A planted wrong statement fails; NaN never passes.
        #expect(!SolutionCheck.Expectation.within(0.35, tolerance: 0.001).accepts(0.3487))
        #expect(SolutionCheck.Expectation.within(0.35, tolerance: 0.002).accepts(0.3487))
        #expect(!SolutionCheck.Expectation.atLeast(0).accepts(.nan))
    }

    @Test func readsNumbersAsTheChaptersWriteThem() {
        #expect(SolutionCheck.number("−1.00") == -1)
        #expect(abs(SolutionCheck.number("1.22 × 10⁻⁵")! - 1.22e-5) < 1e-18)
        #expect(SolutionCheck.number("51×") == 51)
        #expect(SolutionCheck.number("2e-3") == 0.002)
        #expect(SolutionCheck.number("abc") == nil)
    }
}
