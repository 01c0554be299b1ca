// Chapter 1: test loss over training for every learning method on both tasks.
import CreditCore
import Foundation

// MARK: - 1. Learning curves

/// The test-loss curves of one method on one task.
package struct LearningCurveSeries: Sendable {
    /// The task.
    package var task: BackpropTask
    /// The method.
    package var method: CreditRuleKind
    /// One curve per seed: x = training samples seen, y = test loss (mean of ½‖y − t‖²).
    package var seeds: [SeedRecord]
    /// Mean ± SEM across seeds at each checkpoint.
    package var statistics: SeedStatistics
    /// The test loss at the last checkpoint every seed reached, across seeds.
    package var finalLoss: MeanSEM
    /// The earliest divergence among the seeds: the curves stop at the last checkpoint every
    /// seed reached (nil if every seed ran to the end).
    package var divergence: DivergenceError?
    /// Each seed's divergence, in seed order (nil where the seed ran to the end).
    package var seedDivergences: [DivergenceError?]
}

/// The best linear (affine) model of a task, fitted by least squares on noisy training
/// samples and scored on the task's test set: the line a network must beat.
package struct LinearReference: Sendable {
    /// The task.
    package var task: BackpropTask
    /// Its test loss per seed, in seed order.
    package var perSeed: [Double]
    /// Mean ± SEM across seeds.
    package var loss: MeanSEM
}

/// Test loss against training samples for every task and method.
package struct LearningCurvesResult: Sendable {
    /// The parameters used.
    package var parameters: BackpropParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// One series per task and method (tasks in ``BackpropTask`` order, methods in `--methods` order).
    package var series: [LearningCurveSeries]
    /// The best linear model of each task.
    package var linearReferences: [LinearReference]
    /// The factor each method's base η was multiplied by (missing: 1).
    package var stepFactors: StepFactors

    /// The η `method` used on `task`.
    package func rate(_ task: BackpropTask, _ method: CreditRuleKind) -> Double {
        stepFactors.factor(task, method) * baseRate(task, method, parameters)
    }

    /// The series for `task` and `method`, if that method was run.
    package func series(_ task: BackpropTask, _ method: CreditRuleKind) -> LearningCurveSeries? {
        series.first { $0.task == task && $0.method == method }
    }

    /// The divergence of every series that stopped early.
    package var divergences: [DivergenceError] { series.compactMap(\.divergence) }

    /// The best linear model's test loss on `task`.
    package func linearReference(_ task: BackpropTask) -> LinearReference {
        linearReferences.first { $0.task == task }!
    }

    /// Columns `task,method,seed,samples,test_loss,diverged_at`, one row per checkpoint a seed
    /// reached; `diverged_at` is the sample at which that seed's run diverged (empty if it did not).
    package var csv: CSVTable {
        var t = CSVTable(header: ["task", "method", "seed", "samples", "test_loss", "diverged_at"])
        for s in series {
            for (r, divergence) in zip(s.seeds, s.seedDivergences) {
                let c = r.curves[0]
                for i in 0..<c.x.count {
                    t.append([
                        .text(s.task.rawValue), .text(s.method.rawValue), .text(String(r.seed)),
                        .int(Int(c.x[i])), .number(c.y[i]), .text(divergence.map { String($0.step) } ?? ""),
                    ])
                }
            }
        }
        return t
    }

    /// Columns `task,method,samples,mean,sem,seeds`: mean ± SEM across seeds.
    package var summaryCSV: CSVTable {
        var t = CSVTable(header: ["task", "method", "samples", "mean", "sem", "seeds"])
        for s in series {
            let st = s.statistics
            for i in 0..<st.x.count {
                t.append([
                    .text(s.task.rawValue), .text(s.method.rawValue), .int(Int(st.x[i])),
                    .number(st.mean[i]), .number(st.sem[i]), .int(st.seedCount),
                ])
            }
        }
        return t
    }

    /// Columns `task,seed,linear_test_loss`: the best linear model per task and seed.
    package var referenceCSV: CSVTable {
        var t = CSVTable(header: ["task", "seed", "linear_test_loss"])
        for r in linearReferences {
            for (seed, loss) in zip(seedValues, r.perSeed) {
                t.append([.text(r.task.rawValue), .text(String(seed)), .number(loss)])
            }
        }
        return t
    }
}

/// Trains every method in `--methods` on both tasks for `steps` samples (online,
/// one update per sample), recording the test loss at `checkpoints` points. Within a
/// seed every method starts from the same network and sees the same samples. (The linear
/// task's network has one hidden layer, where DFA and FA are the same rule; their curves
/// differ only by the draw of B. The nonlinear task's two hidden layers tell them apart.) Also fits
/// the best linear model of each task (least squares on ``linearReferenceSamples`` noisy
/// samples). Each method's base η is multiplied by its factor in `stepFactors` (the
/// step-size sweep's choice, ``StepSizeSweepResult/chosen``; 1 where none is given). Runs (seed × task × method) execute in parallel; results are in seed order.
package func learningCurves(
    _ params: BackpropParameters, stepFactors: StepFactors = StepFactors(), parallel: Bool = true
) throws -> LearningCurvesResult {
    try params.validate()
    let p = params
    let methods = p.methods.kinds
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let tasks = BackpropTask.allCases
    // One job per (seed, task, method), so the cores stay busy to the end; results come
    // back in job order, whatever order they finished in.
    let jobs = seedValues.flatMap { seed in tasks.flatMap { task in methods.map { (seed, task, $0) } } }
    let runs = try MultiSeedRunner.map(count: jobs.count, parallel: parallel) { j in
        let (seed, task, method) = jobs[j]
        return try trainRun(task, method: method, p, seed: seed, stepFactor: stepFactors.factor(task, method))
    }
    // references[seed][task]: the best linear model's test loss.
    let references = try MultiSeedRunner.run(seeds: seedValues, parallel: parallel) { seed in
        tasks.map { task in
            var taskRNG = generator(seed, task.streamBase)
            let teacher = TeacherTask(task, testSize: p.testSize, using: &taskRNG)
            var fitRNG = generator(seed, task.streamBase + 9)
            let fit = LinearModel.fit(teacher.samples(count: linearReferenceSamples, noise: task.trainingNoise, using: &fitRNG))
            return fit.meanLoss(on: teacher.test)
        }
    }
    let x = checkpointSamples(steps: p.steps, count: p.checkpoints).map(Double.init)
    var series = [LearningCurveSeries]()
    for (ti, task) in tasks.enumerated() {
        for (mi, method) in methods.enumerated() {
            let seedRuns = seedValues.indices.map { si in runs[(si * tasks.count + ti) * methods.count + mi] }
            let records = zip(seedValues, seedRuns).map { seed, run in
                SeedRecord(
                    seed: seed,
                    curves: [
                        Curve(
                            name: "\(task.rawValue) \(method.rawValue)",
                            x: Array(x.prefix(run.values.count)), y: run.values)
                    ])
            }
            let statistics = SeedStatistics(commonPrefixOf: records.map { $0.curves[0] })
            series.append(
                LearningCurveSeries(
                    task: task, method: method, seeds: records, statistics: statistics,
                    finalLoss: MeanSEM(records.map { $0.curves[0].y[statistics.x.count - 1] }),
                    divergence: seedRuns.earliestDivergence(), seedDivergences: seedRuns.map(\.divergence)))
        }
    }
    let refs = tasks.enumerated().map { ti, task in
        LinearReference(task: task, perSeed: references.map { $0[ti] }, loss: MeanSEM(references.map { $0[ti] }))
    }
    return LearningCurvesResult(
        parameters: p, seedValues: seedValues, series: series, linearReferences: refs, stepFactors: stepFactors)
}
