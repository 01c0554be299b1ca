import CreditCore

/// `ch4-context` / `credit context`: contextual credit. The thalamus amplifies the cortical
/// subnetwork of the current context and so protects the others from being overwritten
/// (the review's Figure 6); the consolidation motif runs on two timescales (Figure 5).
package enum ContextChapter: Chapter {
    package static let number = 4
    package static let name = "context"
    package static let abstract = """
        Chapter 4 — contextual credit: MD thalamus amplifies one cortical subnetwork per context and \
        protects the others from forgetting; fast corticothalamic and slow cortical learning.
        """
    package static let discussion = """
        PFC rate units: τ dx/dt = −x + (1 + W_mult m) ⊙ (J r) + W_add m + W_in u, r = max(tanh x, 0), \
        with MD activity m amplifying the current context's subnetwork (Rikhye, Gilra & Halassa 2018). \
        The basal ganglia learn which MD unit to select from reward; corticothalamic synapses then \
        consolidate that selection with the Box 1 motif.
        """

    package static let figures: [FigureInfo] = [.twoTimescales]

    package static func produce(_ p: ContextParameters, _ output: FigureWriter) throws {
        let ts = p.timescales
        output.progress("two timescales: \(ts.trainingBlocks) training blocks, \(ts.testSwitches) test switches × \(ts.seeds) seeds")
        try output.attempt(.twoTimescales) {
            let r = try twoTimescales(ts)
            output.progress(
                "two timescales: simulated in \(r.wallSeconds.fixed(2)) s; single-timescale η_M tuned to \(r.tunedRate.compact)")
            try output.emit(
                .twoTimescales, figure: ContextTimescalesFigure.figure(r),
                data: [("", r.csv), ("summary", r.summaryCSV), ("sweep", r.sweepCSV), ("trace", r.traceCSV), ("training", r.trainingCSV)])
        }
    }
}

/// The context chapter's parameters: one `--seed` and one `--seeds` for every experiment,
/// and each experiment's own parameters.
package struct ContextParameters: ChapterParameters {
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1 {
        didSet { timescales.seed = seed }
    }
    /// Seeds of every multi-seed experiment (`--seeds`).
    package var seeds: Int = 5 {
        didSet { timescales.seeds = seeds }
    }
    /// Part 3: two timescales (Figure 5).
    package var timescales: TwoTimescaleParameters

    package init(quick: Bool) {
        timescales = TwoTimescaleParameters(quick: quick)
        if quick { seeds = 3 }
        timescales.seed = seed
        timescales.seeds = seeds
    }

    package static let declared: [ModelParameter<ContextParameters>] =
        [.seed(\.seed), .seeds(\.seeds)]
        + TwoTimescaleParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.timescales) }

    package static let budgets: [ParameterBudget<ContextParameters>] =
        TwoTimescaleParameters.budgets.map { $0.lifted(\.timescales) }

    package func checkConstraints() throws {
        try timescales.checkConstraints()
    }
}
