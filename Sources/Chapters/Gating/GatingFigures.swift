import Cairo
import CreditCore
import Diagram
import Foundation
import Plot

/// Figure layouts of Chapter 5. They only draw the results they are given.
enum GatingFigures {
    static let width = 520.0

    /// The cue's colour and the distractors' (the same in every panel).
    static func itemColor(_ item: Int) -> Color {
        item == 0 ? Palette.blue : [Palette.orange, Palette.vermillion, Palette.reddishPurple, Palette.grey][(item - 1) % 4]
    }

    /// Each item's line style: the second distractor is dashed, so that it does not rely on
    /// orange against vermillion (hard to tell apart with deuteranopia).
    static func itemDash(_ item: Int) -> [Double] { item >= 2 ? [4, 2] : [] }

    /// Each item's name on the figure: "cue", "dist. 1", "dist. 2" (not the data's A, B, C,
    /// which would read as panel letters).
    static func itemName(_ item: Int) -> String { item == 0 ? "cue" : "dist. \(item)" }

    /// The house colour of each gating policy: the learned gate is the basal ganglia's.
    static func policyColor(_ policy: GatePolicy) -> Color {
        switch policy {
        case .learned: Palette.basalGanglia
        case .oracle: Palette.black
        case .alwaysOpen: Palette.thalamus
        case .alwaysClosed: Palette.grey
        }
    }

    /// The oracle is dashed; "always closed" is dotted with square markers, since its grey and the
    /// thalamus green of "always open" look alike to a deuteranope, and the two cross in B.
    static func policyDash(_ policy: GatePolicy) -> [Double] {
        switch policy {
        case .oracle: [4, 2]
        case .alwaysClosed: [1.2, 1.6]
        case .learned, .alwaysOpen: []
        }
    }

    /// Square markers for "always closed", circles for the others (see ``policyDash(_:)``).
    static func policyMarker(_ policy: GatePolicy) -> MarkerShape { policy == .alwaysClosed ? .square : .circle }

    private static func title(_ policy: GatePolicy) -> String {
        switch policy {
        case .learned: "learned gate (BG)"
        case .oracle: "oracle (cue only)"
        case .alwaysOpen: "always open"
        case .alwaysClosed: "always closed"
        }
    }

    private static func parameterLine(_ p: WorkingMemoryParameters) -> String {
        "τ = \(p.tau.compact) ms, dt = \(p.dt.compact) ms (RK4), r_{s} = r_{bias} + stimulus with r_{bias} = \(p.rBias.compact)"
    }

    /// A small relative error as a percentage with two significant digits (0.0042 → "0.42%").
    static func percent(_ fraction: Double) -> String {
        String(format: "%.2g%%", fraction * 100)
    }

    // MARK: traces (shared by fig7 and traces)

    /// PFC rates of every item over a trial in one condition, with the task's events marked.
    private static func traceAxes(_ r: GatingTracesResult, _ condition: GatingCondition, items: [Int], legend: LegendPosition) -> Axes {
        var axes = Axes(
            xLabel: "time (ms)", yLabel: "PFC rate r", title: condition.title,
            xRange: 0...r.time.last!, yRange: 0...1, legend: legend)
        for event in r.events {
            let label = event.kind == "distractor" ? "dist." : event.kind
            axes.verticalLine(at: event.start, label: label)
        }
        let trace = r.trace(condition)
        for i in items {
            axes.line(x: r.time, y: trace.rates[i], color: itemColor(i), dash: itemDash(i), label: itemName(i))
        }
        return axes
    }

    static func figure7(_ r: GatingTracesResult) -> Figure {
        // Two circuits side by side, their key once below them, then the two simulated traces.
        let margin = (top: 18.0, left: 14.0, right: 10.0)
        let columnWidth = (width - margin.left - margin.right - 22) / 2
        let circuitHeight = 150.0
        let keyTop = margin.top + circuitHeight + 2
        let keyHeight = 30.0
        let tracesTop = keyTop + keyHeight + 22
        let height = tracesTop + 170 + 8
        let circuitFrames = (0..<2).map {
            Rect(x: margin.left + Double($0) * (columnWidth + 22), y: margin.top, width: columnWidth, height: circuitHeight)
        }
        let keyFrame = Rect(x: margin.left + 40, y: keyTop, width: width - margin.left - margin.right - 80, height: keyHeight)
        let traceFrames = (0..<2).map {
            Rect(x: margin.left + Double($0) * (columnWidth + 22), y: tracesTop, width: columnWidth, height: 170)
        }
        let top = circuitFrames + traceFrames
        var off = traceAxes(r, .off, items: [0], legend: .hidden)
        off.title = "gate closed: the cue fades"
        var gated = traceAxes(r, .gated, items: [0], legend: .hidden)
        gated.title = "gate open for the cue: it is held"
        // At the open gate's r_MD the unit is bistable: the cue is held by switching attractor.
        let d = r.parameters
        let states = WorkingMemoryUnit(tau: d.tau, wPFC: d.wPFC).fixedPoints(md: d.rMD, sensory: d.rBias)
        let attractorText =
            states.count == 3
            ? """
            At r_{MD} = \(d.rMD.compact) the unit is bistable: τ_{eff} is only \(states[0].effectiveTimeConstant.fixed(0)) ms \
            at rest and \(states[2].effectiveTimeConstant.fixed(0)) ms in the persistent state (Eq. 11), so the cue is held \
            because it switches the unit to the persistent attractor, not by a slow decay.\u{20}
            """
            : ""
        return Figure.schematics(
            width: width, height: height,
            panels: [
                SchematicPanel("A", frame: top[0], schematic: GatingSchematics.circuit(open: false, legend: false)),
                SchematicPanel("B", frame: top[1], schematic: GatingSchematics.circuit(open: true, legend: false)),
            ],
            keyFrame: keyFrame, keyColumns: 4, keyWidth: 240, keyHeight: 12,
            others: [Panel("C", frame: top[2], content: off), Panel("D", frame: top[3], content: gated)],
            caption: """
                Working-memory gating (after the review's Figure 7); the silent side of the circuit is drawn \
                pale. A, the basal ganglia (BG) inhibit the mediodorsal thalamus (MD): r_{MD} ≈ 0, the PFC loop keeps its own gain and an input fades with \
                τ_{eff} ≈ τ. B, when the BG pause, MD multiplies the loop's gain by 1 + r_{MD} and the item is held. \
                Dopamine (δ) trains the corticostriatal synapses that decide when to pause. C, D, the cue's PFC \
                unit simulated from Eq. 10 in the two states (r_{MD} = 0 and \(r.parameters.rMD.compact)). \
                \(attractorText)\(parameterLine(r.parameters)).
                """)
    }

    static func traces(_ r: GatingTracesResult) -> Figure {
        let frames = Figure.grid(width: width, height: 200, rows: 1, columns: 3)
        let items = Array(r.items.indices)
        let panels = GatingCondition.allCases.enumerated().map { k, condition -> Panel in
            var axes = traceAxes(r, condition, items: items, legend: .hidden)
            if k == 0 {
                // Direct labels beside each item's response, instead of a legend that would cover one.
                for (i, event) in r.events.filter({ $0.item != nil }).enumerated() {
                    axes.text(itemName(i), x: event.start + 15, y: 0.93, align: .left, color: itemColor(i))
                }
            }
            return Panel(String(UnicodeScalar(UInt8(65 + k))), frame: frames[k], content: axes)
        }
        let readouts = GatingCondition.allCases.map { "\($0.title): \(Int((r.recallFraction($0) * 100).rounded()))%" }
        // The outcome words follow the run, so a changed --r-md or --w-pfc does not get the default's story.
        let held = r.recallFraction(.gated) >= 0.5
        // Where the resting state itself is high (past the bifurcation, --r-md 3.5, or without the
        // bias, --r-bias 0) every unit is up before any item arrives, and "held" says nothing.
        let firstOnset = r.events.first { $0.item != nil }?.start ?? 0
        let beforeItems = r.time.lastIndex { $0 < firstOnset } ?? 0
        func highBeforeItems(_ c: GatingCondition) -> Bool {
            let trace = r.trace(c)
            return trace.rates.allSatisfy { $0[beforeItems] > trace.readout.heldThreshold }
        }
        let onOutcome =
            highBeforeItems(.on)
            ? "every unit is already above the held threshold before any item arrives, so being high says nothing "
                + "about what was seen"
            : held ? "the distractors are stored too and compete with the cue" : "every item is amplified"
        let distractorsHeld = r.trace(.gated).readout.held.dropFirst().contains(true)
        let gatedOutcome =
            !held
            ? "at this MD drive even the cue is not held"
            : distractorsHeld
                ? "the cue is the most active unit, but the distractors' units are above the held threshold too"
                : "only the cue is held"
        return Figure(
            width: width, height: 200, panels: panels,
            caption: """
                PFC activity through a delayed task: a cue (blue), then two distractors (dist. 1 orange, dist. 2 \
                vermillion and dashed), then a probe; one \
                PFC unit per item, Eq. 10 for each. A, MD off (r_{MD} = 0): the cue fades before the probe. B, MD on for every \
                unit (r_{MD} = \(r.parameters.rMD.compact)): \(onOutcome). C, MD gated to the cue's unit only: \
                \(gatedOutcome). This gate is imposed by hand, so C \
                illustrates why selectivity is needed rather than showing that it can be learned. Trials on which the cue is the most \
                active unit at the probe, over \(r.seedValues.count) seeds with jittered input amplitudes — \
                \(readouts.joined(separator: "; ")). w_{PFC} = \(r.parameters.wPFC.compact), \(parameterLine(r.parameters)).
                """)
    }

    // MARK: tau-eff

    /// Nice ticks for a residual in units of 10⁻⁴ (from 0 or below to 1 or above), each label
    /// padded to four digits so that the panel's plot area lines up with the log panel above (10 … 1000).
    private static func residualTicks(_ residuals: [Double]) -> NiceTicks {
        let scaled = residuals.filter(\.isFinite).map { $0 * 1e4 }
        let lo = Swift.min(0, (scaled.min() ?? 0).rounded(.down))
        let hi = Swift.max(1, (scaled.max() ?? 1).rounded(.up))
        return NiceTicks(min: lo, max: hi, maxCount: 5).padded(to: 4)
    }

    static func tauEffective(_ r: TauEffectiveResult) -> Figure {
        let p = r.parameters
        let height = 330.0
        // A tall panel for τ_eff and a short one for the residual, sharing the r_MD axis.
        let left = 14.0
        let w = width - left - 10
        let top = Rect(x: left, y: 10, width: w, height: 222)
        let bottom = Rect(x: left, y: 246, width: w, height: height - 246 - 6)
        let xMax = (r.maxMD.max() ?? 1) * 1.02
        var axes = Axes(
            xLabel: "MD drive r_{MD}", yLabel: "τ_{eff} (ms)", xRange: 0...xMax, yRange: 10...2000, yScale: .log, legend: .topLeft)
        // Shade the bistable part of each curve: there a persistent state exists beside the rest.
        for k in r.theoryCurves.indices where k < r.bistableRanges.count {
            guard let range = r.bistableRanges[k] else { continue }
            let curve = r.theoryCurves[k]
            let inside = curve.rMD.indices.filter { range.contains(curve.rMD[$0]) }
            guard !inside.isEmpty else { continue }
            axes.band(
                x: inside.map { curve.rMD[$0] }, mean: inside.map { curve.tau[$0] * 1.2 },
                sem: inside.map { curve.tau[$0] * 0.5 }, color: Palette.grey, width: 0,
                label: k == 0 ? "bistable (a persistent state exists)" : nil)
        }
        // Legend keys in black: the colour of a curve is its w_PFC, labelled at the curve's end.
        axes.line(x: [.nan], y: [.nan], color: Palette.black, label: "Eq. 11 (the formula)")
        // Small open markers, so the formula's curve shows between and through them.
        let simulatedMarker = Marker.openCircle.sized(3)
        axes.scatter(x: [.nan], y: [.nan], color: Palette.black, marker: simulatedMarker, label: "simulated (fit to the decay)")
        var residual = Axes(xLabel: "MD drive r_{MD}", yLabel: "residual (10^{−4})", xRange: 0...xMax, legend: .hidden)
        residual.horizontalLine(at: 0)
        for (k, wPFC) in p.wPFCValues.enumerated() {
            let points = r.points(wPFC: wPFC)
            let color = Palette.categorical[k % Palette.categorical.count]
            if k < r.theoryCurves.count {
                axes.line(x: r.theoryCurves[k].rMD, y: r.theoryCurves[k].tau, color: color, endLabel: "w_{PFC} = \(wPFC.compact)")
            }
            axes.scatter(x: points.map(\.rMD), y: points.map(\.simulated), color: color, marker: simulatedMarker)
            residual.line(
                x: points.map(\.rMD), y: points.map { ($0.simulated / $0.theory - 1) * 1e4 }, color: color, marker: simulatedMarker)
        }
        // Reference labels inside the plot (clear of the data), so that A and B keep the same plot width.
        axes.horizontalLine(at: p.tau, label: "τ", labelInside: true)
        if let ceiling = r.gradedCeiling { axes.horizontalLine(at: ceiling, label: "graded max", labelInside: true) }
        residual.yTicks = residualTicks(r.points.map { $0.simulated / $0.theory - 1 })
        let ceilingText =
            r.gradedCeiling.map {
                """
                Shaded: the bistable window of each curve, where a persistent state exists beside the resting one. \
                In the graded regime (one fixed point) the resting τ_{eff} cannot exceed \($0.fixed(1)) ms \
                (\(($0 / p.tau).fixed(2)) τ, the line marked "graded max") at this r_{bias}, whatever w_{PFC}: every longer \
                τ_{eff} here belongs to a bistable unit.\u{20}
                """
            } ?? ""
        return Figure(
            width: width, height: height,
            panels: [Panel("A", frame: top, content: axes), Panel("B", frame: bottom, content: residual)],
            caption: """
                The thalamus sets the memory's time constant. A, circles: τ_{eff} measured by perturbing Eq. 10 at its \
                resting fixed point and fitting the decay; lines: Eq. 11, τ / (1 − (1 + r_{MD}) w_{PFC} f′), drawn from \
                the formula at \(r.theoryCurves.first?.rMD.count ?? 0) values of r_{MD}. Each curve stops where the loop gain reaches \(p.tauSweepMaxLoopGain.compact). \
                B, the residual, simulated / Eq. 11 − 1, in units of 10^{−4}; largest where the loop gain is ≤ 0.9: \
                \(percent(r.maxRelativeError(upToLoopGain: 0.9))). \
                \(ceilingText)\(parameterLine(p)).
                """)
    }

    // MARK: bifurcation

    static func bifurcation(_ r: BifurcationResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 240, rows: 1, columns: 1)
        // Split the fixed points into the resting branch, the persistent branch and the unstable middle.
        let stride = max(1, r.rMD.count / 800)
        var x: [Double] = []
        var low: [Double] = []
        var high: [Double] = []
        var middle: [Double] = []
        for k in Swift.stride(from: 0, to: r.rMD.count, by: stride) {
            let fps = r.fixedPoints[k].sorted { $0.rate < $1.rate }
            x.append(r.rMD[k])
            if fps.count == 3 {
                low.append(fps[0].rate)
                middle.append(fps[1].rate)
                high.append(fps[2].rate)
            } else {
                let only = fps.first?.rate ?? .nan
                low.append(only < 0.5 ? only : .nan)
                high.append(only < 0.5 ? .nan : only)
                middle.append(.nan)
            }
        }
        var axes = Axes(xLabel: "MD drive r_{MD}", yLabel: "fixed point r*", yRange: 0...1, legend: .topLeft)
        axes.line(x: x, y: low, color: Palette.cortex, label: "resting state (stable)")
        axes.line(x: x, y: high, color: Palette.thalamus, label: "persistent state (stable)")
        axes.line(x: x, y: middle, color: Palette.grey, dash: [4, 2], label: "threshold (unstable)")
        if let onset = r.onset { axes.verticalLine(at: onset.refinedMD, label: "g = 1: bistable") }
        if let collapse = r.collapse { axes.verticalLine(at: collapse.refinedMD, label: "g = 1: rest lost") }
        let onsetText =
            r.onset.map {
                "At r_{MD} = \($0.refinedMD.fixed(3)) a persistent state appears (loop gain there \($0.refinedLoopGain.fixed(3))); "
            } ?? ""
        let collapseText =
            r.collapse.map {
                "at r_{MD} = \($0.refinedMD.fixed(3)) the resting state itself loses stability and vanishes. "
            } ?? ""
        // The window is named only where the sweep finds one: with --r-bias 0, say, every drive has a
        // single fixed point and there is nothing between two crossings to describe.
        let bistableText =
            r.onset == nil && r.collapse == nil
            ? "Over this range of r_{MD} the unit has a single fixed point at every drive: no persistent state appears, "
                + "the memory is never bistable, and Eq. 11 holds throughout. "
            : "\(r.onset == nil ? "Below that drive" : r.collapse == nil ? "Past that drive" : "Between the two") the memory is bistable: "
                + "an item that pushes r past the unstable threshold stays up indefinitely, and Eq. 11, a statement "
                + "about small deviations from a single fixed point, no longer describes it. "
        return Figure(
            width: width, height: 240,
            panels: [Panel(nil, frame: frames[0], content: axes)],
            caption: """
                Fixed points of Eq. 10 as the MD drive grows (w_{PFC} = \(p.wPFC.compact), r_{s} = r_{bias}). \
                \(onsetText)\(collapseText)\(bistableText)\(parameterLine(p)).
                """)
    }

    // MARK: phase-diagram

    /// The top of the phase diagram's colour scale (τ_eff / τ).
    static let phaseColorCap = 10.0

    static func phaseDiagram(_ r: PhaseDiagramResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 280, rows: 1, columns: 1)
        let dx = (r.rMD.last! - r.rMD.first!) / Double(max(1, r.rMD.count - 1)) / 2
        let dy = (r.wPFC.last! - r.wPFC.first!) / Double(max(1, r.wPFC.count - 1)) / 2
        var axes = Axes(
            xLabel: "MD drive r_{MD}", yLabel: "recurrent weight w_{PFC}",
            xRange: (r.rMD.first! - dx)...(r.rMD.last! + dx), yRange: (r.wPFC.first! - dy)...(r.wPFC.last! + dy),
            legend: .topRight)
        // A capped log scale: the graded regime (≤ 1.5 τ) and the bistable band (1.5–10 τ) each get
        // a good part of the colour map, instead of a few cells at the boundary taking all of it.
        axes.heatmap(
            r.tauRatio, x: (r.rMD.first! - dx)...(r.rMD.last! + dx), y: (r.wPFC.first! - dy)...(r.wPFC.last! + dy),
            colorMap: .viridis, range: 1...phaseColorCap, logColor: true,
            colorBarLabel: "τ_{eff} / τ (≥ \(phaseColorCap.compact) at the top)")
        // The two g = 1 boundaries: a persistent state appears (dashed); the resting state is lost (solid).
        let onset = zip(r.onsetMD, r.wPFC).filter { $0.0.isFinite }
        let collapse = zip(r.collapseMD, r.wPFC).filter { $0.0.isFinite }.sorted { $0.0 < $1.0 }
        // The part of the solid boundary on the axes (it may lie far off them, e.g. at a low r_bias).
        let xRight = r.rMD.last! + dx
        let visibleCollapse = collapse.filter { $0.0 >= r.rMD.first! - dx && $0.0 <= xRight }
        // The lost region: from the solid boundary up to the top and right edges, filled opaque grey
        // (it hides the cells that straddle the boundary), with its own key entry.
        let yTop = r.wPFC.last! + dy
        if let first = visibleCollapse.first, let last = visibleCollapse.last {
            axes.region(
                x: [first.0] + visibleCollapse.map(\.0) + [xRight, xRight],
                y: [yTop] + visibleCollapse.map(\.1) + [last.1, yTop], color: Palette.grey.lightened(0.45),
                label: "resting state lost (no Eq. 11)")
        }
        axes.line(x: onset.map(\.0), y: onset.map(\.1), color: .white, width: 1.6, dash: [4, 2])
        axes.line(x: collapse.map(\.0), y: collapse.map(\.1), color: .black, width: 2.2)
        axes.text("graded", x: 0.35, y: 1.6, color: .white)
        axes.text("bistable", x: 1.25, y: 2.75, color: .white)
        return Figure(
            width: width, height: 280,
            panels: [Panel(nil, frame: frames[0], content: axes)],
            caption: """
                How long a memory lasts over the (r_{MD}, w_{PFC}) plane: τ_{eff} / τ from Eq. 11 at the resting state \
                (log colour scale, capped at \(phaseColorCap.compact)). Dashed line: a persistent state appears (loop gain 1 at the new pair of \
                fixed points); to its right the unit is bistable, and an item strong enough to cross the threshold \
                is held indefinitely while small deviations still decay with τ_{eff}. Solid line: the resting \
                state's own loop gain reaches 1 and τ_{eff} diverges; beyond it (grey) only the persistent state \
                is left and Eq. 11 has nothing to describe. Left of the dashed line (graded: one fixed point) τ_{eff} / τ \
                never exceeds \(r.maxGradedRatio.fixed(2)); every long time constant lies in the bistable band. \
                \(r.rMD.count) × \(r.wPFC.count) cells, rows computed in parallel; every \
                \(p.phaseCheckStride)th cell with a resting state was also simulated and agrees with Eq. 11 \
                within \(percent(r.maxCheckError)). \(parameterLine(p)).
                """)
    }

    // MARK: learned-gating

    /// A log delay axis that spans the data (not the decade below them), with a little margin.
    private static func delayRange(_ delays: [Double]) -> ClosedRange<Double> {
        (delays.min()! / 1.15)...(delays.max()! * 1.15)
    }

    /// Ticks at the delays that were run (250, 500, 1000, … ms); with `every` = 2 only every
    /// other one is labelled (the rest are minor ticks), for a narrow panel.
    private static func delayTicks(_ delays: [Double], every: Int = 1) -> NiceTicks {
        NiceTicks.at(delays, range: delayRange(delays), scale: .log, labelEvery: every) { $0.compact }
    }

    /// The caption's note when the actor sees the item as well as its slot (Exercise 4).
    private static let actorClause = ", seeing each item's slot and identity (--actor-state slot-item)"

    /// How the cue's and the last distractor's traces compare with the readout noise at the shortest delay.
    private static func noiseClause(_ probe: ProbeTraceResult) -> String {
        let sds = (probe.cueLinear[0] - probe.lastDistractor[0]) / probe.parameters.readoutNoise
        return sds <= 1.5 ? "within the readout noise" : "\(sds.fixed(1)) readout-noise sd apart"
    }

    /// What the full Eq. 10 does to the loaded cue, for panel C's caption: how fast it decays
    /// against the linearised τ_eff, or, with a bistable open gate, where it settles.
    private static func fullModelClause(_ probe: ProbeTraceResult) -> String {
        guard let upper = probe.persistentRate else {
            return "which loses 1/e in \(probe.fullOneOverETime.fixed(0)) ms, not \(probe.linearTauOpen.fixed(0)) ms"
        }
        let level = (upper - 0.5) / (probe.loadedRate - 0.5)
        return """
            which, the open gate being bistable (r_{MD,open} = \(probe.parameters.rMDOpen.compact)), settles in its \
            persistent state r = \(upper.fixed(3)) (trace \(level.fixed(2)), approached with τ_{eff} = \
            \(probe.linearTauOpen.fixed(0)) ms) instead of fading
            """
    }

    static func learnedGating(
        _ r: LearnedGatingResult, sweep: DelaySweepResult, probe: ProbeTraceResult, memory: MemoryTDResult
    ) -> Figure {
        let p = r.parameters
        let height = 460.0
        let frames = Figure.grid(width: width, height: height, rows: 2, columns: 2)
        var a = Axes(xLabel: "training trial", yLabel: "accuracy at the probe", yRange: 0...1.12, legend: .hidden)
        a.horizontalLine(at: r.chance, label: "chance")
        for policy in GatePolicy.allCases {
            let s = r.series(policy).statistics
            a.band(
                x: s.x, mean: s.mean, sem: s.sem, color: policyColor(policy), dash: policyDash(policy), label: title(policy))
        }
        var b = Axes(
            xLabel: "delay (ms)", yLabel: "accuracy at the probe", xRange: delayRange(sweep.delays), yRange: 0...1.12, xScale: .log,
            legend: .outsideRight)
        b.xTicks = delayTicks(sweep.delays, every: 2)
        b.horizontalLine(at: sweep.chance, label: "chance")
        for policy in sweep.policies {
            let acc = sweep.accuracy(policy)
            b.band(
                x: sweep.delays, mean: acc.map(\.mean), sem: acc.map(\.sem), color: policyColor(policy),
                dash: policyDash(policy), label: title(policy))
            b.scatter(x: sweep.delays, y: acc.map(\.mean), color: policyColor(policy), marker: Marker(policyMarker(policy)))
        }
        // Labelled inside the plot, so that B's axes line up with A's (a label above would push them down).
        b.verticalLine(at: p.delay, label: "training delay", labelInside: true)
        // A cue trace that persists (the bistable regime) runs along the top of the panel at every
        // delay: then the axis goes higher, so the legend has the top right to itself.
        let persists = probe.cueFull.allSatisfy { $0 > 0.5 }
        var c = Axes(
            xLabel: "delay L (ms)", yLabel: "trace at the probe", xRange: delayRange(sweep.delays),
            yRange: 0...(persists ? 1.45 : 1.05), xScale: .log, legend: .topRight)
        c.xTicks = delayTicks(sweep.delays)
        c.horizontalLine(at: p.readoutNoise, label: "noise sd")
        c.line(x: probe.delays, y: probe.cueLinear, color: Palette.basalGanglia, label: "cue, gated in (linearised)")
        c.line(x: probe.delays, y: probe.cueFull, color: Palette.basalGanglia, dash: [4, 2], label: "cue, full Eq. 10")
        c.line(x: probe.delays, y: probe.lastDistractor, color: Palette.grey, label: "last distractor, not gated")
        c.verticalLine(at: p.delay, label: "training delay", labelInside: true)
        var dPanel = Axes(xLabel: "presentation of the cue", yLabel: "δ at the reward", yRange: -0.75...1.05, legend: .topRight)
        dPanel.horizontalLine(at: 0)
        for (coding, color, label) in [
            (MemoryStateCoding.timeOnly, Palette.grey, "time only (Ch. 2)"), (.gateOpen, Palette.basalGanglia, "+ memory, gated in"),
        ] {
            for cue in 0..<2 {
                let y = memory.meanCurve(coding, cue: cue)
                dPanel.line(
                    x: y.indices.map { Double($0 + 1) }, y: y, color: color, dash: cue == 0 ? [] : [4, 2],
                    label: "\(label), \(cue == 0 ? "A" : "B")")
            }
        }
        func late(_ coding: MemoryStateCoding, _ cue: Int) -> String { memory.late(coding, cue: cue).mean.fixed(2) }
        func final(_ policy: GatePolicy) -> String {
            let m = r.series(policy).finalAccuracy
            return "\(m.mean.fixed(2)) ± \(m.sem.fixed(2))"
        }
        func tested(_ policy: GatePolicy) -> String { sweep.accuracy(policy, delay: p.delay).mean.fixed(3) }
        let short = sweep.delays.first!
        return Figure(
            width: width, height: height,
            panels: [
                Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b),
                Panel("C", frame: frames[2], content: c), Panel("D", frame: frames[3], content: dPanel),
            ],
            caption: """
                The basal ganglia learn the gate. Each trial shows a cue (one of \(p.items) items), \
                \(p.distractors) distractors and, \(p.delay.compact) ms later, a probe; reward 1 if the most active \
                PFC unit is the cue's. An actor-critic trained by the TD error δ (the striatum and dopamine) \
                chooses for each item whether MD is released\(p.actorState == .slotItem ? actorClause : ""). A, accuracy over training in blocks of \(p.block) \
                trials: learned \(final(.learned)), oracle (opens for the cue only: the ceiling) \(final(.oracle)), \
                always open \(final(.alwaysOpen)), always closed \(final(.alwaysClosed)) at the end; chance \
                (\(r.chance.fixed(2))) is the floor. The learned gate opens for \
                \((r.finalOpening.cue.mean * 100).fixed(1))% of cues and \((r.finalOpening.distractor.mean * 100).fixed(1))% \
                of distractors. B, after training, accuracy against delay; at the training delay the frozen learned \
                gate scores \(tested(.learned)) and the oracle \(tested(.oracle)). C, why short delays are harder: \
                distractors are spread over the delay, so the last one, not gated in, is only L/\(p.distractors + 1) old \
                at the probe; at L = \(short.compact) ms its trace is \(probe.lastDistractor[0].fixed(2)) against the \
                cue's \(probe.cueLinear[0].fixed(2)), \(noiseClause(probe)). Dashed: the cue under the full Eq. 10 \
                from r = \(probe.loadedRate.compact), \(fullModelClause(probe)). D, Chapter 2's two-cue task (A rewarded, \
                B not, \
                \(memory.interval.compact) ms from cue to reward) with the memory in the TD state: late δ at the reward with \
                time-only features \(late(.timeOnly, 0)) (A) and \(late(.timeOnly, 1)) (B); with the cue gated in \
                \(late(.gateOpen, 0)) and \(late(.gateOpen, 1)); with the gate closed the trace has faded below the \
                noise by the reward and δ stays at \(late(.gateClosed, 0)) and \(late(.gateClosed, 1)). \
                Mean ± SEM over \(r.seedValues.count) seeds.
                """)
    }
}
