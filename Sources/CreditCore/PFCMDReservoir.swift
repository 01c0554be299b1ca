// The PFC–MD reservoir of Rikhye, Gilra & Halassa (2018, Nat Neurosci 21:1753), the model of
// the paper's weight-stability figure, at a size of the caller's choice.
//
//   τ dx/dt = −x + (1 + W_mult m) ⊙ (J r) + W_add m + W_in u,     r = max(tanh x, 0)
//
// PFC units come in groups: group g is driven by cue g (W_in ≥ 0 only onto its own group);
// context k owns groups 2k and 2k + 1 (cues A, B = context 1; C, D = context 2); the groups
// beyond 2·contexts belong to no cue and no context. MD has one unit per context, m_k; the
// MD → PFC weights W_mult (multiplicative, on the recurrent input) and W_add (additive) are
// set by an ``MDCoupling``. Integration is forward Euler with step dt, as in the authors'
// code (adityagilra/PFC_MD_weights_stability, reservoir_PFCMD_simple.py).
//
// Interpretations (ours), stated where the model is built:
// - J ~ N(0, G² / (2 n)) with n the group size, then each row's mean removed. The paper's
//   model has n = 200 and variance G²/400; 2n keeps the same scaling at any group size (the
//   recurrent input's variance stays the same when the number of active units scales with n).
// - A trial starts from x ~ U(0, 0.1) per unit (the authors' code; "some random input").
//   These initial rates are positive for every unit, so at a trial's first step even the
//   units the MD is about to silence are active once.
// - Storage is contiguous: J is kept column-major so that J r is a sum of the columns of the
//   active units (r_j > 0), which skips the silent ones exactly (r_j = 0 adds nothing).
import CKernels

/// How the MD units act on PFC (the W_mult and W_add of the model), one context at a time:
/// MD unit k multiplies the recurrent input of context k's units by 1 + `contextGain` and of
/// every other unit by 1 + `otherGain`, adds `inhibition` to every unit outside context k and
/// `contextOffset` to context k's own units (0 in the paper).
public struct MDCoupling: Sendable, Equatable {
    /// W_mult onto the units of the MD unit's own context.
    public var contextGain: Double
    /// W_mult onto every other unit.
    public var otherGain: Double
    /// W_add onto every unit outside the MD unit's context (negative: inhibition).
    public var inhibition: Double
    /// W_add onto the units of the MD unit's own context.
    public var contextOffset: Double

    /// A coupling from its four weights (dimensionless); see ``amplifying(gain:inhibition:)`` and
    /// ``uniform(gain:)`` for the paper's two settings.
    public init(contextGain: Double, otherGain: Double, inhibition: Double, contextOffset: Double = 0) {
        self.contextGain = contextGain
        self.otherGain = otherGain
        self.inhibition = inhibition
        self.contextOffset = contextOffset
    }

    /// The paper's "MD on": the current context's units get gain 1 + G_MD / G (6 / 0.75 = 8,
    /// so ×9), the others gain 1 and an additive −10.
    public static func amplifying(gain: Double = 8, inhibition: Double = -10) -> MDCoupling {
        MDCoupling(contextGain: gain, otherGain: 0, inhibition: inhibition)
    }

    /// The paper's "MD off": every unit gets the same gain 1 + G_off / G (1.5 / 0.75 = 2, so ×3)
    /// and no inhibition, whatever the context.
    public static func uniform(gain: Double = 2) -> MDCoupling {
        MDCoupling(contextGain: gain, otherGain: gain, inhibition: 0)
    }
}

/// The PFC reservoir: rate units in cue groups with fixed random recurrence, modulated by MD.
public struct PFCMDReservoir: Sendable {
    /// Number of unit groups (2 per context, then unassigned ones).
    public let groups: Int
    /// Units per group.
    public let groupSize: Int
    /// Number of contexts (= MD units); context k owns groups 2k and 2k + 1.
    public let contexts: Int
    /// Total number of units, groups × groupSize.
    public let units: Int
    /// Time constant τ (ms).
    public let tau: Double
    /// Euler step dt (ms).
    public let dt: Double
    /// The recurrent weights J, column-major: J[i, j] at j · units + i.
    private(set) var recurrent: [Double]
    /// W_in: unit i's weight from the cue of its own group (0 for groups without a cue).
    public private(set) var inputWeights: [Double]
    /// W_mult, units × contexts, row-major.
    private(set) var multiplicative: [Double]
    /// W_add, units × contexts, row-major.
    private(set) var additive: [Double]
    /// The state x of every unit.
    public private(set) var state: [Double]
    /// The rates r = max(tanh x, 0) of the current state.
    public private(set) var rates: [Double]
    /// 1 + W_mult m and W_add m for the MD vector of the last ``setMD(_:)``.
    private var gain: [Double]
    private var offset: [Double]
    private var drive: [Double]
    /// Scratch: the indices of the active units (r > 0) of a step.
    private var active: [Int]

    /// A reservoir whose J and W_in are drawn from `SeededGenerator(seed: seed)`.
    /// - Parameters:
    ///   - seed: the seed of the weights' generator.
    ///   - groups: PFC groups (two cue groups per context).
    ///   - groupSize: units per group.
    ///   - contexts: contexts, one MD unit each.
    ///   - tau: the units' time constant τ (ms).
    ///   - dt: the Euler step (ms), at most τ.
    ///   - g: G, the recurrent gain (0.75 in the paper).
    ///   - cueScale: W_in = U(0.5, 1) × this (1.5 in the paper).
    ///   - coupling: W_mult and W_add (``MDCoupling/amplifying(gain:inhibition:)`` by default).
    public init(
        seed: UInt64, groups: Int = 5, groupSize: Int = 40, contexts: Int = 2, tau: Double = 20, dt: Double = 1,
        g: Double = 0.75, cueScale: Double = 1.5, coupling: MDCoupling = .amplifying()
    ) {
        precondition(groups >= 2 * contexts && contexts >= 1 && groupSize >= 1, "each context needs two cue groups")
        precondition(tau > 0 && dt > 0 && dt <= tau, "need 0 < dt ≤ τ")
        self.groups = groups
        self.groupSize = groupSize
        self.contexts = contexts
        let n = groups * groupSize
        units = n
        self.tau = tau
        self.dt = dt
        var rng = SeededGenerator(seed: seed)
        // J ~ N(0, G² / (2 groupSize)), drawn row by row, then each row's mean removed.
        let sd = g / Double(2 * groupSize).squareRoot()
        var rowMajor = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<n {
                let w = rng.gaussian(sd: sd)
                rowMajor[i * n + j] = w
                sum += w
            }
            let mean = sum / Double(n)
            for j in 0..<n { rowMajor[i * n + j] -= mean }
        }
        var columnMajor = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { columnMajor[j * n + i] = rowMajor[i * n + j] } }
        recurrent = columnMajor
        // Cue c drives only group c (the paper: one group per cue, none for the last group).
        var win = [Double](repeating: 0, count: n)
        for i in 0..<(2 * contexts * groupSize) { win[i] = rng.uniform(in: 0.5...1) * cueScale }
        inputWeights = win
        multiplicative = [Double](repeating: 0, count: n * contexts)
        additive = [Double](repeating: 0, count: n * contexts)
        state = [Double](repeating: 0, count: n)
        rates = [Double](repeating: 0, count: n)
        gain = [Double](repeating: 1, count: n)
        offset = [Double](repeating: 0, count: n)
        drive = [Double](repeating: 0, count: n)
        active = [Int](repeating: 0, count: n)
        setCoupling(coupling)
    }

    /// The context a unit belongs to (nil for the unassigned groups).
    public func context(ofUnit i: Int) -> Int? {
        let group = i / groupSize
        return group < 2 * contexts ? group / 2 : nil
    }

    /// The unit indices of context k (its two cue groups).
    public func units(ofContext k: Int) -> Range<Int> { (2 * k * groupSize)..<(2 * (k + 1) * groupSize) }

    /// The unit indices of group g.
    public func units(ofGroup g: Int) -> Range<Int> { (g * groupSize)..<((g + 1) * groupSize) }

    /// Sets W_mult and W_add from `coupling` (then call ``setMD(_:)`` to apply them).
    mutating func setCoupling(_ coupling: MDCoupling) {
        for i in 0..<units {
            let own = context(ofUnit: i)
            for k in 0..<contexts {
                multiplicative[i * contexts + k] = own == k ? coupling.contextGain : coupling.otherGain
                additive[i * contexts + k] = own == k ? coupling.contextOffset : coupling.inhibition
            }
        }
        setMD([Double](repeating: 0, count: contexts))
    }

    /// Sets the MD activity m (one value per context): every following step uses
    /// gain 1 + W_mult m and offset W_add m.
    public mutating func setMD(_ md: [Double]) {
        precondition(md.count == contexts, "one MD value per context")
        for i in 0..<units {
            var gm = 1.0, am = 0.0
            for k in 0..<contexts {
                gm += multiplicative[i * contexts + k] * md[k]
                am += additive[i * contexts + k] * md[k]
            }
            gain[i] = gm
            offset[i] = am
        }
    }

    /// The MD vector that clamps context k on (one-hot).
    public func md(context k: Int) -> [Double] {
        (0..<contexts).map { $0 == k ? 1 : 0 }
    }

    /// The per-unit recurrent gain 1 + W_mult m of the current MD vector.
    var currentGain: [Double] { gain }
    /// The per-unit additive MD input W_add m of the current MD vector.
    var currentOffset: [Double] { offset }

    /// Starts a trial: x ~ U(0, `initialSpread`) for every unit (the authors' code), r from it.
    public mutating func reset(using rng: inout SeededGenerator, initialSpread: Double = 0.1) {
        for i in 0..<units {
            state[i] = rng.uniform(in: 0...initialSpread)
            rates[i] = max(Foundationless.tanh(state[i]), 0)
        }
    }

    /// One Euler step of dt with cue `cue` (a group index, or nil for no cue, scaled by
    /// `cueAmplitude`); afterwards ``rates`` are those of the new state.
    public mutating func step(cue: Int?, cueAmplitude: Double = 1) {
        let n = units
        let k = dt / tau
        let cueRange = cue.map { units(ofGroup: $0) } ?? 0..<0
        recurrent.withUnsafeBufferPointer { jb in
            drive.withUnsafeMutableBufferPointer { db in
                rates.withUnsafeMutableBufferPointer { rb in
                    gain.withUnsafeBufferPointer { gb in
                        offset.withUnsafeBufferPointer { ob in
                            state.withUnsafeMutableBufferPointer { xb in
                                inputWeights.withUnsafeBufferPointer { wb in
                                    let (j0, d, r) = (jb.baseAddress!, db.baseAddress!, rb.baseAddress!)
                                    let (g, o, x, w) = (gb.baseAddress!, ob.baseAddress!, xb.baseAddress!, wb.baseAddress!)
                                    // J r as a sum of the active units' columns (silent units add nothing),
                                    // eight columns per pass, at the CPU's widest vectors (CKernels).
                                    active.withUnsafeMutableBufferPointer { ab in
                                        let a = ab.baseAddress!
                                        var count = 0
                                        for j in 0..<n where r[j] != 0 {
                                            a[count] = j
                                            count += 1
                                        }
                                        ck_sum_active_columns(d, j0, a, count, r, n)
                                    }
                                    for i in 0..<n { x[i] += k * (-x[i] + g[i] * d[i] + o[i]) }
                                    for i in cueRange { x[i] += k * w[i] * cueAmplitude }
                                    // r = max(tanh x, 0): tanh only where x > 0.
                                    for i in 0..<n { r[i] = x[i] > 0 ? Foundationless.tanh(x[i]) : 0 }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One trial with the MD vector `md`: starts from x ~ U(0, `initialSpread`) (drawn from
    /// `rng`), shows group `cue`'s input for the first `cueSteps` of `steps` steps, and at every
    /// step lets `readout` read the current rates (learning with `learningRate`, 0 for none)
    /// before the network steps. Returns the trial's mean over steps and outputs of (out − target)².
    public mutating func runTrial(
        cue: Int, md: [Double], steps: Int, cueSteps: Int, readout: inout PFCReadout, target: [Double],
        learningRate: Double, rng: inout SeededGenerator, initialSpread: Double = 0.1
    ) -> Double {
        setMD(md)
        reset(using: &rng, initialSpread: initialSpread)
        readout.reset()
        var squared = 0.0
        for t in 0..<steps {
            readout.step(rates: rates, target: target, tau: tau, dt: dt, learningRate: learningRate)
            for e in readout.error { squared += e * e }
            step(cue: t < cueSteps ? cue : nil)
        }
        return squared / Double(steps * readout.outputs)
    }
}

/// The linear readout of the PFC rates trained by the delta rule (the paper's output units):
/// its input is low-pass filtered with τ, out = max(tanh(filtered), 0), and at every step
/// w ← w − η (out − target) rᵀ with r the PFC rates the step read.
public struct PFCReadout: Sendable {
    /// Number of outputs.
    public let outputs: Int
    /// Number of PFC units read.
    public let inputs: Int
    /// The weights, outputs × inputs, row-major.
    public var weights: [Double]
    /// The filtered input to each output.
    private(set) var filtered: [Double]
    /// The outputs after the last step.
    public private(set) var output: [Double]
    /// out − target after the last step.
    public private(set) var error: [Double]

    /// Weights drawn U(−1, 1) / inputs (the authors' initialisation).
    public init(outputs: Int = 2, inputs: Int, rng: inout SeededGenerator) {
        self.outputs = outputs
        self.inputs = inputs
        weights = (0..<(outputs * inputs)).map { _ in rng.uniform(in: -1...1) / Double(inputs) }
        filtered = [Double](repeating: 0, count: outputs)
        output = filtered
        error = filtered
    }

    /// Starts a trial: the filtered input and the output go back to 0.
    public mutating func reset() {
        for o in 0..<outputs { (filtered[o], output[o], error[o]) = (0, 0, 0) }
    }

    /// One step: filters w r with time constant τ (step dt), computes the output and its error
    /// against `target`, and (if `learningRate` > 0) applies the delta rule with the same r.
    public mutating func step(rates r: [Double], target: [Double], tau: Double, dt: Double, learningRate: Double) {
        precondition(r.count == inputs && target.count == outputs)
        let n = inputs
        let k = dt / tau
        weights.withUnsafeMutableBufferPointer { w in
            r.withUnsafeBufferPointer { rb in
                for o in 0..<outputs {
                    var s = 0.0
                    let row = w.baseAddress! + o * n
                    for j in 0..<n { s += row[j] * rb[j] }
                    filtered[o] += k * (-filtered[o] + s)
                    output[o] = max(Foundationless.tanh(filtered[o]), 0)
                    error[o] = output[o] - target[o]
                    if learningRate > 0 {
                        let e = learningRate * error[o]
                        for j in 0..<n { row[j] -= e * rb[j] }
                    }
                }
            }
        }
    }
}
