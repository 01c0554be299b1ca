// Chapter 4, part 2, items 3–4: the basal ganglia select the thalamus, and the corticothalamic
// pathway consolidates the selection (the review's Figure 6).
//
// The network, task, readout and schedule are those of the forgetting comparison
// (ContextForgetting.swift: ContextualSetup, ContextLearner); only the choice of the MD unit
// differs from the oracle. Instead of "context k selects MD unit k", CreditCore's
// ThalamicSelector chooses it: basal ganglia (an ActorCritic) that see the context cue and learn
// from the trial's reward which MD unit to disinhibit, and, for the consolidated circuit,
// PFC→MD synapses that learn the same choice by Eqs. 8–9 of Box 1 with the basal ganglia as
// the teacher.
//
// What the corticothalamic student reads (interpretation, stated in the prose): the PFC
// activity evoked by the context input alone, r_i = max(tanh(W_in[i, context]), 0), i.e. the
// network's rates with the cue not yet on and the MD silent (gain 1, no inhibition). This is
// the cortical context signal that the basal ganglia's one-hot cue idealises (the striatum reads
// cortex); it carries the context and does not depend on which MD unit is then selected, so the
// pathway never reads its own output. The deliberate-bug variant ``StudentInput/cueOnly`` reads
// the cue-evoked activity without the context input instead, which cannot tell the contexts apart.
import Cairo
import CreditCore
import Foundation
import Plot

// MARK: - Parameters

/// Which PFC activity the corticothalamic student reads.
package enum StudentInput: String, Sendable, Equatable {
    /// The rates evoked by the context input alone (cue off, MD silent): the default.
    case contextEvoked = "context-evoked"
    /// The rates evoked by the trial's cue alone (no context input, MD silent): a planted bug.
    case cueOnly = "cue-only"
}

/// Parameters of the basal-ganglia selection and corticothalamic consolidation experiments.
/// The network, the task, the block length T and the readout's η are the forgetting
/// experiment's (``ForgettingParameters``), so every method runs on the same network and trials.
package struct ContextSelectionParameters: Sendable, Equatable {
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1
    /// Seeds (`--seeds`).
    package var seeds: Int = 10
    /// α_actor of the basal ganglia's actor (`--alpha-actor`): θ ← θ + α_actor δ ∇ log π. 1: after a
    /// handful of rewarded trials the choice is made, so few exploratory trials reach (and overwrite)
    /// another context's subnetwork.
    package var alphaActor: Double = 1
    /// α_critic of the basal ganglia's critic (`--alpha-critic`): V(c) ← V(c) + α_critic δ.
    package var alphaCritic: Double = 0.5
    /// Inverse temperature β_MD of the MD competition (`--beta-md`): a*_s ~ softmax(β_MD (M x + w ∘ y)).
    /// 20: a drive lead of 0.25 already wins 99 % of the time against 7 rivals.
    package var betaMD: Double = 20
    /// η_M of Eq. 8, the corticothalamic student's growth (`--eta-ct`).
    package var etaStudent: Double = 0.03
    /// η_w of Eq. 9, the decay of the BG→MD gain (`--eta-bg-gain`). Half of η_M: with graded rates
    /// x ≤ 1 the student's drive grows by η_M w Σ M x² ≤ η_M w (M · x) per trial while w y falls
    /// by η_w w (M · x), so η_w = ρ η_M with ρ = Σ M x² / (M · x) (≈ 0.5 here) keeps the selected
    /// unit's drive M x + w constant; a faster decay lets the drive sag mid-handover, and the MD
    /// competition becomes a lottery.
    package var etaW: Double = 0.015
    /// Initial BG→MD gain w0 (1), the teacher's say in the MD drive.
    package var w0: Double = 1
    /// Initial summed student weight per MD unit: M0 is uniform in [0.5, 1.5] × this / N (N PFC
    /// units), so the initial student drive M · x is about 0.04 whatever the network size and the
    /// basal ganglia dominate the MD competition at first.
    package var studentWeight0: Double = 0.16
    /// Training blocks of the selection and lesion runs, alternating C1, C2 (`--selection-blocks`).
    package var blocks: Int = 12
    /// Blocks run after each lesion point, intact and lesioned, on the same trials (`--post-lesion-blocks`).
    package var postLesionBlocks: Int = 2
    /// The lesion point called "early" (in blocks); the "late" one is the last block.
    package var earlyLesionBlock: Int = 2
    /// Trials per point of the selection-probability curves.
    package var recordEvery: Int = 10
    /// Which PFC activity the student reads (not a flag: the bug variant is for tests).
    package var studentInput: StudentInput = .contextEvoked
    /// η of the reward-free Hebbian PFC→MD rule, per trial (`--eta-hebb`), the comparison of
    /// ``HebbianMDSelector``: the models update every time step with η ≈ 1e-4 over ≈ 1000-step traces.
    package var etaHebb: Double = 0.2
    /// Time constant of the Hebbian rule's pre- and postsynaptic traces, in trials (`--tau-trace`).
    package var tauTrace: Double = 5

    /// The defaults, or the `--quick` ones: 3 seeds.
    package init(quick: Bool = false) {
        if quick { seeds = 3 }
    }

    /// The cross-parameter checks (each flag's own bounds are in ``declared``).
    package func checkConstraints() throws {
        try require(earlyLesionBlock <= blocks, "--selection-blocks", blocks, "at least the early lesion block \(earlyLesionBlock)")
        try require(recordEvery >= 1, "record every", recordEvery, "at least 1 trial")
    }
}

extension ContextSelectionParameters: ChapterParameters {
    package static let declared: [ModelParameter<ContextSelectionParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(
            \.alphaActor, flag: "--alpha-actor", symbol: "α_actor", "learning rate of the basal ganglia's MD-selection policy",
            .above(0, upTo: 100)),
        .init(
            \.alphaCritic, flag: "--alpha-critic", symbol: "α_critic", "learning rate of the basal ganglia's critic (Eq. 3)",
            .above(0, upTo: 1)),
        .init(\.betaMD, flag: "--beta-md", symbol: "β_MD", "inverse temperature of the MD competition (Eq. 6)", .above(0, upTo: 1000)),
        .init(
            \.etaStudent, flag: "--eta-ct", symbol: "η_M", "learning rate of the corticothalamic (PFC→MD) student, Eq. 8",
            .above(0, upTo: 10)),
        .init(\.etaW, flag: "--eta-bg-gain", symbol: "η_w", "decay rate of the BG→MD gain w, Eq. 9", .above(0, upTo: 10)),
        .init(
            \.blocks, flag: "--selection-blocks", symbol: "B_sel", "training blocks of the BG selection and lesion runs", .closed(2, 100)),
        .init(\.etaHebb, flag: "--eta-hebb", symbol: "η_H", "learning rate of the Hebbian PFC→MD rule (comparison)", .above(0, upTo: 10)),
        .init(
            \.tauTrace, flag: "--tau-trace", symbol: "τ_trace", "trace time constant of the Hebbian PFC→MD rule", unit: "trials",
            .closed(1, 1000)),
        .init(
            \.postLesionBlocks, flag: "--post-lesion-blocks", symbol: "B_post", "blocks after each lesion point", .closed(1, 20)),
    ]

    package static let budgets: [ParameterBudget<ContextSelectionParameters>] = [
        .init("seeds × blocks × (1 + 2 × post-lesion blocks)", atMost: 200_000, blame: "--selection-blocks") {
            Double($0.seeds) * Double($0.blocks) * Double(1 + 2 * $0.postLesionBlocks)
        }
    ]
}

// MARK: - The learner

/// Basal ganglia (and, if it consolidates, the corticothalamic pathway) choose the MD unit; the
/// shared delta-rule readout learns on the rates of the group that unit amplifies.
package struct BasalGangliaLearner: ContextLearner {
    /// The BG actor-critic and the corticothalamic student.
    package var selector: ThalamicSelector
    /// The readout shared by every context (the forgetting experiment's).
    package var readout: ContextualReadout
    /// PFC rates with MD unit k on: index ((context · cues + cue) · mdUnits + k).
    let rates: [[Double]]
    /// What the student reads: index (context · cues + cue).
    let studentInput: [[Double]]
    let cues: Int
    /// True when the student's input is the same for every cue of a context (the context-evoked
    /// activity), so the selection probabilities need computing once per context.
    let cueIndependent: Bool
    let learningRate: Double
    /// The draws of the basal ganglia and the MD competition.
    var rng: SeededGenerator

    /// A learner on `setup`'s network and initial readout; `consolidates` switches Eqs. 8–9 on.
    package init(setup: ContextualSetup, learningRate: Double, parameters p: ContextSelectionParameters, consolidates: Bool) {
        let net = setup.network
        let task = setup.task
        let md = net.config.mdUnits
        cues = task.cues
        var table: [[Double]] = []
        var inputs: [[Double]] = []
        for c in 0..<task.contexts {
            for s in 0..<task.cues {
                for k in 0..<md { table.append(net.rates(cue: s, context: c, md: net.mdActivity(selecting: k))) }
                inputs.append(studentRates(net, input: p.studentInput, context: c, cue: s))
            }
        }
        rates = table
        studentInput = inputs
        cueIndependent = p.studentInput == .contextEvoked
        readout = setup.initialReadout
        self.learningRate = learningRate
        rng = setup.methodGenerator
        let n = net.units
        let scale = p.studentWeight0 / Double(n)
        selector = ThalamicSelector(
            contexts: task.contexts, mdUnits: md, inputs: n, actorAlpha: p.alphaActor, criticAlpha: p.alphaCritic,
            betaMD: p.betaMD, m0: (0.5 * scale)...(1.5 * scale), w0: p.w0, etaStudent: p.etaStudent, etaW: p.etaW,
            consolidates: consolidates, using: &rng)
    }

    var mdUnits: Int { selector.mdUnits }

    @inline(__always)
    func ratesFor(context c: Int, cue s: Int, md k: Int) -> [Double] { rates[(c * cues + s) * mdUnits + k] }

    package mutating func beginBlock(context: Int) {}
    package mutating func endBlock(context: Int) {}

    /// One trial: the MD unit is chosen, the readout acts on the amplified group's rates and learns
    /// (delta rule, as every method), and the reward (1 if the readout's choice was correct) trains
    /// the basal ganglia and, through them, the student.
    package mutating func train(cue: Int, context: Int, correct: Int) {
        let x = studentInput[context * cues + cue]
        let choice = selector.choose(context: context, pfc: x, using: &rng)
        let r = ratesFor(context: context, cue: cue, md: choice.mdUnit)
        let reward: Double = readout.choice(rates: r) == correct ? 1 : 0
        readout.deltaUpdate(rates: r, action: correct, learningRate: learningRate)
        selector.learn(context: context, pfc: x, choice: choice, reward: reward)
    }

    /// P(MD unit k is on | context, cue), exact.
    package func selection(context: Int, cue: Int) -> [Double] {
        selector.selectionProbabilities(context: context, pfc: studentInput[context * cues + cue])
    }

    /// P(MD unit k is on | context) averaged over the cues (equal to any cue's when the student
    /// reads the context-evoked activity).
    package func selection(context: Int) -> [Double] {
        if cueIndependent { return selection(context: context, cue: 0) }
        var p = [Double](repeating: 0, count: mdUnits)
        for s in 0..<cues {
            let q = selection(context: context, cue: s)
            for k in 0..<mdUnits { p[k] += q[k] / Double(cues) }
        }
        return p
    }

    /// The probe of the forgetting comparison: the readout's choice on the group of the most
    /// probable MD unit (a deterministic probe, as every method's; ties: the lower unit).
    package func probe(cue: Int, context: Int) -> Int {
        let best = selection(context: context, cue: cue).argmax
        return readout.choice(rates: ratesFor(context: context, cue: cue, md: best))
    }

    /// Expected probe accuracy on `context`: the mean over its cues of
    /// Σ_k P(k | context, cue) · 1[readout correct on group k] (learning off).
    package func expectedAccuracy(context: Int, task: ContextualTask) -> Double {
        var total = 0.0
        let shared = cueIndependent ? selection(context: context, cue: 0) : nil
        for s in 0..<cues {
            let p = shared ?? selection(context: context, cue: s)
            let correct = task.action(context: context, cue: s)
            for k in 0..<mdUnits where p[k] > 0 && readout.choice(rates: ratesFor(context: context, cue: s, md: k)) == correct {
                total += p[k]
            }
        }
        return total / Double(cues)
    }

    /// Every learned weight (actor, critic, student M, gain w, readout), for the divergence guard.
    package var learnedWeights: [Double] { selector.allWeights + readout.weights }

    /// Per context: the actor's preferences (one per MD unit) and the critic's value, the readout
    /// weights of one group (actions × group size) and, when consolidating, one student row (N)
    /// and one gain w.
    package var contextSpecificNumbers: Int {
        let n = readout.units, group = n / mdUnits
        let perContext = mdUnits + 1 + readout.actions * group + (selector.consolidates ? n + 1 : 0)
        return selector.contexts * perContext
    }
}

/// The reward-free comparison: a Hebbian PFC→MD pathway with a winner-take-all MD
/// (``HebbianMDSelector``) reads the same PFC activity as the corticothalamic student and picks the
/// MD unit on its own; no basal ganglia, no reward. The readout learns as in every method.
package struct HebbianMDLearner: ContextLearner {
    package var selector: HebbianMDSelector
    package var readout: ContextualReadout
    let rates: [[Double]]
    let studentInput: [[Double]]
    let cues: Int
    let learningRate: Double

    package init(setup: ContextualSetup, learningRate: Double, parameters p: ContextSelectionParameters) {
        // The same tables as the basal-ganglia learner (built the same way), and the same stream 4.
        let bg = BasalGangliaLearner(setup: setup, learningRate: learningRate, parameters: p, consolidates: false)
        rates = bg.rates
        studentInput = bg.studentInput
        cues = bg.cues
        readout = setup.initialReadout
        self.learningRate = learningRate
        var rng = setup.methodGenerator
        selector = HebbianMDSelector(
            mdUnits: setup.network.config.mdUnits, inputs: setup.network.units, eta: p.etaHebb, tauPre: p.tauTrace,
            tauPost: p.tauTrace, using: &rng)
    }

    /// The MD unit that wins for `context` (and `cue`, if the PFC activity depends on it).
    package func winner(context: Int, cue: Int) -> Int { selector.winner(studentInput[context * cues + cue]) }

    package mutating func beginBlock(context: Int) {}
    package mutating func endBlock(context: Int) {}

    package mutating func train(cue: Int, context: Int, correct: Int) {
        let x = studentInput[context * cues + cue]
        let k = selector.winner(x)
        readout.deltaUpdate(rates: rates[(context * cues + cue) * selector.mdUnits + k], action: correct, learningRate: learningRate)
        selector.learn(x, winner: k)
    }

    package func probe(cue: Int, context: Int) -> Int {
        readout.choice(rates: rates[(context * cues + cue) * selector.mdUnits + winner(context: context, cue: cue)])
    }

    /// Probe accuracy on `context` (the winner is deterministic, so this is the expected accuracy too).
    package func expectedAccuracy(context: Int, task: ContextualTask) -> Double {
        let right = (0..<cues).filter { probe(cue: $0, context: context) == task.action(context: context, cue: $0) }.count
        return Double(right) / Double(cues)
    }

    package var learnedWeights: [Double] { selector.weights.storage + readout.weights }

    /// Per context: the readout weights of one group and one row of PFC→MD weights.
    package var contextSpecificNumbers: Int {
        let n = readout.units, group = n / selector.mdUnits
        return studentInput.count / cues * (readout.actions * group + n)
    }
}

/// The PFC rates the student reads for `context` and `cue` (see ``StudentInput``): the network's
/// rate function r = max(tanh(h), 0) with MD silent (gain 1, no inhibition).
func studentRates(_ net: ContextualNetwork, input: StudentInput, context: Int, cue: Int) -> [Double] {
    let silent = [Double](repeating: 0, count: net.config.mdUnits)
    switch input {
    case .contextEvoked:
        // The context input alone: h_i = W_in[i, S + context] (the cue not yet on).
        let inputs = net.config.inputs
        return (0..<net.units).map { i in max(tanh(net.inputWeights[i * inputs + net.config.cues + context]), 0) }
    case .cueOnly:
        return net.rates(cue: cue, context: nil, md: silent)
    }
}

// MARK: - Methods of the forgetting comparison

extension ForgettingMethod {
    /// The basal ganglia select the MD unit (no consolidation).
    package static func bgSelected(_ sp: ContextSelectionParameters) -> ForgettingMethod {
        ForgettingMethod(id: "bg-selected", label: "BG select MD", color: Palette.basalGanglia) { setup, p in
            BasalGangliaLearner(setup: setup, learningRate: p.learningRate, parameters: sp, consolidates: false)
        }
    }

    /// The basal ganglia select the MD unit and the corticothalamic pathway consolidates the choice
    /// (a dark shade of the basal ganglia's vermillion).
    package static func consolidated(_ sp: ContextSelectionParameters) -> ForgettingMethod {
        ForgettingMethod(id: "consolidated", label: "BG + corticothalamic", color: Palette.darkVermillion) { setup, p in
            BasalGangliaLearner(setup: setup, learningRate: p.learningRate, parameters: sp, consolidates: true)
        }
    }

    /// The reward-free comparison: a Hebbian PFC→MD rule with a winner-take-all MD (a dark shade
    /// of the thalamus's bluish green: no basal ganglia, so not their vermillion).
    package static func hebbianMD(_ sp: ContextSelectionParameters) -> ForgettingMethod {
        ForgettingMethod(id: "hebbian-md", label: "Hebbian PFC→MD", color: Palette.darkBluishGreen) { setup, p in
            HebbianMDLearner(setup: setup, learningRate: p.learningRate, parameters: sp)
        }
    }

    /// The methods of items 3–4, in legend order.
    package static func selectionMethods(_ sp: ContextSelectionParameters) -> [ForgettingMethod] {
        [.bgSelected(sp), .consolidated(sp)]
    }
}
