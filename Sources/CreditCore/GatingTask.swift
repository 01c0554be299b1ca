// A delayed-response task in which the basal ganglia must learn what prefrontal cortex
// holds: the review's proposal of Eqs. (10)–(11) and Figure 7.
//
//   trial:   cue item (t = 0) → D distractor items spread over the delay → probe (t = L)
//   memory:  one PFC unit per item; a presented item loads its unit, which then decays
//            with τ_eff (Eq. 11): long if MD was disinhibited for it (gate open), ≈ τ if not
//   gate:    for every item the actor (basal ganglia) opens or closes the gate
//   probe:   the most active unit (plus readout noise) is the reported item; reward 1 if it
//            is the cue, 0 otherwise
//
// Memory model. Each PFC unit is a ``WorkingMemoryUnit`` (Eq. 10, from
// WorkingMemoryDynamics.swift) at rest at r* = ½, the sigmoid's most sensitive point
// (inp* = 0, f′ = ¼), held there by a background input r_s = −(1 + r_MD) w_PFC / 2 that
// balances the MD-amplified recurrent excitation (a modelling choice: as if MD recruited
// matching inhibition). The unit's
// ``WorkingMemoryUnit/fixedPoint(at:md:sensory:)`` gives Eq. (11) at that rest:
// τ_eff = τ / (1 − (1 + r_MD) w_PFC / 4). Between events a unit's trace — its deviation
// from rest, normalised to 1 when its item is presented — is advanced by the *exact*
// solution of the linearised Eq. (10), x(t + Δ) = x(t) e^{−Δ/τ_eff}, rather than by RK4
// integration: thousands of trials per seed stay cheap, and the decay is the one Eq. (11)
// describes. (WorkingMemoryPopulation integrates the full nonlinear Eq. 10; for a small
// deviation it decays at the same rate, which ActorCriticTests checks.)
//
// Beyond the review: an open gate past the loop gain 1 (the bistable regime of Exercise 5).
// With the balancing input the unit is symmetric about ½, so at g = 1 the rest does not meet a
// saddle-node, as with a negative bias, but a pitchfork: ½ loses stability and two persistent
// states r± = ½ ± y appear on either side of it. A loaded item (r = ``Constants/loadedRate``
// > ½) lies on the upper side and settles in r+. The memory then still follows Eq. (10)
// linearised, but about r+: the trace relaxes to the level x∞ = (r+ − ½) / (r_load − ½) with
// Eq. (11)'s τ_eff at r+ (``TraceRelaxation``), instead of decaying to 0. Close to g = 1 that
// linearisation is poor (r+ is near ½, far from the loaded rate, and the decay is algebraic);
// the chapter accepts only open gates clear of it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - The memory

/// A PFC working-memory population with one unit per item, each gated by its own MD input.
///
/// Each unit i has a trace x_i (its activity's deviation from rest, 1 right after its item
/// is presented) and a gate state: open (MD disinhibited, r_MD = `Constants/rMDOpen`) or
/// closed (MD inhibited, r_MD = `Constants/rMDClosed`). Between events the trace decays
/// exactly, x ← x e^{−Δt/τ_eff}, with τ_eff from Eq. (11) at the resting state (see
/// `Constants/restingState(rMD:)`). Presenting item i sets x_i = 1 and its
/// gate to the chosen state (a repeated item is reloaded and re-gated). Time is in ms.
public struct GatedPFCMemory: Sendable, Equatable {
    /// The constants of Eqs. (10)–(11) and of the readout.
    public struct Constants: Sendable, Equatable {
        /// The PFC time constant τ of Eq. (10), in ms.
        var tau: Double
        /// The recurrent weight w_PFC of Eq. (10).
        var wPFC: Double
        /// MD activity r_MD when the gate is open (MD disinhibited by the basal ganglia).
        var rMDOpen: Double
        /// MD activity r_MD when the gate is closed (MD inhibited; ≈ 0).
        var rMDClosed: Double
        /// sd of the Gaussian noise added to every trace at the probe (trace units, where a
        /// freshly loaded trace is 1); a trace well below it is unreliable.
        var readoutNoise: Double
        /// The rate r at which a presented item loads its unit, the trace's 1 (0.9). The graded
        /// memory does not depend on it (its decay is scale-free); it sets where a bistable open
        /// gate's persistent state lies in trace units, and the start of the full Eq. (10).
        public let loadedRate = 0.9

        /// Constants; the defaults are τ = 100 ms, w_PFC = 2, r_MD = 0.9 (open) and 0 (closed),
        /// readout noise 0.15. Then τ_eff = 2000 ms open (loop gain 0.95) and 200 ms closed
        /// (loop gain 0.5): MD lengthens the memory tenfold.
        public init(
            tau: Double = 100, wPFC: Double = 2, rMDOpen: Double = 0.9, rMDClosed: Double = 0,
            readoutNoise: Double = 0.15
        ) {
            precondition(tau > 0 && tau.isFinite, "the PFC time constant τ must be > 0, got \(tau)")
            self.tau = tau
            self.wPFC = wPFC
            self.rMDOpen = rMDOpen
            self.rMDClosed = rMDClosed
            self.readoutNoise = readoutNoise
        }

        /// The PFC unit of Eq. (10) with this τ and w_PFC.
        var unit: WorkingMemoryUnit { WorkingMemoryUnit(tau: tau, wPFC: wPFC) }

        /// The background input r_s = −(1 + r_MD) w_PFC / 2 that holds a unit at rest at r* = ½
        /// (then inp* = (1 + r_MD) w_PFC · ½ + r_s = 0).
        func restingInput(rMD: Double) -> Double { -(1 + rMD) * wPFC / 2 }

        /// The resting state r* = ½ for MD input `rMD`, with its loop gain and τ_eff (Eq. 11)
        /// from ``WorkingMemoryUnit/fixedPoint(at:md:sensory:)``.
        func restingState(rMD: Double) -> RateFixedPoint {
            unit.fixedPoint(at: 0.5, md: rMD, sensory: restingInput(rMD: rMD))
        }

        /// The loop gain (1 + r_MD) w_PFC f′(0) = (1 + r_MD) w_PFC / 4 at rest; Eq. (11)
        /// describes a decaying memory, and the rest is stable, only while it is below 1.
        public func loopGain(rMD: Double) -> Double { restingState(rMD: rMD).loopGain }

        /// τ_eff with the gate open (Eq. 11 at r_MD = ``rMDOpen``), in ms.
        var tauOpen: Double { restingState(rMD: rMDOpen).effectiveTimeConstant }

        /// τ_eff with the gate closed (Eq. 11 at r_MD = ``rMDClosed``), in ms.
        var tauClosed: Double { restingState(rMD: rMDClosed).effectiveTimeConstant }

        /// Whether the open gate is bistable: loop gain at rest above 1 (see the file's comment).
        public var openGateIsBistable: Bool { loopGain(rMD: rMDOpen) > 1 }

        /// The persistent state r+ that a loaded item settles in when the gate with MD input `rMD`
        /// is bistable (the highest fixed point of Eq. 10 with the balancing input), else nil.
        public func persistentState(rMD: Double) -> RateFixedPoint? {
            guard loopGain(rMD: rMD) > 1 else { return nil }
            return unit.fixedPoints(md: rMD, sensory: restingInput(rMD: rMD)).last
        }

        /// How a loaded trace evolves with the gate open (`open`) or closed, under Eq. (10)
        /// linearised about the fixed point it is attracted to: decay to 0 with τ_eff at rest
        /// (Eq. 11 at r* = ½) while the loop gain there is below 1; past 1, relaxation to the
        /// persistent state r+ in trace units, with Eq. (11)'s τ_eff at r+.
        public func relaxation(open: Bool) -> TraceRelaxation {
            let rMD = open ? rMDOpen : rMDClosed
            guard let upper = persistentState(rMD: rMD) else {
                return TraceRelaxation(level: 0, tau: restingState(rMD: rMD).effectiveTimeConstant)
            }
            return TraceRelaxation(level: (upper.rate - 0.5) / (loadedRate - 0.5), tau: upper.effectiveTimeConstant)
        }

        /// The full, nonlinear Eq. (10) for one unit with its balancing input, integrated with RK4
        /// (step `dt` ms) from the rate `start`: the trace (r(t) − ½) / (start − ½) at each of
        /// `times` (ms, ascending, ≥ 0). The linearised memory is e^{−t/τ_eff}; far from rest the
        /// logistic saturates, f′ < ¼, and the full trace falls faster.
        public func fullModelTrace(from start: Double, open: Bool, times: [Double], dt: Double = 0.1) -> [Double] {
            let md = open ? rMDOpen : rMDClosed, input = restingInput(rMD: md), u = unit
            var r = start, t = 0.0, out = [Double]()
            for target in times {
                while t < target - 1e-12 {
                    let h = Swift.min(dt, target - t)
                    r = u.rk4Step(r, dt: h, md: md, sensory: input)  // Eq. (10)
                    t += h
                }
                out.append((r - 0.5) / (start - 0.5))
            }
            return out
        }

        /// The time (ms) in which the full Eq. (10) loses 1/e of a deviation that starts at the rate
        /// `start`, to the step `dt` (linear interpolation between steps); infinite without a
        /// step when the deviation settles in a persistent state above 1/e of it.
        public func fullModelOneOverETime(from start: Double, open: Bool, dt: Double = 0.05) -> Double {
            let md = open ? rMDOpen : rMDClosed, input = restingInput(rMD: md), u = unit
            let target = exp(-1.0)
            if let upper = persistentState(rMD: md), (upper.rate - 0.5) / (start - 0.5) >= target { return .infinity }
            var r = start, t = 0.0, x = 1.0
            while t < 1e7 {
                let next = u.rk4Step(r, dt: dt, md: md, sensory: input)  // Eq. (10)
                let xNext = (next - 0.5) / (start - 0.5)
                if xNext <= target { return t + dt * (x - target) / (x - xNext) }
                (r, x, t) = (next, xNext, t + dt)
            }
            return .infinity
        }
    }

    /// The constants.
    let constants: Constants
    /// How a trace evolves with the gate open and closed, cached from ``constants``.
    let open: TraceRelaxation, closed: TraceRelaxation
    /// x_i: each unit's deviation from rest (1 when its item was just presented).
    private(set) var trace: [Double]
    /// Whether each unit's gate is open (its MD input disinhibited).
    private(set) var gateOpen: [Bool]
    /// The current time in ms (the trial starts at 0).
    private(set) var time: Double = 0

    /// An empty memory (every trace 0, every gate closed) of `items` units at time 0.
    public init(items: Int, constants: Constants) {
        precondition(items >= 1, "the memory needs at least one unit")
        precondition(
            constants.loopGain(rMD: constants.rMDOpen) != 1 && constants.loopGain(rMD: constants.rMDClosed) < 1,
            "the memory needs a loop gain below 1 with the gate closed and other than 1 with it open")
        self.constants = constants
        open = constants.relaxation(open: true)
        closed = constants.relaxation(open: false)
        trace = Array(repeating: 0, count: items)
        gateOpen = Array(repeating: false, count: items)
    }

    /// Number of units (= items).
    var itemCount: Int { trace.count }

    /// Empties the memory again (every trace 0, every gate closed, time 0), keeping its constants
    /// and relaxations, so one memory serves every trial of a run.
    mutating func reset() {
        for i in 0..<trace.count {
            trace[i] = 0
            gateOpen[i] = false
        }
        time = 0
    }

    /// Number of units whose gate is open: the memory's load, which the critic reads.
    var load: Int { gateOpen.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Advances every trace exactly to time `t` (≥ the current time) under its gate's
    /// ``TraceRelaxation``: x_i ← x∞ + (x_i − x∞) e^{−Δt/τ_eff,i}, x∞ = 0 for a graded gate.
    mutating func advance(to t: Double) {
        precondition(t >= time, "time runs forward: \(t) < \(time)")
        let dt = t - time
        if dt > 0 {
            let keepOpen = exp(-dt / open.tau), keepClosed = exp(-dt / closed.tau)
            for i in 0..<trace.count {
                let (level, keep) = gateOpen[i] ? (open.level, keepOpen) : (closed.level, keepClosed)
                trace[i] = level + (trace[i] - level) * keep
            }
        }
        time = t
    }

    /// Presents `item` at the current time: its trace becomes 1 and its gate `open`.
    mutating func present(_ item: Int, open: Bool) {
        trace[item] = 1
        gateOpen[item] = open
    }

    /// The reported item: argmax_i (x_i + ξ_i), ξ_i ~ N(0, readoutNoise²) drawn in unit order
    /// (two generator words each); ties are broken uniformly at random with `rng`.
    func readout(using rng: inout SeededGenerator) -> Int {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: trace.count) { y in
            var bestValue = -Double.infinity
            for i in 0..<trace.count {
                y[i] = trace[i] + (constants.readoutNoise > 0 ? rng.gaussian(sd: constants.readoutNoise) : 0)
                if y[i] > bestValue { bestValue = y[i] }
            }
            // The tied best units, in unit order; the k-th of them is reported.
            let ties = y.reduce(0) { $0 + ($1 == bestValue ? 1 : 0) }
            var k = ties == 1 ? 0 : rng.int(below: ties)
            for i in 0..<trace.count where y[i] == bestValue {
                if k == 0 { return i }
                k -= 1
            }
            preconditionFailure("no unit has the best value")
        }
    }
}

/// How a memory trace x evolves between events under Eq. (10) linearised about the fixed
/// point it is attracted to: x(t) = x∞ + (x(0) − x∞) e^{−t/τ_eff}, with x∞ that fixed point's
/// deviation from rest in trace units (0 for the resting state itself) and τ_eff from Eq. (11)
/// there.
public struct TraceRelaxation: Sendable, Equatable {
    /// x∞, the level the trace relaxes to (0: the memory fades; > 0: a persistent state).
    public var level: Double
    /// τ_eff (ms) of the relaxation (Eq. 11 at the attracting fixed point).
    public var tau: Double

    /// The relaxation to `level` with time constant `tau` ms (> 0).
    public init(level: Double, tau: Double) {
        precondition(tau > 0, "a relaxation needs τ_eff > 0, got \(tau)")
        self.level = level
        self.tau = tau
    }

    /// The trace `t` ms after it was loaded at 1.
    public func trace(after t: Double) -> Double { level + (1 - level) * exp(-t / tau) }
}

// MARK: - The task

/// One trial of the delayed-response task: the cue, the distractors and when each appears.
public struct GatingTrial: Sendable, Equatable {
    /// The item to remember (0 ..< K).
    var cue: Int
    /// The items in order of presentation: the cue, then the D distractors.
    var items: [Int]
    /// Presentation times in ms: the cue at 0, distractor j (1 … D) at j·L / (D + 1).
    var times: [Double]
    /// The delay L in ms: the probe comes at t = L.
    var delay: Double
    /// Number of items K in the task (one PFC unit each).
    var itemCount: Int
}

/// The delayed-response gating task: K items; a cue, D distractors over a delay of L ms, a
/// probe at which the agent must report the cue (reward 1 if right, 0 if wrong).
///
/// Distractors are drawn uniformly, with replacement, from the K − 1 items other than the
/// cue, so reporting a distractor is always wrong; chance is 1/K.
public struct GatingTask: Sendable, Equatable {
    /// Number of items K (≥ 2).
    var items: Int
    /// Distractors D per trial (≥ 0).
    var distractors: Int
    /// Delay L between cue and probe, in ms (> 0).
    var delay: Double

    /// A task with `items` items, `distractors` distractors and a delay of `delay` ms.
    public init(items: Int, distractors: Int, delay: Double) {
        precondition(items >= 2 && distractors >= 0 && delay > 0, "bad gating task")
        self.items = items
        self.distractors = distractors
        self.delay = delay
    }

    /// Chance accuracy 1/K.
    public var chance: Double { 1 / Double(items) }

    /// Draws a trial: the cue uniform over K items (one `int(below:)`), then each distractor
    /// uniform over the other K − 1.
    public func drawTrial(using rng: inout SeededGenerator) -> GatingTrial {
        let cue = rng.int(below: items)
        var list = [cue]
        for _ in 0..<distractors {
            let k = rng.int(below: items - 1)
            list.append(k < cue ? k : k + 1)
        }
        let spacing = delay / Double(distractors + 1)
        return GatingTrial(
            cue: cue, items: list, times: (0...distractors).map { Double($0) * spacing },
            delay: delay, itemCount: items)
    }
}

// MARK: - Gating policies and the agent

/// Who decides the gate for each incoming item.
public enum GatePolicy: String, Sendable, CaseIterable {
    /// The actor-critic (basal ganglia) samples open/closed and learns from δ.
    case learned
    /// Every item is gated in (MD always disinhibited).
    case alwaysOpen = "always-open"
    /// No item is gated in (MD always inhibited).
    case alwaysClosed = "always-closed"
    /// The ceiling: the gate opens for the cue and for nothing else, with no learning and no
    /// sampling (what a perfectly learned policy would do).
    case oracle
}

/// What the gating actor (the striatum) sees with each item: its features φ_a.
public enum GatingActorState: String, Sendable, CaseIterable {
    /// The slot only, one-hot [cue context, distractor context] (the chapter's model): 2 states.
    case slot
    /// The slot and the item's identity, one-hot over (slot, item): 2K states. The gate must
    /// then be learned for each item in each slot separately, with no generalisation between
    /// items: the right policy is the same (open in the cue slot, closed in the distractor
    /// slot), but each state is visited about 1/K as often. (Exercise 4; the review's
    /// PBWM-like setting, where the striatum sees the stimulus, not only its role.)
    case slotItem = "slot-item"
}

/// The gating agent: an ``ActorCritic`` whose actions are the gate (0 = closed, 1 = open).
///
/// - Actor features φ_a (the instruction input the striatum sees with each item): one-hot
///   [cue context, distractor context] (``GatingActorState/slot``). Item identity is *not* an
///   input, so the only way to do well is to learn that cue-context items should be gated in
///   and distractors not. With ``GatingActorState/slotItem`` φ_a is one-hot over
///   (slot, item), index slot · K + item.
/// - Critic features φ_c (the striatum's view of cortical state at each decision): one-hot over
///   [cue step, distractor step with load 0, … with load 1, … with load ≥ 2], the load being
///   the number of PFC units currently gated open. Without the load the value after the cue
///   could not depend on whether the cue was stored, δ at the cue step would average to zero and
///   storing the cue could not be credited — the review's point that TD needs working memory
///   to credit past inputs.
/// - Transitions: decision j (item j) → decision j + 1 with reward 0, the last decision → the
///   probe (terminal) with the trial's reward; each transition is one
///   `ActorCritic/update(actorFeatures:action:criticFeatures:reward:nextCriticFeatures:learn:)`.
public struct GatingAgent: Sendable, Equatable {
    /// Action index of "gate closed" (MD inhibited).
    static let closed = 0
    /// Action index of "gate open" (MD disinhibited).
    static let open = 1
    /// Length of φ_c.
    static let criticFeatureCount = 4

    /// The basal ganglia: critic and gating policy.
    public var actorCritic: ActorCritic
    /// Whether the critic sees the memory load (true, the model). False is the lesion that
    /// shows why it must: every distractor step then looks the same to the critic, δ at the
    /// cue step averages to zero, and P(open | cue) never leaves its random walk around ½.
    var criticSeesLoad: Bool
    /// What the actor sees with each item.
    let actorState: GatingActorState
    /// Items K of the task (the actor's item one-hot with ``GatingActorState/slotItem``).
    let items: Int
    /// Every φ_a the actor can see, at ``actorFeatureIndex(position:item:)``, built once so a
    /// trial allocates no feature vector.
    private let actorFeatureTable: [[Double]]
    /// Every φ_c, at the one-hot index of ``criticFeatures(position:load:)``.
    private static let criticFeatureTable = (0..<criticFeatureCount).map { [Double].oneHot($0, count: criticFeatureCount) }

    /// A naive agent (P(open) = ½ for every item, V = 0) whose actor sees `actorState` for a
    /// task of `items` items (used only by ``GatingActorState/slotItem``).
    public init(
        alphaActor: Double, alphaCritic: Double, gamma: Double = 1, criticSeesLoad: Bool = true,
        actorState: GatingActorState = .slot, items: Int = 2
    ) {
        precondition(items >= 1, "the task needs at least one item")
        self.actorState = actorState
        self.items = items
        let actorFeatureCount = actorState == .slot ? 2 : 2 * items
        actorCritic = ActorCritic(
            actorFeatures: actorFeatureCount, criticFeatures: Self.criticFeatureCount,
            actions: 2, actorAlpha: alphaActor, criticAlpha: alphaCritic, gamma: gamma)
        self.criticSeesLoad = criticSeesLoad
        actorFeatureTable = (0..<actorFeatureCount).map { [Double].oneHot($0, count: actorFeatureCount) }
    }

    /// Where φ_a is 1 for `item` at position `position` of the trial (0 is the cue): the slot
    /// (0 cue, 1 distractor), or with ``GatingActorState/slotItem`` slot · K + item.
    private func actorFeatureIndex(position: Int, item: Int) -> Int {
        let slot = position == 0 ? 0 : 1
        switch actorState {
        case .slot: return slot
        case .slotItem: return slot * items + item
        }
    }

    /// φ_a for `item` at position `position` of the trial (0 is the cue).
    func actorFeatures(position: Int, item: Int) -> [Double] {
        actorFeatureTable[actorFeatureIndex(position: position, item: item)]
    }

    /// φ_c at the decision for the item at `position`, given the memory's current `load`.
    static func criticFeatures(position: Int, load: Int) -> [Double] {
        criticFeatureTable[position == 0 ? 0 : 1 + min(load, 2)]
    }

    /// The learned P(open) for a cue (`cue == true`) or a distractor; with
    /// ``GatingActorState/slotItem`` the mean over the K items of that slot.
    public func openProbability(cue: Bool) -> Double {
        let seen = actorState == .slot ? [0] : Array(0..<items)
        return seen.map { actorCritic.policy(actorFeatures(position: cue ? 0 : 1, item: $0))[Self.open] }.reduce(0, +)
            / Double(seen.count)
    }
}

/// What happened on one trial.
public struct GatingTrialOutcome: Sendable, Equatable {
    /// The reported item.
    var reported: Int
    /// The reward: 1 if the report was the cue, else 0.
    var reward: Double
    /// The gate chosen for each item in order (true = open).
    var gates: [Bool]
    /// The TD error δ (dopamine) of each transition: item j → j + 1, the last → probe.
    /// Empty unless the learned policy ran with learning on.
    public var deltas: [Double]
    /// Whether the report was correct.
    public var correct: Bool { reward > 0 }
}

extension GatingAgent {
    /// Runs one trial under `policy` in `memory` (a memory of the trial's K units with the task's
    /// constants, emptied first; built once per run, so its τ_eff are not recomputed every trial).
    ///
    /// For each item in order the memory decays to the item's time, the gate is chosen
    /// (sampled from π for `.learned`, one generator word from `policyRNG` per item; fixed
    /// otherwise, no draw), and the item is loaded. At t = L the memory is read out with
    /// `readoutRNG`. If `learn` and the policy is `.learned`, each transition updates the
    /// critic and the actor (see ``GatingAgent``); the fixed policies never change the agent.
    @discardableResult
    public mutating func runTrial(
        _ trial: GatingTrial, in memory: inout GatedPFCMemory, policy: GatePolicy,
        learn: Bool, policyRNG: inout SeededGenerator,
        readoutRNG: inout SeededGenerator
    ) -> GatingTrialOutcome {
        precondition(memory.itemCount == trial.itemCount, "the memory has \(memory.itemCount) units, the task \(trial.itemCount) items")
        memory.reset()
        let updating = learn && policy == .learned
        var gates = [Bool]()
        gates.reserveCapacity(trial.items.count)
        var deltas = [Double]()
        if updating { deltas.reserveCapacity(trial.items.count) }
        var previous: (actor: [Double], critic: [Double], action: Int)?
        for (j, item) in trial.items.enumerated() {
            memory.advance(to: trial.times[j])
            let phiA = actorFeatures(position: j, item: item)
            let phiC = Self.criticFeatures(position: j, load: criticSeesLoad ? memory.load : 0)
            if updating, let prev = previous {
                deltas.append(
                    actorCritic.update(
                        actorFeatures: prev.actor, action: prev.action,
                        criticFeatures: prev.critic, reward: 0, nextCriticFeatures: phiC))
            }
            let action: Int
            switch policy {
            case .learned: action = actorCritic.selectAction(phiA, using: &policyRNG)
            case .oracle: action = j == 0 ? Self.open : Self.closed
            case .alwaysOpen: action = Self.open
            case .alwaysClosed: action = Self.closed
            }
            memory.present(item, open: action == Self.open)
            gates.append(action == Self.open)
            previous = (phiA, phiC, action)
        }
        memory.advance(to: trial.delay)
        let reported = memory.readout(using: &readoutRNG)
        let reward: Double = reported == trial.cue ? 1 : 0
        if updating, let prev = previous {
            deltas.append(
                actorCritic.update(
                    actorFeatures: prev.actor, action: prev.action,
                    criticFeatures: prev.critic, reward: reward, nextCriticFeatures: nil))
        }
        return GatingTrialOutcome(reported: reported, reward: reward, gates: gates, deltas: deltas)
    }
}
