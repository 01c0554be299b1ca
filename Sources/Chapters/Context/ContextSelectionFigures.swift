import Cairo
import CreditCore
import Foundation
import Plot

extension FigureInfo {
    static let bgSelection = FigureInfo(
        "bg-selection",
        "the basal ganglia learn from reward which MD unit to select in each context: selection probabilities over training, one-to-one assignments"
    )
    static let bgLesion = FigureInfo(
        "bg-lesion",
        "corticothalamic consolidation: silencing the basal ganglia early brings forgetting back, late it does not; the student's takeover"
    )
}

/// Figure layouts of Chapter 4, part 2, items 3–4. They only draw the results they are given.
enum ContextSelectionFigures {
    static let width = 520.0

    /// The MD unit of each context (the basal ganglia's choice, in their colour) and the other
    /// context's unit (black: blue would say cortex) in the selection curves.
    static let ownColor = Palette.basalGanglia
    static let otherContextColor = Palette.black
    static let intactColor = Palette.black
    static let lesionedColor = Palette.basalGanglia
    static let studentColor = Palette.thalamus

    private static func rates(_ sp: ContextSelectionParameters, _ fp: ForgettingParameters) -> String {
        "α_{actor} = \(sp.alphaActor.compact), α_{critic} = \(sp.alphaCritic.compact), β_{MD} = \(sp.betaMD.compact); "
            + "\(fp.mdUnits) MD units × \(fp.unitsPerGroup) PFC units, \(fp.cues) cues, blocks of \(fp.trialsPerBlock) trials, "
            + "readout η = \(fp.learningRate.compact)"
    }

    /// "C1", "C2" above each block and thin lines at the block boundaries.
    private static func markBlocks(_ a: inout Axes, contexts: [Int], trialsPerBlock: Int, y: Double) {
        for (b, c) in contexts.enumerated() {
            if b > 0 { a.verticalLine(at: Double(b * trialsPerBlock), color: Palette.grey.lightened(0.5), dash: []) }
            a.text("C\(c + 1)", x: (Double(b) + 0.5) * Double(trialsPerBlock), y: y, color: Style.mutedText)
        }
    }

    // MARK: bg-selection

    static func selection(_ r: SelectionResult, _ fp: ForgettingParameters) -> Figure {
        let sp = r.parameters
        let height = 590.0
        let frames = Figure.grid(width: width, height: height, rows: 3, columns: 2)
        func wide(_ i: Int) -> Rect {
            Rect(x: frames[i].x, y: frames[i].y, width: frames[i + 1].x + frames[i + 1].width - frames[i].x, height: frames[i].height)
        }
        let top = wide(0)
        let chance = 1 / Double(r.mdUnits)
        let end = Double(r.trials.last!)
        var a = Axes(
            xLabel: "trial", yLabel: "P(MD unit selected | context)", xRange: 0...end, yRange: 0...1.1, legend: .outsideRight)
        markBlocks(&a, contexts: r.blockContexts, trialsPerBlock: r.trialsPerBlock, y: 1.06)
        a.horizontalLine(at: chance, label: "chance 1/\(r.mdUnits)")
        for c in 0..<2 {
            let dash: [Double] = c == 0 ? [] : [4, 2]
            a.band(r.own(context: c), color: ownColor, dash: dash, label: "own unit, in C\(c + 1)", divergence: nil)
            a.band(r.other(context: c), color: otherContextColor, dash: dash, label: "C\(3 - c - 1)'s unit, in C\(c + 1)", divergence: nil)
        }
        // B, C: one seed, every MD unit.
        func example(context c: Int) -> Axes {
            var e = Axes(
                xLabel: "trial", yLabel: "P(unit | C\(c + 1)), seed \(r.seeds[0])", xRange: 0...end, yRange: 0...1.1, legend: .hidden)
            markBlocks(&e, contexts: r.blockContexts, trialsPerBlock: r.trialsPerBlock, y: 1.06)
            let own = r.assignedUnit(seed: 0, context: c), theirs = r.assignedUnit(seed: 0, context: 1 - c)
            let x = r.trials.map(Double.init)
            for k in 0..<r.mdUnits where k != own && k != theirs {
                e.line(x: x, y: r.probability[0].map { $0[c][k] }, color: Palette.grey.lightened(0.3), width: 0.8)
            }
            e.line(x: x, y: r.probability[0].map { $0[c][theirs] }, color: otherContextColor, label: "unit \(theirs + 1)")
            e.line(x: x, y: r.probability[0].map { $0[c][own] }, color: ownColor, label: "unit \(own + 1)")
            e.text("unit \(own + 1)", x: end * 0.97, y: 0.9, align: .right, color: ownColor)
            return e
        }
        let b = example(context: 0), c = example(context: 1)
        let finalOwn = (0..<2).map { r.own(context: $0).mean.last! }
        // D: retention after each block, floor (no thalamus) to ceiling (MD oracle).
        var d = Axes(
            xLabel: "after block (context trained)", yLabel: "accuracy on the other context",
            xRange: 1.6...(Double(r.blockContexts.count) + 0.4), yRange: -0.02...1.05, legend: .outsideRight)
        d.xTicks = NiceTicks(
            values: (2...r.blockContexts.count).map(Double.init),
            labels: (2...r.blockContexts.count).map { "\($0)\u{2009}C\(r.blockContexts[$0 - 1] + 1)" }, step: 1, lower: 1.6,
            upper: Double(r.blockContexts.count) + 0.4)
        d.horizontalLine(at: 0.5, label: "chance")
        var first: [String: Double] = [:], last: [String: Double] = [:]
        // The ceiling last, so that its dashes stay visible on the basal ganglia's curve.
        for method in r.comparison.methods.filter({ !$0.isCeiling }) + r.comparison.methods.filter(\.isCeiling) {
            let blocks = Array(2...r.blockContexts.count)
            let stats = blocks.map { MeanSEM(r.comparisonRetention(method.id, block: $0)) }
            d.band(
                x: blocks.map(Double.init), mean: stats.map(\.mean), sem: stats.map(\.sem), color: method.color,
                dash: method.dash, label: method.label)
            // No dots on the ceiling, so the basal ganglia's dots under it stay visible.
            if !method.isCeiling {
                d.scatter(x: blocks.map(Double.init), y: stats.map(\.mean), color: method.color, marker: .circle)
            }
            (first[method.id], last[method.id]) = (stats.first!.mean, stats.last!.mean)
        }
        func kept(_ id: String) -> String { "\((first[id] ?? .nan).fixed(2)) → \((last[id] ?? .nan).fixed(2))" }
        return Figure(
            width: width, height: height,
            panels: [
                Panel("A", frame: top, content: a), Panel("B", frame: frames[2], content: b),
                Panel("C", frame: frames[3], content: c), Panel("D", frame: wide(4), content: d),
            ],
            caption: """
                The basal ganglia learn which MD unit to select. An actor-critic sees the context cue, chooses one of \
                \(r.mdUnits) MD units, and learns only from whether the readout then answered correctly; nothing tells it \
                which unit belongs to which context. A, the probability of selecting the unit each context ends up with \
                (own unit; solid in C1, dashed in C2) and the other context's unit (black), mean ± SEM over \
                \(r.seeds.count) seeds, chance 1/\(r.mdUnits). At the end the own unit is selected with P = \
                \(finalOwn[0].fixed(3)) (C1) and \(finalOwn[1].fixed(3)) (C2); the assignment is one-to-one (a \
                different unit per context, each with P ≥ 0.9) on \(r.oneToOneCount) of \(r.seeds.count) seeds. B, C, \
                seed \(r.seeds[0]): every MD unit's probability in C1 (B) and C2 (C); grey, the units neither context \
                keeps. Early in the first C2 block the exploring basal ganglia send a few trials to C1's unit (black in \
                C) and then avoid it: there the opposite map makes the readout wrong, so that unit is rewarded less \
                often than a fresh one. D, what the selection buys: after each block, accuracy on the context that \
                block did not train (probe, learning off), for one network with every unit on (no thalamus, the \
                floor), the MD unit given by the context (the ceiling, dashed), the basal ganglia's choice, and a \
                reward-free Hebbian PFC→MD rule with a winner-take-all MD (after Zheng et al. 2024) reading the same \
                context-evoked PFC activity as Figure bg-lesion's student (after block 2 → after block \
                \(r.blockContexts.count): \(kept("no-thalamus")), \(kept("md-oracle")), \(kept("bg-selected")) and \
                \(kept("hebbian-md")); the oracle's dashes lie on the basal ganglia's curve). The shared network forgets at \
                first and, given the context as an input, learns to hold both maps only after several alternations; \
                the basal ganglia keep both from the first switch on. The Hebbian MD gives the \
                two contexts different units on only \(r.hebbianDistinct) of \(r.seeds.count) seeds: their PFC \
                patterns overlap, and a winner-take-all rule without reward lets the first context's unit claim the \
                second, which then shares one group of \(fp.unitsPerGroup) units with it. \(rates(sp, fp)); η_{H} = \(sp.etaHebb.compact), τ_{trace} = \(sp.tauTrace.compact) trials; \
                no corticothalamic learning here.
                """)
    }

    // MARK: bg-lesion

    static func lesion(_ r: BGLesionResult, _ fp: ForgettingParameters) -> Figure {
        let sp = r.parameters
        let height = 220.0
        let frames = Figure.grid(width: width, height: height, rows: 1, columns: 2, columnWeights: [1.05, 1])
        let x = r.lesionTrials.map(Double.init)
        let end = Double(r.lesionTrials.last!)
        var a = Axes(
            xLabel: "lesion after trial", yLabel: "retention after the lesion", xRange: 0...(end + Double(r.trialsPerBlock) / 2),
            yRange: 0...1.05, legend: .bottomRight)
        a.horizontalLine(at: 0.5, label: "chance")
        let intact = r.statistics(lesioned: false), lesioned = r.statistics(lesioned: true)
        a.band(intact, color: intactColor, label: "basal ganglia intact", divergence: nil)
        a.scatter(x: x, y: intact.mean, color: intactColor, marker: .circle)
        a.band(lesioned, color: lesionedColor, label: "basal ganglia silenced", divergence: nil)
        a.scatter(x: x, y: lesioned.mean, color: lesionedColor, marker: .circle)
        // Both curves span 0 to 1 and cross wherever the run puts them: the axis goes on to 1.35
        // (ticked to 1 only), so the legend has the top of the panel to itself.
        var b = Axes(xLabel: "trial", yLabel: "probability, or gain w", xRange: 0...end, yRange: 0...1.35, legend: .topRight)
        let fractions = stride(from: 0.0, through: 1.0, by: 0.2).map { $0 }
        b.yTicks = NiceTicks(values: fractions, labels: fractions.map { $0.fixed(1) }, step: 0.2, lower: 0, upper: 1.35)
        b.horizontalLine(at: 1 / Double(fp.mdUnits), label: "chance 1/\(fp.mdUnits)")
        let student = r.progress(gain: false)
        b.band(student, color: studentColor, label: "P(PFC→MD picks the BG's unit)", divergence: nil)
        b.band(r.progress(gain: true), color: lesionedColor, dash: [4, 2], label: "BG→MD gain w", divergence: nil)
        // The same trial ticks as A's (every second block).
        let tickStep = 2 * Double(r.trialsPerBlock)
        let tickValues = Array(stride(from: 0, through: end, by: tickStep))
        b.xTicks = NiceTicks(
            values: tickValues, labels: tickValues.map { Int($0).description }, step: tickStep, lower: 0, upper: end)
        let early = r.earlyIndex, late = r.lateIndex
        let earlyStudent = student.mean[r.lesionBlocks[early]]
        return Figure(
            width: width, height: height,
            panels: [Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b)],
            caption: """
                Corticothalamic consolidation makes the switch independent of the basal ganglia. The full circuit \
                (basal ganglia select the MD unit; PFC→MD synapses learn their choice by Eqs. 8–9, the basal ganglia \
                as teacher) trains in blocks C1, C2, …; after each block it is copied, and the copy's basal ganglia are \
                silenced (y = 0). A, retention (accuracy on the context the next block does not train, mean over the \
                \(sp.postLesionBlocks) blocks after the lesion) of the intact and the lesioned circuit on the same \
                trials. Silenced after trial \(r.lesionTrials[early]), the circuit forgets \
                (\(r.lesionedAccuracy(early).mean.fixed(2)) against \(r.intactAccuracy(early).mean.fixed(2)) intact): \
                MD units are now picked by the still-weak PFC→MD synapses (the basal ganglia's unit with P = \
                \(earlyStudent.fixed(2)), chance 1/\(fp.mdUnits)), so the contexts share subnetworks and overwrite \
                each other's readout. Silenced after trial \(r.lesionTrials[late]), it keeps both contexts \
                (\(r.lesionedAccuracy(late).mean.fixed(2))). B, the probability that the PFC→MD pathway alone selects \
                the basal ganglia's unit, and the BG→MD gain w of that unit (Eq. 9), mean over contexts. \
                η_{M} = \(sp.etaStudent.compact), η_{w} = \(sp.etaW.compact); \(rates(sp, fp)). Mean ± SEM over \
                \(r.seeds.count) seeds.
                """)
    }
}
