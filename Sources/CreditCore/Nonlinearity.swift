// Rate nonlinearities f and their derivatives f′, as used in Eq. (1)
// (backprop's e_i = (W_{i+1}ᵀ e_{i+1}) ∘ f′(a_i)) and Eq. (10) (the PFC sigmoid).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A pointwise nonlinearity f with its derivative f′, both evaluated at the pre-activation.
public enum Nonlinearity: String, Sendable, CaseIterable {
    /// f(x) = x.
    case identity
    /// The logistic sigmoid f(x) = 1 / (1 + e^{−x}) (Eq. 10).
    case sigmoid
    /// f(x) = tanh x.
    case tanh
    /// f(x) = max(0, x); f′(0) is taken as 0. NaN maps to NaN in f and f′ (where
    /// `Swift.max(0, .nan)` would give 0 and hide it).
    case relu
    /// f(x) = ln(1 + eˣ), a smooth ReLU whose derivative is the sigmoid.
    case softplus

    /// An upper bound on ‖f(a)‖ for any a of `units` entries with ‖a‖ ≤ `norm`: |tanh a| ≤
    /// min(|a|, 1), 0 < σ(a) < 1, |max(0, a)| ≤ |a|, ln(1 + eᵃ) ≤ |a| + ln 2.
    func outputNormBound(inputNorm norm: Double, units: Int) -> Double {
        let root = Double(units).squareRoot()
        switch self {
        case .identity, .relu: return norm
        case .tanh: return min(norm, root)
        case .sigmoid: return root
        case .softplus: return norm + root * log(2.0)
        }
    }

    /// f(x).
    func value(_ x: Double) -> Double {
        switch self {
        case .identity: return x
        case .sigmoid: return logistic(x)
        case .tanh: return Foundationless.tanh(x)
        case .relu: return x > 0 || x.isNaN ? x : 0
        case .softplus: return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))  // stable for large |x|
        }
    }

    /// f′(x), the derivative with respect to the pre-activation x.
    func derivative(_ x: Double) -> Double {
        switch self {
        case .identity: return 1
        case .sigmoid:
            let s = logistic(x)
            return s * (1 - s)
        case .tanh:
            let t = Foundationless.tanh(x)
            return 1 - t * t
        case .relu: return x > 0 ? 1 : x.isNaN ? .nan : 0
        case .softplus: return logistic(x)
        }
    }

    /// f′(x) when f(x) = `fx` is already known: 1 − f² for tanh and f (1 − f) for the sigmoid
    /// (the very numbers ``derivative(_:)`` computes, without evaluating f a second time);
    /// ``derivative(_:)`` of x for the others.
    @inline(__always)
    func derivative(_ x: Double, value fx: Double) -> Double {
        switch self {
        case .tanh: return 1 - fx * fx
        case .sigmoid: return fx * (1 - fx)
        default: return derivative(x)
        }
    }

    /// f′ applied to every element.
    func derivative(_ x: [Double]) -> [Double] { x.map { derivative($0) } }
}

/// The logistic function 1 / (1 + e^{−x}), computed without overflow for large |x|.
func logistic(_ x: Double) -> Double {
    if x >= 0 {
        return 1 / (1 + exp(-x))
    }
    let e = exp(x)
    return e / (1 + e)
}

/// Numerically stable softmax: exp((xᵢ − max x) / T) / Σ_j exp((x_j − max x) / T).
/// Subtracting the maximum leaves the result unchanged and keeps exp from overflowing.
func softmax(_ x: [Double], temperature: Double = 1) -> [Double] {
    [Double](unsafeUninitializedCapacity: x.count) { out, n in
        x.withUnsafeBufferPointer { softmax($0, temperature: temperature, into: out) }
        n = x.count
    }
}

/// The softmax of `x` written into `out` (as long as `x`; nothing is allocated): the maximum as
/// `Array.max()` finds it (a later element replaces it only if larger), then the exponentials,
/// their sum from the first and the quotients, in the order of ``softmax(_:temperature:)``.
func softmax(_ x: UnsafeBufferPointer<Double>, temperature: Double = 1, into out: UnsafeMutableBufferPointer<Double>) {
    precondition(temperature > 0, "softmax temperature must be positive")
    precondition(out.count == x.count, "softmax: output has \(out.count) elements, input \(x.count)")
    guard var m = x.first else { return }
    for v in x.dropFirst() where m < v { m = v }
    var s = 0.0
    for i in 0..<x.count {
        out[i] = exp((x[i] - m) / temperature)
        s += out[i]
    }
    for i in 0..<x.count { out[i] /= s }
}

/// C maths functions whose names clash with enum cases above.
enum Foundationless {
    static func tanh(_ x: Double) -> Double {
        #if canImport(Glibc)
        return Glibc.tanh(x)
        #elseif canImport(Musl)
        return Musl.tanh(x)
        #elseif canImport(Darwin)
        return Darwin.tanh(x)
        #else
        let e = exp(2 * x); return (e - 1) / (e + 1)
        #endif
    }
}
