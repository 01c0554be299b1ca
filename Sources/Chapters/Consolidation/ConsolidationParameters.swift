// Chapter: the consolidation motif of Box 1 of the review (Eqs. 4–9, Figure 4).
//
// Pure data, no drawing: each experiment returns a result struct with the numbers a figure
// needs and CSV tables of them. The circuit and the task live in CreditCore
// (ConsolidationMotif, ConsolidationTask).
//
// Measures, everywhere below:
// - full accuracy: the fraction of trials in a block on which the performed action a*_s
//   (sampled from softmax(β_s o), teacher active) was correct — behaviour, while learning.
// - student accuracy: the teacher silenced (y ≡ 0), the probability that an action sampled
//   from softmax(β_s M x̄_k) is correct, computed exactly (no sampling noise) on each
//   stimulus's mean input x̄_k (prototype + noise/2) and averaged over the S stimuli.
// - teacher accuracy: likewise the probability that the teacher's choice softmax(β_t W x̄_k)
//   is correct.
import CreditCore
import Foundation

// MARK: - Parameters

/// The consolidation experiments' parameters, named after the command-line flags.
package struct ConsolidationParameters: Sendable, Equatable {
    /// Stimuli S (`--stimuli`).
    package var stimuli: Int = 4
    /// Actions m (`--actions`); chance is 1/m = 0.25 at the default 4.
    package var actions: Int = 4
    /// Input units n (`--inputs`); stimulus k owns the inputs j with j mod S = k.
    package var inputs: Int = 20
    /// Training trials (`--trials`). Default 3000: the student reaches the criterion at ≈ 900–1000
    /// and w has fallen below 0.01 by ≈ 2500.
    package var trials: Int = 3000
    /// Seeds (`--seeds`).
    package var seeds: Int = 10
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1
    /// η_W of Eq. (7), the teacher's RPE rule (`--eta-teacher`): fast (basal ganglia).
    package var etaTeacher: Double = 0.05
    /// η_M of Eq. (8), the student's growth (`--eta-student`): slow (cortex).
    package var etaStudent: Double = 0.01
    /// η_w of Eq. (9), the teacher gain's decay (`--eta-w`). 0.013 = 1.3 η_M: w ends near 0
    /// (≈ 0.008) while M has grown to its plateau; at η_w = 0.5 η_M w levels off at ≈ 0.6 (M x
    /// takes over, y → 0, so Eq. 9 stops); at η_w = 2 η_M the race is close: 9 of 10 seeds
    /// still consolidate (median 1000 trials). w → 0 is what stops M's growth (Eq. 8 ∝ w y).
    package var etaW: Double = 0.013
    /// Inverse temperature β_t of the teacher's softmax (Eq. 6 as printed has β = 1).
    /// 10: once g_correct ≈ 1 the teacher picks the correct action nearly always.
    package var betaTeacher: Double = 10
    /// Inverse temperature β_s of the output's softmax. 8: with s_correct ≈ 1 against ≈ 0.15
    /// for the other actions (the RPE of Eq. 7 holds s_correct near r = 1), P(correct) ≈ 0.99;
    /// at β_s = 5 the same circuit performs at only ≈ 0.92.
    package var betaOutput: Double = 8
    /// Initial student weights M₀ (`--initial-m`), every M_ij uniform in 0.01…0.05 by default
    /// (small and positive: Eq. 8 is multiplicative in M, so a zero weight never grows).
    /// Exercise 1 sets them to zero or negative.
    package var m0 = InitialStudentWeights(0.01...0.05)
    /// Initial teacher gain w0 for every output (1).
    package var w0: Double = 1
    /// Initial teacher weights W0 (0: the teacher starts silent, g = 0, y = 0).
    package var wTeacher0: Double = 0
    /// Fixed positive background of the prototypes, uniform in [0, background] per input (0.1).
    package var background: Double = 0.1
    /// Per-presentation positive input noise, uniform in [0, noise] per input (0.05).
    package var noise: Double = 0.05
    /// Accuracy criterion for "trials to criterion" (0.9).
    package var criterion: Double = 0.9
    /// Trials per point of the curves (100).
    package var block: Int = 100
    /// Early lesion trial (`--early-lesion-trial`; 100: the teacher has learned, the full circuit
    /// performs at ≈ 0.85–0.99, the student has hardly grown).
    package var earlyLesion: Int = 100
    /// Late lesion trial (0: at the end of training, `trials`).
    package var lateLesion: Int = 0
    /// Trials run after each lesion (and intact, on the same random numbers) to measure accuracy.
    package var lesionTestTrials: Int = 400
    /// Trials after the reversal (0: as many as `trials`).
    package var reversalTrials: Int = 0
    /// BEYOND THE REVIEW (`--unlearning`): λ of the added dopamine-gated unlearning after an
    /// unrewarded trial with RPE δ < 0: every teacher gain relaxes toward w0,
    /// w_i ← w_i + λ|δ|(w0 − w_i), and the performed action's student row is depressed,
    /// M_{a*_s} ← M_{a*_s} − λ|δ|(M_{a*_s} ∘ x) (see ``ConsolidationMotif/unlearning``). Used
    /// only by the second version of ``reversal(_:parallel:)``, from the reversal on; the motif
    /// as written has λ = 0.
    package var unlearning: Double = 0.3
    /// BEYOND THE REVIEW (`--unlearning-parts`): which parts of the unlearning rule act in the
    /// reversal's second version, w's recovery, the student depression, both (the default) or
    /// neither (see ``UnlearningParts``).
    package var unlearningParts: UnlearningParts = .both
    /// Grid points per axis of the η_M × η_w sweep (8).
    package var sweepSize: Int = 8
    /// η_M range of the sweep, log-spaced.
    package var sweepEtaStudent: ClosedRange<Double> = 1e-3...1e-1
    /// η_w range of the sweep, log-spaced.
    package var sweepEtaW: ClosedRange<Double> = 1e-3...1e-1
    /// Seeds per sweep cell (at most `seeds`; 5).
    package var sweepSeeds: Int = 5

    /// The defaults, or the `--quick` ones: 5 seeds, 2000 trials, a 6 × 6 sweep with 3 seeds.
    package init(quick: Bool = false) {
        if quick {
            seeds = 5
            trials = 2000
            sweepSize = 6
            sweepSeeds = 3
        }
    }

    /// The late lesion trial actually used.
    package var lateLesionTrial: Int { lateLesion > 0 ? lateLesion : trials }
    /// The reversal phase length actually used.
    package var reversalLength: Int { reversalTrials > 0 ? reversalTrials : trials }

    /// The cross-parameter and internal checks (each flag's own bounds are in ``declared``).
    package func checkConstraints() throws {
        try require(
            InitialStudentWeights.bounds.contains(m0.range.lowerBound)
                && InitialStudentWeights.bounds.contains(m0.range.upperBound), "--initial-m", m0,
            InitialStudentWeights.accepted)
        try require(w0 > 0 && w0.isFinite, "w0", w0, "an initial teacher gain > 0")
        try require(wTeacher0.isFinite, "W0", wTeacher0, "a finite initial teacher weight")
        try require(background >= 0 && background.isFinite, "background", background, "a rate ≥ 0")
        try require(noise >= 0 && noise.isFinite, "noise", noise, "a noise level ≥ 0")
        try require(criterion > 0 && criterion <= 1, "criterion", criterion, "an accuracy in (0, 1]")
        try require(block >= 1, "block", block, "at least 1 trial per block")
        try require(
            earlyLesion <= trials, "--early-lesion-trial", earlyLesion, "a trial in 0…\(trials) (at most --trials)")
        try require(
            lateLesion >= 0 && lateLesion <= trials && lateLesionTrial >= earlyLesion, "late lesion", lateLesion,
            "0 (= --trials) or a trial in \(earlyLesion)…\(trials)")
        try require(lesionTestTrials >= 1, "lesion test trials", lesionTestTrials, "at least 1 trial")
        try require(reversalTrials >= 0, "reversal trials", reversalTrials, "0 (= --trials) or more trials")
        try require(sweepSize >= 2, "sweep size", sweepSize, "at least 2 points per axis")
        for (name, r) in [("sweep eta-student", sweepEtaStudent), ("sweep eta-w", sweepEtaW)] {
            try require(r.lowerBound > 0 && r.upperBound.isFinite, name, r, "a finite range of rates > 0")
        }
        try require(sweepSeeds >= 1, "sweep seeds", sweepSeeds, "at least 1 seed")
    }
}

extension ConsolidationParameters: ChapterParameters {
    /// A trial costs about m × n; the sweep runs every trial for its 8 × 8 cells × 5 seeds and
    /// each other experiment for every seed.
    package static let budgets: [ParameterBudget<ConsolidationParameters>] = [
        .init("trials × m × n", atMost: 5e7, blame: "--trials") {
            Double($0.trials) * Double($0.actions) * Double($0.inputs)
        },
        .init("seeds × trials × m × n", atMost: 2e9, blame: "--seeds") {
            Double($0.seeds) * Double($0.trials) * Double($0.actions) * Double($0.inputs)
        },
    ]

    package static let declared: [ModelParameter<ConsolidationParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(
            \.etaTeacher, flag: "--eta-teacher", symbol: "η_W", "learning rate of the teacher's RPE rule, Eq. 7", .above(0, upTo: 1_000_000)
        ),
        .init(
            \.etaStudent, flag: "--eta-student", symbol: "η_M", "learning rate of the student's Hebbian rule, Eq. 8",
            .above(0, upTo: 1_000_000)),
        .init(\.etaW, flag: "--eta-w", symbol: "η_w", "learning rate of the teacher weight w, Eq. 9", .above(0, upTo: 1_000_000)),
        .init(
            \.betaTeacher, flag: "--beta-teacher", symbol: "β_t", "inverse temperature of the teacher's softmax, Eq. 6",
            .above(0, upTo: 1000)),
        .init(\.betaOutput, flag: "--beta-output", symbol: "β_s", "inverse temperature of the output's softmax", .above(0, upTo: 1000)),
        .init(\.stimuli, flag: "--stimuli", symbol: "S", "stimuli in the stimulus–action mapping", .closed(1, 100)),
        .init(
            \.actions, flag: "--actions", symbol: "m", "actions, the number of teacher and output units (chance is 1/m)", .closed(2, 100)),
        .init(\.inputs, flag: "--inputs", symbol: "n", "input units", .closed(1, 1000)),
        .init(\.trials, flag: "--trials", symbol: "N", "training trials", .closed(1, 100_000)),
        .init(
            \.unlearning, flag: "--unlearning", symbol: "λ",
            "beyond the review: rate of dopamine-gated unlearning after unrewarded trials, in the reversal's second version",
            .above(0, upTo: 1)),
        .init(
            \.unlearningParts, flag: "--unlearning-parts", symbol: "λ_parts",
            "beyond the review: which parts of the unlearning rule act, w's recovery toward w0, the depression "
                + "of the performed action's student row, both or none"),
        .init(
            \.m0, flag: "--initial-m", symbol: "M₀",
            "initial student weights: a number c (every M_ij = c) or a range lo:hi (each M_ij uniform in it)",
            accepted: InitialStudentWeights.accepted),
        .init(
            \.earlyLesion, flag: "--early-lesion-trial", symbol: "T_early",
            "trial after which the teacher is silenced in the early lesion of teacher-lesion (0: before any learning)",
            .closed(0, 100_000)),
    ]
}

extension UnlearningParts: ParameterValue {}

/// The initial student weights M₀ of Eq. (8): every entry uniform in `range` (a constant when
/// the range is one number). A zero start never grows (Eq. 8 is multiplicative in M) and a
/// negative one grows more negative wherever the teacher is active (Exercise 1).
package struct InitialStudentWeights: ParameterValue {
    /// Each M_ij is drawn uniform in this range.
    package var range: ClosedRange<Double>

    /// The accepted values of either end.
    static let bounds = -1.0...1.0
    /// What `--initial-m` accepts.
    static let accepted = "a number c or a range lo:hi with −1 ≤ lo ≤ hi ≤ 1"

    package init(_ range: ClosedRange<Double>) { self.range = range }

    /// "c" (every entry c) or "lo:hi" (uniform in lo…hi), each end within ``bounds``.
    package init?(argument: String) {
        let ends = argument.split(separator: ":", omittingEmptySubsequences: false).map { Double(String($0)) }
        guard (1...2).contains(ends.count), let lo = ends.first ?? nil, let hi = ends.last ?? nil,
            Self.bounds.contains(lo), Self.bounds.contains(hi), lo <= hi
        else { return nil }
        range = lo...hi
    }

    package var typed: String {
        range.lowerBound == range.upperBound ? range.lowerBound.typed : "\(range.lowerBound.typed):\(range.upperBound.typed)"
    }
}
