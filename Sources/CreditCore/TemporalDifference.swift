// Temporal credit assignment: TD learning (Eqs. 2–3 of the review).
//
//   V(s_t) = E[ Σ_{i≥0} γ^i r_{t+i} | s_t ]                    (2), γ = 1 as printed
//   δ_t    = r_t + γ V(s_{t+1}) − V(s_t)                       (3)
//
// The value is linear in a feature vector, V(s) = wᵀφ(s), and learning is the
// semi-gradient TD(0) rule w ← w + α δ φ(s) for the state s the transition left.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A linear TD(0) value learner: V(s) = wᵀφ(s), trained by w ← w + α δ φ(s).
public struct LinearTDLearner: Sendable, Equatable {
    /// The weights w, one per feature.
    public var weights: [Double]
    /// Learning rate α (> 0).
    var alpha: Double
    /// Discount factor γ in [0, 1]; γ = 1 is Eq. (2)–(3) as printed.
    var gamma: Double

    /// A learner over `featureCount` features with every weight `initialWeight`.
    public init(featureCount: Int, alpha: Double, gamma: Double = 1, initialWeight: Double = 0) {
        weights = Array(repeating: initialWeight, count: featureCount)
        self.alpha = alpha
        self.gamma = gamma
    }

    /// V(s) = wᵀφ(s).
    func value(_ features: [Double]) -> Double { weights.dot(features) }

    /// The TD error of one transition `current → next` with reward `reward`:
    /// δ = r + γ V(next) − V(current); `next == nil` is a terminal state (V = 0).
    func tdError(from current: [Double], reward: Double, to next: [Double]?) -> Double {
        let vNext = next.map(value) ?? 0
        return reward + gamma * vNext - value(current)  // Eq. (3)
    }

    /// Computes δ for the transition `current → next` (Eq. 3) and, if `learn`,
    /// applies w ← w + α δ φ(current). Returns δ.
    @discardableResult
    mutating func update(
        from current: [Double], reward: Double, to next: [Double]?,
        learn: Bool = true
    ) -> Double {
        let delta = tdError(from: current, reward: reward, to: next)  // Eq. (3)
        if learn { weights.addScaled(alpha * delta, current) }  // no δ = 0 shortcut: 0 · ∞ stays NaN
        return delta
    }
}

// MARK: - Trial-based conditioning tasks

/// One moment of a conditioning trial: the time step, and which cue (if any)
/// has been shown and when.
public struct TrialState: Sendable, Equatable {
    /// Time step within the trial, 0-based.
    var time: Int
    /// Identity of the trial's cue (0 = A, 1 = B, …).
    var cue: Int
    /// The step at which the cue appears.
    var cueTime: Int

    /// A trial state.
    init(time: Int, cue: Int, cueTime: Int) {
        self.time = time
        self.cue = cue
        self.cueTime = cueTime
    }

    /// Steps since the cue appeared (0 at the cue step), or nil before the cue.
    var stepsSinceCue: Int? { time >= cueTime ? time - cueTime : nil }
}

/// A conditioning trial: `length` discrete steps, a cue at `cueTime`, and a
/// reward `rewards[t]` delivered on arrival at step t.
public struct ConditioningTrial: Sendable, Equatable {
    /// Number of steps T.
    var length: Int
    /// Step at which the cue appears.
    var cueTime: Int
    /// Identity of the cue (0 = A, 1 = B, …).
    var cue: Int
    /// Reward arriving at each step, `length` of them.
    var rewards: [Double]

    /// A trial with one reward of size `rewardSize` at `rewardTime` (nil: no reward, e.g. omission).
    public init(length: Int, cueTime: Int, cue: Int = 0, rewardTime: Int?, rewardSize: Double = 1) {
        precondition(length > 0 && cueTime >= 0 && cueTime < length, "cue must fall inside the trial")
        self.length = length
        self.cueTime = cueTime
        self.cue = cue
        var r = [Double](repeating: 0, count: length)
        if let rt = rewardTime {
            precondition(rt >= 0 && rt < length, "reward must fall inside the trial")
            r[rt] = rewardSize
        }
        rewards = r
    }

    /// The state at step `t`.
    func state(at t: Int) -> TrialState { TrialState(time: t, cue: cue, cueTime: cueTime) }
}

/// A map from trial states to feature vectors φ(s). The state before the cue
/// (the inter-trial interval) should map to all zeros, so its value is 0.
public protocol TrialFeatureMap: Sendable {
    /// Length of every feature vector.
    var dimension: Int { get }
    /// φ(s).
    func features(_ state: TrialState) -> [Double]
}

/// Complete serial compound (CSC) coding of time since the cue only: feature k
/// is 1 exactly k steps after the cue, whichever cue it was. Cues that share a
/// timeline are indistinguishable (no memory of cue identity).
public struct TimeSinceCueFeatures: TrialFeatureMap {
    /// Number of post-cue steps coded (steps beyond are coded as all zeros).
    let steps: Int
    /// CSC features for `steps` post-cue steps.
    public init(steps: Int) { self.steps = steps }
    /// Number of features (= `steps`).
    public var dimension: Int { steps }
    /// One-hot at `time − cueTime`, zeros before the cue.
    public func features(_ s: TrialState) -> [Double] {
        var phi = [Double](repeating: 0, count: steps)
        if let k = s.stepsSinceCue, k < steps { phi[k] = 1 }
        return phi
    }
}

/// CSC coding of time since the cue *and* the cue's identity: one serial compound per cue,
/// as if a working memory held which cue was seen. The memory may fade (beyond the review, for
/// Chapter 2's Exercise 5): j steps after cue c, the features of step j hold
/// λ^j [c′ = c] + (1 − λ^j) / C in the block of each cue c′ (C cues, λ = `memory`). They always
/// sum to 1, and the part that says which cue it was fades as λ^j. λ = 1 is a perfect memory (a
/// one-hot at the cue's own block); λ = 0 keeps the cue only at its own step (λ⁰ = 1) and then
/// spreads every step evenly over the blocks, which is the time-only coding of
/// ``TimeSinceCueFeatures`` (with each feature at 1/C).
public struct CueAndTimeFeatures: TrialFeatureMap {
    /// Post-cue steps coded per cue.
    let steps: Int
    /// Number of distinct cues.
    let cues: Int
    /// Strength λ of the cue memory, in [0, 1]: its share of the features falls as λ^j.
    let memory: Double
    /// One CSC block of `steps` features for each of `cues` cues, with a cue memory of
    /// strength `memory` (1: it never fades).
    public init(steps: Int, cues: Int, memory: Double = 1) {
        precondition((0...1).contains(memory), "the cue memory's strength must lie in [0, 1]")
        self.steps = steps
        self.cues = cues
        self.memory = memory
    }
    /// Number of features (= `steps · cues`).
    public var dimension: Int { steps * cues }
    /// At `time − cueTime` = j: λ^j at the cue's own block plus (1 − λ^j)/C at every block; zeros
    /// before the cue. With λ = 1 exactly a one-hot at `cue · steps + j`.
    public func features(_ s: TrialState) -> [Double] {
        var phi = [Double](repeating: 0, count: dimension)
        guard let k = s.stepsSinceCue, k < steps, s.cue >= 0, s.cue < cues else { return phi }
        let held = pow(memory, Double(k))  // λ^j: how much of the cue's identity is left
        let spread = (1 - held) / Double(cues)
        for c in 0..<cues { phi[c * steps + k] = (c == s.cue ? held : 0) + spread }
        return phi
    }
}

/// What one trial of TD learning produced.
public struct TDTrialRecord: Sendable, Equatable {
    /// δ at each step t = 0…T−1 (see ``LinearTDLearner/runTrial(_:features:learn:)`` for the indexing).
    public var delta: [Double]
    /// V(s_t) at each step, read from the weights after the trial.
    public var value: [Double]
}

extension LinearTDLearner {
    /// Runs one trial online, returning δ and V per step.
    ///
    /// Indexing (the dopamine-recording convention): `delta[t]` is the TD error
    /// of the transition *into* step t, s_{t−1} → s_t, which is when a neuron
    /// would signal it. The reward r_t arrives on that transition, so Eq. (3)
    /// for the transition reads δ = r_t + γ V(s_t) − V(s_{t−1}), and the update
    /// is w ← w + α δ φ(s_{t−1}). For t = 0 the previous state is the
    /// inter-trial state, whose features are all zero (V = 0). After step T−1
    /// the trial returns to the inter-trial state (V = 0), with one more update
    /// that is not part of `delta`.
    ///
    /// Consequences: on the first trial (w = 0) δ equals the reward, 1 at the
    /// reward step and 0 elsewhere. After learning with CSC features,
    /// V(s_{reward−1}) → 1 and V(cue) → γ^{k−1} (k = rewardTime − cueTime), so
    /// δ at the cue step → γ·V(cue) − 0 = γ^k and δ at the reward step →
    /// 1 + γ·0 − 1 = 0.
    public mutating func runTrial(
        _ trial: ConditioningTrial, features map: some TrialFeatureMap,
        learn: Bool = true
    ) -> TDTrialRecord {
        precondition(map.dimension == weights.count, "feature map has \(map.dimension) features, learner has \(weights.count) weights")
        var delta = [Double](repeating: 0, count: trial.length)
        var previous = [Double](repeating: 0, count: map.dimension)  // inter-trial state: φ = 0
        var states = [[Double]]()
        states.reserveCapacity(trial.length)
        for t in 0..<trial.length {
            let phi = map.features(trial.state(at: t))
            // Eq. (3) for the transition s_{t−1} → s_t, reward r_t arriving with s_t.
            delta[t] = update(from: previous, reward: trial.rewards[t], to: phi, learn: learn)
            previous = phi
            states.append(phi)
        }
        update(from: previous, reward: 0, to: nil, learn: learn)  // back to the inter-trial state
        return TDTrialRecord(delta: delta, value: states.map(value))
    }
}

// MARK: - Chapter 2's two-cue task, shared with Chapter 5

/// Chapter 2's two-cue task: cue A (0) is always rewarded, cue B (1) never, with the same timing.
public enum TwoCueTask {
    /// A balanced random order of `trials` cues: ⌈n/2⌉ A's and ⌊n/2⌋ B's, shuffled with `rng`.
    public static func cueOrder(trials: Int, using rng: inout SeededGenerator) -> [Int] {
        var cues = [Int](repeating: 0, count: (trials + 1) / 2) + [Int](repeating: 1, count: trials / 2)
        rng.shuffle(&cues)
        return cues
    }

    /// Trains `learner` online on the trials `cues` (A rewarded at `rewardTime`, B never) with
    /// the state coded by `features`, and returns δ at the reward step on every trial. `check`
    /// sees each trial's δ and its number (1-based), e.g. to stop a diverging run.
    public static func rewardErrors(
        _ learner: inout LinearTDLearner, cues: [Int], length: Int, cueTime: Int, rewardTime: Int,
        features: some TrialFeatureMap, check: (_ delta: [Double], _ trial: Int) throws -> Void = { _, _ in }
    ) rethrows -> [Double] {
        var out = [Double]()
        out.reserveCapacity(cues.count)
        for (n, cue) in cues.enumerated() {
            let trial = ConditioningTrial(length: length, cueTime: cueTime, cue: cue, rewardTime: cue == 0 ? rewardTime : nil)
            let record = learner.runTrial(trial, features: features)
            try check(record.delta, n + 1)
            out.append(record.delta[rewardTime])
        }
        return out
    }
}

/// Time since the cue (CSC) crossed with what a gated PFC working memory reports: the cue's
/// identity while its unit's trace is above `threshold`, nothing once it has faded. The cue
/// loads its unit (trace 1) and the trace decays as e^{−t/τ_eff} (Eq. 11), with τ_eff long if
/// the basal ganglia opened MD's gate for it and short if not (or, for a bistable open gate,
/// relaxes to its persistent state: ``TraceRelaxation``). Feature `c · steps + k` is 1
/// k steps after cue c while the memory holds it; feature `cues · steps + k` while it is empty,
/// which is the time-only coding of Chapter 2.
public struct GatedMemoryFeatures: TrialFeatureMap {
    /// Post-cue steps coded.
    let steps: Int
    /// Number of distinct cues.
    let cues: Int
    /// Duration of one TD step in ms.
    let stepDuration: Double
    /// How the cue's memory trace evolves after loading.
    let trace: TraceRelaxation
    /// The trace below which the memory reports nothing.
    let threshold: Double

    /// The coding for `steps` post-cue steps of `stepDuration` ms, `cues` cues, a memory whose
    /// trace follows `trace` and a readout threshold `threshold`.
    public init(steps: Int, cues: Int, stepDuration: Double, trace: TraceRelaxation, threshold: Double) {
        precondition(steps > 0 && cues > 0 && stepDuration > 0, "bad gated-memory coding")
        self.steps = steps
        self.cues = cues
        self.stepDuration = stepDuration
        self.trace = trace
        self.threshold = threshold
    }

    /// Number of features (= `steps · (cues + 1)`).
    public var dimension: Int { steps * (cues + 1) }

    /// Whether the memory still reports the cue `k` steps after it.
    public func holds(stepsSinceCue k: Int) -> Bool { trace.trace(after: Double(k) * stepDuration) >= threshold }

    /// One-hot at (memory content, steps since the cue); zeros before the cue.
    public func features(_ s: TrialState) -> [Double] {
        var phi = [Double](repeating: 0, count: dimension)
        if let k = s.stepsSinceCue, k < steps {
            let held = holds(stepsSinceCue: k) && s.cue >= 0 && s.cue < cues
            phi[(held ? s.cue : cues) * steps + k] = 1
        }
        return phi
    }
}
