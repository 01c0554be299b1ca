import Foundation

// The worked solutions of a chapter's exercises, `chapters/solutions/0N-<name>.md`, kept apart
// from the chapter so a course can hand out the chapters without the answers. The file is
// Markdown a reader reads as it is, written so that `credit solutions` can run every command it
// shows and check every number it states:
//
//     ## Exercise 1. Discounting                      (number and title as in the chapter)
//
//     ```sh
//     .build/release/ch2-td --gamma 0.9 --data --figure rpe-transfer --out figures/solutions/td/ex1-gamma-0.9
//     ```
//
//     ![…](../../figures/solutions/td/ex1-gamma-0.9/rpe-transfer.png)
//
//     | quantity | expected | measured from |
//     |---|---|---|
//     | δ at the cue, last trial | 0.349 ± 0.001 | `ex1-gamma-0.9/rpe-transfer.csv`: `delta` where `trial=300`, `time=0`; mean |
//
// Every command writes into `figures/solutions/<chapter>/<run>`; a check names the run, a CSV
// file of it, a column, optional `key=value` filters on other columns, and a reduction of the
// matching rows (``SolutionCheck/Reduction``). An expected value is `v ± t`, `≤ v` or `≥ v`.
// A number an exercise can only get from a code edit is checked by a test instead:
// `test `SuiteName/testName`` in the last column names it.

/// A chapter's solutions file, parsed.
package struct SolutionFile: Sendable {
    /// The chapter's `credit` name, e.g. "td".
    package let chapter: String
    /// The file, relative to the repository's top folder.
    package let path: String
    package let exercises: [ExerciseSolution]

    /// Where the solutions file of `chapter` lives: beside its prose, under `solutions/`.
    package static func path(of chapter: any Chapter.Type) -> String {
        let prose = URL(fileURLWithPath: chapter.prose)
        return prose.deletingLastPathComponent().appendingPathComponent("solutions").appendingPathComponent(prose.lastPathComponent)
            .relativePath
    }

    /// The folder a solution run `run` of `chapter` writes into, under `root`.
    package static func folder(root: String, chapter: String, run: String) -> String { "\(root)/\(chapter)/\(run)" }

    /// The committed root of the solutions' figures.
    package static let defaultRoot = "figures/solutions"

    /// Parses `text`, the solutions file of `chapter`.
    package init(chapter: any Chapter.Type, text: String, path: String? = nil) throws(SolutionFormatError) {
        self.chapter = chapter.name
        self.path = path ?? SolutionFile.path(of: chapter)
        var exercises: [ExerciseSolution] = []
        var inShell = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let place = SolutionPlace(file: self.path, line: index + 1)
            if line.hasPrefix("```") {
                inShell = line == "```sh" && !inShell
                continue
            }
            if let heading = ExerciseSolution.heading(line) {
                exercises.append(ExerciseSolution(number: heading.number, title: heading.title, place: place))
                continue
            }
            guard !exercises.isEmpty else { continue }
            if inShell {
                let words = (line.split(separator: "#", maxSplits: 1).first ?? "").split(separator: " ").map(String.init)
                guard !words.isEmpty else { continue }
                exercises[exercises.count - 1].commands.append(
                    try SolutionCommand(words: words, chapter: chapter, place: place))
            } else if line.hasPrefix("|"), let check = try SolutionCheck(row: line, place: place) {
                exercises[exercises.count - 1].checks.append(check)
            } else if let image = SolutionFile.image(in: line) {
                exercises[exercises.count - 1].images.append(image)
            }
        }
        self.exercises = exercises
        try validate()
    }

    /// Reads and parses the solutions file of `chapter` below `repository`.
    package init(chapter: any Chapter.Type, repository: String = ".") throws(SolutionFormatError) {
        let file = SolutionFile.path(of: chapter)
        guard let text = try? String(contentsOfFile: "\(repository)/\(file)", encoding: .utf8) else {
            throw SolutionFormatError(SolutionPlace(file: file, line: 0), "cannot read the file")
        }
        try self.init(chapter: chapter, text: text, path: file)
    }

    /// The target of a Markdown image on `line`, if it has one.
    private static func image(in line: String) -> String? {
        guard let start = line.range(of: "]("), line.hasPrefix("![") else { return nil }
        return line[start.upperBound...].split(separator: ")").first.map(String.init)
    }

    /// Each run is written by one command; each check reads a run of its own exercise.
    private func validate() throws(SolutionFormatError) {
        var runs: [String: SolutionPlace] = [:]
        for exercise in exercises {
            for command in exercise.commands {
                if let earlier = runs[command.run] {
                    throw SolutionFormatError(command.place, "run '\(command.run)' is also written at line \(earlier.line)")
                }
                runs[command.run] = command.place
            }
            for check in exercise.checks {
                guard case .file(let run, _, _, _, _) = check.source else { continue }
                if !exercise.commands.contains(where: { $0.run == run }) {
                    throw SolutionFormatError(check.place, "no command of exercise \(exercise.number) writes the run '\(run)'")
                }
            }
        }
    }
}

/// Where in a solutions file something is written.
package struct SolutionPlace: Sendable, CustomStringConvertible {
    package let file: String
    package let line: Int
    package var description: String { "\(file):\(line)" }
}

/// A solutions file that does not follow the format, with where and why.
package struct SolutionFormatError: Error, CustomStringConvertible {
    package let description: String
    init(_ place: SolutionPlace, _ message: String) { description = "\(place): \(message)" }
}

/// The worked solution of one exercise.
package struct ExerciseSolution: Sendable {
    package let number: Int
    package let title: String
    package let place: SolutionPlace
    package fileprivate(set) var commands: [SolutionCommand] = []
    package fileprivate(set) var checks: [SolutionCheck] = []
    /// The figures the solution embeds (paths relative to the file).
    package fileprivate(set) var images: [String] = []

    /// `## Exercise 3. Partial reinforcement` → (3, "Partial reinforcement").
    static func heading(_ line: String) -> (number: Int, title: String)? {
        guard line.hasPrefix("## Exercise ") else { return nil }
        let rest = line.dropFirst("## Exercise ".count)
        guard let dot = rest.firstIndex(of: "."), let number = Int(rest[..<dot]) else { return nil }
        return (number, rest[rest.index(after: dot)...].trimmingCharacters(in: .whitespaces))
    }
}

/// One command of a solution: a chapter of the toolkit with its arguments, writing one run.
package struct SolutionCommand: Sendable {
    /// The chapter the command runs (a solution may run another chapter than its own, as the
    /// synthesis does).
    package let chapter: any Chapter.Type
    /// The arguments after the executable (or after `credit <chapter>`), with `--out` as written.
    package let arguments: [String]
    /// The run's folder name under `figures/solutions/<chapter>/`.
    package let run: String
    package let place: SolutionPlace

    /// `words` run `.build/release/<chapter executable> …` or `.build/release/credit <chapter> …`
    /// and write into `figures/solutions/<solved>/<run>`.
    init(words: [String], chapter solved: any Chapter.Type, place: SolutionPlace) throws(SolutionFormatError) {
        let program = words.first ?? ""
        var rest = Array(words.dropFirst())
        var ran = allChapters.first { ".build/release/\($0.executable)" == program }
        if ran == nil, program == ".build/release/credit", let name = rest.first {
            ran = bookChapters.first { $0.name == name }
            rest.removeFirst()
        }
        guard let ran else {
            throw SolutionFormatError(
                place, "a solution's command runs a chapter (.build/release/chN-name or .build/release/credit <chapter>), not \(program)")
        }
        let prefix = "\(SolutionFile.defaultRoot)/\(solved.name)/"
        guard let out = rest.firstIndex(of: "--out"), out + 1 < rest.count, rest[out + 1].hasPrefix(prefix),
            case let run = String(rest[out + 1].dropFirst(prefix.count)), !run.isEmpty, !run.contains("/")
        else {
            throw SolutionFormatError(place, "a solution's command needs --out \(prefix)<run>")
        }
        chapter = ran
        arguments = rest
        self.run = run
        self.place = place
    }

    /// The arguments with the output folder moved under `root`, for the solutions of `solved`.
    package func arguments(root: String, solved: String) -> [String] {
        var moved = arguments
        if let out = moved.firstIndex(of: "--out") { moved[out + 1] = SolutionFile.folder(root: root, chapter: solved, run: run) }
        return moved
    }
}
