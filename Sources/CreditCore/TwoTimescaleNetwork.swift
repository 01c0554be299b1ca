// Two learning timescales in a thalamocortical circuit (the review's Figure 5): a fast
// corticothalamic variable picks which MD unit, and so which cortical subnetwork, is
// amplified; slow cortical weights learn each subnetwork's cue→action map across many
// context blocks.
//
// The circuit, as read here (every line is an interpretation; the review gives no equations
// for Figure 5):
//   PFC    u = J x                                  fixed random cue→PFC projection, x one-hot
//          h_j = max(0, (1 + γ m_{g(j)}) u_j − θ (1 − m_{g(j)}))
//                                                   MD unit k amplifies its own group of PFC
//                                                   units by 1 + γ and inhibits the others by −θ
//                                                   (Rikhye, Gilra & Halassa 2018's MD action on
//                                                   PFC, without their recurrent dynamics)
//   MD     m = e_k,  k ~ softmax(β_z z)             one MD unit is selected per trial (winner-
//                                                   take-all), as the teacher's a*_t of Box 1, Eq. (6)
//   output p = softmax(M h); action a = argmax p;   reward r = 1 if a is the correct action
//   fast   Δz_k = η_z (r − p_a)                     Eq. (7)'s reward-prediction-error rule on the
//                                                   corticothalamic drive of the selected MD unit
//                                                   (presynaptic: a tonic PFC input of 1;
//                                                   postsynaptic: the selected MD unit; third
//                                                   factor: the RPE r − s_{a*_s}); then z is
//                                                   centred (z ← z − mean z, only differences
//                                                   matter to the softmax) and clipped to ±z_max
//                                                   (synaptic saturation)
//   slow   ΔM = η_M (t − p) hᵀ                      a delta rule on the cortical readout (t the
//                                                   one-hot correct action, revealed by the
//                                                   feedback since there are two actions)
// A single-timescale network is the same circuit with η_z = 0: its MD stays where it started.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cue→action task whose mapping depends on a hidden context that switches without a
/// signal. Context c maps cue k to action (k + c) mod 2, so the two contexts' maps conflict on
/// every cue (the review's Figure 1B). Blocks have geometric length with mean ``meanBlock``.
public struct SwitchingTask: Sendable, Equatable {
    /// Number of cues C (one-hot inputs).
    public var cues: Int
    /// Mean block length (trials); the length is geometric on 1, 2, … with p = 1/mean.
    public var meanBlock: Double

    /// A task with `cues` cues (≥ 1) and blocks of mean length `meanBlock` trials (≥ 1).
    public init(cues: Int, meanBlock: Double) {
        precondition(cues >= 1 && meanBlock >= 1, "switching task sizes")
        self.cues = cues
        self.meanBlock = meanBlock
    }

    /// Number of actions (two: the contexts reverse the map).
    public static let actions = 2
    /// Number of contexts.
    public static let contexts = 2

    /// The correct action for `cue` in `context`: (cue + context) mod 2.
    public func correct(cue: Int, context: Int) -> Int { (cue + context) % Self.actions }

    /// A block length L ≥ 1 with P(L = n) = p (1 − p)^(n−1), p = 1/mean, by inversion:
    /// L = 1 + ⌊ln u / ln(1 − p)⌋ with u in (0, 1]. Consumes one word.
    public func blockLength(using rng: inout SeededGenerator) -> Int {
        let p = 1 / meanBlock
        if p >= 1 { _ = rng.next(); return 1 }
        let u = 1 - rng.uniform()
        return 1 + Int((log(u) / log(1 - p)).rounded(.down))
    }

    /// A cue drawn uniformly. Consumes one word (rarely more).
    public func cue(using rng: inout SeededGenerator) -> Int { rng.int(below: cues) }
}

/// What happened on one trial of the two-timescale network.
public struct TimescaleTrial: Sendable, Equatable {
    /// P(wrong action) before learning: 1 − p_correct.
    public var error: Double
    /// The MD unit selected (k).
    public var mdUnit: Int
    /// Reward r (1 if the greedy action was correct).
    public var reward: Double
}

/// The circuit of the header: J (fixed), M (slow, cortical), z (fast, corticothalamic).
public struct TwoTimescaleNetwork: Sendable {
    /// The constants of the circuit.
    public struct Constants: Sendable, Equatable {
        /// Cues C.
        public var cues: Int
        /// MD units K (each owns one group of PFC units).
        public var mdUnits: Int
        /// PFC units per MD group (N/K).
        public var unitsPerGroup: Int
        /// MD gain γ on the selected group: its units are multiplied by 1 + γ.
        public var gain: Double
        /// MD inhibition θ of the unselected groups (subtracted before rectification).
        public var inhibition: Double
        /// Fast learning rate η_z of the corticothalamic drive z.
        public var etaFast: Double
        /// Slow learning rate η_M of the cortical readout M.
        public var etaSlow: Double
        /// Inverse temperature β_z of the MD selection.
        public var betaMD: Double
        /// Saturation |z_k| ≤ z_max of the corticothalamic drive.
        public var zMax: Double

        /// The constants, each as described above (at least 1 cue, 2 MD units and 1 unit per group).
        public init(
            cues: Int, mdUnits: Int, unitsPerGroup: Int, gain: Double, inhibition: Double,
            etaFast: Double, etaSlow: Double, betaMD: Double, zMax: Double
        ) {
            precondition(cues >= 1 && mdUnits >= 2 && unitsPerGroup >= 1, "network sizes")
            self.cues = cues
            self.mdUnits = mdUnits
            self.unitsPerGroup = unitsPerGroup
            self.gain = gain
            self.inhibition = inhibition
            self.etaFast = etaFast
            self.etaSlow = etaSlow
            self.betaMD = betaMD
            self.zMax = zMax
        }

        /// PFC units N = K × N/K.
        var pfcUnits: Int { mdUnits * unitsPerGroup }
    }

    /// The sizes, MD gain and inhibition, learning rates and temperature the network uses.
    public var constants: Constants
    /// Cue→PFC weights, stored cue by cue: J[c·N + j] = J_{j c} (N(0, 1), fixed).
    var projection: [Double]
    /// Cortical readout M (2 × N, row-major), learned slowly.
    public private(set) var readout: [Double]
    /// Corticothalamic drive z of each MD unit (the fast variable).
    public private(set) var drive: [Double]
    /// When true M does not change (the cortical weights frozen); z still learns.
    public var cortexFrozen = false
    /// When set, MD unit `clampedMD` is selected on every trial and z does not learn (an
    /// oracle that is told the context, or a probe).
    public var clampedMD: Int? = nil

    // Scratch buffers, so a trial allocates nothing.
    private var h: [Double]
    private var p: [Double]
    private var selection: [Double]

    /// A network with J ~ N(0, 1) drawn from `rng` (N·C Gaussian draws, cue by cue), M = 0,
    /// and z = z_max (e_`startMD` − 1/K): MD unit `startMD` starts selected (with β_z z_max ≥ 5 all
    /// but surely).
    public init(_ constants: Constants, startMD: Int = 0, using rng: inout SeededGenerator) {
        self.constants = constants
        let n = constants.pfcUnits
        projection = (0..<(n * constants.cues)).map { _ in rng.gaussian() }
        readout = [Double](repeating: 0, count: SwitchingTask.actions * n)
        drive = (0..<constants.mdUnits).map {
            constants.zMax * (($0 == startMD ? 1 : 0) - 1 / Double(constants.mdUnits))
        }
        h = [Double](repeating: 0, count: n)
        p = [Double](repeating: 0, count: SwitchingTask.actions)
        selection = [Double](repeating: 0, count: constants.mdUnits)
    }

    /// PFC activity for `cue` with MD unit `k` selected, into `h`.
    private mutating func pfc(cue: Int, md k: Int) {
        let c = constants, n = c.pfcUnits, base = cue * n
        for j in 0..<n {
            let on = j / c.unitsPerGroup == k
            let u = projection[base + j]
            // MD amplifies its own group (1 + γ) and inhibits the others (−θ).
            let x = on ? (1 + c.gain) * u : u - c.inhibition
            h[j] = max(0, x)
        }
    }

    /// The readout's softmax p = softmax(M h), into `p`.
    private mutating func output() {
        let n = constants.pfcUnits
        var largest = -Double.infinity
        for a in 0..<SwitchingTask.actions {
            var s = 0.0
            for j in 0..<n { s += readout[a * n + j] * h[j] }
            p[a] = s
            largest = max(largest, s)
        }
        var total = 0.0
        for a in 0..<SwitchingTask.actions {
            p[a] = exp(p[a] - largest)
            total += p[a]
        }
        for a in 0..<SwitchingTask.actions { p[a] /= total }
    }

    /// The MD unit drawn from softmax(β_z z) with one uniform draw (one word).
    private mutating func selectMD(using rng: inout SeededGenerator) -> Int {
        let beta = constants.betaMD
        var largest = -Double.infinity
        for z in drive { largest = max(largest, beta * z) }
        var total = 0.0
        for k in 0..<drive.count {
            selection[k] = exp(beta * drive[k] - largest)
            total += selection[k]
        }
        let target = rng.uniform() * total
        var cumulative = 0.0
        for k in 0..<drive.count {
            cumulative += selection[k]
            if target < cumulative { return k }
        }
        return drive.count - 1
    }

    /// One trial: MD selects a unit, PFC and the readout respond, the greedy action is
    /// rewarded or not, then (if `learn`) the fast rule updates z and the slow rule M.
    /// With `misleading` the feedback lies: the reward is flipped and the slow rule is taught the
    /// other action (the returned error is still the true P(error)).
    /// Draws one word from `mdRNG` (also when MD is clamped, so streams stay aligned).
    public mutating func trial(
        cue: Int, correct: Int, learn: Bool = true, misleading: Bool = false, mdRNG: inout SeededGenerator
    ) -> TimescaleTrial {
        let drawn = selectMD(using: &mdRNG)
        let k = clampedMD ?? drawn
        pfc(cue: cue, md: k)
        output()
        let action = p[1] > p[0] ? 1 : 0
        let error = 1 - p[correct]
        let taught = misleading ? (correct + 1) % SwitchingTask.actions : correct
        let reward: Double = action == taught ? 1 : 0
        if learn {
            if clampedMD == nil && constants.etaFast != 0 {
                // Eq. (7) at the fast rate: the selected MD unit's drive moves by the RPE r − s_{a*_s}.
                drive[k] += constants.etaFast * (reward - p[action])
                let mean = drive.reduce(0, +) / Double(drive.count)
                for i in 0..<drive.count { drive[i] = min(constants.zMax, max(-constants.zMax, drive[i] - mean)) }
            }
            if !cortexFrozen {
                // Slow delta rule ΔM = η_M (t − p) hᵀ.
                let n = constants.pfcUnits, eta = constants.etaSlow
                for a in 0..<SwitchingTask.actions {
                    let e = eta * ((a == taught ? 1 : 0) - p[a])
                    if e == 0 { continue }
                    for j in 0..<n where h[j] != 0 { readout[a * n + j] += e * h[j] }
                }
            }
        }
        return TimescaleTrial(error: error, mdUnit: k, reward: reward)
    }

    /// P(wrong action) on `cue` in `context` with MD unit `md` selected, without learning.
    mutating func probeError(cue: Int, context: Int, md: Int, task: SwitchingTask) -> Double {
        pfc(cue: cue, md: md)
        output()
        return 1 - p[task.correct(cue: cue, context: context)]
    }

    /// The mean P(wrong action) over every cue of `context` with MD unit `md` selected.
    public mutating func meanProbeError(context: Int, md: Int, task: SwitchingTask) -> Double {
        var total = 0.0
        for c in 0..<task.cues { total += probeError(cue: c, context: context, md: md, task: task) }
        return total / Double(task.cues)
    }

    /// The MD unit z currently favours (largest drive; the lowest index on ties).
    public var preferredMD: Int { drive.argmax }

    /// Every learned value (M and z), for divergence checks.
    public var learnedValues: [Double] { readout + drive }
}
