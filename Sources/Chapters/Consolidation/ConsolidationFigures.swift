import Cairo
import CreditCore
import Foundation
import Plot

/// Figure layouts of Chapter 3. They only draw the results they are given.
enum ConsolidationFigures {
    static let width = 520.0

    /// Full circuit in black, the student (cortex) and the teacher (basal ganglia) in their colours.
    static let fullColor = Palette.black
    static let studentColor = Palette.cortex
    static let teacherColor = Palette.basalGanglia

    private static func parameterLine(_ p: ConsolidationParameters) -> String {
        "\(p.stimuli) stimuli, \(p.actions) actions, \(p.inputs) inputs; η_{W} = \(p.etaTeacher.compact), "
            + "η_{M} = \(p.etaStudent.compact), η_{w} = \(p.etaW.compact); softmax inverse temperatures "
            + "β_{t} = \(p.betaTeacher.compact), β_{s} = \(p.betaOutput.compact)"
    }

    private static func band(
        _ axes: inout Axes, _ s: SeedStatistics, _ color: Color, dash: [Double] = [], label: String?,
        divergence: DivergenceError? = nil
    ) {
        axes.band(s, color: color, dash: dash, label: label, divergence: divergence)
    }

    // MARK: consolidation

    static func consolidation(_ r: ConsolidationResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 210, rows: 1, columns: 3)
        var a = Axes(xLabel: "trial", yLabel: "accuracy", yRange: 0...1.05, legend: .bottomRight)
        a.horizontalLine(at: r.chance)  // unlabelled: the legend sits on its right end; the caption names it
        band(&a, r.statistics(ConsolidationCurve.full), fullColor, label: "full circuit")
        band(&a, r.statistics(ConsolidationCurve.student), studentColor, label: "student alone")
        band(&a, r.statistics(ConsolidationCurve.teacher), teacherColor, dash: [4, 2], label: "teacher's choice")
        var b = Axes(xLabel: "trial", yLabel: "teacher weight w (mean)", yRange: 0...1.05, legend: .hidden)
        band(&b, r.statistics(ConsolidationCurve.wMean), teacherColor, label: nil)
        var c = Axes(xLabel: "trial", yLabel: "student weights ‖M‖", legend: .hidden)
        band(&c, r.statistics(ConsolidationCurve.mNorm), studentColor, label: nil)
        func median(_ v: [Int?]) -> String {
            let d = v.compactMap { $0 }.sorted()
            return d.isEmpty ? "never" : String(d[d.count / 2])
        }
        return Figure(
            width: width, height: 210,
            panels: [
                Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b),
                Panel("C", frame: frames[2], content: c),
            ],
            caption: """
                The basal ganglia teach, cortex takes over (Box 1). A, accuracy of the full circuit (performed \
                action, blocks of \(p.block) trials) and of the student alone (teacher silenced at test), chance \
                \(r.chance.fixed(2)) dashed grey; the full \
                circuit reaches \(p.criterion.compact) after \(median(r.fullCriterion)) trials, the student alone \
                after \(median(r.studentCriterion)) (medians over seeds). The teacher's own choice (dashed) peaks at \
                \(r.statistics(ConsolidationCurve.teacher).mean.max()!.fixed(3)) and then declines to \
                \(r.final(ConsolidationCurve.teacher).mean.fixed(2)): its weights keep growing after consolidation \
                (see handoff-ablation). B, the teacher weight w falls (Eq. 9) \
                while C, the student weights grow (Eq. 8): performance is carried first by the teacher, then by \
                the student. Mean ± SEM over \(r.seedValues.count) seeds; \(parameterLine(p)).
                """)
    }

    // MARK: teacher-lesion

    static func lesion(_ r: LesionResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 210, rows: 1, columns: 1, margin: (18, 130, 8, 130))
        let categories = r.lesionTrials.map { "lesion at trial \($0)" }
        let intact = r.lesionTrials.indices.map { r.intactAccuracy($0) }
        let lesioned = r.lesionTrials.indices.map { r.lesionedAccuracy($0) }
        var a = Axes(yLabel: "accuracy after the lesion point", yRange: 0...1.05, legend: .outsideRight)
        a.bars(
            categories: categories, values: [intact.map(\.mean), lesioned.map(\.mean)],
            errors: [intact.map(\.sem), lesioned.map(\.sem)], colors: [fullColor.lightened(0.4), teacherColor],
            labels: ["intact", "teacher silenced"])
        a.horizontalLine(at: r.chance, label: "chance")
        return Figure(
            width: width, height: 210,
            panels: [Panel(nil, frame: frames[0], content: a)],
            caption: """
                Silencing the teacher (y = 0, as by inactivating the basal ganglia) early and late in learning. \
                Early, while the teacher still carries the behaviour, accuracy falls to \
                \(lesioned[0].mean.fixed(2)) (chance \(r.chance.fixed(2))); late, after consolidation, it stays at \
                \(lesioned[lesioned.count - 1].mean.fixed(2)), as intact (\(intact[intact.count - 1].mean.fixed(2))); \
                compare LMAN inactivation in songbirds (Andalman & Fee 2009). Accuracy over \
                \(p.lesionTestTrials) trials after each lesion point, mean ± SEM over \(r.seedValues.count) seeds.
                """)
    }

    // MARK: reversal

    static func reversal(_ r: ReversalResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 220, rows: 1, columns: 3, columnWeights: [1, 1, 1.7])
        let written = r.series(.asWritten)
        let renewed = r.series(.unlearning)
        let writtenColor = Palette.grey
        let renewedColor = Palette.reddishPurple
        var a = Axes(xLabel: "trials after the reversal", yLabel: "accuracy", yRange: 0...1.05, legend: .hidden)
        a.horizontalLine(at: r.chance, label: "chance")
        band(
            &a, written.statistics(ConsolidationCurve.full), writtenColor, label: "new mapping, as written", divergence: written.divergence)
        band(
            &a, written.statistics(reversalOldCurve), writtenColor, dash: [4, 2], label: "old mapping, as written",
            divergence: written.divergence)
        band(
            &a, renewed.statistics(ConsolidationCurve.full), renewedColor, label: "new mapping, with unlearning",
            divergence: renewed.divergence)
        band(
            &a, renewed.statistics(reversalOldCurve), renewedColor, dash: [4, 2], label: "old mapping, with unlearning",
            divergence: renewed.divergence)
        var b = Axes(xLabel: "trials after the reversal", yLabel: "teacher weight w (mean)", yRange: 0...1.05, legend: .hidden)
        band(&b, written.statistics(ConsolidationCurve.wMean), writtenColor, label: "as written", divergence: written.divergence)
        band(&b, renewed.statistics(ConsolidationCurve.wMean), renewedColor, label: "with unlearning", divergence: renewed.divergence)
        var c = Axes(xLabel: "trials after the reversal", yLabel: "student weights ‖M‖", legend: .outsideRight)
        band(&c, written.statistics(ConsolidationCurve.mNorm), writtenColor, label: "as written (Eqs. 4–9)", divergence: written.divergence)
        band(
            &c, renewed.statistics(ConsolidationCurve.mNorm), renewedColor, label: "with unlearning (added)", divergence: renewed.divergence
        )
        let recovered = renewed.recoveryTrial.compactMap { $0 }.sorted()
        let recoveryText =
            recovered.isEmpty
            ? "does not reach the criterion either"
            : "reaches \(p.criterion.compact) on the new mapping after \(recovered[recovered.count / 2]) trials (median)"
        return Figure(
            width: width, height: 220,
            panels: [
                Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b),
                Panel("C", frame: frames[2], content: c),
            ],
            caption: """
                Reversing the mapping after consolidation. A, accuracy on the new mapping (solid) and how often \
                the old one is still performed (dashed). Grey, Eqs. 4–9 as written: the consolidated habit keeps \
                the choice, the teacher only learns about actions that are performed (Eq. 7) and w has shrunk, so \
                the new mapping is not learned (\(written.final(ConsolidationCurve.full).mean.fixed(2)) after \
                \(p.reversalLength) trials). Purple, with dopamine-gated unlearning, which goes beyond the review \
                (λ = \(p.unlearning.compact), switched on at the reversal): after each unrewarded trial w relaxes \
                toward its baseline (B) and the student row that produced the error is depressed (C), so the \
                circuit explores again and \(recoveryText). Both arms continue from the same consolidated circuit \
                (trial 0: w = \(written.beforeW.mean.fixed(3)), ‖M‖ = \(written.beforeMNorm.mean.fixed(2)), mean \
                over seeds). Mean ± SEM over \(r.seedValues.count) seeds.
                """)
    }

    // MARK: handoff-ablation

    static func handoffColor(_ rules: MotifRules) -> Color {
        switch rules {
        case .asWritten: Palette.black
        case .gainFixed: Palette.blue
        case .gainGrows: Palette.skyBlue
        case .additiveStudent: Palette.orange
        case .teacherOwnError: Palette.vermillion
        }
    }

    static func handoffLabel(_ rules: MotifRules) -> String {
        switch rules {
        case .asWritten: "as written"
        case .gainFixed: "Eq. 9 off"
        case .gainGrows: "Eq. 9 flipped"
        case .additiveStudent: "Eq. 8 additive"
        case .teacherOwnError: "Eq. 7 own output"
        }
    }

    static func handoffAblation(_ r: HandoffAblationResult) -> Figure {
        let p = r.parameters
        let height = 400.0
        let frames = Figure.grid(width: width, height: height, rows: 2, columns: 3, margin: (18, 14, 8, 10))
        let bottom = Rect(
            x: frames[3].x, y: frames[3].y, width: frames[5].x + frames[5].width - frames[3].x, height: frames[3].height)
        var a = Axes(xLabel: "trial", yLabel: "student alone, accuracy", yRange: 0...1.05, legend: .bottomRight)
        // Clipped at 8: with Eq. 7 on the teacher's own output g grows far beyond (caption).
        var b = Axes(xLabel: "trial", yLabel: "teacher drive g (correct action)", yRange: 0...8, legend: .hidden)
        var c = Axes(xLabel: "trial", yLabel: "teacher's choice, accuracy", yRange: 0...1.05, legend: .hidden)
        c.horizontalLine(at: r.chance, label: "chance")
        for v in r.variants {
            let color = handoffColor(v.rules), label = handoffLabel(v.rules)
            band(&a, v.statistics(HandoffCurve.student), color, label: label, divergence: v.divergence)
            band(&b, v.statistics(HandoffCurve.drive), color, label: nil, divergence: v.divergence)
            band(&c, v.statistics(HandoffCurve.teacher), color, label: nil, divergence: v.divergence)
        }
        let intact = r.variants.map { MeanSEM($0.lateIntact) }
        let lesioned = r.variants.map { MeanSEM($0.lateLesion) }
        var d = Axes(yLabel: "accuracy after the late lesion", yRange: 0...1.05, legend: .outsideRight)
        d.bars(
            categories: r.variants.map { handoffLabel($0.rules) }, values: [intact.map(\.mean), lesioned.map(\.mean)],
            errors: [intact.map(\.sem), lesioned.map(\.sem)], colors: [Palette.grey.lightened(0.5), Color(hex: 0x4D4D4D)],
            labels: ["intact", "teacher silenced"])
        d.horizontalLine(at: r.chance, label: "chance")
        func criterion(_ rules: MotifRules) -> String {
            r.variant(rules).medianStudentCriterion.map(String.init) ?? "never"
        }
        let written = r.variant(.asWritten)
        return Figure(
            width: width, height: height,
            panels: [
                Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b),
                Panel("C", frame: frames[2], content: c), Panel("D", frame: bottom, content: d),
            ],
            caption: """
                What makes the teacher dispensable? The motif trained with one equation altered at a time: \
                as written (black); Eq. 9 off, η_{w} = 0 (dark blue); Eq. 9 with its sign flipped, w grows (light \
                blue); Eq. 8 additive, ΔM = η_{M} w y x (orange); Eq. 7 driven by the teacher's own output, error \
                r − w y instead of r − s (red). A, the student alone reaches \(p.criterion.compact) after \
                \(criterion(.asWritten)), \(criterion(.gainFixed)), \(criterion(.gainGrows)), \
                \(criterion(.additiveStudent)) and \(criterion(.teacherOwnError)) trials (medians, in that order). \
                B, the teacher's drive for the correct action, g = W x: as written it keeps growing after \
                consolidation (\(written.final(HandoffCurve.drive).mean.fixed(1)) at trial \(p.trials)), because \
                the error of Eq. 7 stays positive once the output is carried by the student; with Eq. 9 off or \
                flipped it falls to \(r.variant(.gainFixed).final(HandoffCurve.drive).mean.fixed(3)) and \
                \(r.variant(.gainGrows).final(HandoffCurve.drive).mean.fixed(3)), because the shared error of \
                Eq. 7 hands the output to the student; with Eq. 7 on the teacher's own output it leaves the panel \
                and reaches \(r.variant(.teacherOwnError).final(HandoffCurve.drive).mean.fixed(0)). C, the \
                teacher's own choice accuracy (chance dashed). D, accuracy over \(p.lesionTestTrials) trials after silencing the teacher at \
                trial \(p.lateLesionTrial), intact against lesioned. Mean ± SEM over \(r.seedValues.count) seeds.
                """)
    }

    // MARK: sweep

    static func sweep(_ r: ConsolidationSweepResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 260, rows: 1, columns: 1)
        let x = r.etaStudent.map(log10)
        let y = r.etaW.map(log10)
        let dx = (x.last! - x.first!) / Double(max(1, x.count - 1)) / 2
        let dy = (y.last! - y.first!) / Double(max(1, y.count - 1)) / 2
        // values[row = η_w index][column = η_M index]
        let values = r.etaW.indices.map { j in r.etaStudent.indices.map { i in r.meanTime(i, j) } }
        var a = Axes(
            xLabel: "student learning rate log_{10} η_{M}", yLabel: "teacher-weight rate log_{10} η_{w}",
            xRange: (x.first! - dx)...(x.last! + dx), yRange: (y.first! - dy)...(y.last! + dy), legend: .hidden)
        a.heatmap(
            values, x: (x.first! - dx)...(x.last! + dx), y: (y.first! - dy)...(y.last! + dy), colorMap: .viridis,
            logColor: true, colorBarLabel: "trials to student criterion")
        return Figure(
            width: width, height: 260,
            panels: [Panel(nil, frame: frames[0], content: a)],
            caption: """
                How fast does cortex take over? Trials until the student alone reaches \(p.criterion.compact), mean \
                over \(p.sweepSeeds) seeds, over an \(r.etaStudent.count) × \(r.etaW.count) grid of the student rate \
                η_{M} (Eq. 8) and the teacher-weight rate η_{w} (Eq. 9); cells run in parallel. Blank: \
                consolidation failed within \(p.trials) trials for some seed, either because the student learns \
                too slowly (left) or because w dies before M has grown (top left: η_{w} more than about three times \
                η_{M}). \
                η_{W} = \(p.etaTeacher.compact).
                """)
    }
}
