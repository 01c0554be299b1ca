// Chapter 3: consolidation over training, and teacher lesions early and late.
import CreditCore
import Foundation

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
        let trace = try traceRun(
            &motif, task, &streams, first: 1, last: p.trials, block: p.block,
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
    return LesionResult(
        parameters: p, seedValues: seedValues, lesionTrials: lesionTrials,
        intact: lesionTrials.indices.map { i in runs.map { $0[i].0 } },
        lesioned: lesionTrials.indices.map { i in runs.map { $0[i].1 } },
        chance: 1 / Double(p.actions))
}
