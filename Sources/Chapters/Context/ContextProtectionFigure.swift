import Cairo
import CreditCore
import Foundation
import Plot

extension FigureInfo {
    static let weightProtection = FigureInfo(
        "weight-protection",
        "MD amplification protects the other context's readout weights (Rikhye et al. 2018): |Δw| per cycle with MD on and off, the error back in context 1, and which half of the MD effect protects"
    )
}

/// The layout of the weight-protection figure. It only draws the result it is given.
enum ContextProtectionFigure {
    static let width = 520.0
    static let height = 420.0

    /// Both sets of weights read cortical units, so both take the cortex's blue: context 1's
    /// dark, context 2's light (not vermillion, the basal ganglia's colour); MD on solid, off dashed.
    static let context1Color = Palette.cortex
    static let context2Color = Palette.skyBlue
    static let offDash: [Double] = [4, 2]

    static func conditionColor(_ c: MDCondition) -> Color {
        switch c {
        case .on: return Palette.thalamus
        case .off: return Palette.grey
        case .gainOnly: return Palette.orange
        case .inhibitionOnly: return Palette.reddishPurple
        }
    }

    /// Mean ± SEM over seeds of one per-cycle series, x = cycle number (1-based).
    private static func statistics(_ r: WeightProtectionResult, _ c: MDCondition, _ value: (ProtectionRun) -> [Double]) -> SeedStatistics {
        SeedStatistics(
            r.runs.indices.map { s in
                let y = value(r.run(c, seedIndex: s))
                return Curve(name: c.rawValue, x: (1...y.count).map(Double.init), y: y)
            })
    }

    static func figure(_ r: WeightProtectionResult) -> Figure {
        let p = r.parameters
        let top = Figure.grid(width: width, height: height, rows: 2, columns: 1)[0]
        let bottom = Figure.grid(width: width, height: height, rows: 2, columns: 2)
        let frames = [top, bottom[2], bottom[3]]
        let n = r.runs.count

        // A: |Δw| per cycle through the three blocks (log scale).
        var a = Axes(xLabel: "cycle (each cue of the context once)", yLabel: "mean |Δw| per cycle", yScale: .log, legend: .outsideRight)
        let c2Start = Double(p.cyclesC1) + 0.5, returnStart = Double(p.cyclesC1 + p.cyclesC2) + 0.5
        a.verticalLine(at: c2Start, label: "context 2")
        a.verticalLine(at: returnStart, label: "context 1")
        a.verticalLine(at: 0.5, label: "context 1")
        for (c, dash) in [(MDCondition.off, offDash), (.on, [])] {
            let md = c == .on ? "MD on" : "MD off"
            a.band(statistics(r, c) { $0.dwContext1 }, color: context1Color, dash: dash, label: "context-1 weights, \(md)", divergence: nil)
            a.band(statistics(r, c) { $0.dwContext2 }, color: context2Color, dash: dash, label: "context-2 weights, \(md)", divergence: nil)
        }
        a.title = "readout weight change"

        // B: error on the first cycles back in context 1, with the learned level and the naive one.
        var b = Axes(xLabel: "cycle back in context 1", yLabel: "mean-square error", legend: .topRight)
        let endC1 = MeanSEM(r.runs.indices.map { r.run(.on, seedIndex: $0).endOfC1Error(cycles: 10) }).mean
        let endC1Off = MeanSEM(r.runs.indices.map { r.run(.off, seedIndex: $0).endOfC1Error(cycles: 10) }).mean
        for c in [MDCondition.off, .on] {
            let s = statistics(r, c) { run in run.cycles(.c1Return).map { run.error[$0] } }
            b.band(
                s, color: conditionColor(c), dash: c == .off ? offDash : [], label: c == .on ? "MD on" : "MD off",
                divergence: nil)
        }
        b.horizontalLine(at: endC1, color: conditionColor(.on), dash: [1, 2])
        b.horizontalLine(at: endC1Off, color: conditionColor(.off), dash: [1, 2])
        b.title = "back in context 1"

        // C: protection of context-1 weights during context 2, per condition: MD-off drift ÷ the condition's
        // drift, on a log axis (1× = no protection), so the marks and the numbers above them say the same thing.
        let conditions: [MDCondition] = [.off, .gainOnly, .inhibitionOnly, .on]
        let factors = conditions.map { c in r.runs.indices.map { r.protectionRatio(seedIndex: $0, against: c) } }
        var cAxes = Axes(
            yLabel: "protection of context 1 (MD-off drift ÷ drift)", yRange: 0.3...300, yScale: .log, legend: .hidden)
        cAxes.xTicks = NiceTicks(
            values: conditions.indices.map(Double.init), labels: ["off", "gain", "inhib.", "both"], step: 1, lower: -0.5,
            upper: Double(conditions.count) - 0.5)
        var minor: [Double] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 200, 300]
        for m in 2...9 { minor += [Double(m), 10 * Double(m)] }
        cAxes.yTicks = NiceTicks(
            values: [1, 10, 100], labels: ["1×", "10×", "100×"], minor: minor.sorted(), step: 1, lower: 0.3, upper: 300,
            scale: .log)
        cAxes.horizontalLine(at: 1)
        for (i, c) in conditions.enumerated() {
            let x = Double(i)
            // A seed on which the condition leaves context 1's weights exactly still (trials from
            // rest, --initial-spread 0) has no finite ratio and no mark; if no seed has one, the
            // condition is labelled "no drift".
            let finite = factors[i].filter(\.isFinite)
            guard !finite.isEmpty else {
                cAxes.text("no drift", x: x, y: 30, vertical: .bottom)
                continue
            }
            let m = MeanSEM(finite)
            cAxes.scatter(x: Array(repeating: x, count: finite.count), y: finite, color: conditionColor(c), marker: .circle)
            cAxes.line(x: [x - 0.25, x + 0.25], y: [m.mean, m.mean], color: Palette.black, width: 1.5)
            if m.sem > 0 { cAxes.line(x: [x, x], y: [m.mean - m.sem, m.mean + m.sem], color: Palette.black, width: 0.8) }
            let top = max(finite.max()!, m.mean + m.sem)
            cAxes.text("\(m.mean.fixed(m.mean < 10 ? 1 : 0))×", x: x, y: top * 1.35, vertical: .bottom)
        }
        cAxes.title = "which half protects"

        let ratios = r.runs.indices.map { r.protectionRatio(seedIndex: $0) }
        let onReturn = MeanSEM(r.runs.indices.map { r.run(.on, seedIndex: $0).returnError(cycles: p.returnErrorCycles) })
        let offReturn = MeanSEM(r.runs.indices.map { r.run(.off, seedIndex: $0).returnError(cycles: p.returnErrorCycles) })
        let shares = r.runs.indices.map { r.run(.on, seedIndex: $0).firstStepShare }
        let firstCycle = MeanSEM(r.runs.indices.flatMap { s in [MDCondition.on, .off].map { r.run($0, seedIndex: s).error[0] } })
        return Figure(
            width: width, height: height,
            panels: [
                Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b),
                Panel("C", frame: frames[2], content: cAxes),
            ],
            caption: """
                MD amplification protects the other context's weights (after Rikhye, Gilra & Halassa 2018). A PFC \
                reservoir of 5 groups × \(p.pfcPerGroup) units (the paper: 5 × 200) learns a 2-unit readout by the delta rule \
                in context 1 (\(p.cyclesC1) cycles), context 2 (\(p.cyclesC2)) and context 1 again (\(p.cyclesReturn)); MD \
                clamped to the current context. A, mean |Δw| per cycle of the readout weights from context 1's units \
                (dark blue) and context 2's (light blue), MD on (solid: current context ×\((1 + p.mdGain).compact), others \
                \(p.mdInhibition.compact)) and off (dashed: all ×\((1 + p.mdOffGain).compact)); mean ± SEM over \(n) seeds. While \
                context 2 is learned, \(driftSentence(ratios, firstStepShares: shares)) B, error on the first cycles back in context 1 (first cycle: \
                \(onReturn.mean.fixed(3)) with MD, \(offReturn.mean.fixed(3)) without); dotted: each condition's error over \
                the last 10 cycles of the first context-1 block; for scale, a silent readout scores 0.5 and the first \
                cycle of training scored \(firstCycle.mean.fixed(2)) on average. C, protection of context 1's weights during context 2: their drift with MD off ÷ their drift in each \
                condition (log axis, 1× = no protection; dots: seeds; black: mean ± SEM, written above) with only the gain \
                (×\((1 + p.mdGain).compact), no inhibition), only the inhibition (\(p.mdInhibition.compact), gain 1), or both, \
                each learning context 2 from the MD-on state at the end of context 1: the inhibition protects \
                (\(factorText(factors[2], digits: 0))), the gain does not (\(factorText(factors[1], digits: 1))). \
                τ = \(p.tau.compact) ms, dt = \(p.dt.compact) ms, G = \(p.g.compact), η = \(p.eta.compact).
                """)
    }

    /// The caption's account of context 1's drift during context 2 (after "While context 2 is
    /// learned, "), from the per-seed protection ratios. Where MD leaves the weights exactly
    /// still (trials from rest, `--initial-spread 0`) a ratio has no bound, and the sentence says so.
    static func driftSentence(_ ratios: [Double], firstStepShares: [Double]) -> String {
        let finite = ratios.filter(\.isFinite)
        guard !finite.isEmpty else {
            return "context 1's weights do not move at all with MD: their drift is exactly 0 on every seed "
                + "(not drawn on the log axis), so the protection has no bound."
        }
        let ratio = MeanSEM(finite)
        let share = MeanSEM(zip(ratios, firstStepShares).filter { $0.0.isFinite }.map(\.1)).mean
        let still = ratios.count - finite.count
        let seeds = still == 0 ? "" : "; on \(still) of \(ratios.count) seeds they do not move at all"
        return "context 1's weights drift \(ratio.mean.fixed(0)) ± \(ratio.sem.fixed(0))× less with MD "
            + "(range \(finite.min()!.fixed(0))–\(finite.max()!.fixed(0))×\(seeds)); with MD on, \((share * 100).fixed(0))% "
            + "of that drift happens at each trial's first step, before the inhibition silences the units."
    }

    /// A condition's mean protection factor over seeds as the caption writes it ("51×"); seeds
    /// without drift (no finite factor) are counted apart.
    static func factorText(_ factors: [Double], digits: Int) -> String {
        let finite = factors.filter(\.isFinite)
        guard !finite.isEmpty else { return "no drift at all" }
        let still = factors.count - finite.count
        return "\(MeanSEM(finite).mean.fixed(digits))×" + (still == 0 ? "" : ", no drift on \(still) seeds")
    }
}
