import Cairo

/// A data panel: left and bottom spines with outward ticks, axis labels with units, an
/// optional title, and any mix of lines, mean ± SEM bands, scatter, bars with error bars,
/// reference lines, text annotations and heatmaps (with colour bar). No grid, no box, no
/// chart junk. Data are clipped to the plot area; NaN values break lines. A legend lists
/// labelled series and is placed where it covers no data.
///
/// ```swift
/// var axes = Axes(xLabel: "time since cue (steps)", yLabel: "response (a.u.)")
/// axes.band(x: t, mean: m, sem: s, color: Palette.blue, label: "method A (10 seeds)")
/// axes.verticalLine(at: 0, label: "cue")
/// ```
public struct Axes: PanelContent, Sendable {
    /// The x-axis label in ``RichText`` markup, with units: "time since cue (steps)".
    var xLabel: String?
    /// The y-axis label in ``RichText`` markup, with units: "response (a.u.)", "τ_{eff} (steps)".
    var yLabel: String?
    /// A short bold title above the plot area.
    public var title: String?
    /// Fixed x limits; nil = from the data, widened to nice ticks.
    var xRange: ClosedRange<Double>?
    /// Fixed y limits; nil = from the data, widened to nice ticks.
    var yRange: ClosedRange<Double>?
    /// Linear or log x axis.
    var xScale: AxisScale
    /// Linear or log y axis.
    var yScale: AxisScale
    /// Custom x ticks (positions and labels); nil = automatic.
    public var xTicks: NiceTicks?
    /// Custom y ticks (positions and labels); nil = automatic.
    public var yTicks: NiceTicks?
    /// Where the legend goes (``LegendPosition/auto`` avoids data).
    var legend: LegendPosition
    /// Light horizontal grid lines at the y ticks (off by default).
    var gridLines: Bool = false

    enum Item: Sendable {
        case line(LineSeries)
        case band(BandSeries)
        case scatter(ScatterSeries)
        case bars(BarSeries)
        case reference(ReferenceLine)
        case text(TextAnnotation)
        case heatmap(Heatmap)
        case region(RegionSeries)
    }
    var items: [Item] = []
    /// A y value the automatic range must include (headroom made for the legend).
    var extraY: Double? = nil
    private var nextColor = 0

    /// An empty panel. Add data with ``line(x:y:color:width:dash:marker:label:endLabel:)``,
    /// ``band(x:mean:sem:color:width:dash:label:)``, ``scatter(x:y:color:marker:label:)``,
    /// the `bars` methods, ``verticalLine(at:label:color:dash:labelInside:)``,
    /// ``horizontalLine(at:label:color:dash:labelInside:)``, ``text(_:x:y:align:vertical:color:)``,
    /// ``region(x:y:color:label:)`` and
    /// ``heatmap(_:x:y:colorMap:range:logColor:colorBarLabel:colorBar:missing:)``.
    public init(
        xLabel: String? = nil, yLabel: String? = nil, title: String? = nil, xRange: ClosedRange<Double>? = nil,
        yRange: ClosedRange<Double>? = nil, xScale: AxisScale = .linear, yScale: AxisScale = .linear,
        legend: LegendPosition = .auto
    ) {
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.title = title
        self.xRange = xRange
        self.yRange = yRange
        self.xScale = xScale
        self.yScale = yScale
        self.legend = legend
    }

    // MARK: Adding data

    /// The next colour of ``Palette/categorical`` (for series given no colour).
    private mutating func autoColor() -> Color {
        defer { nextColor += 1 }
        return Palette.categorical[nextColor % Palette.categorical.count]
    }

    /// A line through (x, y); NaN points break it. `dash` in points; `label` puts it in the legend;
    /// `endLabel` names the line inside the plot beside its right end (clear of data).
    public mutating func line(
        x: [Double], y: [Double], color: Color? = nil, width: Double = Style.dataLineWidth, dash: [Double] = [],
        marker: Marker? = nil, label: String? = nil, endLabel: String? = nil
    ) {
        let c = color ?? autoColor()
        items.append(
            .line(LineSeries(x: x, y: y, color: c, width: width, dash: dash, marker: marker, label: label, endLabel: endLabel)))
    }

    /// A mean line with a shaded mean ± SEM band (`Style/bandAlpha`) in the same colour.
    public mutating func band(
        x: [Double], mean: [Double], sem: [Double], color: Color? = nil, width: Double = Style.dataLineWidth,
        dash: [Double] = [], label: String? = nil
    ) {
        let c = color ?? autoColor()
        items.append(.band(BandSeries(x: x, mean: mean, sem: sem, color: c, width: width, dash: dash, label: label)))
    }

    /// Markers at (x, y) without a connecting line.
    public mutating func scatter(
        x: [Double], y: [Double], color: Color? = nil, marker: Marker = .circle, label: String? = nil
    ) {
        let c = color ?? autoColor()
        items.append(.scatter(ScatterSeries(x: x, y: y, color: c, marker: marker, label: label)))
    }

    /// Bars at numeric x positions (width in data units, default 80% of the closest spacing).
    mutating func bars(
        x: [Double], heights: [Double], errors: [Double]? = nil, width: Double? = nil, color: Color? = nil,
        label: String? = nil
    ) {
        let sorted = x.sorted()
        let spacing = zip(sorted, sorted.dropFirst()).map { $1 - $0 }.filter { $0 > 0 }.min() ?? 1
        let c = color ?? autoColor()
        items.append(
            .bars(BarSeries(x: x, heights: heights, errors: errors, width: width ?? 0.8 * spacing, color: c, label: label)))
    }

    /// An opaque filled polygon through the vertices (x, y) (closed automatically), drawn over
    /// heatmaps and under reference lines and data, with a filled-square legend entry when `label`
    /// is given. Non-finite vertices are skipped.
    public mutating func region(x: [Double], y: [Double], color: Color, label: String? = nil) {
        items.append(.region(RegionSeries(x: x, y: y, color: color, label: label)))
    }

    /// One bar per category (labels under the x axis), with optional ± error bars.
    mutating func bars(
        categories: [String], values: [Double], errors: [Double]? = nil, color: Color? = nil, label: String? = nil
    ) {
        bars(
            categories: categories, values: [values], errors: errors.map { [$0] }, colors: color.map { [$0] },
            labels: label.map { [$0] })
    }

    /// Grouped bars: `values[s][c]` is series s in category c; series sit side by side within
    /// each category (see `barPosition(category:series:seriesCount:)` to overlay points).
    ///
    /// `points[s][c]` overlays individual values (e.g. one per seed) on bar (s, c) as dots spread
    /// evenly across the middle half of the bar, in `pointColors[s]` (default: the bar colours),
    /// with `pointMarker`; `pointLabels[s]` names them in the legend.
    public mutating func bars(
        categories: [String], values: [[Double]], errors: [[Double]]? = nil, colors: [Color]? = nil,
        labels: [String]? = nil, points: [[[Double]]]? = nil, pointColors: [Color]? = nil,
        pointMarker: Marker = .openCircle, pointLabels: [String]? = nil
    ) {
        let n = values.count
        var barColors: [Color] = []
        for (s, heights) in values.enumerated() {
            precondition(heights.count == categories.count, "bars: series \(s) has \(heights.count) values")
            let x = categories.indices.map { Axes.barPosition(category: $0, series: s, seriesCount: n) }
            let c = colors?[s] ?? autoColor()
            barColors.append(c)
            items.append(
                .bars(
                    BarSeries(
                        x: x, heights: heights, errors: errors?[s], width: Axes.groupWidth / Double(n), color: c,
                        label: labels?[s])))
        }
        if let points {
            precondition(points.count == n, "bars: \(points.count) point series for \(n) bar series")
            for (s, series) in points.enumerated() {
                precondition(series.count == categories.count, "bars: point series \(s) has \(series.count) categories")
                var x: [Double] = [], y: [Double] = []
                for (c, values) in series.enumerated() {
                    let centre = Axes.barPosition(category: c, series: s, seriesCount: n)
                    x += Axes.spread(values.count, centre: centre, width: Axes.groupWidth / Double(n) / 2)
                    y += values
                }
                items.append(
                    .scatter(
                        ScatterSeries(
                            x: x, y: y, color: pointColors?[s] ?? barColors[s], marker: pointMarker, label: pointLabels?[s])))
            }
        }
        xTicks = NiceTicks(
            values: categories.indices.map(Double.init), labels: categories, step: 1, lower: -0.5,
            upper: Double(categories.count) - 0.5)
        xRange = -0.5...(Double(categories.count) - 0.5)
    }

    /// The share of a category slot that a group of bars fills.
    static let groupWidth = 0.8

    /// `count` positions spread evenly over `width` centred on `centre` (one point: the centre).
    static func spread(_ count: Int, centre: Double, width: Double) -> [Double] {
        guard count > 1 else { return count == 1 ? [centre] : [] }
        return (0..<count).map { centre + (Double($0) / Double(count - 1) - 0.5) * width }
    }

    /// The x centre of series `series` (of `seriesCount`) in category `category` for grouped bars.
    static func barPosition(category: Int, series: Int, seriesCount: Int) -> Double {
        let w = groupWidth / Double(seriesCount)
        return Double(category) + (Double(series) - Double(seriesCount - 1) / 2) * w
    }

    /// A thin dashed vertical line at `x` (e.g. cue or reward time), its label above the plot, or
    /// with `labelInside` inside the plot beside the line (top or bottom, left or right of it,
    /// wherever it covers the least data).
    public mutating func verticalLine(
        at x: Double, label: String? = nil, color: Color = Style.referenceColor, dash: [Double] = Style.referenceDash,
        labelInside: Bool = false
    ) {
        items.append(
            .reference(ReferenceLine(.vertical(x: x), label: label, color: color, dash: dash, labelInside: labelInside)))
    }

    /// A thin dashed horizontal line at `y` (e.g. zero or chance level), its label right of the plot,
    /// or with `labelInside` inside the plot just above or below the line (at its right end, else
    /// its left end or middle, wherever it covers the least data).
    public mutating func horizontalLine(
        at y: Double, label: String? = nil, color: Color = Style.referenceColor, dash: [Double] = Style.referenceDash,
        labelInside: Bool = false
    ) {
        items.append(
            .reference(ReferenceLine(.horizontal(y: y), label: label, color: color, dash: dash, labelInside: labelInside)))
    }

    /// Text at data coordinates (x, y), in `Style/annotation` size.
    public mutating func text(
        _ text: String, x: Double, y: Double, align: HorizontalAlignment = .center,
        vertical: VerticalAlignment = .middle, color: Color = Style.textColor
    ) {
        items.append(.text(TextAnnotation(text, x: x, y: y, align: align, vertical: vertical, color: color)))
    }

    /// A heatmap of `values[row][column]` (row 0 at `y.lowerBound`) spanning the data extents
    /// `x` × `y`, drawn seamlessly, with a labelled colour bar right of the plot area.
    /// Axis limits become the extents exactly. `missing` gives NaN cells (failed runs) their own
    /// colour and legend entry.
    public mutating func heatmap(
        _ values: [[Double]], x: ClosedRange<Double>, y: ClosedRange<Double>, colorMap: ColorMap = .viridis,
        range: ClosedRange<Double>? = nil, logColor: Bool = false, colorBarLabel: String? = nil,
        colorBar: Bool = true, missing: MissingCells? = nil
    ) {
        items.append(
            .heatmap(
                Heatmap(
                    values, x: x, y: y, colorMap: colorMap, range: range, logColor: logColor, showColorBar: colorBar,
                    colorBarLabel: colorBarLabel, missing: missing)))
    }

    /// Adds a prepared series.
    mutating func add(_ series: LineSeries) { items.append(.line(series)) }
    /// Adds a prepared band.
    mutating func add(_ series: BandSeries) { items.append(.band(series)) }
    /// Adds a prepared scatter series.
    mutating func add(_ series: ScatterSeries) { items.append(.scatter(series)) }
    /// Adds prepared bars.
    mutating func add(_ series: BarSeries) { items.append(.bars(series)) }
    /// Adds a prepared reference line.
    mutating func add(_ line: ReferenceLine) { items.append(.reference(line)) }
    /// Adds a prepared annotation.
    mutating func add(_ annotation: TextAnnotation) { items.append(.text(annotation)) }
    /// Adds a prepared region.
    mutating func add(_ region: RegionSeries) { items.append(.region(region)) }
    /// Adds a prepared heatmap.
    mutating func add(_ heatmap: Heatmap) { items.append(.heatmap(heatmap)) }

    // MARK: Drawing

    /// Draws the panel inside `frame`: every label, tick label, colour bar and legend stays within it.
    public func draw(in context: Context, frame: Rect) throws {
        let layout = try resolvedLayout(context, frame: frame)
        try render(layout, context: context)
    }

    /// The plot area (inside the spines) this panel would use in `frame`.
    func plotArea(in context: Context, frame: Rect) throws -> Rect {
        try resolvedLayout(context, frame: frame).plot
    }

    /// The legend's resolved position and box in `frame` (nil when there is no legend).
    func legendPlacement(in context: Context, frame: Rect) throws -> (position: LegendPosition, box: Rect)? {
        let layout = try resolvedLayout(context, frame: frame)
        guard let position = layout.legendPosition, let box = layout.legendBox else { return nil }
        return (position, box)
    }

    /// The ticks the panel would draw in `frame` (after automatic ranges and label thinning).
    func ticks(in context: Context, frame: Rect) throws -> (x: NiceTicks, y: NiceTicks) {
        let layout = try resolvedLayout(context, frame: frame)
        return (layout.xTicks, layout.yTicks)
    }
}
