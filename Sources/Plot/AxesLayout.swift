import Cairo

/// Spacing of the axes furniture, in points.
enum Gap {
    /// Between a tick mark's end and its label.
    static let tickLabel = 2.0
    /// Between tick labels and the axis label.
    static let axisLabel = 3.0
    /// Between the plot area and a colour bar or an outside legend.
    static let side = 8.0
    /// Width of a colour bar.
    static let colorBarWidth = 7.0
    /// Horizontal gap required between neighbouring x tick labels.
    static let tickLabelSpacing = 5.0
    /// Legend: sample width, gap to text, row height.
    static let legendSample = 14.0
    static let legendTextGap = 4.0
    static let legendRow = 10.0
}

/// Everything about where a panel's parts go, computed before drawing.
struct AxesLayout {
    var frame: Rect
    var plot: Rect
    var xTicks: NiceTicks
    var yTicks: NiceTicks
    var mapping: Mapping
    /// The colour bar's rectangle, heatmap and ticks, if one is drawn.
    var colorBar: (rect: Rect, heatmap: Heatmap, ticks: NiceTicks)?
    /// Left edge of the column right of the plot where horizontal reference labels go.
    var referenceLabelX: Double
    /// Rows (0 = nearest the plot) of the labels of vertical reference lines, by item index.
    var referenceRows: [Int: (row: Int, box: Rect)]
    var legendEntries: [AxesLegendEntry]
    var legendPosition: LegendPosition?
    var legendBox: Rect?
    /// Whether the legend gets a white ground (only when it covers no data, just reference lines).
    var legendOpaque = false
    /// Labels at the right ends of the lines (``LegendPosition/lineEnds``), placed apart.
    var lineLabels: [LineEndLabel] = []
    /// Labels inside the plot area: line ends (``LegendPosition/lineEndsInside``, `endLabel`) and
    /// reference lines labelled inside, placed clear of data, the legend and each other.
    var insideLabels: [InsideLabel] = []
    /// The x tick labels, each as one or more lines (long category names wrap at a space).
    var xTickLines: [[String]]
    /// Rotation of x tick labels (0, or −π/4 when even wrapped labels would collide).
    var xTickAngle: Double
    /// Height of the block of x tick labels below the tick marks.
    var xTickBlock: Double
    /// Font metrics used by the layout.
    var tickHeight: Double
    var tickAscent: Double
    var labelHeight: Double
    var annotationHeight: Double
}

/// Font sizes measured once per layout.
private struct Metrics {
    var tickAscent = 0.0
    var tickHeight = 0.0
    var labelAscent = 0.0
    var labelHeight = 0.0
    var titleHeight = 0.0
    var annotationHeight = 0.0
}

extension Axes {
    var heatmaps: [Heatmap] {
        items.compactMap { if case .heatmap(let h) = $0 { h } else { nil } }
    }

    /// Data extents per axis (only values drawable on that axis's scale).
    func dataBounds() -> (x: (Double, Double)?, y: (Double, Double)?) {
        var xs: [Double] = []
        var ys: [Double] = []
        for item in items {
            switch item {
            case .line(let s):
                for (a, b) in zip(s.x, s.y) where a.isFinite && b.isFinite {
                    xs.append(a)
                    ys.append(b)
                }
            case .band(let s):
                for i in s.x.indices where s.x[i].isFinite && s.mean[i].isFinite {
                    xs.append(s.x[i])
                    let e = s.sem[i].isFinite ? abs(s.sem[i]) : 0
                    ys.append(s.mean[i] - e)
                    ys.append(s.mean[i] + e)
                    if yScale == .log { ys.append(s.mean[i]) }
                }
            case .scatter(let s):
                for (a, b) in zip(s.x, s.y) where a.isFinite && b.isFinite {
                    xs.append(a)
                    ys.append(b)
                }
            case .bars(let s):
                for i in s.x.indices where s.x[i].isFinite && s.heights[i].isFinite {
                    xs.append(s.x[i] - s.width / 2)
                    xs.append(s.x[i] + s.width / 2)
                    let e = s.errors.map { $0[i].isFinite ? abs($0[i]) : 0 } ?? 0
                    ys.append(s.heights[i] + (s.heights[i] >= 0 ? e : -e))
                    ys.append(s.heights[i])
                    if yScale == .linear { ys.append(0) }
                }
            case .reference(let r):
                switch r.orientation {
                case .vertical(let x): xs.append(x)
                case .horizontal(let y): ys.append(y)
                }
            case .text(let t):
                xs.append(t.x)
                ys.append(t.y)
            case .heatmap(let h):
                xs += [h.x.lowerBound, h.x.upperBound]
                ys += [h.y.lowerBound, h.y.upperBound]
            case .region(let r):
                for (a, b) in zip(r.x, r.y) where a.isFinite && b.isFinite {
                    xs.append(a)
                    ys.append(b)
                }
            }
        }
        func bounds(_ v: [Double], _ scale: AxisScale) -> (Double, Double)? {
            let ok = v.filter { $0.isFinite && (scale == .linear || $0 > 0) }
            guard let lo = ok.min(), let hi = ok.max() else { return nil }
            return (lo, hi)
        }
        if let extraY { ys.append(extraY) }
        return (bounds(xs, xScale), bounds(ys, yScale))
    }

    /// Ticks for one axis: custom, or nice ticks covering the data (auto) or inside fixed/tight limits.
    static func axisTicks(
        scale: AxisScale, fixed: ClosedRange<Double>?, data: (Double, Double)?, tight: Bool, custom: NiceTicks?,
        maxCount: Int
    ) -> NiceTicks {
        if let custom { return custom }
        let (lo, hi) =
            fixed.map { ($0.lowerBound, $0.upperBound) } ?? data ?? (scale == .log ? (1, 10) : (0, 1))
        let inside = fixed != nil || tight
        switch scale {
        case .linear:
            if inside { return NiceTicks.inside(min: lo, max: hi, maxCount: maxCount) }
            // Limits at the outermost ticks, unless a tick lies far beyond the data: then that
            // side ends 4% past the data and the ticks stay inside.
            let t = NiceTicks(min: lo, max: hi, maxCount: maxCount)
            let d = hi - lo
            guard d > 0 else { return t }
            let snapLow = lo - t.lower <= 0.1 * d
            let snapHigh = t.upper - hi <= 0.1 * d
            if snapLow && snapHigh { return t }
            return NiceTicks.inside(
                min: snapLow ? t.lower : lo - 0.04 * d, max: snapHigh ? t.upper : hi + 0.04 * d, maxCount: maxCount)
        case .log:
            guard inside, lo > 0, hi > lo else { return NiceTicks.logarithmic(min: lo, max: hi, maxCount: maxCount) }
            return NiceTicks.logarithmicInside(min: lo, max: hi, maxCount: maxCount)
        }
    }

    /// Ticks for a colour bar spanning the heatmap's colour range.
    static func colorBarTicks(_ h: Heatmap, length: Double) -> NiceTicks {
        let r = h.colorRange
        let maxCount = max(3, min(7, Int(length / 18) + 1))
        if h.logColor {
            let t = axisTicks(
                scale: .log, fixed: r, data: nil, tight: true, custom: nil, maxCount: maxCount)
            if t.values.count >= 2 { return t }
        }
        return NiceTicks.inside(min: r.lowerBound, max: r.upperBound, maxCount: maxCount)
    }

    private func measure(_ context: Context) throws -> Metrics {
        var m = Metrics()
        try context.setFont(Style.small)
        var f = context.fontMetrics()
        m.tickAscent = f.ascent
        m.tickHeight = f.ascent + f.descent
        try context.setFont(Style.label)
        f = context.fontMetrics()
        m.labelAscent = f.ascent
        m.labelHeight = f.ascent + f.descent
        try context.setFont(Style.title)
        f = context.fontMetrics()
        m.titleHeight = f.ascent + f.descent
        try context.setFont(Style.annotation)
        f = context.fontMetrics()
        m.annotationHeight = f.ascent + f.descent
        return m
    }

    private static func maxWidth(_ labels: [String], font: Font, context: Context) throws -> Double {
        try context.setFont(font)
        return labels.map { context.measure(RichText($0)).width }.max() ?? 0
    }

    /// Lays out the panel. `outsideLegend` reserves room right of the plot for a legend of that size.
    func layout(
        _ context: Context, frame: Rect, outsideLegend: (width: Double, height: Double)?, entries: [AxesLegendEntry]
    ) throws -> AxesLayout {
        let m = try measure(context)
        let bounds = dataBounds()
        let maps = heatmaps
        let tight = !maps.isEmpty
        let colorBarMap = maps.last { $0.showColorBar }

        // Vertical space below the plot: ticks, tick labels (height known after the x ticks), axis label.
        var xTickBlock = m.tickHeight
        let titleBlock = title != nil ? m.titleHeight + 4 : 0

        // Right-hand column widths that do not depend on the plot size.
        let hrefLabels = items.compactMap { item -> String? in
            if case .reference(let r) = item, case .horizontal = r.orientation { return r.outsideLabel }
            return nil
        }
        let hrefWidth = hrefLabels.isEmpty ? 0 : try Self.maxWidth(hrefLabels, font: Style.annotation, context: context) + 3
        let legendWidth = outsideLegend.map { Gap.side + $0.width } ?? 0

        var referenceRowsNeeded =
            items.contains {
                if case .reference(let r) = $0, case .vertical = r.orientation, r.outsideLabel != nil { return true }
                return false
            } ? 1 : 0
        var result: AxesLayout? = nil
        for _ in 0..<4 {
            let bottom =
                Style.tickLength + Gap.tickLabel + xTickBlock + (xLabel != nil ? Gap.axisLabel + m.labelHeight : 0) + 1
            let refBlock = referenceRowsNeeded > 0 ? Double(referenceRowsNeeded) * (m.annotationHeight + 1) + 2 : 0
            let top = max(m.tickHeight / 2 + 1, titleBlock + refBlock)
            let plotHeight = max(10, frame.height - top - bottom)

            // y ticks (they set the left margin).
            let yCount = max(3, min(8, Int(plotHeight / 20) + 1))
            var yTicks = Self.axisTicks(
                scale: yScale, fixed: yRange, data: bounds.y, tight: tight, custom: self.yTicks, maxCount: yCount)
            if self.yTicks == nil {
                var count = yCount
                while count > 3, Self.spacing(yTicks, length: plotHeight) < m.tickHeight + 2 {
                    count -= 1
                    yTicks = Self.axisTicks(
                        scale: yScale, fixed: yRange, data: bounds.y, tight: tight, custom: nil, maxCount: count)
                }
            }
            let yTickWidth = try Self.maxWidth(yTicks.labels, font: Style.small, context: context)
            let left = (yLabel != nil ? m.labelHeight + Gap.axisLabel : 0) + yTickWidth + Gap.tickLabel + Style.tickLength

            // Colour bar column.
            var colorBarWidth = 0.0
            var cbTicks: NiceTicks? = nil
            if let h = colorBarMap {
                let t = Self.colorBarTicks(h, length: plotHeight)
                cbTicks = t
                colorBarWidth =
                    Gap.side + Gap.colorBarWidth + Style.tickLength + Gap.tickLabel
                    + (try Self.maxWidth(t.labels, font: Style.small, context: context))
                    + (h.colorBarLabel != nil ? Gap.axisLabel + m.labelHeight : 0)
            }
            let rightColumns = hrefWidth + colorBarWidth + legendWidth

            // x ticks, thinned until their labels do not touch.
            var right = max(2, rightColumns)
            var plotWidth = max(10, frame.width - left - right)
            let xCount = max(3, min(9, Int(plotWidth / 18) + 1))
            var xTicks = Self.axisTicks(
                scale: xScale, fixed: xRange, data: bounds.x, tight: tight, custom: self.xTicks, maxCount: xCount)
            var count = xCount
            while self.xTicks == nil, count > 2,
                try Self.xLabelsCrowded(xTicks, length: plotWidth, context: context)
            {
                count -= 1
                xTicks = Self.axisTicks(
                    scale: xScale, fixed: xRange, data: bounds.x, tight: tight, custom: nil, maxCount: count)
            }
            // Custom labels (categories) that collide: wrap at a space, else rotate by 45°.
            try context.setFont(Style.small)
            var xLines = xTicks.labels.map { [$0] }
            var xAngle = 0.0
            if self.xTicks != nil, try Self.xLabelsCrowded(xTicks, length: plotWidth, context: context) {
                let wrapped = xTicks.labels.map(Self.wrapLabel)
                let widths = wrapped.map { $0.map { context.measure(RichText($0)).width }.max() ?? 0 }
                if Self.crowded(xTicks, widths: widths, length: plotWidth) {
                    xAngle = -.pi / 4
                } else {
                    xLines = wrapped
                }
            }
            var newBlock = Double(xLines.map(\.count).max() ?? 1) * m.tickHeight
            if xAngle != 0 {
                let w = xTicks.labels.map { context.measure(RichText($0)).width }.max() ?? 0
                newBlock = (w + m.tickHeight) * 0.7072
            }
            let blockChanged = abs(newBlock - xTickBlock) > 0.01
            xTickBlock = newBlock

            // The last x tick label may hang past the plot's right edge.
            if xAngle == 0, let lastLabel = xLines.last?.max(by: { $0.count < $1.count }), let lastValue = xTicks.values.last {
                try context.setFont(Style.small)
                let w = context.measure(RichText(lastLabel)).width
                let frac = Self.fraction(lastValue, xTicks, scale: xScale)
                let overhang = w / 2 - (1 - frac) * plotWidth
                if overhang + 1 > right {
                    right = overhang + 1
                    plotWidth = max(10, frame.width - left - right)
                }
            }

            let plot = Rect(x: frame.minX + left, y: frame.minY + top, width: plotWidth, height: plotHeight)
            let mapping = Mapping(
                plot: plot,
                x: AxisMap(lower: xTicks.lower, upper: xTicks.upper, scale: xScale, start: plot.minX, end: plot.maxX),
                y: AxisMap(lower: yTicks.lower, upper: yTicks.upper, scale: yScale, start: plot.maxY, end: plot.minY))

            // Labels of vertical reference lines: rows above the plot, no two touching.
            try context.setFont(Style.annotation)
            var rows: [[Rect]] = []
            var referenceRows: [Int: (row: Int, box: Rect)] = [:]
            for (i, item) in items.enumerated() {
                guard case .reference(let r) = item, case .vertical(let x) = r.orientation, let label = r.outsideLabel else {
                    continue
                }
                let sx = mapping.x(x)
                guard sx.isFinite, sx >= plot.minX - 0.5, sx <= plot.maxX + 0.5 else { continue }
                let w = context.measure(RichText(label)).width
                // Centred on the line, kept over the plot; a label wider than the room there may run
                // right to the frame edge (not over a colour bar), or else starts in a higher row,
                // clear of the top y tick label.
                let rightLimit = colorBarMap != nil || outsideLegend != nil ? plot.maxX : frame.maxX
                var bx = min(max(sx - w / 2, plot.minX), rightLimit - w)
                var row = 0
                if bx < plot.minX {
                    bx = max(frame.minX, rightLimit - w)
                    row = 1
                }
                while row < rows.count, rows[row].contains(where: { $0.minX < bx + w + 3 && bx < $0.maxX + 3 }) {
                    row += 1
                }
                while row >= rows.count { rows.append([]) }
                let baseline = plot.minY - 2 - Double(row) * (m.annotationHeight + 1)
                let box = Rect(x: bx, y: baseline - m.annotationHeight, width: w, height: m.annotationHeight)
                rows[row].append(box)
                referenceRows[i] = (row, box)
            }

            var colorBar: (Rect, Heatmap, NiceTicks)? = nil
            if let h = colorBarMap, let t = cbTicks {
                colorBar = (
                    Rect(
                        x: plot.maxX + hrefWidth + Gap.side, y: plot.minY, width: Gap.colorBarWidth, height: plot.height),
                    h, t
                )
            }
            var layout = AxesLayout(
                frame: frame, plot: plot, xTicks: xTicks, yTicks: yTicks, mapping: mapping,
                colorBar: colorBar.map { (rect: $0.0, heatmap: $0.1, ticks: $0.2) }, referenceLabelX: plot.maxX + 3,
                referenceRows: referenceRows, legendEntries: entries, legendPosition: nil, legendBox: nil,
                xTickLines: xLines, xTickAngle: xAngle, xTickBlock: xTickBlock, tickHeight: m.tickHeight, tickAscent: m.tickAscent,
                labelHeight: m.labelHeight,
                annotationHeight: m.annotationHeight)
            if let size = outsideLegend {
                layout.legendBox = Rect(
                    x: plot.maxX + hrefWidth + colorBarWidth + Gap.side, y: plot.minY, width: size.width,
                    height: size.height)
            }
            result = layout
            if rows.count <= referenceRowsNeeded && !blockChanged { break }
            referenceRowsNeeded = max(referenceRowsNeeded, rows.count)
        }
        return result!
    }

    /// Position of a tick value along its axis as a fraction 0…1.
    static func fraction(_ v: Double, _ t: NiceTicks, scale: AxisScale) -> Double {
        let a = scale.transform(t.lower)
        let b = scale.transform(t.upper)
        return b == a ? 0 : (scale.transform(v) - a) / (b - a)
    }

    /// The smallest screen distance between neighbouring ticks.
    static func spacing(_ t: NiceTicks, length: Double) -> Double {
        let f = t.values.map { fraction($0, t, scale: t.scale) * length }
        return zip(f, f.dropFirst()).map { $1 - $0 }.min() ?? .infinity
    }

    /// Whether neighbouring x tick labels would come closer than ``Gap/tickLabelSpacing``.
    static func xLabelsCrowded(_ t: NiceTicks, length: Double, context: Context) throws -> Bool {
        try context.setFont(Style.small)
        return crowded(t, widths: t.labels.map { context.measure(RichText($0)).width }, length: length)
    }

    /// Whether labels of these widths, centred on the ticks, come closer than ``Gap/tickLabelSpacing``.
    static func crowded(_ t: NiceTicks, widths: [Double], length: Double) -> Bool {
        let centres = t.values.map { fraction($0, t, scale: t.scale) * length }
        for i in 1..<max(1, t.values.count) {
            if centres[i] - widths[i] / 2 - (centres[i - 1] + widths[i - 1] / 2) < Gap.tickLabelSpacing { return true }
        }
        return false
    }

    /// A label split into two lines at the space nearest its middle (unchanged if it has none).
    static func wrapLabel(_ label: String) -> [String] {
        let chars = Array(label)
        let spaces = chars.indices.filter { chars[$0] == " " }
        guard let cut = spaces.min(by: { abs($0 * 2 - chars.count) < abs($1 * 2 - chars.count) }) else { return [label] }
        return [String(chars[..<cut]), String(chars[(cut + 1)...])]
    }
}
