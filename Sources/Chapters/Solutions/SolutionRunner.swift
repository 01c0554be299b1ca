import ArgumentParser
import FileIO
import Foundation

/// Runs the commands of worked solutions and measures the numbers they state.
package enum SolutionRunner {
    /// One checked number: what the solution states, what the run gave.
    package struct Outcome: Sendable {
        package let check: SolutionCheck
        /// The measured value; nil when the number is checked by a named test.
        package let measured: Double?
        package var passed: Bool { measured.map(check.expected.accepts) ?? true }
    }

    /// Runs every command of `exercise` (a solution of `chapter`) into `root`, then measures each
    /// of its checks there. A check that names a test is not measured here (see
    /// ``testExists(_:repository:)``).
    package static func run(_ exercise: ExerciseSolution, of chapter: any Chapter.Type, root: String) throws -> [Outcome] {
        for command in exercise.commands {
            var parsed = try command.chapter.command.parse(command.arguments(root: root, solved: chapter.name))
            try parsed.run()
        }
        return try exercise.checks.map { check in
            guard case .file(let run, let file, let column, let filters, let reduction) = check.source else {
                return Outcome(check: check, measured: nil)
            }
            let path = "\(SolutionFile.folder(root: root, chapter: chapter.name, run: run))/\(file)"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw RunFailure("\(check.place): the run wrote no \(run)/\(file) (is --data given?)")
            }
            return Outcome(check: check, measured: try measure(text, column: column, filters: filters, reduction, at: check.place))
        }
    }

    /// The number `reduction` makes of `column` over the rows of the CSV `text` that match every
    /// filter.
    package static func measure(
        _ text: String, column: String, filters: [SolutionCheck.Filter], _ reduction: SolutionCheck.Reduction,
        at place: SolutionPlace
    ) throws -> Double {
        let table = csvRows(text)
        guard let header = table.first else { throw RunFailure("\(place): the CSV file is empty") }
        func index(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw RunFailure("\(place): no column '\(name)'; the file has \(header.joined(separator: ", "))")
            }
            return i
        }
        let measured = try index(column)
        let filterColumns = try filters.map { (try index($0.column), $0.value) }
        let rows = table.dropFirst().filter { row in filterColumns.allSatisfy { row.count > $0.0 && row[$0.0] == $0.1 } }
        guard !rows.isEmpty else {
            throw RunFailure("\(place): no row matches \(filters.map { "\($0.column)=\($0.value)" }.joined(separator: ", "))")
        }
        if case .count = reduction { return Double(rows.count) }
        let values = rows.map { Double($0[measured]) ?? .nan }
        switch reduction {
        case .mean: return values.reduce(0, +) / Double(values.count)
        case .median: return values.median
        case .min: return values.min()!
        case .max: return values.max()!
        case .sum: return values.reduce(0, +)
        case .count: return Double(rows.count)
        case .sd:
            let m = values.reduce(0, +) / Double(values.count)
            return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(values.count - 1, 1))).squareRoot()
        case .first: return values.first!
        case .last: return values.last!
        case .firstReaching(let other, let atLeast, let threshold):
            let target = try index(other)
            guard let row = zip(rows, values).first(where: { atLeast ? $0.1 >= threshold : $0.1 <= threshold })?.0 else {
                return .nan
            }
            return Double(row[target]) ?? .nan
        }
    }

    /// Whether the test a check names exists: a `func <name>` in a file under `Tests/` that
    /// declares `<suite>`.
    package static func testExists(_ check: SolutionCheck, repository: String) -> Bool {
        guard case .test(let suite, let name) = check.source else { return true }
        let tests = "\(repository)/Tests"
        let files = FileManager.default.enumerator(atPath: tests)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".swift") }.contains { file in
            guard let text = try? String(contentsOfFile: "\(tests)/\(file)", encoding: .utf8) else { return false }
            return text.contains("struct \(suite)") && text.contains("func \(name)(")
        }
    }

    /// The rows of a CSV text (RFC 4180 quotes, as `CSVTable` writes them).
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var previous: Character?
        for c in text {
            defer { previous = c }
            if quoted {
                if c == "\"" { quoted = false } else { cell.append(c) }
                continue
            }
            switch c {
            case "\"":
                if previous == "\"" { cell.append("\"") }  // "" inside a quoted cell
                quoted = true
            case ",":
                row.append(cell)
                cell = ""
            case "\n":
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
            default: cell.append(c)
            }
        }
        if !cell.isEmpty || !row.isEmpty { rows.append(row + [cell]) }
        return rows
    }
}

/// `credit solutions`: runs the worked solutions' commands into `figures/solutions/` (their
/// expected figures) and checks every number they state; exit code 1 if one differs.
struct SolutionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solutions",
        abstract: "Run the worked solutions (chapters/solutions/) and check every number they state.",
        discussion: """
            Writes each solution's figures and data under <root>/<chapter>/<run>/ and prints, for every \
            stated number, the expected and the measured value. Exit code 1 if any differs.
            """)

    @Argument(help: "The chapter (e.g. td); all chapters if omitted.")
    var chapter: String?

    @Argument(help: "One exercise of that chapter, by its number.")
    var exercise: Int?

    @Option(help: "Folder that receives one sub-folder per chapter.")
    var root = SolutionFile.defaultRoot

    func validate() throws {
        if let chapter, !bookChapters.contains(where: { $0.name == chapter }) {
            throw ValidationError(
                "invalid value '\(chapter)' for <chapter>: expected one of \(bookChapters.map { $0.name }.joined(separator: ", "))")
        }
        if let exercise, !(1...99).contains(exercise) {
            throw ValidationError("invalid value '\(exercise)' for <exercise>: expected an exercise number from 1 to 99")
        }
    }

    func run() throws {
        let chapters = bookChapters.filter { chapter == nil || $0.name == chapter }
        var failures: [String] = []
        for chapter in chapters {
            let file: SolutionFile
            do {
                file = try SolutionFile(chapter: chapter)
            } catch {
                throw RunFailure(error.description)
            }
            let exercises = file.exercises.filter { exercise == nil || $0.number == exercise }
            if let exercise, exercises.isEmpty { throw RunFailure("\(file.path) has no solution of exercise \(exercise)") }
            for solution in exercises {
                for outcome in try SolutionRunner.run(solution, of: chapter, root: root) {
                    let measured = outcome.measured.map { String(format: "%.6g", $0) } ?? "checked by its test"
                    let line =
                        "\(chapter.name) exercise \(solution.number): \(outcome.check.quantity): expected \(outcome.check.expected), "
                        + "measured \(measured)"
                    print((outcome.passed ? "ok    " : "FAIL  ") + line)
                    if !outcome.passed { failures.append("\(outcome.check.place): \(line)") }
                }
            }
        }
        guard failures.isEmpty else {
            throw RunFailure("\(failures.count) stated numbers differ from the runs:\n" + failures.joined(separator: "\n"))
        }
    }
}
