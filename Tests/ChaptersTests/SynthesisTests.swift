import Cairo
import Foundation
import Testing

@testable import Chapters
@testable import Diagram
@testable import Plot

// MARK: - The numbers the synthesis quotes

/// One number the synthesis quotes, with the chapter its sentence attributes it to.
struct QuotedNumber: CustomStringConvertible {
    let number: String
    /// The chapter named nearest to the number in its sentence; nil when the sentence names none.
    let chapter: Int?
    let sentence: String

    var description: String { "\(number) (Chapter \(chapter.map(String.init) ?? "?")) in \"\(sentence)\"" }
}

/// A number as the synthesis and the chapters write one: digits with an optional decimal part,
/// not part of a word or a name (`C1`, `fig4`, `r_MD`). A superscript may follow (`0.9¹⁰`).
private let numberPattern = #"(?<![\p{L}\d_.])\d+(?:\.\d+)?(?![\p{L}\d_])"#

/// Numbers that are references, not quoted results: equations, figures, boxes, exercises and
/// sessions, and the years of author–year citations.
private let referencePatterns = [
    #"\bEqs?\. \d+(?:[–-]\d+)?"#, #"\bEquations? \d+"#, #"\bFigures? \d+[A-Z]?(?: and \d+)?"#, #"\bBox \d+"#,
    #"\bExercises? \d+(?:(?:, | and | or |–)\d+)*"#, #"\bSessions? \d+"#, citationPattern,
]

/// "Chapter 3", "Chapters 2 and 5", "Chapters 1–5": the chapters a sentence names.
private let chapterPattern = #"\bChapters? (\d+(?:(?:, and |, | and | or |–)\d+)*)"#

/// Every match of `pattern` in `text` (an NSString), as ranges.
private func ranges(_ pattern: String, in text: NSString) throws -> [NSRange] {
    let regex = try NSRegularExpression(pattern: pattern)
    return regex.matches(in: text as String, range: NSRange(location: 0, length: text.length)).map(\.range)
}

/// The prose of a chapter before its References, as sentences: without fenced code, inline
/// code, HTML comments, link targets and the Time line; split into ``proseBlocks(_:)`` first,
/// so a sentence never runs across two paragraphs, list items or table rows.
func sentences(of text: String) -> [String] {
    let body = text.components(separatedBy: "\n## References").first ?? text
    let units = proseBlocks(body.split(separator: "\n", omittingEmptySubsequences: false))
    let cleanups = [#"`[^`]*`"#, #"<!--.*?-->"#, #"\]\([^)]*\)"#, #"^(?:- |\d+\. )"#]
    let abbreviations = ["Eq", "Eqs", "al", "e.g", "i.e", "cf", "vs", "Ch", "Fig"]
    var result: [String] = []
    for unit in units where !unit.hasPrefix("**Time.**") {
        var clean = unit
        for pattern in cleanups {
            clean = clean.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        // Sentence ends: . ! or ? before a space and a capital (or an opening bracket), unless
        // the word before the full stop is an abbreviation.
        var start = clean.startIndex
        var rest = clean[...]
        while let end = rest.range(of: #"[.!?]\s+(?=[A-Z(*\[])"#, options: .regularExpression) {
            let word = clean[start..<end.lowerBound].split(whereSeparator: { $0 == " " || $0 == "(" }).last ?? ""
            if !abbreviations.contains(String(word)) {
                result.append(String(clean[start..<end.upperBound]).trimmingCharacters(in: .whitespaces))
                start = end.upperBound
            }
            rest = clean[end.upperBound...]
        }
        result.append(String(clean[start...]).trimmingCharacters(in: .whitespaces))
    }
    return result.filter { !$0.isEmpty }
}

/// The chapter numbers of a reference such as "Chapters 2 and 5" or "Chapters 1–5".
private func chapterNumbers(_ list: String) -> [Int] {
    if let dash = list.firstIndex(of: "–"), let a = Int(list[..<dash]), let b = Int(list[list.index(after: dash)...]), a <= b {
        return Array(a...b)
    }
    return list.split { !$0.isNumber }.compactMap { Int($0) }
}

/// Every number `text` quotes, each attributed to the chapter named nearest to it in its
/// sentence (before or after it; a tie goes to the earlier). A reference to several chapters
/// at once ("Chapters 2 and 5") attributes to the first.
func quotedNumbers(in text: String) throws -> [QuotedNumber] {
    var quoted: [QuotedNumber] = []
    for sentence in sentences(of: text) {
        let ns = NSMutableString(string: sentence)
        let references: [(range: NSRange, chapter: Int)] = try ranges(chapterPattern, in: ns).compactMap { range in
            let list = ns.substring(with: range).drop { !$0.isNumber }
            return chapterNumbers(String(list)).first.map { (range, $0) }
        }
        // Blank out every reference, keeping the positions of what is left.
        for pattern in referencePatterns + [chapterPattern] {
            for range in try ranges(pattern, in: ns) {
                ns.replaceCharacters(in: range, with: String(repeating: " ", count: range.length))
            }
        }
        for range in try ranges(numberPattern, in: ns) {
            func distance(_ r: NSRange) -> Int {
                r.location >= NSMaxRange(range) ? r.location - NSMaxRange(range) : max(0, range.location - NSMaxRange(r))
            }
            let nearest = references.min { distance($0.range) < distance($1.range) }
            quoted.append(QuotedNumber(number: ns.substring(with: range), chapter: nearest?.chapter, sentence: sentence))
        }
    }
    return quoted
}

/// Every number written anywhere in a chapter's file.
private func numbersWritten(inChapter number: Int) throws -> Set<String> {
    guard let chapter = bookChapters.first(where: { $0.number == number }) else { return [] }
    let text = try read(chapter.prose) as NSString
    return Set(try ranges(numberPattern, in: text).map { text.substring(with: $0) })
}

/// What is wrong with the numbers of `text`: a number whose sentence names no chapter, and a
/// number the chapter it is attributed to does not write.
func numberProblems(in text: String) throws -> [String] {
    var problems: [String] = []
    var written: [Int: Set<String>] = [:]
    for quoted in try quotedNumbers(in: text) {
        guard let chapter = quoted.chapter else {
            problems.append("quotes \(quoted.number) without naming its chapter: \"\(quoted.sentence)\"")
            continue
        }
        if written[chapter] == nil { written[chapter] = try numbersWritten(inChapter: chapter) }
        if written[chapter]?.contains(quoted.number) != true {
            problems.append("attributes \(quoted.number) to Chapter \(chapter), which does not write it: \"\(quoted.sentence)\"")
        }
    }
    return problems
}

@Suite struct SynthesisNumberTests {
    /// Every number the synthesis quotes is written in the chapter its sentence names.
    @Test func everyQuotedNumberIsInTheChapterItCites() throws {
        let text = try read(SynthesisChapter.prose)
        for problem in try numberProblems(in: text) {
            Issue.record("\(SynthesisChapter.prose) \(problem)")
        }
        // The reader sees the numbers: the synthesis quotes many, from every chapter.
        let quoted = try quotedNumbers(in: text)
        #expect(quoted.count >= 80, "only \(quoted.count) numbers read")
        let cited = Set(quoted.compactMap { $0.chapter })
        let chapters = Set(allChapters.map { $0.number })
        #expect(cited == chapters)
    }

    /// The reader on the forms the synthesis uses, and on numbers that are references.
    @Test func readerSeparatesQuotedNumbersFromReferences() throws {
        let text = """
            # Chapter 6 — Title

            **Time.** About 2 hours: 45 min reading.

            Eq. 7 of Box 1 (Figure 5; Exercises 1 and 2) in C1, as Rikhye, Gilra & Halassa (2018) \
            found; the drive grows from 0.87 to 3.9 (Chapter 3). Silencing after trial 200 costs \
            retention (0.44, Chapter 4), and the cue settles at 0.9¹⁰ in Chapter 2, e.g. with \
            `--gamma 0.5`.

            | model (Chapter 5) | τ_eff = 2 s |

            - A point of 51.3
              that names no chapter.
            """
        let found = try quotedNumbers(in: text).map { "\($0.number)@\($0.chapter.map(String.init) ?? "-")" }
        #expect(found == ["0.87@3", "3.9@3", "200@4", "0.44@4", "0.9@2", "2@5", "51.3@-"])
    }

    /// An error planted in the synthesis is caught: a changed number, a number moved under another
    /// chapter, a sentence that loses its chapter.
    @Test(arguments: [
        ("drops accuracy to 0.30, and", "drops accuracy to 0.31, and", "attributes 0.31 to Chapter 3"),
        ("below 10⁻¹³ at the reward (Chapter 2)", "below 10⁻¹³ at the reward (Chapter 5)", "attributes 0.999997 to Chapter 5"),
        ("showed (Chapter 2; Schultz", "showed (Schultz", "quotes 1.00 without naming its chapter"),
        ("against 8.2 ± 1.7 for", "against 8.3 ± 1.7 for", "attributes 8.3 to Chapter 4"),
    ])
    func plantedErrorsAreCaught(original: String, planted: String, expected: String) throws {
        let text = try read(SynthesisChapter.prose)
        #expect(text.contains(original), "the synthesis no longer contains \(original); choose another place to plant")
        let problems = try numberProblems(in: text.replacingOccurrences(of: original, with: planted))
        #expect(problems.contains { $0.contains(expected) }, "planted \(planted), found \(problems)")
    }
}

// MARK: - The synthesis's frame

@Suite struct SynthesisProseTests {
    @Test func closesWithSummaryRunItExercisesAndReferences() throws {
        let text = try read(SynthesisChapter.prose)
        #expect(text.hasPrefix("# Chapter 6 — "))
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        #expect(Array(headings.suffix(4)) == ["Summary", "Run it", "Exercises", "References"])
        #expect(headings.contains { $0.hasPrefix("Open questions") })
    }

    /// Figure names written in backticks are figures of the book.
    @Test func namesOnlyFiguresThatExist() throws {
        let figures = Set(bookChapters.flatMap { $0.figures.map(\.name) })
        let named = inlineCode(in: try read(SynthesisChapter.prose)).filter {
            $0.range(of: #"^[a-z][a-z0-9]*(-[a-z0-9]+)+$"#, options: .regularExpression) != nil
        }
        #expect(named.count >= 5)
        for name in named { #expect(figures.contains(name), "the synthesis names `\(name)`, which no chapter draws") }
    }
}

// MARK: - The summary figure

@Suite struct SynthesisFigureTests {
    static let columns = [SynthesisSchematics.structural, SynthesisSchematics.contextual, SynthesisSchematics.temporal]

    @Test func rendersAtTheHouseWidth() throws {
        let figure = SynthesisSchematics.divisionOfLabour()
        let png = try figure.bytes(format: .png)
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 3 * 520)
        let svg = String(decoding: try figure.bytes(format: .svg), as: UTF8.self)
        #expect(svg.hasSuffix("</svg>\n") || svg.contains("</svg>"))
        #expect(figure.panels.map(\.letter) == ["A", "B", "C", nil])
    }

    /// The three columns are drawn at one scale, so their role rows line up across the figure and
    /// every label has the same size; a column whose text sticks out would be shrunk.
    @Test func columnsShareOneScaleAndRoleRows() throws {
        let figure = SynthesisSchematics.divisionOfLabour()
        var scales: [Double] = []
        _ = try renderBytes(format: .svg, width: figure.width, height: figure.height) { context in
            for panel in figure.panels.prefix(3) {
                let schematic = try #require(panel.content as? Schematic)
                scales.append(try schematic.layout(in: panel.frame, context: context).transform.scale)
            }
        }
        #expect(scales.count == 3)
        #expect(scales.allSatisfy { abs($0 - scales[0]) < 1e-9 }, "column scales \(scales)")
    }

    /// Under each column, every figure it cites is listed under the chapter that declares it.
    @Test func everyCitedFigureIsListedUnderItsChapter() throws {
        for column in Self.columns {
            let lines = SynthesisSchematics.evidenceLines(column).joined(separator: "\n")
            for info in column.evidence {
                let chapter = try #require(allChapters.first { $0.figures.contains { $0.name == info.name } })
                let block = lines.components(separatedBy: "Ch. \(chapter.number):").dropFirst().first ?? ""
                let own = block.components(separatedBy: "\nCh. ").first ?? ""
                #expect(own.contains(info.name), "\(column.problem): \(info.name) is not listed under Ch. \(chapter.number)")
            }
            #expect(lines.split(separator: "\n").allSatisfy { $0.count <= 36 })
        }
        #expect(SynthesisSchematics.chapters(SynthesisSchematics.structural) == "Chapters 1 and 3")
        #expect(SynthesisSchematics.chapters(SynthesisSchematics.contextual) == "Chapter 4")
    }

    /// Each column states who teaches and who stores; only Box 1 has no controller, as Chapter 3's
    /// model has no thalamus.
    @Test func rolesAreStatedAsTheModelsHaveThem() {
        for column in Self.columns {
            #expect(column.roles[.teaches]?.hasPrefix("BG") == true, "\(column.problem)")
            #expect(column.roles[.stores] != nil, "\(column.problem)")
        }
        #expect(Self.columns.map { $0.roles[.controls] == nil } == [true, false, false])
    }

    /// The three roles' colours stay apart for a deuteranope (and the chips also name the role).
    @Test func roleColoursAreDistinctForADeuteranope() {
        let colours = SynthesisSchematics.Role.allCases.map(\.area.color)
        for i in colours.indices {
            for j in colours.indices where j > i {
                let d = deuteranopeDistance(colours[i], colours[j])
                #expect(d >= 20, "roles \(i) and \(j): ΔE \(d) under deuteranopia")
            }
        }
    }
}
