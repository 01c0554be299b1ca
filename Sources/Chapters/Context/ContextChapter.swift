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
        .figure6, .weightProtection, .forgetting, .capacity, .figure5, .twoTimescales,
    ]

    package static func produce(_ p: ContextParameters, _ output: FigureWriter) throws {
        try output.emit(.figure6)

        let w = p.protection
        output.progress(
            "weight protection: 5 × \(w.pfcPerGroup) PFC units, \(w.cyclesC1)/\(w.cyclesC2)/\(w.cyclesReturn) cycles, \(w.seeds) seeds")
        try output.attempt(.weightProtection) {
            let result = try weightProtection(w)
            try output.emit(
                .weightProtection, figure: ContextProtectionFigure.figure(result),
                data: [("", result.csv), ("summary", result.summaryCSV), ("error", result.errorCSV)])
        }

        let f = p.forgetting
        output.progress(
            "forgetting: \(ForgettingMethod.thisPart.count) methods, \(f.blocks) blocks × \(f.trialsPerBlock) trials, \(f.seeds) seeds")
        try output.attempt(.forgetting) {
            let r = try runForgetting(f, methods: ForgettingMethod.thisPart)
            try output.emit(
                .forgetting, figure: ContextForgettingFigures.forgetting(r, f),
                data: [("", r.csv), ("criterion", r.criterionCSV), ("memory", r.memoryCSV)])
        }
        output.progress("capacity: K = \(f.capacityContexts.map(String.init).joined(separator: ", "))")
        try output.attempt(.capacity) {
            let r = try runCapacity(f, methods: ForgettingMethod.thisPart)
            try output.emit(
                .capacity, figure: ContextForgettingFigures.capacity(r, f),
                data: [("", r.csv), ("newest", r.newestCSV), ("memory", r.memoryCSV)])
        }

        try output.emit(.figure5)
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
        didSet { (protection.seed, forgetting.seed, timescales.seed) = (seed, seed, seed) }
    }
    /// Seeds of every multi-seed experiment (`--seeds`).
    package var seeds: Int = 5 {
        didSet { (protection.seeds, forgetting.seeds, timescales.seeds) = (seeds, seeds, seeds) }
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
    /// Part 3: two timescales (Figure 5).
    package var timescales: TwoTimescaleParameters

    package init(quick: Bool) {
        protection = WeightProtectionParameters(quick: quick)
        forgetting = ForgettingParameters(quick: quick)
        timescales = TwoTimescaleParameters(quick: quick)
        if quick { seeds = 3 }
        (protection.seed, forgetting.seed, timescales.seed) = (seed, seed, seed)
        (protection.seeds, forgetting.seeds, timescales.seeds) = (seeds, seeds, seeds)
    }

    package static let declared: [ModelParameter<ContextParameters>] =
        [.seed(\.seed), .seeds(\.seeds)]
        + WeightProtectionParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.protection) }.map {
            $0.flag == "--md-inhibition" ? sharedInhibition : $0
        }
        + ForgettingParameters.declared.filter { !$0.isSeedParameter && $0.flag != "--md-inhibition" }.map { $0.lifted(\.forgetting) }
        + TwoTimescaleParameters.declared.filter { !$0.isSeedParameter }.map { $0.lifted(\.timescales) }

    /// `--md-inhibition`, set in both models at once.
    private static let sharedInhibition = ModelParameter<ContextParameters>(
        \.mdInhibition, flag: "--md-inhibition", symbol: "W_add",
        "MD on: additive MD input to every PFC unit outside the selected group, in both models (Rikhye 2018: −10)",
        .closed(-100, 0))

    package static let budgets: [ParameterBudget<ContextParameters>] =
        WeightProtectionParameters.budgets.map { $0.lifted(\.protection) }
        + ForgettingParameters.budgets.map { $0.lifted(\.forgetting) }
        + TwoTimescaleParameters.budgets.map { $0.lifted(\.timescales) }

    package func checkConstraints() throws {
        try protection.checkConstraints()
        try forgetting.checkConstraints()
        try timescales.checkConstraints()
    }
}
