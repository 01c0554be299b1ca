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
        a.horizontalLine(at: r.chance, label: "chance", labelInside: true)
        band(&a, r.statistics(ConsolidationCurve.full), fullColor, label: "full circuit")
        band(&a, r.statistics(ConsolidationCurve.student), studentColor, label: "student alone")
        band(&a, r.statistics(ConsolidationCurve.teacher), teacherColor, dash: [4, 2], label: "teacher's choice")
        // w starts at 1 and falls, except from a negative start (`--initial-m`), where Eq. 9 makes it grow.
        let wStats = r.statistics(ConsolidationCurve.wMean)
        let wMax = wStats.mean.filter(\.isFinite).max() ?? 1
        var b = Axes(
            xLabel: "trial", yLabel: "teacher weight w (mean)", yRange: 0...(wMax > 1 ? wMax * 1.05 : 1.05), legend: .hidden)
        band(&b, wStats, teacherColor, label: nil)
        // ‖M‖ ≥ 0; from a zero start it stays 0, which an automatic range would centre.
        let mStats = r.statistics(ConsolidationCurve.mNorm)
        var c = Axes(
            xLabel: "trial", yLabel: "student weights ‖M‖", yRange: mStats.mean.allSatisfy { $0 == 0 } ? 0...1 : nil,
            legend: .hidden)
        band(&c, mStats, studentColor, label: nil)
        /// When the seeds reach the criterion: the median trial, and how many never do (nil: none does).
        func reached(_ v: [Int?]) -> String? {
            let d = v.compactMap { $0 }.sorted()
            if d.isEmpty { return nil }
            let all = d.count == v.count
            return "after \(d[d.count / 2]) trials" + (all ? "" : " (\(d.count) of \(v.count) seeds; the others never)")
        }
        let criterion = p.criterion.compact
        let full = reached(r.fullCriterion).map { "reaches \(criterion) \($0)" } ?? "never reaches \(criterion) within \(p.trials) trials"
        let student = reached(r.studentCriterion) ?? "never does within \(p.trials) trials"
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
                circuit \(full), the student alone \(student) (medians over seeds). \(teacherChoiceText(r)) \
                \(weightsText(r)) \
                Mean ± SEM over \(r.seedValues.count) seeds; \(parameterLine(p)).
                """)
    }

    /// The caption's sentence on the teacher's own choice: at the defaults it peaks and then
    /// declines as W drifts; with the student's start changed (`--initial-m`) it may not.
    private static func teacherChoiceText(_ r: ConsolidationResult) -> String {
        let peak = r.statistics(ConsolidationCurve.teacher).mean.max()!, last = r.final(ConsolidationCurve.teacher).mean
        guard peak - last >= 0.005 else { return "The teacher's own choice (dashed) reaches \(peak.fixed(3))." }
        return """
            The teacher's own choice (dashed) peaks at \(peak.fixed(3)) and then declines to \(last.fixed(2)): its \
            weights keep growing after consolidation (see handoff-ablation).
            """
    }

    /// The caption's sentence on panels B and C: at the defaults w falls while ‖M‖ grows and the
    /// student takes over, the hand-off; otherwise (the student never performs, or a zero or
    /// negative start, `--initial-m`) what each does.
    private static func weightsText(_ r: ConsolidationResult) -> String {
        let w = (r.initialW.mean, r.final(ConsolidationCurve.wMean).mean)
        let m = (r.initialMNorm.mean, r.final(ConsolidationCurve.mNorm).mean)
        let studentPerforms = 2 * r.studentCriterion.compactMap { $0 }.count > r.studentCriterion.count
        if w.1 < w.0 && m.1 > m.0 && studentPerforms {
            return """
                B, the teacher weight w falls (Eq. 9) while C, the student weights grow (Eq. 8): performance is \
                carried first by the teacher, then by the student.
                """
        }
        /// "stays at 1.00", "grow from 0.29 to 1.86": the change of a (start, end) pair.
        func change(_ v: (Double, Double), plural: Bool) -> String {
            let verb = v.1 == v.0 ? "stay" : v.1 > v.0 ? "grow" : "fall"
            let values = v.1 == v.0 ? "at \(v.0.fixed(2))" : "from \(v.0.fixed(2)) to \(v.1.fixed(2))"
            return "\(verb)\(plural ? "" : "s") \(values)"
        }
        return """
            B, the teacher weight w \(change(w, plural: false)) (Eq. 9) and C, the student weights ‖M‖ \
            \(change(m, plural: true)) (Eq. 8).
            """
    }

    // MARK: teacher-lesion

    static func lesion(_ r: LesionResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 210, rows: 1, columns: 1, margin: (18, 60, 8, 24))
        let categories = r.lesionTrials.enumerated().map { i, t in
            "\(i == 0 ? "early" : i == r.lesionTrials.count - 1 ? "late" : "") lesion, at trial \(t)"
        }
        let intact = r.lesionTrials.indices.map { r.intactAccuracy($0) }
        let lesioned = r.lesionTrials.indices.map { r.lesionedAccuracy($0) }
        let colors = [fullColor, teacherColor]
        var a = Axes(yLabel: "accuracy after the lesion point", yRange: 0...1.05, legend: .outsideRight)
        // Light bars for the means (± SEM), one dot per seed in the condition's own colour on top.
        a.bars(
            categories: categories, values: [intact.map(\.mean), lesioned.map(\.mean)],
            errors: [intact.map(\.sem), lesioned.map(\.sem)], colors: colors.map { $0.lightened(0.75) },
            points: [r.intact, r.lesioned], pointColors: colors, pointLabels: ["intact", "teacher silenced"])
        a.horizontalLine(at: r.chance, label: "chance")
        return Figure(
            width: width, height: 210,
            panels: [Panel(nil, frame: frames[0], content: a)],
            caption: """
                Silencing the teacher (y = 0, as by inactivating the basal ganglia) early and late in learning. \
                \(earlyLesionText(intact[0], lesioned[0], trial: r.lesionTrials[0])) \
                (chance \(r.chance.fixed(2))); late, after consolidation, it stays at \
                \(lesioned[lesioned.count - 1].mean.fixed(2)), as intact (\(intact[intact.count - 1].mean.fixed(2))); \
                compare LMAN inactivation in songbirds (Andalman & Fee 2009). Accuracy over \
                \(p.lesionTestTrials) trials after each lesion point: bars mean ± SEM over \(r.seedValues.count) \
                seeds, circles the seeds (intact black, teacher silenced in the basal-ganglia colour).
                """)
    }

    /// The early lesion's sentence: at the default trial (100) the teacher still carries the
    /// behaviour and accuracy falls; a later lesion (`--early-lesion-trial`) may cost less.
    private static func earlyLesionText(_ intact: MeanSEM, _ lesioned: MeanSEM, trial: Int) -> String {
        let falls = intact.mean - lesioned.mean > 0.5
        return falls
            ? "Early, while the teacher still carries the behaviour, accuracy falls to \(lesioned.mean.fixed(2))"
            : "At trial \(trial), accuracy falls from \(intact.mean.fixed(2)) (intact) to \(lesioned.mean.fixed(2)), "
                + "what the student alone has learned by then"
    }

    // MARK: reversal

    /// Panel B's title and the caption's account of what the unlearning rule does, for the parts
    /// that act (``UnlearningParts``; both by default).
    private static func unlearningText(_ parts: UnlearningParts) -> (title: String, effect: String) {
        switch parts {
        case .both:
            return (
                "with unlearning (added)",
                "after each unrewarded trial w relaxes toward its baseline (D) and the student row that "
                    + "produced the error is depressed (E), so the circuit explores again and"
            )
        case .recovery:
            return (
                "unlearning: w recovery only",
                "only its first part acts: after each unrewarded trial w relaxes toward its baseline (D), but "
                    + "the student rows are not depressed (E), and the circuit"
            )
        case .depression:
            return (
                "unlearning: depression only",
                "only its second part acts: after each unrewarded trial the student row that produced the error "
                    + "is depressed (E), but w does not relax toward its baseline (D), and the circuit"
            )
        case .none:
            return ("unlearning: neither part", "with neither part acting it is the motif as written, and the circuit")
        }
    }

    /// The accuracy on the new mapping (black, as the full circuit elsewhere) and the old
    /// mapping still performed (grey), each named inside the plot at its end, with chance labelled.
    private static func reversalAccuracy(
        _ s: ReversalSeries, title: String, chance: Double, upTo last: Double, markers: Bool = false
    ) -> Axes {
        var a = Axes(
            xLabel: "trials after the reversal", yLabel: "accuracy", title: title, xRange: 0...last, yRange: 0...1.05,
            legend: .lineEndsInside)
        a.xTicks = NiceTicks.even(from: 0, to: last)
        a.horizontalLine(at: chance, label: "chance", labelInside: true)
        // The narrow zoom (with markers) names the curves "new" and "old".
        for (name, color, text) in [
            (ConsolidationCurve.full, newMappingColor, markers ? "new" : "new mapping"),
            (reversalOldCurve, oldMappingColor, markers ? "old" : "old mapping"),
        ] {
            let st = s.statistics(name)
            let keep = st.x.indices.filter { st.x[$0] <= last + 1e-9 }
            let x = keep.map { st.x[$0] }, mean = keep.map { st.mean[$0] }
            if keep.count == st.x.count {
                a.band(st, color: color, label: text, divergence: s.divergence)
            } else {
                a.band(x: x, mean: mean, sem: keep.map { st.sem[$0] }, color: color, label: text)
            }
            if markers { a.scatter(x: x, y: mean, color: color) }
        }
        return a
    }

    static let newMappingColor = Palette.black
    static let oldMappingColor = Palette.grey

    /// One quantity (w or ‖M‖) in both versions: the area's colour, as written dashed and with
    /// unlearning solid, each named at its right end.
    private static func reversalWeights(
        _ written: ReversalSeries, _ renewed: ReversalSeries, curve: String, yLabel: String, color: Color,
        yRange: ClosedRange<Double>, last: Double
    ) -> Axes {
        var a = Axes(
            xLabel: "trials after the reversal", yLabel: yLabel, xRange: 0...last, yRange: yRange, legend: .lineEnds)
        a.xTicks = NiceTicks.even(from: 0, to: last)
        a.band(written.statistics(curve), color: color, dash: [4, 2], label: "as written", divergence: written.divergence)
        a.band(renewed.statistics(curve), color: color, label: "with unlearning", divergence: renewed.divergence)
        return a
    }

    static func reversal(_ r: ReversalResult) -> Figure {
        let p = r.parameters
        let height = 400.0
        let top = Figure.grid(width: width, height: height, rows: 2, columns: 3, columnWeights: [1.15, 1.15, 0.8])
        // Each bottom frame holds its panel's line-end names (right of the plot).
        let bottom = Figure.grid(width: width, height: height, rows: 2, columns: 2)
        let written = r.series(.asWritten)
        let renewed = r.series(.unlearning)
        let last = Double(p.reversalLength)
        let zoom = min(last, Double(5 * p.block))
        let a = reversalAccuracy(written, title: "as written (Eqs. 4–9)", chance: r.chance, upTo: last)
        let unlearning = unlearningText(p.unlearningParts)
        let b = reversalAccuracy(renewed, title: unlearning.title, chance: r.chance, upTo: last)
        let c = reversalAccuracy(
            renewed, title: "B, first \(Int(zoom)) trials", chance: r.chance, upTo: zoom, markers: true)
        let d = reversalWeights(
            written, renewed, curve: ConsolidationCurve.wMean, yLabel: "teacher weight w (mean)", color: teacherColor,
            yRange: 0...1.05, last: last)
        let mMax = max(
            written.statistics(ConsolidationCurve.mNorm).mean.max() ?? 1, renewed.statistics(ConsolidationCurve.mNorm).mean.max() ?? 1)
        let e = reversalWeights(
            written, renewed, curve: ConsolidationCurve.mNorm, yLabel: "student weights ‖M‖", color: studentColor,
            yRange: 0...(mMax.isFinite && mMax > 1 ? mMax * 1.05 : 1.05), last: last)
        let recovered = renewed.recoveryTrial.compactMap { $0 }.sorted()
        let recoveryText =
            recovered.isEmpty
            ? "does not reach the criterion either"
            : "reaches \(p.criterion.compact) on the new mapping after \(recovered[recovered.count / 2]) trials (median)"
        return Figure(
            width: width, height: height,
            panels: [
                Panel("A", frame: top[0], content: a), Panel("B", frame: top[1], content: b),
                Panel("C", frame: top[2], content: c), Panel("D", frame: bottom[2], content: d),
                Panel("E", frame: bottom[3], content: e),
            ],
            caption: """
                Reversing the mapping after consolidation. A–C, accuracy on the new mapping (black) and how often \
                the old one is still performed (grey), chance dashed. A, Eqs. 4–9 as written: the consolidated \
                habit keeps the choice, the teacher only learns about actions that are performed (Eq. 7) and w has \
                shrunk, so the new mapping is not learned (\(written.final(ConsolidationCurve.full).mean.fixed(2)) \
                after \(p.reversalLength) trials). B, with dopamine-gated unlearning, which goes beyond the review \
                (λ = \(p.unlearning.compact), switched on at the reversal): \(unlearning.effect) \(recoveryText); \
                C, the first \(Int(zoom)) trials of B on their own \
                scale (one point per block of \(p.block) trials). D, the teacher weight w (basal ganglia colour) \
                and E, the student weights ‖M‖ (cortex colour), as written (dashed) and with unlearning (solid). \
                Both arms continue from the same consolidated circuit (trial 0: \
                w = \(written.beforeW.mean.fixed(3)), ‖M‖ = \(written.beforeMNorm.mean.fixed(2)), mean over seeds). \
                Mean ± SEM over \(r.seedValues.count) seeds.
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

    /// Eq. 7 on the teacher's own output is dashed: its vermillion and Eq. 8's orange look alike
    /// to a deuteranope, and the two run close together in A and C.
    static func handoffDash(_ rules: MotifRules) -> [Double] { rules == .teacherOwnError ? [4, 2] : [] }

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
            let color = handoffColor(v.rules), label = handoffLabel(v.rules), dash = handoffDash(v.rules)
            band(&a, v.statistics(HandoffCurve.student), color, dash: dash, label: label, divergence: v.divergence)
            band(&b, v.statistics(HandoffCurve.drive), color, dash: dash, label: nil, divergence: v.divergence)
            band(&c, v.statistics(HandoffCurve.teacher), color, dash: dash, label: nil, divergence: v.divergence)
        }
        let intact = r.variants.map { MeanSEM($0.lateIntact) }
        let lesioned = r.variants.map { MeanSEM($0.lateLesion) }
        var d = Axes(yLabel: "accuracy after the late lesion", yRange: 0...1.05, legend: .outsideRight)
        // As in teacher-lesion: light bars for the means, one dot per seed, intact black, silenced in the BG colour.
        let colors = [fullColor, teacherColor]
        d.bars(
            categories: r.variants.map { handoffLabel($0.rules) }, values: [intact.map(\.mean), lesioned.map(\.mean)],
            errors: [intact.map(\.sem), lesioned.map(\.sem)], colors: colors.map { $0.lightened(0.75) },
            points: [r.variants.map(\.lateIntact), r.variants.map(\.lateLesion)], pointColors: colors,
            pointLabels: ["intact", "teacher silenced"])
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
                r − w y instead of r − s (red, dashed). A, the student alone reaches \(p.criterion.compact) after \
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
                trial \(p.lateLesionTrial), intact against lesioned (bars, with one circle per seed). Mean ± SEM over \(r.seedValues.count) seeds.
                """)
    }

    // MARK: sweep

    /// A rate written with two significant digits ("0.0019", "0.014", "0.1").
    static func rateLabel(_ v: Double) -> String {
        let digits = max(0, 1 - Int(log10(v).rounded(.down)))
        var s = String(format: "%.\(digits)f", v)
        while s.contains("."), s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// Where `value` falls on a log-spaced grid, in cell-index units (cell centres at 0…n−1).
    static func gridPosition(_ value: Double, _ grid: [Double]) -> Double {
        guard grid.count > 1 else { return 0 }
        return (log10(value) - log10(grid[0])) / (log10(grid[grid.count - 1]) - log10(grid[0])) * Double(grid.count - 1)
    }

    /// The colour of a cell where consolidation failed: ColorBrewer's red (RdBu, position 0.9),
    /// outside viridis, so a failure never reads as a slow success.
    static let sweepFailureColor = Color(hex: 0xB2182B)

    static func sweep(_ r: ConsolidationSweepResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 260, rows: 1, columns: 1)
        let nx = Double(r.etaStudent.count), ny = Double(r.etaW.count)
        let xExtent = -0.5...(nx - 0.5), yExtent = -0.5...(ny - 0.5)
        // values[row = η_w index][column = η_M index]
        let values = r.etaW.indices.map { j in r.etaStudent.indices.map { i in r.meanTime(i, j) } }
        var a = Axes(
            xLabel: "student learning rate η_{M}", yLabel: "teacher-weight rate η_{w}", xRange: xExtent, yRange: yExtent,
            legend: .outsideRight)
        a.xTicks = NiceTicks.cellCentres(r.etaStudent.map(rateLabel))
        a.yTicks = NiceTicks.cellCentres(r.etaW.map(rateLabel))
        // Failed cells (NaN) in their own colour, outside viridis, with their own key entry.
        a.heatmap(
            values, x: xExtent, y: yExtent, colorMap: .viridis, logColor: true, colorBarLabel: "trials to student criterion",
            missing: MissingCells(color: sweepFailureColor, label: "failed (some seed)"))
        // The rates the chapter's other figures use (the defaults unless set on the command line).
        let defaults = ConsolidationParameters()
        let isDefault = p.etaStudent == defaults.etaStudent && p.etaW == defaults.etaW
        let dx = gridPosition(p.etaStudent, r.etaStudent), dy = gridPosition(p.etaW, r.etaW)
        if xExtent.contains(dx) && yExtent.contains(dy) {
            a.scatter(x: [dx], y: [dy], color: Palette.black, marker: .openCircle)
            a.text(isDefault ? " default" : " chosen", x: dx + 0.08, y: dy, align: .left, vertical: .middle, color: .white)
        }
        return Figure(
            width: width, height: 260,
            panels: [Panel(nil, frame: frames[0], content: a)],
            caption: """
                How fast does cortex take over? Trials until the student alone reaches \(p.criterion.compact), mean \
                over \(p.sweepSeeds) seeds, over an \(r.etaStudent.count) × \(r.etaW.count) grid of the student rate \
                η_{M} (Eq. 8) and the teacher-weight rate η_{w} (Eq. 9), log-spaced; cells run in parallel. Red: \
                consolidation failed within \(p.trials) trials for some seed, either because the student learns \
                too slowly (left) or because w dies before M has grown (top left: η_{w} more than about three times \
                η_{M}). Open circle: the rates of the chapter's other figures\(isDefault ? " (its defaults)" : ""), \
                η_{M} = \(p.etaStudent.compact), η_{w} = \(p.etaW.compact). η_{W} = \(p.etaTeacher.compact).
                """)
    }
}
