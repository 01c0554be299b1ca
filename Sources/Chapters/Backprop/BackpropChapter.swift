import CreditCore

/// `ch1-backprop` / `credit backprop`: structural credit assignment, backpropagation (Eq. 1),
/// weight transport and its biologically motivated alternatives.
package enum BackpropChapter: Chapter {
    package static let number = 1
    package static let name = "backprop"
    package static let abstract =
        "Chapter 1 — structural credit: backpropagation (Eq. 1), weight transport and its alternatives."
    package static let discussion = """
        Backprop sends the output error back through the forward weights, e_i = (W_i+1ᵀ e_i+1) ∘ f′(a_i), \
        and updates ΔW_i = −η e_i h_i−1ᵀ (Eq. 1). Feedback alignment replaces W_i+1ᵀ by a fixed random B; \
        direct feedback alignment sends the output error straight to every layer; node and weight \
        perturbation estimate the gradient from a scalar change of the loss alone.
        """

    package static let figures: [FigureInfo] = [
        .creditTypes, .weightTransport, .stepSizes, .learningCurves, .alignment, .perturbationScaling,
    ]

    package static func produce(_ p: BackpropParameters, _ output: FigureWriter) throws {
        try output.emit(.creditTypes)
        try output.emit(.weightTransport)

        try output.attempt(
            .stepSizes, .learningCurves,
            progress:
                "step-size sweep: 2 tasks × \(p.methods.kinds.count) methods × \(p.stepSizeFactors.count) factors × \(p.sweepSeeds) seeds"
        ) {
            let sweep = try stepSizeSweep(p)
            try output.emit(.stepSizes, figure: BackpropFigures.stepSizes(sweep), data: [("", sweep.csv)])
            guard output.wants(.learningCurves) else { return }
            output.progress(
                "learning curves: 2 tasks × \(p.methods.kinds.count) methods × \(p.seeds) seeds × \(p.steps) samples")
            let curves = try learningCurves(p, stepFactors: sweep.chosen)
            output.warn(curves.divergences)
            try output.emit(
                .learningCurves, figure: BackpropFigures.learningCurves(curves),
                data: [("", curves.csv), ("summary", curves.summaryCSV), ("linear-reference", curves.referenceCSV)])
        }

        try output.attempt(.alignment, progress: "alignment: feedback alignment on the linear task, \(p.seeds) seeds") {
            let angles = try alignment(p)
            try output.emit(
                .alignment, figure: BackpropFigures.alignment(angles),
                data: [("", angles.csv), ("summary", angles.summaryCSV)])
        }
        try output.attempt(
            .perturbationScaling, progress: "perturbation scaling: hidden sizes \(p.scalingHidden.map(String.init).joined(separator: ", "))"
        ) {
            let scaling = try perturbationScaling(p)
            let bias = try nodePerturbationBias(p)
            try output.emit(
                .perturbationScaling, figure: BackpropFigures.perturbationScaling(scaling, bias: bias),
                data: [("", scaling.csv), ("bias", bias.csv)])
        }
    }
}

extension FigureInfo {
    static let creditTypes = FigureInfo(
        "fig1-credit-types",
        "schematic: structural, contextual and temporal credit assignment (the review's Figure 1)",
        schematic: BackpropSchematics.creditTypes)
    static let weightTransport = FigureInfo(
        "weight-transport",
        "schematic: backprop's feedback reuses W₂ᵀ; feedback alignment uses a fixed random B",
        schematic: BackpropSchematics.weightTransport)
    static let stepSizes = FigureInfo(
        "step-sizes",
        "final test loss against step size for every method; the curves use each method's best")
    static let learningCurves = FigureInfo(
        "learning-curves",
        "test loss over training for backprop, FA, DFA, node and weight perturbation on two tasks")
    static let alignment = FigureInfo(
        "alignment",
        "under feedback alignment the hidden update turns from ~90° to below 45° of backprop's")
    static let perturbationScaling = FigureInfo(
        "perturbation-scaling",
        "perturbation estimates lose the gradient's direction as the network grows")
}
