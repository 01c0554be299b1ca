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

    package static let figures: [FigureInfo] = [
        .figure6, .weightProtection, .forgetting, .capacity, .bgSelection, .bgLesion, .figure5, .twoTimescales,
    ]

    package static func produce(_ p: ContextParameters, _ output: FigureWriter) throws {
        try output.emit(.figure6)

        let w = p.protection
        try output.attempt(
            .weightProtection,
            progress:
                "weight protection: 5 × \(w.pfcPerGroup) PFC units, \(w.cyclesC1)/\(w.cyclesC2)/\(w.cyclesReturn) cycles, \(w.seeds) seeds"
        ) {
            let result = try weightProtection(w)
            try output.emit(
                .weightProtection, figure: ContextProtectionFigure.figure(result),
                data: [("", result.csv), ("summary", result.summaryCSV), ("error", result.errorCSV)])
        }

        let f = p.forgetting
        let forgettingMethods = p.forgettingMethods
        try output.attempt(
            .forgetting,
            progress: "forgetting: \(forgettingMethods.count) methods, \(f.blocks) blocks × \(f.trialsPerBlock) trials, \(f.seeds) seeds"
        ) {
            let r = try runForgetting(f, methods: forgettingMethods)
            try output.emit(
                .forgetting, figure: ContextForgettingFigures.forgetting(r, f),
                data: [("", r.csv), ("criterion", r.criterionCSV), ("memory", r.memoryCSV)])
        }
        try output.attempt(.capacity, progress: "capacity: K = \(f.capacityContexts.map(String.init).joined(separator: ", "))") {
            let r = try runCapacity(f, methods: forgettingMethods)
            try output.emit(
                .capacity, figure: ContextForgettingFigures.capacity(r, f),
                data: [("", r.csv), ("newest", r.newestCSV), ("memory", r.memoryCSV)])
        }
        let sp = p.selection
        try output.attempt(.bgSelection, progress: "BG selection: \(sp.blocks) blocks × \(f.trialsPerBlock) trials, \(sp.seeds) seeds") {
            let r = try bgSelection(sp, f)
            try output.emit(
                .bgSelection, figure: ContextSelectionFigures.selection(r, f),
                data: [
                    ("", r.csv), ("assignment", r.assignmentCSV), ("accuracy", r.accuracyCSV), ("comparison", r.comparison.csv),
                    ("hebbian", r.hebbianCSV),
                ])
        }
        try output.attempt(
            .bgLesion,
            progress: "BG lesion: the circuit silenced after each of \(sp.blocks) blocks, \(sp.postLesionBlocks) blocks after each"
        ) {
            let r = try bgLesion(sp, f)
            try output.emit(.bgLesion, figure: ContextSelectionFigures.lesion(r, f), data: [("", r.csv), ("progress", r.progressCSV)])
        }

        try output.emit(.figure5)
        let ts = p.timescales
        try output.attempt(
            .twoTimescales,
            progress: "two timescales: \(ts.trainingBlocks) training blocks, \(ts.testSwitches) test switches × \(ts.seeds) seeds"
        ) {
            let r = try twoTimescales(ts)
            output.progress(
                "two timescales: simulated in \(r.wallSeconds.fixed(2)) s; single-timescale η_slow tuned to \(r.tunedRate.compact)")
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
        didSet { (protection.seed, forgetting.seed, selection.seed, timescales.seed) = (seed, seed, seed, seed) }
    }
    /// Seeds of every multi-seed experiment (`--seeds`).
    package var seeds: Int = 5 {
        didSet { (protection.seeds, forgetting.seeds, selection.seeds, timescales.seeds) = (seeds, seeds, seeds, seeds) }
    }
    /// W_add, MD's additive input to the units outside the selected group: one value for the
    /// reservoir of part 1 and the static network of part 2, which read the same model.
    package var mdInhibition: Double {
        get { protection.mdInhibition }
        set { (protection.mdInhibition, forgetting.mdInhibition) = (newValue, newValue) }
    }
    /// Part 1: MD amplification protects the readout weights (Rikhye et al. 2018).
    package var protection: WeightProtectionParameters
    /// Part 2: forgetting and capacity (conflicting maps).
    package var forgetting: ForgettingParameters
    /// Part 2, items 3–4: basal-ganglia selection and corticothalamic consolidation.
    package var selection: ContextSelectionParameters
    /// Part 3: two timescales (Figure 5).
    package var timescales: TwoTimescaleParameters

    /// The methods of `forgetting` and `capacity`: those without basal ganglia, then the
    /// selection methods built from ``selection``.
    package var forgettingMethods: [ForgettingMethod] {
        ForgettingMethod.withoutBasalGanglia + ForgettingMethod.selectionMethods(selection)
    }

    package init(quick: Bool) {
        protection = WeightProtectionParameters(quick: quick)
        forgetting = ForgettingParameters(quick: quick)
        selection = ContextSelectionParameters(quick: quick)
        timescales = TwoTimescaleParameters(quick: quick)
        if quick { seeds = 3 }
        (protection.seed, forgetting.seed, selection.seed, timescales.seed) = (seed, seed, seed, seed)
        (protection.seeds, forgetting.seeds, selection.seeds, timescales.seeds) = (seeds, seeds, seeds, seeds)
    }

    package static let declared: [ModelParameter<ContextParameters>] =
        [.seed(\.seed), .seeds(\.seeds)]
        + WeightProtectionParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.protection) }.map {
            $0.flag == "--md-inhibition" ? sharedInhibition : $0
        }
        + ForgettingParameters.declared.filter { !$0.isSeedParameter && $0.flag != "--md-inhibition" }.map { $0.lifted(\.forgetting) }
        + ContextSelectionParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.selection) }
        + TwoTimescaleParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.timescales) }

    /// `--md-inhibition`, set in both models at once.
    private static let sharedInhibition = ModelParameter<ContextParameters>(
        \.mdInhibition, flag: "--md-inhibition", symbol: "W_add",
        "MD on: additive MD input to every PFC unit outside the selected group, in both models (Rikhye 2018: −10)",
        .closed(-100, 0))

    package static let budgets: [ParameterBudget<ContextParameters>] =
        WeightProtectionParameters.budgets.map { $0.lifted(\.protection) }
        + ForgettingParameters.budgets.map { $0.lifted(\.forgetting) }
        + ContextSelectionParameters.budgets.map { $0.lifted(\.selection) }
        + TwoTimescaleParameters.budgets.map { $0.lifted(\.timescales) }
        + [
            // A BG-selection trial costs about M × N (the MD competition reads all N PFC units per MD unit).
            .init("seeds × selection blocks × (5 + 2 × post-lesion blocks) × T × M × N", atMost: 1e11, blame: "--selection-blocks") {
                let f = $0.forgetting, s = $0.selection
                return Double(s.seeds * s.blocks * (5 + 2 * s.postLesionBlocks) * f.trialsPerBlock) * Double(f.mdUnits)
                    * Double(f.mdUnits * f.unitsPerGroup)
            }
        ]

    package func checkConstraints() throws {
        try protection.checkConstraints()
        try forgetting.checkConstraints()
        try selection.checkConstraints()
        try timescales.checkConstraints()
    }
}
