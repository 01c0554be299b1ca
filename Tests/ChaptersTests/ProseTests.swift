import Foundation
import Testing
import Cairo
@testable import Diagram
@testable import Plot

@testable import Chapters

/// Every Swift source file of the package, concatenated, for symbol look-ups.
private func allSources() throws -> String {
    let folder = repository.appendingPathComponent("Sources")
    let paths = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
    return try paths.filter { $0.hasSuffix(".swift") }.sorted()
        .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
        .joined(separator: "\n")
}

/// Whether `source` declares `symbol` (a type, function, property or case).
private func declares(_ source: String, _ symbol: String) -> Bool {
    let name = NSRegularExpression.escapedPattern(for: symbol)
    let pattern = #"(struct|enum|class|protocol|actor|func|var|let|case|typealias)\s+"# + name + #"\b"#
    return source.range(of: pattern, options: .regularExpression) != nil
}

/// One cited work as the text and the References list both identify it: the first author's
/// surname (compared without case or diacritics, curly apostrophes read as straight ones) and
/// the year, with any letter that tells two works of one year apart (2016a).
private struct CitationKey: Hashable, Comparable, CustomStringConvertible {
    let surname: String
    let year: String

    init(surname: String, year: String) {
        self.surname = surname.replacingOccurrences(of: "’", with: "'")
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        self.year = year.lowercased()
    }

    static func < (a: CitationKey, b: CitationKey) -> Bool {
        (a.surname, a.year) < (b.surname, b.year)
    }

    var description: String { "\(surname) \(year)" }
}

/// A chapter cut at its "## References" heading: the text before it, with fenced code blocks
/// removed and every run of line breaks and indentation read as one space (so a citation broken
/// across lines is still seen), and the list items after it (continuation lines joined).
private func splitAtReferences(_ text: String) -> (body: String, references: [String]) {
    var body: [Substring] = []
    var references: [String] = []
    var inFence = false
    var inReferences = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if inReferences {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("- ") {
                references.append(String(line.dropFirst(2)))
            } else if !trimmed.isEmpty, let last = references.indices.last {
                references[last] += " " + trimmed
            }
            continue
        }
        if line == "## References" {
            inReferences = true
            continue
        }
        if line.hasPrefix("```") {
            inFence.toggle()
            continue
        }
        if !inFence { body.append(line) }
    }
    let joined = body.joined(separator: " ")
        .replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    return (joined, references)
}

/// Capitalised words that can stand before a year without naming an author ("In 2016").
private let wordsThatAreNotAuthors: Set<String> = [
    "In", "On", "At", "By", "Of", "For", "To", "The", "And", "Or", "As", "Since", "From", "Until",
    "Before", "After", "Around", "About", "Circa", "During", "Through", "Between",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]

/// An author–year citation: group 1 is the first author's surname, group 2 the year.
let citationPattern: String = {
    let name = #"\p{Lu}[\p{L}'’\-]*\p{L}"#
    let authors = "(?<![\\p{L}'’])(\(name))(?:(?:, \(name))*,? (?:&|and) \(name)| et al\\.?)?"
    return authors + #",? \(?((?:19|20)\d{2}[a-z]?)\b\)?"#
}()

/// Every author–year citation in `body`, as (first author, year): "Nøkland 2016",
/// "Lillicrap et al. (2016)", "Hollerman & Schultz (1998)", "Werfel, Xie & Seung 2005",
/// "Frank, Loughry & O'Reilly 2001", one after another in a list separated by semicolons, and
/// years with a letter ("2016a").
private func citations(in body: String) throws -> [CitationKey] {
    let regex = try NSRegularExpression(pattern: citationPattern)
    return regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap { match in
        let surname = String(body[Range(match.range(at: 1), in: body)!])
        let year = String(body[Range(match.range(at: 2), in: body)!])
        return wordsThatAreNotAuthors.contains(surname) ? nil : CitationKey(surname: surname, year: year)
    }
}

/// The first author and year of a References entry written as
/// "Surname, I. I., Other, I. & Last, I. (2016). Title. *Journal* …", or nil when the entry
/// does not start that way.
private func referenceKey(_ entry: String) -> CitationKey? {
    guard let comma = entry.firstIndex(of: ","),
        let year = entry.range(of: #"\((19|20)\d{2}[a-z]?\)"#, options: .regularExpression)
    else { return nil }
    let surname = entry[..<comma].trimmingCharacters(in: .whitespaces)
    guard surname.range(of: #"^\p{Lu}"#, options: .regularExpression) != nil else { return nil }
    return CitationKey(surname: surname, year: String(entry[year].dropFirst().dropLast()))
}

@Suite struct ProseTests {
    @Test(arguments: bookChapters.map { $0.prose })
    func everyNamedFileExists(prose: String) throws {
        let text = try read(prose)
        let files = inlineCode(in: text).filter { $0.hasSuffix(".swift") || $0.hasSuffix(".py") }
        #expect(!files.isEmpty)
        for file in files {
            #expect(
                FileManager.default.fileExists(atPath: repository.appendingPathComponent(file).path),
                "\(prose) names \(file), which does not exist")
        }
    }

    @Test(arguments: allChapters.map { $0.prose })
    func codeMapSymbolsAreDeclaredInTheirFiles(prose: String) throws {
        let text = try read(prose)
        var rows = 0
        for line in text.split(separator: "\n") where line.hasPrefix("|") {
            let cells = inlineCode(in: line)
            guard cells.count == 2, cells[0].hasSuffix(".swift") else { continue }
            let source = try read(cells[0])
            let found = declares(source, cells[1])
            #expect(found, "\(cells[1]) is not declared in \(cells[0])")
            rows += 1
        }
        #expect(rows >= 5, "\(prose) has no code map")
    }

    @Test(arguments: bookChapters.map { $0.prose })
    func namedSymbolsExist(prose: String) throws {
        let sources = try allSources()
        // Identifiers such as `LinearTDLearner` or `LinearTDLearner.runTrial`; flags, paths and
        // formulas are other kinds of inline code.
        let symbols = inlineCode(in: try read(prose)).filter {
            $0.range(of: #"^[A-Za-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)?$"#, options: .regularExpression) != nil
                && $0.contains(where: \.isUppercase)
        }
        #expect(!symbols.isEmpty)
        for symbol in symbols {
            for part in symbol.split(separator: ".") {
                let found = declares(sources, String(part))
                #expect(found, "\(prose) names \(symbol), but \(part) is not declared")
            }
        }
    }

    @Test(arguments: bookChapters.map { $0.name })
    func everyEmbeddedFigureIsProducedAndEveryFigureEmbedded(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let text = try read(chapter.prose)
        let pattern = #"\]\(\.\./figures/([a-z0-9-]+)/([a-z0-9-]+)\.png\)"#
        let regex = try NSRegularExpression(pattern: pattern)
        let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
        let embedded = matches.map { match -> (String, String) in
            let folder = String(text[Range(match.range(at: 1), in: text)!])
            let name = String(text[Range(match.range(at: 2), in: text)!])
            return (folder, name)
        }
        let produced = chapter.figures.map(\.name)
        for (folder, name) in embedded {
            #expect(folder == chapter.name)
            #expect(produced.contains(name), "\(chapter.prose) embeds \(name), which the chapter does not make")
        }
        #expect(Set(embedded.map(\.1)) == Set(produced), "every figure should be embedded once")
    }

    @Test func readmeTableListsExactlyTheRegisteredChapters() throws {
        let readme = try read("README.md")
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains("`ch") }
        #expect(rows.count == allChapters.count)
        for chapter in allChapters {
            let row = rows.first { $0.contains("`\(chapter.executable)`") }
            #expect(row?.contains("(\(chapter.prose))") == true, "README row of \(chapter.executable)")
            #expect(row?.contains("(figures/\(chapter.name)/)") == true, "README row of \(chapter.executable)")
        }
        let synthesis = readme.split(separator: "\n").first { $0.contains("(\(SynthesisChapter.prose))") }
        #expect(synthesis?.contains("`\(SynthesisChapter.executable)`") == true, "README: no row for the synthesis")
        #expect(synthesis?.contains("(figures/\(SynthesisChapter.name)/)") == true, "README: synthesis row")
    }

    @Test(arguments: allChapters.map { $0.prose })
    func endsWithSummaryRunItWhatToLookForExercisesAndReferences(prose: String) throws {
        let text = try read(prose)
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        let tail = Array(headings.suffix(5))
        #expect(tail == ["Summary", "Run it", "What to look for", "Exercises", "References"])
        let exercises =
            (text.components(separatedBy: "## Exercises").last ?? "")
            .components(separatedBy: "## References").first ?? ""
        let numbered = exercises.split(separator: "\n").filter {
            $0.range(of: #"^\d+\. "#, options: .regularExpression) != nil
        }
        #expect(numbered.count >= 3)
    }

    /// Every author–year citation before "## References" has an entry there (same first author,
    /// same year), every entry is cited, the list is sorted by first author and holds the review.
    @Test(arguments: bookChapters.map { $0.prose })
    func citationsAndReferencesMatch(prose: String) throws {
        let (body, entries) = splitAtReferences(try read(prose))
        #expect(!entries.isEmpty, "\(prose) has no References list")
        var listed: [CitationKey] = []
        for entry in entries {
            let key = referenceKey(entry)
            #expect(key != nil, "\(prose): cannot read the first author and year of \"\(entry)\"")
            if let key { listed.append(key) }
        }
        let cited = Set(try citations(in: body))
        #expect(!cited.isEmpty, "\(prose) cites nothing")
        for key in cited.subtracting(listed).sorted() {
            Issue.record("\(prose) cites \(key), which has no entry under References")
        }
        for key in Set(listed).subtracting(cited).sorted() {
            Issue.record("\(prose) lists \(key) under References, but its text never cites it")
        }
        #expect(Set(listed).count == listed.count, "\(prose) lists a work twice")
        #expect(listed == listed.sorted(), "\(prose): References are not sorted by first author")
        #expect(
            entries.contains { $0.hasPrefix("Wang, M. B. & Halassa, M. M.") && $0.contains("Thalamocortical contribution") },
            "\(prose) does not list the review")
    }

    /// The citation reader on the forms the chapters use, and on text that only looks like one.
    @Test func citationReaderKnowsEveryForm() throws {
        let text = """
            as in Lillicrap et al. (2016) and Nøkland 2016, `code`; (Ljungberg, Apicella & \
            Schultz 1992; Schultz, Apicella & Ljungberg 1993). Hollerman & Schultz (1998) and \
            Frank, Loughry & O'Reilly 2001 and O’Reilly and Frank 2006a, Smith et al 2010b. \
            In 2016 at trial 2000 (Eq. 11, Figure 1) Chapter 4 | 2000 | MD 1.732
            """
        let found = try citations(in: text)
        let expected = [
            ("Lillicrap", "2016"), ("Nøkland", "2016"), ("Ljungberg", "1992"), ("Schultz", "1993"),
            ("Hollerman", "1998"), ("Frank", "2001"), ("O'Reilly", "2006a"), ("Smith", "2010b"),
        ].map { CitationKey(surname: $0.0, year: $0.1) }
        #expect(found == expected)
        #expect(referenceKey("Nøkland, A. (2016). Title. In *Proceedings*, 1–9.") == CitationKey(surname: "NØKLAND", year: "2016"))
        #expect(referenceKey("Bolkan, S. S. et al. (2017a). Title.") == CitationKey(surname: "bolkan", year: "2017a"))
        #expect(referenceKey("A title without authors (2017).") == nil)
        let (body, references) = splitAtReferences(
            """
            Text by Guo et
            al. (2017).

            ```sh
            echo Sutton & Barto 2018
            ```

            ## References

            - Guo, Z. V. (2017). A title
              that wraps.
            """)
        #expect(try citations(in: body) == [CitationKey(surname: "Guo", year: "2017")])
        #expect(references == ["Guo, Z. V. (2017). A title that wraps."])
    }
}

@Suite struct SchematicLegibilityTests {
    /// Every schematic figure the chapters declare, and Figure 7's two circuits (drawn beside
    /// simulated traces): no label overlaps another, no line crosses a label.
    static let schematics: [String: @Sendable () -> Figure] = Dictionary(
        uniqueKeysWithValues: bookChapters.flatMap { $0.figures }.compactMap { info in info.schematic.map { (info.name, $0) } }
    ).merging(
        ["fig7-gate-closed": { circuitFigure(open: false) }, "fig7-gate-open": { circuitFigure(open: true) }],
        uniquingKeysWith: { a, _ in a })

    /// Figure 7's circuit on a panel of the size the chapter gives it.
    static func circuitFigure(open: Bool) -> Figure {
        let frame = Figure.grid(width: 520, height: 420, rows: 2, columns: 2)[open ? 1 : 0]
        return Figure(width: 520, height: 420, panels: [Panel("A", frame: frame, content: GatingSchematics.circuit(open: open))])
    }

    @Test(arguments: schematics.keys.sorted())
    func schematicsHaveNoCollidingLabels(name: String) throws {
        let figure = Self.schematics[name]!()
        var checked = 0
        _ = try renderBytes(format: .svg, width: figure.width, height: figure.height) { context in
            for panel in figure.panels {
                guard let schematic = panel.content as? Schematic else { continue }
                let collisions = try schematic.layout(in: panel.frame, context: context).labelCollisions
                #expect(collisions.texts == 0 && collisions.lines == 0, "\(name) panel \(panel.letter ?? "?")")
                checked += 1
            }
        }
        #expect(checked == figure.panels.count)
    }
}
