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
/// Every derived draw (uniform, Gaussian, categorical, …) consumes a documented number of
/// 64-bit words (fixed, or for the Gaussian fixed by the stream), so a sequence of calls is
/// reproducible bit for bit from the seed.
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
    public mutating func next() -> UInt64 { Self.step(&state) }

    /// One xoshiro256** step on `s`: its output, then the linear engine's advance.
    @inline(__always)
    private static func step(_ s: inout (UInt64, UInt64, UInt64, UInt64)) -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
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

    /// A Gaussian draw N(`mean`, `sd`²) by the ziggurat method (Marsaglia & Tsang 2000,
    /// "The ziggurat method for generating random variables"), with 256 layers and one
    /// 64-bit word per try: its low 8 bits pick the layer, the next bit the sign and the top
    /// 52 bits the position in the layer. About 99 % of draws are accepted on that one word
    /// with one multiplication and one comparison; the rest go to the wedge test (one more
    /// word and an `exp`) or, in the base layer, to the tail beyond r ≈ 3.654 (Marsaglia's
    /// exponential rejection, two words per try). The number of words a draw consumes is
    /// therefore variable, but fixed by the stream, so draws stay reproducible from the seed.
    public mutating func gaussian(mean: Double = 0, sd: Double = 1) -> Double {
        mean + sd * standardGaussian()
    }

    /// A standard normal draw, N(0, 1), by the ziggurat (see ``gaussian(mean:sd:)``).
    @inline(__always)
    mutating func standardGaussian() -> Double { standardGaussian(Ziggurat.table) }

    /// `buffer[k] = mean + sd · z_k` for independent standard normal draws z_k, drawn in
    /// index order: the same numbers as `count` calls of ``gaussian(mean:sd:)``.
    ///
    /// The loop keeps the state in local variables and takes the ziggurat's fast path inline; a
    /// word that misses its rectangle (about 1 %) leaves the loop for `finishGaussian(_:word:)`,
    /// out of line, so the rare calls (`exp`, `log`) do not push the loop's values to memory.
    public mutating func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Double>, mean: Double = 0, sd: Double = 1) {
        let z = Ziggurat.table
        var k = 0
        while k < buffer.count {
            var s = state
            var missed: UInt64?
            while k < buffer.count {
                let word = Self.step(&s)
                if let x = Self.rectangleDraw(z, word) {
                    buffer[k] = mean + sd * x
                    k &+= 1
                } else {
                    missed = word
                    break
                }
            }
            state = s
            if let word = missed {
                buffer[k] = mean + sd * finishGaussian(z, word: word)
                k &+= 1
            }
        }
    }

    /// The ziggurat's fast path for one word: ±position × width when the position falls inside
    /// the layer's rectangle below the next layer, nil otherwise. Low 8 bits: the layer; bit 8:
    /// the sign; top 52 bits: the position.
    @inline(__always)
    private static func rectangleDraw(_ z: Ziggurat, _ word: UInt64) -> Double? {
        let layer = Int(word & 0xFF)
        let position = word >> 12  // 52 bits
        guard position < z.threshold[layer] else { return nil }
        let magnitude = Double(Int64(bitPattern: position)) * z.width[layer]  // exact: position < 2⁵²
        // The sign bit set from bit 8 without a branch (a random sign mispredicts half the
        // time); the same value as `-magnitude` when the bit is 1.
        return Double(bitPattern: magnitude.bitPattern ^ ((word << 55) & (1 << 63)))
    }

    /// One ziggurat draw with the layer table `z`.
    @inline(__always)
    private mutating func standardGaussian(_ z: Ziggurat) -> Double {
        let word = next()
        return Self.rectangleDraw(z, word) ?? finishGaussian(z, word: word)
    }

    /// The rest of a ziggurat draw whose first word missed its rectangle: the tail beyond r in
    /// the base layer, else the wedge test (one more word and an `exp`); a rejected wedge starts
    /// the draw again from a new word.
    @inline(never)
    private mutating func finishGaussian(_ z: Ziggurat, word: UInt64) -> Double {
        let layer = Int(word & 0xFF)
        let sign = (word >> 8) & 1
        if layer == 0 {  // the base strip outside its rectangle: the tail beyond r
            let x = normalTail()
            return sign == 0 ? x : -x
        }
        // The wedge between the rectangle and the density: accept with the density's height.
        let magnitude = Double(Int64(bitPattern: word >> 12)) * z.width[layer]
        let height = z.density[layer] + uniform() * (z.density[layer - 1] - z.density[layer])
        if height < exp(-0.5 * magnitude * magnitude) {
            return sign == 0 ? magnitude : -magnitude
        }
        return standardGaussian(z)
    }

    /// A draw from the normal tail x > r (r = ``Ziggurat/r``) by Marsaglia's (1964) method:
    /// x = r + e with e exponential of rate r, kept when a second exponential f has 2f > e²,
    /// which turns the proposal's density into e^{−x²/2}. Two words per try.
    mutating func normalTail() -> Double {
        while true {
            let e = -log(1.0 - uniform()) / Ziggurat.r
            let f = -log(1.0 - uniform())
            if f + f > e * e { return Ziggurat.r + e }
        }
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
    mutating func categorical(probabilities: some Collection<Double>) -> Int {
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

    /// The same draw from softmax(`logits` / `temperature`) with the probabilities written into
    /// `scratch` (as long as `logits`), so nothing is allocated. Consumes one word.
    mutating func categorical(
        logits: UnsafeMutableBufferPointer<Double>, temperature: Double, scratch: UnsafeMutableBufferPointer<Double>
    ) -> Int {
        softmax(UnsafeBufferPointer(logits), temperature: temperature, into: scratch)
        return categorical(probabilities: scratch)
    }
}

/// The layers of the 256-layer ziggurat under the unnormalised normal density
/// f(x) = e^{−x²/2}, computed once by Marsaglia & Tsang's (2000) recursion: every layer, and
/// the base strip with its tail, has the same area v; x_255 = r is the start of the tail and
/// x_{i−1} = f⁻¹(v / x_i + f(x_i)).
struct Ziggurat: @unchecked Sendable {  // immutable after its one initialisation
    /// Where the tail starts (Marsaglia & Tsang 2000, 256 layers).
    static let r = 3.6541528853610088
    /// The common area of the layers: r f(r) + ∫_r^∞ f = r e^{−r²/2} + √(π/2) erfc(r/√2).
    static let area = 4.928673233974658e-3

    // The tables live in one allocation made once and never freed, read through plain
    // pointers, so a draw does no reference counting.
    /// `threshold[i]`: the 52-bit position below which a draw in layer i lies under the
    /// narrower layer above it, where the density is surely higher, so it is accepted at once
    /// (for the base strip, i = 0: below r, outside the tail).
    let threshold: UnsafePointer<UInt64>
    /// `width[i]`: layer i's half-width divided by 2⁵², so position × width is the draw.
    let width: UnsafePointer<Double>
    /// `density[i]`: f at layer i's outer edge (`density[0]` is 1 at the top).
    let density: UnsafePointer<Double>

    static let table = Ziggurat()

    private init() {
        let m = 0x1.0p52
        let threshold = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
        let width = UnsafeMutablePointer<Double>.allocate(capacity: 256)
        let density = UnsafeMutablePointer<Double>.allocate(capacity: 256)
        var x = Self.r
        var outer = x
        let q = Self.area / exp(-0.5 * x * x)  // the base strip's equivalent width
        threshold[0] = UInt64((x / q) * m)
        threshold[1] = 0
        width[0] = q / m
        width[255] = x / m
        density[0] = 1
        density[255] = exp(-0.5 * x * x)
        for i in stride(from: 254, through: 1, by: -1) {
            x = (-2 * log(Self.area / x + exp(-0.5 * x * x))).squareRoot()
            threshold[i + 1] = UInt64((x / outer) * m)
            outer = x
            density[i] = exp(-0.5 * x * x)
            width[i] = x / m
        }
        (self.threshold, self.width, self.density) = (UnsafePointer(threshold), UnsafePointer(width), UnsafePointer(density))
    }
}
