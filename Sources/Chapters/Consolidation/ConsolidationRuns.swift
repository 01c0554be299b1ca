// Chapter 3: one run of the Box 1 motif on the stimulus–action task, with the random
// streams and measures every experiment shares.
import CreditCore
import Foundation

/// A weight or output beyond this counts as divergence: with rewards in {0, 1} and the RPE
/// rule of Eq. (7) the outputs stay near [0, 1] for any stable rate.
let consolidationDivergenceBound = 1e6

/// Generator streams of one seed.
enum ConsolidationStream {
    static let setup = 0, stimulus = 1, teacher = 2, action = 3
}

/// The random state of one run, copied to fork a run (lesion vs intact use the same numbers).
struct Streams {
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
func setup(_ p: ConsolidationParameters, seed: UInt64) -> (ConsolidationTask, ConsolidationMotif) {
    var rng = SeededGenerator(seed: seed, stream: ConsolidationStream.setup)
    let task = ConsolidationTask(
        stimuli: p.stimuli, actions: p.actions, inputs: p.inputs,
        background: p.background, noise: p.noise, using: &rng)
    let motif = ConsolidationMotif(
        actions: p.actions, inputs: p.inputs, m0: p.m0.range, w0: p.w0,
        w0Teacher: p.wTeacher0, etaTeacher: p.etaTeacher,
        etaStudent: p.etaStudent, etaW: p.etaW, betaTeacher: p.betaTeacher,
        betaOutput: p.betaOutput, using: &rng)
    return (task, motif)
}

/// The mean input x̄_k of every stimulus (prototype + noise/2).
func meanInputs(_ task: ConsolidationTask) -> [[Double]] {
    (0..<task.stimuli).map { k in task.patterns.row(k).map { $0 + task.noise / 2 } }
}

/// Exact student (teacher silenced) and teacher accuracy, averaged over stimuli.
func exactAccuracies(_ motif: ConsolidationMotif, _ task: ConsolidationTask) -> (student: Double, teacher: Double) {
    let xs = meanInputs(task)
    var s = 0.0, t = 0.0
    for (k, x) in xs.enumerated() {
        s += motif.studentAccuracy(x, correct: task.mapping[k])
        t += motif.teacherAccuracy(x, correct: task.mapping[k])
    }
    return (s / Double(xs.count), t / Double(xs.count))
}

/// Exact full-circuit accuracy (teacher active, its choice summed over), averaged over stimuli.
func exactFullAccuracy(_ motif: ConsolidationMotif, _ task: ConsolidationTask) -> Double {
    let xs = meanInputs(task)
    return zip(xs, task.mapping).map { motif.fullAccuracy($0, correct: $1) }.mean
}

/// The teacher's drive for the correct action, g_c = (W x̄_k)_c (Eq. 5), averaged over stimuli.
func correctDrive(_ motif: ConsolidationMotif, _ task: ConsolidationTask) -> Double {
    let xs = meanInputs(task)
    return zip(xs, task.mapping).map { motif.teacherDrive($0, action: $1) }.mean
}

/// Curves of a stretch of trials, one point per block.
struct Trace {
    var trial: [Double] = []
    var full: [Double] = []
    var student: [Double] = []
    var teacher: [Double] = []
    var wMean: [Double] = []
    var mNorm: [Double] = []
    /// The teacher's drive for the correct action, g_c (Eq. 5), mean over stimuli.
    var drive: [Double] = []

    mutating func record(_ n: Int, full f: Double, _ motif: ConsolidationMotif, _ task: ConsolidationTask) {
        let acc = exactAccuracies(motif, task)
        trial.append(Double(n))
        full.append(f)
        student.append(acc.student)
        teacher.append(acc.teacher)
        wMean.append(motif.w.mean)
        mNorm.append(motif.M.frobeniusNorm)
        drive.append(correctDrive(motif, task))
    }
}

/// Runs trials `first…last` (1-based global trial numbers) of `task`, learning, and returns
/// the fraction correct over them; records a block point whenever `n` is a multiple of
/// `block` or `n == last` (when `trace` is given). Throws on divergence.
func runTrials(
    _ motif: inout ConsolidationMotif, _ task: ConsolidationTask, _ streams: inout Streams,
    first: Int, last: Int, block: Int, guardrail: DivergenceGuard,
    trace: UnsafeMutablePointer<Trace>? = nil
) throws -> Double {
    guard last >= first else { return .nan }
    var correct = 0, inBlock = 0, total = 0, totalCorrect = 0
    var x = [Double](repeating: 0, count: task.inputs)  // every trial's input, reused
    for n in first...last {
        let k = streams.stimulus.int(below: task.stimuli)
        task.input(k, into: &x, using: &streams.stimulus)
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

func traceRun(
    _ motif: inout ConsolidationMotif, _ task: ConsolidationTask, _ streams: inout Streams,
    first: Int, last: Int, block: Int, guardrail: DivergenceGuard
) throws -> Trace {
    var trace = Trace()
    try withUnsafeMutablePointer(to: &trace) { ptr in
        _ = try runTrials(
            &motif, task, &streams, first: first, last: last, block: block,
            guardrail: guardrail, trace: ptr)
    }
    return trace
}

/// The first x at which `y ≥ criterion`, or nil.
func criterionTrial(_ x: [Double], _ y: [Double], _ criterion: Double) -> Int? {
    zip(x, y).first { $0.1 >= criterion }.map { Int($0.0) }
}

func guardrail(_ name: String, _ p: ConsolidationParameters, seed: UInt64) -> DivergenceGuard {
    DivergenceGuard(
        run: "\(name) (seed \(seed))", parameters: p.runParameters,
        bound: consolidationDivergenceBound)
}

/// Curve names of the per-seed records.
package enum ConsolidationCurve {
    package static let full = "full_accuracy", student = "student_accuracy", teacher = "teacher_accuracy"
    package static let wMean = "w_mean", mNorm = "m_norm"
    package static let all = [full, student, teacher, wMean, mNorm]
}

func records(_ trace: Trace, seed: UInt64) -> SeedRecord {
    SeedRecord(
        seed: seed,
        curves: [
            Curve(name: ConsolidationCurve.full, x: trace.trial, y: trace.full),
            Curve(name: ConsolidationCurve.student, x: trace.trial, y: trace.student),
            Curve(name: ConsolidationCurve.teacher, x: trace.trial, y: trace.teacher),
            Curve(name: ConsolidationCurve.wMean, x: trace.trial, y: trace.wMean),
            Curve(name: ConsolidationCurve.mNorm, x: trace.trial, y: trace.mNorm),
        ])
}

func cell(_ v: Int?) -> CSVCell { v.map { .int($0) } ?? .number(.nan) }
