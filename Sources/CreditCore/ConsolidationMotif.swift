// The consolidation motif of Box 1 of the review (Eqs. 4–9): a teacher (basal ganglia)
// learns a stimulus→action mapping by reward prediction errors and drives the output
// through gain weights w; the student (cortex, weights M) grows along the teacher's
// choices while w shrinks, until the output no longer needs the teacher.
//
// The equations as read here (Wang & Halassa, "Thalamocortical contribution to solving
// credit assignment in neural systems", Box 1, Eqs. 4–9):
//   o = M x + w ∘ y                                   Eq. (4)
//   g = W x;  y_i = g_i if i = a*_t else 0            Eq. (5)
//   a*_t ~ softmax(β_t g),  a*_s ~ softmax(β_s s), s = o  Eq. (6)  (β = 1 is the printed form)
//   ΔW_{a*_s} = η_W (r − s_{a*_s}) x                  Eq. (7)
//   ΔM_{a*_t} = η_M w_{a*_t} y_{a*_t} (M_{a*_t} ∘ x)  Eq. (8)
//   Δw_{a*_t} = −η_w w_{a*_t} y_{a*_t} (M_{a*_t} · x) Eq. (9)
// All three updates of one trial are computed from the weights before the trial and
// applied together.

/// A stimulus→action task with positive input rates.
///
/// Stimulus k has a fixed prototype pattern: 1 on the inputs j with j mod S = k (a
/// "one-hot-ish block"; with n ≥ S every stimulus owns ⌊n/S⌋ or ⌈n/S⌉ inputs), plus a
/// fixed random positive background uniform in [0, `background`] on every input, drawn
/// once per seed. Each presentation adds fresh positive noise uniform in [0, `noise`]
/// on every input. The correct action for stimulus k is `mapping[k]`.
public struct ConsolidationTask: Sendable, Equatable {
    /// Prototype patterns, one row per stimulus (S × n).
    public var patterns: Matrix
    /// The correct action of each stimulus.
    public var mapping: [Int]
    /// Number of actions m.
    var actions: Int
    /// Upper end of the per-presentation uniform input noise.
    public var noise: Double

    /// A task with the block-plus-background prototypes described above, drawn from `rng`
    /// (n·S uniform draws), and the mapping k ↦ k mod m.
    public init(
        stimuli: Int, actions: Int, inputs: Int, background: Double, noise: Double,
        using rng: inout SeededGenerator
    ) {
        precondition(stimuli >= 1 && actions >= 2 && inputs >= 1, "task sizes")
        var p = Matrix.uniform(rows: stimuli, cols: inputs, in: 0...background, using: &rng)
        for j in 0..<inputs { p[j % stimuli, j] += 1 }
        patterns = p
        mapping = (0..<stimuli).map { $0 % actions }
        self.actions = actions
        self.noise = noise
    }

    /// A task with explicit prototypes and mapping.
    init(patterns: Matrix, mapping: [Int], actions: Int, noise: Double) {
        precondition(mapping.count == patterns.rows && mapping.allSatisfy { (0..<actions).contains($0) })
        self.patterns = patterns
        self.mapping = mapping
        self.actions = actions
        self.noise = noise
    }

    /// Number of stimuli S.
    public var stimuli: Int { patterns.rows }
    /// Number of inputs n.
    public var inputs: Int { patterns.cols }

    /// The same prototypes with the mapping shifted by one action: k ↦ (mapping[k] + 1) mod m
    /// (a reversal: every stimulus's old action becomes wrong).
    public var reversed: ConsolidationTask {
        var t = self
        t.mapping = mapping.map { ($0 + 1) % actions }
        return t
    }

    /// One presentation of stimulus k: its prototype plus fresh noise (n uniform draws).
    public func input(_ k: Int, using rng: inout SeededGenerator) -> [Double] {
        var x = [Double](repeating: 0, count: inputs)
        input(k, into: &x, using: &rng)
        return x
    }

    /// The same presentation written into `x` (length n), so a run reuses one input vector.
    public func input(_ k: Int, into x: inout [Double], using rng: inout SeededGenerator) {
        precondition(x.count == inputs, "input: x has \(x.count) elements, the task \(inputs) inputs")
        for j in 0..<x.count { x[j] = patterns[k, j] }
        if noise > 0 { for j in 0..<x.count { x[j] += noise * rng.uniform() } }
    }
}

/// Which form of Eqs. (7)–(9) the motif uses: the equations as written, or one altered
/// equation (for the ablation that asks which equation makes the teacher dispensable).
public enum MotifRules: String, Sendable, CaseIterable {
    /// Eqs. (7)–(9) as written.
    case asWritten = "as-written"
    /// Eq. (9) switched off: Δw = 0 (as with η_w = 0); w stays at w0.
    case gainFixed = "eq9-off"
    /// Eq. (9) with its sign flipped: Δw_{a*_t} = +η_w w y (M · x), so w grows.
    case gainGrows = "eq9-flipped"
    /// Eq. (8) additive: ΔM_{a*_t} = η_M w y x instead of the multiplicative η_M w y (M ∘ x).
    case additiveStudent = "eq8-additive"
    /// Eq. (7) driven by the teacher's own output: error r − w_{a*_s} y_{a*_s} instead of r − s_{a*_s}.
    case teacherOwnError = "eq7-own-output"
}

/// BEYOND THE REVIEW: which parts of the dopamine-gated unlearning rule
/// (``ConsolidationMotif/unlearning``) act after an unrewarded trial: the recovery of the teacher
/// gains w toward their baseline, the depression of the performed action's student row, both, or
/// neither (then the rule does nothing, whatever its rate λ).
public enum UnlearningParts: String, Sendable, CaseIterable {
    /// w relaxes toward w0 and the performed student row is depressed (the full rule).
    case both
    /// Only w relaxes toward w0; M is left as Eq. (8) made it.
    case recovery
    /// Only the performed student row is depressed; w is left as Eq. (9) made it.
    case depression
    /// Neither part: the motif as written.
    case none

    /// Whether w relaxes toward its baseline.
    public var recoversGain: Bool { self == .both || self == .recovery }
    /// Whether the performed action's student row is depressed.
    public var depressesStudent: Bool { self == .both || self == .depression }
}

/// What happened on one trial of the motif.
public struct MotifTrial: Sendable, Equatable {
    /// The teacher's choice a*_t (Eq. 6).
    var teacherAction: Int
    /// The performed action a*_s (Eq. 6).
    public var performedAction: Int
    /// Reward r_t (1 if the performed action was correct).
    public var reward: Double
    /// The reward prediction error r_t − s_{a*_s} of Eq. (7).
    public var rpe: Double
    /// The teacher's activity y_{a*_t} (Eq. 5).
    var teacherActivity: Double
}

/// The circuit of Box 1: W (teacher, m × n), M (student, m × n), w (teacher→output, m).
public struct ConsolidationMotif: Sendable, Equatable {
    /// Input→teacher weights W (Eq. 5).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    var W: Matrix
    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// Input→output (student, cortex) weights M (Eq. 4), m × n, grown by Eq. (8).
    public var M: Matrix
    /// Teacher→output weights w, one per output unit (Eq. 4).
    public var w: [Double]
    /// η_W of Eq. (7).
    var etaTeacher: Double
    /// η_M of Eq. (8).
    var etaStudent: Double
    /// η_w of Eq. (9).
    var etaW: Double
    /// Inverse temperature β_t of the teacher's softmax (Eq. 6).
    var betaTeacher: Double
    /// Inverse temperature β_s of the output's softmax (Eq. 6).
    var betaOutput: Double
    /// Which form of Eqs. (7)–(9) is used (``MotifRules/asWritten`` by default).
    public var rules: MotifRules = .asWritten
    /// BEYOND THE REVIEW (0 = the motif as written): rate λ of dopamine-gated unlearning after
    /// an unrewarded trial with RPE δ = −s_{a*_s} < 0. Every w_i relaxes toward its baseline,
    /// w_i ← w_i + λ |δ| (w0 − w_i), and the performed action's student row is depressed,
    /// M_{a*_s} ← M_{a*_s} − λ |δ| (M_{a*_s} ∘ x). It makes the cortical weights M depend on
    /// dopamine (the RPE), which Eq. (8) does not. Errors of a consolidated habit (s ≈ 1) unlearn
    /// fast; exploratory errors (s small) and rewarded overshoots (δ < 0 but r = 1) hardly at all.
    public var unlearning: Double = 0
    /// Which parts of ``unlearning`` act (both by default).
    public var unlearningParts: UnlearningParts = .both
    /// Baseline w0 that ``unlearning`` relaxes toward (the initial w).
    var wBaseline: Double
    /// Teacher lesion: when true the teacher is silenced (y ≡ 0), so the output is M x alone
    /// and Eqs. (8)–(9), which are proportional to y, stop.
    public var teacherSilenced = false

    /// A circuit with W = `w0Teacher` everywhere, M uniform in `m0` (m·n draws from `rng`,
    /// row-major) and w = `w0` for every output.
    public init(
        actions: Int, inputs: Int, m0: ClosedRange<Double>, w0: Double, w0Teacher: Double = 0,
        etaTeacher: Double, etaStudent: Double, etaW: Double,
        betaTeacher: Double = 1, betaOutput: Double = 1, using rng: inout SeededGenerator
    ) {
        W = Matrix(rows: actions, cols: inputs, repeating: w0Teacher)
        M = Matrix.uniform(rows: actions, cols: inputs, in: m0, using: &rng)
        w = [Double](repeating: w0, count: actions)
        wBaseline = w0
        self.etaTeacher = etaTeacher
        self.etaStudent = etaStudent
        self.etaW = etaW
        self.betaTeacher = betaTeacher
        self.betaOutput = betaOutput
    }

    /// A circuit with explicit weights (for tests).
    init(
        W: Matrix, M: Matrix, w: [Double], etaTeacher: Double, etaStudent: Double, etaW: Double,
        betaTeacher: Double = 1, betaOutput: Double = 1
    ) {
        self.W = W
        self.M = M
        self.w = w
        wBaseline = w.first ?? 0
        self.etaTeacher = etaTeacher
        self.etaStudent = etaStudent
        self.etaW = etaW
        self.betaTeacher = betaTeacher
        self.betaOutput = betaOutput
    }

    /// Number of actions m.
    var actions: Int { W.rows }

    /// The teacher's drive g = W x.
    func teacherDrive(_ x: [Double]) -> [Double] {
        W.multiply(x)  // Eq. (5): g = W x
    }

    /// The teacher's activity: y_i = g_i for i = a*_t, 0 otherwise (0 everywhere when silenced).
    func teacherActivity(_ g: [Double], choice: Int) -> [Double] {
        var y = [Double](repeating: 0, count: g.count)
        if !teacherSilenced { y[choice] = g[choice] }  // Eq. (5)
        return y
    }

    /// The output o = M x + w ∘ y.
    func output(_ x: [Double], teacherActivity y: [Double]) -> [Double] {
        M.multiply(x).adding(w.hadamard(y))  // Eq. (4)
    }

    /// The student's output alone, M x (the teacher silenced).
    func studentOutput(_ x: [Double]) -> [Double] { M.multiply(x) }

    /// P(a*_s = correct) with the teacher silenced: softmax(β_s M x) at `correct`.
    public func studentAccuracy(_ x: [Double], correct: Int) -> Double {
        softmax(studentOutput(x), temperature: 1 / betaOutput)[correct]
    }

    /// The teacher's drive g_c = (W x)_c for action `action` (Eq. 5).
    public func teacherDrive(_ x: [Double], action: Int) -> Double { teacherDrive(x)[action] }

    /// P(a*_s = correct) of the full circuit, exact: the teacher's choice a (Eq. 6) is summed
    /// over, Σ_a softmax(β_t g)_a · softmax(β_s o_a)[correct] with o_a = M x + w_a g_a e_a (Eq. 4).
    public func fullAccuracy(_ x: [Double], correct: Int) -> Double {
        let g = teacherDrive(x)
        let pt = softmax(g, temperature: 1 / betaTeacher)
        var total = 0.0
        for a in 0..<actions {
            let o = output(x, teacherActivity: teacherActivity(g, choice: a))
            total += pt[a] * softmax(o, temperature: 1 / betaOutput)[correct]
        }
        return total
    }

    /// P(a*_t = correct) of the teacher's choice: softmax(β_t W x) at `correct`.
    public func teacherAccuracy(_ x: [Double], correct: Int) -> Double {
        softmax(teacherDrive(x), temperature: 1 / betaTeacher)[correct]
    }

    /// Eq. (7) on W: row `performed` moves by η_W (r − s_{performed}) x, with s_{performed} =
    /// `performedOutput`; returns the RPE. With ``MotifRules/teacherOwnError`` the error is
    /// r − w_{performed} y_{performed} (the teacher's own output), y_{performed} = `performedActivity`.
    @discardableResult
    mutating func updateTeacher(
        x: [Double], performed: Int, reward: Double, output performedOutput: Double, teacherActivity performedActivity: Double = 0
    ) -> Double {
        let predicted = rules == .teacherOwnError ? w[performed] * performedActivity : performedOutput
        let rpe = reward - predicted
        W.addOuter(etaTeacher * rpe, unit: performed, x)  // Eq. (7)
        return rpe
    }

    /// Eqs. (8)–(9) in place for teacher choice a = `teacherAction` with activity y_a, both from the
    /// weights before the call: M_a += η_M w_a y_a (M_a ∘ x) and w_a += Δw_a.
    private mutating func applyStudentAndGainChange(x: [Double], teacherAction a: Int, y ya: Double) {
        let coefficient = etaStudent * w[a] * ya
        let n = M.cols, additive = rules == .additiveStudent
        let decay: Double = M.withUnsafeMutableBufferPointer { m in
            let row = UnsafeMutableBufferPointer(rebasing: m[(a * n)..<((a + 1) * n)])  // M_a
            var dot = 0.0
            for j in 0..<n { dot += row[j] * x[j] }
            let decay = etaW * w[a] * ya * dot  // Eq. (9): Δw_a = −η_w w_a y_a (M_a · x)
            for j in 0..<n {
                // Eq. (8): η_M w_a y_a (M_a ∘ x), or made additive: η_M w_a y_a x
                row[j] += (additive ? x[j] : row[j] * x[j]) * coefficient
            }
            return decay
        }
        let dw: Double
        switch rules {
        case .gainFixed: dw = 0  // Eq. (9) off
        case .gainGrows: dw = decay  // Eq. (9) sign-flipped
        default: dw = -decay  // Eq. (9)
        }
        w[a] += dw
    }

    /// Eqs. (8)–(9) alone, for a teacher that lives outside this circuit (its W and Eq. 7 unused):
    /// the teacher chose output `teacherAction` = a*_t with activity y_{a*_t} = `teacherActivity`;
    /// M_{a*_t} grows by η_M w y (M_{a*_t} ∘ x) and w_{a*_t} shrinks by η_w w y (M_{a*_t} · x), both
    /// from the weights before the call. Nothing happens while the teacher is silenced (y ≡ 0).
    /// Used when the basal ganglia are an actor-critic that teaches the corticothalamic pathway
    /// (``ThalamicSelector``); ``trial(x:correct:learn:teacherRNG:actionRNG:)`` applies the same change.
    public mutating func consolidate(x: [Double], teacherAction a: Int, teacherActivity ya: Double) {
        guard !teacherSilenced else { return }
        applyStudentAndGainChange(x: x, teacherAction: a, y: ya)
    }

    /// One trial: the teacher chooses, the output is formed, an action is performed, the reward
    /// is given, and Eqs. (7)–(9) are applied (together, from the weights before the trial).
    /// With `learn` false nothing changes. Draws one word from each of `teacherRNG`, `actionRNG`.
    /// Allocates nothing: g, o and the softmax live in a temporary buffer of 3m numbers.
    public mutating func trial(
        x: [Double], correct: Int, learn: Bool = true,
        teacherRNG: inout SeededGenerator, actionRNG: inout SeededGenerator
    ) -> MotifTrial {
        let m = actions
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * m) { buffer in
            let g = UnsafeMutableBufferPointer(rebasing: buffer[0..<m])
            let s = UnsafeMutableBufferPointer(rebasing: buffer[m..<(2 * m)])
            let probabilities = UnsafeMutableBufferPointer(rebasing: buffer[(2 * m)..<(3 * m)])
            W.multiply(x, into: g)  // Eq. (5): g = W x
            // Eq. (6): a*_t ~ softmax(β_t g)
            let at = teacherRNG.categorical(logits: g, temperature: 1 / betaTeacher, scratch: probabilities)
            let ya = teacherSilenced ? 0 : g[at]  // Eq. (5): y_i = g_i for i = a*_t, else 0
            M.multiply(x, into: s)
            for i in 0..<m { s[i] += w[i] * (i == at ? ya : 0) }  // Eq. (4): o = M x + w ∘ y
            // Eq. (6): a*_s ~ softmax(β_s s)
            let aS = actionRNG.categorical(logits: s, temperature: 1 / betaOutput, scratch: probabilities)
            let r: Double = aS == correct ? 1 : 0
            let rpe = r - s[aS]
            if learn {
                updateTeacher(x: x, performed: aS, reward: r, output: s[aS], teacherActivity: aS == at ? ya : 0)
                applyStudentAndGainChange(x: x, teacherAction: at, y: ya)
                unlearn(x: x, performed: aS, reward: r, rpe: rpe)
            }
            return MotifTrial(teacherAction: at, performedAction: aS, reward: r, rpe: rpe, teacherActivity: ya)
        }
    }

    /// BEYOND THE REVIEW: the dopamine-gated unlearning of ``unlearning`` after the trial's
    /// reward and RPE (nothing unless λ > 0 and the trial was an unrewarded disappointment).
    private mutating func unlearn(x: [Double], performed aS: Int, reward r: Double, rpe: Double) {
        if unlearning > 0 && r == 0 && rpe < 0 {
            // BEYOND THE REVIEW: dopamine-gated unlearning after a disappointment |δ| = s_{a*_s}
            // (the RPE of Eq. 7). (i) w relaxes
            // toward its baseline, so the teacher regains a say in the output; (ii) the student
            // row that produced the unrewarded action is depressed multiplicatively, the
            // mirror image of Eq. (8) (dopamine-dip LTD), so the old habit stops
            // monopolising the choice and the teacher can explore and learn again.
            // ``unlearningParts`` switches either part off.
            if unlearningParts.recoversGain {
                for i in 0..<w.count { w[i] += unlearning * (-rpe) * (wBaseline - w[i]) }
            }
            if unlearningParts.depressesStudent {
                for j in 0..<M.cols { M[aS, j] -= unlearning * (-rpe) * M[aS, j] * x[j] }
            }
        }
    }

    /// Every weight (W, M, w), for divergence checks.
    public var allWeights: [Double] { W.storage + M.storage + w }
}
