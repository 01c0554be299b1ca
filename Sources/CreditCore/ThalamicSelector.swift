// The basal ganglia select the thalamus, and the corticothalamic pathway consolidates the
// selection (the review's Figure 6 and its section "The Thalamus selectively amplifies
// functional cortical connectivity…", with the consolidation motif of Box 1).
//
// Each trial, in a context c:
//   BG (teacher)    π(k | c) = softmax_k(θ_k · φ(c)),  φ(c) the one-hot context cue   (ActorCritic)
//                   a*_t ~ π(· | c)                      the MD unit the BG disinhibit (Eq. 6, teacher)
//                   y_{a*_t} = π(a*_t | c), y_k = 0 otherwise                        (Eq. 5, read below)
//   MD drive        o = M x + w ∘ y                      x = PFC activity (Eq. 4)
//   MD selection    a*_s ~ softmax(β_MD o)               one MD unit is on (Eq. 6, output)
//   reward          r from the trial the cortex performs with MD unit a*_s amplifying its subnetwork
//   BG learning     δ = r − V(c) (Eq. 3 with a terminal trial), θ ← θ + α_actor δ ∇ log π(a*_s | c),
//                   V ← V + α_critic δ φ(c)
//   consolidation   ΔM_{a*_t} = η_M w_{a*_t} y_{a*_t} (M_{a*_t} ∘ x)                 (Eq. 8)
//                   Δw_{a*_t} = −η_w w_{a*_t} y_{a*_t} (M_{a*_t} · x)                (Eq. 9)
//
// Interpretations (the review gives the motif, not this circuit):
// - Eq. 5 sets the teacher's activity to its drive g_{a*_t}, which in Box 1 is the teacher's
//   learned estimate of the reward of its choice. An actor's preferences θ·φ have no fixed zero (a
//   softmax ignores a common shift), so the teacher activity is read as the policy's probability of
//   its choice, π(a*_t | c): it grows from 1/K to 1 as the basal ganglia become sure, and, like g in
//   Box 1, it keeps the student from consolidating the teacher's early random exploration.
// - Eq. 7 credits the performed action a*_s; likewise the actor's score is taken at the MD unit
//   that was actually on (a*_s), not at the BG's own draw (they differ only when the student has
//   taken over and overrides the teacher).
// - The BG see the context cue one-hot (a striatal representation of it); the student reads PFC
//   activity x, which must carry the context but must not depend on which MD unit is on (else the
//   pathway would read its own output).
// - Silencing the BG (a lesion of their output) sets y ≡ 0: the MD drive is M x alone and Eqs.
//   8–9, proportional to y, stop; the BG no longer learn either.

/// The MD unit chosen on one trial, and by whom.
public struct ThalamicChoice: Sendable, Equatable {
    /// The basal ganglia's draw a*_t (drawn even when they are silenced, so that streams stay aligned).
    public var teacherAction: Int
    /// The teacher activity y_{a*_t} = π(a*_t | c) (0 when silenced).
    public var teacherActivity: Double
    /// The MD unit that is on, a*_s ~ softmax(β_MD (M x + w ∘ y)).
    public var mdUnit: Int
}

/// Basal ganglia (an ``ActorCritic``) that learn which MD unit to activate in each context,
/// and a corticothalamic pathway (the student M of a ``ConsolidationMotif``) that learns to
/// reproduce their choice by Eqs. 8–9 of Box 1.
public struct ThalamicSelector: Sendable, Equatable {
    /// The basal ganglia: actor over MD units, critic over contexts; both read the one-hot context cue.
    public var basalGanglia: ActorCritic
    /// The corticothalamic circuit of Box 1: student weights M (MD units × PFC inputs) and the BG→MD
    /// gains w (one per MD unit). Its own teacher weights W and Eq. 7 are not used: the teacher is
    /// ``basalGanglia``.
    public var corticothalamic: ConsolidationMotif
    /// Inverse temperature β_MD of the MD competition (Eq. 6 for the output).
    public var betaMD: Double
    /// Whether Eqs. 8–9 run (false: the basal ganglia select alone and M, w never change).
    public var consolidates: Bool
    /// Number of contexts (length of the BG's one-hot cue).
    public let contexts: Int

    /// A selector with a uniform initial policy, V = 0, M uniform in `m0` (MD units × `inputs`
    /// draws from `rng`, row-major) and w = `w0`.
    public init(
        contexts: Int, mdUnits: Int, inputs: Int, actorAlpha: Double, criticAlpha: Double,
        betaMD: Double, m0: ClosedRange<Double>, w0: Double, etaStudent: Double, etaW: Double,
        consolidates: Bool, using rng: inout SeededGenerator
    ) {
        precondition(contexts >= 1 && mdUnits >= 1 && inputs >= 1, "selector sizes")
        basalGanglia = ActorCritic(
            actorFeatures: contexts, criticFeatures: contexts, actions: mdUnits, actorAlpha: actorAlpha, criticAlpha: criticAlpha)
        corticothalamic = ConsolidationMotif(
            actions: mdUnits, inputs: inputs, m0: m0, w0: w0, etaTeacher: 0, etaStudent: etaStudent, etaW: etaW, using: &rng)
        self.betaMD = betaMD
        self.consolidates = consolidates
        self.contexts = contexts
    }

    /// Number of MD units.
    public var mdUnits: Int { corticothalamic.w.count }

    /// The basal ganglia silenced (output removed): y ≡ 0, no BG learning, no consolidation.
    public var basalGangliaSilenced: Bool {
        get { corticothalamic.teacherSilenced }
        set { corticothalamic.teacherSilenced = newValue }
    }

    /// The BG's cue φ(c): one-hot context.
    func cue(_ c: Int) -> [Double] { [Double].oneHot(c, count: contexts) }

    /// The basal ganglia's policy π(· | c).
    public func policy(context c: Int) -> [Double] { basalGanglia.policy(cue(c)) }

    /// The MD drive o = M x + w ∘ y for the teacher's choice a with activity y_a (Eq. 4).
    func drive(_ x: [Double], teacherAction a: Int, teacherActivity ya: Double) -> [Double] {
        var o = corticothalamic.studentOutput(x)
        o[a] += corticothalamic.w[a] * ya  // Eq. (4): w ∘ y with y one-hot at a*_t
        return o
    }

    /// Draws the BG's choice and the MD unit for context `c` with PFC activity `x` (two words of `rng`).
    public func choose(context c: Int, pfc x: [Double], using rng: inout SeededGenerator) -> ThalamicChoice {
        let pi = policy(context: c)
        let at = rng.categorical(probabilities: pi)  // Eq. (6): a*_t ~ π(· | c)
        let ya = basalGangliaSilenced ? 0 : pi[at]  // Eq. (5), read as y = π(a*_t | c)
        let o = drive(x, teacherAction: at, teacherActivity: ya)
        let md = rng.categorical(logits: o, temperature: 1 / betaMD)  // Eq. (6): a*_s ~ softmax(β_MD o)
        return ThalamicChoice(teacherAction: at, teacherActivity: ya, mdUnit: md)
    }

    /// Learning after the trial's reward: the actor-critic (δ = r − V(c), actor score at the MD unit
    /// that was on) and, if ``consolidates``, Eqs. 8–9 for the BG's choice. Returns δ (0 when silenced).
    @discardableResult
    public mutating func learn(context c: Int, pfc x: [Double], choice: ThalamicChoice, reward: Double) -> Double {
        guard !basalGangliaSilenced else { return 0 }
        let phi = cue(c)
        let delta = basalGanglia.update(
            actorFeatures: phi, action: choice.mdUnit, criticFeatures: phi, reward: reward, nextCriticFeatures: nil)  // Eq. (3)
        if consolidates {
            corticothalamic.consolidate(x: x, teacherAction: choice.teacherAction, teacherActivity: choice.teacherActivity)  // Eqs. (8)–(9)
        }
        return delta
    }

    /// P(MD unit k is on | c), exact: Σ_a π(a | c) softmax(β_MD (M x + w_a y_a e_a))_k, or
    /// softmax(β_MD M x) when the basal ganglia are silenced.
    public func selectionProbabilities(context c: Int, pfc x: [Double]) -> [Double] {
        if basalGangliaSilenced { return softmax(corticothalamic.studentOutput(x), temperature: 1 / betaMD) }
        let pi = policy(context: c)
        let studentDrive = corticothalamic.studentOutput(x)  // M x, shared by every teacher choice
        var p = [Double](repeating: 0, count: mdUnits)
        for a in 0..<mdUnits where pi[a] > 0 {
            var o = studentDrive
            o[a] += corticothalamic.w[a] * pi[a]  // Eq. (4) for the teacher's choice a
            let s = softmax(o, temperature: 1 / betaMD)
            for k in 0..<mdUnits { p[k] += pi[a] * s[k] }
        }
        return p
    }

    /// P(MD unit k is on | c) from the corticothalamic pathway alone: softmax(β_MD M x).
    public func studentSelection(pfc x: [Double]) -> [Double] {
        softmax(corticothalamic.studentOutput(x), temperature: 1 / betaMD)
    }

    /// Every weight (critic, actor, M, w), for divergence checks.
    public var allWeights: [Double] {
        basalGanglia.critic.weights + basalGanglia.preferences.storage + corticothalamic.M.storage + corticothalamic.w
    }
}
