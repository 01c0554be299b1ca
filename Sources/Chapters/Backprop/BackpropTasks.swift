// Chapter 1: the two tasks every method is trained on, and one training run.
import CreditCore
import Foundation

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
        teacher =
            task == .linear
            ? .gaussian(rows: 10, cols: 30, sd: 1 / Double(30).squareRoot(), using: &rng)
            : Matrix(rows: 0, cols: 0)
        test = Dataset(inputs: Matrix(rows: 0, cols: task.inputSize), targets: Matrix(rows: 0, cols: task.outputSize))
        test = samples(count: testSize, noise: 0, using: &rng)
    }

    /// One sample: x ~ N(0, I) and its target with label noise of sd `noise`.
    func sample(noise: Double, using rng: inout SeededGenerator) -> (input: [Double], target: [Double]) {
        var s = (input: [Double](repeating: 0, count: task.inputSize), target: [Double](repeating: 0, count: task.outputSize))
        sample(noise: noise, into: &s, using: &rng)
        return s
    }

    /// ``sample(noise:using:)`` written into `s` (arrays of the task's sizes), the same draws.
    func sample(noise: Double, into s: inout (input: [Double], target: [Double]), using rng: inout SeededGenerator) {
        s.input.withUnsafeMutableBufferPointer { rng.fillGaussian($0, sd: 1) }
        switch task {
        case .linear: s.target.withUnsafeMutableBufferPointer { teacher.multiply(s.input, into: $0) }
        case .nonlinear: s.target[0] = tanh(2 * s.input[0]) * tanh(2 * s.input[1])
        }
        if noise > 0 { for k in 0..<s.target.count { s.target[k] += rng.gaussian(sd: noise) } }
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
func generator(_ seed: UInt64, _ stream: Int) -> SeededGenerator { SeededGenerator(seed: seed, stream: stream) }

/// The test-loss checkpoints: 0, then `count` points spread evenly up to `steps` (fewer if steps < count).
func checkpointSamples(steps: Int, count: Int) -> [Int] {
    let k = min(count, steps)
    return [0] + (1...k).map { ($0 * steps + k / 2) / k }
}

/// ``checkpointSamples(steps:count:)`` with 1-2-5 × 10^k samples added below the first of them
/// (1, 2, 5, 10, 20, 50, 100, …), so the first few hundred samples can be read on a log axis.
func logDenseCheckpoints(steps: Int, count: Int) -> [Int] {
    let linear = checkpointSamples(steps: steps, count: count)
    let first = linear.count > 1 ? linear[1] : steps
    var early: [Int] = []
    var decade = 1
    while decade < first {
        for m in [1, 2, 5] where m * decade < first { early.append(m * decade) }
        decade *= 10
    }
    return Array(Set(linear + early)).sorted()
}

/// One training run of `method` on `task` for `seed`: the initial network, the training
/// samples and the test set depend only on the seed and the task (common random
/// numbers across methods); the rule's own randomness (feedback matrices, perturbation
/// noise) comes from a stream reserved for the method. `observe` is called at every
/// checkpoint with the number of samples seen, the network and the rule. The rule's base η
/// is multiplied by `stepFactor` (the step-size sweep's choice). `marks` (sorted, from 0 to
/// `p.steps`) replaces the default checkpoints.
/// Returns the test loss at every checkpoint, or with `finalLossOnly` at the last one alone:
/// the earlier checkpoints then only guard against divergence, and skip the test set whenever
/// ``LayeredNetwork/lossBound(on:)`` shows that its loss is below half the divergence bound
/// (the same runs diverge, at the same checkpoints, as when every loss is computed).
func trainRun(
    _ task: BackpropTask, method: CreditRuleKind, _ p: BackpropParameters, seed: UInt64, stepFactor: Double = 1,
    marks: [Int]? = nil, finalLossOnly: Bool = false,
    observe: ((Int, LayeredNetwork, CreditRule, TeacherTask) throws -> Void)? = nil
) throws -> PartialRun<Double> {
    let base = task.streamBase
    var taskRNG = generator(seed, base)
    let teacher = TeacherTask(task, testSize: p.testSize, using: &taskRNG)
    var initRNG = generator(seed, base + 1)
    var network = LayeredNetwork(
        sizes: task.sizes(hidden: p.hidden), nonlinearity: task.nonlinearity(p),
        weightScale: task.initialWeightScale, using: &initRNG)
    var dataRNG = generator(seed, base + 2)
    var ruleRNG = generator(seed, base + 3 + CreditRuleKind.allCases.firstIndex(of: method)!)
    var rule = CreditRule.make(
        method, for: network, sigma: p.sigma, feedbackScale: p.feedbackScale, feedback: p.feedback,
        sparsity: p.feedbackSparsity, using: &ruleRNG)
    // `--feedback transpose`: the feedback synapses copy the forward ones after every update.
    let transportsWeights = method == .fa && p.feedback.tracksForwardWeights
    let eta = stepFactor * p.learningRate(for: rule, on: network)
    let guardrail = DivergenceGuard(
        run: "\(task.rawValue) task, \(method.rawValue)\(stepFactor == 1 ? "" : " at \(stepFactor.compact) η") (seed \(seed))",
        stepName: "sample",
        parameters: p.runParameters, bound: backpropDivergenceBound)
    let marks = marks ?? checkpointSamples(steps: p.steps, count: p.checkpoints)
    return try PartialRun.recording { losses in
        losses.reserveCapacity(marks.count)
        func record(_ n: Int) throws {
            let skipped = finalLossOnly && n < p.steps
            if skipped && network.lossBound(on: teacher.test) <= backpropDivergenceBound / 2 { return }
            let loss = network.meanLoss(on: teacher.test)
            try guardrail.check(loss, step: n)
            if !network.isFinite { try guardrail.check(Double.nan, step: n) }
            if !skipped { losses.append(loss) }
            try observe?(n, network, rule, teacher)
        }
        try record(0)
        var next = 1
        var workspace = PassWorkspace(network)
        var s = (input: [Double](repeating: 0, count: task.inputSize), target: [Double](repeating: 0, count: task.outputSize))
        for n in 1...p.steps {
            teacher.sample(noise: task.trainingNoise, into: &s, using: &dataRNG)
            rule.train(&network, input: s.input, target: s.target, learningRate: eta, workspace: &workspace, using: &ruleRNG)
            if transportsWeights { rule = .transportedFeedback(for: network) }
            if n == marks[next] {
                try record(n)
                next += 1
            }
        }
    }
}
