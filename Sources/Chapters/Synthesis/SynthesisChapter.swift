/// `credit synthesis`: the closing chapter (chapters/06-synthesis.md). It runs no model: its
/// one figure sums up, as a schematic, what Chapters 1–5 built and measured, and cites their
/// figures from their own declarations.
///
/// It is a ``Chapter`` so that its command, output folder, figure writer and caption sync are
/// the chapters' own; it is not in ``allChapters`` (see ``bookChapters``) because it has no
/// executable, no model parameters and no experiments.
package enum SynthesisChapter: Chapter {
    package static let number = 6
    package static let name = "synthesis"
    /// It has no executable of its own: the umbrella command runs it.
    package static let executable = "credit synthesis"
    package static let abstract =
        "Chapter 6 — synthesis: the basal ganglia teach, the thalamus controls, cortex stores, for all three credit problems."
    package static let discussion = """
        No model of its own: one summary figure of Chapters 1–5, the three credit problems as columns, \
        each with the circuit the chapters built for it (which area teaches, which controls, which \
        stores) and the chapters' figures that show it. The figure is a schematic, so --quick and \
        --data change nothing in it.
        """

    package static let figures: [FigureInfo] = [.divisionOfLabour]

    package static func produce(_: SynthesisParameters, _ output: FigureWriter) throws {
        try output.emit(.divisionOfLabour)
    }
}

/// The synthesis has no model parameters: its one figure is a schematic.
package struct SynthesisParameters: ChapterParameters {
    package init(quick: Bool) {}
    package static let declared: [ModelParameter<SynthesisParameters>] = []
}

extension FigureInfo {
    static let divisionOfLabour = FigureInfo(
        "division-of-labour",
        "schematic: the three credit problems, the circuit each chapter built for it (who teaches, controls, stores) and the figures that show it",
        schematic: SynthesisSchematics.divisionOfLabour)
}
