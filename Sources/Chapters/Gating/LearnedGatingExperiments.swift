// Chapter: thalamocortical gating of working memory, learned by the basal ganglia
// (Eqs. 10–11 and Figure 7 of the review).
//
// Pure data, no drawing: each experiment returns a result struct with the numbers a
// figure needs and CSV tables of them. The task, the PFC memory (decaying with τ_eff of
// Eq. 11) and the actor-critic live in CreditCore (GatingTask, GatedPFCMemory,
// GatingAgent, ActorCritic).
import CreditCore
import Foundation

// MARK: - Parameters

/// The learned-gating experiments' parameters, named after the command-line flags.
package struct LearnedGatingParameters: Sendable, Equatable {
    /// Training trials of the learned gate (`--trials`).
    package var trials: Int = 1000
    /// Delay L between cue and probe in ms, for training and for the learning curves (`--delay`).
    /// 2000 ms is τ_eff of an open gate, so a held cue is still at e⁻¹ ≈ 0.37 at the probe
    /// (well above the readout noise), while a closed trace (τ_eff = 200 ms) is long gone.
    package var delay: Double = 2000
    /// Distractor items D per trial (`--distractors`). With 3, always-open gating is nearly
    /// always fooled by the most recent distractor.
    package var distractors: Int = 3
    /// Items K (`--items`); chance is 1/K = 0.25 at the default 4.
    package var items: Int = 4
    /// Actor learning rate α_actor: θ ← θ + α_actor δ ∇ log π (`--alpha-actor`).
    package var alphaActor: Double = 0.2
    /// Critic learning rate α_critic: w ← w + α_critic δ φ (`--alpha-critic`).
    package var alphaCritic: Double = 0.1
    /// Seeds (`--seeds`); every curve is drawn as mean ± SEM across them.
    package var seeds: Int = 10
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1
    /// PFC time constant τ of Eq. (10), ms (100).
    package var tau: Double = 100
    /// Recurrent weight w_PFC of Eq. (10) (2: loop gain w_PFC/4 = 0.5 without MD, τ_eff = 2τ).
    package var wPFC: Double = 2
    /// r_MD with the gate open (`--gate-open-r-md`; 0.9: loop gain 0.95, τ_eff = 20τ = 2000 ms).
    /// Above 1 (loop gain (1 + r_MD) w_PFC / 4 > 1) the open gate is bistable and a gated-in item
    /// settles in a persistent state (``GatedPFCMemory``, Exercise 5).
    package var rMDOpen: Double = 0.9
    /// What the gating actor sees with each item (`--actor-state`): its slot only (the model) or
    /// the slot and the item's identity (Exercise 4).
    package var actorState: GatingActorState = .slot
    /// r_MD with the gate closed (0: MD fully inhibited, τ_eff = 2τ = 200 ms).
    package var rMDClosed: Double = 0
    /// sd of the Gaussian readout noise on every memory trace at the probe (0.15, in units of
    /// a freshly loaded trace): a trace below ~0.15 is no better than an empty unit.
    package var readoutNoise: Double = 0.15
    /// Trials per accuracy point of the learning curves (50).
    package var block: Int = 50
    /// Test trials per policy, delay and seed after training, with the policy frozen (4000:
    /// the SEM of each point is then ≈ 0.002 with 10 seeds).
    package var testTrials: Int = 4000
    /// Delays (ms) of the accuracy-versus-delay sweep; `delay` is added if absent.
    package var testDelays: [Double] = [250, 500, 1000, 2000, 4000, 8000]

    /// The default parameters, or the `--quick` ones: 5 seeds, 600 training trials (the gate is
    /// learned within about 300) and 500 test trials per point.
    package init(quick: Bool = false) {
        if quick {
            seeds = 5
            trials = 600
            testTrials = 500
        }
    }

    /// The memory constants of Eqs. (10)–(11).
    package var memoryConstants: GatedPFCMemory.Constants {
        GatedPFCMemory.Constants(
            tau: tau, wPFC: wPFC, rMDOpen: rMDOpen, rMDClosed: rMDClosed,
            readoutNoise: readoutNoise)
    }

    /// The open gate's loop gain must be this far from 1, on either side.
    static let criticalMargin = 0.01

    /// The task at the training delay.
    package var task: GatingTask { GatingTask(items: items, distractors: distractors, delay: delay) }

    /// The delays of the sweep: ``testDelays`` plus ``delay``, ascending, without repeats.
    package var sweepDelays: [Double] { Array(Set(testDelays + [delay])).sorted() }

    /// The cross-parameter and internal checks (each flag's own bounds are in ``declared``).
    package func checkConstraints() throws {
        if !(tau > 0) || !tau.isFinite { throw ParameterError("tau", "\(tau)", "a time constant τ > 0 ms") }
        if !(wPFC > 0) || !wPFC.isFinite { throw ParameterError("w_PFC", "\(wPFC)", "a recurrent weight > 0") }
        let c = memoryConstants
        if !(rMDClosed >= 0) || !(c.loopGain(rMD: rMDClosed) < 1) {
            throw ParameterError("r_MD closed", "\(rMDClosed)", "r_MD ≥ 0 with loop gain (1 + r_MD) w_PFC / 4 < 1")
        }
        // Near g = 1 neither linearisation holds (about ½ or about the persistent state, see GatedPFCMemory).
        let g = c.loopGain(rMD: rMDOpen)
        if !(rMDOpen > rMDClosed) || !(g < 1 - Self.criticalMargin || g > 1 + Self.criticalMargin) {
            let lo = 4 * (1 - Self.criticalMargin) / wPFC - 1, hi = 4 * (1 + Self.criticalMargin) / wPFC - 1
            throw ParameterError(
                flag: "--gate-open-r-md", value: rMDOpen.typed,
                accepted: "r_MD,open > \(rMDClosed.typed) (the closed gate's) with loop gain (1 + r_MD,open) w_PFC / 4 "
                    + "below \((1 - Self.criticalMargin).typed) or above \((1 + Self.criticalMargin).typed): "
                    + "r_MD,open < \(CSVTable.format(lo)) or > \(CSVTable.format(hi)) at w_PFC = \(wPFC.typed)")
        }
        if !(readoutNoise >= 0) || !readoutNoise.isFinite {
            throw ParameterError("readout noise", "\(readoutNoise)", "a noise sd ≥ 0")
        }
        if block < 1 { throw ParameterError("block", "\(block)", "at least 1 trial per block") }
        if testTrials < 1 { throw ParameterError("test trials", "\(testTrials)", "at least 1 test trial") }
        if testDelays.isEmpty || testDelays.contains(where: { !($0 > 0) || !$0.isFinite }) {
            throw ParameterError("test delays", "\(testDelays)", "delays > 0 ms")
        }
    }
}

extension LearnedGatingParameters: ChapterParameters {
    package static let budgets: [ParameterBudget<LearnedGatingParameters>] = [
        .init("seeds × trials", atMost: 1e6, blame: "--trials") { Double($0.seeds) * Double($0.trials) }
    ]

    package static let declared: [ModelParameter<LearnedGatingParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(\.trials, flag: "--trials", symbol: "N", "training trials of the learned gate", .closed(1, 100_000)),
        .init(
            \.delay, flag: "--delay", symbol: "L", "delay between the cue and the probe in the learned-gating task", unit: "ms",
            .above(0, upTo: 100_000)),
        .init(\.distractors, flag: "--distractors", symbol: "D", "distractor items per trial", .closed(0, 20)),
        .init(\.items, flag: "--items", symbol: "K", "items the cue is drawn from (chance is 1/K)", .closed(2, 26)),
        .init(
            \.alphaActor, flag: "--alpha-actor", symbol: "α_actor", "learning rate of the gating policy (the striatal actor)",
            .above(0, upTo: 1_000_000)),
        .init(
            \.alphaCritic, flag: "--alpha-critic", symbol: "α_critic", "learning rate of the critic's TD update (Eq. 3)",
            .above(0, upTo: 1_000_000)),
        .init(
            \.rMDOpen, flag: "--gate-open-r-md", symbol: "r_MD,open",
            "MD drive of an open gate in the learned task; loop gain (1 + r_MD,open) w_PFC / 4, bistable above 1",
            .above(0, upTo: 4)),
        .init(
            \.actorState, flag: "--actor-state", symbol: "φ_a",
            "what the gating actor sees with each item: its slot (cue or distractor), or the slot and the item"),
    ]
}

extension GatingActorState: ParameterValue {}

/// |δ| or a weight beyond this counts as divergence: rewards are 0 or 1, so values and
/// TD errors stay within [−1, 2] for any stable learning rate.
let gatingDivergenceBound = 1e6

/// Generator streams of one seed: training trials, readout noise, policy sampling; then the
/// same three for testing. Every policy draws its trials and noise from the same streams
/// (common random numbers), so the policies differ only in what they gate.
enum GatingStream {
    static let trainTrials = 0, trainReadout = 1, trainPolicy = 2
    static let testTrials = 3, testReadout = 4, testPolicy = 5
}

/// What training one seed produced.
struct TrainingRun: Sendable {
    /// The agent after the last training trial.
    var agent: GatingAgent
    /// Accuracy in each block of ``LearnedGatingParameters/block`` trials.
    var blockAccuracy: [Double]
    /// P(open | cue) and P(open | distractor) at the end of each block.
    var openCue: [Double], openDistractor: [Double]
}

/// The trial number at the end of each block (the last block may be shorter).
func blockEnds(_ p: LearnedGatingParameters) -> [Int] {
    stride(from: p.block, to: p.trials, by: p.block).map { $0 } + [p.trials]
}

/// Runs `p.trials` training trials at `p.delay` under `policy` for `seed`; only the learned
/// policy learns.
func train(_ policy: GatePolicy, _ p: LearnedGatingParameters, seed: UInt64) throws -> TrainingRun {
    let task = p.task, constants = p.memoryConstants
    var trialRNG = SeededGenerator(seed: seed, stream: GatingStream.trainTrials)
    var readoutRNG = SeededGenerator(seed: seed, stream: GatingStream.trainReadout)
    var policyRNG = SeededGenerator(seed: seed, stream: GatingStream.trainPolicy)
    var agent = GatingAgent(alphaActor: p.alphaActor, alphaCritic: p.alphaCritic, actorState: p.actorState, items: p.items)
    let guardrail = DivergenceGuard(
        run: "learned gating, \(policy.rawValue) (seed \(seed))",
        parameters: p.runParameters, bound: gatingDivergenceBound)
    var run = TrainingRun(agent: agent, blockAccuracy: [], openCue: [], openDistractor: [])
    var memory = GatedPFCMemory(items: p.items, constants: constants)
    var correct = 0, inBlock = 0
    let ends = Set(blockEnds(p))
    for n in 1...p.trials {
        let trial = task.drawTrial(using: &trialRNG)
        let outcome = agent.runTrial(
            trial, in: &memory, policy: policy, learn: true,
            policyRNG: &policyRNG, readoutRNG: &readoutRNG)
        try guardrail.check(outcome.deltas, step: n)
        correct += outcome.correct ? 1 : 0
        inBlock += 1
        if ends.contains(n) {
            try guardrail.check(agent.actorCritic.preferences.storage + agent.actorCritic.critic.weights, step: n)
            run.blockAccuracy.append(Double(correct) / Double(inBlock))
            run.openCue.append(agent.openProbability(cue: true))
            run.openDistractor.append(agent.openProbability(cue: false))
            correct = 0
            inBlock = 0
        }
    }
    run.agent = agent
    return run
}

/// Accuracy of `agent` (frozen) under `policy` on `p.testTrials` trials at `delay`.
func testAccuracy(
    _ agent: GatingAgent, _ policy: GatePolicy, delay: Double,
    _ p: LearnedGatingParameters, seed: UInt64
) -> Double {
    let task = GatingTask(items: p.items, distractors: p.distractors, delay: delay)
    var memory = GatedPFCMemory(items: p.items, constants: p.memoryConstants)
    var trialRNG = SeededGenerator(seed: seed, stream: GatingStream.testTrials)
    var readoutRNG = SeededGenerator(seed: seed, stream: GatingStream.testReadout)
    var policyRNG = SeededGenerator(seed: seed, stream: GatingStream.testPolicy)
    var frozen = agent
    var correct = 0
    for _ in 0..<p.testTrials {
        let trial = task.drawTrial(using: &trialRNG)
        if frozen.runTrial(
            trial, in: &memory, policy: policy, learn: false,
            policyRNG: &policyRNG, readoutRNG: &readoutRNG
        ).correct {
            correct += 1
        }
    }
    return Double(correct) / Double(p.testTrials)
}

/// The learned policy's P(open) for cues and for distractors at the end of training.
package struct GateOpening: Sendable, Equatable {
    /// P(open | cue) per seed, in seed order.
    package var cuePerSeed: [Double]
    /// P(open | distractor) per seed, in seed order.
    package var distractorPerSeed: [Double]
    /// Mean ± SEM of P(open | cue) across seeds.
    package var cue: MeanSEM { MeanSEM(cuePerSeed) }
    /// Mean ± SEM of P(open | distractor) across seeds.
    package var distractor: MeanSEM { MeanSEM(distractorPerSeed) }

    /// Columns `seed,item,p_open`, item = cue or distractor.
    func csv(seeds: [UInt64]) -> CSVTable {
        var t = CSVTable(header: ["seed", "item", "p_open"])
        for (k, seed) in seeds.enumerated() {
            t.append([.text(String(seed)), "cue", .number(cuePerSeed[k])])
            t.append([.text(String(seed)), "distractor", .number(distractorPerSeed[k])])
        }
        return t
    }
}

// MARK: - 1. Learning curves

/// The block-accuracy curves of one gating policy.
package struct GatingCurveSeries: Sendable {
    /// The policy.
    package var policy: GatePolicy
    /// One curve per seed: x = training trials at the block's end, y = accuracy in the block.
    package var seeds: [SeedRecord]
    /// Mean ± SEM across seeds at each block.
    package var statistics: SeedStatistics
    /// Accuracy in the last block, across seeds.
    package var finalAccuracy: MeanSEM
}

/// Accuracy over training for the learned gate and the two fixed gates.
package struct LearnedGatingResult: Sendable {
    /// The parameters used.
    package var parameters: LearnedGatingParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// One series per policy, in ``GatePolicy`` order (learned, always-open, always-closed).
    package var series: [GatingCurveSeries]
    /// Per seed: curves "p_open cue" and "p_open distractor" of the learned policy, x as in ``series``.
    package var gateProbability: [SeedRecord]
    /// The learned policy's P(open) after the last training trial.
    package var finalOpening: GateOpening
    /// Per seed: the learned gate after training, for ``accuracyVersusDelay(_:parallel:)``.
    package var trainedAgents: [GatingAgent]
    /// Chance accuracy 1/K.
    package var chance: Double

    /// The series of `policy`.
    package func series(_ policy: GatePolicy) -> GatingCurveSeries { series.first { $0.policy == policy }! }

    /// Columns `condition,seed,trial,accuracy`: one row per block and seed (trial = the block's last trial).
    package var csv: CSVTable {
        var t = CSVTable(header: ["condition", "seed", "trial", "accuracy"])
        for s in series {
            for r in s.seeds {
                let c = r.curves[0]
                for i in 0..<c.x.count {
                    t.append([.text(s.policy.rawValue), .text(String(r.seed)), .int(Int(c.x[i])), .number(c.y[i])])
                }
            }
        }
        return t
    }

    /// Columns `condition,trial,accuracy_mean,accuracy_sem,seeds`: mean ± SEM across seeds.
    package var summaryCSV: CSVTable {
        var t = CSVTable(header: ["condition", "trial", "accuracy_mean", "accuracy_sem", "seeds"])
        for s in series {
            let st = s.statistics
            for i in 0..<st.x.count {
                t.append([
                    .text(s.policy.rawValue), .int(Int(st.x[i])), .number(st.mean[i]), .number(st.sem[i]),
                    .int(st.seedCount),
                ])
            }
        }
        return t
    }

    /// Columns `seed,trial,item,p_open`: the learned P(open) for cues and distractors over training.
    package var gateCSV: CSVTable {
        var t = CSVTable(header: ["seed", "trial", "item", "p_open"])
        for r in gateProbability {
            for (item, name) in [("cue", "p_open cue"), ("distractor", "p_open distractor")] {
                let c = r.curve(named: name)!
                for i in 0..<c.x.count {
                    t.append([.text(String(r.seed)), .int(Int(c.x[i])), .text(item), .number(c.y[i])])
                }
            }
        }
        return t
    }

    /// Columns `seed,item,p_open`: the learned P(open) after training.
    package var finalGateCSV: CSVTable { finalOpening.csv(seeds: seedValues) }
}

/// Trains the learned gate for `trials` trials at `delay` and runs the always-open and
/// always-closed gates on the same trials and readout noise, recording accuracy in blocks
/// of `block` trials and the learned P(open) for cues and distractors after every block.
/// Seeds × policies run in parallel; results are in seed order.
package func learnedGating(_ params: LearnedGatingParameters, parallel: Bool = true) throws -> LearnedGatingResult {
    try params.validate()
    let p = params
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let policies = GatePolicy.allCases
    let jobs = seedValues.flatMap { seed in policies.map { (seed, $0) } }
    let runs = try MultiSeedRunner.map(count: jobs.count, parallel: parallel) { j in
        try train(jobs[j].1, p, seed: jobs[j].0)
    }
    let x = blockEnds(p).map(Double.init)
    var series = [GatingCurveSeries]()
    for (pi, policy) in policies.enumerated() {
        let records = seedValues.enumerated().map { si, seed in
            SeedRecord(
                seed: seed,
                curves: [
                    Curve(
                        name: "accuracy \(policy.rawValue)", x: x,
                        y: runs[si * policies.count + pi].blockAccuracy)
                ])
        }
        series.append(
            GatingCurveSeries(
                policy: policy, seeds: records,
                statistics: SeedStatistics(records.map { $0.curves[0] }),
                finalAccuracy: MeanSEM(records.map { $0.curves[0].y.last! })))
    }
    let learned = seedValues.indices.map { runs[$0 * policies.count] }
    let gates = zip(seedValues, learned).map { seed, run in
        SeedRecord(
            seed: seed,
            curves: [
                Curve(name: "p_open cue", x: x, y: run.openCue),
                Curve(name: "p_open distractor", x: x, y: run.openDistractor),
            ])
    }
    let opening = GateOpening(
        cuePerSeed: learned.map { $0.agent.openProbability(cue: true) },
        distractorPerSeed: learned.map { $0.agent.openProbability(cue: false) })
    return LearnedGatingResult(
        parameters: p, seedValues: seedValues, series: series, gateProbability: gates,
        finalOpening: opening, trainedAgents: learned.map(\.agent), chance: p.task.chance)
}
