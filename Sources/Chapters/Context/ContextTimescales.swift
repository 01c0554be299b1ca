// Chapter 4, part 3: learning on two timescales (the review's Figure 5).
//
// A cue→action task whose context switches without a signal, in blocks of geometric length.
// A two-timescale network (fast corticothalamic drive z choosing the MD unit, slow cortical
// readout M) is compared with the same network where z never moves (single timescale, only
// the cortex learns), with an oracle told the context as the floor and chance as the ceiling.
// The circuit lives in CreditCore (TwoTimescaleNetwork, SwitchingTask). Pure data, no drawing.
import CreditCore
import Foundation

// MARK: - Parameters

/// The two-timescale experiment's parameters, named after the command-line flags.
package struct TwoTimescaleParameters: Sendable, Equatable {
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1
    /// Seeds (`--seeds`).
    package var seeds: Int = 10
    /// Cues C of the switching task (`--switch-cues`). With 4 cues a single-timescale readout
    /// must relearn every cue after a switch; with 2 it relearns in about one trial per cue.
    package var cues: Int = 4
    /// MD units K (`--switch-md-units`), each owning one group of PFC units.
    package var mdUnits: Int = 2
    /// PFC units per MD group (`--switch-group-size`).
    package var unitsPerGroup: Int = 20
    /// MD gain γ of the selected group (`--switch-md-gain`): 1.5, not Rikhye et al.'s 6/0.75
    /// (the prototype found the large gain too strong for switching; here only the
    /// scale of the selected group's rates depends on it).
    package var gain: Double = 1.5
    /// MD inhibition θ of the unselected groups (`--switch-md-inhibition`), −10 as in Rikhye et al.
    package var inhibition: Double = 10
    /// Fast rate η_z of the corticothalamic drive (`--eta-fast`).
    package var etaFast: Double = 4
    /// Slow rate η_slow of the cortical readout (`--eta-slow`), 800× below η_z.
    package var etaSlow: Double = 0.005
    /// Inverse temperature β_z of the MD selection (`--beta-md`).
    package var betaMD: Double = 4
    /// Saturation z_max of the corticothalamic drive (`--z-max`).
    package var zMax: Double = 3
    /// Mean block length in trials (`--block-mean`).
    package var meanBlock: Double = 25
    /// Training blocks before the test (`--training-blocks`).
    package var trainingBlocks: Int = 100
    /// Test blocks, i.e. switches recorded after training (`--test-switches`).
    package var testSwitches: Int = 60
    /// Probability that the feedback of a trial is misleading (`--feedback-noise`): the reward
    /// is flipped and the readout is taught the wrong action. 0 by default.
    package var feedbackNoise: Double = 0
    /// Trials recorded after each switch (`--switch-window`).
    package var window: Int = 15
    /// Recovered: the first trial after a switch whose mean P(error) is below this (halfway
    /// between chance 0.5 and 0).
    package var criterion: Double = 0.25
    /// The single-timescale network's η_slow candidates; the one with the fewest errors after a
    /// switch on the tuning seeds is used (the fair baseline). Includes ``etaSlow``'s default.
    package var singleRates: [Double] = [0.005, 0.02, 0.05, 0.2, 0.5, 1, 2]
    /// Seeds of the tuning sweep: `seed + 1000 + k`, disjoint from the reported seeds.
    package var tuningSeeds: Int = 5
    /// Trials after a switch before the MD selection counts for the separation measure.
    package var settleTrials: Int = 3

    /// The defaults, or the `--quick` ones: 60 training blocks, 20 test switches, 3 tuning seeds.
    package init(quick: Bool = false) {
        if quick {
            seeds = 5
            trainingBlocks = 60
            testSwitches = 20
            tuningSeeds = 3
        }
    }

    /// The task.
    package var task: SwitchingTask { SwitchingTask(cues: cues, meanBlock: meanBlock) }

    /// The circuit's constants with the fast and slow rates given.
    func constants(etaFast: Double, etaSlow: Double) -> TwoTimescaleNetwork.Constants {
        TwoTimescaleNetwork.Constants(
            cues: cues, mdUnits: mdUnits, unitsPerGroup: unitsPerGroup, gain: gain, inhibition: inhibition,
            etaFast: etaFast, etaSlow: etaSlow, betaMD: betaMD, zMax: zMax)
    }

    /// The seeds, in order.
    var seedValues: [UInt64] { MultiSeedRunner.seeds(first: seed, count: seeds) }
    /// The tuning seeds, in order.
    var tuningSeedValues: [UInt64] { MultiSeedRunner.seeds(first: seed &+ 1000, count: tuningSeeds) }

    /// The cross-parameter checks (each flag's own bounds are in ``declared``).
    package func checkConstraints() throws {
        if singleRates.isEmpty || singleRates.contains(where: { !($0 > 0) || !$0.isFinite }) {
            throw ParameterError("single-timescale rates", "\(singleRates)", "rates η_slow > 0")
        }
        if !(criterion > 0 && criterion < 0.5) {
            throw ParameterError("criterion", "\(criterion)", "a P(error) between 0 and chance 0.5")
        }
    }
}

extension TwoTimescaleParameters: ChapterParameters {
    package static let budgets: [ParameterBudget<TwoTimescaleParameters>] = [
        .init(
            "(seeds + 35 tuning runs) × (training blocks + test switches) × block mean × PFC units", atMost: 5e9, blame: "--training-blocks"
        ) {
            Double($0.seeds + $0.tuningSeeds * $0.singleRates.count) * Double($0.trainingBlocks + $0.testSwitches)
                * $0.meanBlock * Double($0.unitsPerGroup * $0.mdUnits)
        },
        // Memory: every test trial of every model and seed is kept (errors, MD units, the trace).
        .init("seeds × test switches × block mean", atMost: 2e6, blame: "--test-switches") {
            Double($0.seeds) * Double($0.testSwitches) * $0.meanBlock
        },
    ]

    package static let declared: [ModelParameter<TwoTimescaleParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(
            \.cues, flag: "--switch-cues", symbol: "C", "cues of the switching task (each context reverses their actions)", .closed(2, 16)),
        .init(
            \.mdUnits, flag: "--switch-md-units", symbol: "K", "MD units of the two-timescale network, one PFC group each", .closed(2, 8)),
        .init(\.unitsPerGroup, flag: "--switch-group-size", symbol: "N/K", "PFC units per MD group", .closed(1, 200)),
        .init(\.gain, flag: "--switch-md-gain", symbol: "γ", "MD gain: the selected group's units are multiplied by 1 + γ", .closed(0, 20)),
        .init(
            \.inhibition, flag: "--switch-md-inhibition", symbol: "θ", "MD inhibition subtracted from the unselected groups",
            .closed(0, 100)),
        .init(
            \.etaFast, flag: "--eta-fast", symbol: "η_z", "fast rate of the corticothalamic drive z (Eq. 7's RPE rule)",
            .closed(0, 100)),
        .init(\.etaSlow, flag: "--eta-slow", symbol: "η_slow", "slow rate of the cortical readout M (delta rule)", .above(0, upTo: 10)),
        .init(\.betaMD, flag: "--beta-z", symbol: "β_z", "inverse temperature of the MD selection softmax(β_z z)", .closed(0, 100)),
        .init(\.zMax, flag: "--z-max", symbol: "z_max", "saturation of the corticothalamic drive, |z| ≤ z_max", .above(0, upTo: 100)),
        .init(
            \.meanBlock, flag: "--block-mean", symbol: "L̄", "mean length of a context block (geometric)", unit: "trials", .closed(2, 1000)),
        .init(\.trainingBlocks, flag: "--training-blocks", symbol: "B_train", "context blocks before the test", .closed(1, 20_000)),
        .init(\.testSwitches, flag: "--test-switches", symbol: "S_test", "context switches recorded after training", .closed(1, 2000)),
        .init(
            \.feedbackNoise, flag: "--feedback-noise", symbol: "ε", "probability that a trial's feedback is misleading",
            .closed(0, 0.5)),
        .init(\.window, flag: "--switch-window", symbol: "T_win", "trials recorded after each switch", unit: "trials", .closed(2, 200)),
    ]
}

// MARK: - Models

/// The networks compared: one circuit, differing in η_z, η_slow, whether the cortex learns
/// during the test, and whether MD is told the context.
package enum TimescaleModel: String, Sendable, CaseIterable {
    /// Fast z (η_z) on slow M (η_slow).
    case twoTimescale = "two-timescale"
    /// The same trained network, tested with M frozen: only z adapts.
    case twoTimescaleFrozen = "two-timescale-frozen-cortex"
    /// η_z = 0, η_slow from the sweep (the tuned baseline).
    case singleTuned = "single-timescale"
    /// η_z = 0, η_slow as the two-timescale network's (differs in η_z alone).
    case singleSameRate = "single-timescale-same-eta"
    /// MD clamped to the context's unit (told the context), η_slow as the two-timescale network's.
    case oracle = "oracle"
}

/// Generator streams of one seed: the circuit (J), the task (block lengths and cues), MD draws, misleading feedback.
/// Every model of a seed uses the same streams (common random numbers), so they see the
/// same J, the same blocks, cues and misleading trials.
enum TimescaleStream {
    static let circuit = 0, task = 1, md = 2, feedback = 3
}

/// One test switch: the new context and what happened in its first trials.
struct SwitchRecord: Sendable {
    /// The context after the switch.
    var context: Int
    /// P(error) on each recorded trial after the switch (fewer than the window if the block is short).
    var errors: [Double]
    /// The MD unit selected on each recorded trial.
    var mdUnits: [Int]
    /// MD unit selected on every trial of the block (for the separation measure).
    var blockMD: [Int]
    /// At the block's end, the mean P(error) on the other context with MD where z points.
    var otherOwnMD: Double
    /// At the block's end, the lowest mean P(error) on the other context over every MD unit.
    var otherBestMD: Double
    /// z₁ − z₂ after every trial of the block (the fast variable's trace).
    var driveTrace: [Double]
}

/// A trained network with its generators where training left them.
struct TrainedTimescale: Sendable {
    var network: TwoTimescaleNetwork
    var taskRNG: SeededGenerator
    var mdRNG: SeededGenerator
    /// Draws whether feedback misleads (only when ε > 0, so ε = 0 runs draw nothing from it).
    var feedbackRNG: SeededGenerator
    /// Blocks run so far (the context of block b is b mod 2).
    var blocks: Int
    /// Mean P(error) over the first (up to) 10 trials of each training block.
    var trainingErrors: [Double] = []
}

/// |z| or a readout weight beyond this counts as divergence.
let timescaleDivergenceBound = 1e6

/// Runs one block of `network` in context `context`; records the first `window` trials.
private func runBlock(
    _ s: inout TrainedTimescale, _ p: TwoTimescaleParameters, oracle: Bool, record: Bool,
    guardrail: DivergenceGuard, step: inout Int
) throws -> SwitchRecord? {
    let task = p.task
    let context = s.blocks % SwitchingTask.contexts
    let length = task.blockLength(using: &s.taskRNG)
    if oracle { s.network.clampedMD = context }
    var rec = SwitchRecord(
        context: context, errors: [], mdUnits: [], blockMD: [], otherOwnMD: 0, otherBestMD: 0, driveTrace: [])
    var early = 0.0
    for t in 0..<length {
        let cue = task.cue(using: &s.taskRNG)
        let misleading = p.feedbackNoise > 0 && s.feedbackRNG.uniform(in: 0...1) < p.feedbackNoise
        let outcome = s.network.trial(
            cue: cue, correct: task.correct(cue: cue, context: context), misleading: misleading, mdRNG: &s.mdRNG)
        step += 1
        if t < 10 { early += outcome.error }
        if record {
            if t < p.window {
                rec.errors.append(outcome.error)
                rec.mdUnits.append(outcome.mdUnit)
            }
            rec.blockMD.append(outcome.mdUnit)
            rec.driveTrace.append(s.network.drive[0] - s.network.drive[1])
        }
    }
    try guardrail.check(s.network.learnedValues, step: step)
    s.blocks += 1
    guard record else {
        s.trainingErrors.append(early / Double(min(length, 10)))
        return nil
    }
    let other = (context + 1) % SwitchingTask.contexts
    let own = oracle ? other : s.network.preferredMD
    rec.otherOwnMD = s.network.meanProbeError(context: other, md: own, task: task)
    rec.otherBestMD = (0..<p.mdUnits).map { s.network.meanProbeError(context: other, md: $0, task: task) }.min()!
    return rec
}

/// Builds the circuit of `seed` and trains it for `p.trainingBlocks` blocks.
func trainTimescale(
    _ p: TwoTimescaleParameters, etaFast: Double, etaSlow: Double, oracle: Bool, seed: UInt64
) throws -> TrainedTimescale {
    var circuitRNG = SeededGenerator(seed: seed, stream: TimescaleStream.circuit)
    var s = TrainedTimescale(
        network: TwoTimescaleNetwork(p.constants(etaFast: etaFast, etaSlow: etaSlow), using: &circuitRNG),
        taskRNG: SeededGenerator(seed: seed, stream: TimescaleStream.task),
        mdRNG: SeededGenerator(seed: seed, stream: TimescaleStream.md),
        feedbackRNG: SeededGenerator(seed: seed, stream: TimescaleStream.feedback), blocks: 0)
    let guardrail = DivergenceGuard(
        run: "two timescales, η_z = \(etaFast.compact), η_slow = \(etaSlow.compact) (seed \(seed))",
        parameters: p.runParameters, bound: timescaleDivergenceBound)
    var step = 0
    for _ in 0..<p.trainingBlocks {
        _ = try runBlock(&s, p, oracle: oracle, record: false, guardrail: guardrail, step: &step)
    }
    return s
}

/// Runs `p.testSwitches` recorded blocks after training (M frozen if `frozen`).
func testTimescale(
    _ trained: TrainedTimescale, _ p: TwoTimescaleParameters, oracle: Bool, frozen: Bool
) throws -> [SwitchRecord] {
    var s = trained
    s.network.cortexFrozen = frozen
    let guardrail = DivergenceGuard(
        run: "two timescales, test", parameters: p.runParameters, bound: timescaleDivergenceBound)
    var step = 0
    var records: [SwitchRecord] = []
    for _ in 0..<p.testSwitches {
        if let r = try runBlock(&s, p, oracle: oracle, record: true, guardrail: guardrail, step: &step) {
            records.append(r)
        }
    }
    return records
}

// MARK: - Experiment (the measures and the result are in ContextTimescalesMeasures.swift)

/// The single-timescale network's expected errors after a switch, per tuning seed, at `eta`.
func singleRateErrors(_ p: TwoTimescaleParameters, eta: Double) throws -> [Double] {
    try MultiSeedRunner.run(seeds: p.tuningSeedValues) { seed in
        let trained = try trainTimescale(p, etaFast: 0, etaSlow: eta, oracle: false, seed: seed)
        let switches = try testTimescale(trained, p, oracle: false, frozen: false)
        return TimescaleSeedResult(switches, training: trained.trainingErrors, p).errorsAfterSwitch
    }
}

/// Runs the whole comparison: the sweep that tunes the single-timescale η_slow, then every
/// model on every seed from the same initial circuit and the same task stream.
package func twoTimescales(_ p: TwoTimescaleParameters) throws -> TwoTimescaleResult {
    let start = ContinuousClock.now
    let sweep = try p.singleRates.map { eta in RateSweepPoint(eta: eta, errorsPerSeed: try singleRateErrors(p, eta: eta)) }
    let tuned = sweep.min { $0.errors.mean < $1.errors.mean }!.eta
    let perSeed = try MultiSeedRunner.run(seeds: p.seedValues) { seed -> [TimescaleModel: TimescaleSeedResult] in
        var out: [TimescaleModel: TimescaleSeedResult] = [:]
        let two = try trainTimescale(p, etaFast: p.etaFast, etaSlow: p.etaSlow, oracle: false, seed: seed)
        out[.twoTimescale] = TimescaleSeedResult(
            try testTimescale(two, p, oracle: false, frozen: false), training: two.trainingErrors, p)
        out[.twoTimescaleFrozen] = TimescaleSeedResult(
            try testTimescale(two, p, oracle: false, frozen: true), training: two.trainingErrors, p)
        let single = try trainTimescale(p, etaFast: 0, etaSlow: tuned, oracle: false, seed: seed)
        out[.singleTuned] = TimescaleSeedResult(
            try testTimescale(single, p, oracle: false, frozen: false), training: single.trainingErrors, p)
        let same = try trainTimescale(p, etaFast: 0, etaSlow: p.etaSlow, oracle: false, seed: seed)
        out[.singleSameRate] = TimescaleSeedResult(
            try testTimescale(same, p, oracle: false, frozen: false), training: same.trainingErrors, p)
        let oracle = try trainTimescale(p, etaFast: p.etaFast, etaSlow: p.etaSlow, oracle: true, seed: seed)
        out[.oracle] = TimescaleSeedResult(
            try testTimescale(oracle, p, oracle: true, frozen: false), training: oracle.trainingErrors, p)
        return out
    }
    var runs: [TimescaleModel: [TimescaleSeedResult]] = [:]
    for model in TimescaleModel.allCases { runs[model] = perSeed.map { $0[model]! } }
    return TwoTimescaleResult(
        parameters: p, seedValues: p.seedValues, sweep: sweep, tunedRate: tuned, runs: runs,
        wallSeconds: (ContinuousClock.now - start).seconds)
}
