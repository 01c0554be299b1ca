// Chapter 1: structural credit assignment — backprop (Eq. 1 of the review) and
// learning rules that do without weight transport.
//
// Pure data, no drawing: each experiment returns a result struct with the
// numbers a figure needs and CSV tables of them. The networks and learning
// rules live in CreditCore (LayeredNetwork, CreditRule, NetworkGradient).
import CreditCore

import Foundation

// MARK: - Parameters

/// The backprop chapter's parameters, named after the command-line flags.
package struct BackpropParameters: Sendable, Equatable {
    /// Learning rate η of backprop, FA and DFA: W ← W − η g (`--learning-rate`).
    package var learningRate: Double = 0.01
    /// Base learning rate η_p of node and weight perturbation (`--eta-perturbation`). Their
    /// estimates have the gradient's mean but (N + 2) times its squared length, N being the
    /// number of perturbed quantities (units for NP, weights and biases for WP; see
    /// ``CreditRule/perturbationDimension(of:)``), so each uses η = η_p / (N + 2): the
    /// scaling under which both stay stable (Werfel, Xie & Seung 2005), and the reason
    /// WP, with more to perturb, learns more slowly.
    package var perturbationLearningRate: Double = 0.02
    /// Hidden units per hidden layer (`--hidden`).
    package var hidden: Int = 20
    /// Training samples per run, one update per sample (`--steps`), the same budget for every method.
    package var steps: Int = 10_000
    /// Perturbation noise sd σ of node and weight perturbation (`--sigma`).
    package var sigma: Double = 1e-3
    /// Hidden nonlinearity f of the nonlinear task and of the perturbation-scaling networks
    /// (`--nonlinearity`). The linear task's student is linear whatever this says.
    package var nonlinearity: Nonlinearity = .tanh
    /// The methods of the learning-curve experiment (`--methods`).
    package var methods = MethodList(CreditRuleKind.allCases)
    /// Seeds (`--seeds`); every curve is drawn as mean ± SEM across them.
    package var seeds: Int = 10
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1
    /// Test-loss checkpoints per learning curve (plus one before training).
    package var checkpoints: Int = 50
    /// Samples in each task's fixed test set.
    package var testSize: Int = 200
    /// Widths H of the perturbation-scaling networks (H inputs, H hidden units, H outputs).
    package var scalingHidden: [Int] = [5, 10, 20, 40, 80]
    /// Perturbation draws per size and seed in the scaling experiment.
    package var scalingDraws: Int = 200
    /// Node-perturbation estimates averaged in the unbiasedness experiment.
    package var biasEstimates: Int = 4096
    /// Scale of the fixed random feedback matrices of FA and DFA (see ``CreditRule/randomFeedback(for:scale:using:)``).
    package var feedbackScale: Double = 1

    /// The default parameters, or the `--quick` ones (fewer seeds, samples and draws;
    /// enough for the qualitative picture).
    package init(quick: Bool = false) {
        if quick {
            seeds = 3
            steps = 8_000
            checkpoints = 40
            testSize = 200
            scalingHidden = [5, 20, 80]
            scalingDraws = 100
            biasEstimates = 2048
        }
    }

    /// The internal settings' checks (each flag's own bounds are in ``declared``).
    package func checkConstraints() throws {
        try require(checkpoints >= 1, "checkpoints", checkpoints, "at least 1 checkpoint")
        try require(testSize >= 1, "test size", testSize, "at least 1 test sample")
        try require(
            !scalingHidden.isEmpty && scalingHidden.allSatisfy { $0 >= 1 }, "scaling sizes", scalingHidden,
            "hidden sizes ≥ 1")
        try require(scalingDraws >= 2, "scaling draws", scalingDraws, "at least 2 draws")
        try require(biasEstimates >= 1, "bias estimates", biasEstimates, "at least 1 estimate")
        try require(feedbackScale > 0 && feedbackScale.isFinite, "feedback scale", feedbackScale, "a scale > 0")
    }

    /// The η that `rule` uses on `network`: `--learning-rate` for backprop, FA and DFA;
    /// `--eta-perturbation` / (N + 2) for NP and WP.
    func learningRate(for rule: CreditRule, on network: LayeredNetwork) -> Double {
        rule.kind.isPerturbation
            ? perturbationLearningRate / Double(rule.perturbationDimension(of: network) + 2)
            : learningRate
    }
}

extension BackpropParameters: ChapterParameters {
    package static let declared: [ModelParameter<BackpropParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(
            \.learningRate, flag: "--learning-rate", symbol: "η",
            "learning rate of backprop, FA and DFA: W ← W − η ∂E/∂W", .above(0, upTo: 1_000_000)),
        .init(
            \.perturbationLearningRate, flag: "--eta-perturbation", symbol: "η_p",
            "base learning rate of node and weight perturbation, divided by (N + 2) for N perturbed quantities",
            .above(0, upTo: 1_000_000)),
        .init(\.hidden, flag: "--hidden", symbol: "H", "hidden units per hidden layer", .closed(1, 500)),
        .init(
            \.steps, flag: "--steps", symbol: "steps",
            "training samples per run, one update each, the same for every method", .closed(1, 1_000_000)),
        .init(\.sigma, flag: "--sigma", symbol: "σ", "perturbation noise sd of node and weight perturbation", .above(0, upTo: 1_000_000)),
        .init(\.nonlinearity, flag: "--nonlinearity", symbol: "f", "hidden nonlinearity of the nonlinear task and the scaling networks"),
        .init(
            \.methods, flag: "--methods", symbol: "methods", "methods of the learning curves, comma-separated",
            accepted: "a comma-separated subset of " + CreditRuleKind.allValueStrings.joined(separator: ",")),
    ]
}

extension Nonlinearity: ParameterValue {}
extension CreditRuleKind: ParameterValue {}

/// A comma-separated list of learning methods, each named once (`--methods backprop,fa`).
package struct MethodList: ParameterValue {
    package var kinds: [CreditRuleKind]

    package init(_ kinds: [CreditRuleKind]) { self.kinds = kinds }

    package init?(argument: String) {
        let names = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let kinds = names.compactMap(CreditRuleKind.init(rawValue:))
        guard !kinds.isEmpty, kinds.count == names.count, Set(kinds).count == kinds.count else { return nil }
        self.kinds = kinds
    }

    package var typed: String { kinds.map(\.rawValue).joined(separator: ",") }
}

/// Noisy samples the best linear model is fitted on.
let linearReferenceSamples = 5_000

/// Values beyond this magnitude count as divergence: test losses start near 5
/// (linear task) and 0.2 (nonlinear task), so a loss of 10⁸ means η is unstable.
let backpropDivergenceBound = 1e8

// MARK: - Tasks

/// The two tasks every method is trained on.
package enum BackpropTask: String, Sendable, CaseIterable {
    /// A linear teacher, t = T x + noise, learned by a linear 30–H–10 network
    /// (as in Lillicrap et al. 2016, Fig. 2).
    case linear
    /// A smooth XOR, t = tanh(2x₁) tanh(2x₂) + noise: the sign of t is the XOR of
    /// the signs of x₁ and x₂. Learned by a 2–H–H–1 network with f = `--nonlinearity`.
    /// No linear map does better than predicting the mean.
    case nonlinear

    /// A readable name for legends.
    package var title: String {
        switch self {
        case .linear: return "Linear teacher"
        case .nonlinear: return "Smooth XOR"
        }
    }

    /// Input and output sizes.
    var inputSize: Int { self == .linear ? 30 : 2 }
    var outputSize: Int { self == .linear ? 10 : 1 }

    /// Layer sizes of the student network.
    func sizes(hidden: Int) -> [Int] {
        self == .linear ? [30, hidden, 10] : [2, hidden, hidden, 1]
    }

    /// The student's hidden nonlinearity.
    func nonlinearity(_ p: BackpropParameters) -> Nonlinearity {
        self == .linear ? .identity : p.nonlinearity
    }

    /// Initial weight scale of the student (W_i ~ N(0, scale² / n_{i−1})). The linear
    /// student starts small, as in Lillicrap et al. (2016), so the feedback can shape the
    /// forward weights; the nonlinear one starts at unit gain so the tanh units are in use.
    var initialWeightScale: Double { self == .linear ? 0.1 : 1 }

    /// sd of the label noise on training targets (test targets are noise-free).
    var trainingNoise: Double { 0.1 }

    /// The first generator stream this task uses for `seed` (streams: task, init, data, then one per method).
    var streamBase: Int { self == .linear ? 0 : 10 }
}

/// A task instance: the teacher drawn for one seed and its fixed test set.
struct TeacherTask: Sendable {
    var task: BackpropTask
    /// T (10 × 30, entries N(0, 1/30)) for the linear task; unused for the XOR.
    var teacher: Matrix
    /// A fixed, noise-free test set.
    var test: Dataset

    /// Draws T and the test set from `rng`.
    init(_ task: BackpropTask, testSize: Int, using rng: inout SeededGenerator) {
        self.task = task
        teacher = task == .linear
            ? .gaussian(rows: 10, cols: 30, sd: 1 / Double(30).squareRoot(), using: &rng)
            : Matrix(rows: 0, cols: 0)
        test = Dataset(inputs: Matrix(rows: 0, cols: task.inputSize), targets: Matrix(rows: 0, cols: task.outputSize))
        test = samples(count: testSize, noise: 0, using: &rng)
    }

    /// One sample: x ~ N(0, I) and its target with label noise of sd `noise`.
    func sample(noise: Double, using rng: inout SeededGenerator) -> (input: [Double], target: [Double]) {
        let x = [Double].gaussian(count: task.inputSize, sd: 1, using: &rng)
        var t: [Double]
        switch task {
        case .linear: t = teacher.multiply(x)
        case .nonlinear: t = [tanh(2 * x[0]) * tanh(2 * x[1])]
        }
        if noise > 0 { for k in 0..<t.count { t[k] += rng.gaussian(sd: noise) } }
        return (x, t)
    }

    /// `count` samples with label noise of sd `noise`, drawn in order.
    func samples(count: Int, noise: Double, using rng: inout SeededGenerator) -> Dataset {
        var local = rng
        let d = Dataset(count: count, inputSize: task.inputSize, targetSize: task.outputSize) { _ in
            sample(noise: noise, using: &local)
        }
        rng = local
        return d
    }
}

/// Generator for `seed`, stream `stream`.
private func generator(_ seed: UInt64, _ stream: Int) -> SeededGenerator { SeededGenerator(seed: seed, stream: stream) }

/// The test-loss checkpoints: 0, then `count` points spread evenly up to `steps` (fewer if steps < count).
func checkpointSamples(steps: Int, count: Int) -> [Int] {
    let k = min(count, steps)
    return [0] + (1...k).map { ($0 * steps + k / 2) / k }
}

/// One training run of `method` on `task` for `seed`: the initial network, the training
/// samples and the test set depend only on the seed and the task (common random
/// numbers across methods); the rule's own randomness (feedback matrices, perturbation
/// noise) comes from a stream reserved for the method. `observe` is called at every
/// checkpoint with the number of samples seen, the network and the rule.
/// Returns the test loss at every checkpoint.
private func trainRun(_ task: BackpropTask, method: CreditRuleKind, _ p: BackpropParameters, seed: UInt64,
                      observe: ((Int, LayeredNetwork, CreditRule, TeacherTask) throws -> Void)? = nil) throws -> [Double]
{
    let base = task.streamBase
    var taskRNG = generator(seed, base)
    let teacher = TeacherTask(task, testSize: p.testSize, using: &taskRNG)
    var initRNG = generator(seed, base + 1)
    var network = LayeredNetwork(sizes: task.sizes(hidden: p.hidden), nonlinearity: task.nonlinearity(p),
                                 weightScale: task.initialWeightScale, using: &initRNG)
    var dataRNG = generator(seed, base + 2)
    var ruleRNG = generator(seed, base + 3 + CreditRuleKind.allCases.firstIndex(of: method)!)
    let rule = CreditRule.make(method, for: network, sigma: p.sigma, feedbackScale: p.feedbackScale, using: &ruleRNG)
    let eta = p.learningRate(for: rule, on: network)
    let guardrail = DivergenceGuard(run: "\(task.rawValue) task, \(method.rawValue) (seed \(seed))", stepName: "sample",
                                    parameters: p.runParameters, bound: backpropDivergenceBound)
    let marks = checkpointSamples(steps: p.steps, count: p.checkpoints)
    var losses = [Double]()
    losses.reserveCapacity(marks.count)
    func record(_ n: Int) throws {
        let loss = network.meanLoss(on: teacher.test)
        try guardrail.check(loss, step: n)
        if !network.isFinite { try guardrail.check(Double.nan, step: n) }
        losses.append(loss)
        try observe?(n, network, rule, teacher)
    }
    try record(0)
    var next = 1
    for n in 1...p.steps {
        let s = teacher.sample(noise: task.trainingNoise, using: &dataRNG)
        rule.train(&network, input: s.input, target: s.target, learningRate: eta, using: &ruleRNG)
        if n == marks[next] {
            try record(n)
            next += 1
        }
    }
    return losses
}

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
    /// The test loss after the last sample, across seeds.
    package var finalLoss: MeanSEM
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

    /// The series for `task` and `method`, if that method was run.
    package func series(_ task: BackpropTask, _ method: CreditRuleKind) -> LearningCurveSeries? {
        series.first { $0.task == task && $0.method == method }
    }

    /// The best linear model's test loss on `task`.
    package func linearReference(_ task: BackpropTask) -> LinearReference {
        linearReferences.first { $0.task == task }!
    }

    /// Columns `task,method,seed,samples,test_loss`, one row per checkpoint and seed.
    package var csv: CSVTable {
        var t = CSVTable(header: ["task", "method", "seed", "samples", "test_loss"])
        for s in series {
            for r in s.seeds {
                let c = r.curves[0]
                for i in 0..<c.x.count {
                    t.append([.text(s.task.rawValue), .text(s.method.rawValue), .text(String(r.seed)),
                              .int(Int(c.x[i])), .number(c.y[i])])
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
                t.append([.text(s.task.rawValue), .text(s.method.rawValue), .int(Int(st.x[i])),
                          .number(st.mean[i]), .number(st.sem[i]), .int(st.seedCount)])
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
/// the best linear model of each task (least squares on 5 000 noisy samples). Runs
/// (seed × task × method) execute in parallel; results are in seed order.
package func learningCurves(_ params: BackpropParameters, parallel: Bool = true) throws -> LearningCurvesResult {
    try params.validate()
    let p = params
    let methods = p.methods.kinds
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let tasks = BackpropTask.allCases
    // One job per (seed, task, method), so the cores stay busy to the end; results come
    // back in job order, whatever order they finished in.
    let jobs = seedValues.flatMap { seed in tasks.flatMap { task in methods.map { (seed, task, $0) } } }
    let losses = try MultiSeedRunner.map(count: jobs.count, parallel: parallel) { j in
        try trainRun(jobs[j].1, method: jobs[j].2, p, seed: jobs[j].0)
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
            let records = seedValues.enumerated().map { si, seed in
                SeedRecord(seed: seed, curves: [Curve(name: "\(task.rawValue) \(method.rawValue)", x: x,
                                                      y: losses[(si * tasks.count + ti) * methods.count + mi])])
            }
            series.append(LearningCurveSeries(
                task: task, method: method, seeds: records, statistics: SeedStatistics(records.map { $0.curves[0] }),
                finalLoss: MeanSEM(records.map { $0.curves[0].y.last! })))
        }
    }
    let refs = tasks.enumerated().map { ti, task in
        LinearReference(task: task, perSeed: references.map { $0[ti] }, loss: MeanSEM(references.map { $0[ti] }))
    }
    return LearningCurvesResult(parameters: p, seedValues: seedValues, series: series, linearReferences: refs)
}

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

/// Trains with FA on the linear task (the same runs as the FA learning curves) and, at
/// every checkpoint, measures ∠(ΔW_1^FA, ΔW_1^BP) — the two rules' mean updates of the
/// hidden layer's weights over the test set at the current weights — and ∠(W_2, B_2ᵀ).
package func alignment(_ params: BackpropParameters, parallel: Bool = true) throws -> AlignmentResult {
    try params.validate()
    let p = params
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let perSeed = try MultiSeedRunner.run(seeds: seedValues, parallel: parallel) { seed -> ([Double], [Double]) in
        var update = [Double](), weights = [Double]()
        _ = try trainRun(.linear, method: .fa, p, seed: seed) { _, network, rule, teacher in
            guard case .feedbackAlignment(let b) = rule else { return }
            var unused = SeededGenerator(seed: 0)  // FA draws no noise
            let fa = rule.gradientEstimate(network, on: teacher.test, using: &unused)
            let bp = network.gradient(on: teacher.test)
            update.append(fa.weights[0].angleDegrees(bp.weights[0]))
            weights.append(network.weights[1].angleDegrees(b[0].transposed))
        }
        return (update, weights)
    }
    let x = checkpointSamples(steps: p.steps, count: p.checkpoints).map(Double.init)
    let update = zip(seedValues, perSeed).map { SeedRecord(seed: $0, curves: [Curve(name: "update angle", x: x, y: $1.0)]) }
    let weights = zip(seedValues, perSeed).map { SeedRecord(seed: $0, curves: [Curve(name: "W2-B2 angle", x: x, y: $1.1)]) }
    return AlignmentResult(parameters: p, seedValues: seedValues, updateAngle: update, weightAngle: weights,
                           updateStatistics: SeedStatistics(update.map { $0.curves[0] }),
                           weightStatistics: SeedStatistics(weights.map { $0.curves[0] }))
}

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
        for (method, pick) in [("backprop", { (_: ScalingPoint) in MeanSEM([1]) }),
                               ("np", { $0.nodePerturbation }), ("wp", { $0.weightPerturbation })] as [(String, (ScalingPoint) -> MeanSEM)]
        {
            for pt in points {
                let s = pick(pt)
                t.append([.text(method), .int(pt.hidden), .int(pt.weights), .int(pt.parameters), .number(s.mean),
                          .number(s.sem), .int(method == "backprop" ? seedValues.count : s.n)])
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
        for _ in 0..<p.scalingDraws {
            np += CreditRule.nodePerturbationEstimate(network, input: x, target: t, sigma: p.sigma, using: &rng)
                .flattened.cosineSimilarity(truth)
            wp += CreditRule.weightPerturbationEstimate(network, input: x, target: t, sigma: p.sigma, using: &rng)
                .flattened.cosineSimilarity(truth)
        }
        let n = Double(p.scalingDraws)
        let guardrail = DivergenceGuard(run: "perturbation-scaling (hidden \(h), seed \(seed))",
                                        stepName: "size", parameters: p.runParameters)
        try guardrail.check([np / n, wp / n], step: si)
        return (np / n, wp / n)
    }
    var points = [ScalingPoint]()
    for (si, h) in sizes.enumerated() {
        let perSeed = seedValues.indices.map { cosines[si * seedValues.count + $0] }
        points.append(ScalingPoint(hidden: h, weights: 2 * h * h, parameters: 2 * h * h + 2 * h,
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
private func logarithm(_ x: Double) -> Double { x > 0 ? log(x) : .nan }

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
        for n in 1...p.biasEstimates {
            npSum.add(CreditRule.nodePerturbationEstimate(network, input: x, target: t, sigma: p.sigma, using: &rng))
            wpSum.add(CreditRule.weightPerturbationEstimate(network, input: x, target: t, sigma: p.sigma, using: &rng))
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
    return PerturbationBiasResult(parameters: p, seedValues: seedValues, estimates: marks,
                                  nodePerturbation: np, weightPerturbation: wp,
                                  nodeStatistics: SeedStatistics(np.map { $0.curves[0] }),
                                  weightStatistics: SeedStatistics(wp.map { $0.curves[0] }))
}

