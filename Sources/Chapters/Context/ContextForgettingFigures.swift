import Cairo
import CreditCore
import Foundation
import Plot

extension FigureInfo {
    static let forgetting = FigureInfo(
        "forgetting",
        "accuracy on context 1 and 2 after every block of C1, C2, C1, … for each method, with chance and the MD oracle; trials to criterion per block"
    )
    static let capacity = FigureInfo(
        "capacity",
        "retention of earlier contexts after learning K = 2, 4, 8 contexts on one network size, per method, and accuracy on the newest context"
    )
}

/// Figure layouts of Chapter 4, part 2. They only draw the results they are given.
enum ContextForgettingFigures {
    static let width = 520.0

    /// "1 C1", "2 C2", …: block numbers with their context under the block axis.
    static func blockTicks(_ contexts: [Int]) -> NiceTicks {
        NiceTicks(
            values: (0...contexts.count).map(Double.init),
            labels: ["start"] + contexts.enumerated().map { "\($0.offset + 1)\u{2009}C\($0.element + 1)" },
            step: 1, lower: -0.4, upper: Double(contexts.count) + 0.4)
    }

    /// Mean and SEM of the finite values (NaN and SEM 0 when there are none: a point no seed reached).
    static func finiteMeanSEM(_ values: [Double]) -> (mean: Double, sem: Double) {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return (.nan, 0) }
        let s = MeanSEM(finite)
        return (s.mean, s.sem)
    }

    /// Mean ± SEM per block of accuracy on `context`, for method m, over the blocks every seed
    /// completed; x offset by `dx` for visibility.
    private static func accuracyBand(_ r: ForgettingResult, m: Int, context: Int, dx: Double) -> (x: [Double], s: [MeanSEM]) {
        let blocks = r.completedBlocks(method: m)
        return ((0...blocks).map { Double($0) + dx }, (0...blocks).map { MeanSEM(r.accuracy(method: m, block: $0, context: context)) })
    }

    /// One method's line: mean ± SEM (dashed for the ceiling, dotted where the method says so)
    /// with a dot per point; where a seed diverged, Chapter's shared divergence band ends it in
    /// a × with a note, and the legend says where.
    private static func drawMethod(
        _ method: ForgettingMethod, on a: inout Axes, x: [Double], mean: [Double], sem: [Double], divergence: DivergenceError?
    ) {
        var s = SeedStatistics([Curve(name: method.id, x: x, y: mean)])
        s.sem = sem
        a.band(s, color: method.color, dash: method.dash, label: method.label, divergence: divergence)
        a.scatter(x: x, y: mean, color: method.color, marker: .circle)
    }

    static func forgetting(_ r: ForgettingResult, _ p: ForgettingParameters) -> Figure {
        let height = 430.0
        let frames = Figure.grid(width: width, height: height, rows: 2, columns: 2, columnWeights: [1, 1])
        let n = r.methods.count
        let spread = 0.36
        func offset(_ m: Int) -> Double { n == 1 ? 0 : -spread / 2 + spread * Double(m) / Double(n - 1) }
        func accuracyPanel(context: Int, legend: LegendPosition) -> Axes {
            var a = Axes(
                xLabel: "after block (context trained)", yLabel: "accuracy on C\(context + 1)",
                xRange: -0.4...(Double(r.blockContexts.count) + 0.4), yRange: -0.02...1.05, legend: legend)
            a.xTicks = blockTicks(r.blockContexts)
            a.horizontalLine(at: 0.5, label: "chance")
            for (m, method) in r.methods.enumerated() {
                let (x, s) = accuracyBand(r, m: m, context: context, dx: offset(m))
                drawMethod(method, on: &a, x: x, mean: s.map(\.mean), sem: s.map(\.sem), divergence: r.divergence(method: m))
            }
            return a
        }
        let a = accuracyPanel(context: 0, legend: .hidden)
        let b = accuracyPanel(context: 1, legend: .hidden)
        // C: trials to criterion per block (a block that never reached it counts as T).
        let blocks = r.blockContexts.count
        let categories = (0..<blocks).map { "\($0 + 1)\u{2009}C\(r.blockContexts[$0] + 1)" }
        let stats = r.methods.indices.map { m in
            (0..<blocks).map { b in
                finiteMeanSEM(r.runs[m].map { b < $0.trialsToCriterion.count ? Double($0.trialsToCriterion[b] ?? r.trialsPerBlock) : .nan })
            }
        }
        var c = Axes(xLabel: "block (context trained)", yLabel: "trials to criterion", legend: .outsideRight)
        c.bars(
            categories: categories, values: stats.map { $0.map(\.mean) }, errors: stats.map { $0.map(\.sem) },
            colors: r.methods.map(\.color))
        // One legend for the figure, beside C: each method as A and B draw it (colour, dash, dot),
        // which also names C's bars (same colours, same order); its samples draw nothing in C.
        // Where a method diverged, A and B say so beside its × (the shared divergence band).
        for method in r.methods {
            c.line(x: [0], y: [.nan], color: method.color, dash: method.dash, marker: .circle, label: method.label)
        }
        let unreached = r.runs.flatMap { $0.flatMap(\.trialsToCriterion) }.filter { $0 == nil }.count
        let frameC = Rect(
            x: frames[2].x, y: frames[2].y, width: frames[3].x + frames[3].width - frames[2].x, height: frames[2].height)
        let noThal = r.index(of: ForgettingMethod.noThalamus.id)
        let oracle = r.index(of: ForgettingMethod.mdOracle.id)
        func afterFirstC2(_ m: Int?, _ verb: String) -> String {
            guard let m else { return "is not in this run" }
            let v = finiteMeanSEM(r.accuracy(method: m, block: 2, context: 0)).mean
            return v.isFinite ? "\(verb) \(v.fixed(2)) after the first C2 block" : "diverged before the first C2 block ended"
        }
        let learnsSelection = r.methods.filter { m in !ForgettingMethod.withoutBasalGanglia.contains { $0.id == m.id } }
        let selectors =
            learnsSelection.isEmpty
            ? ""
            : "\(learnsSelection.map(\.label).joined(separator: " and ")) choose the MD unit themselves, from reward "
                + "(figures bg-selection and bg-lesion)."
        return Figure(
            width: width, height: height,
            panels: [
                Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b),
                Panel("C", frame: frameC, content: c),
            ],
            caption: """
                Contextual credit with conflicting maps: in C2 every cue calls for the other action than in C1. \
                A, B, probe accuracy (learning off) on C1 and C2 after each block of \(r.trialsPerBlock) trials; \
                chance 0.5 (grey). Without the thalamus (one network, all units active, the context as an \
                input) C1 \(afterFirstC2(noThal, "falls to")); with MD amplifying one group per context (the \
                context given: the ceiling, dashed) it \(afterFirstC2(oracle, "stays at")). \(selectors) Methods are offset sideways so that overlapping curves stay visible. C, trials until every cue \
                of the block's context is right at the probe, taken after each trial (bars left to right in the \
                legend's order, which names A and B's lines too; 1 means it was still \
                known; a block that never gets there counts as \
                \(r.trialsPerBlock); \(unreached) of \(r.methods.count * r.seeds.count * blocks) did not). \
                Mean ± SEM over \(r.seeds.count) seeds; N = \(p.mdUnits) × \(p.unitsPerGroup) PFC units, \
                S = \(p.cues) cues, η = \(p.learningRate.compact), σ_{ctx} = \(p.contextWeight.compact), \
                λ = \(p.ewcLambda.compact), B = \(p.replayBuffer), XdG keeps \(Int((p.xdgKeep * 100).rounded())) %.
                """)
    }

    static func capacity(_ r: CapacityResult, _ p: ForgettingParameters) -> Figure {
        let height = 230.0
        let frames = Figure.grid(width: width, height: height, rows: 1, columns: 2, columnWeights: [1, 1.45])
        let ks = r.contexts.map(Double.init)
        let n = r.methods.count
        let spread = 0.5
        func offset(_ m: Int) -> Double { n == 1 ? 0 : -spread / 2 + spread * Double(m) / Double(n - 1) }
        let ticks = NiceTicks(
            values: ks.map { log2($0) }, labels: r.contexts.map(String.init), step: 1, lower: log2(ks.first!) - 0.4,
            upper: log2(ks.last!) + 0.4)
        func panel(_ values: [[[Double]]], yLabel: String, legend: LegendPosition) -> Axes {
            var a = Axes(
                xLabel: "contexts K (log scale)", yLabel: yLabel, xRange: (log2(ks.first!) - 0.4)...(log2(ks.last!) + 0.4),
                yRange: -0.02...1.05, legend: legend)
            a.xTicks = ticks
            a.horizontalLine(at: 0.5, label: "chance")
            for (m, method) in r.methods.enumerated() {
                let s = values[m].map { finiteMeanSEM($0) }
                let x = ks.map { log2($0) + offset(m) }
                drawMethod(method, on: &a, x: x, mean: s.map(\.mean), sem: s.map(\.sem), divergence: r.divergence(method: m))
            }
            return a
        }
        let a = panel(r.retention, yLabel: "retention of C1 … C(K−1)", legend: .hidden)
        let b = panel(r.newest, yLabel: "accuracy on the newest context CK", legend: .outsideRight)
        return Figure(
            width: width, height: height,
            panels: [Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b)],
            caption: """
                More contexts on the same network (N = \(p.mdUnits) × \(p.unitsPerGroup) units, one MD unit per \
                context up to \(p.mdUnits)). Each run trains C1, C2, …, CK once, \(p.trialsPerBlock) trials per block; \
                contexts come in opposite pairs. A, retention: mean probe accuracy on the earlier contexts after the \
                last block; B, accuracy on the last context, which shows whether a method still learns. Chance 0.5. \
                Mean ± SEM over \(r.seeds.count) seeds; methods offset sideways for visibility.
                """)
    }
}
