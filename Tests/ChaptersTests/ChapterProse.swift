import Foundation

/// A chapter's prose as the science tests read it, with every run of whitespace read as one
/// space, so that a number the text quotes can be checked against the run that produces it.
struct ChapterProse: Sendable {
    /// The text, whitespace collapsed.
    let text: String

    /// The prose of `chapters/<file>`.
    init(_ file: String) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("chapters/\(file)")
        let raw = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
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
