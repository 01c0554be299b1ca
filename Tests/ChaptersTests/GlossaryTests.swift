import Foundation
import Testing

@testable import Chapters

private let glossaryPath = "chapters/glossary.md"

/// One row of a Markdown table in the glossary: its cells by column name, the `##` section
/// and the chapter (the executable named in the nearest `###` heading, if any) it sits under.
private struct GlossaryRow: CustomStringConvertible {
    let line: Int
    let section: String
    let chapter: String?
    let cells: [String: String]

    /// The flag in the row's "flag" column, without backticks ("--alpha"), or nil for "—".
    var flag: String? {
        guard let cell = cells["flag"], let range = cell.range(of: #"--[a-z][a-z0-9-]*"#, options: .regularExpression)
        else { return nil }
        return String(cell[range])
    }

    var description: String { "\(glossaryPath):\(line)" }
}

/// The cells of a table line `| a | b |`, trimmed.
private func tableCells(_ line: Substring) -> [String] {
    var cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
    }
    cells.removeFirst()
    cells.removeLast()
    return cells
}

/// Every table row of the glossary, read with its table's header; records an issue for a row
/// whose number of cells differs from its header's (a stray `|` would shift the columns).
private func glossaryRows() throws -> [GlossaryRow] {
    let text = try String(contentsOf: repository.appendingPathComponent(glossaryPath), encoding: .utf8)
    var rows: [GlossaryRow] = []
    var section = ""
    var chapter: String?
    var header: [String]?
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if line.hasPrefix("## ") {
            section = String(line.dropFirst(3))
            chapter = nil
        } else if line.hasPrefix("### ") {
            chapter = line.range(of: #"`ch[0-9]+-[a-z]+`"#, options: .regularExpression).map {
                String(line[$0].dropFirst().dropLast())
            }
        }
        guard line.hasPrefix("|") else {
            header = nil
            continue
        }
        let cells = tableCells(line)
        guard let columns = header else {
            header = cells
            continue
        }
        if cells.allSatisfy({ $0.allSatisfy { "-:".contains($0) } }) { continue }  // the |---| line
        if cells.count != columns.count {
            Issue.record("\(glossaryPath):\(index + 1) has \(cells.count) cells, its table's header \(columns.count)")
            continue
        }
        rows.append(
            GlossaryRow(
                line: index + 1, section: section, chapter: chapter,
                cells: Dictionary(zip(columns, cells), uniquingKeysWith: { first, _ in first })))
    }
    return rows
}

/// Each declared flag of `chapter` with the symbol `--help` shows for it.
private func declaredSymbols<C: Chapter>(_ chapter: C.Type) -> [String: String] {
    Dictionary(uniqueKeysWithValues: C.Parameters.declared.map { ($0.flag, $0.symbol) })
}

/// The options every chapter takes (``CommonOptions``), as flags: `noCaptions` → `--no-captions`.
private func commonFlags() -> [String] {
    Mirror(reflecting: CommonOptions()).children.compactMap { $0.label }
        .map { $0.hasPrefix("_") ? String($0.dropFirst()) : $0 }
        .filter { $0 != "modelArguments" }  // the hidden argument that collects the model parameters
        .map { name in
            "--" + name.reduce(into: "") { kebab, c in kebab += c.isUppercase ? "-" + c.lowercased() : String(c) }
        }
}

@Suite struct GlossaryTests {
    /// The glossary's flag section lists exactly the chapter's declared flags, each with the
    /// symbol and the default `--help` shows.
    @Test(arguments: allChapters.map { $0.name })
    func flagSectionMatchesTheChaptersHelp(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let rows = try glossaryRows().filter { $0.section == "Command-line flags" && $0.chapter == chapter.executable }
        #expect(!rows.isEmpty, "\(glossaryPath) has no flag table for \(chapter.executable)")
        let defaults = chapter.declaredDefaults
        let symbols = declaredSymbols(chapter)
        let listed = rows.compactMap(\.flag)
        #expect(Set(listed).count == listed.count, "a flag of \(chapter.executable) is listed twice: \(listed)")
        for flag in chapter.declaredFlags.map(\.0) where !listed.contains(flag) {
            Issue.record("\(glossaryPath) does not list \(flag) of \(chapter.executable) under Command-line flags")
        }
        for row in rows {
            guard let flag = row.flag, let expected = defaults[flag], let symbol = symbols[flag] else {
                Issue.record("\(row) lists \(row.flag ?? "no flag") for \(chapter.executable), which does not declare it")
                continue
            }
            #expect(row.cells["default"] == expected, "\(row): \(flag) of \(chapter.executable) defaults to \(expected)")
            let cell = row.cells["symbol"] ?? ""
            #expect(cell == symbol || cell.hasPrefix(symbol + " ["), "\(row): \(flag) has the symbol \(symbol) in --help")
        }
    }

    /// No two flags of one chapter show the same symbol in `--help` (where a chapter's models
    /// reuse a letter, the flags carry the glossary's disambiguated names).
    @Test(arguments: allChapters.map { $0.name })
    func noTwoFlagsOfAChapterShareASymbol(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let symbols = declaredSymbols(chapter)
        for (symbol, flags) in Dictionary(grouping: symbols.keys.sorted(), by: { symbols[$0]! }) where flags.count > 1 {
            Issue.record("\(chapter.executable) --help shows \(symbol) for \(flags.joined(separator: " and "))")
        }
    }

    /// A symbol's row that names a flag states the default `--help` shows, under the chapter
    /// that declares the flag.
    @Test func symbolRowsStateTheirFlagsDefaults() throws {
        let rows = try glossaryRows().filter { $0.section == "Symbols by chapter" && $0.flag != nil }
        #expect(rows.count >= 50)
        for row in rows {
            guard let executable = row.chapter, let chapter = allChapters.first(where: { $0.executable == executable }) else {
                Issue.record("\(row) names a flag outside a chapter's table")
                continue
            }
            let flag = try #require(row.flag)
            let expected = chapter.declaredDefaults[flag]
            #expect(expected != nil, "\(row): \(executable) has no \(flag)")
            #expect(row.cells["default"] == expected, "\(row): \(flag) of \(executable) defaults to \(expected ?? "?")")
        }
    }

    /// The options every chapter takes (and `--help`) are in the flag section too.
    @Test func commonOptionsAreListed() throws {
        let listed = Set(try glossaryRows().filter { $0.section == "Command-line flags" && $0.chapter == nil }.compactMap(\.flag))
        let common = commonFlags()
        #expect(common.contains("--no-captions") && common.contains("--out"), "CommonOptions read as \(common)")
        for flag in common + ["--help"] {
            #expect(listed.contains(flag), "\(glossaryPath) does not list the common option \(flag)")
        }
    }

    @Test func readmeLinksTheGlossary() throws {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("(\(glossaryPath))"))
    }
}
