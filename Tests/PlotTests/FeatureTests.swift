@testable import Cairo
import Testing

@testable import Plot

// Plot features that figures used to build by hand (issue 12): tick constructors, marker
// size, missing heatmap cells with a key, region fills, seed dots over bars, labels inside the
// frame for reference lines and line ends, and a legend that ignores data outside the limits.

private func context() throws -> (Surface, Context) {
    let s = try Surface(format: .svg, width: 300, height: 200)
    return (s, try Context(surface: s))
}

private func hex(_ c: Color) -> UInt32 {
    func b(_ v: Double) -> UInt32 { UInt32((v * 255).rounded()) }
    return b(c.red) << 16 | b(c.green) << 8 | b(c.blue)
}

private let frame = Rect(x: 0, y: 0, width: 200, height: 150)

@Test func evenTicksEndExactlyAtTheUpperLimit() {
    let t = NiceTicks.even(from: 0, to: 3000)
    #expect(t.values == [0, 1000, 2000, 3000])
    #expect(t.labels == ["0", "1000", "2000", "3000"])
    #expect(t.lower == 0 && t.upper == 3000)
    #expect(NiceTicks.even(from: 0, to: 500).values == [0, 250, 500])
    #expect(NiceTicks.even(from: 0, to: 0.6).labels == ["0.0", "0.2", "0.4", "0.6"])
    // At most the intervals asked for, always a nice step.
    for upper in [7.0, 130, 999, 1234, 4e5] {
        let t = NiceTicks.even(from: 0, to: upper, maxIntervals: 4)
        #expect(t.values.count >= 2 && t.values.count <= 5, "\(upper): \(t.values)")
        #expect(t.values.last! <= upper + 1e-9)
    }
}

@Test func cellCentreTicksSitOnTheCells() {
    let t = NiceTicks.cellCentres(["a", "b", "c", "d", "e"])
    #expect(t.values == [0, 1, 2, 3, 4])
    #expect(t.lower == -0.5 && t.upper == 4.5)
    let thinned = NiceTicks.cellCentres(["a", "b", "c", "d", "e"], labelEvery: 2)
    #expect(thinned.values == [0, 2, 4] && thinned.labels == ["a", "c", "e"])
    #expect(thinned.minor == [1, 3])
}

@Test func decadeTicksLabelEverySecondDecadeWithMinorTicksBetween() {
    let t = NiceTicks.decades(from: -6, through: 0, labelEvery: 2)
    #expect(t.values == [1e-6, 1e-4, 1e-2, 1])
    #expect(t.labels == ["10^{\u{2212}6}", "10^{\u{2212}4}", "10^{\u{2212}2}", "10^{0}"])
    #expect(t.minor == [1e-5, 1e-3, 1e-1])
    #expect(t.scale == .log && t.lower == 1e-6 && t.upper == 1)
    let fine = NiceTicks.decades(from: 0, through: 2, minorMultiples: true)
    #expect(fine.values == [1, 10, 100])
    #expect(fine.minor.count == 16 && fine.minor.contains(20) && fine.minor.contains(9))
}

@Test func ticksAtGivenPositionsLabelEveryKth() {
    let t = NiceTicks.at([250, 500, 1000, 2000, 4000], range: 200...5000, scale: .log, labelEvery: 2) { "\(Int($0))" }
    #expect(t.values == [250, 1000, 4000] && t.labels == ["250", "1000", "4000"])
    #expect(t.minor == [500, 2000] && t.lower == 200 && t.upper == 5000 && t.scale == .log)
    let degrees = NiceTicks.at([0, 30, 60, 90], range: 0...100) { NiceTicks.label(for: $0, step: 30) }
    #expect(degrees.labels == ["0", "30", "60", "90"] && degrees.step == 30)
}

@Test func paddedTicksKeepValuesAndAlignWidths() {
    let t = NiceTicks(min: 0, max: 3, maxCount: 5).padded(to: 4)
    #expect(t.values == [0, 1, 2, 3])
    #expect(t.labels.allSatisfy { $0.count == 4 && $0.hasPrefix("\u{2007}\u{2007}\u{2007}") })
    // Labels already as long are kept.
    #expect(NiceTicks(min: 1000, max: 3000).padded(to: 4).labels == NiceTicks(min: 1000, max: 3000).labels)
}

@Test func markerSizeIsSettable() {
    let m = Marker.openCircle.sized(2.5)
    #expect(m.size == 2.5 && m.shape == .circle && !m.filled)
    #expect(Marker.circle.sized(-3).size > 0)
}

@Test func missingHeatmapCellsGetTheirColourAndAKeyEntry() throws {
    let red = Color(hex: 0xB2182B)
    var ax = Axes(legend: .outsideRight)
    ax.heatmap(
        [[1, .nan], [2, 3]], x: 0...2, y: 0...2, logColor: true, colorBar: false,
        missing: MissingCells(color: red, label: "failed"))
    let raster = try Raster(ax)
    let (_, ctx) = try context()
    let plot = try ax.plotArea(in: ctx, frame: frame)
    // values[0][1] is the bottom-right cell.
    #expect(raster.rgb(Point(plot.maxX - plot.width / 4, plot.maxY - plot.height / 4)) == hex(red))
    let entries = ax.legendEntries()
    #expect(entries.count == 1 && entries[0].label == "failed")
    if case .bar(let c) = entries[0].sample { #expect(c == red) } else { Issue.record("no swatch") }
}

@Test func regionFillIsOpaqueWithItsOwnKeyEntry() throws {
    var ax = Axes(xRange: 0...2, yRange: 0...2, legend: .bottomLeft)
    ax.heatmap([[1, 1], [1, 1]], x: 0...2, y: 0...2, range: 0...1, colorBar: false)
    ax.region(x: [1, 2, 2], y: [2, 2, 1], color: Palette.grey, label: "lost")
    let raster = try Raster(ax)
    let (_, ctx) = try context()
    let plot = try ax.plotArea(in: ctx, frame: frame)
    // Inside the triangle (top right) the grey is opaque over the heatmap; outside it the heatmap shows.
    #expect(raster.rgb(Point(plot.maxX - plot.width * 0.05, plot.minY + plot.height * 0.05)) == hex(Palette.grey))
    #expect(raster.rgb(Point(plot.minX + plot.width * 0.3, plot.minY + plot.height * 0.1)) != hex(Palette.grey))
    #expect(ax.legendEntries().map(\.label) == ["lost"])
    // The region counts as data: an automatic legend avoids it.
    var auto = Axes(xRange: 0...2, yRange: 0...2)
    auto.region(x: [1, 2, 2, 1], y: [1, 1, 2, 2], color: Palette.grey, label: "region")
    auto.line(x: [0, 1], y: [0, 0.5], label: "line")
    let placed = try auto.legendPlacement(in: ctx, frame: frame)
    #expect(placed?.position == .topLeft)
}

@Test func seedDotsSitOnTheirBars() {
    var ax = Axes()
    ax.bars(
        categories: ["a", "b"], values: [[1, 2], [3, 4]], colors: [Palette.grey, Palette.orange],
        points: [[[0.9, 1.1], [2]], [[3, 3.1, 2.9], []]], pointLabels: ["one", "two"])
    let scatters = ax.items.compactMap { item -> ScatterSeries? in
        if case .scatter(let s) = item { return s }
        return nil
    }
    #expect(scatters.count == 2)
    // Series 0, category 0: centred on the bar, spread over half its width (0.4 / 2).
    let c00 = Axes.barPosition(category: 0, series: 0, seriesCount: 2)
    #expect(abs(scatters[0].x[0] - (c00 - 0.1)) < 1e-12 && abs(scatters[0].x[1] - (c00 + 0.1)) < 1e-12)
    #expect(scatters[0].x[2] == Axes.barPosition(category: 1, series: 0, seriesCount: 2))
    #expect(scatters[1].x.count == 3 && scatters[1].y == [3, 3.1, 2.9])
    #expect(scatters[1].color == Palette.orange && scatters[1].label == "two")
    #expect(Axes.spread(3, centre: 1, width: 0.2) == [0.9, 1, 1.1])
}

@Test func referenceLabelsInsideTheFrameAvoidTheData() throws {
    let (_, ctx) = try context()
    // Data along the top right: the label of the line at y = 0.5 goes elsewhere, inside the plot.
    var ax = Axes(xRange: 0...1, yRange: 0...1, legend: .hidden)
    ax.line(x: [0.5, 1], y: [0.55, 0.6], color: Palette.blue, width: 2)
    ax.horizontalLine(at: 0.5, label: "chance", labelInside: true)
    ax.verticalLine(at: 0.3, label: "onset", labelInside: true)
    let outside = Axes(xRange: 0...1, yRange: 0...1, legend: .hidden)
    let layout = try ax.resolvedLayout(ctx, frame: frame)
    let bare = try outside.resolvedLayout(ctx, frame: frame)
    #expect(layout.plot == bare.plot, "inside labels take no room from the plot")
    #expect(layout.insideLabels.count == 2)
    let obstacles = try ax.obstaclePoints(layout, context: ctx).hard
    for label in layout.insideLabels {
        #expect(layout.plot.encloses(Point(label.box.minX, label.box.minY)))
        #expect(layout.plot.encloses(Point(label.box.maxX, label.box.maxY)))
        #expect(!obstacles.contains { label.box.encloses($0) }, "\(label.text) covers data")
    }
    let chance = layout.insideLabels[0].box
    let y = layout.mapping.y(0.5)
    #expect(chance.maxY <= y || chance.minY >= y, "the label sits beside its line, not on it")
    #expect(chance.maxY > y - 12 && chance.minY < y + 12)
    let onset = layout.insideLabels[1].box
    #expect(abs(onset.minX - layout.mapping.x(0.3)) < 4 || abs(onset.maxX - layout.mapping.x(0.3)) < 4)
}

@Test func lineEndLabelsInsideSitBesideTheirEndsApart() throws {
    let (_, ctx) = try context()
    var ax = Axes(xRange: 0...10, yRange: 0...1, legend: .lineEndsInside)
    ax.line(x: [0, 4], y: [0.2, 0.8], color: Palette.blue, label: "first")
    ax.line(x: [0, 4], y: [0.2, 0.78], color: Palette.orange, label: "second")
    var keyed = Axes(xRange: 0...10, yRange: 0...1, legend: .topLeft)
    keyed.line(x: [0, 6], y: [0.1, 0.3], color: Palette.blue, label: "in the key", endLabel: "at the end")
    let layout = try ax.resolvedLayout(ctx, frame: frame)
    #expect(layout.legendEntries.isEmpty && layout.insideLabels.map(\.text) == ["first", "second"])
    let a = layout.insideLabels[0].box, b = layout.insideLabels[1].box
    #expect(a.intersection(b).map { $0.width < 0.5 || $0.height < 0.5 } ?? true, "\(a) \(b)")
    let obstacles = try ax.obstaclePoints(layout, context: ctx).hard
    for label in layout.insideLabels {
        #expect(!obstacles.contains { label.box.encloses($0) }, "\(label.text) covers data")
    }
    let end = layout.mapping.point(4, 0.8)!
    #expect(abs(a.midY - end.y) < 20 && abs(a.minX - end.x) < 40)
    let k = try keyed.resolvedLayout(ctx, frame: frame)
    #expect(k.legendEntries.map(\.label) == ["in the key"] && k.insideLabels.map(\.text) == ["at the end"])
    #expect(k.insideLabels[0].box.intersection(k.legendBox!) == nil)
}

@Test func dataOutsideTheLimitsDoNotOccupyTheFrame() throws {
    let (_, ctx) = try context()
    func base() -> Axes {
        var ax = Axes(xRange: 0...1, yRange: 0...1)
        ax.line(x: [0, 1], y: [0.05, 0.3], label: "data")
        return ax
    }
    let clean = try base().legendPlacement(in: ctx, frame: frame)
    // Markers just beyond the top edge (not drawn) and huge bars right of the x range: sampling
    // them whole would take ~10⁹ points.
    var ax = base()
    ax.scatter(x: [0.7, 0.8, 0.9, 0.75, 0.85], y: [1.02, 1.03, 1.02, 1.025, 1.03], color: Palette.orange)
    ax.bars(x: [3, 4], heights: [1e7, 1e7], width: 0.5, color: Palette.grey)
    let start = ContinuousClock.now
    let placed = try ax.legendPlacement(in: ctx, frame: frame)
    #expect(ContinuousClock.now - start < .seconds(5))
    #expect(placed?.position == clean?.position)
    let layout = try ax.resolvedLayout(ctx, frame: frame)
    let points = try ax.obstaclePoints(layout, context: ctx).hard
    #expect(points.allSatisfy { layout.plot.inset(by: -3).encloses($0) })
    #expect(points.count < 200_000)
}
