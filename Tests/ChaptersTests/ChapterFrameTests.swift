import Foundation
import Testing

@testable import Chapters

/// What a chapter states up front and at the end, read from its prose: the learning objectives
/// (numbered items, continuation lines joined), the Prerequisites and Time lines, the numbers
/// of its exercises and the bullets of its Summary.
struct ChapterFrame {
    var objectives: [(number: Int, text: String)] = []
    var prerequisites: String?
    var time: String?
    /// Whether the objectives, prerequisites and time all come before the first `##` heading.
    var frameBeforeFirstSection = false
    var exerciseNumbers: [Int] = []
    var summaryBullets: [String] = []

    init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let firstSection = lines.firstIndex { $0.hasPrefix("## ") } ?? lines.count
        var inObjectives = false
        var section = ""
        var lastFrameLine = -1
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("## ") {
                section = String(line.dropFirst(3))
                inObjectives = false
                continue
            }
            if line.hasPrefix("**Learning objectives.**") {
                inObjectives = true
                lastFrameLine = max(lastFrameLine, index)
                continue
            }
            if line.hasPrefix("**Prerequisites.**") {
                prerequisites = Self.paragraph(lines, from: index, dropping: "**Prerequisites.**")
                inObjectives = false
                lastFrameLine = max(lastFrameLine, index)
                continue
            }
            if line.hasPrefix("**Time.**") {
                time = Self.paragraph(lines, from: index, dropping: "**Time.**")
                inObjectives = false
                lastFrameLine = max(lastFrameLine, index)
                continue
            }
            let number = line.range(of: #"^\d+\. "#, options: .regularExpression).flatMap { Int(line[$0].dropLast(2)) }
            if inObjectives {
                if let number {
                    objectives.append((number, String(line.drop { $0 != " " }.dropFirst())))
                } else if line.hasPrefix("   "), let last = objectives.indices.last {
                    objectives[last].text += " " + line.trimmingCharacters(in: .whitespaces)
                }
                lastFrameLine = max(lastFrameLine, index)
            }
            if section == "Exercises", let number { exerciseNumbers.append(number) }
            if section == "Summary", line.hasPrefix("- ") { summaryBullets.append(String(line.dropFirst(2))) }
        }
        frameBeforeFirstSection = lastFrameLine >= 0 && lastFrameLine < firstSection
    }

    /// The paragraph that starts at `lines[start]`, without its bold lead-in, lines joined.
    private static func paragraph(_ lines: [String], from start: Int, dropping lead: String) -> String {
        var parts = [String(lines[start].dropFirst(lead.count))]
        var index = start + 1
        while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
            parts.append(lines[index])
            index += 1
        }
        return parts.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// Strings between backticks in `text`.
private func codeSpans(_ text: String) -> [String] {
    let parts = text.split(separator: "`", omittingEmptySubsequences: false)
    return stride(from: 1, to: parts.count, by: 2).map { String(parts[$0]) }
}

/// The exercise numbers an objective names: "Exercise 2", "Exercises 1 and 2", "Exercises 3, 4 or 5".
private func exerciseReferences(_ text: String) -> [Int] {
    let pattern = #"Exercises? \d+(?:(?:, | and | or |–)\d+)*"#
    var result: [Int] = []
    var rest = text[...]
    while let range = rest.range(of: pattern, options: .regularExpression) {
        result += rest[range].split { !$0.isNumber }.compactMap { Int($0) }
        rest = rest[range.upperBound...]
    }
    return result
}

/// Whether a code span is a command of the toolkit: a chapter's executable or `credit`, with or
/// without `.build/release/` before it.
private func isCommand(_ span: String) -> Bool {
    let program = span.split(separator: " ").first.map(String.init) ?? ""
    let name = program.hasPrefix(".build/release/") ? String(program.dropFirst(".build/release/".count)) : program
    return name == "credit" || allChapters.contains { $0.executable == name }
}

/// What is wrong with one objective of `chapter`, or nil when it names at least one figure of the
/// chapter, exercise of the chapter or toolkit command, and nothing that looks like a figure or
/// an exercise but is not one.
func objectiveProblem(_ objective: String, figures: Set<String>, exercises: Set<Int>) -> String? {
    let spans = codeSpans(objective)
    // Bare lower-case names with hyphens or none (`sweep`, `rpe-transfer`) are how the chapters
    // write figure names; flags start with "--", commands contain a space.
    let figureLike = spans.filter { $0.range(of: #"^[a-z0-9]+(-[a-z0-9]+)*$"#, options: .regularExpression) != nil }
    if let unknown = figureLike.first(where: { !figures.contains($0) }) {
        return "names `\(unknown)`, which is not a figure of the chapter"
    }
    let cited = exerciseReferences(objective)
    if let missing = cited.first(where: { !exercises.contains($0) }) {
        return "names Exercise \(missing), which the chapter's Exercises list does not have"
    }
    if figureLike.isEmpty && cited.isEmpty && !spans.contains(where: isCommand) {
        return "names no figure, exercise or command by which a student could check it"
    }
    return nil
}

/// Each chapter, the synthesis too, opens with 3–5 checkable learning objectives, its prerequisites and an estimated
/// time, and closes with a Summary of 4–7 points before "Run it" (ProseTests checks the order of
/// the closing sections).
@Suite struct ChapterFrameTests {
    /// The figures an objective of `chapter` may name: its own, and for the synthesis, which
    /// sums the others up, every figure of the book.
    static func citableFigures(_ chapter: any Chapter.Type) -> Set<String> {
        let book = chapter == SynthesisChapter.self ? bookChapters : [chapter]
        return Set(book.flatMap { $0.figures.map(\.name) })
    }

    @Test(arguments: bookChapters.map { $0.name })
    func opensWithObjectivesPrerequisitesAndTime(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let frame = ChapterFrame(try String(contentsOf: repository.appendingPathComponent(chapter.prose), encoding: .utf8))
        let figures = Self.citableFigures(chapter)
        #expect((3...5).contains(frame.objectives.count), "\(chapter.prose) has \(frame.objectives.count) objectives")
        let numbers = frame.objectives.map(\.number)
        #expect(numbers == Array(1...max(1, numbers.count)), "\(chapter.prose): objectives are not numbered 1, 2, …")
        #expect(frame.exerciseNumbers.count >= 3, "\(chapter.prose): no Exercises list")
        for objective in frame.objectives {
            let problem = objectiveProblem(objective.text, figures: figures, exercises: Set(frame.exerciseNumbers))
            #expect(problem == nil, "\(chapter.prose), objective \(objective.number) \(problem ?? "")")
        }
        #expect(frame.prerequisites.map { $0.count >= 20 } == true, "\(chapter.prose) has no Prerequisites line")
        let time = frame.time ?? ""
        #expect(
            time.range(of: #"\d+(\.\d+)? (hours?|min)"#, options: .regularExpression) != nil,
            "\(chapter.prose) has no Time line with a duration")
        #expect(
            frame.frameBeforeFirstSection,
            "\(chapter.prose): objectives, prerequisites and time belong before the first section")
    }

    @Test(arguments: bookChapters.map { $0.name })
    func closesWithASummary(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let frame = ChapterFrame(try String(contentsOf: repository.appendingPathComponent(chapter.prose), encoding: .utf8))
        #expect((4...7).contains(frame.summaryBullets.count), "\(chapter.prose) has \(frame.summaryBullets.count) summary points")
    }

    /// The reader and the rules on a small chapter, and on the errors they must catch.
    @Test func frameReaderCatchesWhatItShould() {
        let text = """
            # Chapter 9 — Title

            **Learning objectives.** After this chapter you can:

            1. Read `alpha` and
               do `ch9-x --help`.
            2. Solve Exercise 2.
            3. Explain `beta-fig`.

            **Prerequisites.** Chapter 8; derivatives and matrix products.

            **Time.** about 2 hours: 1 hour reading, 1 hour for the exercises.

            ## Body

            ## Summary

            - one
            - two

            ## Exercises

            1. First.
            2. Second.
            """
        let frame = ChapterFrame(text)
        #expect(frame.objectives.map(\.number) == [1, 2, 3])
        #expect(frame.objectives[0].text == "Read `alpha` and do `ch9-x --help`.")
        #expect(frame.prerequisites == "Chapter 8; derivatives and matrix products.")
        #expect(frame.time?.hasPrefix("about 2 hours") == true)
        #expect(frame.frameBeforeFirstSection)
        #expect(frame.exerciseNumbers == [1, 2])
        #expect(frame.summaryBullets == ["one", "two"])
        let figures: Set<String> = ["alpha", "beta-fig"]
        #expect(objectiveProblem(frame.objectives[0].text, figures: figures, exercises: [1, 2]) == nil)
        #expect(objectiveProblem("Run `ch2-td --gamma 0.9`.", figures: [], exercises: []) == nil)
        #expect(objectiveProblem("Run `credit td --quick`.", figures: [], exercises: []) == nil)
        #expect(objectiveProblem("Solve Exercises 1 and 2.", figures: [], exercises: [1, 2]) == nil)
        #expect(objectiveProblem("Explain `gamma-fig`.", figures: figures, exercises: [1, 2]) != nil)
        #expect(objectiveProblem("Solve Exercise 3.", figures: figures, exercises: [1, 2]) != nil)
        #expect(objectiveProblem("Explain `alpha` (Exercises 1 and 7).", figures: figures, exercises: [1, 2]) != nil)
        #expect(objectiveProblem("Understand the chapter.", figures: figures, exercises: [1, 2]) != nil)
        #expect(objectiveProblem("Use `LinearTDLearner`.", figures: figures, exercises: [1, 2]) != nil)
    }
}
