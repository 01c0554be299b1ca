/// Cairo numbers SVG ids (`surface5`, `clip3`, `glyph0-2`, ...) with counters that live
/// as long as the process, so the same figure drawn second differs from the same figure
/// drawn first. This renumbers every id, per kind, in order of first appearance.
enum SVGNormalizer {
    /// The id kinds cairo 1.16 writes.
    private static let kinds = [
        "surface", "clip", "glyph", "pattern", "image", "linear", "radial", "mask", "source",
        "filter",
    ]

    static func renumberIDs(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        // An id appears as id="X", href="#X" or url(#X).
        let reference = /(id="|href="#|url\(#)([a-z]+)(\d+(?:-\d+)?)/
        var names: [String: String] = [:]
        var counters: [String: Int] = [:]
        let result = text.replacing(reference) { match -> String in
            let (_, lead, kind, number) = match.output
            guard kinds.contains(String(kind)) else { return String(match.output.0) }
            let old = "\(kind)\(number)"
            if let new = names[old] { return "\(lead)\(new)" }
            let index = counters[String(kind), default: 0]
            counters[String(kind)] = index + 1
            let new = "\(kind)-n\(index)"
            names[old] = new
            return "\(lead)\(new)"
        }
        return Array(result.utf8)
    }
}
