import Foundation
import Cairo
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import Plot

/// A small deterministic generator for demo data (no dependency on CreditCore).
struct DemoRandom {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    /// Roughly normal (sum of uniforms).
    mutating func normal() -> Double { (0..<6).reduce(0) { s, _ in s + next() } - 3 }
}

enum Demo {
    /// Panel A: RPE δ around cue and reward, early vs late in training, mean ± SEM over 10 seeds.
    static func rpePanel() -> Axes {
        var ax = Axes(xLabel: "time since cue (steps)", yLabel: "RPE δ")
        let t = (-4...16).map(Double.init)
        var rng = DemoRandom(state: 7)
        func bump(_ x: Double, at c: Double, width: Double) -> Double { exp(-(x - c) * (x - c) / (2 * width * width)) }
        let early = t.map { 0.9 * bump($0, at: 10, width: 0.8) + 0.03 * rng.normal() }
        let late = t.map { 0.85 * bump($0, at: 0, width: 0.8) + 0.25 * bump($0, at: 10, width: 0.8) + 0.03 * rng.normal() }
        let sem = t.map { _ in 0.05 + 0.03 * rng.next() }
        ax.band(x: t, mean: early, sem: sem, color: Palette.orange, label: "early (trials 1–20)")
        ax.band(x: t, mean: late, sem: sem.map { $0 * 0.8 }, color: Palette.blue, label: "late (trials 180–200)")
        ax.verticalLine(at: 0, label: "cue")
        ax.verticalLine(at: 10, label: "reward")
        ax.horizontalLine(at: 0)
        return ax
    }

    /// Panel B: value estimate over trials and time (viridis heatmap with colour bar).
    static func valueHeatmap() -> Axes {
        var ax = Axes(xLabel: "time since cue (steps)", yLabel: "trial", title: "τ_{eff} = 4 steps")
        let rows = 40
        let columns = 21
        let values = (0..<rows).map { r -> [Double] in
            (0..<columns).map { c in
                let progress = 1 - exp(-Double(r) / 12)
                let t = Double(c) - 4
                return t < 0 ? 0 : (t <= 10 ? progress * exp(-(10 - t) / 4) : 0)
            }
        }
        ax.heatmap(values, x: -4.5...16.5, y: 0...200, colorBarLabel: "V(s_{t})")
        ax.verticalLine(at: 0)
        return ax
    }

    /// Panel C: final error per method (grouped bars ± SEM) with individual seeds overlaid.
    static func barsPanel() -> Axes {
        var ax = Axes(yLabel: "final error (a.u.)")
        let categories = ["backprop", "FA", "DFA", "node pert."]
        let early = [0.12, 0.19, 0.22, 0.41]
        let late = [0.05, 0.09, 0.11, 0.30]
        ax.bars(
            categories: categories, values: [early, late], errors: [[0.02, 0.03, 0.03, 0.05], [0.01, 0.02, 0.02, 0.04]],
            colors: [Palette.skyBlue.lightened(0.35), Palette.blue.lightened(0.35)], labels: ["epoch 10", "epoch 100"])
        var rng = DemoRandom(state: 3)
        for (s, means) in [early, late].enumerated() {
            var xs: [Double] = []
            var ys: [Double] = []
            for c in categories.indices {
                for _ in 0..<5 {
                    xs.append(Axes.barPosition(category: c, series: s, seriesCount: 2) + (rng.next() - 0.5) * 0.15)
                    ys.append(max(0, means[c] + 0.04 * rng.normal()))
                }
            }
            ax.scatter(x: xs, y: ys, color: Style.axisColor, marker: Marker(.circle, size: 2.6, filled: false))
        }
        return ax
    }

    static func figure() -> Figure {
        let frames = Figure.grid(width: 500, height: 170, rows: 1, columns: 3, columnWeights: [1.15, 1.05, 1])
        return Figure(
            width: 500, height: 170,
            panels: [
                Panel("A", frame: frames[0], content: rpePanel()),
                Panel("B", frame: frames[1], content: valueHeatmap()),
                Panel("C", frame: frames[2], content: barsPanel()),
            ],
            caption:
                "Demo of the plotting layer. (A) Mean ± SEM over 10 seeds. (B) Value V over trials. (C) Bars: mean ± SEM over 5 seeds; dots are seeds."
        )
    }
}

extension Demo {
    /// A second page exercising the rest: log axes, a diverging heatmap of δ, markers, NaN
    /// gaps, annotations, horizontal reference labels, powers-of-ten ticks, wrapped categories.
    static func extraFigure() -> Figure {
        let frames = Figure.grid(width: 500, height: 330, rows: 2, columns: 3)
        var rng = DemoRandom(state: 11)

        var logAxes = Axes(xLabel: "trial", yLabel: "squared error", yScale: .log)
        let trials = (1...300).map(Double.init)
        logAxes.line(x: trials, y: trials.map { 2 * exp(-$0 / 40) + 1e-3 }, color: Palette.blue, label: "TD")
        logAxes.line(
            x: trials, y: trials.map { 2 * exp(-$0 / 120) + 1e-3 }, color: Palette.vermillion, dash: [4, 2],
            label: "Monte Carlo")
        logAxes.horizontalLine(at: 1e-2, label: "tol.")

        var delta = Axes(xLabel: "time since cue (steps)", yLabel: "trial", title: "RPE δ_{t}")
        let values = (0..<30).map { r in
            (0..<20).map { c -> Double in
                let learn = Double(r) / 29
                return (c == 10 ? 1 - learn : 0) + (c == 0 ? learn : 0) - (c == 11 ? 0.3 * learn : 0)
            }
        }
        delta.heatmap(values, x: -0.5...19.5, y: 0...300, colorMap: .blueWhiteRed, colorBarLabel: "δ")

        var markers = Axes(xLabel: "γ", yLabel: "τ_{eff} (steps)", legend: .outsideRight)
        let gammas = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99]
        markers.line(
            x: gammas, y: gammas.map { 1 / (1 - $0) }, color: Palette.blue, marker: .circle, label: "1/(1−γ)")
        markers.scatter(
            x: gammas, y: gammas.map { 1 / (1 - $0) * (1 + 0.2 * rng.normal()) }, color: Palette.vermillion,
            marker: .triangle, label: "measured")
        markers.scatter(
            x: gammas, y: gammas.map { 0.8 / (1 - $0) }, color: Palette.bluishGreen, marker: Marker(.square, filled: false),
            label: "fit")
        markers.text("γ → 1", x: 0.9, y: 80)

        var gaps = Axes(xLabel: "time (s)", yLabel: "firing rate (Hz)")
        let t = (0..<60).map { Double($0) * 1e-3 }
        gaps.line(x: t, y: t.enumerated().map { $0.offset % 17 == 5 ? .nan : 40 + 30 * sin($0.element * 200) }, label: "unit 1")
        gaps.line(x: t, y: t.map { 20 + 10 * cos($0 * 150) }, marker: Marker(.diamond, size: 3), label: "unit 2")
        gaps.verticalLine(at: 0.02, label: "stimulus on")
        gaps.verticalLine(at: 0.022, label: "lick")

        var sci = Axes(xLabel: "weight scale", yLabel: "gradient norm")
        let xs = (0...10).map { Double($0) * 1e8 }
        sci.band(x: xs, mean: xs.map { 3e-9 * (1 + $0 / 1e9) }, sem: xs.map { _ in 4e-10 }, label: "n = 5 seeds")

        var cats = Axes(yLabel: "performance")
        cats.bars(
            categories: ["basal ganglia", "thalamus", "cortex"], values: [[0.6, 0.7, 0.9], [0.5, 0.65, 0.8]],
            errors: [[0.05, 0.05, 0.04], [0.06, 0.05, 0.05]], colors: [Palette.vermillion, Palette.bluishGreen],
            labels: ["intact", "lesioned"])
        cats.horizontalLine(at: 0.5, label: "chance")

        return Figure(
            width: 500, height: 330,
            panels: [
                Panel("A", frame: frames[0], content: logAxes), Panel("B", frame: frames[1], content: delta),
                Panel("C", frame: frames[2], content: markers), Panel("D", frame: frames[3], content: gaps),
                Panel("E", frame: frames[4], content: sci), Panel("F", frame: frames[5], content: cats),
            ])
    }
}

@Test func demoFigureRenders() throws {
    let fig = Demo.figure()
    let png = try fig.bytes(format: .png)
    #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    // Writes the demo files only when PLOT_DEMO names a base path (e.g. /tmp/plot-demo).
    if let base = ProcessInfo.processInfo.environment["PLOT_DEMO"] {
        try fig.write(to: base, formats: [.png, .svg])
        try Demo.extraFigure().write(to: base + "-extra", formats: [.png])
    }
}
