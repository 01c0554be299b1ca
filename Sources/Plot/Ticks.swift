#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an axis maps data to position: evenly (linear) or by decades (log10).
public enum AxisScale: Sendable, Equatable {
    /// Equal distances for equal differences.
    case linear
    /// Base-10 logarithmic; only positive values are shown.
    case log

    /// The value in the scale's working space (`log10` for `.log`; NaN for non-positive values on a log scale).
    func transform(_ v: Double) -> Double {
        switch self {
        case .linear: v
        case .log: v > 0 ? _log10(v) : .nan
        }
    }

    /// The inverse of ``transform(_:)``.
    func inverse(_ t: Double) -> Double {
        switch self {
        case .linear: t
        case .log: _pow10(t)
        }
    }
}

/// Tick positions and their labels for one axis: "nice" steps of 1, 2, 2.5 or 5 × 10^k
/// (after Heckbert, *Graphics Gems*, 1990) on linear axes, whole decades on log axes.
///
/// Labels are exact decimals built from integers (no float noise, never "-0"), use the
/// typographic minus sign "−", share one number of decimals per axis ("0.0, 0.5, 1.0"),
/// and switch to powers of ten written in `RichText` markup ("2.5×10^{−9}", "10^{6}")
/// when plain decimals would be long (|value| ≥ 10⁵ or steps below 10⁻⁴).
public struct NiceTicks: Equatable, Sendable {
    /// Tick positions, ascending.
    public let values: [Double]
    /// One label per value, in `RichText` markup (draw with `Context.drawText`).
    public let labels: [String]
    /// Unlabelled minor ticks (2…9 × 10^k between decades on log axes; empty on linear axes).
    public let minor: [Double]
    /// Distance between ticks: in data units (linear) or in decades (log).
    public let step: Double
    /// The axis limits the ticks were made for: the first and last tick for covering ticks,
    /// the given range for ticks made strictly inside a fixed range.
    public let lower: Double
    /// See ``lower``.
    public let upper: Double
    /// The scale the ticks belong to.
    public let scale: AxisScale

    /// The minus sign used in labels (U+2212, as typeset, not the hyphen).
    static let minus = "\u{2212}"

    /// Memberwise, for custom ticks (e.g. category labels under bars).
    public init(
        values: [Double], labels: [String], minor: [Double] = [], step: Double, lower: Double, upper: Double,
        scale: AxisScale = .linear
    ) {
        precondition(values.count == labels.count, "NiceTicks: one label per value")
        self.values = values
        self.labels = labels
        self.minor = minor
        self.step = step
        self.lower = lower
        self.upper = upper
        self.scale = scale
    }

    /// Linear ticks that cover `min…max` (the first tick ≤ min, the last ≥ max) with at most
    /// `maxCount` ticks (at least 3 are allowed, since a range across zero needs them).
    /// Reversed input is swapped; a single value gets a padded range (5 → 4…6, 0 → −1…1);
    /// non-finite input falls back to 0…1.
    public init(min: Double, max: Double, maxCount: Int = 7) {
        let (lo, hi) = NiceTicks.sanitize(min, max)
        let count = Swift.max(3, maxCount)
        let step = DecimalStep.smallest(lo: lo, hi: hi) { $0.coveringIndices(lo: lo, hi: hi).count <= count }
        self.init(decimalStep: step, indices: step.coveringIndices(lo: lo, hi: hi), limits: nil)
    }

    /// Linear ticks strictly inside a fixed range `min…max` (limits stay exactly there),
    /// at least 2 where possible and at most `maxCount`.
    static func inside(min: Double, max: Double, maxCount: Int = 7) -> NiceTicks {
        let (lo, hi) = sanitize(min, max)
        let count = Swift.max(2, maxCount)
        let step = DecimalStep.smallest(lo: lo, hi: hi) { $0.insideCount(lo: lo, hi: hi) <= count }
        return NiceTicks(decimalStep: step, indices: step.insideIndices(lo: lo, hi: hi), limits: (lo, hi))
    }

    /// Decade ticks (…, 10^{−1}, 10^{0}, 10^{1}, …, always written as powers of ten) covering a positive range `min…max`; every second or
    /// third decade when there are more than `maxCount`. Non-positive values are ignored
    /// (an all-non-positive range falls back to 1…10). Minor ticks mark 2…9 × 10^k.
    static func logarithmic(min: Double, max: Double, maxCount: Int = 7) -> NiceTicks {
        let positive = [min, max].filter { $0.isFinite && $0 > 0 }
        let lo = positive.min() ?? 1
        let hi = positive.max() ?? 10
        var dlo = Int((_log10(lo) + 1e-9).rounded(.down))
        var dhi = Int((_log10(hi) - 1e-9).rounded(.up))
        if dhi <= dlo {  // a single exact decade (e.g. 10…10): one decade either side
            dlo -= 1
            dhi += 1
        }
        let count = Swift.max(2, maxCount)
        var stride = Swift.max(1, Int((Double(dhi - dlo) / Double(count - 1)).rounded(.up)))
        // Every stride-th decade, aligned to multiples of the stride (…, 10⁻⁶, 10⁻³, 1, …).
        func aligned(_ s: Int) -> (Int, Int) {
            (Int((Double(dlo) / Double(s)).rounded(.down)) * s, Int((Double(dhi) / Double(s)).rounded(.up)) * s)
        }
        while (aligned(stride).1 - aligned(stride).0) / stride + 1 > count { stride += 1 }
        (dlo, dhi) = aligned(stride)
        let exponents = Array(Swift.stride(from: dlo, through: dhi, by: stride))
        let values = exponents.map { exactDecimal(1, exponent: $0) }
        // One rule for every log axis: decades are written as powers of ten (10^{−3} … 10^{4}),
        // whatever their range, so neighbouring panels and figures read alike.
        let labels = exponents.map { "10^{\(signed($0))}" }
        var minor: [Double] = []
        if stride == 1 {
            for k in dlo..<dhi { for m in 2...9 { minor.append(exactDecimal(Int64(m), exponent: k)) } }
        }
        return NiceTicks(
            values: values, labels: labels, minor: minor, step: Double(stride), lower: values.first!,
            upper: values.last!, scale: .log)
    }

    /// Log ticks strictly inside a fixed positive range `min…max` (limits stay exactly there):
    /// the decades inside it, or, when fewer than two decades fall inside, 1-2-5 × 10^k
    /// (then every m × 10^k) so that at least two ticks are labelled where possible.
    static func logarithmicInside(min: Double, max: Double, maxCount: Int = 7) -> NiceTicks {
        let positive = [min, max].filter { $0.isFinite && $0 > 0 }
        guard let lo = positive.min(), let hi = positive.max(), hi > lo else {
            return logarithmic(min: min, max: max, maxCount: maxCount)
        }
        let dlo = Int((_log10(lo) - 1e-9).rounded(.up))
        let dhi = Int((_log10(hi) + 1e-9).rounded(.down))
        if dhi - dlo >= 1 {
            let t = logarithmic(min: exactDecimal(1, exponent: dlo), max: exactDecimal(1, exponent: dhi), maxCount: maxCount)
            let keep = t.values.indices.filter { t.values[$0] >= lo * (1 - 1e-9) && t.values[$0] <= hi * (1 + 1e-9) }
            return NiceTicks(
                values: keep.map { t.values[$0] }, labels: keep.map { t.labels[$0] },
                minor: t.minor.filter { $0 >= lo && $0 <= hi }, step: t.step, lower: lo, upper: hi, scale: .log)
        }
        var chosen: [(Int64, Int)] = []
        for mantissas: [Int64] in [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
            chosen = []
            for k in (dlo - 1)...(dhi + 1) {
                for m in mantissas {
                    let v = exactDecimal(m, exponent: k)
                    if v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) { chosen.append((m, k)) }
                }
            }
            if chosen.count >= 2 { break }
        }
        if chosen.count > Swift.max(2, maxCount) {
            let every = Int((Double(chosen.count) / Double(Swift.max(2, maxCount))).rounded(.up))
            chosen = chosen.enumerated().filter { $0.offset % every == 0 }.map(\.element)
        }
        let plain = chosen.allSatisfy { (-3...4).contains($0.1) }
        return NiceTicks(
            values: chosen.map { exactDecimal($0.0, exponent: $0.1) },
            labels: chosen.map { m, k in
                plain
                    ? formatPlain(m, exponent: k, decimals: Swift.max(0, -k))
                    : (m == 1 ? "10^{\(signed(k))}" : "\(m)×10^{\(signed(k))}")
            }, step: 0, lower: lo, upper: hi, scale: .log)
    }

    /// The label ``NiceTicks`` would give `value` on an axis with tick spacing `step`
    /// (e.g. `label(0.30000000000000004, step: 0.1)` is "0.3"): the value itself, rounded to the
    /// step's last digit (so a step that is not 1, 2, 2.5 or 5 × 10^k, e.g. 30, labels 90 as "90").
    public static func label(for value: Double, step: Double) -> String {
        let s = DecimalStep.nearest(to: abs(step))
        let n = (value / exactDecimal(1, exponent: s.exponent)).rounded()
        guard abs(n) < 9e15 else { return "\(value)" }
        let integer = Int64(n)
        return LabelStyle(step: s, integers: [integer]).format(integer, exponent: s.exponent)
    }

    /// Even ticks from `lower` to `upper` at multiples of one nice step (1, 2, 2.5 or 5 × 10^k)
    /// with at most `maxIntervals` intervals; a step that ends exactly at `upper` is preferred
    /// (0…3000 reads 0, 1000, 2000, 3000; 0…500 reads 0, 250, 500). The limits are `lower…upper`.
    public static func even(from lower: Double, to upper: Double, maxIntervals: Int = 4) -> NiceTicks {
        let (lo, hi) = sanitize(lower, upper)
        let span = hi - lo
        let intervals = Double(Swift.max(1, maxIntervals))
        let base = Int(_log10(span).rounded(.down)) - 1
        let candidates = (base...(base + 3)).flatMap { e in
            DecimalStep.mantissas.map { DecimalStep(mantissa: $0, exponent: e - 1) }
        }
        let fits = candidates.filter { span / $0.value <= intervals + 1e-9 }
        let exact = fits.first { abs((span / $0.value).rounded() - span / $0.value) < 1e-9 }
        guard let step = exact ?? fits.first else { return inside(min: lo, max: hi, maxCount: 2) }
        let first = (lo / step.value - 1e-9).rounded(.up)
        let count = Int(((hi - lo) / step.value + 1e-9).rounded(.down))
        let integers = (0...count).map { (Int64(first) + Int64($0)) * step.mantissa }
        let style = LabelStyle(step: step, integers: integers)
        let values = integers.map { exactDecimal($0, exponent: step.exponent) }.filter { $0 <= hi + 1e-9 * span }
        return NiceTicks(
            values: values, labels: values.indices.map { style.format(integers[$0], exponent: step.exponent) },
            step: step.value, lower: lo, upper: hi)
    }

    /// Ticks at the centres 0, 1, …, n − 1 of the n cells of a heatmap (drawn over −0.5…n − 0.5),
    /// labelled with `labels` (one per cell); with `labelEvery` = k only every k-th cell is labelled
    /// and the others get minor ticks.
    public static func cellCentres(_ labels: [String], labelEvery: Int = 1) -> NiceTicks {
        let every = Swift.max(1, labelEvery)
        let major = labels.indices.filter { $0 % every == 0 }
        return NiceTicks(
            values: major.map(Double.init), labels: major.map { labels[$0] },
            minor: labels.indices.filter { $0 % every != 0 }.map(Double.init), step: Double(every), lower: -0.5,
            upper: Double(labels.count) - 0.5)
    }

    /// Decade ticks 10^{first} … 10^{last} for a log axis whose limits are those decades, with
    /// every `labelEvery`-th decade labelled (counted from `first`), the other decades as minor
    /// ticks, and, with `minorMultiples`, 2…9 × 10^k minor ticks as well.
    public static func decades(from first: Int, through last: Int, labelEvery: Int = 1, minorMultiples: Bool = false) -> NiceTicks {
        let (a, b) = (Swift.min(first, last), Swift.max(first, last))
        let every = Swift.max(1, labelEvery)
        let exponents = Array(a...b)
        let major = exponents.filter { ($0 - a) % every == 0 }
        var minor = exponents.filter { ($0 - a) % every != 0 }.map { exactDecimal(1, exponent: $0) }
        if minorMultiples {
            for k in a..<Swift.max(a, b) { for m in 2...9 { minor.append(exactDecimal(Int64(m), exponent: k)) } }
            minor.sort()
        }
        return NiceTicks(
            values: major.map { exactDecimal(1, exponent: $0) }, labels: major.map { "10^{\(signed($0))}" }, minor: minor,
            step: Double(every), lower: exactDecimal(1, exponent: a), upper: exactDecimal(1, exponent: b), scale: .log)
    }

    /// Ticks at given positions (e.g. the values a sweep ran), labelled with `label`, on a
    /// `scale` axis with limits `range`; with `labelEvery` = k only every k-th is labelled and the
    /// others get minor ticks.
    public static func at(
        _ positions: [Double], range: ClosedRange<Double>, scale: AxisScale = .linear, labelEvery: Int = 1,
        label: (Double) -> String
    ) -> NiceTicks {
        let every = Swift.max(1, labelEvery)
        let major = positions.indices.filter { $0 % every == 0 }.map { positions[$0] }
        let gaps = zip(major, major.dropFirst()).map { scale.transform($1) - scale.transform($0) }.filter(\.isFinite)
        return NiceTicks(
            values: major, labels: major.map(label), minor: positions.indices.filter { $0 % every != 0 }.map { positions[$0] },
            step: gaps.min() ?? 0, lower: range.lowerBound, upper: range.upperBound, scale: scale)
    }

    /// The same ticks with every label padded on the left with figure spaces (U+2007, as wide as
    /// a digit) to at least `characters` characters, so that a panel's tick labels take the width
    /// of a neighbour's and the two plot areas line up (e.g. "3" padded to 4 is as wide as "1000").
    public func padded(to characters: Int) -> NiceTicks {
        NiceTicks(
            values: values,
            labels: labels.map { String(repeating: "\u{2007}", count: Swift.max(0, characters - $0.count)) + $0 },
            minor: minor, step: step, lower: lower, upper: upper, scale: scale)
    }

    // MARK: Internals

    private init(decimalStep s: DecimalStep, indices: ClosedRange<Int64>?, limits: (Double, Double)?) {
        var integers: [Int64] = []
        if let indices { for i in indices { integers.append(i * s.mantissa) } }
        let values = integers.map { exactDecimal($0, exponent: s.exponent) }
        let style = LabelStyle(step: s, integers: integers)
        self.init(
            values: values, labels: integers.map { style.format($0, exponent: s.exponent) }, step: s.value,
            lower: limits?.0 ?? values.first ?? 0, upper: limits?.1 ?? values.last ?? 1)
    }

    /// Ordered, finite, non-degenerate bounds.
    static func sanitize(_ a: Double, _ b: Double) -> (Double, Double) {
        let finite = [a, b].filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else { return (0, 1) }
        // Keep hi − lo finite.
        lo = Swift.max(lo, -1e307)
        hi = Swift.min(hi, 1e307)
        let magnitude = Swift.max(abs(lo), abs(hi))
        if hi - lo <= magnitude * 1e-12 || hi - lo < Double.leastNormalMagnitude * 1e6 {
            let v = (lo + hi) / 2
            if v == 0 || abs(v) < 1e-300 { return (-1, 1) }
            let pad = exactDecimal(1, exponent: Int(_log10(abs(v)).rounded(.down)))
            return (v - pad, v + pad)
        }
        return (lo, hi)
    }
}

/// Ticks covering `min…max`; the same as `NiceTicks(min:max:maxCount:)`.
func niceTicks(min: Double, max: Double, maxCount: Int = 7) -> NiceTicks {
    NiceTicks(min: min, max: max, maxCount: maxCount)
}

/// A step of `mantissa × 10^exponent` with mantissa 10, 20, 25 or 50.
struct DecimalStep {
    var mantissa: Int64
    var exponent: Int
    var value: Double { exactDecimal(mantissa, exponent: exponent) }

    static let mantissas: [Int64] = [10, 20, 25, 50]

    /// Tick indices i (ticks at i × step) from the last at or below `lo` to the first at or above `hi`.
    func coveringIndices(lo: Double, hi: Double) -> ClosedRange<Int64> {
        let s = value
        let a = (lo / s + 1e-9).rounded(.down)
        let b = (hi / s - 1e-9).rounded(.up)
        guard a.isFinite, b.isFinite, abs(a) < 9e14, abs(b) < 9e14 else { return 0...Int64.max / 2 }
        return Int64(a)...Swift.max(Int64(a), Int64(b))
    }

    /// Tick indices inside `lo…hi` (with a tolerance of 10⁻⁹ steps); nil if none.
    func insideIndices(lo: Double, hi: Double) -> ClosedRange<Int64>? {
        let s = value
        let a = (lo / s - 1e-9).rounded(.up)
        let b = (hi / s + 1e-9).rounded(.down)
        guard a.isFinite, b.isFinite, abs(a) < 9e14, abs(b) < 9e14, a <= b else { return nil }
        return Int64(a)...Int64(b)
    }

    /// How many ticks `insideIndices` would give (`Int.max` when the indices would overflow).
    func insideCount(lo: Double, hi: Double) -> Int {
        let s = value
        let a = (lo / s - 1e-9).rounded(.up)
        let b = (hi / s + 1e-9).rounded(.down)
        guard a.isFinite, b.isFinite, abs(a) < 9e14, abs(b) < 9e14 else { return .max }
        return a <= b ? Int(b - a) + 1 : 0
    }

    /// The smallest nice step for which `accept` holds.
    static func smallest(lo: Double, hi: Double, accept: (DecimalStep) -> Bool) -> DecimalStep {
        var exponent = Int(_log10(Swift.max(hi - lo, .leastNormalMagnitude)).rounded(.down)) - 4
        while true {
            for m in mantissas {
                let step = DecimalStep(mantissa: m, exponent: exponent)
                if accept(step) { return step }
            }
            exponent += 1
            if exponent > 330 { return DecimalStep(mantissa: 10, exponent: 300) }
        }
    }

    /// The nice step closest to `value` (for labelling a given step).
    static func nearest(to value: Double) -> DecimalStep {
        guard value > 0, value.isFinite else { return DecimalStep(mantissa: 10, exponent: -1) }
        let e = Int(_log10(value).rounded(.down)) - 1
        var best = DecimalStep(mantissa: 10, exponent: e)
        for exp in [e - 1, e, e + 1] {
            for m: Int64 in [10, 20, 25, 50, 100] {
                let candidate = DecimalStep(mantissa: m, exponent: exp)
                if abs(_log10(candidate.value / value)) < abs(_log10(best.value / value)) { best = candidate }
            }
        }
        return best
    }
}

/// How one axis writes its numbers: plain decimals with a fixed count, or powers of ten
/// (when plain labels would run past 6 characters and the powers read shorter).
struct LabelStyle {
    var decimals: Int
    var scientific: Bool

    init(step: DecimalStep, integers: [Int64]) {
        var m = step.mantissa
        var e = step.exponent
        while m % 10 == 0 && m != 0 {
            m /= 10
            e += 1
        }
        decimals = Swift.max(0, -e)
        scientific = false
        let plain = integers.map { formatPlain($0, exponent: step.exponent, decimals: decimals).count }.max() ?? 0
        // Rendered length of "m×10^{k}": the markup braces and caret take no room.
        let powers = integers.map { formatScientific($0, exponent: step.exponent).count - 3 }.max() ?? 0
        scientific = plain > 6 && powers < plain
    }

    func format(_ n: Int64, exponent: Int) -> String {
        scientific ? formatScientific(n, exponent: exponent) : formatPlain(n, exponent: exponent, decimals: decimals)
    }
}

/// `n × 10^exponent` as the nearest Double (parsed from its decimal string, so correctly rounded).
func exactDecimal(_ n: Int64, exponent: Int) -> Double {
    Double("\(n)e\(exponent)") ?? Double(n) * _pow10(Double(exponent))
}

/// "−" for negative numbers, digits otherwise.
func signed(_ k: Int) -> String { k < 0 ? NiceTicks.minus + String(-k) : String(k) }

/// `n × 10^exponent` written with exactly `decimals` decimals (extra zeros trimmed or added).
func formatPlain(_ n: Int64, exponent: Int, decimals: Int) -> String {
    if n == 0 { return decimals > 0 ? "0." + String(repeating: "0", count: decimals) : "0" }
    var digits = String(n.magnitude)
    var e = exponent
    if e > 0 {
        digits += String(repeating: "0", count: e)
        e = 0
    }
    // Now value = digits × 10^e with e ≤ 0: the last −e digits are decimals.
    var fractional = -e
    while fractional > decimals, digits.hasSuffix("0"), digits.count > 1 {
        digits.removeLast()
        fractional -= 1
    }
    if fractional < decimals {
        digits += String(repeating: "0", count: decimals - fractional)
        fractional = decimals
    }
    if digits.count <= fractional { digits = String(repeating: "0", count: fractional - digits.count + 1) + digits }
    var text = digits
    if fractional > 0 { text.insert(".", at: text.index(text.endIndex, offsetBy: -fractional)) }
    return (n < 0 ? NiceTicks.minus : "") + text
}

/// `n × 10^exponent` as "m×10^{k}" markup with the shortest exact mantissa.
func formatScientific(_ n: Int64, exponent: Int) -> String {
    if n == 0 { return "0" }
    var digits = String(n.magnitude)
    let power = digits.count - 1 + exponent
    while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
    var mantissa = String(digits.first!)
    if digits.count > 1 { mantissa += "." + digits.dropFirst() }
    return (n < 0 ? NiceTicks.minus : "") + mantissa + "×10^{\(signed(power))}"
}

func _log10(_ x: Double) -> Double { log10(x) }

func _pow10(_ t: Double) -> Double {
    if t == t.rounded(), abs(t) < 300 { return Double("1e\(Int(t))")! }
    return pow(10, t)
}
