import Foundation

/// Paths inside the repository and inside the book, both written relative to their top folder
/// with "/" between parts ("chapters/02-td.md", "source/Sources/Chapters/Registry.swift.html").
enum Paths {
    /// `target` as written in a file at `file` (e.g. "../figures/td/x.png" in
    /// "chapters/02-td.md"), resolved to a path from the top folder ("figures/td/x.png"), or nil
    /// when it climbs out of the top folder.
    static func resolve(_ target: String, from file: String) -> String? {
        var parts = file.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// The relative reference from the page at `page` to the file at `target`, both from the
    /// book's top folder: from "solutions/a.html" to "figures/x.svg" is "../figures/x.svg".
    static func relative(from page: String, to target: String) -> String {
        let from = page.split(separator: "/").dropLast()
        let to = target.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
        let up = Array(repeating: "..", count: from.count - common)
        return (up + to[common...].map(String.init)).joined(separator: "/")
    }

    /// `target` split at its first "#": the path and the fragment (nil without one).
    static func splitFragment(_ target: String) -> (path: String, fragment: String?) {
        guard let hash = target.firstIndex(of: "#") else { return (target, nil) }
        return (String(target[..<hash]), String(target[target.index(after: hash)...]))
    }

    /// Whether `target` names a scheme ("https:", "mailto:"), i.e. points outside the book.
    static func hasScheme(_ target: String) -> Bool {
        target.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*:"#, options: .regularExpression) != nil
    }
}

/// Text made safe for XHTML: in element content and in attribute values between double quotes.
func escapeXML(_ text: some StringProtocol) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        default: result.append(character)
        }
    }
    return result
}

/// The text of Ink's HTML output back as plain text: tags dropped, the entities Ink writes
/// (and `&quot;`) decoded.
func plainText(fromHTML html: String) -> String {
    html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
}
