// Chapter 3: a reversed mapping after consolidation, as written and with the marked extension.
import CreditCore
import Foundation

// MARK: - 3. Reversal

/// The two versions of the reversal experiment.
package enum ReversalVersion: String, Sendable, CaseIterable {
    /// Eqs. (4)–(9) exactly as written.
    case asWritten = "as-written"
    /// BEYOND THE REVIEW: plus dopamine-gated unlearning after unrewarded trials (w relaxes
    /// toward w0, the performed student row is depressed), switched on only at the reversal.
    case unlearning = "unlearning"
}

/// One version's reversal curves.
package struct ReversalSeries: Sendable {
    /// The version.
    package var version: ReversalVersion
    /// Per seed, over the reversal phase (x = trials since the reversal: 0 is the state at the
    /// reversal, before the first reversed trial, then each block end):
    /// curves of ``ConsolidationCurve`` measured on the NEW mapping, plus "old_full_accuracy"
    /// (fraction of trials performing the OLD action, from the same trials). At x = 0 the two
    /// behavioural accuracies are the exact expected ones on the mean inputs (no trials yet).
    package var seeds: [SeedRecord]
    /// Per seed: the state just before the reversal (student accuracy on the old mapping, w mean, |M|).
    package var beforeStudent: [Double], beforeW: [Double], beforeMNorm: [Double]
    /// Per seed: trials after the reversal until the full circuit reaches the criterion on the
    /// new mapping (nil: never within the phase).
    package var recoveryTrial: [Int?]
    /// The earliest divergence in the reversal phase among the seeds (nil if none): the
    /// curves stop at the last block every seed reached.
    package var divergence: DivergenceError?
    /// Each seed's divergence, in seed order.
    package var seedDivergences: [DivergenceError?]
    /// Mean ± SEM of curve `name`, over the blocks every seed reached.
    package func statistics(_ name: String) -> SeedStatistics {
        SeedStatistics(commonPrefixOf: seeds.map { $0.curve(named: name)! })
    }
    /// The last point of curve `name` that every seed reached, across seeds.
    package func final(_ name: String) -> MeanSEM {
        let n = seeds.map { $0.curve(named: name)!.y.count }.min()!
        return MeanSEM(seeds.map { $0.curve(named: name)!.y[n - 1] })
    }
}

/// Reversal after consolidation, for the motif as written and with the unlearning addition.
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
/// Restoring w alone does not help for the same reason. With dopamine-gated unlearning
/// (λ = 0.3, beyond the review, switched on at the reversal: w relaxes toward w0 and the
/// performed student row is depressed after each disappointment) the habit loses its
/// monopoly, the teacher explores and relearns, and the circuit re-consolidates the new
/// mapping (criterion within a few hundred trials). Both versions continue from one and the
/// same consolidated circuit and random state (the training run is forked at the reversal).
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

    /// The divergence of every version that stopped early.
    package var divergences: [DivergenceError] { series.compactMap(\.divergence) }

    /// Columns `version,seed,trial,full_accuracy,student_accuracy,teacher_accuracy,w_mean,m_norm,old_full_accuracy,diverged_at`;
    /// trial counts from the reversal, accuracies on the new mapping except the last; `diverged_at`
    /// is the trial at which that seed's run diverged (empty if it did not).
    package var csv: CSVTable {
        let names = ConsolidationCurve.all + [reversalOldCurve]
        var t = CSVTable(header: ["version", "seed", "trial"] + names + ["diverged_at"])
        for s in series {
            for (r, divergence) in zip(s.seeds, s.seedDivergences) {
                let cs = names.map { r.curve(named: $0)! }
                for i in 0..<cs[0].x.count {
                    t.append(
                        [.text(s.version.rawValue), .text(String(r.seed)), .int(Int(cs[0].x[i]))]
                            + cs.map { .number($0.y[i]) } + [.text(divergence.map { String($0.step) } ?? "")])
                }
            }
        }
        return t
    }
}

/// Name of the old-mapping behavioural accuracy curve in reversal records.
package let reversalOldCurve = "old_full_accuracy"

/// Trains the motif as written for `trials` trials, then shifts every stimulus's action by one
/// (``ConsolidationTask/reversed``) and runs `reversalLength` more trials in each version of
/// ``ReversalVersion``, forked from the same trained circuit and random streams (unlearning is
/// switched on only at the reversal). Seeds in parallel.
package func reversal(_ params: ConsolidationParameters, parallel: Bool = true) throws -> ReversalResult {
    try params.validate()
    let p = params
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let versions = ReversalVersion.allCases
    let perSeed = try MultiSeedRunner.map(count: seedValues.count, parallel: parallel) { j in
        let seed = seedValues[j]
        var (task, trained) = setup(p, seed: seed)
        var trainedStreams = Streams(seed: seed)
        let g0 = guardrail("reversal, training", p, seed: seed)
        _ = try runTrials(&trained, task, &trainedStreams, first: 1, last: p.trials, block: p.block, guardrail: g0)
        let before = (exactAccuracies(trained, task).student, trained.w.mean, trained.M.frobeniusNorm)
        let newTask = task.reversed
        return try versions.map { version in
            // Both versions start from this very circuit and random state.
            var motif = trained, streams = trainedStreams
            if version == .unlearning {
                motif.unlearning = p.unlearning
                motif.unlearningParts = p.unlearningParts
            }
            let g = guardrail("reversal, \(version.rawValue)", p, seed: seed)
            // The state at the reversal (x = 0): exact expected accuracies, no trials yet.
            var trace = Trace()
            trace.record(0, full: exactFullAccuracy(motif, newTask), motif, newTask)
            var old = [exactFullAccuracy(motif, task)]
            var oldCount = 0, correct = 0, inBlock = 0
            let phase = try PartialRun<Int>.recording { _ in
                for n in 1...p.reversalLength {
                    let k = streams.stimulus.int(below: newTask.stimuli)
                    let x = newTask.input(k, using: &streams.stimulus)
                    let t = motif.trial(
                        x: x, correct: newTask.mapping[k], teacherRNG: &streams.teacher,
                        actionRNG: &streams.action)
                    try g.check(t.rpe, step: p.trials + n)
                    // Old-mapping behaviour from the same trials: performed == old action.
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
            }
            return (trace, old, before, phase.divergence)
        }
    }
    let runs = perSeed.flatMap { $0 }
    var series = [ReversalSeries]()
    for (vi, version) in versions.enumerated() {
        let mine = seedValues.indices.map { runs[$0 * versions.count + vi] }
        let recs = zip(seedValues, mine).map { seed, run in
            var r = records(run.0, seed: seed)
            r.curves.append(Curve(name: reversalOldCurve, x: run.0.trial, y: run.1))
            return r
        }
        series.append(
            ReversalSeries(
                version: version, seeds: recs, beforeStudent: mine.map(\.2.0),
                beforeW: mine.map(\.2.1), beforeMNorm: mine.map(\.2.2),
                recoveryTrial: mine.map { criterionTrial($0.0.trial, $0.0.full, p.criterion) },
                divergence: mine.compactMap(\.3).min { $0.step < $1.step },
                seedDivergences: mine.map(\.3)))
    }
    return ReversalResult(parameters: p, seedValues: seedValues, series: series, chance: 1 / Double(p.actions))
}
