// Chapter 1: every method's step size, chosen by a small sweep before the methods are compared.
//
// The base rates (η for backprop, FA and DFA; η_p / (N + 2) for the perturbation rules)
// differ by orders of magnitude, so comparing the methods at their base rates compares
// step sizes as much as credit assignment. The sweep multiplies each base η by a few
// factors, trains on held-out seeds, and keeps the factor with the lowest final test loss.
import CreditCore
import Foundation

/// A step-size factor per task and method, multiplying the method's base η (1 where none is given).
package struct StepFactors: Sendable, Equatable {
    /// `factors[task][method]`.
    package var factors: [BackpropTask: [CreditRuleKind: Double]]

    /// The factors given (none: every method at its base η).
    package init(_ factors: [BackpropTask: [CreditRuleKind: Double]] = [:]) { self.factors = factors }

    /// The factor of `method` on `task`.
    package func factor(_ task: BackpropTask, _ method: CreditRuleKind) -> Double { factors[task]?[method] ?? 1 }
}

/// One method's sweep on one task.
package struct StepSizeCurve: Sendable {
    /// The task.
    package var task: BackpropTask
    /// The method.
    package var method: CreditRuleKind
    /// The factors tried, multiplying the method's base η.
    package var factors: [Double]
    /// The η each factor gives (the update is W ← W − η g).
    package var rates: [Double]
    /// Final test loss per factor, mean ± SEM over the sweep seeds that did not diverge
    /// (NaN if all did, or if nothing was trained).
    package var finalLoss: [MeanSEM]
    /// Sweep seeds that diverged, per factor.
    package var diverged: [Int]
    /// Index of the chosen factor: the lowest mean final loss among the factors at which no
    /// seed diverged (the factor 1 if every factor diverged).
    package var best: Int

    /// The chosen factor.
    package var bestFactor: Double { factors[best] }
    /// The chosen η.
    package var bestRate: Double { rates[best] }
}

/// Final test loss against step size, for every task and method.
package struct StepSizeSweepResult: Sendable {
    /// The parameters used.
    package var parameters: BackpropParameters
    /// The sweep's seeds (held out from the learning curves' seeds).
    package var seedValues: [UInt64]
    /// One curve per task and method (tasks in ``BackpropTask`` order, methods in `--methods` order).
    package var curves: [StepSizeCurve]

    /// The sweep of `method` on `task`, if that method was run.
    package func curve(_ task: BackpropTask, _ method: CreditRuleKind) -> StepSizeCurve? {
        curves.first { $0.task == task && $0.method == method }
    }

    /// The chosen factor of every task and method: what the learning curves use.
    package var chosen: StepFactors {
        var f = [BackpropTask: [CreditRuleKind: Double]]()
        for c in curves { f[c.task, default: [:]][c.method] = c.bestFactor }
        return StepFactors(f)
    }

    /// Columns `task,method,factor,eta,final_loss_mean,final_loss_sem,seeds,diverged_seeds,chosen`.
    package var csv: CSVTable {
        var t = CSVTable(header: [
            "task", "method", "factor", "eta", "final_loss_mean", "final_loss_sem", "seeds", "diverged_seeds", "chosen",
        ])
        for c in curves {
            for i in c.factors.indices {
                t.append([
                    .text(c.task.rawValue), .text(c.method.rawValue), .number(c.factors[i]), .number(c.rates[i]),
                    .number(c.finalLoss[i].mean), .number(c.finalLoss[i].sem), .int(seedValues.count),
                    .int(c.diverged[i]), .text(i == c.best ? "yes" : "no"),
                ])
            }
        }
        return t
    }
}

/// The base η of `method` on `task` (factor 1): what ``BackpropParameters/learningRate(for:on:)`` gives.
func baseRate(_ task: BackpropTask, _ method: CreditRuleKind, _ p: BackpropParameters) -> Double {
    var rng = SeededGenerator(seed: 0)  // only the shapes matter
    let network = LayeredNetwork(sizes: task.sizes(hidden: p.hidden), nonlinearity: task.nonlinearity(p), using: &rng)
    return p.learningRate(for: CreditRule.make(method, for: network, sigma: p.sigma, using: &rng), on: network)
}

/// Trains every method in `--methods` on both tasks at each factor of
/// ``BackpropParameters/stepSizeFactors`` times its base η, for `steps` samples on
/// `sweepSeeds` seeds that the learning curves do not use (`seed + 1000 + k`), and picks for
/// each task and method the factor with the lowest mean final test loss. Runs that diverge
/// disqualify their factor. A single factor is no sweep: nothing is trained.
package func stepSizeSweep(_ params: BackpropParameters, parallel: Bool = true) throws -> StepSizeSweepResult {
    try params.validate()
    let p = params
    let factors = p.stepSizeFactors
    let methods = p.methods.kinds
    let tasks = BackpropTask.allCases
    let seedValues = MultiSeedRunner.seeds(first: p.seed + 1000, count: p.sweepSeeds)
    if factors.count == 1 {
        let curves = tasks.flatMap { task in
            methods.map { m in
                StepSizeCurve(
                    task: task, method: m, factors: factors, rates: [factors[0] * baseRate(task, m, p)],
                    finalLoss: [MeanSEM([.nan])], diverged: [0], best: 0)
            }
        }
        return StepSizeSweepResult(parameters: p, seedValues: [], curves: curves)
    }
    // One job per (task, method, factor, seed); results come back in job order.
    let jobs = tasks.flatMap { task in
        methods.flatMap { m in factors.flatMap { f in seedValues.map { (task, m, f, $0) } } }
    }
    let finals = try MultiSeedRunner.map(count: jobs.count, parallel: parallel) { j -> Double? in
        let (task, m, f, seed) = jobs[j]
        let run = try trainRun(task, method: m, p, seed: seed, stepFactor: f, finalLossOnly: true)
        return run.divergence == nil ? run.values.last : nil
    }
    var curves = [StepSizeCurve]()
    var j = 0
    for task in tasks {
        for m in methods {
            var losses = [MeanSEM](), diverged = [Int]()
            for _ in factors {
                let perSeed = finals[j..<(j + seedValues.count)]
                j += seedValues.count
                let finite = perSeed.compactMap { $0 }
                losses.append(MeanSEM(finite.isEmpty ? [.nan] : finite))  // NaN: every seed diverged
                diverged.append(perSeed.filter { $0 == nil }.count)
            }
            let eligible = factors.indices.filter { diverged[$0] == 0 && losses[$0].mean.isFinite }
            let best = eligible.min { losses[$0].mean < losses[$1].mean } ?? (factors.firstIndex(of: 1) ?? 0)
            let base = baseRate(task, m, p)
            curves.append(
                StepSizeCurve(
                    task: task, method: m, factors: factors, rates: factors.map { $0 * base }, finalLoss: losses,
                    diverged: diverged, best: best))
        }
    }
    return StepSizeSweepResult(parameters: p, seedValues: seedValues, curves: curves)
}
