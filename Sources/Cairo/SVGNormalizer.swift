/// Cairo numbers SVG ids (`surface5`, `clip3`, `glyph0-2`, ...) with counters that live
/// as long as the process, so the same figure drawn second differs from the same figure
/// drawn first. This renumbers every id, per kind, in order of first appearance.
enum SVGNormalizer {
    /// The id kinds cairo 1.16 writes.
    private static let kinds: Set<[UInt8]> = Set(
        [
            "surface", "clip", "glyph", "pattern", "image", "linear", "radial", "mask", "source",
            "filter",
        ].map { Array($0.utf8) })

    /// The three ways an id appears: id="X", href="#X" and url(#X).
    private static let leads = ["id=\"", "href=\"#", "url(#"].map { Array($0.utf8) }

    /// Every `lead kind number` (number: digits, optionally `-digits`) with a known kind becomes
    /// `lead kind-nK`, K counting that kind's distinct ids in order of first appearance; all other
    /// bytes are copied. One pass over the bytes.
    static func renumberIDs(_ bytes: [UInt8]) -> [UInt8] {
        var names: [[UInt8]: [UInt8]] = [:]
        var counters: [[UInt8]: Int] = [:]
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard let lead = leads.first(where: { bytes[i...].starts(with: $0) }) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let kindStart = i + lead.count
            let kindEnd = end(of: isLowercase, in: bytes, from: kindStart)
            var numberEnd = end(of: isDigit, in: bytes, from: kindEnd)
            if numberEnd < bytes.count - 1 && bytes[numberEnd] == UInt8(ascii: "-") && isDigit(bytes[numberEnd + 1]) {
                numberEnd = end(of: isDigit, in: bytes, from: numberEnd + 1)
            }
            let kind = Array(bytes[kindStart..<kindEnd])
            guard kindEnd > kindStart, numberEnd > kindEnd, kinds.contains(kind) else {
                out += lead
                i = kindStart
                continue
            }
            let old = Array(bytes[kindStart..<numberEnd])
            let new: [UInt8]
            if let known = names[old] {
                new = known
            } else {
                let index = counters[kind, default: 0]
                counters[kind] = index + 1
                new = kind + Array("-n\(index)".utf8)
                names[old] = new
            }
            out += lead
            out += new
            i = numberEnd
        }
        return out
    }

    private static func isLowercase(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// The first index at or after `start` whose byte fails `test` (or the end).
    private static func end(of test: (UInt8) -> Bool, in bytes: [UInt8], from start: Int) -> Int {
        var k = start
        while k < bytes.count && test(bytes[k]) { k += 1 }
        return k
    }
}
