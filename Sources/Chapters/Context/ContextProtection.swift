// Chapter 4, part 1: MD amplification protects the readout weights of the other context
// (Rikhye, Gilra & Halassa 2018, Nat Neurosci 21:1753, the weight-stability figure).
//
// The PFC–MD reservoir (CreditCore's PFCMDReservoir) is read by two output units whose weights
// learn by the delta rule at every 1 ms step (CreditCore's PFCReadout). Context 1 (cues A, B),
// then context 2 (cues C, D), then context 1 again; A, C → output 1 and B, D → output 2. The
// MD is clamped to the current context. We measure, per cycle, the mean |Δw| of the readout
// weights from each context's units, and the error on the first cycles back in context 1.
//
// Interpretations and reductions (ours; the prose repeats them):
// - Size: 5 groups × 40 units (the paper: 5 × 200); J's variance G² / (2 n) keeps the paper's
//   G²/400 at n = 200. Cycles: 100 / 100 / 10 (the paper: 1000 / 1000 / 200).
// - Learning rate: the paper's η = 5e-6 at 1000 units and 1000 cycles per block. A cycle's
//   total weight change grows with η × units (each output sums over the units) and a block's
//   with η × units × cycles, so we keep η × units × cycles = 5e-6 × 1000 × 1000: η = 2.5e-4 at
//   200 units and 100 cycles.
// - The error is smoothed with τ_error = 1 ms = dt in the authors' code, i.e. not at all;
//   we use the raw error.
// - A cycle's error is the mean over its trials of the mean over steps and outputs of
//   (out − target)² (the authors' script sums the trials' means; a factor of 2).
// - "MD off" keeps the same network, the same initial readout and the same trial order and
//   initial states as "MD on": the two runs differ only in W_mult and W_add.
import CreditCore

// MARK: - Parameters

/// The weight-protection experiment's parameters, named after the command-line flags.
package struct WeightProtectionParameters: Sendable, Equatable {
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1
    /// Seeds (`--seeds`).
    package var seeds: Int = 5
    /// Units per group n (`--pfc-per-group`); 5 groups (cues A–D and one unassigned group).
    package var pfcPerGroup: Int = 40
    /// G, the recurrent gain (`--g-rec`): J ~ N(0, G² / (2n)), 0.75 in the paper.
    package var g: Double = 0.75
    /// W_mult onto the current context's units with MD on (`--md-gain`): G_MD / G = 6 / 0.75 = 8.
    package var mdGain: Double = 8
    /// W_add onto every other unit with MD on (`--md-inhibition`): −10.
    package var mdInhibition: Double = -10
    /// W_mult onto every unit with MD off (`--md-off-gain`): G_off / G = 1.5 / 0.75 = 2.
    package var mdOffGain: Double = 2
    /// τ in ms (`--tau`), of the PFC units and of the readout's filter.
    package var tau: Double = 20
    /// Euler step dt in ms (`--dt`).
    package var dt: Double = 1
    /// Readout learning rate η (`--eta`), see the header on its scaling.
    package var eta: Double = 2.5e-4
    /// Cycles of the first context-1 block (`--cycles-c1`).
    package var cyclesC1: Int = 100
    /// Cycles of the context-2 block (`--cycles-c2`).
    package var cyclesC2: Int = 100
    /// Cycles of the return to context 1 (`--cycles-return`).
    package var cyclesReturn: Int = 10
    /// Trial length in ms (200 in the paper).
    package var trialDuration: Double = 200
    /// The cue is on for the first this-many ms (100 in the paper).
    package var cueDuration: Double = 100
    /// Cycles of the return block averaged into the return error.
    package var returnErrorCycles: Int = 1
    /// Each trial starts from x ~ U(0, `initialSpread`) (`--initial-spread`; 0.1 in the authors'
    /// script). At 0 every trial starts from rest, x = 0, and the first step moves no weight.
    package var initialSpread: Double = 0.1

    /// The defaults, or the `--quick` ones: 3 seeds, 5 × 16 units, 20 / 20 / 5 cycles, and η
    /// rescaled by the same rule (η × units × cycles fixed).
    package init(quick: Bool = false) {
        if quick {
            seeds = 3
            pfcPerGroup = 16
            cyclesC1 = 20
            cyclesC2 = 20
            cyclesReturn = 5
            eta = 3.125e-3
        }
    }

    /// The MD couplings of the four conditions.
    package func coupling(_ c: MDCondition) -> MDCoupling {
        switch c {
        case .on: return .amplifying(gain: mdGain, inhibition: mdInhibition)
        case .off: return .uniform(gain: mdOffGain)
        case .gainOnly: return .amplifying(gain: mdGain, inhibition: 0)
        case .inhibitionOnly: return .amplifying(gain: 0, inhibition: mdInhibition)
        }
    }

    /// Steps per trial and with the cue on.
    package var trialSteps: Int { Int((trialDuration / dt).rounded()) }
    package var cueSteps: Int { Int((cueDuration / dt).rounded()) }
    /// Units in all.
    package var units: Int { 5 * pfcPerGroup }

    package func checkConstraints() throws {
        if !(dt < tau) { throw ParameterError("--dt", "\(dt)", "a step 0 < dt < τ (τ = \(CSVTable.format(tau)) ms)") }
        if trialSteps < 2 || cueSteps < 1 || cueSteps > trialSteps {
            throw ParameterError(
                "--dt", "\(dt)", "a step that leaves at least one cue step in a \(CSVTable.format(trialDuration)) ms trial")
        }
        if returnErrorCycles > cyclesReturn {
            throw ParameterError("--cycles-return", "\(cyclesReturn)", "at least \(returnErrorCycles) cycle(s)")
        }
    }
}

extension WeightProtectionParameters: ChapterParameters {
    /// Cost: seeds × conditions (2 full schedules + 2 ablations of c2) × trials × steps ×
    /// units² (the J r product, at most).
    package static let budgets: [ParameterBudget<WeightProtectionParameters>] = [
        .init("seeds × cycles × 2 trials × steps × units² × 4 conditions", atMost: 4e12, blame: "--pfc-per-group") { p in
            Double(p.seeds) * Double(p.cyclesC1 + p.cyclesC2 + p.cyclesReturn) * 2 * Double(p.trialSteps)
                * Double(p.units * p.units) * 4
        }
    ]

    package static let declared: [ModelParameter<WeightProtectionParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(
            \.pfcPerGroup, flag: "--pfc-per-group", symbol: "n_res", "PFC units per cue group (5 groups; the paper: 200)", .closed(2, 400)),
        .init(\.g, flag: "--g-rec", symbol: "G", "recurrent gain: J ~ N(0, G²/(2 n_res)), row means removed", .closed(0, 5)),
        .init(
            \.mdGain, flag: "--md-gain", symbol: "W_mult",
            "MD on: the current context's units get recurrent gain 1 + W_mult (the paper: 6/0.75 = 8)", .closed(0, 50)),
        .init(
            \.mdInhibition, flag: "--md-inhibition", symbol: "W_add",
            "MD on: additive MD input to every unit outside the current context (the paper: −10)", .closed(-100, 0)),
        .init(
            \.mdOffGain, flag: "--md-off-gain", symbol: "W_off",
            "MD off: every unit gets recurrent gain 1 + W_off and no inhibition (the paper: 1.5/0.75 = 2)", .closed(0, 50)),
        .init(\.tau, flag: "--tau", symbol: "τ", "time constant of the PFC units and of the readout filter", unit: "ms", .closed(1, 1000)),
        .init(\.dt, flag: "--dt", symbol: "dt", "Euler step, below τ", unit: "ms", .closed(0.05, 100)),
        .init(
            \.eta, flag: "--eta-reservoir", symbol: "η_res",
            "readout learning rate of the delta rule, applied at every step (the paper: 5e-6 at 1000 units)",
            .closed(0, 1)),
        .init(
            \.cyclesC1, flag: "--cycles-c1", symbol: "N_c1", "cycles of the first context-1 block (one cycle = each cue once)",
            .closed(1, 5000)),
        .init(\.cyclesC2, flag: "--cycles-c2", symbol: "N_c2", "cycles of the context-2 block", .closed(1, 5000)),
        .init(\.cyclesReturn, flag: "--cycles-return", symbol: "N_ret", "cycles of the return to context 1", .closed(1, 5000)),
        .init(
            \.initialSpread, flag: "--initial-spread", symbol: "Δx₀",
            "every trial starts from x ~ U(0, Δx₀); 0 starts it from rest (the authors' script: 0.1)", .closed(0, 1)),
    ]
}

/// The MD conditions: the paper's on and off, and the two halves of "on" (the ablation).
package enum MDCondition: String, Sendable, CaseIterable {
    case on
    case off
    case gainOnly = "gain-only"
    case inhibitionOnly = "inhibition-only"

    /// The legend label.
    package var label: String {
        switch self {
        case .on: return "MD on (gain + inhibition)"
        case .off: return "MD off (uniform gain)"
        case .gainOnly: return "gain only"
        case .inhibitionOnly: return "inhibition only"
        }
    }
}

/// The three blocks of the schedule.
package enum ProtectionBlock: String, Sendable, CaseIterable {
    case c1
    case c2
    case c1Return = "c1-return"

    /// The context clamped on the MD during the block.
    package var context: Int { self == .c2 ? 1 : 0 }
}

// MARK: - Results

/// One run of the schedule under one MD condition.
package struct ProtectionRun: Sendable {
    package var condition: MDCondition
    package var seed: UInt64
    /// The block of each cycle.
    package var blocks: [ProtectionBlock]
    /// Mean |Δw| of the readout weights from context 1's units (groups A, B), per cycle.
    package var dwContext1: [Double]
    /// The same for context 2's units (groups C, D).
    package var dwContext2: [Double]
    /// The cycle's mean-square error (mean over trials, steps and outputs).
    package var error: [Double]
    /// Σ|Δw| of context-1 weights during the c2 block at each trial's first step, and in all.
    package var c2FirstStepChange: Double
    package var c2TotalChange: Double
    /// The state at the end of the first context-1 block.
    package var afterC1: ProtectionCheckpoint?

    /// The cycles of one block.
    package func cycles(_ b: ProtectionBlock) -> [Int] { blocks.indices.filter { blocks[$0] == b } }

    /// Mean per-cycle |Δw| of context-1 weights while context 2 is learned.
    package var c2DriftContext1: Double { cycles(.c2).map { dwContext1[$0] }.mean }

    /// Share of the c2 block's context-1 weight change made at the trials' first step.
    package var firstStepShare: Double { c2TotalChange > 0 ? c2FirstStepChange / c2TotalChange : 0 }

    /// Error of the first `k` cycles back in context 1.
    package func returnError(cycles k: Int) -> Double { cycles(.c1Return).prefix(k).map { error[$0] }.mean }

    /// Error of the last `k` cycles of the first context-1 block (what had been learned).
    package func endOfC1Error(cycles k: Int) -> Double { cycles(.c1).suffix(k).map { error[$0] }.mean }
}

/// Every seed's runs and the tables of the figure.
package struct WeightProtectionResult: Sendable {
    package var parameters: WeightProtectionParameters
    /// Per seed, the runs in the order of `MDCondition.allCases` (ablations: the c2 block only).
    package var runs: [[ProtectionRun]]

    package func run(_ c: MDCondition, seedIndex s: Int) -> ProtectionRun {
        runs[s][MDCondition.allCases.firstIndex(of: c)!]
    }

    /// The protection ratio of seed s: context-1 drift during c2 without MD over with MD.
    package func protectionRatio(seedIndex s: Int, against c: MDCondition = .on) -> Double {
        run(.off, seedIndex: s).c2DriftContext1 / run(c, seedIndex: s).c2DriftContext1
    }

    /// `seed,md,block,cycle,dw_context1,dw_context2` for MD on and off.
    package var csv: CSVTable {
        var t = CSVTable(header: ["seed", "md", "block", "cycle", "dw_context1", "dw_context2"])
        for seedRuns in runs {
            for r in seedRuns where r.condition == .on || r.condition == .off {
                for k in r.blocks.indices {
                    t.append([
                        .int(Int(r.seed)), .text(r.condition.rawValue), .text(r.blocks[k].rawValue), .int(k + 1),
                        .number(r.dwContext1[k]), .number(r.dwContext2[k]),
                    ])
                }
            }
        }
        return t
    }

    /// Per seed and condition: the drift of context-1 weights in c2, the ratio to MD off, the
    /// first-step share, and the errors at the end of c1 and back in c1.
    package var summaryCSV: CSVTable {
        var t = CSVTable(header: [
            "seed", "md", "c2_dw_context1", "protection_ratio", "first_step_share", "end_c1_error", "return_error",
        ])
        let k = parameters.returnErrorCycles
        for (s, seedRuns) in runs.enumerated() {
            for r in seedRuns {
                let full = r.condition == .on || r.condition == .off
                t.append([
                    .int(Int(r.seed)), .text(r.condition.rawValue), .number(r.c2DriftContext1),
                    .number(protectionRatio(seedIndex: s, against: r.condition)), .number(r.firstStepShare),
                    full ? .number(r.endOfC1Error(cycles: 10)) : .text(""), full ? .number(r.returnError(cycles: k)) : .text(""),
                ])
            }
        }
        return t
    }

    /// The cycles' MSE (all conditions run in full or in part), for panel B.
    package var errorCSV: CSVTable {
        var t = CSVTable(header: ["seed", "md", "block", "cycle", "error"])
        for seedRuns in runs {
            for r in seedRuns where r.condition == .on || r.condition == .off {
                for k in r.blocks.indices {
                    t.append([
                        .int(Int(r.seed)), .text(r.condition.rawValue), .text(r.blocks[k].rawValue), .int(k + 1), .number(r.error[k]),
                    ])
                }
            }
        }
        return t
    }
}

// MARK: - Experiment

/// Runs the schedule for every seed under MD on and off; then the two ablations learn context 2
/// from the MD-on run's state at the end of context 1 (same readout, same trials to come).
package func weightProtection(_ p: WeightProtectionParameters) throws -> WeightProtectionResult {
    let seeds = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let main = try MultiSeedRunner.map(count: seeds.count * 2) { i in
        try protectionRun(p, seed: seeds[i / 2], condition: i % 2 == 0 ? .on : .off)
    }
    let ablations = try MultiSeedRunner.map(count: seeds.count * 2) { i in
        try protectionRun(p, seed: seeds[i / 2], condition: i % 2 == 0 ? .gainOnly : .inhibitionOnly, from: main[i / 2 * 2].afterC1)
    }
    let perSeed = seeds.indices.map { s in
        MDCondition.allCases.map { c in
            switch c {
            case .on: return main[2 * s]
            case .off: return main[2 * s + 1]
            case .gainOnly: return ablations[2 * s]
            case .inhibitionOnly: return ablations[2 * s + 1]
            }
        }
    }
    return WeightProtectionResult(parameters: p, runs: perSeed)
}

/// The readout and the trial generator at the end of the first context-1 block.
package struct ProtectionCheckpoint: Sendable {
    package var readout: PFCReadout
    package var trials: SeededGenerator
}

/// One schedule: the network of `seed`, the condition's coupling, trials in the order of `seed`.
/// From a checkpoint, only the context-2 block is run, starting from its readout and trials.
package func protectionRun(
    _ p: WeightProtectionParameters, seed: UInt64, condition: MDCondition, from checkpoint: ProtectionCheckpoint? = nil,
    coupling override: MDCoupling? = nil
) throws -> ProtectionRun {
    var reservoir = PFCMDReservoir(
        seed: seed, groups: 5, groupSize: p.pfcPerGroup, contexts: 2, tau: p.tau, dt: p.dt, g: p.g,
        coupling: override ?? p.coupling(condition))
    // The readout's initial weights and the trial order / initial states come from their own
    // streams, the same under every condition.
    var weightRNG = SeededGenerator(seed: seed, stream: 1)
    var readout = PFCReadout(outputs: 2, inputs: reservoir.units, rng: &weightRNG)
    var trialRNG = SeededGenerator(seed: seed, stream: 2)
    let guardrail = DivergenceGuard(
        run: "weight protection (\(condition.rawValue), seed \(seed))", stepName: "cycle",
        parameters: [RunParameter("η", p.eta), RunParameter("W_mult", p.mdGain)])

    var schedule: [ProtectionBlock] = Array(repeating: .c2, count: p.cyclesC2)
    if let checkpoint {
        (readout, trialRNG) = (checkpoint.readout, checkpoint.trials)
    } else {
        schedule = Array(repeating: .c1, count: p.cyclesC1) + schedule + Array(repeating: .c1Return, count: p.cyclesReturn)
    }
    let c1Units = reservoir.units(ofContext: 0), c2Units = reservoir.units(ofContext: 1)
    let targets: [[Double]] = [[1, 0], [0, 1]]
    var run = ProtectionRun(
        condition: condition, seed: seed, blocks: schedule, dwContext1: [], dwContext2: [], error: [],
        c2FirstStepChange: 0, c2TotalChange: 0, afterC1: checkpoint)
    var before = readout.weights
    for (cycle, block) in schedule.enumerated() {
        if block == .c2 && run.afterC1 == nil { run.afterC1 = ProtectionCheckpoint(readout: readout, trials: trialRNG) }
        let context = block.context
        reservoir.setMD(reservoir.md(context: context))
        var cues = [2 * context, 2 * context + 1]
        trialRNG.shuffle(&cues)
        var cycleError = 0.0
        for cue in cues {
            let target = targets[cue % 2]
            reservoir.reset(using: &trialRNG, initialSpread: p.initialSpread)
            readout.reset()
            var trialError = 0.0
            for t in 0..<p.trialSteps {
                if block == .c2 {
                    // Σ|Δw| over context 1's weights this step: η Σ_o |e_o| Σ_j r_j (e after the step).
                    var rateSum = 0.0
                    for j in c1Units { rateSum += reservoir.rates[j] }
                    readout.step(rates: reservoir.rates, target: target, tau: p.tau, dt: p.dt, learningRate: p.eta)
                    let change = p.eta * readout.error.reduce(0) { $0 + abs($1) } * rateSum
                    run.c2TotalChange += change
                    if t == 0 { run.c2FirstStepChange += change }
                } else {
                    readout.step(rates: reservoir.rates, target: target, tau: p.tau, dt: p.dt, learningRate: p.eta)
                }
                for e in readout.error { trialError += e * e }
                reservoir.step(cue: t < p.cueSteps ? cue : nil)
            }
            cycleError += trialError / Double(p.trialSteps * 2)
        }
        run.error.append(cycleError / Double(cues.count))
        run.dwContext1.append(meanAbsoluteChange(readout.weights, before, columns: c1Units, inputs: readout.inputs))
        run.dwContext2.append(meanAbsoluteChange(readout.weights, before, columns: c2Units, inputs: readout.inputs))
        before = readout.weights
        try guardrail.check([run.error[cycle], run.dwContext1[cycle], run.dwContext2[cycle]], step: cycle + 1)
    }
    return run
}

/// Mean |w − w′| over both outputs' weights from the units in `columns`.
private func meanAbsoluteChange(_ w: [Double], _ w0: [Double], columns: Range<Int>, inputs: Int) -> Double {
    var s = 0.0
    for o in 0..<2 { for j in columns { s += abs(w[o * inputs + j] - w0[o * inputs + j]) } }
    return s / Double(2 * columns.count)
}
