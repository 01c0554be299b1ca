// Chapter 3: trials until the student alone performs, over the student and teacher-weight
// learning rates (η_M × η_w).
import CreditCore
import Foundation

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
                t.append([
                    .number(etaStudent[i]), .number(etaW[j]), .number(meanTime(i, j)),
                    .number(successFraction(i, j)), .int(diverged[i][j] ? 1 : 0),
                ])
            }
        }
        return t
    }
}

/// Runs the grid, cells × seeds in parallel; a diverging run marks its cell and counts as failed.
package func sweep(_ params: ConsolidationParameters, parallel: Bool = true) throws -> ConsolidationSweepResult {
    try params.validate()
    let p = params
    let clock = ContinuousClock()
    let start = clock.now
    let etaMs = evenlySpaced(p.sweepEtaStudent, count: p.sweepSize, logarithmic: true)
    let etaWs = evenlySpaced(p.sweepEtaW, count: p.sweepSize, logarithmic: true)
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
            let trace = try traceRun(
                &motif, task, &streams, first: 1, last: q.trials, block: q.block,
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
    return ConsolidationSweepResult(
        parameters: p, etaStudent: etaMs, etaW: etaWs, perSeed: perSeed,
        diverged: diverged, wallTime: clock.now - start)
}
