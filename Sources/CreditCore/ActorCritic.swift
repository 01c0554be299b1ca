// Actor-critic: the basal ganglia trained by dopamine (Eq. 3 of the review, and
// its proposal of Figure 7 that the basal ganglia learn, by reinforcement, when to
// disinhibit MD thalamus and so which inputs prefrontal cortex holds).
//
//   critic   V(s) = wᵀφ_c(s)                        striatal value estimate
//   δ        = r + γ V(s′) − V(s)                   dopamine: the TD error of Eq. (3)
//   critic   w ← w + α_critic δ φ_c(s)              (the existing LinearTDLearner)
//   actor    π(a | s) = softmax_a(θ_a · φ_a(s))      striatal action (gating) policy
//   actor    θ ← θ + α_actor δ ∇_θ log π(a | s)      dopamine-gated corticostriatal plasticity
//
// For a softmax policy the score is ∂ log π(a|s) / ∂θ_b = (1[b = a] − π(b|s)) φ_a(s), so the
// chosen action's preferences move along φ by α_actor δ (1 − π(a|s)) and every other
// action's move by −α_actor δ π(b|s). A positive δ (a better-than-predicted outcome)
// makes the action just taken more likely in that state; a negative δ, less likely.
//
// The critic and the actor may read different features of the same state (φ_c and φ_a):
// the striatum sees cortical state, and what predicts reward need not be what
// selects the action.

/// An actor-critic learner over discrete actions (the "basal ganglia trained by dopamine").
///
/// - Critic (striatal value): ``critic``, a ``LinearTDLearner``; its TD error δ (Eq. 3,
///   computed by `LinearTDLearner/update(from:reward:to:learn:)`) is the dopamine signal.
/// - Actor (striatal gating policy): preferences θ, one row per action, and the softmax
///   policy π(a|s) = exp(θ_a·φ) / Σ_b exp(θ_b·φ). In the gating task the actions are
///   "keep MD inhibited" (gate closed) and "disinhibit MD" (gate open); with two actions
///   the softmax is the Bernoulli-logistic policy P(open) = σ((θ_open − θ_closed)·φ).
/// - Learning: the same δ trains both: w ← w + α_critic δ φ_c(s) and
///   θ ← θ + α_actor δ ∇_θ log π(a|s).
///
/// All sampling takes an explicit ``SeededGenerator``.
public struct ActorCritic: Sendable, Equatable {
    /// The critic V(s) = wᵀφ_c(s), trained by TD(0) with its own α (α_critic) and γ.
    public var critic: LinearTDLearner
    /// The actor's preferences θ: `actionCount × actorFeatureCount`, row a holds θ_a.
    public var preferences: Matrix
    /// Actor learning rate α_actor (> 0).
    var actorAlpha: Double

    /// An actor-critic with all weights and preferences zero (a uniform initial policy).
    /// - Parameters:
    ///   - actorFeatures: length of φ_a, the actor's feature vector.
    ///   - criticFeatures: length of φ_c, the critic's feature vector.
    ///   - actions: number of discrete actions (≥ 1).
    ///   - actorAlpha: α_actor.
    ///   - criticAlpha: α_critic.
    ///   - gamma: the discount γ of Eq. (3) (1 as printed).
    init(
        actorFeatures: Int, criticFeatures: Int, actions: Int,
        actorAlpha: Double, criticAlpha: Double, gamma: Double = 1
    ) {
        precondition(actions >= 1 && actorFeatures >= 0 && criticFeatures >= 0, "bad actor-critic sizes")
        critic = LinearTDLearner(featureCount: criticFeatures, alpha: criticAlpha, gamma: gamma)
        preferences = Matrix(rows: actions, cols: actorFeatures)
        self.actorAlpha = actorAlpha
    }

    /// Number of actions.
    var actionCount: Int { preferences.rows }

    /// The action preferences θ_a · φ_a(s), one per action (the softmax's logits).
    func logits(_ actorFeatures: [Double]) -> [Double] { preferences.multiply(actorFeatures) }

    /// π(· | s) = softmax(θ φ_a(s)).
    func policy(_ actorFeatures: [Double]) -> [Double] { softmax(logits(actorFeatures)) }

    /// Calls `body` with two vectors of `n` numbers in a temporary buffer (for the logits and the
    /// policy), so nothing is allocated.
    private static func withScratch<R>(
        _ n: Int, _ body: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> R
    ) -> R {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { buffer in
            body(UnsafeMutableBufferPointer(rebasing: buffer[0..<n]), UnsafeMutableBufferPointer(rebasing: buffer[n..<(2 * n)]))
        }
    }

    /// π(· | s) written into `pi`, the logits into `logits` (both ``actionCount`` long).
    private func policy(_ actorFeatures: [Double], into pi: UnsafeMutableBufferPointer<Double>, logits: UnsafeMutableBufferPointer<Double>)
    {
        preferences.multiply(actorFeatures, into: logits)
        softmax(UnsafeBufferPointer(logits), into: pi)
    }

    /// Samples an action from π(· | s): one categorical draw (one generator word).
    func selectAction(_ actorFeatures: [Double], using rng: inout SeededGenerator) -> Int {
        Self.withScratch(actionCount) { z, pi in
            preferences.multiply(actorFeatures, into: z)
            return rng.categorical(logits: z, temperature: 1, scratch: pi)
        }
    }

    /// The critic's value V(s) = wᵀφ_c(s).
    func value(_ criticFeatures: [Double]) -> Double { critic.value(criticFeatures) }

    /// ∇_θ log π(a | s) for the softmax policy: row b is (1[b = a] − π(b|s)) φ_a(s).
    func logPolicyGradient(_ actorFeatures: [Double], action: Int) -> Matrix {
        var g = Matrix(rows: actionCount, cols: preferences.cols)
        Self.withScratch(actionCount) { z, pi in
            policy(actorFeatures, into: pi, logits: z)
            g.withUnsafeMutableBufferPointer { out in
                Self.forEachScore(pi, actorFeatures, action: action) { k, score in out[k] = score }
            }
        }
        return g
    }

    /// Calls `body` with every element of ∇_θ log π(a | s) for the policy `pi`,
    /// (1[b = a] − π(b|s)) φ_a(s)_j, and its row-major index k = b · (features) + j.
    @inline(__always)
    private static func forEachScore(
        _ pi: UnsafeMutableBufferPointer<Double>, _ actorFeatures: [Double], action: Int,
        _ body: (_ k: Int, _ score: Double) -> Void
    ) {
        precondition(action >= 0 && action < pi.count, "action \(action) out of 0..<\(pi.count)")
        let n = actorFeatures.count
        for b in 0..<pi.count {
            let coefficient = (b == action ? 1 : 0) - pi[b]
            for j in 0..<n { body(b * n + j, coefficient * actorFeatures[j]) }
        }
    }

    /// One actor-critic step for the transition s → s′ after taking `action` in s with
    /// reward `reward`; `nextCriticFeatures == nil` means s′ is terminal (V = 0).
    ///
    /// δ = r + γ V(s′) − V(s) comes from the critic's own TD update (Eq. 3, with the critic's
    /// weights before this step); if `learn`, the critic applies w ← w + α_critic δ φ_c(s)
    /// and the actor θ ← θ + α_actor δ ∇_θ log π(a|s) (π evaluated before this step).
    /// Returns δ (the dopamine signal of this step).
    @discardableResult
    mutating func update(
        actorFeatures: [Double], action: Int,
        criticFeatures: [Double], reward: Double, nextCriticFeatures: [Double]?,
        learn: Bool = true
    ) -> Double {
        let delta = critic.update(from: criticFeatures, reward: reward, to: nextCriticFeatures, learn: learn)  // Eq. (3)
        if learn {
            // θ += α_actor δ ∇_θ log π(a|s), π from θ before the step; no δ = 0 shortcut: 0 · ∞ stays NaN
            let step = actorAlpha * delta
            Self.withScratch(actionCount) { z, pi in
                policy(actorFeatures, into: pi, logits: z)
                preferences.withUnsafeMutableBufferPointer { theta in
                    Self.forEachScore(pi, actorFeatures, action: action) { k, score in theta[k] += step * score }
                }
            }
        }
        return delta
    }

    /// True when every weight and preference is finite.
    var isFinite: Bool {
        critic.weights.allSatisfy(\.isFinite) && preferences.storage.allSatisfy(\.isFinite)
    }
}
