// Chapter 4, part 2: contextual credit with conflicting mappings. One static PFC–MD network
// (CreditCore's ContextualNetwork), one task (ContextualTask), blocks C1, C2, C1, C2, …, and
// several ways of keeping the earlier contexts: none, MD amplification with the context given
// (the oracle), and the machine-learning answers the review names (EWC, a growing readout,
// replay, XdG). The method list is open: a method is a value of ``ForgettingMethod`` whose
// learner conforms to ``ContextLearner``, so other parts of the chapter add theirs.
//
// Every method starts from the same network, the same readout weights and the same trial
// sequence of its seed, and differs only in what its learner does.
import CreditCore
import Cairo
import Plot

// MARK: - The shared starting state of one seed

/// Everything one seed's run starts from, shared by every method: the fixed network, the task,
/// the initial readout, and each block's context and cues.
///
/// Random streams of the seed: 0 the network's input weights, 1 the task's maps, 2 the initial
/// readout, 3 the trial cues, 4 the methods' own draws (XdG masks, replay sampling, exploration
/// of the basal ganglia), so adding a method never changes another method's trials.
package struct ContextualSetup: Sendable {
    /// The seed the streams come from.
    package let seed: UInt64
    /// The fixed PFC–MD network.
    package let network: ContextualNetwork
    /// The contexts' cue→action maps.
    package let task: ContextualTask
    /// The readout every method starts from.
    package let initialReadout: ContextualReadout
    /// The context of each block (0-based): C1, C2, …, CK, C1, …
    package let blockContexts: [Int]
    /// The cues of each block's training trials.
    package let blockCues: [[Int]]

    /// The setup of `seed` for `contexts` contexts trained in `blocks` blocks of `trialsPerBlock` trials.
    package init(seed: UInt64, config: ContextualNetworkConfig, contexts: Int, blocks: Int, trialsPerBlock: Int) {
        self.seed = seed
        var netRNG = SeededGenerator(seed: seed, stream: 0)
        var taskRNG = SeededGenerator(seed: seed, stream: 1)
        var readoutRNG = SeededGenerator(seed: seed, stream: 2)
        var cueRNG = SeededGenerator(seed: seed, stream: 3)
        network = ContextualNetwork(config: config, using: &netRNG)
        task = ContextualTask(contexts: contexts, cues: config.cues, using: &taskRNG)
        initialReadout = ContextualReadout(units: config.units, initialSD: config.readoutInitSD, using: &readoutRNG)
        blockContexts = ContextualTask.blockContexts(blocks: blocks, contexts: contexts)
        var cues: [[Int]] = []
        for _ in 0..<blocks { cues.append(task.trialCues(trials: trialsPerBlock, using: &cueRNG)) }
        blockCues = cues
    }

    /// A generator for a method's own draws (stream 4 of the seed).
    package var methodGenerator: SeededGenerator { SeededGenerator(seed: seed, stream: 4) }
}

// MARK: - Methods

/// A learner of the contextual task: trained trial by trial, probed with learning off.
///
/// The experiment calls, for each block: `beginBlock`, then `train` for each trial (with the
/// probe after each trial for trials to criterion), then `endBlock`, then `probe` on every
/// context. A learner that needs the context (the oracle, XdG, a growing readout) reads it from
/// the arguments; one that must infer it (the basal ganglia) may ignore it.
package protocol ContextLearner {
    /// Called before the first trial of a block in `context`.
    mutating func beginBlock(context: Int)
    /// One training trial: cue `cue` in `context`, whose correct action is `correct`.
    mutating func train(cue: Int, context: Int, correct: Int)
    /// The action chosen for `cue` in `context` with learning off (no state changes).
    func probe(cue: Int, context: Int) -> Int
    /// Called after the last trial of a block in `context`.
    mutating func endBlock(context: Int)
    /// Numbers the method keeps for particular contexts (anchors and Fisher weights, readouts of
    /// its own, buffered trials, masks, MD assignments and the weights only one context uses),
    /// counted from its state; a readout shared by every context counts 0.
    var contextSpecificNumbers: Int { get }
    /// Every learned weight, for the divergence check after each block.
    var learnedWeights: [Double] { get }
}

/// One method of the forgetting comparison: its CSV name, legend label, colour and learner.
/// Other parts of the chapter add methods as static members in their own files.
package struct ForgettingMethod: Sendable {
    /// The name in the CSVs (`method` column).
    package let id: String
    /// The legend label.
    package let label: String
    /// The curve colour.
    package let color: Color
    /// Whether it is the ceiling of the comparison (drawn dashed in the figure).
    package let isCeiling: Bool
    /// The line's dash pattern in points: dashed for the ceiling, dotted where the colour alone
    /// is close to another method's under deuteranopia (checked by ContextFigureColourTests),
    /// else solid.
    package let dash: [Double]
    /// The learner for one seed's setup.
    package let makeLearner: @Sendable (ContextualSetup, ForgettingParameters) -> any ContextLearner

    package init(
        id: String, label: String, color: Color, isCeiling: Bool = false, dotted: Bool = false,
        makeLearner: @escaping @Sendable (ContextualSetup, ForgettingParameters) -> any ContextLearner
    ) {
        self.id = id
        self.label = label
        self.color = color
        self.isCeiling = isCeiling
        self.dash = isCeiling ? [4, 2] : dotted ? [1.2, 1.6] : []
        self.makeLearner = makeLearner
    }
}

extension ForgettingMethod {
    /// No thalamus: MD off, every unit active, the context given as an input.
    package static let noThalamus = ForgettingMethod(id: "no-thalamus", label: "no thalamus", color: Palette.cortex) {
        setup, p in
        SharedReadoutLearner(setup: setup, learningRate: p.learningRate, features: .mdOff)
    }
    /// MD amplification with the context given: context k selects MD unit k (the oracle).
    package static let mdOracle = ForgettingMethod(
        id: "md-oracle", label: "MD, context given", color: Palette.thalamus, isCeiling: true
    ) { setup, p in
        SharedReadoutLearner(setup: setup, learningRate: p.learningRate, features: .mdOracle)
    }
    /// EWC on the readout (Kirkpatrick et al. 2017).
    /// Dotted: under deuteranopia its orange is close to the basal ganglia's vermillion.
    package static let ewc = ForgettingMethod(id: "ewc", label: "EWC", color: Palette.orange, dotted: true) { setup, p in
        EWCLearner(setup: setup, learningRate: p.learningRate, lambda: p.ewcLambda)
    }
    /// A growing architecture: a new readout per context.
    package static let growing = ForgettingMethod(id: "growing", label: "readout per context", color: Palette.black) {
        setup, p in
        GrowingLearner(setup: setup, learningRate: p.learningRate)
    }
    /// Replay of B stored trials per earlier context, interleaved with the new ones.
    package static let replay = ForgettingMethod(id: "replay", label: "replay", color: Palette.skyBlue) { setup, p in
        ReplayLearner(setup: setup, learningRate: p.learningRate, bufferPerContext: p.replayBuffer)
    }
    /// XdG: a fixed random mask per context keeps a fraction of the units (Masse et al. 2018).
    package static let xdg = ForgettingMethod(id: "xdg", label: "XdG", color: Palette.reddishPurple) { setup, p in
        var rng = setup.methodGenerator
        return SharedReadoutLearner(
            setup: setup, learningRate: p.learningRate,
            features: .xdg(XdGMasks(units: setup.network.units, contexts: setup.task.contexts, keep: p.xdgKeep, using: &rng)))
    }

    /// The methods of this part, in legend order.
    package static let withoutBasalGanglia: [ForgettingMethod] = [.noThalamus, .mdOracle, .ewc, .growing, .replay, .xdg]
}

// MARK: - Parameters

/// The parameters of the forgetting and capacity experiments (part 2 without the basal ganglia).
package struct ForgettingParameters: Sendable, Equatable {
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1
    /// Seeds (`--seeds`).
    package var seeds: Int = 10
    /// Training trials per block (`--block-trials`).
    package var trialsPerBlock: Int = 100
    /// Blocks of the forgetting experiment, alternating C1, C2 (`--blocks`).
    package var blocks: Int = 6
    /// Cues S (`--cues`).
    package var cues: Int = 4
    /// MD units M, one PFC group each (`--md-units`).
    package var mdUnits: Int = 8
    /// PFC units per group (`--group-size`).
    package var unitsPerGroup: Int = 20
    /// Standard deviation of the context input weights (`--context-weight`); the cue weights have
    /// sd 1. Interpretation: the context is a weaker input than the cue (0.5), so the two contexts'
    /// representations of one cue overlap; with 1 the shared network forgets less (an exercise).
    package var contextWeight: Double = 0.5
    /// Additive MD input to every unit outside the selected group, W_add (`--md-inhibition`;
    /// Rikhye 2018: −10). At 0 the MD only amplifies its group and the others stay active: the
    /// ablation that shows the protection comes from silencing them.
    package var mdInhibition: Double = -10
    /// Delta-rule learning rate η of the readout (`--eta`).
    package var learningRate: Double = 0.02
    /// EWC penalty strength λ (`--ewc-lambda`).
    package var ewcLambda: Double = 20
    /// Replayed trials stored per context, B (`--replay-buffer`).
    package var replayBuffer: Int = 8
    /// Fraction of PFC units XdG keeps on per context (`--xdg-keep`; Masse et al. 2018 silence 80 %).
    package var xdgKeep: Double = 0.2
    /// The numbers of contexts of the capacity experiment: 2, 4, 8, keeping those the network and
    /// task can hold (K ≤ M, one MD unit per context; K ≤ 2^S − 2 distinct non-constant maps).
    package var capacityContexts: [Int] {
        [2, 4, 8].filter { $0 <= mdUnits && $0 <= ContextualTask.maximumContexts(cues: cues) }
    }

    package init(quick: Bool = false) {
        if quick {
            seeds = 3
            trialsPerBlock = 60
            blocks = 4
        }
    }

    /// The network of every run.
    package var networkConfig: ContextualNetworkConfig {
        var c = ContextualNetworkConfig()
        c.mdUnits = mdUnits
        c.unitsPerGroup = unitsPerGroup
        c.cues = cues
        c.contextInputs = max(2, capacityContexts.max() ?? 2)
        c.contextWeightSD = contextWeight
        c.mdInhibition = mdInhibition
        return c
    }

    package func checkConstraints() throws {}
}

extension ForgettingParameters: ChapterParameters {
    package static let declared: [ModelParameter<ForgettingParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(\.trialsPerBlock, flag: "--block-trials", symbol: "T", "training trials per block of one context", .closed(1, 5000)),
        .init(\.blocks, flag: "--blocks", symbol: "blocks", "blocks of the forgetting run, alternating C1, C2", .closed(2, 100)),
        .init(\.cues, flag: "--cues", symbol: "S", "cues of the contextual task (2 actions)", .closed(2, 8)),
        .init(\.mdUnits, flag: "--md-units", symbol: "M", "MD units, one PFC group each (the capacity run keeps K ≤ M)", .closed(2, 64)),
        .init(\.unitsPerGroup, flag: "--group-size", symbol: "n", "PFC units per MD group", .closed(1, 200)),
        .init(
            \.contextWeight, flag: "--context-weight", symbol: "σ_ctx",
            "sd of the context input weights (cue weights have sd 1)", .closed(0, 10)),
        .init(
            \.mdInhibition, flag: "--md-inhibition", symbol: "W_add",
            "additive MD input to PFC units outside the selected group (Rikhye 2018: −10)", .closed(-100, 0)),
        .init(\.learningRate, flag: "--eta", symbol: "η", "delta-rule learning rate of the readout", .above(0, upTo: 1)),
        .init(\.ewcLambda, flag: "--ewc-lambda", symbol: "λ", "EWC penalty strength", .closed(0, 1e6)),
        .init(\.replayBuffer, flag: "--replay-buffer", symbol: "B", "trials stored per context for replay", .closed(1, 1000)),
        .init(\.xdgKeep, flag: "--xdg-keep", symbol: "p_keep", "fraction of PFC units XdG keeps on per context", .above(0, upTo: 1)),
    ]

    package static let budgets: [ParameterBudget<ForgettingParameters>] = [
        .init("seeds × (blocks + ΣK) × T × M × n", atMost: 5e9, blame: "--block-trials") {
            Double($0.seeds) * Double($0.blocks + $0.capacityContexts.reduce(0, +)) * Double($0.trialsPerBlock)
                * Double($0.mdUnits * $0.unitsPerGroup)
        }
    ]
}
