// Every curve behind a figure can also be written as CSV. The text is built
// here (the CLI writes it atomically); numbers are formatted by our own code,
// independent of locale, so the same run gives the same bytes every time.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One cell of a CSV row.
public enum CSVCell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral
{
    /// Text, quoted if it contains a comma, quote or line break (RFC 4180).
    case text(String)
    /// An integer, printed in full.
    case int(Int)
    /// A real number, printed by ``CSVTable/format(_:)``.
    case number(Double)

    /// A text cell.
    public init(stringLiteral value: String) { self = .text(value) }
    /// An integer cell.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A number cell.
    public init(floatLiteral value: Double) { self = .number(value) }

    /// The cell as it appears in the CSV text.
    var rendered: String {
        switch self {
        case .int(let i): return String(i)
        case .number(let x): return CSVTable.format(x)
        case .text(let s):
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
            }
            return s
        }
    }
}

/// A CSV table: a header row and data rows, rendered as text with `\n` line
/// endings and a final newline.
public struct CSVTable: Sendable, Equatable {
    /// Column names.
    let header: [String]
    /// Rendered data rows (each as long as the header).
    private(set) var rows: [[String]]

    /// An empty table with the given column names.
    public init(header: [String]) {
        self.header = header
        rows = []
    }

    /// Appends a row; it must have one cell per column.
    public mutating func append(_ cells: [CSVCell]) {
        precondition(cells.count == header.count, "CSV row has \(cells.count) cells, header has \(header.count)")
        rows.append(cells.map(\.rendered))
    }

    /// Appends every row of `other`, which must have the same header.
    mutating func append(contentsOf other: CSVTable) {
        precondition(other.header == header, "CSV headers differ: \(other.header) vs \(header)")
        rows.append(contentsOf: other.rows)
    }

    /// The whole table as CSV text.
    public var text: String {
        var out = header.map { CSVCell.text($0).rendered }.joined(separator: ",") + "\n"
        for r in rows { out += r.joined(separator: ",") + "\n" }
        return out
    }

    /// Formats `x` with at most 10 significant digits, like C's `%.10g` in the
    /// "C" locale but computed here: trailing zeros dropped, plain notation for
    /// decimal exponents −4…9, otherwise `d.ddde±XX`; `nan`, `inf`, `-inf`;
    /// −0 prints as `0`. Examples: 0.1 → `0.1`, 1/3 → `0.3333333333`,
    /// 2 → `2`, 1.5e−7 → `1.5e-07`, 12345678901 → `1.23456789e+10`.
    public static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return "0" }
        let digits = 10
        let negative = x < 0
        let a = Swift.abs(x)
        var e = Int(log10(a).rounded(.down))
        var m = scaledMantissa(a, exponent: e, digits: digits)
        if m < pow10(digits - 1) {
            e -= 1
            m = scaledMantissa(a, exponent: e, digits: digits)
        }
        if m >= pow10(digits) {
            e += 1
            m = scaledMantissa(a, exponent: e, digits: digits)
            if m >= pow10(digits) { m = pow10(digits - 1) }
        }
        var d = String(UInt64(m))
        while d.count > 1 && d.hasSuffix("0") { d.removeLast() }
        var body: String
        if e < -4 || e >= digits {
            body = String(d.first!)
            if d.count > 1 { body += "." + d.dropFirst() }
            let ae = Swift.abs(e)
            body += "e" + (e < 0 ? "-" : "+") + (ae < 10 ? "0" : "") + String(ae)
        } else if e >= 0 {
            if d.count <= e + 1 {
                body = d + String(repeating: "0", count: e + 1 - d.count)
            } else {
                let cut = d.index(d.startIndex, offsetBy: e + 1)
                body = String(d[..<cut]) + "." + String(d[cut...])
            }
        } else {
            body = "0." + String(repeating: "0", count: -e - 1) + d
        }
        return negative ? "-" + body : body
    }

    /// round(a · 10^(digits − 1 − e)), scaling in steps that stay within range.
    private static func scaledMantissa(_ a: Double, exponent e: Int, digits: Int) -> Double {
        var k = digits - 1 - e  // multiply a by 10^k
        var v = a
        while k > 0 {
            let s = Swift.min(k, 22)
            v *= pow10(s)
            k -= s
        }
        while k < 0 {
            let s = Swift.min(-k, 22)
            v /= pow10(s)
            k += s
        }
        return v.rounded()
    }

    /// 10^n for 0 ≤ n ≤ 22 (exact in binary64).
    private static func pow10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }
}

extension String {
    /// Replaces every occurrence of `target` with `replacement` (no Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
