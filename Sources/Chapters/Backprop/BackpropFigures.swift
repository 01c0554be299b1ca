import Cairo
import CreditCore
import Foundation
import Plot

/// Figure layouts of Chapter 1. They only draw the results they are given.
enum BackpropFigures {
    static let width = 520.0

    /// The house colour of each method (the same in every figure).
    static func color(_ method: CreditRuleKind) -> Color {
        switch method {
        case .backprop: Palette.backprop
        case .fa: Palette.feedbackAlignment
        case .dfa: Palette.directFeedbackAlignment
        case .np: Palette.nodePerturbation
        case .wp: Palette.weightPerturbation
        }
    }

    /// The abbreviation of a method in captions.
    static func shortName(_ method: CreditRuleKind) -> String {
        method == .backprop ? "backprop" : method.rawValue.uppercased()
    }

    /// Two significant digits, with a true minus sign in the exponent (0.0061, 2.4e−5).
    static func twoDigits(_ x: Double) -> String {
        var s = String(format: "%.2g", x)
        for k in 0...9 { s = s.replacingOccurrences(of: "e-0\(k)", with: "e−\(k)") }
        return s.replacingOccurrences(of: "e-", with: "e−")
    }

    /// FA's feedback B in words, for captions (nil for the published Gaussian B, which the
    /// captions at the defaults describe).
    static func feedbackDescription(_ p: BackpropParameters) -> String? {
        switch p.feedback {
        case .gaussian: nil
        case .sign: "B made of the signs of a Gaussian draw (entries ±1/√n)"
        case .sparse: "a sparse B (\((100 * p.feedbackSparsity).compact)% of its entries zero, drawn once)"
        case .initialTranspose: "B = W₂ᵀ of the initial network, kept fixed while W₂ learns"
        case .transpose: "B = W₂ᵀ copied after every update (weight transport, so FA is backprop)"
        }
    }

    /// " FA's feedback: …." after a caption, when B is not the Gaussian one.
    static func feedbackNote(_ p: BackpropParameters) -> String {
        feedbackDescription(p).map { " FA's feedback: \($0)." } ?? ""
    }

    /// Perturbation methods are dashed so the two families read apart in grey print too.
    static func dash(_ method: CreditRuleKind) -> [Double] { method.isPerturbation ? [4, 2] : [] }
    /// Weight perturbation's points are squares, the others' circles: NP and WP (orange and
    /// vermillion, both dashed) then differ by shape too, which a deuteranope needs.
    static func shape(_ method: CreditRuleKind) -> MarkerShape { method == .wp ? .square : .circle }

    // MARK: step-sizes

    static func stepSizes(_ r: StepSizeSweepResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 240, rows: 1, columns: 2, columnWeights: [1, 1.5])
        // The same decades on both panels, so the two tasks read against each other: 10⁻³ to 10,
        // widened to whole decades when a final loss falls outside (a ReLU network can fit closer).
        let losses = r.curves.flatMap { c in c.factors.indices.filter { c.diverged[$0] == 0 }.map { c.finalLoss[$0].mean } }
            .filter { $0.isFinite && $0 > 0 }
        let yRange =
            min(1e-3, pow(10, log10(losses.min() ?? 1).rounded(.down)))...max(10, pow(10, log10(losses.max() ?? 1).rounded(.up)))
        let panels = BackpropTask.allCases.enumerated().map { i, task -> Panel in
            var axes = Axes(
                xLabel: "step size η", yLabel: "final test loss", title: task.title, xRange: 1e-6...1, yRange: yRange,
                xScale: .log, yScale: .log, legend: task == .nonlinear ? .outsideRight : .hidden)
            // Every second decade labelled, the others as minor ticks: the narrow panels fit the labels alike.
            axes.xTicks = NiceTicks.decades(from: -6, through: 0, labelEvery: 2)
            var chosen: (x: Double, y: Double)?
            for method in p.methods.kinds {
                guard let c = r.curve(task, method) else { continue }
                // A factor at which a seed diverged has no point: the line breaks there.
                let y = c.factors.indices.map { c.diverged[$0] == 0 ? c.finalLoss[$0].mean : .nan }
                axes.line(
                    x: c.rates, y: y, color: color(method), dash: dash(method), marker: Marker(shape(method), filled: false),
                    label: method.title)
                axes.scatter(x: [c.bestRate], y: [c.finalLoss[c.best].mean], color: color(method), marker: Marker(shape(method)))
                if chosen == nil { chosen = (c.bestRate, c.finalLoss[c.best].mean) }
            }
            // One legend entry for the filled marker (drawn again over the first method's own chosen point).
            if task == .nonlinear, let chosen {
                axes.scatter(
                    x: [chosen.x], y: [chosen.y], color: color(p.methods.kinds[0]), marker: .circle,
                    label: "chosen η (lowest loss)")
            }
            return Panel(String(UnicodeScalar(UInt8(65 + i))), frame: frames[i], content: axes)
        }
        let factors = p.stepSizeFactors.map(\.compact).joined(separator: ", ")
        return Figure(
            width: width, height: 240, panels: panels,
            caption: """
                Each method's step size, chosen before the comparison. Final test loss after \(p.steps) samples \
                against η, where η is each method's base rate (η = \(p.learningRate.compact) for backprop, FA and \
                DFA; η_p/(N + 2) with η_p = \(p.perturbationLearningRate.compact) for the perturbation rules) times \
                \(factors). Filled: the step size the learning curves use (lowest loss); a missing point means a \
                seed diverged. Mean over \(r.seedValues.count) seeds held out from the learning curves. A, linear \
                teacher; B, smooth XOR.\(feedbackNote(p))
                """)
    }

    // MARK: learning-curves

    static func learningCurves(_ r: LearningCurvesResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 240, rows: 1, columns: 2)
        // Each curve is named at its end (short names, spelled out in the caption): no legend column.
        let panels = BackpropTask.allCases.enumerated().map { i, task -> Panel in
            var axes = Axes(
                xLabel: "training samples", yLabel: "test loss ½‖y − t‖²", title: task.title,
                xRange: 0...Double(p.steps), yScale: .log, legend: .lineEnds)
            for method in p.methods.kinds {
                guard let s = r.series(task, method) else { continue }
                axes.band(
                    s.statistics, color: color(method), dash: dash(method), label: shortName(method),
                    divergence: s.divergence, note: false)
            }
            let reference = r.linearReference(task).loss.mean
            axes.horizontalLine(at: reference, label: "best linear fit", labelInside: true)
            if task == .linear, p.feedback == .gaussian, p.methods.kinds.contains(.fa), p.methods.kinds.contains(.dfa) {
                // With one hidden layer DFA's B_1 e_L is FA's B_2 e_2: the same rule, at different step sizes here.
                axes.text(
                    "FA = DFA with one hidden layer", x: 0.5 * Double(p.steps), y: reference / 1.25, vertical: .top,
                    color: Style.mutedText)
            }
            return Panel(String(UnicodeScalar(UInt8(65 + i))), frame: frames[i], content: axes)
        }
        let linear = BackpropTask.linear
        // Seeds that diverged cut the curve short, and seeds that end far above the method's median
        // pull its mean up: say so, with numbers.
        var outliers = ""
        for (i, task) in BackpropTask.allCases.enumerated() {
            let panel = String(UnicodeScalar(UInt8(65 + i)))
            for method in p.methods.kinds {
                guard let s = r.series(task, method) else { continue }
                let diverged = s.seedDivergences.compactMap { $0 }
                if !diverged.isEmpty {
                    let at = diverged.map { String($0.step) }.sorted { Int($0)! < Int($1)! }.joined(separator: ", ")
                    outliers += """
                         In \(panel), \(diverged.count) of \(s.seeds.count) \(shortName(method)) seeds diverged (at \
                        \(diverged.count == 1 ? "sample" : "samples") \(at)); the curve stops at the last checkpoint every seed reached.
                        """
                }
                let finals = zip(s.seeds, s.seedDivergences).filter { $0.1 == nil }.map { $0.0.curves[0].y.last! }.sorted()
                guard finals.count > 1 else { continue }
                let median = finals[finals.count / 2]
                let high = finals.filter { $0 > 10 * median }, rest = finals.filter { $0 <= 10 * median }
                guard !high.isEmpty, let restMax = rest.last else { continue }
                let others = diverged.isEmpty ? "" : " that ran to the end"
                outliers += """
                     In \(panel), \(high.count) of \(finals.count) \(shortName(method)) seeds\(others) \
                    \(high.count == 1 ? "ends" : "end") at \(high.map(twoDigits).joined(separator: ", ")), the others at most \(twoDigits(restMax)); the \
                    mean shows \(high.count == 1 ? "that seed" : "those seeds").
                    """
            }
        }
        // With one hidden layer DFA is FA with a Gaussian B, drawn from DFA's own stream; another
        // kind of B makes FA a different rule.
        let sameStep = r.rate(.linear, .fa) == r.rate(.linear, .dfa)
        let dfaRemark =
            p.feedback != .gaussian
            ? " with a Gaussian B"
            : ": its curve differs only by the draw of B\(sameStep ? "" : " and the step size the sweep chose")"
        func rates(_ task: BackpropTask) -> String {
            p.methods.kinds.map { "\(shortName($0)) \(twoDigits(r.rate(task, $0)))" }.joined(separator: ", ")
        }
        return Figure(
            width: width, height: 240, panels: panels,
            caption: """
                Learning curves at the same sample budget (\(p.steps) samples, one update each). A, a linear \
                teacher (30 inputs, \(p.hidden) hidden, 10 outputs, t = T x + noise); B, a smooth XOR \
                (t = tanh 2x₁ · tanh 2x₂), which no linear map solves (dashed line: the best linear fit). \
                Backprop; FA, feedback alignment; DFA, direct feedback alignment (with the one hidden layer of A \
                the same rule as FA\(dfaRemark)); NP and WP, node and \
                weight perturbation (dashed), which see only the change of a scalar loss. Each method at its \
                best step size from the sweep (η for A: \(rates(.linear)); for B: \(rates(.nonlinear))). The best \
                linear fit is fitted by least squares on \(linearReferenceSamples) noisy samples.\(outliers) Mean ± SEM over \
                \(r.seedValues.count) seeds; σ = \(p.sigma.compact), f = \(p.nonlinearity) (the \(linear.rawValue) \
                student is linear).\(feedbackNote(p))
                """)
    }

    // MARK: alignment

    static func alignment(_ r: AlignmentResult) -> Figure {
        let frames = Figure.grid(width: width, height: 220, rows: 1, columns: 2)
        func panel(_ s: SeedStatistics, yLabel: String, title: String) -> Axes {
            // Log x: the fall from ≈ 90° happens within the first few hundred of the samples.
            var axes = Axes(
                xLabel: "training samples (log scale)", yLabel: yLabel, title: title, xRange: 1...Double(r.parameters.steps),
                yRange: 0...100, xScale: .log, legend: .hidden)
            axes.yTicks = NiceTicks.at([0, 30, 60, 90], range: 0...100) { NiceTicks.label(for: $0, step: 30) }
            axes.horizontalLine(at: 90, label: "90°")
            axes.horizontalLine(at: 45, label: "45°")
            axes.band(x: s.x, mean: s.mean, sem: s.sem, color: Palette.feedbackAlignment)
            return axes
        }
        let finals = r.finalUpdateAngles
        let early = logDenseCheckpoints(steps: r.parameters.steps, count: r.parameters.checkpoints).filter { $0 > 0 }.prefix(5)
            .map(String.init).joined(separator: ", ")
        let range = "range \(finals.min()!.fixed(1))–\(finals.max()!.fixed(1))° across seeds"
        func mean(_ angles: [Double]) -> String { "\(MeanSEM(angles).mean.fixed(1))°" }
        // The published Gaussian B gets the chapter's story; any other B, what the run measured.
        let story =
            feedbackDescription(r.parameters).map { b in
                """
                Feedback alignment with \(b). A, the angle between the hidden-layer update that feedback alignment \
                makes and the one backprop would make from the same sample: \(mean(r.initialUpdateAngles)) at the \
                start, \(mean(finals)) at the end (\(range)). B, the angle between the forward weights W₂ and Bᵀ: \
                \(mean(r.initialWeightAngles)) at the start, \(mean(r.finalWeightAngles)) at the end.
                """
            } ?? """
                Feedback alignment learns to be useful. A, the angle between the hidden-layer update that \
                feedback alignment makes and the one backprop would make from the same sample: it starts near 90° \
                (the random B carries no information about W₂) and falls to \(mean(finals)) (\(range)). B, the \
                reason: the forward weights W₂ turn toward Bᵀ, so that B e comes to point along W₂ᵀ e.
                """
        return Figure(
            width: width, height: 220,
            panels: [
                Panel(
                    "A", frame: frames[0], content: panel(r.updateStatistics, yLabel: "angle (degrees)", title: "ΔW_{1}: FA vs backprop")),
                Panel("B", frame: frames[1], content: panel(r.weightStatistics, yLabel: "angle (degrees)", title: "W_{2} vs B^{T}")),
            ],
            caption: """
                \(story) Linear task, FA at \
                η = \(r.parameters.learningRate.compact); samples on a log axis (measured at \(early), … samples, \
                then every \(r.parameters.steps / max(1, r.parameters.checkpoints))); mean ± SEM over \(r.seedValues.count) seeds.
                """)
    }

    // MARK: perturbation-scaling

    static func perturbationScaling(_ r: PerturbationScalingResult, bias: PerturbationBiasResult) -> Figure {
        let frames = Figure.grid(width: width, height: 230, rows: 1, columns: 2)
        let weights = r.points.map { Double($0.weights) }
        // The x axis spans the networks run, with a little room on either side for the markers.
        let xFit = (weights.min() ?? 10) / 1.35...(weights.max() ?? 100) * 1.35
        var a = Axes(
            xLabel: "weights in the network", yLabel: "cosine with the true gradient", title: "one estimate",
            xRange: xFit, xScale: .log, yScale: .log, legend: .auto)
        a.line(x: weights, y: weights.map { _ in 1 }, color: Palette.backprop, marker: .circle, label: "backprop (exact)")
        // Theory: the mean |cosine| between a random direction in N dimensions and a fixed one is
        // ≈ √(2/(πN)); N = the quantities perturbed (2H units for node, all weights and biases for weight perturbation).
        for n in [r.points.map { Double(2 * $0.hidden) }, r.points.map { Double($0.parameters) }] {
            a.line(x: weights, y: n.map { (2 / (Double.pi * $0)).squareRoot() }, color: Style.mutedText, width: 0.8, dash: [1, 1.5])
        }
        let slopes: [CreditRuleKind: Double] = [.np: r.nodePerturbationSlope, .wp: r.weightPerturbationSlope]
        for (method, pick) in [(CreditRuleKind.np, { (p: ScalingPoint) in p.nodePerturbation }), (.wp, { $0.weightPerturbation })] {
            let stats = r.points.map(pick)
            a.band(
                x: weights, mean: stats.map(\.mean), sem: stats.map(\.sem), color: color(method), dash: dash(method), label: method.title)
            a.scatter(x: weights, y: stats.map(\.mean), color: color(method), marker: method == .np ? .circle : .square)
            // The fitted log–log slope, written by the middle of its line; none where a mean cosine ≤ 0
            // leaves it undefined (a very large σ). Node's sits above its segment to the right; weight
            // perturbation's ends below-left of the middle point, where a falling line cannot run
            // through it however steep its next segment is.
            guard slopes[method]!.isFinite else { continue }
            let label = "slope \(slopes[method]!.fixed(2))"
            let mid = stats.count / 2
            if method == .np {
                let midX = (weights[mid] * weights[min(mid + 1, weights.count - 1)]).squareRoot()
                let midY = (stats[mid].mean * stats[min(mid + 1, stats.count - 1)].mean).squareRoot()
                a.text(label, x: midX, y: midY * 1.45, vertical: .bottom, color: color(method))
            } else {
                a.text(label, x: weights[mid] / 1.1, y: stats[mid].mean / 1.45, align: .right, vertical: .top, color: color(method))
            }
        }
        if let first = weights.min() {
            a.text("dotted: √(2/(πN))", x: first, y: 0.0016, align: .left, color: Style.mutedText)
        }
        // A slope on log axes needs every mean cosine > 0; a very large σ can leave one ≤ 0.
        let (node, weight) = (r.nodePerturbationSlope, r.weightPerturbationSlope)
        let slopeText =
            switch (node.isFinite, weight.isFinite) {
            case (true, true):
                "log–log slope \(node.fixed(2)) for node, \(weight.fixed(2)) for weight perturbation; written on the plot"
            case (false, false): "no log–log slope: some mean cosines are ≤ 0"
            case (true, false):
                "log–log slope \(node.fixed(2)) for node perturbation, written on the plot; none for weight perturbation, "
                    + "some of whose mean cosines are ≤ 0"
            case (false, true):
                "log–log slope \(weight.fixed(2)) for weight perturbation, written on the plot; none for node perturbation, "
                    + "some of whose mean cosines are ≤ 0"
            }
        let finalNode = bias.finalNodeCosine.mean.fixed(3), finalWeight = bias.finalWeightCosine.mean.fixed(3)
        // Unbiased estimates average toward the gradient; too few of them, or a σ too large for a
        // derivative, stop them short. The claim is node perturbation's (the one B tests); weight
        // perturbation's average is only reported, since at a large σ it is biased first.
        let average =
            bias.finalNodeCosine.mean >= 0.95
            ? """
            B, node perturbation's estimates are unbiased: their average turns \
            toward the gradient (reaching \(finalNode) after \(bias.estimates.last!) estimates), but it takes \
            many trials to get there; weight perturbation's average, over every weight, reaches \(finalWeight).
            """
            : """
            B, their average turns toward the gradient, but node perturbation reaches only \(finalNode) after \
            \(bias.estimates.last!) estimates, short of the 0.95 line: too few estimates for this network, or, \
            at a large σ, biased ones (the loss change is then no longer linear in the noise).
            """
        var b = Axes(
            xLabel: "estimates averaged", yLabel: "cosine with the true gradient", title: "average of K estimates",
            yRange: 0...1.05, xScale: .log, legend: .bottomRight)
        b.horizontalLine(at: 0.95, label: "0.95")
        b.band(
            x: bias.nodeStatistics.x, mean: bias.nodeStatistics.mean, sem: bias.nodeStatistics.sem,
            color: color(.np), dash: dash(.np), label: CreditRuleKind.np.title)
        b.band(
            x: bias.weightStatistics.x, mean: bias.weightStatistics.mean, sem: bias.weightStatistics.sem,
            color: color(.wp), dash: dash(.wp), label: CreditRuleKind.wp.title)
        // The same markers as in A, so the two dashed curves also differ by shape (deuteranopia).
        b.scatter(x: bias.nodeStatistics.x, y: bias.nodeStatistics.mean, color: color(.np), marker: .circle)
        b.scatter(x: bias.weightStatistics.x, y: bias.weightStatistics.mean, color: color(.wp), marker: .square)
        return Figure(
            width: width, height: 230,
            panels: [Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b)],
            caption: """
                Why a global reward signal is not enough. A, the cosine between one perturbation estimate of the \
                gradient and the true gradient, for H–H–H networks (every layer grows) with H = \
                \(r.points.map { String($0.hidden) }.joined(separator: ", ")): it falls as the network grows \
                (\(slopeText)). Dotted: √(2/(πN)), the mean |cosine| of a random \
                direction in N dimensions with a fixed one, for N = 2H perturbed units (node) or all weights and biases \
                (weight perturbation). Backprop is exact. \(average) Mean ± SEM over \
                \(r.seedValues.count) seeds; σ = \(r.parameters.sigma.compact), f = \(r.parameters.nonlinearity).
                """)
    }
}
