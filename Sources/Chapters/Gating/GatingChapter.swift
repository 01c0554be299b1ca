import CreditCore

/// `ch5-gating` / `credit gating`: the thalamus sets cortex's memory time constant
/// (Eqs. 10–11) and the basal ganglia learn when to open the gate.
package enum GatingChapter: Chapter {
    package static let number = 5
    package static let name = "gating"
    package static let abstract = """
        Chapter 5 — thalamic working-memory gating: MD sets the PFC memory time constant (Eqs. 10–11), \
        the basal ganglia learn the gate.
        """
    package static let discussion = """
        PFC: τ dr/dt = −r + f((1 + r_MD) w_PFC r + r_s), f the logistic (Eq. 10). Linearised at a fixed \
        point: τ_eff = τ / (1 − (1 + r_MD) w_PFC f′) (Eq. 11), valid while the loop gain is below 1. The \
        learned gate is an actor-critic trained by the TD error δ (the dopamine signal of Chapter 2).
        """

    package static let figures: [FigureInfo] = [
        .workingMemoryGating, .tauEff, .bifurcation, .phaseDiagram, .traces, .learnedGating,
    ]

    package static func produce(_ p: GatingParameters, _ output: FigureWriter) throws {
        let d = p.dynamics
        try output.attempt(.workingMemoryGating, .traces, progress: "traces: a delayed task under three MD conditions, \(d.seeds) seeds") {
            let traceResult = try traces(d)
            try output.emit(.workingMemoryGating, figure: GatingFigures.figure7(traceResult))
            try output.emit(
                .traces, figure: GatingFigures.traces(traceResult),
                data: [("", traceResult.csv), ("readout", traceResult.readoutCSV)])
        }

        try output.attempt(
            .tauEff, progress: "τ_eff: Eq. 10 simulated against Eq. 11 for w_PFC = \(d.wPFCValues.map(\.compact).joined(separator: ", "))"
        ) {
            let tauResult = try tauEffective(d)
            try output.emit(.tauEff, figure: GatingFigures.tauEffective(tauResult), data: [("", tauResult.csv)])
        }

        try output.attempt(.bifurcation, progress: "bifurcation: fixed points over r_MD") {
            let bif = try bifurcation(d)
            try output.emit(.bifurcation, figure: GatingFigures.bifurcation(bif), data: [("", bif.csv)])
        }

        try output.attempt(.phaseDiagram, progress: "phase diagram: \(d.phaseMDPoints) × \(d.phaseWPoints) cells in parallel") {
            let phase = try phaseDiagram(d)
            output.progress("phase diagram took \(phase.wallSeconds.fixed(2)) s on \(phase.workers) workers")
            try output.emit(
                .phaseDiagram, figure: GatingFigures.phaseDiagram(phase),
                data: [("", phase.csv), ("boundary", phase.boundaryCSV)])
        }

        let l = p.learning
        try output.attempt(
            .learnedGating, progress: "learned gating: \(l.trials) trials × \(l.seeds) seeds, then \(l.sweepDelays.count) delays"
        ) {
            let curves = try learnedGating(l)
            let sweep = try accuracyVersusDelay(curves)
            let probe = try probeTraces(l)
            let memory = try memoryTD(l)
            try output.emit(
                .learnedGating, figure: GatingFigures.learnedGating(curves, sweep: sweep, probe: probe, memory: memory),
                data: [
                    ("", curves.csv), ("summary", curves.summaryCSV), ("delay", sweep.csv), ("gate", curves.gateCSV),
                    ("probe", probe.csv), ("memory-td", memory.csv),
                ])
        }
    }
}

/// The gating chapter's parameters: those of the Eq. 10–11 experiments and those of the
/// learned gate, with one `--seed` and one `--seeds` for both.
package struct GatingParameters: ChapterParameters {
    package var dynamics: WorkingMemoryParameters
    package var learning: LearnedGatingParameters

    package init(quick: Bool) {
        dynamics = WorkingMemoryParameters(quick: quick)
        learning = LearnedGatingParameters(quick: quick)
    }

    /// The first seed of both experiments.
    package var seed: UInt64 {
        get { dynamics.seed }
        set { (dynamics.seed, learning.seed) = (newValue, newValue) }
    }

    /// The seeds of both experiments.
    package var seeds: Int {
        get { dynamics.seeds }
        set { (dynamics.seeds, learning.seeds) = (newValue, newValue) }
    }

    package static let declared: [ModelParameter<GatingParameters>] =
        [.seed(\.seed), .seeds(\.seeds)]
        + WorkingMemoryParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.dynamics) }
        + LearnedGatingParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.learning) }

    package static let budgets: [ParameterBudget<GatingParameters>] =
        WorkingMemoryParameters.budgets.map { $0.lifted(\.dynamics) }
        + LearnedGatingParameters.budgets.map { $0.lifted(\.learning) }

    package func checkConstraints() throws {
        try dynamics.checkConstraints()
        try learning.checkConstraints()
    }
}

extension FigureInfo {
    static let workingMemoryGating = FigureInfo(
        "fig7-wm-gating",
        "schematic: BG inhibit MD (gate closed, input fades) or release it (gate open, input held), with simulated traces")
    static let tauEff = FigureInfo(
        "tau-eff",
        "τ_eff measured from Eq. 10's decay against Eq. 11, over r_MD for several w_PFC, graded and bistable parts marked")
    static let bifurcation = FigureInfo(
        "bifurcation",
        "fixed points of Eq. 10 as r_MD grows: where the loop gain reaches 1 the memory becomes bistable")
    static let phaseDiagram = FigureInfo(
        "phase-diagram",
        "τ_eff/τ over the (r_MD, w_PFC) plane with the edge of the linear regime")
    static let traces = FigureInfo(
        "traces",
        "PFC activity through a delayed task with MD off, always on, and gated to the cue")
    static let learnedGating = FigureInfo(
        "learned-gating",
        "the basal ganglia learn the gate: accuracy over training and against delay, the oracle ceiling, traces at the probe, and Chapter 2's two-cue error with the gated memory"
    )
}
