import Foundation
import Testing

@testable import Chapters

private let guidePath = "chapters/instructor.md"

/// Every match of `pattern` in `text`, as the strings of its capture groups (nil for a group
/// that did not take part), with the range of the whole match.
private func matches(_ pattern: String, in text: String) throws -> [(groups: [String?], range: Range<String.Index>)] {
    let regex = try NSRegularExpression(pattern: pattern)
    return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
        let groups = (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
        return (groups, Range(match.range, in: text)!)
    }
}

/// One `## ` section of the guide: its heading and its lines up to the next `## ` heading.
private struct GuideSection {
    let heading: String
    let lines: [Substring]

    /// The chapter a session is about, read from "(Chapter N, `chN-name`)" in its heading (for
    /// the synthesis, which has no executable of its own, "(Chapter 6, `credit synthesis`)").
    var chapterNumber: Int? {
        let pattern = #"\(Chapter [0-9]+, `(?:ch[0-9]+-[a-z]+|credit [a-z]+)`\)"#
        guard let range = heading.range(of: pattern, options: .regularExpression) else {
            return nil
        }
        return Int(heading[range].dropFirst("(Chapter ".count).prefix { $0.isNumber })
    }

    /// Strings between backticks, outside fenced code blocks.
    var inlineCode: [String] { ChaptersTests.inlineCode(in: lines.joined(separator: "\n")) }

    /// The prose outside code blocks as paragraphs and list items, each joined into one line,
    /// so that a reference and what follows it are read together across line breaks.
    var items: [String] { proseBlocks(lines) }
}

/// The guide cut at its `## ` headings (the text before the first heading is a section too).
private func guideSections(_ text: String) -> [GuideSection] {
    var sections: [GuideSection] = []
    var heading = ""
    var lines: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("## ") {
            sections.append(GuideSection(heading: heading, lines: lines))
            heading = String(line.dropFirst(3))
            lines = []
        } else {
            lines.append(line)
        }
    }
    sections.append(GuideSection(heading: heading, lines: lines))
    return sections
}

/// The exercises of a chapter's prose, by number.
private func exercises(ofChapterProse text: String) -> [Int: ChapterExercise] {
    Dictionary(uniqueKeysWithValues: ChapterExercise.all(inProse: text).map { ($0.number, $0) })
}

/// A flag name from a Swift property name: `noCaptions` → `--no-captions`.
private func flag(fromProperty name: String) -> String {
    let bare = name.hasPrefix("_") ? String(name.dropFirst()) : name
    return "--" + bare.reduce(into: "") { kebab, c in kebab += c.isUppercase ? "-" + c.lowercased() : String(c) }
}

/// Every flag a reader can give: each chapter's model parameters, the options every chapter
/// takes (``CommonOptions``), those of `credit all` (``AllChapters``) and `--help`.
private func knownFlags() -> Set<String> {
    let properties =
        Mirror(reflecting: CommonOptions()).children.compactMap(\.label)
        + Mirror(reflecting: AllChapters()).children.compactMap(\.label)
    let options = properties.map(flag(fromProperty:)).filter { $0 != "--model-arguments" }
    let parameters = allChapters.flatMap { $0.declaredFlags.map(\.0) }
    return Set(options + parameters + ["--help"])
}

/// An inline code span that reads like a figure name: lowercase words joined by hyphens.
private func looksLikeFigureName(_ span: String) -> Bool {
    span.range(of: #"^[a-z][a-z0-9]*(-[a-z0-9]+)+$"#, options: .regularExpression) != nil
}

/// What the guide's checks need to know of a chapter, read once from its declaration.
private struct ChapterFacts {
    let number: Int
    let executable: String
    let prose: String
    let figures: [String]
}

private let chapterFacts = bookChapters.map {
    ChapterFacts(number: $0.number, executable: $0.executable, prose: $0.prose, figures: $0.figures.map(\.name))
}

/// The checks, as messages, on the guide's text (a parameter so that the tests can plant errors).
private func problems(inGuide text: String) throws -> [String] {
    var problems: [String] = []
    let sections = guideSections(text)
    let executables = Set(chapterFacts.map(\.executable))
    let allFigures = Set(chapterFacts.flatMap(\.figures))

    // Figure names in backticks exist; every chapter has a session that shows all its figures.
    for section in sections {
        // Hyphenated names anywhere, and the name that opens an item of a numbered figure list
        // (which may be one word, `sweep`).
        let listed = try section.items.compactMap { try matches(#"^[0-9]+\. `([^`]+)`"#, in: $0).first?.groups[0] }
        let named = section.inlineCode.filter { looksLikeFigureName($0) && !executables.contains($0) }
        for span in named + listed where !allFigures.contains(span) {
            problems.append("\"\(section.heading)\" names the figure `\(span)`, which no chapter draws")
        }
    }
    for chapter in chapterFacts {
        let sessions = sections.filter { $0.heading.hasPrefix("Session") && $0.chapterNumber == chapter.number }
        guard sessions.count == 1, let session = sessions.first else {
            problems.append("\(sessions.count) sessions are about Chapter \(chapter.number) (`\(chapter.executable)`), not 1")
            continue
        }
        if !session.heading.contains("`\(chapter.executable)`") {
            problems.append("the session on Chapter \(chapter.number) does not name `\(chapter.executable)`")
        }
        let file = URL(fileURLWithPath: chapter.prose).lastPathComponent
        if !session.lines.contains(where: { $0.contains("](\(file))") }) {
            problems.append("the session on Chapter \(chapter.number) does not link \(file)")
        }
        let shown = Set(session.inlineCode)
        for figure in chapter.figures where !shown.contains(figure) {
            problems.append("the session on Chapter \(chapter.number) does not show `\(figure)`")
        }
    }

    // "Exercise N" (in a session: of its chapter) or "Chapter K, Exercise N" exists, with the
    // title given after it and the "(code edit)" or "(no code)" the chapter's mark implies.
    var chapterExercises: [Int: [Int: ChapterExercise]] = [:]
    for chapter in chapterFacts {
        chapterExercises[chapter.number] = exercises(ofChapterProse: try read(chapter.prose))
    }
    let reference = #"(?:Chapter ([0-9]+), )?Exercises? ([0-9]+)(?![.0-9]*[0-9])(?:, \*([^*]+)\*)?"#
    for section in sections {
        for item in section.items {
            let found = try matches(reference, in: item)
            for (index, match) in found.enumerated() {
                let place = "\"\(section.heading)\": \(item[match.range])"
                guard let chapter = match.groups[0].flatMap({ Int($0) }) ?? section.chapterNumber else {
                    problems.append("\(place) does not say which chapter's exercise it is")
                    continue
                }
                guard let number = match.groups[1].flatMap({ Int($0) }), let exercise = chapterExercises[chapter]?[number] else {
                    problems.append("\(place): Chapter \(chapter) has no such exercise")
                    continue
                }
                if let title = match.groups[2], title != exercise.title {
                    problems.append("\(place): Chapter \(chapter)'s exercise \(number) is called \"\(exercise.title)\"")
                }
                let end = index + 1 < found.count ? found[index + 1].range.lowerBound : item.endIndex
                let after = item[match.range.upperBound..<end]
                if after.contains("(code edit)") && !exercise.needsCodeEdit {
                    problems.append("\(place) is marked (code edit), but the chapter does not mark it")
                }
                if after.contains("(no code)") && exercise.needsCodeEdit {
                    problems.append("\(place) is marked (no code), but the chapter says it needs a code edit")
                }
            }
        }
    }

    // Every flag, in prose or in a command, is one a reader can give.
    let flags = knownFlags()
    for match in try matches(#"(?<![A-Za-z0-9-])(--[a-z][a-z0-9-]*)"#, in: text) {
        let flag = match.groups[0]!
        if !flags.contains(flag) {
            problems.append("the guide mentions \(flag), which no chapter and no common option declares")
        }
    }
    return problems
}

@Suite struct InstructorGuideTests {
    @Test func guideNamesOnlyFiguresExercisesAndFlagsThatExist() throws {
        let text = try read(guidePath)
        for problem in try problems(inGuide: text) {
            Issue.record("\(guidePath): \(problem)")
        }
        // The checks see what they should: a session per chapter, exercises and flags.
        let sections = guideSections(text)
        #expect(sections.filter { $0.chapterNumber != nil }.count == bookChapters.count)
        #expect(try matches(#"Exercise [0-9]"#, in: text).count >= 2 * allChapters.count)
        #expect(text.contains("--no-captions") && text.contains("--data") && text.contains("--format"))
    }

    /// An error planted in each kind of reference is caught, and the message names it.
    @Test(arguments: [
        ("`learning-curves`", "`learning-curvez`", "learning-curvez"),
        ("8. `sweep`", "8. `sweeps`", "`sweeps`"),
        ("Exercise 2, *Ten times the samples*", "Exercise 9, *Ten times the samples*", "no such exercise"),
        ("Exercise 2, *Ten times the samples*", "Exercise 2, *Ten times the sample*", "is called"),
        ("Exercise 5, *Perturbation size* (no code)", "Exercise 5, *Perturbation size* (code edit)", "does not mark it"),
        ("Chapter 2, Exercise 5", "Chapter 2, Exercise 7", "no such exercise"),
        ("`--gamma 0.9`", "`--gamma-discount 0.9`", "--gamma-discount"),
        ("(Chapter 5, `ch5-gating`)", "(`ch5-gating`)", "sessions are about Chapter 5"),
        ("(Chapter 6, `credit synthesis`)", "(`credit synthesis`)", "sessions are about Chapter 6"),
        ("1. `division-of-labour`", "1. `division-of-labor`", "division-of-labor"),
        ("Text: [Chapter 6](06-synthesis.md)", "Text: Chapter 6", "does not link 06-synthesis.md"),
        ("Chapter 6, Exercise 3, *Break a column*", "Chapter 6, Exercise 7, *Break a column*", "no such exercise"),
    ])
    func plantedErrorsAreCaught(original: String, planted: String, expected: String) throws {
        let text = try read(guidePath)
        #expect(text.contains(original), "the guide no longer contains \(original); choose another place to plant")
        let broken = text.replacingOccurrences(of: original, with: planted)
        let found = try problems(inGuide: broken)
        #expect(found.contains { $0.contains(expected) }, "planted \(planted), found \(found)")
    }

    @Test func readmeLinksTheGuide() throws {
        let readme = try read("README.md")
        #expect(readme.contains("(\(guidePath))"))
    }
}
