import ArgumentParser
import CreditCore

/// `ch5-gating` / `credit gating`: the thalamus sets cortex's memory time constant
/// (Eqs. 10–11) and the basal ganglia learn when to open the gate.
public struct GatingChapter: ChapterCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gating",
        abstract: "Chapter 5 — thalamic working-memory gating: MD sets the PFC memory time constant (Eqs. 10–11), the basal ganglia learn the gate.",
        discussion: """
            PFC: τ dr/dt = −r + f((1 + r_MD) w_PFC r + r_s), f the logistic (Eq. 10). Linearised at a fixed \
            point: τ_eff = τ / (1 − (1 + r_MD) w_PFC f′) (Eq. 11), valid while the loop gain is below 1. The \
            learned gate is an actor-critic trained by the TD error δ (the dopamine signal of Chapter 2).
            """)

    public static let chapterName = "gating"
    public static let prose = "chapters/05-gating.md"

    public static let figures = [
        FigureInfo("fig7-wm-gating", "schematic: BG inhibit MD (gate closed, input fades) or release it (gate open, input held), with simulated traces"),
        FigureInfo("tau-eff", "τ_eff measured from Eq. 10's decay against Eq. 11, over r_MD for several w_PFC"),
        FigureInfo("bifurcation", "fixed points of Eq. 10 as r_MD grows: where the loop gain reaches 1 the memory becomes bistable"),
        FigureInfo("phase-diagram", "τ_eff/τ over the (r_MD, w_PFC) plane with the edge of the linear regime"),
        FigureInfo("traces", "PFC activity through a delayed task with MD off, always on, and gated to the cue"),
        FigureInfo("learned-gating", "the basal ganglia learn the gate: accuracy over training and against delay length"),
    ]

    @OptionGroup public var common: CommonOptions

    @Option(help: "PFC time constant τ in ms (> 0; default 20).")
    var tau: Double?

    @Option(help: "Integration step in ms, 0 < dt < τ (default 0.05).")
    var dt: Double?

    @Option(name: .customLong("r-md"), help: "MD drive r_MD when MD is on, in the traces (≥ 0; default 2.5).")
    var rMD: Double?

    @Option(name: .customLong("w-pfc"), help: "PFC recurrent weight w_PFC of the traces (> 0; default 2).")
    var wPFC: Double?

    @Option(name: .customLong("r-bias"), help: "Resting input to PFC, the constant part of r_s (default −3; see the chapter).")
    var rBias: Double?

    @Option(help: "Training trials of the learned gate (≥ 1; default 1000).")
    var trials: Int?

    @Option(help: "Delay between the cue and the probe in the learned-gating task, in ms (> 0; default 2000).")
    var delay: Double?

    @Option(help: "Distractor items per trial (≥ 0; default 3).")
    var distractors: Int?

    @Option(help: "Items K the cue is drawn from (≥ 2; chance is 1/K; default 4).")
    var items: Int?

    @Option(name: .customLong("alpha-actor"), help: "Learning rate of the gating policy (the striatal actor), > 0 (default 0.2).")
    var alphaActor: Double?

    @Option(name: .customLong("alpha-critic"), help: "Learning rate α of the critic's TD update (Eq. 3), > 0 (default 0.1).")
    var alphaCritic: Double?

    public init() {}

    /// Parameters of the Eq. 10–11 experiments.
    var dynamics: WorkingMemoryParameters {
        var p = WorkingMemoryParameters(quick: common.quick)
        p.seed = common.seed
        if let v = common.seeds { p.seeds = v }
        if let v = tau { p.tau = v }
        if let v = dt { p.dt = v }
        if let v = rMD { p.rMD = v }
        if let v = wPFC { p.wPFC = v }
        if let v = rBias { p.rBias = v }
        return p
    }

    /// Parameters of the learned-gating experiments.
    var learning: LearnedGatingParameters {
        var p = LearnedGatingParameters(quick: common.quick)
        p.seed = common.seed
        if let v = common.seeds { p.seeds = v }
        if let v = trials { p.trials = v }
        if let v = delay { p.delay = v }
        if let v = distractors { p.distractors = v }
        if let v = items { p.items = v }
        if let v = alphaActor { p.alphaActor = v }
        if let v = alphaCritic { p.alphaCritic = v }
        return p
    }

    public func validate() throws {
        try checkParameters {
            try dynamics.validate()
            try learning.validate()
        }
    }

    public func produce(_ output: FigureWriter) throws {
        let d = dynamics
        output.progress("traces: a delayed task under three MD conditions, \(d.seeds) seeds")
        let traceResult = try traces(d)
        try output.emit("fig7-wm-gating", figure: GatingFigures.figure7(traceResult))

        output.progress("τ_eff: Eq. 10 simulated against Eq. 11 for w_PFC = \(d.wPFCValues.map(\.compact).joined(separator: ", "))")
        let tauResult = try tauEffective(d)
        try output.emit("tau-eff", figure: GatingFigures.tauEffective(tauResult), data: [("", tauResult.csv)])

        output.progress("bifurcation: fixed points over r_MD")
        let bif = try bifurcation(d)
        try output.emit("bifurcation", figure: GatingFigures.bifurcation(bif), data: [("", bif.csv)])

        output.progress("phase diagram: \(d.phaseMDPoints) × \(d.phaseWPoints) cells in parallel")
        let phase = try phaseDiagram(d)
        output.progress("phase diagram took \(phase.wallSeconds.fixed(2)) s on \(phase.workers) workers")
        try output.emit(
            "phase-diagram", figure: GatingFigures.phaseDiagram(phase),
            data: [("", phase.csv), ("boundary", phase.boundaryCSV)])

        try output.emit(
            "traces", figure: GatingFigures.traces(traceResult),
            data: [("", traceResult.csv), ("readout", traceResult.readoutCSV)])

        let l = learning
        output.progress("learned gating: \(l.trials) trials × \(l.seeds) seeds, then \(l.sweepDelays.count) delays")
        let curves = try learnedGating(l)
        let sweep = try accuracyVersusDelay(curves)
        try output.emit(
            "learned-gating", figure: GatingFigures.learnedGating(curves, sweep: sweep),
            data: [("", curves.csv), ("summary", curves.summaryCSV), ("delay", sweep.csv), ("gate", curves.gateCSV)])
    }
}
