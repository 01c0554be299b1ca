// Chapter 3: which equation makes the teacher dispensable? The motif trained with one of
// Eqs. (7)–(9) altered at a time (``MotifRules``), the teacher silenced at the end.
import CreditCore
import Foundation

// MARK: - 5. Hand-off ablation

/// One rule variant's curves and late lesion.
package struct HandoffVariant: Sendable {
    /// The variant of Eqs. (7)–(9).
    package var rules: MotifRules
    /// Per seed: curves "student_accuracy", "teacher_drive", "teacher_accuracy", "w_mean",
    /// x = trial at the end of each block (up to the divergence, if any).
    package var seeds: [SeedRecord]
    /// Per seed: accuracy of the circuit over `lesionTestTrials` trials after silencing the
    /// teacher at the late lesion trial (nan if the run diverged before it).
    package var lateLesion: [Double]
    /// Per seed: the intact circuit over the same trials.
    package var lateIntact: [Double]
    /// Per seed: first block end at which the student alone reaches the criterion (nil: never).
    package var studentCriterion: [Int?]
    /// The earliest divergence among the seeds (nil if none).
    package var divergence: DivergenceError?

    /// Mean ± SEM of curve `name` over the blocks every seed reached.
    package func statistics(_ name: String) -> SeedStatistics {
        SeedStatistics(commonPrefixOf: seeds.map { $0.curve(named: name)! })
    }
    /// The value of curve `name` at the last block every seed reached, across seeds.
    package func final(_ name: String) -> MeanSEM {
        let n = seeds.map { $0.curve(named: name)!.y.count }.min()!
        return MeanSEM(seeds.map { $0.curve(named: name)!.y[n - 1] })
    }
    /// Median student criterion trial over the seeds that reached it (nil if none did).
    package var medianStudentCriterion: Int? {
        let d = studentCriterion.compactMap { $0 }.sorted()
        return d.isEmpty ? nil : d[d.count / 2]
    }
}

/// Names of the ablation curves.
package enum HandoffCurve {
    package static let student = "student_accuracy", drive = "teacher_drive"
    package static let teacher = "teacher_accuracy", wMean = "w_mean"
}

/// The motif with each variant of ``MotifRules``, same seeds and random streams.
package struct HandoffAblationResult: Sendable {
    /// The parameters used.
    package var parameters: ConsolidationParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// One entry per variant, in ``MotifRules`` order.
    package var variants: [HandoffVariant]
    /// Chance accuracy 1/m.
    package var chance: Double

    /// The entry of `rules`.
    package func variant(_ rules: MotifRules) -> HandoffVariant { variants.first { $0.rules == rules }! }

    /// The divergences of variants that stopped early.
    package var divergences: [DivergenceError] { variants.compactMap(\.divergence) }

    /// Columns `variant,seed,trial,student_accuracy,teacher_drive,late_lesion_accuracy`; the
    /// late lesion accuracy is one number per seed, repeated on each of its rows.
    package var csv: CSVTable {
        var t = CSVTable(header: ["variant", "seed", "trial", "student_accuracy", "teacher_drive", "late_lesion_accuracy"])
        for v in variants {
            for (r, lesion) in zip(v.seeds, v.lateLesion) {
                let s = r.curve(named: HandoffCurve.student)!, d = r.curve(named: HandoffCurve.drive)!
                for i in 0..<s.x.count {
                    t.append([
                        .text(v.rules.rawValue), .text(String(r.seed)), .int(Int(s.x[i])), .number(s.y[i]),
                        .number(d.y[i]), .number(lesion),
                    ])
                }
            }
        }
        return t
    }
}

/// Trains every ``MotifRules`` variant for `trials` trials per seed (same seeds and streams
/// as ``consolidation(_:parallel:)``); at the late lesion trial the circuit is forked and the
/// teacher silenced for `lesionTestTrials` trials. Variants × seeds in parallel. A diverging run
/// keeps its curves up to the divergence; if one stopped before its first block, that
/// ``DivergenceError`` is thrown.
package func handoffAblation(_ params: ConsolidationParameters, parallel: Bool = true) throws -> HandoffAblationResult {
    try params.validate()
    let p = params
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let variants = MotifRules.allCases
    let jobs = variants.flatMap { v in seedValues.map { (v, $0) } }
    let runs = try MultiSeedRunner.map(count: jobs.count, parallel: parallel) { j in
        let (rules, seed) = jobs[j]
        var (task, motif) = setup(p, seed: seed)
        motif.rules = rules
        var streams = Streams(seed: seed)
        let g = guardrail("hand-off ablation, \(rules.rawValue)", p, seed: seed)
        var trace = Trace()
        var lesioned = Double.nan, intact = Double.nan
        var divergence: DivergenceError?
        do {
            try withUnsafeMutablePointer(to: &trace) { ptr in
                let lesionTrial = p.lateLesionTrial
                _ = try runTrials(&motif, task, &streams, first: 1, last: lesionTrial, block: p.block, guardrail: g, trace: ptr)
                var silenced = motif, s1 = streams, kept = motif, s2 = streams
                silenced.teacherSilenced = true
                lesioned = try runTrials(
                    &silenced, task, &s1, first: lesionTrial + 1, last: lesionTrial + p.lesionTestTrials, block: p.block, guardrail: g)
                intact = try runTrials(
                    &kept, task, &s2, first: lesionTrial + 1, last: lesionTrial + p.lesionTestTrials, block: p.block, guardrail: g)
                if p.trials > lesionTrial {
                    _ = try runTrials(
                        &motif, task, &streams, first: lesionTrial + 1, last: p.trials, block: p.block, guardrail: g, trace: ptr)
                }
            }
        } catch let d as DivergenceError {
            divergence = d
        }
        let record = SeedRecord(
            seed: seed,
            curves: [
                Curve(name: HandoffCurve.student, x: trace.trial, y: trace.student),
                Curve(name: HandoffCurve.drive, x: trace.trial, y: trace.drive),
                Curve(name: HandoffCurve.teacher, x: trace.trial, y: trace.teacher),
                Curve(name: HandoffCurve.wMean, x: trace.trial, y: trace.wMean),
            ])
        return (record, lesioned, intact, criterionTrial(trace.trial, trace.student, p.criterion), divergence)
    }
    let entries = variants.enumerated().map { vi, rules in
        let mine = seedValues.indices.map { runs[vi * seedValues.count + $0] }
        return HandoffVariant(
            rules: rules, seeds: mine.map(\.0), lateLesion: mine.map(\.1), lateIntact: mine.map(\.2),
            studentCriterion: mine.map(\.3), divergence: mine.compactMap(\.4).min { $0.step < $1.step })
    }
    // A seed that diverged before its first block leaves its variant nothing to draw: the
    // figure is then not drawn, and the divergence is reported.
    for v in entries where v.seeds.contains(where: { $0.curves[0].x.isEmpty }) {
        if let d = v.divergence { throw d }
    }
    return HandoffAblationResult(parameters: p, seedValues: seedValues, variants: entries, chance: 1 / Double(p.actions))
}
