// A static reading of the PFC–MD model of Rikhye, Gilra & Halassa (2018, Nat Neurosci 21:1753),
// used by Chapter 4's forgetting, basal-ganglia and capacity experiments.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The sizes and constants of ``ContextualNetwork``.
public struct ContextualNetworkConfig: Sendable, Equatable {
    /// Number of MD units; the PFC has one group of units per MD unit.
    public var mdUnits: Int = 8
    /// PFC units per group (so the PFC has `mdUnits · unitsPerGroup` units).
    public var unitsPerGroup: Int = 20
    /// Number of cues S (one-hot cue input).
    public var cues: Int = 4
    /// Number of context inputs (one-hot context input; at least the number of contexts used).
    public var contextInputs: Int = 8
    /// Standard deviation of the fixed Gaussian weights from the cue one-hot to every PFC unit.
    public var cueWeightSD: Double = 1
    /// Standard deviation of the fixed Gaussian weights from the context one-hot to every PFC unit.
    public var contextWeightSD: Double = 1
    /// Multiplicative MD weight: the selected group's gain is 1 + `mdGain` (Rikhye 2018: 6/0.75).
    public var mdGain: Double = 6.0 / 0.75
    /// Additive MD input to every unit outside the selected group (Rikhye 2018: −10).
    public var mdInhibition: Double = -10
    /// Gain of every unit when the MD is off ("no thalamus"; the reading of Rikhye 2018's
    /// MD-off run: gain 3 everywhere, no inhibition).
    public var offGain: Double = 3
    /// Standard deviation of the readout's initial Gaussian weights (divided by √N).
    public var readoutInitSD: Double = 0.1

    /// The defaults above: 8 MD units of 20 PFC units each, 4 cues, Rikhye et al.'s (2018) MD gains.
    public init() {}

    /// Number of PFC units N.
    public var units: Int { mdUnits * unitsPerGroup }
    /// Width of the input vector u = [cue one-hot; context one-hot].
    public var inputs: Int { cues + contextInputs }
}

/// PFC units in groups, one group per MD unit, driven by fixed random input weights from a cue
/// one-hot and a context one-hot, with the MD acting as a gain on its own group and an inhibition
/// of every other group.
///
/// Static reading of Rikhye, Gilra & Halassa (2018), whose dynamic model is
/// `τ dx/dt = −x + (1 + W_mult m) ⊙ (J r) + W_add m + W_in u`, `r = max(tanh x, 0)`.
/// Interpretations (stated in the chapter's prose):
/// - no recurrence and no time: the network is read at steady state with the recurrent input
///   `J r` replaced by the feed-forward drive `h = W_in u`, so the MD gain multiplies the input
///   drive: `r = max(tanh(g ⊙ h + a), 0)` with `g = 1 + W_mult m`, `a = W_add m`;
/// - `W_mult[i, j] = mdGain` if unit i belongs to group j, else 0; `W_add[i, j] = mdInhibition`
///   if unit i is outside group j, else 0. With a one-hot m selecting group j, group j gets gain
///   1 + 6/0.75 = 9 and every other unit gain 1 and input −10, which silences it;
/// - every cue drives every group (not one group per cue as in part 1), because here each
///   context's subnetwork must represent every cue; weights are Gaussian, fixed;
/// - "MD off" (no thalamus) is gain `offGain` everywhere and no inhibition: in the authors' code
///   (PFC_MD_weights_stability, `reservoir_PFCMD_simple.py`) MD off multiplies every unit's
///   recurrent input by 1 + PFC_G_off/0.75 = 1 + 1.5/0.75 = 3 and adds nothing.
/// The readout (``ContextualReadout``) is the only learned part, as in Rikhye 2018.
public struct ContextualNetwork: Sendable, Equatable {
    /// Sizes and constants.
    public let config: ContextualNetworkConfig
    /// Fixed input weights, N × (S + contextInputs), row-major: unit i's weight from input j at
    /// `inputWeights[i * inputs + j]`; inputs 0..<S are cues, then the contexts.
    public let inputWeights: [Double]

    /// A network whose input weights are drawn from `rng` (N · (S + contextInputs) Gaussian draws
    /// in row-major order; cue columns with sd `cueWeightSD`, context columns with `contextWeightSD`).
    public init(config: ContextualNetworkConfig, using rng: inout SeededGenerator) {
        precondition(config.mdUnits >= 1 && config.unitsPerGroup >= 1 && config.cues >= 1, "empty network")
        self.config = config
        var w = [Double](repeating: 0, count: config.units * config.inputs)
        for i in 0..<config.units {
            for j in 0..<config.inputs {
                let sd = j < config.cues ? config.cueWeightSD : config.contextWeightSD
                w[i * config.inputs + j] = rng.gaussian(sd: sd)
            }
        }
        inputWeights = w
    }

    /// Number of PFC units N.
    public var units: Int { config.units }

    /// The MD group of PFC unit `unit`.
    @inline(__always)
    func group(of unit: Int) -> Int { unit / config.unitsPerGroup }

    /// The one-hot MD activity vector selecting `unit` (length `mdUnits`).
    public func mdActivity(selecting unit: Int) -> [Double] {
        precondition(unit >= 0 && unit < config.mdUnits, "MD unit \(unit) out of 0..<\(config.mdUnits)")
        var m = [Double](repeating: 0, count: config.mdUnits)
        m[unit] = 1
        return m
    }

    /// Writes the PFC rates for `cue` and `context` into `out` (length N).
    /// - Parameters:
    ///   - cue: the cue shown (0..<cues).
    ///   - context: the active context input, or `nil` for no context input.
    ///   - md: the MD activity vector m (length `mdUnits`, any non-negative values), or `nil` for
    ///     "MD off" (gain `offGain` on every unit, no inhibition).
    ///   - mask: an optional multiplicative mask on the rates (length N; XdG's context gate).
    ///   - out: receives the N rates.
    public func rates(
        cue: Int, context: Int?, md: [Double]?, mask: [Double]? = nil, into out: inout [Double]
    ) {
        let n = config.units
        let inputs = config.inputs
        precondition(out.count == n, "rates: output has \(out.count) elements, expected \(n)")
        precondition(cue >= 0 && cue < config.cues, "cue \(cue) out of 0..<\(config.cues)")
        if let context { precondition(context >= 0 && context < config.contextInputs, "context input \(context) out of range") }
        if let md { precondition(md.count == config.mdUnits, "md has \(md.count) elements, expected \(config.mdUnits)") }
        if let mask { precondition(mask.count == n, "mask has \(mask.count) elements, expected \(n)") }
        // Total MD activity, so W_add m for unit i is mdInhibition · (Σm − m_group(i)).
        let mdTotal = md?.reduce(0, +) ?? 0
        inputWeights.withUnsafeBufferPointer { w in
            out.withUnsafeMutableBufferPointer { r in
                for i in 0..<n {
                    var h = w[i * inputs + cue]
                    if let context { h += w[i * inputs + config.cues + context] }
                    let gain: Double
                    let add: Double
                    if let md {
                        let own = md[i / config.unitsPerGroup]
                        gain = 1 + config.mdGain * own
                        add = config.mdInhibition * (mdTotal - own)
                    } else {
                        gain = config.offGain
                        add = 0
                    }
                    var rate = max(tanh(gain * h + add), 0)
                    if let mask { rate *= mask[i] }
                    r[i] = rate
                }
            }
        }
    }

    /// The PFC rates for `cue` and `context` (allocating; see ``rates(cue:context:md:mask:into:)``).
    public func rates(cue: Int, context: Int?, md: [Double]?, mask: [Double]? = nil) -> [Double] {
        var out = [Double](repeating: 0, count: config.units)
        rates(cue: cue, context: context, md: md, mask: mask, into: &out)
        return out
    }
}

/// The learned readout: `actions` linear output units on the PFC rates, trained by the delta rule
/// `ΔW = η (t − y) rᵀ` with t the one-hot correct action (Rikhye 2018's readout rule, error times
/// presynaptic rate, applied once per trial to the steady-state rates). The chosen action is the
/// larger output (ties: the lower index).
///
/// Interpretation: Rikhye 2018 low-pass filter the output and pass it through the same rectified
/// tanh as the PFC units, and update at every time step; in a one-step reading there is no filter,
/// and a linear output keeps the rule the plain least-mean-squares rule (a rectified output would
/// leave both outputs at 0, a tie, whenever both drives are negative).
public struct ContextualReadout: Sendable, Equatable {
    /// Number of output units (actions).
    public let actions: Int
    /// Number of PFC units N.
    public let units: Int
    /// Weights, actions × N row-major: output a's weight from unit i at `weights[a * units + i]`.
    public var weights: [Double]

    /// A readout with weights N(0, (sd/√N)²) drawn from `rng` (actions · N draws, row-major).
    public init(actions: Int = 2, units: Int, initialSD: Double, using rng: inout SeededGenerator) {
        self.actions = actions
        self.units = units
        let sd = initialSD / Double(units).squareRoot()
        weights = (0..<(actions * units)).map { _ in rng.gaussian(sd: sd) }
    }

    /// Output a: `Σ_i W[a, i] r_i`.
    @inline(__always)
    public func output(_ a: Int, rates r: [Double]) -> Double {
        var y = 0.0
        weights.withUnsafeBufferPointer { w in
            r.withUnsafeBufferPointer { rr in
                let base = a * units
                for i in 0..<units { y += w[base + i] * rr[i] }
            }
        }
        return y
    }

    /// Outputs a and a + 1 in one pass over r: two sums side by side, each in unit order (the
    /// bits of ``output(_:rates:)``), so that their additions overlap instead of waiting in turn.
    @inline(__always)
    func outputPair(_ a: Int, rates r: [Double]) -> (Double, Double) {
        var (y0, y1) = (0.0, 0.0)
        weights.withUnsafeBufferPointer { w in
            r.withUnsafeBufferPointer { rr in
                let (b0, b1) = (a * units, (a + 1) * units)
                for i in 0..<units {
                    y0 += w[b0 + i] * rr[i]
                    y1 += w[b1 + i] * rr[i]
                }
            }
        }
        return (y0, y1)
    }

    /// `body(a, y_a)` for every output in order, computed two at a time.
    @inline(__always)
    func forEachOutput(rates r: [Double], _ body: (Int, Double) -> Void) {
        var a = 0
        while a + 1 < actions {
            let (y0, y1) = outputPair(a, rates: r)
            body(a, y0)
            body(a + 1, y1)
            a += 2
        }
        if a < actions { body(a, output(a, rates: r)) }
    }

    /// The chosen action: the output unit with the largest output (the lowest index on a tie).
    public func choice(rates r: [Double]) -> Int {
        var best = 0
        var bestY = 0.0
        forEachOutput(rates: r) { a, y in
            if a == 0 || y > bestY {
                best = a
                bestY = y
            }
        }
        return best
    }

    /// One delta-rule step toward the one-hot target of `action`: `W[a, i] += η (t_a − y_a) r_i`.
    /// Returns the summed squared error before the step.
    @discardableResult
    public mutating func deltaUpdate(rates r: [Double], action: Int, learningRate eta: Double) -> Double {
        let (m, n) = (actions, units)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: m) { y in
            // Every output first: row a's step changes only row a, so y_a is the same as when
            // it is read just before that step.
            forEachOutput(rates: r) { a, value in y[a] = value }
            var sq = 0.0
            weights.withUnsafeMutableBufferPointer { w in
                r.withUnsafeBufferPointer { rr in
                    for a in 0..<m {
                        let err = (a == action ? 1.0 : 0.0) - y[a]
                        sq += err * err
                        for i in 0..<n { w[a * n + i] += eta * err * rr[i] }
                    }
                }
            }
            return sq
        }
    }
}
