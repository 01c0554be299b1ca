// Chapter 1: under feedback alignment the forward weights come to agree with the feedback.
import CreditCore
import Foundation

// MARK: - 2. Feedback alignment: the forward weights come to agree with the feedback

/// Angles over FA training on the linear task.
package struct AlignmentResult: Sendable {
    /// The parameters used.
    package var parameters: BackpropParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// Per seed: x = samples seen, y = angle (degrees) between FA's update of W_1 and
    /// backprop's, both computed on the test set at the current weights.
    package var updateAngle: [SeedRecord]
    /// Per seed: x = samples seen, y = angle (degrees) between W_2 and B_2ᵀ, flattened.
    package var weightAngle: [SeedRecord]
    /// Mean ± SEM across seeds of ``updateAngle``.
    package var updateStatistics: SeedStatistics
    /// Mean ± SEM across seeds of ``weightAngle``.
    package var weightStatistics: SeedStatistics

    /// Each seed's update angle after the last sample.
    package var finalUpdateAngles: [Double] { updateAngle.map { $0.curves[0].y.last! } }
    /// Each seed's update angle before training.
    package var initialUpdateAngles: [Double] { updateAngle.map { $0.curves[0].y[0] } }
    /// Each seed's W_2–B_2ᵀ angle after the last sample.
    package var finalWeightAngles: [Double] { weightAngle.map { $0.curves[0].y.last! } }
    /// Each seed's W_2–B_2ᵀ angle before training.
    package var initialWeightAngles: [Double] { weightAngle.map { $0.curves[0].y[0] } }

    /// Columns `seed,step,angle_deg,measure` (step = training samples seen): measure
    /// `update` is ∠(ΔW_1 under FA, ΔW_1 under backprop), `weights` is ∠(W_2, B_2ᵀ).
    package var csv: CSVTable {
        var t = CSVTable(header: ["seed", "step", "angle_deg", "measure"])
        for (measure, records) in [("update", updateAngle), ("weights", weightAngle)] {
            for r in records {
                let c = r.curves[0]
                for i in 0..<c.x.count {
                    t.append([.text(String(r.seed)), .int(Int(c.x[i])), .number(c.y[i]), .text(measure)])
                }
            }
        }
        return t
    }

    /// Columns `step,measure,mean,sem,seeds`.
    package var summaryCSV: CSVTable {
        var t = CSVTable(header: ["step", "measure", "mean", "sem", "seeds"])
        for (measure, st) in [("update", updateStatistics), ("weights", weightStatistics)] {
            for i in 0..<st.x.count {
                t.append([.int(Int(st.x[i])), .text(measure), .number(st.mean[i]), .number(st.sem[i]), .int(st.seedCount)])
            }
        }
        return t
    }
}

/// Trains with FA on the linear task and, at
/// every checkpoint, measures ∠(ΔW_1^FA, ΔW_1^BP) — the two rules' mean updates of the
/// hidden layer's weights over the test set at the current weights — and ∠(W_2, B_2ᵀ).
/// The runs use FA at the base η (`--learning-rate`) unless `stepFactor` scales it; the chapter
/// shows them at the base η, so they are the step-size sweep's factor-1 runs, not the tuned ones.
package func alignment(_ params: BackpropParameters, stepFactor: Double = 1, parallel: Bool = true) throws -> AlignmentResult {
    try params.validate()
    let p = params
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    // Dense early checkpoints: the angle falls within the first few hundred samples (read on a log axis).
    let marks = logDenseCheckpoints(steps: p.steps, count: p.checkpoints)
    let perSeed = try MultiSeedRunner.run(seeds: seedValues, parallel: parallel) { seed -> ([Double], [Double]) in
        var update = [Double](), weights = [Double]()
        let run = try trainRun(.linear, method: .fa, p, seed: seed, stepFactor: stepFactor, marks: marks) { _, network, rule, teacher in
            guard case .feedbackAlignment(let b) = rule else { return }
            var unused = SeededGenerator(seed: 0)  // FA draws no noise
            let fa = rule.gradientEstimate(network, on: teacher.test, using: &unused)
            let bp = network.gradient(on: teacher.test)
            update.append(fa.weights[0].angleDegrees(bp.weights[0]))
            weights.append(network.weights[1].angleDegrees(b[0].transposed))
        }
        if let divergence = run.divergence { throw divergence }  // one method: nothing to compare
        return (update, weights)
    }
    let x = marks.map(Double.init)
    let update = zip(seedValues, perSeed).map { SeedRecord(seed: $0, curves: [Curve(name: "update angle", x: x, y: $1.0)]) }
    let weights = zip(seedValues, perSeed).map { SeedRecord(seed: $0, curves: [Curve(name: "W2-B2 angle", x: x, y: $1.1)]) }
    return AlignmentResult(
        parameters: p, seedValues: seedValues, updateAngle: update, weightAngle: weights,
        updateStatistics: SeedStatistics(update.map { $0.curves[0] }),
        weightStatistics: SeedStatistics(weights.map { $0.curves[0] }))
}
