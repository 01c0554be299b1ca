import Foundation

/// `count` (≥ 2) values from `range.lowerBound` to `range.upperBound`, evenly spaced on a
/// linear scale (the last value is exactly the upper bound) or on a logarithmic one.
func evenlySpaced(_ range: ClosedRange<Double>, count: Int, logarithmic: Bool = false) -> [Double] {
    if logarithmic {
        let a = log(range.lowerBound), b = log(range.upperBound)
        return (0..<count).map { exp(a + (b - a) * Double($0) / Double(count - 1)) }
    }
    let (lower, upper) = (range.lowerBound, range.upperBound)
    return (0..<count).map { k in k == count - 1 ? upper : lower + (upper - lower) * Double(k) / Double(count - 1) }
}
