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
    /// ``CreditRule/perturbationDimension(of:)``), so each starts from η = η_p / (N + 2): the
    /// scaling under which both stay stable (Werfel, Xie & Seung 2005). The step-size sweep
    /// then multiplies this base, like every method's, by its best factor.
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
    /// The step-size sweep: each method's base η (``learningRate(for:on:)``) is multiplied by
    /// each of these factors, and the learning curves use the factor with the lowest final test
    /// loss (see ``stepSizeSweep(_:parallel:)``). A single factor of 1 means no sweep.
    package var stepSizeFactors: [Double] = [0.0625, 0.25, 1, 4, 16, 64, 256]
    /// Seeds of the step-size sweep, held out from the seeds of the curves it tunes
    /// (sweep seed k is `seed + 1000 + k`).
    package var sweepSeeds: Int = 3
    /// Scale of the fixed random feedback matrices of FA and DFA (see ``CreditRule/randomFeedback(for:scale:using:)``).
    package var feedbackScale: Double = 1
    /// What FA's feedback matrices B are (`--feedback`): Gaussian and fixed as in Lillicrap et al.
    /// (2016), their signs only, a sparse version of them, the initial W_{i+1}ᵀ kept fixed, or the
    /// current W_{i+1}ᵀ (weight transport, i.e. backprop). DFA keeps its Gaussian matrices.
    package var feedback: FeedbackKind = .gaussian
    /// Fraction of B's entries that `--feedback sparse` sets to zero (`--feedback-sparsity`).
    package var feedbackSparsity: Double = 0.9

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
            stepSizeFactors = [1, 16]
            sweepSeeds = 1
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
        try require(
            !stepSizeFactors.isEmpty && stepSizeFactors.allSatisfy { $0 > 0 && $0.isFinite }, "step-size factors",
            stepSizeFactors, "factors > 0")
        try require(sweepSeeds >= 1, "sweep seeds", sweepSeeds, "at least 1 seed")
        try require(feedbackScale > 0 && feedbackScale.isFinite, "feedback scale", feedbackScale, "a scale > 0")
    }

    /// The base η that `rule` uses on `network`, before the sweep's factor: `--learning-rate`
    /// for backprop, FA and DFA; `--eta-perturbation` / (N + 2) for NP and WP.
    func learningRate(for rule: CreditRule, on network: LayeredNetwork) -> Double {
        rule.kind.isPerturbation
            ? perturbationLearningRate / Double(rule.perturbationDimension(of: network) + 2)
            : learningRate
    }
}

extension BackpropParameters: ChapterParameters {
    /// One update costs about H² (weight perturbation perturbs every weight), for every sample,
    /// method and seed, and the step-size sweep trains every method once per factor and sweep
    /// seed; at the defaults ((10 + 7 × 3) × 10 000 × 20²) the chapter takes about a minute.
    package static let budgets: [ParameterBudget<BackpropParameters>] = [
        .init("(seeds + step-size factors × sweep seeds) × steps × H²", atMost: 2.5e9, blame: "--steps") {
            Double($0.seeds + $0.stepSizeFactors.count * $0.sweepSeeds) * Double($0.steps) * Double($0.hidden * $0.hidden)
        }
    ]

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
        .init(
            \.feedback, flag: "--feedback", symbol: "B",
            "feedback matrices of FA: gaussian (fixed, random), sign (its signs), sparse (most entries zero), "
                + "initial-transpose (W₂ᵀ at the start, then fixed) or transpose (W₂ᵀ after every update: backprop)"),
        .init(
            \.feedbackSparsity, flag: "--feedback-sparsity", symbol: "s_B",
            "fraction of B's entries that --feedback sparse sets to zero (the rest are scaled by 1/√(1 − s_B))",
            .closed(0, 0.99)),
    ]
}

extension Nonlinearity: ParameterValue {}
extension CreditRuleKind: ParameterValue {}
extension FeedbackKind: ParameterValue {}

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
