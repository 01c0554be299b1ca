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

    package static let figures: [FigureInfo] = [.forgetting, .capacity, .bgSelection, .bgLesion]

    package static func produce(_ p: ContextParameters, _ output: FigureWriter) throws {
        let f = p.forgetting
        let forgettingMethods = ForgettingMethod.thisPart + ForgettingMethod.selectionMethods(p.selection)
        output.progress(
            "forgetting: \(forgettingMethods.count) methods, \(f.blocks) blocks × \(f.trialsPerBlock) trials, \(f.seeds) seeds")
        try output.attempt(.forgetting) {
            let r = try runForgetting(f, methods: forgettingMethods)
            try output.emit(
                .forgetting, figure: ContextForgettingFigures.forgetting(r, f),
                data: [("", r.csv), ("criterion", r.criterionCSV), ("memory", r.memoryCSV)])
        }
        output.progress("capacity: K = \(f.capacityContexts.map(String.init).joined(separator: ", "))")
        try output.attempt(.capacity) {
            let r = try runCapacity(f, methods: forgettingMethods)
            try output.emit(
                .capacity, figure: ContextForgettingFigures.capacity(r, f),
                data: [("", r.csv), ("newest", r.newestCSV), ("memory", r.memoryCSV)])
        }
        let sp = p.selection
        output.progress("BG selection: \(sp.blocks) blocks × \(f.trialsPerBlock) trials, \(sp.seeds) seeds")
        try output.attempt(.bgSelection) {
            let r = try bgSelection(sp, f)
            try output.emit(
                .bgSelection, figure: ContextSelectionFigures.selection(r, f),
                data: [
                    ("", r.csv), ("assignment", r.assignmentCSV), ("accuracy", r.accuracyCSV), ("comparison", r.comparison.csv),
                    ("hebbian", r.hebbianCSV),
                ])
        }
        output.progress("BG lesion: the circuit silenced after each of \(sp.blocks) blocks, \(sp.postLesionBlocks) blocks after each")
        try output.attempt(.bgLesion) {
            let r = try bgLesion(sp, f)
            try output.emit(.bgLesion, figure: ContextSelectionFigures.lesion(r, f), data: [("", r.csv), ("progress", r.progressCSV)])
        }
    }
}

/// The context chapter's parameters: one `--seed` and one `--seeds` for every experiment,
/// and each experiment's own parameters.
package struct ContextParameters: ChapterParameters {
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1 {
        didSet { (forgetting.seed, selection.seed) = (seed, seed) }
    }
    /// Seeds of every multi-seed experiment (`--seeds`).
    package var seeds: Int = 5 {
        didSet { (forgetting.seeds, selection.seeds) = (seeds, seeds) }
    }
    /// Part 2: forgetting and capacity (conflicting maps, no BG).
    package var forgetting: ForgettingParameters
    /// Part 2, items 3–4: basal-ganglia selection and corticothalamic consolidation.
    package var selection: ContextSelectionParameters

    package init(quick: Bool) {
        forgetting = ForgettingParameters(quick: quick)
        selection = ContextSelectionParameters(quick: quick)
        if quick { seeds = 3 }
        forgetting.seed = seed
        forgetting.seeds = seeds
        (selection.seed, selection.seeds) = (seed, seeds)
    }

    package static let declared: [ModelParameter<ContextParameters>] =
        [.seed(\.seed), .seeds(\.seeds)]
        + ForgettingParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.forgetting) }
        + ContextSelectionParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.selection) }

    package static let budgets: [ParameterBudget<ContextParameters>] =
        ForgettingParameters.budgets.map { $0.lifted(\.forgetting) }
        + ContextSelectionParameters.budgets.map { $0.lifted(\.selection) }
        + [
            // A BG-selection trial costs about M × N (the MD competition reads all N PFC units per MD unit).
            .init("seeds × selection blocks × (5 + 2 × post-lesion blocks) × T × M × N", atMost: 1e11, blame: "--selection-blocks") {
                let f = $0.forgetting, s = $0.selection
                return Double(s.seeds * s.blocks * (5 + 2 * s.postLesionBlocks) * f.trialsPerBlock) * Double(f.mdUnits)
                    * Double(f.mdUnits * f.unitsPerGroup)
            }
        ]

    package func checkConstraints() throws {
        try forgetting.checkConstraints()
        try selection.checkConstraints()
    }
}
