import CreditCore

/// `ch3-consolidation` / `credit consolidation`: the consolidation motif of Box 1 (Eqs. 4–9),
/// in which the basal ganglia teach and cortex takes over.
package enum ConsolidationChapter: Chapter {
    package static let number = 3
    package static let name = "consolidation"
    package static let abstract =
        "Chapter 3 — Box 1: the basal ganglia teach by reinforcement (Eq. 7), cortex consolidates (Eqs. 8–9)."
    package static let discussion = """
        Output o = M x + w ∘ y (Eq. 4); the teacher's activity y comes from g = W x for its chosen \
        action only (Eqs. 5–6). W learns from the reward-prediction error r − s (Eq. 7); along the \
        teacher's choice the student weights M grow (Eq. 8) and the teacher weight w shrinks (Eq. 9).
        """

    package static let figures: [FigureInfo] = [
        .architectures, .twoViews, .motif, .consolidation, .teacherLesion, .handoffAblation, .reversal, .sweep,
    ]

    package static func produce(_ p: ConsolidationParameters, _ output: FigureWriter) throws {
        try output.emit(.architectures)
        try output.emit(.twoViews)
        try output.emit(.motif)

        try output.attempt(.consolidation, progress: "consolidation: \(p.trials) trials × \(p.seeds) seeds") {
            let run = try consolidation(p)
            try output.emit(
                .consolidation, figure: ConsolidationFigures.consolidation(run),
                data: [("", run.csv), ("summary", run.summaryCSV), ("criterion", run.criterionCSV)])
        }

        try output.attempt(.teacherLesion, progress: "teacher lesions, early and late") {
            let lesion = try teacherLesion(p)
            try output.emit(
                .teacherLesion, figure: ConsolidationFigures.lesion(lesion), data: [("", lesion.csv), ("summary", lesion.summaryCSV)])
        }

        try output.attempt(
            .handoffAblation, progress: "hand-off ablation: \(MotifRules.allCases.count) variants of Eqs. 7–9 × \(p.seeds) seeds"
        ) {
            let ablation = try handoffAblation(p)
            output.warn(ablation.divergences)
            try output.emit(.handoffAblation, figure: ConsolidationFigures.handoffAblation(ablation), data: [("", ablation.csv)])
        }

        try output.attempt(.reversal, progress: "reversal, as written and with dopamine-gated unlearning") {
            let rev = try reversal(p)
            output.warn(rev.divergences)
            try output.emit(.reversal, figure: ConsolidationFigures.reversal(rev), data: [("", rev.csv)])
        }

        try output.attempt(
            .sweep, progress: "sweep over η_M × η_w: \(p.sweepSize) × \(p.sweepSize) cells × \(p.sweepSeeds) seeds in parallel"
        ) {
            let grid = try sweep(p)
            output.progress("sweep took \(grid.wallTime.seconds.fixed(2)) s")
            try output.emit(.sweep, figure: ConsolidationFigures.sweep(grid), data: [("", grid.csv)])
        }
    }
}

extension FigureInfo {
    static let architectures = FigureInfo(
        "fig2-architectures",
        "schematic: cortex recurrent and excitatory, thalamus without lateral links, basal ganglia inhibitory",
        schematic: ConsolidationSchematics.figure2)
    static let twoViews = FigureInfo(
        "fig3-two-views",
        "schematic: cortex consolidates a = f(s), or the thalamocortical system a = f_c(s)",
        schematic: ConsolidationSchematics.figure3)
    static let motif = FigureInfo(
        "fig4-motif",
        "schematic: the Box 1 motif with its plastic synapses and Eqs. 7, 8, 9",
        schematic: ConsolidationSchematics.figure4)
    static let consolidation = FigureInfo(
        "consolidation",
        "performance moves from the teacher to the student: w falls while M grows")
    static let teacherLesion = FigureInfo(
        "teacher-lesion",
        "silencing the teacher early drops accuracy to chance; late, it does not")
    static let reversal = FigureInfo(
        "reversal",
        "a reversed mapping after consolidation: the motif as written is stuck; with unlearning it relearns")
    static let handoffAblation = FigureInfo(
        "handoff-ablation",
        "which equation makes the teacher dispensable: Eqs. 7, 8 and 9 altered one at a time")
    static let sweep = FigureInfo(
        "sweep",
        "trials until the student alone performs, over the student and teacher-weight learning rates")
}
