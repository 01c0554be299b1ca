import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import Plot

/// Whether `step` is 1, 2, 2.5 or 5 times a power of ten.
private func isNice(_ step: Double) -> Bool {
    guard step > 0 else { return false }
    let e = (log10(step)).rounded(.down)
    let m = step / pow(10, e)
    return [1, 2, 2.5, 5, 10].contains { abs(m - $0) < 1e-9 * $0 }
}

private let awkward: [(Double, Double)] = [
    (0, 1), (1e-9, 3e-9), (0, 1e9), (-7.3, -2.1), (-3, 5), (0.001, 0.0012), (1e9, 1e9 + 7), (5, 5), (0, 0),
    (-1e-9, -1e-9), (10, 0), (123_456, 123_789), (-0.5, 0.5), (0.1, 0.30000000000000004), (-1e9, 2.5e9),
    (0.97, 1.03), (-42, -42), (1e-300, 2e-300), (3.7e12, 9.1e12), (-0.0, 0.0), (-1e306, 1e306),
    (Double.leastNonzeroMagnitude, 3 * Double.leastNonzeroMagnitude),
]

@Test(arguments: awkward, [3, 5, 7, 10])
func ticksCoverTheRangeWithNiceBoundedSteps(range: (Double, Double), maxCount: Int) {
    let t = NiceTicks(min: range.0, max: range.1, maxCount: maxCount)
    let lo = min(range.0, range.1)
    let hi = max(range.0, range.1)
    #expect(t.values.count >= 2, "\(range): \(t.values)")
    #expect(t.values.count <= maxCount, "\(range) max \(maxCount): \(t.values)")
    #expect(isNice(t.step), "\(range): step \(t.step)")
    #expect(t.values.first! <= lo + 1e-9 * t.step, "\(range): \(t.values)")
    #expect(t.values.last! >= hi - 1e-9 * t.step, "\(range): \(t.values)")
    #expect(t.lower == t.values.first && t.upper == t.values.last)
    for (a, b) in zip(t.values, t.values.dropFirst()) {
        #expect(abs((b - a) - t.step) <= 1e-6 * t.step, "\(range): uneven \(t.values)")
    }
    #expect(Set(t.labels).count == t.labels.count, "\(range): repeated labels \(t.labels)")
    for label in t.labels {
        #expect(!label.hasPrefix("-"), "\(range): hyphen instead of minus in \(label)")
        if label.hasPrefix("\u{2212}") {
            #expect(label.contains { "123456789".contains($0) }, "\(range): negative zero \(label)")
        }
        #expect(label.count <= 14, "\(range): long label \(label)")
        #expect(!label.contains("e"), "\(range): raw exponent in \(label)")
    }
}

@Test func unitIntervalGivesTenthsInSteps() {
    let t = niceTicks(min: 0, max: 1, maxCount: 6)
    #expect(t.values == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(t.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    #expect(t.step == 0.2)
}

@Test func reversedInputEqualsOrderedInput() {
    #expect(NiceTicks(min: 10, max: -3) == NiceTicks(min: -3, max: 10))
}

@Test func singleValueGetsAPaddedRangeAroundIt() {
    for v in [5.0, -3, 0, 1e-9, 2.5e9, 100] {
        let t = NiceTicks(min: v, max: v)
        #expect(t.lower < v && v < t.upper, "\(v): \(t.values)")
        #expect(t.values.count >= 3)
    }
    #expect(NiceTicks(min: 0, max: 0).values.first == -1 && NiceTicks(min: 0, max: 0).values.last == 1)
    #expect(NiceTicks(min: 5, max: 5).lower == 4 && NiceTicks(min: 5, max: 5).upper == 6)
}

@Test func extremeMagnitudesAreClampedNotCrashed() {
    // Beyond ±1e307 the range is clamped (ticks past it would overflow to infinity).
    for (a, b) in [(-1e308, 1e308), (-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude)] {
        let t = NiceTicks(min: a, max: b)
        #expect(t.values.allSatisfy(\.isFinite) && t.values.count >= 2 && t.values.count <= 7)
        #expect(t.lower <= -1e307 && t.upper >= 1e307)
    }
}

@Test func nonFiniteInputFallsBack() {
    let t = NiceTicks(min: .nan, max: .infinity)
    #expect(t.lower == 0 && t.upper == 1)
    let u = NiceTicks(min: .nan, max: 3)
    #expect(u.lower < 3 && u.upper > 3)
}

@Test func labelsAreExactDecimalsWithTypographicMinus() {
    #expect(NiceTicks(min: -1, max: 1, maxCount: 5).labels == ["\u{2212}1.0", "\u{2212}0.5", "0.0", "0.5", "1.0"])
    #expect(NiceTicks(min: 0, max: 1, maxCount: 5).labels == ["0.00", "0.25", "0.50", "0.75", "1.00"])
    #expect(NiceTicks(min: 0, max: 0.3, maxCount: 4).labels == ["0.0", "0.1", "0.2", "0.3"])
    #expect(NiceTicks(min: 0, max: 200, maxCount: 5).labels == ["0", "50", "100", "150", "200"])
    #expect(NiceTicks.label(for: 0.30000000000000004, step: 0.1) == "0.3")
    #expect(NiceTicks.label(for: -1e-17, step: 0.1) == "0.0")
    #expect(NiceTicks.label(for: -0.5, step: 0.5) == "\u{2212}0.5")
    #expect(NiceTicks.label(for: 0.07, step: 0.01) == "0.07")
    // A step that is not 1, 2, 2.5 or 5 × 10^k labels the value itself, not a multiple of a nice step.
    #expect([0, 30, 60, 90].map { NiceTicks.label(for: $0, step: 30) } == ["0", "30", "60", "90"])
    #expect(NiceTicks.label(for: 0.75, step: 0.15) == "0.75")
}

@Test func hugeAndTinyValuesUsePowersOfTen() {
    let tiny = NiceTicks(min: 0, max: 3e-9, maxCount: 4)
    #expect(tiny.labels == ["0", "1×10^{\u{2212}9}", "2×10^{\u{2212}9}", "3×10^{\u{2212}9}"])
    let huge = NiceTicks(min: 0, max: 1e9, maxCount: 6)
    #expect(huge.labels == ["0", "2×10^{8}", "4×10^{8}", "6×10^{8}", "8×10^{8}", "1×10^{9}"])
    let quarter = NiceTicks(min: 0, max: 1e-8, maxCount: 5)
    #expect(quarter.labels.contains("2.5×10^{\u{2212}9}"), "\(quarter.labels)")
    // Offsets far from zero keep enough digits to tell ticks apart.
    let offset = NiceTicks(min: 1e9, max: 1e9 + 7, maxCount: 8)
    #expect(Set(offset.labels).count == offset.values.count)
}

@Test func tickValuesCarryNoFloatNoise() {
    let t = NiceTicks(min: 0, max: 0.7, maxCount: 8)
    #expect(t.values == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])  // 0.3 and 0.7 as typed, not 3 × 0.1
}

@Test func insideTicksFarFromZero() {
    let t = NiceTicks.inside(min: 1e9, max: 1e9 + 1e-3, maxCount: 5)
    #expect(t.values.count >= 2 && t.values.count <= 5, "\(t.values)")
    #expect(t.values.allSatisfy { $0 >= 1e9 && $0 <= 1e9 + 1e-3 })
}

@Test func insideTicksKeepFixedLimits() {
    let t = NiceTicks.inside(min: -4.5, max: 16.5, maxCount: 6)
    #expect(t.lower == -4.5 && t.upper == 16.5)
    #expect(t.values == [0, 5, 10, 15])
    #expect(t.values.allSatisfy { $0 >= -4.5 && $0 <= 16.5 })
}

@Test func logTicksAreDecades() {
    let t = NiceTicks.logarithmic(min: 0.05, max: 300)
    #expect(t.values == [0.01, 0.1, 1, 10, 100, 1000])
    // One rule for every log axis: decades as powers of ten, whatever the range.
    #expect(t.labels == ["10^{\u{2212}2}", "10^{\u{2212}1}", "10^{0}", "10^{1}", "10^{2}", "10^{3}"])
    #expect(t.scale == .log && t.step == 1)
    #expect(t.minor.contains(20) && t.minor.contains(0.05) && !t.minor.contains(10))
    let wide = NiceTicks.logarithmic(min: 1e-9, max: 1e3, maxCount: 7)
    #expect(wide.values.count <= 7 && wide.values.first! <= 1e-9 && wide.values.last! >= 1e3)
    #expect(wide.labels.first == "10^{\u{2212}10}" || wide.labels.first == "10^{\u{2212}9}", "\(wide.labels)")
    let bad = NiceTicks.logarithmic(min: -5, max: 0)
    #expect(bad.values == [1, 10])
    let single = NiceTicks.logarithmic(min: 10, max: 10)
    #expect(single.values == [1, 10, 100])
}
