@testable import Cairo
import Testing

@testable import Plot

// Shared rules of the Plot layer (issue 12): band swatches only with a band, one rule for
// titles and log-axis tick labels, and direct labels at line ends that do not overlap.

private func context() throws -> (Surface, Context) {
    let s = try Surface(format: .svg, width: 300, height: 200)
    return (s, try Context(surface: s))
}

@Test func legendShowsABandSwatchOnlyWhereTheSeriesHasABand() {
    var ax = Axes()
    ax.band(x: [0, 1, 2], mean: [1, 2, 3], sem: [0.1, 0.2, 0.1], label: "with a band")
    ax.band(x: [0, 1, 2], mean: [1, 2, 3], sem: [0, 0, 0], label: "zero SEM")
    ax.band(x: [0, 1, 2], mean: [1, 2, 3], sem: [.nan, .nan, .nan], label: "no SEM")
    ax.band(x: [0, 1, 2], mean: [1, 2, 3], sem: [1e-17, 0, 2e-16], label: "rounding noise only")
    ax.line(x: [0, 1], y: [0, 1], label: "a line")
    let entries = ax.legendEntries()
    #expect(entries.count == 5)
    guard case .band = entries[0].sample else {
        Issue.record("a series with a band shows a band swatch")
        return
    }
    for entry in entries.dropFirst() {
        guard case .line(_, _, _, let marker) = entry.sample else {
            Issue.record("\(entry.label): a line swatch expected, got \(entry.sample)")
            continue
        }
        #expect(marker == nil)
    }
}

@Test func panelTitlesAreSentenceCase() {
    #expect(Axes.titleCase("one estimate") == "One estimate")
    #expect(Axes.titleCase("time since cue + cue identity") == "Time since cue + cue identity")
    #expect(Axes.titleCase("Linear teacher") == "Linear teacher")
    // Symbols, single-letter variables and markup stay as written.
    #expect(Axes.titleCase("ΔW_{1}: FA vs backprop") == "ΔW_{1}: FA vs backprop")
    #expect(Axes.titleCase("x_{1} against x_{2}") == "x_{1} against x_{2}")
    #expect(Axes.titleCase("γ = 0.9") == "γ = 0.9")
    #expect(Axes.titleCase("k steps") == "k steps")
}

@Test func logAxesWriteDecadesAsPowersOfTenWhateverTheRange() {
    for (lo, hi) in [(1.0, 1e4), (1e-3, 100), (1e-4, 10), (1e-9, 1e3)] {
        let t = NiceTicks.logarithmic(min: lo, max: hi)
        #expect(t.labels.allSatisfy { $0.hasPrefix("10^{") }, "\(lo)…\(hi): \(t.labels)")
        let inside = NiceTicks.logarithmicInside(min: lo * 0.5, max: hi * 2)
        #expect(inside.labels.allSatisfy { $0.hasPrefix("10^{") }, "\(lo)…\(hi): \(inside.labels)")
    }
}

@Test func spreadApartKeepsOrderAndSeparatesTouchingLabels() {
    let wanted = [50.0, 52, 51, 120, 53, 10]
    let placed = Axes.spreadApart(wanted, minGap: 9, lower: 0, upper: 200)
    let sorted = wanted.indices.sorted { wanted[$0] < wanted[$1] || (wanted[$0] == wanted[$1] && $0 < $1) }
    for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(placed[b] - placed[a] >= 9 - 1e-9) }
    // Labels with room stay where their lines end; a group centres on its lines.
    #expect(placed[3] == 120 && placed[5] == 10)
    let group = [0, 1, 2, 4].map { placed[$0] }
    #expect(abs(group.reduce(0, +) / 4 - 51.5) < 1e-9)
    // Kept inside the limits where there is room.
    let edge = Axes.spreadApart([0, 0, 0], minGap: 10, lower: 5, upper: 100)
    #expect(edge.min()! >= 5 && edge.max()! <= 100)
    #expect(Set(edge.map { ($0 * 1e6).rounded() }).count == 3)
}

@Test func lineEndLabelsSitRightOfThePlotWithoutOverlapping() throws {
    var ax = Axes(xLabel: "episode", yLabel: "error", legend: .lineEnds)
    let x = (0...100).map(Double.init)
    for (k, end) in [0.10, 0.101, 0.102, 0.5, 0.103].enumerated() {
        ax.band(x: x, mean: x.map { 1 - (1 - end) * $0 / 100 }, sem: x.map { _ in 0.01 }, label: "series \(k)")
    }
    let (_, ctx) = try context()
    let frame = Rect(x: 0, y: 0, width: 280, height: 180)
    let layout = try ax.resolvedLayout(ctx, frame: frame)
    #expect(layout.legendPosition == .lineEnds)
    #expect(layout.legendEntries.isEmpty, "no legend box as well as the labels")
    let labels = layout.lineLabels
    #expect(labels.count == 5)
    try ctx.setFont(Style.small)
    let boxes = labels.map { ctx.textBox($0.text, at: Point($0.x, $0.y), align: .left, vertical: .middle) }
    for i in boxes.indices {
        #expect(boxes[i].minX > layout.plot.maxX && boxes[i].maxX <= frame.maxX + 0.5, "\(boxes[i]) \(layout.plot)")
        #expect(boxes[i].minY >= frame.minY - 0.5 && boxes[i].maxY <= frame.maxY + 0.5)
        for j in boxes.indices where j != i {
            let overlap = boxes[i].minY < boxes[j].maxY - 0.5 && boxes[j].minY < boxes[i].maxY - 0.5
            #expect(!overlap, "labels \(i) and \(j) overlap: \(boxes[i]) \(boxes[j])")
        }
    }
    // The one line that ends alone keeps its label at its end.
    #expect(abs(labels[3].y - labels[3].anchor.y) < 1e-9)
}
