// Chapter 1: perturbation estimates of the gradient — how they degrade with network size
// (section 3) and that node perturbation is unbiased (section 4).
import CreditCore
import Foundation

// MARK: - 3. Perturbation estimates degrade with network size

/// Cosine between single-sample gradient estimates and the true gradient at one network size.
package struct ScalingPoint: Sendable, Equatable {
    /// Width H (inputs = hidden units = outputs).
    package var hidden: Int
    /// Weights in the H–H–H network (2H², biases excluded).
    package var weights: Int
    /// Weights and biases (what weight perturbation jitters).
    package var parameters: Int
    /// Node perturbation: mean ± SEM across seeds of each seed's mean cosine over its draws.
    package var nodePerturbation: MeanSEM
    /// Weight perturbation: the same.
    package var weightPerturbation: MeanSEM
}

/// Single-sample perturbation estimates against the true gradient, for growing networks.
package struct PerturbationScalingResult: Sendable {
    /// The parameters used.
    package var parameters: BackpropParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// One point per hidden size, in ``BackpropParameters/scalingHidden`` order.
    package var points: [ScalingPoint]
    /// Least-squares slope of ln(mean cosine) against ln(#weights) for node perturbation.
    package var nodePerturbationSlope: Double
    /// The same for weight perturbation. Expected: cosine ∝ 1/√(perturbed quantities),
    /// i.e. slope ≈ −¼ for NP (2H units vs 2H² weights) and ≈ −½ for WP.
    package var weightPerturbationSlope: Double

    /// Columns `method,hidden,weights,parameters,cosine_mean,cosine_sem,seeds`
    /// (method backprop has cosine 1 by definition: it is the true gradient).
    package var csv: CSVTable {
        var t = CSVTable(header: ["method", "hidden", "weights", "parameters", "cosine_mean", "cosine_sem", "seeds"])
        for (method, pick) in [
            ("backprop", { (_: ScalingPoint) in MeanSEM([1]) }),
            ("np", { $0.nodePerturbation }), ("wp", { $0.weightPerturbation }),
        ] as [(String, (ScalingPoint) -> MeanSEM)] {
            for pt in points {
                let s = pick(pt)
                t.append([
                    .text(method), .int(pt.hidden), .int(pt.weights), .int(pt.parameters), .number(s.mean),
                    .number(s.sem), .int(method == "backprop" ? seedValues.count : s.n),
                ])
            }
        }
        return t
    }
}

/// For each width H: an H–H–H network (H inputs, H hidden units with f = `--nonlinearity`,
/// H outputs; unit-gain random weights) at a random point, one sample (x ~ N(0, I),
/// t = T x from a random linear teacher with entries N(0, 1/H)), and `scalingDraws`
/// independent single-sample NP and WP estimates (noise sd `--sigma`), each compared with
/// the backprop gradient by its cosine. Every layer grows with H, so NP perturbs 2H units
/// and WP 2H² + 2H weights and biases. Runs (seed × size) execute in parallel.
package func perturbationScaling(_ params: BackpropParameters, parallel: Bool = true) throws -> PerturbationScalingResult {
    try params.validate()
    let p = params
    let f = p.nonlinearity
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let sizes = p.scalingHidden
    // cosines[size * seeds + seed] = (np mean cosine, wp mean cosine); size-major, so the
    // costly large sizes are shared out among the workers.
    let cosines = try MultiSeedRunner.map(count: seedValues.count * sizes.count, parallel: parallel) { j -> (Double, Double) in
        let seed = seedValues[j % seedValues.count], si = j / seedValues.count, h = sizes[si]
        var rng = generator(seed, 100 + si)  // streams 0–19 belong to the two tasks
        let network = LayeredNetwork(sizes: [h, h, h], nonlinearity: f, using: &rng)
        let teacher = Matrix.gaussian(rows: h, cols: h, sd: 1 / Double(h).squareRoot(), using: &rng)
        let x = [Double].gaussian(count: h, sd: 1, using: &rng)
        let t = teacher.multiply(x)
        let truth = network.gradient(input: x, target: t).flattened
        var np = 0.0, wp = 0.0
        let (npRule, wpRule) = (CreditRule.nodePerturbation(sigma: p.sigma), CreditRule.weightPerturbation(sigma: p.sigma))
        var ws = PassWorkspace(network), g = NetworkGradient(zeroLike: network)
        for _ in 0..<p.scalingDraws {
            npRule.estimate(network, input: x, target: t, into: &g, workspace: &ws, using: &rng)
            np += g.flattened.cosineSimilarity(truth)
            wpRule.estimate(network, input: x, target: t, into: &g, workspace: &ws, using: &rng)
            wp += g.flattened.cosineSimilarity(truth)
        }
        let n = Double(p.scalingDraws)
        let guardrail = DivergenceGuard(
            run: "perturbation-scaling (hidden \(h), seed \(seed))",
            stepName: "size", parameters: p.runParameters)
        try guardrail.check([np / n, wp / n], step: si)
        return (np / n, wp / n)
    }
    var points = [ScalingPoint]()
    for (si, h) in sizes.enumerated() {
        let perSeed = seedValues.indices.map { cosines[si * seedValues.count + $0] }
        points.append(
            ScalingPoint(
                hidden: h, weights: 2 * h * h, parameters: 2 * h * h + 2 * h,
                nodePerturbation: MeanSEM(perSeed.map(\.0)),
                weightPerturbation: MeanSEM(perSeed.map(\.1))))
    }
    let lw = points.map { logarithm(Double($0.weights)) }
    return PerturbationScalingResult(
        parameters: p, seedValues: seedValues, points: points,
        nodePerturbationSlope: fittedSlope(lw, points.map { logarithm($0.nodePerturbation.mean) }),
        weightPerturbationSlope: fittedSlope(lw, points.map { logarithm($0.weightPerturbation.mean) }))
}

/// ln x (NaN for x ≤ 0).
func logarithm(_ x: Double) -> Double { x > 0 ? log(x) : .nan }

/// Ordinary least-squares slope of y on x (NaN with fewer than two distinct x).
func fittedSlope(_ x: [Double], _ y: [Double]) -> Double {
    let mx = x.mean, my = y.mean
    var sxy = 0.0, sxx = 0.0
    for i in 0..<x.count {
        sxy += (x[i] - mx) * (y[i] - my)
        sxx += (x[i] - mx) * (x[i] - mx)
    }
    return sxx > 0 ? sxy / sxx : .nan
}

// MARK: - 4. Node perturbation is unbiased

/// The cosine between the average of K perturbation estimates and the true gradient.
package struct PerturbationBiasResult: Sendable {
    /// The parameters used.
    package var parameters: BackpropParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// K = 1, 2, 4, …, up to ``BackpropParameters/biasEstimates`` (always ending there).
    package var estimates: [Int]
    /// Per seed: x = K, y = cosine of the mean of K node-perturbation estimates with the gradient.
    package var nodePerturbation: [SeedRecord]
    /// Per seed: the same for weight perturbation (same network, same sample).
    package var weightPerturbation: [SeedRecord]
    /// Mean ± SEM across seeds, node perturbation.
    package var nodeStatistics: SeedStatistics
    /// Mean ± SEM across seeds, weight perturbation.
    package var weightStatistics: SeedStatistics

    /// Node perturbation's cosine after all estimates, across seeds.
    package var finalNodeCosine: MeanSEM { MeanSEM(nodePerturbation.map { $0.curves[0].y.last! }) }
    /// Weight perturbation's cosine after all estimates, across seeds.
    package var finalWeightCosine: MeanSEM { MeanSEM(weightPerturbation.map { $0.curves[0].y.last! }) }

    /// Columns `method,seed,estimates,cosine`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["method", "seed", "estimates", "cosine"])
        for (method, records) in [("np", nodePerturbation), ("wp", weightPerturbation)] {
            for r in records {
                let c = r.curves[0]
                for i in 0..<c.x.count {
                    t.append([.text(method), .text(String(r.seed)), .int(Int(c.x[i])), .number(c.y[i])])
                }
            }
        }
        return t
    }
}

/// A 30–H–10 network (the linear task's shape, H = `--hidden`) with f = `--nonlinearity`,
/// at a random unit-gain point, and one sample (x ~ N(0, I), t = T x from a random teacher): the running mean of `biasEstimates` node-perturbation estimates
/// (noise sd `--sigma`) converges on the backprop gradient, as an unbiased estimator
/// must; weight perturbation's does too, more slowly. Cosine recorded at K = 1, 2, 4, ….
package func nodePerturbationBias(_ params: BackpropParameters, parallel: Bool = true) throws -> PerturbationBiasResult {
    try params.validate()
    let p = params
    let f = p.nonlinearity
    var ks = [Int]()
    var k = 1
    while k < p.biasEstimates { ks.append(k); k *= 2 }
    ks.append(p.biasEstimates)
    let marks = ks
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let perSeed = try MultiSeedRunner.run(seeds: seedValues, parallel: parallel) { seed -> ([Double], [Double]) in
        var rng = generator(seed, 30)  // streams 0–19 belong to the two tasks
        let network = LayeredNetwork(sizes: [30, p.hidden, 10], nonlinearity: f, using: &rng)
        let teacher = Matrix.gaussian(rows: 10, cols: 30, sd: 1 / Double(30).squareRoot(), using: &rng)
        let x = [Double].gaussian(count: 30, sd: 1, using: &rng)
        let t = teacher.multiply(x)
        let truth = network.gradient(input: x, target: t).flattened
        var npSum = NetworkGradient(zeroLike: network), wpSum = npSum
        var np = [Double](), wp = [Double]()
        var next = 0
        let guardrail = DivergenceGuard(run: "np-bias (seed \(seed))", stepName: "estimate", parameters: p.runParameters)
        let (npRule, wpRule) = (CreditRule.nodePerturbation(sigma: p.sigma), CreditRule.weightPerturbation(sigma: p.sigma))
        var ws = PassWorkspace(network)
        for n in 1...p.biasEstimates {
            npRule.addEstimate(network, input: x, target: t, to: &npSum, workspace: &ws, using: &rng)
            wpRule.addEstimate(network, input: x, target: t, to: &wpSum, workspace: &ws, using: &rng)
            if n == marks[next] {
                let c = [npSum.flattened.cosineSimilarity(truth), wpSum.flattened.cosineSimilarity(truth)]
                try guardrail.check(c, step: n)
                np.append(c[0])
                wp.append(c[1])
                next += 1
            }
        }
        return (np, wp)
    }
    let x = marks.map(Double.init)
    let np = zip(seedValues, perSeed).map { SeedRecord(seed: $0, curves: [Curve(name: "np", x: x, y: $1.0)]) }
    let wp = zip(seedValues, perSeed).map { SeedRecord(seed: $0, curves: [Curve(name: "wp", x: x, y: $1.1)]) }
    return PerturbationBiasResult(
        parameters: p, seedValues: seedValues, estimates: marks,
        nodePerturbation: np, weightPerturbation: wp,
        nodeStatistics: SeedStatistics(np.map { $0.curves[0] }),
        weightStatistics: SeedStatistics(wp.map { $0.curves[0] }))
}
