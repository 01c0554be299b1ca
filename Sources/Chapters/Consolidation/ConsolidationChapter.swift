import ArgumentParser
import CreditCore

/// `ch3-consolidation` / `credit consolidation`: the consolidation motif of Box 1 (Eqs. 4–9),
/// in which the basal ganglia teach and cortex takes over.
public struct ConsolidationChapter: ChapterCommand {
    public static let configuration = CommandConfiguration(
        commandName: "consolidation",
        abstract: "Chapter 3 — Box 1: the basal ganglia teach by reinforcement (Eq. 7), cortex consolidates (Eqs. 8–9).",
        discussion: """
            Output o = M x + w ∘ y (Eq. 4); the teacher's activity y comes from g = W x for its chosen \
            action only (Eqs. 5–6). W learns from the reward-prediction error r − s (Eq. 7); where teacher \
            and student act together the student weights M grow (Eq. 8) and the teacher weight w shrinks \
            (Eq. 9).
            """)

    public static let chapterName = "consolidation"
    public static let prose = "chapters/03-consolidation.md"

    public static let figures = [
        FigureInfo("fig2-architectures", "schematic: cortex recurrent and excitatory, thalamus without lateral links, basal ganglia inhibitory"),
        FigureInfo("fig3-two-views", "schematic: cortex consolidates a = f(s), or the thalamocortical system a = f_c(s)"),
        FigureInfo("fig4-motif", "schematic: the Box 1 motif with its plastic synapses and Eqs. 7, 8, 9"),
        FigureInfo("consolidation", "performance moves from the teacher to the student: w falls while M grows"),
        FigureInfo("teacher-lesion", "silencing the teacher early drops accuracy to chance; late, it does not"),
        FigureInfo("reversal", "a reversed mapping after consolidation: the motif as written is stuck; with renewal it relearns"),
        FigureInfo("sweep", "trials until the student alone performs, over the student and teacher-weight learning rates"),
    ]

    @OptionGroup public var common: CommonOptions

    @Option(name: .customLong("eta-teacher"), help: "Learning rate η_W of the teacher's RPE rule, Eq. 7 (> 0; default 0.05).")
    var etaTeacher: Double?

    @Option(name: .customLong("eta-student"), help: "Learning rate η_M of the student's Hebbian rule, Eq. 8 (> 0; default 0.01).")
    var etaStudent: Double?

    @Option(name: .customLong("eta-w"), help: "Learning rate η_w of the teacher weight w, Eq. 9 (> 0; default 0.013).")
    var etaW: Double?

    @Option(help: "Stimuli in the stimulus–action mapping (≥ 1; default 4).")
    var stimuli: Int?

    @Option(help: "Actions m, the number of teacher and output units (≥ 2; chance is 1/m; default 4).")
    var actions: Int?

    @Option(help: "Input units n (≥ 1; default 20).")
    var inputs: Int?

    @Option(help: "Training trials (≥ 1; default 3000).")
    var trials: Int?

    @Option(help: "Beyond the review: rate λ of renewal after unrewarded trials in the reversal's second version (> 0; default 0.3).")
    var renewal: Double?

    public init() {}

    /// The experiment's parameters: defaults (or `--quick` ones) overridden by the flags given.
    var parameters: ConsolidationParameters {
        var p = ConsolidationParameters(quick: common.quick)
        p.seed = common.seed
        if let v = common.seeds { p.seeds = v }
        if let v = etaTeacher { p.etaTeacher = v }
        if let v = etaStudent { p.etaStudent = v }
        if let v = etaW { p.etaW = v }
        if let v = stimuli { p.stimuli = v }
        if let v = actions { p.actions = v }
        if let v = inputs { p.inputs = v }
        if let v = trials { p.trials = v }
        if let v = renewal { p.renewal = v }
        return p
    }

    public func validate() throws {
        try checkParameters { try parameters.validate() }
    }

    public func produce(_ output: FigureWriter) throws {
        let p = parameters
        try output.emit("fig2-architectures", figure: ConsolidationSchematics.figure2())
        try output.emit("fig3-two-views", figure: ConsolidationSchematics.figure3())
        try output.emit("fig4-motif", figure: ConsolidationSchematics.figure4())

        output.progress("consolidation: \(p.trials) trials × \(p.seeds) seeds")
        let run = try consolidation(p)
        try output.emit(
            "consolidation", figure: ConsolidationFigures.consolidation(run),
            data: [("", run.csv), ("summary", run.summaryCSV), ("criterion", run.criterionCSV)])

        output.progress("teacher lesions, early and late")
        let lesion = try teacherLesion(p)
        try output.emit("teacher-lesion", figure: ConsolidationFigures.lesion(lesion), data: [("", lesion.csv), ("summary", lesion.summaryCSV)])

        output.progress("reversal, as written and with renewal")
        let rev = try reversal(p)
        try output.emit("reversal", figure: ConsolidationFigures.reversal(rev), data: [("", rev.csv)])

        output.progress("sweep over η_M × η_w: \(p.sweepSize) × \(p.sweepSize) cells × \(p.sweepSeeds) seeds in parallel")
        let grid = try sweep(p)
        output.progress("sweep took \((Double(grid.wallTime.components.seconds) + Double(grid.wallTime.components.attoseconds) * 1e-18).fixed(2)) s")
        try output.emit("sweep", figure: ConsolidationFigures.sweep(grid), data: [("", grid.csv)])
    }
}
