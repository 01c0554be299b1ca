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
    /// (≈ 0.006) while M has grown to its plateau; at η_w = 0.5 η_M w stalls at ≈ 0.6 (M x takes
    /// over, y → 0, so Eq. 9 stops), at η_w = 2 η_M w collapses (to ~1e-57) before M has grown
    /// and the student stalls — w → 0 is what stops M's growth (Eq. 8 is proportional to w y).
    package var etaW: Double = 0.013
    /// Inverse temperature β_t of the teacher's softmax (Eq. 6 as printed has β = 1).
    /// 10: once g_correct ≈ 1 the teacher picks the correct action nearly always.
    package var betaTeacher: Double = 10
    /// Inverse temperature β_s of the output's softmax. 8: with s_correct ≈ 1 against ≈ 0.15
    /// for the other actions (the RPE of Eq. 7 holds s_correct near r = 1), P(correct) ≈ 0.99;
    /// at β_s = 5 the same circuit performs at only ≈ 0.92.
    package var betaOutput: Double = 8
    /// Initial student weights M0, uniform in this range (small and positive: Eq. 8 is
    /// multiplicative in M, so a zero weight never grows).
    package var m0: ClosedRange<Double> = 0.01...0.05
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
    /// Early lesion trial (100: the teacher has learned, the full circuit performs at ≈ 0.85–0.99,
    /// the student has hardly grown).
    package var earlyLesion: Int = 100
    /// Late lesion trial (0: at the end of training, `trials`).
    package var lateLesion: Int = 0
    /// Trials run after each lesion (and intact, on the same random numbers) to measure accuracy.
    package var lesionTestTrials: Int = 400
    /// Trials after the reversal (0: as many as `trials`).
    package var reversalTrials: Int = 0
    /// BEYOND THE REVIEW (`--renewal`): λ of the added renewal after an unrewarded trial with
    /// RPE δ < 0: every teacher gain relaxes toward w0, w_i ← w_i + λ|δ|(w0 − w_i), and the
    /// performed action's student row is depressed, M_{a*_s} ← M_{a*_s} − λ|δ|(M_{a*_s} ∘ x)
    /// (see ``ConsolidationMotif/renewal``). Used only by the second version of
    /// ``reversal(_:parallel:)``; the motif as written has λ = 0.
    package var renewal: Double = 0.3
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
            m0.lowerBound > 0 && m0.upperBound.isFinite, "M0", m0, "a finite range of positive initial student weights")
        try require(w0 > 0 && w0.isFinite, "w0", w0, "an initial teacher gain > 0")
        try require(wTeacher0.isFinite, "W0", wTeacher0, "a finite initial teacher weight")
        try require(background >= 0 && background.isFinite, "background", background, "a rate ≥ 0")
        try require(noise >= 0 && noise.isFinite, "noise", noise, "a noise level ≥ 0")
        try require(criterion > 0 && criterion <= 1, "criterion", criterion, "an accuracy in (0, 1]")
        try require(block >= 1, "block", block, "at least 1 trial per block")
        try require(earlyLesion >= 0 && earlyLesion <= trials, "early lesion", earlyLesion, "a trial in 0…\(trials)")
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
    package static let declared: [ModelParameter<ConsolidationParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(\.etaTeacher, flag: "--eta-teacher", symbol: "η_W", "learning rate of the teacher's RPE rule, Eq. 7", .above(0, upTo: 1_000_000)),
        .init(\.etaStudent, flag: "--eta-student", symbol: "η_M", "learning rate of the student's Hebbian rule, Eq. 8", .above(0, upTo: 1_000_000)),
        .init(\.etaW, flag: "--eta-w", symbol: "η_w", "learning rate of the teacher weight w, Eq. 9", .above(0, upTo: 1_000_000)),
        .init(\.betaTeacher, flag: "--beta-teacher", symbol: "β_t", "inverse temperature of the teacher's softmax, Eq. 6", .above(0, upTo: 1000)),
        .init(\.betaOutput, flag: "--beta-output", symbol: "β_s", "inverse temperature of the output's softmax", .above(0, upTo: 1000)),
        .init(\.stimuli, flag: "--stimuli", symbol: "S", "stimuli in the stimulus–action mapping", .closed(1, 100)),
        .init(\.actions, flag: "--actions", symbol: "m", "actions, the number of teacher and output units (chance is 1/m)", .closed(2, 100)),
        .init(\.inputs, flag: "--inputs", symbol: "n", "input units", .closed(1, 1000)),
        .init(\.trials, flag: "--trials", symbol: "N", "training trials", .closed(1, 100_000)),
        .init(
            \.renewal, flag: "--renewal", symbol: "λ",
            "beyond the review: rate of renewal after unrewarded trials in the reversal's second version",
            .above(0, upTo: 1)),
    ]
}

/// A weight or output beyond this counts as divergence: with rewards in {0, 1} and the RPE
/// rule of Eq. (7) the outputs stay near [0, 1] for any stable rate.
let consolidationDivergenceBound = 1e6

/// Generator streams of one seed.
private enum ConsolidationStream {
    static let setup = 0, stimulus = 1, teacher = 2, action = 3
}

/// The random state of one run, copied to fork a run (lesion vs intact use the same numbers).
private struct Streams {
    var stimulus: SeededGenerator
    var teacher: SeededGenerator
    var action: SeededGenerator

    init(seed: UInt64) {
        stimulus = SeededGenerator(seed: seed, stream: ConsolidationStream.stimulus)
        teacher = SeededGenerator(seed: seed, stream: ConsolidationStream.teacher)
        action = SeededGenerator(seed: seed, stream: ConsolidationStream.action)
    }
}

/// The task and the naive circuit of `seed`.
private func setup(_ p: ConsolidationParameters, seed: UInt64) -> (ConsolidationTask, ConsolidationMotif) {
    var rng = SeededGenerator(seed: seed, stream: ConsolidationStream.setup)
    let task = ConsolidationTask(stimuli: p.stimuli, actions: p.actions, inputs: p.inputs,
                                 background: p.background, noise: p.noise, using: &rng)
    let motif = ConsolidationMotif(actions: p.actions, inputs: p.inputs, m0: p.m0, w0: p.w0,
                                   w0Teacher: p.wTeacher0, etaTeacher: p.etaTeacher,
                                   etaStudent: p.etaStudent, etaW: p.etaW, betaTeacher: p.betaTeacher,
                                   betaOutput: p.betaOutput, using: &rng)
    return (task, motif)
}

/// The mean input x̄_k of every stimulus (prototype + noise/2).
private func meanInputs(_ task: ConsolidationTask) -> [[Double]] {
    (0..<task.stimuli).map { k in task.patterns.row(k).map { $0 + task.noise / 2 } }
}

/// Exact student (teacher silenced) and teacher accuracy, averaged over stimuli.
private func exactAccuracies(_ motif: ConsolidationMotif, _ task: ConsolidationTask) -> (student: Double, teacher: Double) {
    let xs = meanInputs(task)
    var s = 0.0, t = 0.0
    for (k, x) in xs.enumerated() {
        s += motif.studentAccuracy(x, correct: task.mapping[k])
        t += motif.teacherAccuracy(x, correct: task.mapping[k])
    }
    return (s / Double(xs.count), t / Double(xs.count))
}

/// Curves of a stretch of trials, one point per block.
private struct Trace {
    var trial: [Double] = []
    var full: [Double] = []
    var student: [Double] = []
    var teacher: [Double] = []
    var wMean: [Double] = []
    var mNorm: [Double] = []

    mutating func record(_ n: Int, full f: Double, _ motif: ConsolidationMotif, _ task: ConsolidationTask) {
        let acc = exactAccuracies(motif, task)
        trial.append(Double(n))
        full.append(f)
        student.append(acc.student)
        teacher.append(acc.teacher)
        wMean.append(motif.w.mean)
        mNorm.append(motif.M.frobeniusNorm)
    }
}

/// Runs trials `first…last` (1-based global trial numbers) of `task`, learning, and returns
/// the fraction correct over them; records a block point whenever `n` is a multiple of
/// `block` or `n == last` (when `trace` is given). Throws on divergence.
private func runTrials(_ motif: inout ConsolidationMotif, _ task: ConsolidationTask, _ streams: inout Streams,
                       first: Int, last: Int, block: Int, guardrail: DivergenceGuard,
                       trace: UnsafeMutablePointer<Trace>? = nil) throws -> Double {
    guard last >= first else { return .nan }
    var correct = 0, inBlock = 0, total = 0, totalCorrect = 0
    for n in first...last {
        let k = streams.stimulus.int(below: task.stimuli)
        let x = task.input(k, using: &streams.stimulus)
        let t = motif.trial(x: x, correct: task.mapping[k], teacherRNG: &streams.teacher, actionRNG: &streams.action)
        try guardrail.check(t.rpe, step: n)
        correct += t.reward > 0 ? 1 : 0
        totalCorrect += t.reward > 0 ? 1 : 0
        inBlock += 1
        total += 1
        if n % block == 0 || n == last {
            try guardrail.check(motif.allWeights, step: n)
            trace?.pointee.record(n, full: Double(correct) / Double(inBlock), motif, task)
            correct = 0
            inBlock = 0
        }
    }
    return Double(totalCorrect) / Double(total)
}

private func traceRun(_ motif: inout ConsolidationMotif, _ task: ConsolidationTask, _ streams: inout Streams,
                      first: Int, last: Int, block: Int, guardrail: DivergenceGuard) throws -> Trace {
    var trace = Trace()
    try withUnsafeMutablePointer(to: &trace) { ptr in
        _ = try runTrials(&motif, task, &streams, first: first, last: last, block: block,
                          guardrail: guardrail, trace: ptr)
    }
    return trace
}

/// The first x at which `y ≥ criterion`, or nil.
private func criterionTrial(_ x: [Double], _ y: [Double], _ criterion: Double) -> Int? {
    zip(x, y).first { $0.1 >= criterion }.map { Int($0.0) }
}

private func guardrail(_ name: String, _ p: ConsolidationParameters, seed: UInt64, extra: [RunParameter] = []) -> DivergenceGuard {
    DivergenceGuard(run: "\(name) (seed \(seed))", parameters: p.runParameters + extra,
                    bound: consolidationDivergenceBound)
}

/// Curve names of the per-seed records.
package enum ConsolidationCurve {
    package static let full = "full_accuracy", student = "student_accuracy", teacher = "teacher_accuracy"
    package static let wMean = "w_mean", mNorm = "m_norm"
    package static let all = [full, student, teacher, wMean, mNorm]
}

private func records(_ trace: Trace, seed: UInt64) -> SeedRecord {
    SeedRecord(seed: seed, curves: [
        Curve(name: ConsolidationCurve.full, x: trace.trial, y: trace.full),
        Curve(name: ConsolidationCurve.student, x: trace.trial, y: trace.student),
        Curve(name: ConsolidationCurve.teacher, x: trace.trial, y: trace.teacher),
        Curve(name: ConsolidationCurve.wMean, x: trace.trial, y: trace.wMean),
        Curve(name: ConsolidationCurve.mNorm, x: trace.trial, y: trace.mNorm),
    ])
}

private func cell(_ v: Int?) -> CSVCell { v.map { .int($0) } ?? .number(.nan) }

// MARK: - 1. Consolidation

/// Learning curves of the motif as written: the full circuit, the student alone, the
/// teacher's choice, the mean teacher gain w and the student norm |M|_F.
package struct ConsolidationResult: Sendable {
    /// The parameters used.
    package var parameters: ConsolidationParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// Per seed: curves named in ``ConsolidationCurve``, x = trial at the end of each block.
    package var seeds: [SeedRecord]
    /// Per-seed first block end at which the full circuit's block accuracy ≥ criterion (nil: never).
    package var fullCriterion: [Int?]
    /// Per-seed first block end at which the student alone reaches the criterion (nil: never).
    package var studentCriterion: [Int?]
    /// Per-seed first block end at which the teacher's own choice reaches the criterion.
    package var teacherCriterion: [Int?]
    /// Mean w and |M|_F before the first trial, per seed.
    package var initialW: [Double], initialMNorm: [Double]
    /// Chance accuracy 1/m.
    package var chance: Double

    /// Mean ± SEM across seeds of the curve `name` (one of ``ConsolidationCurve``).
    package func statistics(_ name: String) -> SeedStatistics { SeedStatistics(seeds, curve: name) }
    /// The last point of curve `name`, across seeds.
    package func final(_ name: String) -> MeanSEM { MeanSEM(seeds.map { $0.curve(named: name)!.y.last! }) }

    /// Columns `seed,trial,full_accuracy,student_accuracy,teacher_accuracy,w_mean,m_norm`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["seed", "trial"] + ConsolidationCurve.all)
        for r in seeds {
            let cs = ConsolidationCurve.all.map { r.curve(named: $0)! }
            for i in 0..<cs[0].x.count {
                t.append([.text(String(r.seed)), .int(Int(cs[0].x[i]))] + cs.map { .number($0.y[i]) })
            }
        }
        return t
    }

    /// Columns `trial,measure,mean,sem,seeds`.
    package var summaryCSV: CSVTable {
        var t = CSVTable(header: ["trial", "measure", "mean", "sem", "seeds"])
        for name in ConsolidationCurve.all {
            let s = statistics(name)
            for i in 0..<s.x.count {
                t.append([.int(Int(s.x[i])), .text(name), .number(s.mean[i]), .number(s.sem[i]), .int(s.seedCount)])
            }
        }
        return t
    }

    /// Columns `seed,full_criterion_trial,student_criterion_trial,teacher_criterion_trial`
    /// (nan: never within the run).
    package var criterionCSV: CSVTable {
        var t = CSVTable(header: ["seed", "full_criterion_trial", "student_criterion_trial", "teacher_criterion_trial"])
        for (i, s) in seedValues.enumerated() {
            t.append([.text(String(s)), cell(fullCriterion[i]), cell(studentCriterion[i]), cell(teacherCriterion[i])])
        }
        return t
    }
}

/// Trains the motif as written (Eqs. 4–9) for `trials` trials per seed, seeds in parallel.
package func consolidation(_ params: ConsolidationParameters, parallel: Bool = true) throws -> ConsolidationResult {
    try params.validate()
    let p = params
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let runs = try MultiSeedRunner.run(seeds: seedValues, parallel: parallel) { seed in
        var (task, motif) = setup(p, seed: seed)
        let w0 = motif.w.mean, m0 = motif.M.frobeniusNorm
        var streams = Streams(seed: seed)
        let trace = try traceRun(&motif, task, &streams, first: 1, last: p.trials, block: p.block,
                                 guardrail: guardrail("consolidation", p, seed: seed))
        return (trace, w0, m0)
    }
    let recs = zip(seedValues, runs).map { records($1.0, seed: $0) }
    return ConsolidationResult(
        parameters: p, seedValues: seedValues, seeds: recs,
        fullCriterion: runs.map { criterionTrial($0.0.trial, $0.0.full, p.criterion) },
        studentCriterion: runs.map { criterionTrial($0.0.trial, $0.0.student, p.criterion) },
        teacherCriterion: runs.map { criterionTrial($0.0.trial, $0.0.teacher, p.criterion) },
        initialW: runs.map(\.1), initialMNorm: runs.map(\.2), chance: 1 / Double(p.actions))
}

// MARK: - 2. Teacher lesion

/// Accuracy after silencing the teacher early and late, against the intact circuit.
///
/// The lesion sets y ≡ 0 (the teacher's output activity is removed, as by inactivating the
/// basal ganglia): the output is M x alone, and Eqs. (8)–(9), proportional to y, stop.
/// After each lesion trial T the circuit is forked; both copies run the same
/// `lesionTestTrials` trials (same stimuli and random numbers), learning on, one lesioned
/// and one intact; accuracy is the fraction of those trials performed correctly.
package struct LesionResult: Sendable {
    /// The parameters used.
    package var parameters: ConsolidationParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// The lesion trials: [early, late].
    package var lesionTrials: [Int]
    /// intact[lesion][seed] and lesioned[lesion][seed]: accuracy over the test trials.
    package var intact: [[Double]], lesioned: [[Double]]
    /// Chance accuracy 1/m.
    package var chance: Double

    /// Mean ± SEM of the intact accuracy after lesion index `i` (0 early, 1 late).
    package func intactAccuracy(_ i: Int) -> MeanSEM { MeanSEM(intact[i]) }
    /// Mean ± SEM of the lesioned accuracy after lesion index `i` (0 early, 1 late).
    package func lesionedAccuracy(_ i: Int) -> MeanSEM { MeanSEM(lesioned[i]) }

    /// Columns `seed,lesion_trial,condition,accuracy` (condition = intact or lesioned).
    package var csv: CSVTable {
        var t = CSVTable(header: ["seed", "lesion_trial", "condition", "accuracy"])
        for (li, trial) in lesionTrials.enumerated() {
            for (si, s) in seedValues.enumerated() {
                t.append([.text(String(s)), .int(trial), "intact", .number(intact[li][si])])
                t.append([.text(String(s)), .int(trial), "lesioned", .number(lesioned[li][si])])
            }
        }
        return t
    }

    /// Columns `lesion_trial,condition,accuracy_mean,accuracy_sem,seeds`.
    package var summaryCSV: CSVTable {
        var t = CSVTable(header: ["lesion_trial", "condition", "accuracy_mean", "accuracy_sem", "seeds"])
        for (li, trial) in lesionTrials.enumerated() {
            for (name, s) in [("intact", intactAccuracy(li)), ("lesioned", lesionedAccuracy(li))] {
                t.append([.int(trial), .text(name), .number(s.mean), .number(s.sem), .int(s.n)])
            }
        }
        return t
    }
}

/// Silences the teacher at `earlyLesion` and at the late lesion trial (same training run
/// as ``consolidation(_:parallel:)``), seeds in parallel.
package func teacherLesion(_ params: ConsolidationParameters, parallel: Bool = true) throws -> LesionResult {
    try params.validate()
    let p = params
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let lesionTrials = [p.earlyLesion, p.lateLesionTrial]
    let runs = try MultiSeedRunner.run(seeds: seedValues, parallel: parallel) { seed -> [(Double, Double)] in
        var (task, motif) = setup(p, seed: seed)
        var streams = Streams(seed: seed)
        let g = guardrail("teacher lesion", p, seed: seed)
        var done = 0
        var out = [(Double, Double)]()
        for T in lesionTrials {
            if T > done {
                _ = try runTrials(&motif, task, &streams, first: done + 1, last: T, block: p.block, guardrail: g)
                done = T
            }
            var intact = motif, lesioned = motif
            lesioned.teacherSilenced = true
            var s1 = streams, s2 = streams
            let a = try runTrials(&intact, task, &s1, first: T + 1, last: T + p.lesionTestTrials, block: p.block, guardrail: g)
            let b = try runTrials(&lesioned, task, &s2, first: T + 1, last: T + p.lesionTestTrials, block: p.block, guardrail: g)
            out.append((a, b))
        }
        return out
    }
    return LesionResult(parameters: p, seedValues: seedValues, lesionTrials: lesionTrials,
                        intact: lesionTrials.indices.map { i in runs.map { $0[i].0 } },
                        lesioned: lesionTrials.indices.map { i in runs.map { $0[i].1 } },
                        chance: 1 / Double(p.actions))
}

// MARK: - 3. Reversal

/// The two versions of the reversal experiment.
package enum ReversalVersion: String, Sendable, CaseIterable {
    /// Eqs. (4)–(9) exactly as written.
    case asWritten = "as-written"
    /// BEYOND THE REVIEW: plus renewal after unrewarded trials (w relaxes toward w0, the
    /// performed student row is depressed), switched on for the whole run.
    case renewal = "renewal"
}

/// One version's reversal curves.
package struct ReversalSeries: Sendable {
    /// The version.
    package var version: ReversalVersion
    /// Per seed, over the reversal phase (x = trials since the reversal, at each block end):
    /// curves of ``ConsolidationCurve`` measured on the NEW mapping, plus "old_full_accuracy"
    /// (fraction of trials performing the OLD action, from the same trials).
    package var seeds: [SeedRecord]
    /// Per seed: the state just before the reversal (student accuracy on the old mapping, w mean, |M|).
    package var beforeStudent: [Double], beforeW: [Double], beforeMNorm: [Double]
    /// Per seed: trials after the reversal until the full circuit reaches the criterion on the
    /// new mapping (nil: never within the phase).
    package var recoveryTrial: [Int?]
    /// Mean ± SEM of curve `name`.
    package func statistics(_ name: String) -> SeedStatistics { SeedStatistics(seeds, curve: name) }
    /// The last point of curve `name`, across seeds.
    package func final(_ name: String) -> MeanSEM { MeanSEM(seeds.map { $0.curve(named: name)!.y.last! }) }
}

/// Reversal after consolidation, for the motif as written and with the renewal addition.
///
/// Why the motif as written cannot reverse: after consolidation w ≈ 0, so the teacher's
/// contribution w ∘ y to the output (Eq. 4) is gated off — the teacher may learn the new
/// mapping by Eq. (7), but it can no longer drive the output — and Eqs. (8) and (9) are
/// both proportional to w_{a*_t} y_{a*_t}, so M and w stop changing. The only ways out
/// are the student's own sampling noise and Eq. (9) with y < 0 (w grows again, but only
/// multiplicatively from ≈ 0, and only when the teacher picks an action it now predicts to
/// be bad). Eq. (8) can only scale M rows: the old mapping stored in M is never erased by a
/// positive teacher; it has to be outcompeted by growing M on the new action (or shrunk by
/// negative y). The new mapping is M_{new} x > M_{old} x.
///
/// Measured (defaults, 10 seeds, 3000 reversal trials): as written, new-mapping accuracy is
/// ≈ 0.005 for ~1000 trials, then w regrows by Eq. (9) with y < 0 (0.008 → ≈ 0.9) and the
/// old habit fades (0.98 → ≈ 0.6) while |M| shrinks (0.86 → ≈ 0.6), yet new-mapping accuracy
/// stays ≤ 0.1: the teacher (Eq. 5) drives only the action it selects, so it can suppress the
/// old action only by selecting it with negative y — which its softmax avoids — and the new
/// action is performed too rarely (β_s = 8 against M_old x ≈ 1) for Eq. (7) to learn it.
/// Restoring w alone does not help for the same reason. With renewal (λ = 0.3, beyond the
/// review: w relaxes toward w0 and the performed student row is depressed after each
/// disappointment) the habit loses its monopoly, the teacher explores and relearns, and the
/// circuit re-consolidates the new mapping (criterion within a few hundred trials).
package struct ReversalResult: Sendable {
    /// The parameters used.
    package var parameters: ConsolidationParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// One series per version, in ``ReversalVersion`` order.
    package var series: [ReversalSeries]
    /// Chance accuracy 1/m.
    package var chance: Double

    /// The series of `version`.
    package func series(_ version: ReversalVersion) -> ReversalSeries { series.first { $0.version == version }! }

    /// Columns `version,seed,trial,full_accuracy,student_accuracy,teacher_accuracy,w_mean,m_norm,old_full_accuracy`;
    /// trial counts from the reversal, accuracies on the new mapping except the last.
    package var csv: CSVTable {
        let names = ConsolidationCurve.all + [reversalOldCurve]
        var t = CSVTable(header: ["version", "seed", "trial"] + names)
        for s in series {
            for r in s.seeds {
                let cs = names.map { r.curve(named: $0)! }
                for i in 0..<cs[0].x.count {
                    t.append([.text(s.version.rawValue), .text(String(r.seed)), .int(Int(cs[0].x[i]))]
                             + cs.map { .number($0.y[i]) })
                }
            }
        }
        return t
    }
}

/// Name of the old-mapping behavioural accuracy curve in reversal records.
package let reversalOldCurve = "old_full_accuracy"

/// Trains for `trials` trials, then shifts every stimulus's action by one
/// (``ConsolidationTask/reversed``) and runs `reversalLength` more trials; both versions of
/// ``ReversalVersion`` on the same seeds and random streams. Seeds × versions in parallel.
package func reversal(_ params: ConsolidationParameters, parallel: Bool = true) throws -> ReversalResult {
    try params.validate()
    let p = params
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let versions = ReversalVersion.allCases
    let jobs = seedValues.flatMap { s in versions.map { (s, $0) } }
    let runs = try MultiSeedRunner.map(count: jobs.count, parallel: parallel) { j in
        let (seed, version) = jobs[j]
        var (task, motif) = setup(p, seed: seed)
        var extra = [RunParameter]()
        if version == .renewal {
            motif.renewal = p.renewal
            extra = [RunParameter("renewal", p.renewal)]
        }
        var streams = Streams(seed: seed)
        let g = guardrail("reversal, \(version.rawValue)", p, seed: seed, extra: extra)
        _ = try runTrials(&motif, task, &streams, first: 1, last: p.trials, block: p.block, guardrail: g)
        let before = (exactAccuracies(motif, task).student, motif.w.mean, motif.M.frobeniusNorm)
        let newTask = task.reversed
        // Old-mapping behaviour from the same trials: count performed == old action.
        var trace = Trace(), old = [Double]()
        var oldCount = 0, correct = 0, inBlock = 0
        for n in 1...p.reversalLength {
            let k = streams.stimulus.int(below: newTask.stimuli)
            let x = newTask.input(k, using: &streams.stimulus)
            let t = motif.trial(x: x, correct: newTask.mapping[k], teacherRNG: &streams.teacher,
                                actionRNG: &streams.action)
            try g.check(t.rpe, step: p.trials + n)
            if t.performedAction == task.mapping[k] { oldCount += 1 }
            inBlock += 1
            if t.reward > 0 { correct += 1 }
            if n % p.block == 0 || n == p.reversalLength {
                try g.check(motif.allWeights, step: p.trials + n)
                trace.record(n, full: Double(correct) / Double(inBlock), motif, newTask)
                old.append(Double(oldCount) / Double(inBlock))
                oldCount = 0
                correct = 0
                inBlock = 0
            }
        }
        return (trace, old, before)
    }
    var series = [ReversalSeries]()
    for (vi, version) in versions.enumerated() {
        let mine = seedValues.indices.map { runs[$0 * versions.count + vi] }
        let recs = zip(seedValues, mine).map { seed, run in
            var r = records(run.0, seed: seed)
            r.curves.append(Curve(name: reversalOldCurve, x: run.0.trial, y: run.1))
            return r
        }
        series.append(ReversalSeries(version: version, seeds: recs, beforeStudent: mine.map(\.2.0),
                                     beforeW: mine.map(\.2.1), beforeMNorm: mine.map(\.2.2),
                                     recoveryTrial: mine.map { criterionTrial($0.0.trial, $0.0.full, p.criterion) }))
    }
    return ReversalResult(parameters: p, seedValues: seedValues, series: series, chance: 1 / Double(p.actions))
}

// MARK: - 4. Sweep of η_M × η_w

/// Consolidation time (trials until the student alone reaches the criterion) over a
/// log-spaced grid of η_M (Eq. 8) × η_w (Eq. 9), other parameters at their values.
package struct ConsolidationSweepResult: Sendable {
    /// The parameters used.
    package var parameters: ConsolidationParameters
    /// η_M values (rows of the grid), ascending.
    package var etaStudent: [Double]
    /// η_w values (columns of the grid), ascending.
    package var etaW: [Double]
    /// perSeed[i][j][s]: student criterion trial of seed s at (η_M[i], η_w[j]); nil when the
    /// student did not reach the criterion within `trials` or the run diverged.
    package var perSeed: [[[Int?]]]
    /// diverged[i][j]: some seed of the cell threw ``DivergenceError``.
    package var diverged: [[Bool]]
    /// Wall time of the whole sweep.
    package var wallTime: Duration

    /// Mean consolidation time of a cell over its seeds; NaN unless every seed consolidated.
    package func meanTime(_ i: Int, _ j: Int) -> Double {
        let v = perSeed[i][j]
        if v.contains(where: { $0 == nil }) { return .nan }
        return v.map { Double($0!) }.mean
    }

    /// Fraction of seeds that consolidated in a cell.
    package func successFraction(_ i: Int, _ j: Int) -> Double {
        Double(perSeed[i][j].filter { $0 != nil }.count) / Double(perSeed[i][j].count)
    }

    /// Columns `eta_student,eta_w,consolidation_trials_mean,success_fraction,diverged`
    /// (mean is nan where some seed failed).
    package var csv: CSVTable {
        var t = CSVTable(header: ["eta_student", "eta_w", "consolidation_trials_mean", "success_fraction", "diverged"])
        for i in etaStudent.indices {
            for j in etaW.indices {
                t.append([.number(etaStudent[i]), .number(etaW[j]), .number(meanTime(i, j)),
                          .number(successFraction(i, j)), .int(diverged[i][j] ? 1 : 0)])
            }
        }
        return t
    }
}

/// `count` log-spaced values over `range`.
func logSpaced(_ range: ClosedRange<Double>, _ count: Int) -> [Double] {
    let a = log(range.lowerBound), b = log(range.upperBound)
    return (0..<count).map { exp(a + (b - a) * Double($0) / Double(count - 1)) }
}

/// Runs the grid, cells × seeds in parallel; a diverging run marks its cell and counts as failed.
package func sweep(_ params: ConsolidationParameters, parallel: Bool = true) throws -> ConsolidationSweepResult {
    try params.validate()
    let p = params
    let clock = ContinuousClock()
    let start = clock.now
    let etaMs = logSpaced(p.sweepEtaStudent, p.sweepSize), etaWs = logSpaced(p.sweepEtaW, p.sweepSize)
    let nSeeds = min(p.seeds, p.sweepSeeds)
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: nSeeds)
    let jobs = etaMs.indices.flatMap { i in etaWs.indices.flatMap { j in seedValues.map { (i, j, $0) } } }
    let results = try MultiSeedRunner.map(count: jobs.count, parallel: parallel) { k -> (Int?, Bool) in
        let (i, j, seed) = jobs[k]
        var q = p
        q.etaStudent = etaMs[i]
        q.etaW = etaWs[j]
        var (task, motif) = setup(q, seed: seed)
        var streams = Streams(seed: seed)
        do {
            let trace = try traceRun(&motif, task, &streams, first: 1, last: q.trials, block: q.block,
                                     guardrail: guardrail("sweep", q, seed: seed))
            return (criterionTrial(trace.trial, trace.student, q.criterion), false)
        } catch is DivergenceError {
            return (nil, true)
        }
    }
    var perSeed = [[[Int?]]](repeating: [[Int?]](repeating: [], count: etaWs.count), count: etaMs.count)
    var diverged = [[Bool]](repeating: [Bool](repeating: false, count: etaWs.count), count: etaMs.count)
    for (k, r) in results.enumerated() {
        let (i, j, _) = jobs[k]
        perSeed[i][j].append(r.0)
        if r.1 { diverged[i][j] = true }
    }
    return ConsolidationSweepResult(parameters: p, etaStudent: etaMs, etaW: etaWs, perSeed: perSeed,
                                    diverged: diverged, wallTime: clock.now - start)
}

