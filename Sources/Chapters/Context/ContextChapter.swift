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

    package static let figures: [FigureInfo] = [.contextualAmplification, .weightProtection, .twoTimescales]

    package static func produce(_ p: ContextParameters, _ output: FigureWriter) throws {
        try output.emit(.contextualAmplification)

        let w = p.protection
        output.progress(
            "weight protection: 5 × \(w.pfcPerGroup) PFC units, \(w.cyclesC1)/\(w.cyclesC2)/\(w.cyclesReturn) cycles, \(w.seeds) seeds")
        try output.attempt(.weightProtection) {
            let result = try weightProtection(w)
            try output.emit(
                .weightProtection, figure: ContextProtectionFigure.figure(result),
                data: [("", result.csv), ("summary", result.summaryCSV), ("error", result.errorCSV)])
        }

        try output.emit(.twoTimescales)
    }
}

/// The context chapter's parameters: one `--seed` and one `--seeds` for every experiment,
/// and each experiment's own parameters.
package struct ContextParameters: ChapterParameters {
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1 {
        didSet { protection.seed = seed }
    }
    /// Seeds of every multi-seed experiment (`--seeds`).
    package var seeds: Int = 5 {
        didSet { protection.seeds = seeds }
    }
    /// Part 1: MD amplification protects the readout weights (Rikhye et al. 2018).
    package var protection: WeightProtectionParameters

    package init(quick: Bool) {
        protection = WeightProtectionParameters(quick: quick)
        if quick { seeds = 3 }
        protection.seed = seed
        protection.seeds = seeds
    }

    package static let declared: [ModelParameter<ContextParameters>] =
        [.seed(\.seed), .seeds(\.seeds)]
        + WeightProtectionParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.protection) }

    package static let budgets: [ParameterBudget<ContextParameters>] =
        WeightProtectionParameters.budgets.map { $0.lifted(\.protection) }

    package func checkConstraints() throws {
        try protection.checkConstraints()
    }
}
