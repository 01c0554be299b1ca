import Foundation

/// One number a solution states: what it is, the value a student should find, and where the
/// toolkit's run shows it (a row of the solution's "quantity | expected | measured from" table).
package struct SolutionCheck: Sendable {
    package let quantity: String
    package let expected: Expectation
    package let source: Source
    package let place: SolutionPlace

    /// What a measured value must satisfy.
    package enum Expectation: Sendable, Equatable, CustomStringConvertible {
        case within(Double, tolerance: Double)
        case atMost(Double)
        case atLeast(Double)

        /// Whether `x` is what the solution states.
        package func accepts(_ x: Double) -> Bool {
            guard x.isFinite else { return false }
            switch self {
            case .within(let v, let t): return abs(x - v) <= t * (1 + 1e-9)
            case .atMost(let v): return x <= v
            case .atLeast(let v): return x >= v
            }
        }

        package var description: String {
            switch self {
            case .within(let v, let t): "\(v.compact) ± \(t.compact)"
            case .atMost(let v): "≤ \(v.compact)"
            case .atLeast(let v): "≥ \(v.compact)"
            }
        }
    }

    /// How the rows that match a check's filters become one number.
    package enum Reduction: Sendable, Equatable {
        case mean, median, min, max, sum, count, sd, first, last
        /// The value of `column` in the first row (in file order) whose measured column is at
        /// least (or at most) `threshold`: e.g. the trial at which a curve first reaches 0.5.
        case firstReaching(column: String, atLeast: Bool, threshold: Double)
    }

    /// Where a stated number comes from.
    package enum Source: Sendable, Equatable {
        /// A column of a CSV file of one of the exercise's runs.
        case file(run: String, file: String, column: String, filters: [Filter], reduction: Reduction)
        /// A test that makes the code edit the exercise asks for and checks the number.
        case test(suite: String, name: String)
    }

    /// `key=value`: only rows whose `key` column reads `value`.
    package struct Filter: Sendable, Equatable {
        package let column: String
        package let value: String
    }

    /// Parses a table row; nil for a row that is not a check (the header, the separator: their
    /// last cell has no code span). A row whose last cell has one must parse.
    package init?(row: String, place: SolutionPlace) throws(SolutionFormatError) {
        let cells = row.trimmingCharacters(in: .whitespaces).split(separator: "|", omittingEmptySubsequences: false)
            .dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        guard let last = cells.last, last.contains("`") else { return nil }
        guard cells.count == 3 else {
            throw SolutionFormatError(place, "a check row has three cells: quantity | expected | measured from")
        }
        guard let expected = SolutionCheck.expectation(cells[1]) else {
            throw SolutionFormatError(place, "expected '\(cells[1])': write 'v ± t', '≤ v' or '≥ v'")
        }
        do {
            source = try SolutionCheck.source(last)
        } catch {
            throw SolutionFormatError(place, "measured from '\(last)': \(error.reason)")
        }
        quantity = cells[0]
        self.expected = expected
        self.place = place
    }

    /// `0.35 ± 0.01`, `≤ 0.05`, `≥ 0.9`.
    static func expectation(_ text: String) -> Expectation? {
        let parts = text.components(separatedBy: "±")
        if parts.count == 2, let v = number(parts[0]), let t = number(parts[1]), t >= 0 { return .within(v, tolerance: t) }
        if text.hasPrefix("≤"), let v = number(String(text.dropFirst())) { return .atMost(v) }
        if text.hasPrefix("≥"), let v = number(String(text.dropFirst())) { return .atLeast(v) }
        return nil
    }

    /// A number as the chapters write it: `0.349`, `−1.00` (a true minus), `1.2e-5`,
    /// `1.22 × 10⁻⁵`, `51×`.
    static func number(_ text: String) -> Double? {
        var s = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
        if s.hasSuffix("×") { s.removeLast() }
        let power = s.components(separatedBy: "× 10")
        if power.count == 2, let mantissa = Double(power[0].trimmingCharacters(in: .whitespaces)) {
            let digits: [Character: Character] = [
                "⁻": "-", "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
            ]
            let exponent = String(power[1].trimmingCharacters(in: .whitespaces).compactMap { digits[$0] })
            guard let e = Double(exponent) else { return nil }
            return mantissa * pow(10, e)
        }
        return Double(s.trimmingCharacters(in: .whitespaces))
    }

    struct SourceError: Error { let reason: String }

    /// `` `run/file.csv`: `column` where `k=v`, `k=v`; reduction `` or `` test `Suite/name` ``.
    static func source(_ text: String) throws(SourceError) -> Source {
        let pieces = text.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
        let code = stride(from: 1, to: pieces.count, by: 2).map { pieces[$0] }
        guard pieces.count % 2 == 1, let first = code.first else { throw SourceError(reason: "unbalanced backticks") }
        if pieces[0].trimmingCharacters(in: .whitespaces) == "test" {
            let parts = first.split(separator: "/").map(String.init)
            guard parts.count == 2, code.count == 1 else { throw SourceError(reason: "write test `Suite/testName`") }
            return .test(suite: parts[0], name: parts[1])
        }
        let path = first.split(separator: "/").map(String.init)
        guard path.count == 2, path[1].hasSuffix(".csv"), code.count >= 2 else {
            throw SourceError(reason: "write `run/file.csv`: `column`, then optional `key=value` filters and '; reduction'")
        }
        let (before, after) = split(text, atLast: ";")
        // Before the reduction: exactly `run/file.csv`: `column`, then optionally
        // where `key=value`, `key=value`, … — anything else (a filter without its backticks, a
        // stray code span, "and") is an error, not a filter silently left out.
        let filterSpans = /`([^`=]+)=([^`]*)`/
        let whole = /\s*`[^`]+`:\s*`[^`]+`(?:\s+where\s+`[^`=]+=[^`]*`(?:\s*,\s*`[^`=]+=[^`]*`)*)?\s*/
        guard before.wholeMatch(of: whole) != nil else {
            throw SourceError(reason: "write `run/file.csv`: `column` where `key=value`, `key=value`; reduction")
        }
        let filters = before.matches(of: filterSpans).map {
            Filter(column: String($0.output.1), value: String($0.output.2))
        }
        return .file(run: path[0], file: path[1], column: code[1], filters: filters, reduction: try reduction(after))
    }

    /// `text` cut at the last `separator` outside code spans (the part after is empty if none).
    private static func split(_ text: String, atLast separator: Character) -> (String, String) {
        var inCode = false
        var cut: String.Index?
        for i in text.indices {
            if text[i] == "`" { inCode.toggle() }
            if text[i] == separator && !inCode { cut = i }
        }
        guard let cut else { return (text, "") }
        return (String(text[..<cut]), String(text[text.index(after: cut)...]))
    }

    private static func reduction(_ text: String) throws(SourceError) -> Reduction {
        let t = text.trimmingCharacters(in: .whitespaces)
        let simple: [String: Reduction] = [
            "": .mean, "mean": .mean, "median": .median, "min": .min, "max": .max, "sum": .sum, "count": .count, "sd": .sd,
            "first": .first, "last": .last,
        ]
        if let r = simple[t] { return r }
        // first `trial` with ≥ 0.5
        let pieces = t.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
        if pieces.count == 3, pieces[0] == "first ", pieces[2].hasPrefix(" with ") {
            let condition = pieces[2].dropFirst(" with ".count).trimmingCharacters(in: .whitespaces)
            if let bound = expectation(condition) {
                switch bound {
                case .atLeast(let v): return .firstReaching(column: pieces[1], atLeast: true, threshold: v)
                case .atMost(let v): return .firstReaching(column: pieces[1], atLeast: false, threshold: v)
                case .within: break
                }
            }
        }
        throw SourceError(
            reason: "unknown reduction '\(t)': mean, median, min, max, sum, count, sd, first, last or first `column` with ≥ v / ≤ v")
    }
}
