// Every random number in the toolkit comes from here: an explicit, seeded
// generator that is passed down, never the system generator or the clock.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit counter advanced by the
/// golden-ratio increment `0x9E3779B97F4A7C15` and passed through a bijective
/// mixing function. Used to expand one `UInt64` seed into a full xoshiro state.
struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The counter; the next output mixes `state + 0x9E3779B97F4A7C15`.
    var state: UInt64

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A seeded pseudo-random generator: xoshiro256** (Blackman & Vigna 2018,
/// "Scrambled linear pseudorandom number generators").
///
/// Algorithm: a 256-bit state `s0…s3` (never all zero), seeded by four
/// successive outputs of `SplitMix64` started at the seed. Each step outputs
/// `rotl(s1 · 5, 7) · 9`, then advances the linear engine
/// `t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)`.
/// Period 2²⁵⁶ − 1. Independent streams for one seed come from the reference
/// `jump()` polynomial, which advances the state by 2¹²⁸ steps (see
/// ``init(seed:stream:)``).
///
/// Every derived draw (uniform, Gaussian, categorical, …) consumes a fixed,
/// documented number of 64-bit words, so a sequence of calls is reproducible
/// bit for bit from the seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The four 64-bit words of xoshiro256** state.
    private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// The generator for `seed`: the state is four SplitMix64 outputs from `seed`.
    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        state = (sm.next(), sm.next(), sm.next(), sm.next())
        if state == (0, 0, 0, 0) { state.0 = 1 }  // unreachable with SplitMix64, kept as a guard
    }

    /// Stream `stream` of `seed`: the generator for `seed` advanced by
    /// `stream` jumps of 2¹²⁸ steps, so streams of one seed never overlap
    /// within 2¹²⁸ draws. Stream 0 is ``init(seed:)``. Cost grows linearly with
    /// `stream` (256 steps per jump); meant for run or worker indices, not for
    /// arbitrary 64-bit numbers.
    public init(seed: UInt64, stream: Int) {
        precondition(stream >= 0, "stream must be non-negative")
        self.init(seed: seed)
        for _ in 0..<stream { jump() }
    }

    /// A generator with an explicit xoshiro state (for testing against the
    /// reference implementation). The state must not be all zero.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        self.state = state
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// The next 64 random bits (one xoshiro256** step).
    public mutating func next() -> UInt64 {
        let result = Self.rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotl(state.3, 45)
        return result
    }

    /// Advances the state by 2¹²⁸ steps (the reference `jump()` of xoshiro256**).
    mutating func jump() {
        let jumpPolynomial: [UInt64] = [
            0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C,
        ]
        var s: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for word in jumpPolynomial {
            for bit in 0..<64 {
                if word & (UInt64(1) << UInt64(bit)) != 0 {
                    s.0 ^= state.0; s.1 ^= state.1; s.2 ^= state.2; s.3 ^= state.3
                }
                _ = next()
            }
        }
        state = s
    }

    /// A uniform draw in [0, 1) with 53 random bits (the top 53 bits of one word
    /// times 2⁻⁵³). Consumes one word.
    mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform draw in `range` (`lower + (upper − lower) · u`, u in [0, 1)).
    /// Consumes one word.
    public mutating func uniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// A Gaussian draw by the Box–Muller transform, cosine branch only
    /// (`mean + sd · √(−2 ln u₁) · cos(2π u₂)`, u₁ in (0, 1]); no cached second
    /// value, so each call consumes exactly two words.
    public mutating func gaussian(mean: Double = 0, sd: Double = 1) -> Double {
        let u1 = 1.0 - uniform()  // (0, 1], so the logarithm is finite
        let u2 = uniform()
        return mean + sd * (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// `true` with probability `p` (`uniform() < p`). Consumes one word.
    mutating func bernoulli(_ p: Double) -> Bool {
        uniform() < p
    }

    /// A uniform integer in `0..<n` by Lemire's multiply-and-reject method: the high word of
    /// `next() × n`, redrawn while the low word falls in the biased zone. Written out here
    /// rather than taken from `Int.random(in:using:)`, whose algorithm Swift does not promise
    /// to keep, so that a new toolchain cannot change the figures. (It is the algorithm the
    /// standard library uses today, so the streams are the same.) Consumes one word, rarely more.
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "int(below:) needs n > 0")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// Shuffles `elements` in place by the Fisher–Yates method, front to back: position k
    /// swaps with k + `int(below: count − k)`. Consumes count − 1 draws.
    public mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for k in 0..<(elements.count - 1) {
            elements.swapAt(k, k + int(below: elements.count - k))
        }
    }

    /// An index drawn with the given (unnormalised, non-negative) weights by
    /// inverting the cumulative sum with one uniform draw. Consumes one word.
    ///
    /// Weights that are not all finite and non-negative with a positive sum come from a run
    /// that has diverged (softmax of NaN or infinite logits): then the draw returns index 0,
    /// so the run goes on to its divergence check, which reports it, instead of trapping here.
    mutating func categorical(probabilities: [Double]) -> Int {
        precondition(!probabilities.isEmpty, "categorical(probabilities:) needs at least one category")
        var total = 0.0
        var valid = true
        for p in probabilities {
            valid = valid && p >= 0 && p.isFinite
            total += p
        }
        let target = uniform() * total
        guard valid && total > 0 && total.isFinite else { return 0 }
        var cumulative = 0.0
        var last = 0
        for (i, p) in probabilities.enumerated() where p > 0 {
            cumulative += p
            last = i
            if target < cumulative { return i }
        }
        return last  // rounding: the target fell on the total
    }

    /// An index drawn from softmax(`logits` / `temperature`), i.e. with
    /// P(i) = exp(logits_i / T) / Σ_j exp(logits_j / T). Consumes one word.
    mutating func categorical(logits: [Double], temperature: Double = 1) -> Int {
        categorical(probabilities: softmax(logits, temperature: temperature))
    }
}
