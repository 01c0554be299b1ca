import Foundation
import Testing
import Cairo
@testable import Diagram
@testable import Plot

@testable import Chapters

/// The repository's top folder (this file is Tests/ChaptersTests/ProseTests.swift).
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func read(_ relative: String) throws -> String {
    try String(contentsOf: repository.appendingPathComponent(relative), encoding: .utf8)
}

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

/// Strings between backticks, outside fenced code blocks.
private func inlineCode(_ prose: String) -> [String] {
    var inFence = false
    var result: [String] = []
    for line in prose.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("```") {
            inFence.toggle()
            continue
        }
        if inFence { continue }
        let parts = line.split(separator: "`", omittingEmptySubsequences: false)
        result += stride(from: 1, to: parts.count, by: 2).map { String(parts[$0]) }
    }
    return result
}

@Suite struct ProseTests {
    @Test(arguments: allChapters.map { $0.prose })
    func everyNamedFileExists(prose: String) throws {
        let text = try read(prose)
        let files = inlineCode(text).filter { $0.hasSuffix(".swift") || $0.hasSuffix(".py") }
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
            let cells = inlineCode(String(line))
            guard cells.count == 2, cells[0].hasSuffix(".swift") else { continue }
            let source = try read(cells[0])
            let found = declares(source, cells[1])
            #expect(found, "\(cells[1]) is not declared in \(cells[0])")
            rows += 1
        }
        #expect(rows >= 5, "\(prose) has no code map")
    }

    @Test(arguments: allChapters.map { $0.prose })
    func namedSymbolsExist(prose: String) throws {
        let sources = try allSources()
        // Identifiers such as `LinearTDLearner` or `LinearTDLearner.runTrial`; flags, paths and
        // formulas are other kinds of inline code.
        let symbols = inlineCode(try read(prose)).filter {
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

    @Test(arguments: allChapters.map { $0.name })
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
    }

    @Test(arguments: allChapters.map { $0.prose })
    func endsWithRunItWhatToLookForAndExercises(prose: String) throws {
        let text = try read(prose)
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        let tail = Array(headings.suffix(3))
        #expect(tail == ["Run it", "What to look for", "Exercises"])
        let exercises = text.components(separatedBy: "## Exercises").last ?? ""
        let numbered = exercises.split(separator: "\n").filter {
            $0.range(of: #"^\d+\. "#, options: .regularExpression) != nil
        }
        #expect(numbered.count >= 3)
    }
}

@Suite struct SchematicLegibilityTests {
    /// Every schematic figure the chapters declare, and Figure 7's two circuits (drawn beside
    /// simulated traces): no label overlaps another, no line crosses a label.
    static let schematics: [String: @Sendable () -> Figure] = Dictionary(
        uniqueKeysWithValues: allChapters.flatMap { $0.figures }.compactMap { info in info.schematic.map { (info.name, $0) } }
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
