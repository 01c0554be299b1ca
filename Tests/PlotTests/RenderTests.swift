@testable import Cairo
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import Plot

/// A panel rendered into pixels: read colours at figure points.
struct Raster {
    let pixels: [UInt32]
    let width: Int
    let height: Int
    let scale: Double

    init(_ content: any PanelContent, width w: Double = 200, height h: Double = 150, frame: Rect? = nil) throws {
        scale = 2
        let surface = try Surface(format: .png, width: w, height: h, scale: scale)
        do {
            let context = try Context(surface: surface)
            context.paint(.white)
            try content.draw(in: context, frame: frame ?? Rect(x: 0, y: 0, width: w, height: h))
            try context.checkStatus("test drawing")
        }
        pixels = try surface.pixels()
        width = surface.pixelWidth
        height = surface.pixelHeight
        _ = try surface.finish()
    }

    /// The colour at a point (in points), as 0xRRGGBB (the page is opaque).
    func rgb(_ p: Point) -> UInt32 {
        let x = min(width - 1, max(0, Int(p.x * scale)))
        let y = min(height - 1, max(0, Int(p.y * scale)))
        return pixels[y * width + x] & 0xFFFFFF
    }

    /// Pixels (in pixel coordinates) that are not white.
    func inkPixels() -> [(x: Int, y: Int)] {
        var out: [(Int, Int)] = []
        for y in 0..<height {
            for x in 0..<width where pixels[y * width + x] & 0xFFFFFF != 0xFFFFFF { out.append((x, y)) }
        }
        return out
    }
}

private func channels(_ rgb: UInt32) -> (Double, Double, Double) {
    (Double(rgb >> 16 & 0xFF), Double(rgb >> 8 & 0xFF), Double(rgb & 0xFF))
}

private func close(_ a: UInt32, _ b: UInt32, tolerance: Double = 3) -> Bool {
    let (r1, g1, b1) = channels(a)
    let (r2, g2, b2) = channels(b)
    return abs(r1 - r2) <= tolerance && abs(g1 - g2) <= tolerance && abs(b1 - b2) <= tolerance
}

private func hex(_ c: Color) -> UInt32 {
    func b(_ v: Double) -> UInt32 { UInt32((v * 255).rounded()) }
    return b(c.red) << 16 | b(c.green) << 8 | b(c.blue)
}

/// Blends `c` at `alpha` over white, as 0xRRGGBB.
private func overWhite(_ c: Color, _ alpha: Double) -> UInt32 {
    hex(Color(red: 1 - alpha + c.red * alpha, green: 1 - alpha + c.green * alpha, blue: 1 - alpha + c.blue * alpha))
}

private func scratchContext() throws -> (Surface, Context) {
    let s = try Surface(format: .svg, width: 300, height: 200)
    return (s, try Context(surface: s))
}

@Test func heatmapCellsHaveTheirColoursAndNoSeams() throws {
    var ax = Axes(xLabel: "x", yLabel: "y")
    ax.heatmap([[0, 1], [2, 3]], x: 0...2, y: 0...2, colorBarLabel: "value")
    let raster = try Raster(ax)
    let (surface, context) = try scratchContext()
    let plot = try ax.plotArea(in: context, frame: Rect(x: 0, y: 0, width: 200, height: 150))
    _ = surface
    // Row 0 is at the bottom: bottom-left is the minimum (viridis start), top-right the maximum.
    let bottomLeft = raster.rgb(Point(plot.minX + plot.width / 4, plot.maxY - plot.height / 4))
    let topRight = raster.rgb(Point(plot.maxX - plot.width / 4, plot.minY + plot.height / 4))
    #expect(close(bottomLeft, 0x440154), "bottom-left \(String(bottomLeft, radix: 16))")
    #expect(close(topRight, 0xFDE725), "top-right \(String(topRight, radix: 16))")
    // The colour bar, right of the plot: yellow at the top, purple at the bottom.
    var foundBar = false
    for x in stride(from: plot.maxX + 2, to: 200, by: 1) {
        if close(raster.rgb(Point(x, plot.minY + 1)), 0xFDE725, tolerance: 12)
            && close(raster.rgb(Point(x, plot.maxY - 1)), 0x440154, tolerance: 12)
        {
            foundBar = true
            break
        }
    }
    #expect(foundBar)

    // A uniform matrix paints one exact colour everywhere in the plot: no hairline seams.
    var flat = Axes()
    flat.heatmap(Array(repeating: Array(repeating: 0.5, count: 37), count: 23), x: 0...1, y: 0...1, range: 0...1, colorBar: false)
    let r2 = try Raster(flat)
    let (_, c2) = try scratchContext()
    let p2 = try flat.plotArea(in: c2, frame: Rect(x: 0, y: 0, width: 200, height: 150))
    let expected = r2.rgb(p2.center)
    #expect(close(expected, hex(ColorMap.viridis.color(at: 0.5))))
    var odd = 0
    for py in Int(p2.minY * 2) + 2..<Int(p2.maxY * 2) - 2 {
        for px in Int(p2.minX * 2) + 2..<Int(p2.maxX * 2) - 2 where r2.pixels[py * r2.width + px] & 0xFFFFFF != expected {
            odd += 1
        }
    }
    #expect(odd == 0, "\(odd) pixels differ inside a uniform heatmap")
}

@Test func bandIsShadedAroundTheMeanLine() throws {
    var ax = Axes(xRange: 0...1, yRange: 0...1)
    ax.band(x: [0, 0.5, 1], mean: [0.5, 0.5, 0.5], sem: [0.2, 0.2, 0.2], color: Palette.blue)
    let raster = try Raster(ax)
    let (_, context) = try scratchContext()
    let plot = try ax.plotArea(in: context, frame: Rect(x: 0, y: 0, width: 200, height: 150))
    func at(_ x: Double, _ y: Double) -> UInt32 {
        raster.rgb(Point(plot.minX + x * plot.width, plot.maxY - y * plot.height))
    }
    #expect(close(at(0.3, 0.5), hex(Palette.blue), tolerance: 4), "mean line")
    #expect(close(at(0.3, 0.62), overWhite(Palette.blue, Style.bandAlpha), tolerance: 4), "band above the mean")
    #expect(close(at(0.7, 0.38), overWhite(Palette.blue, Style.bandAlpha), tolerance: 4), "band below the mean")
    #expect(at(0.3, 0.85) == 0xFFFFFF, "outside the band")
    #expect(at(0.3, 0.15) == 0xFFFFFF, "outside the band")
}

@Test func nanBreaksTheLineAndDataStayInsideThePlot() throws {
    var ax = Axes(xRange: 0...4, yRange: 0...1)
    ax.line(x: [0, 1, 2, 3, 4], y: [0.5, 0.5, .nan, 0.5, 0.5], color: Palette.vermillion, width: 2)
    ax.line(x: [0, 4], y: [0.9, 50], color: Palette.blue, width: 2)  // leaves through the top
    let raster = try Raster(ax)
    let (_, context) = try scratchContext()
    let plot = try ax.plotArea(in: context, frame: Rect(x: 0, y: 0, width: 200, height: 150))
    let y = plot.maxY - 0.5 * plot.height
    #expect(close(raster.rgb(Point(plot.minX + 0.5 / 4 * plot.width, y)), hex(Palette.vermillion)))
    #expect(raster.rgb(Point(plot.minX + 2 / 4 * plot.width, y)) == 0xFFFFFF, "gap at the NaN")
    #expect(close(raster.rgb(Point(plot.minX + 3.5 / 4 * plot.width, y)), hex(Palette.vermillion)))
    // Nothing blue above the plot area (beyond the round cap of the clipped stroke, 1 pt).
    for py in 0..<Int((plot.minY - 1.5) * 2) {
        for px in 0..<raster.width {
            let (r, g, b) = channels(raster.pixels[py * raster.width + px] & 0xFFFFFF)
            #expect(!(b > r + 40 && b > g), "blue ink above the plot at \(px), \(py)")
            if b > r + 40 && b > g { return }
        }
    }
}

@Test func everythingStaysInsideThePanelFrame() throws {
    var ax = Axes(
        xLabel: "time since cue (steps)", yLabel: "τ_{eff} (steps)", title: "a rather long title", legend: .outsideRight)
    ax.line(x: [0, 1e9], y: [-123456.7, 987654.3], label: "a series with a long name")
    ax.verticalLine(at: 5e8, label: "cue")
    ax.horizontalLine(at: 0, label: "zero")
    let frame = Rect(x: 30, y: 25, width: 220, height: 140)
    let raster = try Raster(ax, width: 280, height: 190, frame: frame)
    let ink = raster.inkPixels()
    #expect(!ink.isEmpty)
    let outside = ink.filter {
        Double($0.x) / 2 < frame.minX - 0.5 || Double($0.x) / 2 > frame.maxX + 0.5 || Double($0.y) / 2 < frame.minY - 0.5
            || Double($0.y) / 2 > frame.maxY + 0.5
    }
    #expect(outside.isEmpty, "\(outside.count) ink pixels outside the frame, e.g. \(outside.prefix(3))")
}

@Test func legendAvoidsALineFillingTheTopRight() throws {
    var ax = Axes(xLabel: "trial", yLabel: "accuracy")
    let x = (0...100).map(Double.init)
    ax.line(x: x, y: x.map { 1 - 0.9 * exp(-$0 / 8) }, label: "TD")  // rises fast, then fills the top
    ax.line(x: x, y: x.map { 1 - 0.9 * exp(-$0 / 30) }, label: "Monte Carlo")
    let (_, context) = try scratchContext()
    let frame = Rect(x: 0, y: 0, width: 220, height: 150)
    let placed = try #require(try ax.legendPlacement(in: context, frame: frame))
    #expect(placed.position != .topRight && placed.position != .topLeft, "\(placed.position)")
    let layout = try ax.resolvedLayout(context, frame: frame)
    let hits = Axes.overlap(placed.box, try ax.obstaclePoints(layout, context: context).hard).0
    #expect(hits == 0)
}

@Test func legendGoesOutsideWhenEveryCornerHasData() throws {
    var ax = Axes(xRange: 0...1, yRange: 0...1)
    var xs: [Double] = []
    var ys: [Double] = []
    for i in 0...20 { for j in 0...20 { xs.append(Double(i) / 20); ys.append(Double(j) / 20) } }
    ax.scatter(x: xs, y: ys, label: "grid of points")
    let (_, context) = try scratchContext()
    let frame = Rect(x: 0, y: 0, width: 260, height: 150)
    let placed = try #require(try ax.legendPlacement(in: context, frame: frame))
    #expect(placed.position == .outsideRight)
    let plot = try ax.plotArea(in: context, frame: frame)
    #expect(placed.box.minX > plot.maxX && placed.box.maxX <= frame.maxX)
}

@Test func forcedLegendPositionIsKept() throws {
    var ax = Axes(legend: .bottomLeft)
    ax.line(x: [0, 1], y: [0, 1], label: "a")
    let (_, context) = try scratchContext()
    let frame = Rect(x: 0, y: 0, width: 200, height: 150)
    let placed = try #require(try ax.legendPlacement(in: context, frame: frame))
    let plot = try ax.plotArea(in: context, frame: frame)
    #expect(placed.position == .bottomLeft)
    #expect(placed.box.minX < plot.midX && placed.box.minY > plot.midY)
}

@Test func yLabelClearsTheWidestTickLabel() throws {
    // Wide tick labels push the plot right; the y label keeps its gap whatever the labels.
    var narrow = Axes(yLabel: "RPE δ")
    narrow.line(x: [0, 1], y: [0, 1])
    var wide = Axes(yLabel: "RPE δ")
    wide.line(x: [0, 1], y: [-123_000, 45_000])
    let (_, context) = try scratchContext()
    let frame = Rect(x: 0, y: 0, width: 200, height: 150)
    let a = try narrow.plotArea(in: context, frame: frame)
    let b = try wide.plotArea(in: context, frame: frame)
    try context.setFont(Style.small)
    let wideTicks = try wide.ticks(in: context, frame: frame).y
    let widest = wideTicks.labels.map { context.measure(RichText($0)).width }.max()!
    try context.setFont(Style.label)
    let labelHeight = context.fontMetrics().ascent + context.fontMetrics().descent
    #expect(b.minX > a.minX)
    #expect(b.minX - frame.minX >= labelHeight + widest + Style.tickLength + 4)
}

@Test func logAxesPlaceDecadesAndSkipNonPositiveValues() throws {
    var ax = Axes(xLabel: "trial", yLabel: "error", yScale: .log)
    ax.line(x: [0, 1, 2, 3], y: [100, 0, 1, 0.01])  // the zero breaks the line instead of crashing
    let (_, context) = try scratchContext()
    let ticks = try ax.ticks(in: context, frame: Rect(x: 0, y: 0, width: 200, height: 150))
    #expect(ticks.y.scale == .log)
    #expect(ticks.y.values.first! <= 0.01 && ticks.y.values.last! >= 100)
    _ = try Raster(ax)
}

@Test func categoryBarsLabelTheAxisAndDrawErrorBars() throws {
    var ax = Axes(yLabel: "final error")
    ax.bars(categories: ["TD", "MC"], values: [0.4, 0.8], errors: [0.1, 0.1], color: Palette.blue)
    let (_, context) = try scratchContext()
    let frame = Rect(x: 0, y: 0, width: 200, height: 150)
    let ticks = try ax.ticks(in: context, frame: frame)
    #expect(ticks.x.labels == ["TD", "MC"])
    let plot = try ax.plotArea(in: context, frame: frame)
    let raster = try Raster(ax)
    let map = { (x: Double, y: Double) -> Point in
        Point(
            plot.minX + (x - ticks.x.lower) / (ticks.x.upper - ticks.x.lower) * plot.width,
            plot.maxY - (y - ticks.y.lower) / (ticks.y.upper - ticks.y.lower) * plot.height)
    }
    #expect(close(raster.rgb(map(0.2, 0.2)), hex(Palette.blue)), "inside the first bar")
    #expect(raster.rgb(map(0.2, 0.6)) == 0xFFFFFF, "above the first bar, beside its error bar")
    let errorBar = raster.rgb(map(0, 0.45))
    #expect(close(errorBar, hex(Style.axisColor), tolerance: 40), "error bar above the first bar")
}

@Test func figureWithAxesRendersToEveryFormat() throws {
    let fig = Figure(
        width: 240, height: 160,
        panels: [Panel("A", frame: Rect(x: 20, y: 20, width: 210, height: 130), content: Demo.rpePanel())])
    for format in ImageFormat.allCases {
        let bytes = try fig.bytes(format: format)
        #expect(bytes.count > 500)
    }
    let svg = String(decoding: try fig.bytes(format: .svg), as: UTF8.self)
    #expect(!svg.contains("nan") && !svg.contains("NaN"))
}

@Test func degenerateInputsRenderWithoutCrashing() throws {
    _ = try Raster(Axes(xLabel: "empty", yLabel: "panel"))
    var nanOnly = Axes(yScale: .log)
    nanOnly.line(x: [.nan, 1, .infinity], y: [1, .nan, -1], label: "nothing drawable")
    nanOnly.band(x: [0, 1], mean: [.nan, .nan], sem: [1, 1])
    nanOnly.heatmap([[.nan, .nan]], x: 0...1, y: 0...1)
    nanOnly.bars(x: [0], heights: [-1], errors: [.nan])
    _ = try Raster(nanOnly)
    var tiny = Axes(xLabel: "x", yLabel: "y", title: "t")
    tiny.line(x: [0, 1], y: [0, 1], label: "a")
    _ = try Raster(tiny, width: 30, height: 20)
    var constant = Axes()
    constant.line(x: [3, 3], y: [7, 7], marker: .square)
    let (_, context) = try scratchContext()
    let t = try constant.ticks(in: context, frame: Rect(x: 0, y: 0, width: 200, height: 150))
    #expect(t.x.lower < 3 && t.x.upper > 3 && t.y.lower < 7 && t.y.upper > 7)
}
