// Small numerical tools for rate dynamics: a bracketed root finder and a
// streaming straight-line fit (used to read a decay time off ln|r − r*| vs t).
// Kept free of any model so other rate models can use them.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Numerical helpers for one-dimensional rate dynamics.
public enum RateDynamicsNumerics {
    /// logit(p) = ln(p / (1 − p)), the inverse of the logistic sigmoid, for p in (0, 1).
    static func logit(_ p: Double) -> Double { log(p) - log1p(-p) }

    /// A root of `f` in `[lo, hi]`, where `f(lo)` and `f(hi)` differ in sign (or one is 0),
    /// found by bisection down to adjacent doubles (about 60 halvings at most), so the
    /// returned point is within one ulp of a sign change of the computed `f`.
    /// Returns nil when the end values have the same strict sign.
    public static func bisectRoot(in lo: Double, _ hi: Double, _ f: (Double) -> Double) -> Double? {
        precondition(lo <= hi, "bisectRoot: empty interval [\(lo), \(hi)]")
        var a = lo, b = hi
        var fa = f(a)
        let fb = f(b)
        if fa == 0 { return a }
        if fb == 0 { return b }
        if (fa < 0) == (fb < 0) { return nil }
        while true {
            let m = a + (b - a) / 2
            if m <= a || m >= b { break }  // a and b are adjacent doubles
            let fm = f(m)
            if fm == 0 { return m }
            if (fm < 0) == (fa < 0) {
                a = m
                fa = fm
            } else {
                b = m
            }
        }
        // The endpoint with the smaller residual.
        return Swift.abs(fa) <= Swift.abs(f(b)) ? a : b
    }
}

/// Ordinary least-squares fit of a straight line y = a + b x to points added one at a
/// time, without storing them. Sums are taken about the first x so that long, late
/// windows do not lose precision to cancellation.
struct StreamingLineFit: Sendable, Equatable {
    /// Number of points added.
    private(set) var count = 0
    private var x0 = 0.0
    private var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0

    /// An empty fit.
    init() {}

    /// Adds the point (x, y).
    mutating func add(_ x: Double, _ y: Double) {
        if count == 0 { x0 = x }
        let u = x - x0
        count += 1
        sx += u
        sy += y
        sxx += u * u
        sxy += u * y
    }

    /// The fitted slope b (NaN with fewer than two distinct x).
    var slope: Double {
        let n = Double(count)
        let den = n * sxx - sx * sx
        if count < 2 || den == 0 { return .nan }
        return (n * sxy - sx * sy) / den
    }

    /// The fitted intercept a at x = 0 (NaN with fewer than two distinct x).
    var intercept: Double {
        let n = Double(count)
        let b = slope
        return (sy - b * sx) / n - b * x0
    }
}
