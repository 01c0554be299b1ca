import Cairo

/// The shape of a data marker.
public enum MarkerShape: Sendable, Equatable, CaseIterable {
    /// A disc.
    case circle
    /// An axis-aligned square.
    case square
    /// An upward triangle.
    case triangle
    /// A square standing on a corner, slightly narrowed.
    case diamond
    /// A diagonal cross ×, always stroked (e.g. where a run stopped).
    case cross
}

/// A data marker: shape, size (width in points) and whether it is filled or drawn open
/// (white inside, coloured outline).
public struct Marker: Sendable, Equatable {
    /// The outline drawn.
    public var shape: MarkerShape
    /// Width of the marker in points.
    public var size: Double
    /// Filled with the colour, or open (white inside, coloured outline).
    public var filled: Bool

    /// A marker of `shape`, `size` points wide.
    public init(_ shape: MarkerShape = .circle, size: Double = 4, filled: Bool = true) {
        self.shape = shape
        self.size = size
        self.filled = filled
    }

    /// A filled circle, 4 pt.
    public static let circle = Marker(.circle)
    /// An open circle, 4 pt.
    public static let openCircle = Marker(.circle, filled: false)
    /// A filled square, 4 pt.
    public static let square = Marker(.square, size: 3.6)
    /// A filled triangle, 4.5 pt.
    static let triangle = Marker(.triangle, size: 4.5)
    /// A cross ×, 6 pt: where a curve stops because its run ended early.
    public static let stop = Marker(.cross, size: 6)

    /// The same marker, `size` points wide (e.g. `.openCircle.sized(3)` for dense series).
    public func sized(_ size: Double) -> Marker {
        var m = self
        m.size = Swift.max(0.5, size)
        return m
    }

    /// Draws the marker centred at `p` in `color`.
    func draw(at p: Point, color: Color, in context: Context) {
        let r = size / 2
        context.newPath()
        switch shape {
        case .circle:
            context.arc(center: p, radius: r)
        case .square:
            context.rectangle(Rect(x: p.x - r, y: p.y - r, width: size, height: size))
        case .triangle:
            let h = size * 0.866
            context.move(to: Point(p.x, p.y - h * 2 / 3))
            context.line(to: Point(p.x + r, p.y + h / 3))
            context.line(to: Point(p.x - r, p.y + h / 3))
            context.closePath()
        case .diamond:
            let d = r * 1.2
            context.move(to: Point(p.x, p.y - d))
            context.line(to: Point(p.x + d * 0.8, p.y))
            context.line(to: Point(p.x, p.y + d))
            context.line(to: Point(p.x - d * 0.8, p.y))
            context.closePath()
        case .cross:
            context.move(to: Point(p.x - r, p.y - r))
            context.line(to: Point(p.x + r, p.y + r))
            context.move(to: Point(p.x - r, p.y + r))
            context.line(to: Point(p.x + r, p.y - r))
            context.setDash([])
            context.setColor(color)
            context.setLineWidth(1.4)
            context.stroke()
            return
        }
        context.setDash([])
        if filled {
            context.setColor(color)
            context.fill()
        } else {
            context.setColor(.white)
            context.fill(preserve: true)
            context.setColor(color)
            context.setLineWidth(0.8)
            context.stroke()
        }
    }
}

/// Where a legend goes: chosen automatically so it covers no data, or forced.
public enum LegendPosition: Sendable, Equatable, CaseIterable {
    /// Automatic: an inner corner that covers no data (ties: fewest reference-line points, then
    /// farthest from data); else a top corner freed by raising an automatic y range (≤ 45%);
    /// else outside right; else the corner covering the fewest data points.
    case auto
    /// Inside the plot area, top left.
    case topLeft
    /// Inside the plot area, top right.
    case topRight
    /// Inside the plot area, bottom left.
    case bottomLeft
    /// Inside the plot area, bottom right.
    case bottomRight
    /// To the right of the plot area (and of any colour bar), inside the panel frame.
    case outsideRight
    /// No legend box: each labelled series is named at its right end, in its colour, right of
    /// the plot area; labels that would touch are nudged apart (a thin leader joins a moved
    /// label to its line's end).
    case lineEnds
    /// No legend box: each labelled series is named inside the plot beside its right end, in its
    /// colour, clear of the data and of the other labels (no room taken from the plot).
    case lineEndsInside
    /// No legend.
    case hidden
}

/// A line through (x, y) points; NaN or infinite points break the line.
struct LineSeries: Sendable {
    /// Positions along x, in data units.
    var x: [Double]
    /// Positions along y, in data units (NaN = missing).
    var y: [Double]
    /// The drawing colour.
    var color: Color
    /// Line width in points.
    var width: Double
    /// Dash pattern in points (empty = solid).
    var dash: [Double]
    /// Marker at each point (nil = none).
    var marker: Marker?
    /// Legend text (nil = not in the legend).
    var label: String?
    /// A name written inside the plot beside the line's right end (whatever the legend).
    var endLabel: String?

    /// A line series; `x` and `y` must have equal length.
    init(
        x: [Double], y: [Double], color: Color, width: Double = Style.dataLineWidth, dash: [Double] = [],
        marker: Marker? = nil, label: String? = nil, endLabel: String? = nil
    ) {
        precondition(x.count == y.count, "LineSeries: \(x.count) x values for \(y.count) y values")
        self.endLabel = endLabel
        self.x = x
        self.y = y
        self.color = color
        self.width = width
        self.dash = dash
        self.marker = marker
        self.label = label
    }
}

/// A mean line with a shaded mean ± SEM band (opacity ``Style/bandAlpha``).
struct BandSeries: Sendable {
    /// Positions along x, in data units.
    var x: [Double]
    /// Mean at each x (NaN breaks the band).
    var mean: [Double]
    /// Standard error of the mean at each x (the band is mean ± sem).
    var sem: [Double]
    /// The drawing colour.
    var color: Color
    /// Line width in points.
    var width: Double
    /// Dash pattern in points (empty = solid).
    var dash: [Double]
    /// Legend text (nil = not in the legend).
    var label: String?

    /// A band series; `x`, `mean` and `sem` must have equal length.
    init(
        x: [Double], mean: [Double], sem: [Double], color: Color, width: Double = Style.dataLineWidth,
        dash: [Double] = [], label: String? = nil
    ) {
        precondition(x.count == mean.count && x.count == sem.count, "BandSeries: x, mean and sem differ in length")
        self.x = x
        self.mean = mean
        self.sem = sem
        self.color = color
        self.width = width
        self.dash = dash
        self.label = label
    }

    /// Whether there is a band to shade: some finite SEM above rounding noise (10⁻⁹ of the largest
    /// |mean|); else it is a plain line, and its legend sample is a line, not a band.
    var hasBand: Bool {
        let scale = mean.filter(\.isFinite).map(abs).max() ?? 0
        return sem.indices.contains {
            sem[$0].isFinite && sem[$0] > 1e-9 * scale && sem[$0] > 0 && x[$0].isFinite && mean[$0].isFinite
        }
    }
}

/// Unconnected markers at (x, y).
struct ScatterSeries: Sendable {
    /// Positions along x, in data units.
    var x: [Double]
    /// Positions along y, in data units (NaN = missing).
    var y: [Double]
    /// The drawing colour.
    var color: Color
    /// The marker drawn at each point.
    var marker: Marker
    /// Legend text (nil = not in the legend).
    var label: String?

    /// A scatter series; `x` and `y` must have equal length.
    init(x: [Double], y: [Double], color: Color, marker: Marker = .circle, label: String? = nil) {
        precondition(x.count == y.count, "ScatterSeries: \(x.count) x values for \(y.count) y values")
        self.x = x
        self.y = y
        self.color = color
        self.marker = marker
        self.label = label
    }
}

/// Vertical bars centred on `x` rising from zero to `heights`, with optional ± error bars.
struct BarSeries: Sendable {
    /// Positions along x, in data units.
    var x: [Double]
    /// Bar heights from zero.
    var heights: [Double]
    /// Error-bar half lengths (± around the height), e.g. SEM.
    var errors: [Double]?
    /// Bar width in data units.
    var width: Double
    /// The drawing colour.
    var color: Color
    /// Legend text (nil = not in the legend).
    var label: String?

    /// Bars at `x` with `heights` (and optional `errors`, one per bar).
    init(
        x: [Double], heights: [Double], errors: [Double]? = nil, width: Double = 0.8, color: Color,
        label: String? = nil
    ) {
        precondition(x.count == heights.count, "BarSeries: \(x.count) positions for \(heights.count) heights")
        precondition(errors.map { $0.count == heights.count } ?? true, "BarSeries: one error per bar")
        self.x = x
        self.heights = heights
        self.errors = errors
        self.width = width
        self.color = color
        self.label = label
    }
}

/// An opaque filled region (a polygon through (x, y), closed back to its first vertex), drawn
/// over heatmaps and under everything else, e.g. the part of a phase diagram where a state is
/// lost. It has its own legend entry (a filled square) and counts as data for the legend.
struct RegionSeries: Sendable {
    /// Vertices along x, in data units.
    var x: [Double]
    /// Vertices along y, in data units.
    var y: [Double]
    /// The fill colour (opaque unless its alpha says otherwise).
    var color: Color
    /// Legend text (nil = not in the legend).
    var label: String?

    /// A region through the vertices (x, y); `x` and `y` must have equal length.
    init(x: [Double], y: [Double], color: Color, label: String? = nil) {
        precondition(x.count == y.count, "RegionSeries: \(x.count) x values for \(y.count) y values")
        self.x = x
        self.y = y
        self.color = color
        self.label = label
    }
}

/// A thin dashed line across the plot at a fixed x (vertical) or y (horizontal), e.g. cue
/// and reward times, with an optional small label outside the plot area (above it for
/// vertical lines, right of it for horizontal ones).
struct ReferenceLine: Sendable {
    /// Which way the line runs.
    enum Orientation: Sendable, Equatable {
        /// A vertical line at this x.
        case vertical(x: Double)
        /// A horizontal line at this y.
        case horizontal(y: Double)
    }
    /// Vertical (at an x) or horizontal (at a y).
    var orientation: Orientation
    /// Legend text (nil = not in the legend).
    var label: String?
    /// The drawing colour.
    var color: Color
    /// Dash pattern in points (empty = solid).
    var dash: [Double]
    /// Line width in points.
    var width: Double
    /// Whether the label goes inside the plot area, beside the line and clear of data, instead of
    /// outside it (which takes room from the plot).
    var labelInside: Bool

    /// The label drawn outside the plot (nil when there is none or it goes inside).
    var outsideLabel: String? { labelInside ? nil : label }

    /// A reference line, grey and dashed by default.
    init(
        _ orientation: Orientation, label: String? = nil, color: Color = Style.referenceColor,
        dash: [Double] = Style.referenceDash, width: Double = Style.referenceLineWidth, labelInside: Bool = false
    ) {
        self.orientation = orientation
        self.labelInside = labelInside
        self.label = label
        self.color = color
        self.dash = dash
        self.width = width
    }
}

/// Text placed at data coordinates (in ``RichText`` markup).
struct TextAnnotation: Sendable {
    /// The text, in RichText markup.
    var text: String
    /// Anchor x, in data units.
    var x: Double
    /// Anchor y, in data units.
    var y: Double
    /// Horizontal anchoring at (x, y).
    var align: HorizontalAlignment
    /// Vertical anchoring at (x, y).
    var vertical: VerticalAlignment
    /// The drawing colour.
    var color: Color
    /// The font (default ``Style/annotation``).
    var font: Font

    /// Text anchored at data coordinates (x, y).
    init(
        _ text: String, x: Double, y: Double, align: HorizontalAlignment = .center,
        vertical: VerticalAlignment = .middle, color: Color = Style.textColor, font: Font = Style.annotation
    ) {
        self.text = text
        self.x = x
        self.y = y
        self.align = align
        self.vertical = vertical
        self.color = color
        self.font = font
    }
}

/// A matrix of values drawn as seamless cells over data extents, with an optional colour bar.
/// `values[row][column]`; row 0 is at the bottom (`y.lowerBound`) unless `firstRowAtTop`.
struct Heatmap: Sendable {
    /// Cell values, `values[row][column]`; NaN cells are left blank.
    var values: [[Double]]
    /// Data extent of the columns along x.
    var x: ClosedRange<Double>
    /// Data extent of the rows along y.
    var y: ClosedRange<Double>
    /// The colour map.
    var colorMap: ColorMap
    /// Values mapped to the ends of the colour map; nil = data min…max (symmetric about 0
    /// for diverging maps; positive values only for a log colour scale).
    var range: ClosedRange<Double>?
    /// Map colours by log10 of the value (non-positive values show as missing).
    var logColor: Bool
    /// Whether `values[0]` is the top row (default: bottom).
    var firstRowAtTop: Bool
    /// Draw a colour bar to the right of the plot area.
    var showColorBar: Bool
    /// The colour bar's label (``RichText`` markup, with units).
    var colorBarLabel: String?
    /// The colour of NaN (missing, failed) cells and their legend entry; nil = the map's missing colour, no entry.
    var missing: MissingCells?

    /// A heatmap of `values` over the extents `x` × `y`.
    init(
        _ values: [[Double]], x: ClosedRange<Double>, y: ClosedRange<Double>, colorMap: ColorMap = .viridis,
        range: ClosedRange<Double>? = nil, logColor: Bool = false, firstRowAtTop: Bool = false,
        showColorBar: Bool = true, colorBarLabel: String? = nil, missing: MissingCells? = nil
    ) {
        precondition(Set(values.map(\.count)).count <= 1, "Heatmap: rows differ in length")
        self.missing = missing
        self.values = values
        self.x = x
        self.y = y
        self.colorMap = colorMap
        self.range = range
        self.logColor = logColor
        self.firstRowAtTop = firstRowAtTop
        self.showColorBar = showColorBar
        self.colorBarLabel = colorBarLabel
    }

    var rows: Int { values.count }
    var columns: Int { values.first?.count ?? 0 }

    /// The value range the colours span (see ``range``).
    var colorRange: ClosedRange<Double> {
        if let range { return range }
        let finite = values.joined().filter { $0.isFinite && (!logColor || $0 > 0) }
        guard var lo = finite.min(), var hi = finite.max() else { return logColor ? 1...10 : 0...1 }
        if colorMap.isDiverging && !logColor {
            let m = max(abs(lo), abs(hi))
            (lo, hi) = (-m, m)
        }
        if hi <= lo {
            if logColor { return lo / 10...lo * 10 }
            let (a, b) = NiceTicks.sanitize(lo, hi)
            return a...b
        }
        return lo...hi
    }

    /// The position in 0…1 of `value` along the colour map.
    func colorPosition(_ value: Double) -> Double {
        let r = colorRange
        let scale: AxisScale = logColor ? .log : .linear
        let a = scale.transform(r.lowerBound)
        let b = scale.transform(r.upperBound)
        return (scale.transform(value) - a) / (b - a)
    }

    /// The colour of one cell value (NaN and out-of-scale values use the map's missing colour).
    func color(for value: Double) -> Color {
        guard value.isFinite, !logColor || value > 0 else { return missing?.color ?? colorMap.missing }
        return colorMap.color(at: colorPosition(value))
    }
}

/// How a heatmap shows cells without a value (NaN: a failed run, no data): their own colour,
/// outside the colour map, with its own legend entry.
public struct MissingCells: Sendable, Equatable {
    /// The cells' colour.
    public var color: Color
    /// The legend entry's text (nil = no entry).
    public var label: String?

    /// Missing cells in `color`, named `label` in the legend.
    public init(color: Color, label: String?) {
        self.color = color
        self.label = label
    }
}
