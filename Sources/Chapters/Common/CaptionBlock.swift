import Foundation

/// A figure's caption has one source, the code that draws the figure. The figure writer sets
/// it under the panels of the PNG and SVG, writes it beside them as `<name>.caption.txt` (for
/// the book), and a run at the default parameters copies it into the chapter's prose between
/// two markers:
///
///     <!-- caption rpe-transfer: written by ch2-td from the figure's code; edit the code, not this text -->
///     *Figure `rpe-transfer`.* The caption, wrapped …
///     <!-- end caption -->
///
/// A test checks that every block equals the committed caption file, so the text beside a
/// figure cannot disagree with the figure.
package enum CaptionBlock {
    static let endMarker = "<!-- end caption -->"
    static let beginPrefix = "<!-- caption "
    /// The longest line of a block's body, so the Markdown source stays readable in a diff.
    static let width = 100

    /// The block for figure `name` of the chapter run by `executable`, markers included.
    package static func markdown(name: String, caption: String, executable: String) -> String {
        let body = wrap("*Figure `\(name)`.* " + markdownText(caption), width: width)
        return ([begin(name, executable: executable)] + body + [endMarker]).joined(separator: "\n")
    }

    /// The opening marker of figure `name`'s block.
    static func begin(_ name: String, executable: String) -> String {
        "\(beginPrefix)\(name): written by \(executable) from the figure's code; edit the code, not this text -->"
    }

    /// The figure names of the blocks in `text`, in order, with the block's full text.
    package static func blocks(in text: String) -> [(name: String, block: String)] {
        var found: [(String, String)] = []
        var rest = text[...]
        while let start = rest.range(of: beginPrefix) {
            guard let end = rest[start.upperBound...].range(of: endMarker) else { break }
            let opening = rest[start.upperBound...].prefix { $0 != ":" && $0 != " " && $0 != "\n" }
            found.append((String(opening), String(rest[start.lowerBound..<end.upperBound])))
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// `text` with the block of every figure in `captions` replaced by the block of its caption;
    /// also the names whose block changed. Blocks of other figures are left as they are.
    package static func sync(_ text: String, captions: [String: String], executable: String) -> (
        text: String, updated: [String]
    ) {
        var result = text
        var updated: [String] = []
        for (name, block) in blocks(in: text) {
            guard let caption = captions[name] else { continue }
            let fresh = markdown(name: name, caption: caption, executable: executable)
            if fresh != block {
                result = result.replacingOccurrences(of: block, with: fresh)
                updated.append(name)
            }
        }
        return (result, updated)
    }

    /// Greedy word wrap at `width` characters. A word that Markdown would read as the start of a
    /// list, heading, quote or table at the beginning of a line stays on the line before.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty && line.count + 1 + word.count > width && !opensBlock(word) {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Whether `word` at the start of a line would open a Markdown block (`- x`, `1. x`, `# x`, …).
    static func opensBlock(_ word: Substring) -> Bool {
        guard let first = word.first else { return false }
        if "-+*#>|=".contains(first) { return true }
        let digits = word.prefix { $0.isASCII && $0.isNumber }
        return !digits.isEmpty && [".", ")"].contains(word.dropFirst(digits.count).first)
    }

    /// A caption's ``RichText`` markup as the chapters write it in Markdown: `s_{t}` → `s_t`,
    /// `τ_{eff}` → `τ_eff`, `J_{1}` → `J₁`, `10^{−4}` → `10⁻⁴`, `\_` → `_`; a script that has no
    /// Unicode form and is not one word keeps its group in parentheses (`x^(a b)`).
    package static func markdownText(_ caption: String) -> String {
        var out = ""
        var chars = caption[...]
        while let c = chars.popFirst() {
            if c == "\\", let next = chars.first, next == "_" || next == "^" {
                out.append(chars.removeFirst())
            } else if c == "_" || c == "^", chars.first == "{", let close = chars.firstIndex(of: "}") {
                let group = String(chars[chars.index(after: chars.startIndex)..<close])
                chars = chars[chars.index(after: close)...]
                out += script(group, raised: c == "^")
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// One sub- or superscript group: Unicode where every character has a form (numbers, signs,
    /// and raised letters), `_word` for a lowered word, else the group in parentheses.
    static func script(_ group: String, raised: Bool) -> String {
        let table = raised ? superscripts : subscripts
        let mapped = group.compactMap { table[$0] }
        let isNumeric = group.allSatisfy { $0.isNumber || "+−-=()".contains($0) }
        if mapped.count == group.count && (raised || isNumeric) { return String(mapped) }
        let mark = raised ? "^" : "_"
        return group.allSatisfy { $0.isLetter || $0.isNumber } ? mark + group : "\(mark)(\(group))"
    }

    static let subscripts: [Character: Character] = Dictionary(
        uniqueKeysWithValues: zip("0123456789+−-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎"))
    static let superscripts: [Character: Character] = Dictionary(
        uniqueKeysWithValues: zip("0123456789+−-=()nij", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱʲ"))
}
