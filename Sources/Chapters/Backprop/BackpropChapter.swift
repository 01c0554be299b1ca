import ArgumentParser
import CreditCore

/// `ch1-backprop` / `credit backprop`: structural credit assignment, backpropagation (Eq. 1),
/// weight transport and its biologically motivated alternatives.
public struct BackpropChapter: ChapterCommand {
    public static let configuration = CommandConfiguration(
        commandName: "backprop",
        abstract: "Chapter 1 — structural credit: backpropagation (Eq. 1), weight transport and its alternatives.",
        discussion: """
            Backprop sends the output error back through the forward weights, e_i = (W_i+1ᵀ e_i+1) ∘ f′(a_i), \
            and updates ΔW_i = −η e_i h_i−1ᵀ (Eq. 1). Feedback alignment replaces W_i+1ᵀ by a fixed random B; \
            direct feedback alignment sends the output error straight to every layer; node and weight \
            perturbation estimate the gradient from a scalar change of the loss alone.
            """)

    public static let chapterName = "backprop"
    public static let prose = "chapters/01-backprop.md"

    public static let figures = [
        FigureInfo("fig1-credit-types", "schematic: structural, contextual and temporal credit assignment (the review's Figure 1)"),
        FigureInfo("weight-transport", "schematic: backprop's feedback reuses W₂ᵀ; feedback alignment uses a fixed random B"),
        FigureInfo("learning-curves", "test loss over training for backprop, FA, DFA, node and weight perturbation on two tasks"),
        FigureInfo("alignment", "under feedback alignment the hidden update turns from ~90° to below 45° of backprop's"),
        FigureInfo("perturbation-scaling", "perturbation estimates lose the gradient's direction as the network grows"),
    ]

    @OptionGroup public var common: CommonOptions

    @Option(name: .customLong("learning-rate"), help: "Learning rate η of backprop, FA and DFA: W ← W − η ∂E/∂W (> 0; default 0.01).")
    var learningRate: Double?

    @Option(name: .customLong("eta-perturbation"), help: "Base learning rate η_p of node and weight perturbation, divided by (N + 2) for N perturbed quantities (> 0; default 0.02).")
    var etaPerturbation: Double?

    @Option(help: "Hidden units per hidden layer (≥ 1; default 20).")
    var hidden: Int?

    @Option(help: "Training samples per run, one update each, the same for every method (default 20000; 4000 with --quick).")
    var steps: Int?

    @Option(help: "Perturbation noise sd σ of node and weight perturbation (> 0; default 0.001).")
    var sigma: Double?

    @Option(help: "Hidden nonlinearity f: identity, sigmoid, tanh, relu or softplus (default tanh).")
    var nonlinearity: String?

    @Option(help: "Methods of the learning curves, comma-separated: backprop, fa, dfa, np, wp (default all).")
    var methods: String?

    public init() {}

    /// The experiment's parameters: defaults (or `--quick` ones) overridden by the flags given.
    var parameters: BackpropParameters {
        var p = BackpropParameters(quick: common.quick)
        p.seed = common.seed
        if let v = common.seeds { p.seeds = v }
        if let v = learningRate { p.learningRate = v }
        if let v = etaPerturbation { p.perturbationLearningRate = v }
        if let v = hidden { p.hidden = v }
        if let v = steps { p.steps = v }
        if let v = sigma { p.sigma = v }
        if let v = nonlinearity { p.nonlinearity = v }
        if let v = methods { p.methods = v }
        return p
    }

    public func validate() throws {
        try checkParameters { try parameters.validate() }
    }

    public func produce(_ output: FigureWriter) throws {
        let p = parameters
        try output.emit("fig1-credit-types", figure: BackpropSchematics.creditTypes())
        try output.emit("weight-transport", figure: BackpropSchematics.weightTransport())

        output.progress("learning curves: 2 tasks × \(p.methodKinds.count) methods × \(p.seeds) seeds × \(p.steps) samples")
        let curves = try learningCurves(p)
        try output.emit(
            "learning-curves", figure: BackpropFigures.learningCurves(curves),
            data: [("", curves.csv), ("summary", curves.summaryCSV), ("linear-reference", curves.referenceCSV)])

        output.progress("alignment: feedback alignment on the linear task, \(p.seeds) seeds")
        let angles = try alignment(p)
        output.progress("perturbation scaling: hidden sizes \(p.scalingHidden.map(String.init).joined(separator: ", "))")
        let scaling = try perturbationScaling(p)
        let bias = try nodePerturbationBias(p)
        try output.emit("alignment", figure: BackpropFigures.alignment(angles), data: [("", angles.csv), ("summary", angles.summaryCSV)])
        try output.emit(
            "perturbation-scaling", figure: BackpropFigures.perturbationScaling(scaling, bias: bias),
            data: [("", scaling.csv), ("bias", bias.csv)])
    }
}
