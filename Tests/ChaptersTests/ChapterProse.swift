import Foundation

/// The repository's top folder (this file is Tests/ChaptersTests/ChapterProse.swift).
let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The text of a file of the repository, e.g. `read("chapters/02-td.md")`.
func read(_ relative: String) throws -> String {
    try String(contentsOf: repository.appendingPathComponent(relative), encoding: .utf8)
}

/// Strings between backticks in Markdown `text`, outside fenced code blocks.
func inlineCode(in text: some StringProtocol) -> [String] {
    var inFence = false
    var result: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
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

/// A chapter's prose as the science tests read it, with every run of whitespace read as one
/// space, so that a number the text quotes can be checked against the run that produces it.
struct ChapterProse: Sendable {
    /// The text, whitespace collapsed.
    let text: String

    /// The prose of `chapters/<file>`.
    init(_ file: String) {
        let raw = (try? read("chapters/\(file)")) ?? ""
        text = raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether the text contains `phrase` (whitespace-insensitive).
    func says(_ phrase: String) -> Bool {
        text.contains(phrase.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }

    /// The first `columns` numbers of the table row that starts with `| label |`.
    func tableRow(_ label: String, columns: Int) -> [Double] {
        guard let start = text.range(of: "| \(label) |") else { return [] }
        let cells = text[start.upperBound...].components(separatedBy: " | ").prefix(columns)
        return cells.compactMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: " |"))) }
    }
}

/// Markdown `lines` as blocks, each joined into one line: paragraphs, list items, table rows,
/// headings and HTML comments; fenced code is left out. A reference and what follows it are
/// read together across line breaks, never across two blocks.
func proseBlocks(_ lines: some Sequence<Substring>) -> [String] {
    var blocks: [String] = []
    var current: [String] = []
    var inFence = false
    func flush() {
        if !current.isEmpty { blocks.append(current.joined(separator: " ")) }
        current = []
    }
    for line in lines {
        if line.hasPrefix("```") {
            inFence.toggle()
            flush()
            continue
        }
        if inFence { continue }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let opensBlock =
            trimmed.isEmpty || trimmed.hasPrefix("- ") || trimmed.hasPrefix("|") || trimmed.hasPrefix("#")
            || trimmed.hasPrefix("<!--") || trimmed.range(of: #"^\d+\. "#, options: .regularExpression) != nil
        if opensBlock { flush() }
        if !trimmed.isEmpty { current.append(trimmed) }
        if trimmed.hasPrefix("|") || trimmed.hasPrefix("#") || trimmed.hasSuffix("-->") { flush() }
    }
    flush()
    return blocks
}
