import Cairo

extension Axes {
    /// Screen rectangles of a bar series' bars (baseline 0, or the axis bottom on a log axis).
    func barRects(_ s: BarSeries, _ layout: AxesLayout) -> [Rect] {
        let map = layout.mapping
        let base: Double =
            yScale == .log || layout.yTicks.lower > 0
            ? layout.plot.maxY : (layout.yTicks.upper < 0 ? layout.plot.minY : map.y(0))
        return s.x.indices.compactMap { i -> Rect? in
            let left = map.x(s.x[i] - s.width / 2)
            let right = map.x(s.x[i] + s.width / 2)
            let top = map.y(s.heights[i])
            guard left.isFinite, right.isFinite, top.isFinite, base.isFinite else { return nil }
            return Rect(x: min(left, right), y: min(top, base), width: abs(right - left), height: abs(base - top))
        }
    }

    /// Most rows (and columns) of a heatmap drawn as image pixels.
    var maxHeatmapCells: Int { 4096 }

    /// The screen rectangle a heatmap covers (nil if its extents are not drawable).
    func heatmapRect(_ h: Heatmap, _ layout: AxesLayout) -> Rect? {
        let map = layout.mapping
        guard let a = map.point(h.x.lowerBound, h.y.upperBound), let b = map.point(h.x.upperBound, h.y.lowerBound)
        else { return nil }
        return Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y))
    }

    private func clipTo(_ r: Rect, _ context: Context) {
        context.newPath()
        context.rectangle(r)
        context.clip()
    }

    private func strokeRuns(_ runs: [[Point]], color: Color, width: Double, dash: [Double], context: Context) {
        guard !runs.isEmpty else { return }
        context.setColor(color)
        context.setLineWidth(width)
        context.setDash(dash)
        context.setLineJoin(.round)
        context.setLineCap(dash.isEmpty ? .round : .butt)
        context.newPath()
        for run in runs {
            if run.count == 1 {
                context.arc(center: run[0], radius: width / 2)
            } else {
                context.polyline(run)
            }
        }
        context.stroke()
        context.setDash([])
    }

    func render(_ layout: AxesLayout, context: Context) throws {
        let plot = layout.plot
        let map = layout.mapping
        // Lines are cut at the plot edge geometrically; strokes and markers may spill by their half width.
        let lineClip = plot.inset(by: -1e-6)
        let spill = plot.inset(by: -4)

        if gridLines {
            try context.withSavedState {
                context.setColor(Style.gridColor)
                context.setLineWidth(0.5)
                context.newPath()
                for v in layout.yTicks.values {
                    let y = map.y(v)
                    guard y.isFinite else { continue }
                    context.polyline([Point(plot.minX, y), Point(plot.maxX, y)])
                }
                context.stroke()
                try context.checkStatus("draw grid lines")
            }
        }

        // Heatmaps, then reference lines behind the data.
        for item in items {
            guard case .heatmap(let h) = item, let rect = heatmapRect(h, layout), h.rows > 0, h.columns > 0 else {
                continue
            }
            try context.withSavedState {
                clipTo(plot, context)
                // An image wider or taller than a printed figure can show (and than Cairo's
                // 32767-pixel limit) keeps every k-th row or column.
                let rowStride = (h.rows + maxHeatmapCells - 1) / maxHeatmapCells
                let columnStride = (h.columns + maxHeatmapCells - 1) / maxHeatmapCells
                let rows = stride(from: 0, to: h.rows, by: rowStride).map { h.values[$0] }
                let thinned = rows.map { row in stride(from: 0, to: h.columns, by: columnStride).map { row[$0] } }
                let ordered = h.firstRowAtTop ? thinned : thinned.reversed()
                try context.drawImage(
                    colors: ordered.joined().map { h.color(for: $0) }, rows: thinned.count,
                    columns: thinned.first?.count ?? 0, in: rect)
            }
        }
        for item in items {
            guard case .region(let r) = item else { continue }
            let polygon = zip(r.x, r.y).compactMap { map.point($0, $1) }
            guard polygon.count >= 3 else { continue }
            try context.withSavedState {
                clipTo(plot, context)
                context.setColor(r.color)
                context.newPath()
                context.polyline(polygon)
                context.closePath()
                context.fill()
                try context.checkStatus("draw a region")
            }
        }
        for item in items {
            guard case .reference(let r) = item else { continue }
            let ends: [Point?] =
                switch r.orientation {
                case .vertical(let x): [map.point(x, layout.yTicks.lower), map.point(x, layout.yTicks.upper)]
                case .horizontal(let y): [map.point(layout.xTicks.lower, y), map.point(layout.xTicks.upper, y)]
                }
            context.withSavedState {
                strokeRuns(clippedPolylines(ends, to: lineClip), color: r.color, width: r.width, dash: r.dash, context: context)
            }
        }

        // Filled things: bars (with error bars) and bands.
        for item in items {
            switch item {
            case .bars(let s):
                let rects = barRects(s, layout)
                try context.withSavedState {
                    clipTo(plot, context)
                    context.setColor(s.color)
                    context.newPath()
                    for r in rects { context.rectangle(r) }
                    context.fill()
                    try context.checkStatus("draw bars")
                }
                if let errors = s.errors {
                    context.withSavedState {
                        clipTo(spill, context)
                        context.setColor(Style.axisColor)
                        context.setLineWidth(Style.errorBarWidth)
                        context.setLineCap(.butt)
                        context.newPath()
                        for i in s.x.indices where errors[i].isFinite && errors[i] > 0 {
                            let h = s.heights[i]
                            guard let lo = map.point(s.x[i], h - errors[i]) ?? map.point(s.x[i], h),
                                let hi = map.point(s.x[i], h + errors[i])
                            else { continue }
                            let barWidth = abs(map.x(s.x[i] + s.width / 2) - map.x(s.x[i] - s.width / 2))
                            let cap = min(barWidth * 0.35, 3)
                            let loY = min(max(lo.y, plot.minY), plot.maxY)
                            let hiY = min(max(hi.y, plot.minY), plot.maxY)
                            context.polyline([Point(lo.x, loY), Point(hi.x, hiY)])
                            for y in [loY, hiY] where y > plot.minY && y < plot.maxY {
                                context.polyline([Point(lo.x - cap, y), Point(lo.x + cap, y)])
                            }
                        }
                        context.stroke()
                    }
                }
            case .band(let s):
                try context.withSavedState {
                    clipTo(plot, context)
                    context.setColor(s.color.withAlpha(Style.bandAlpha))
                    context.newPath()
                    var run: [(Point, Point)] = []
                    func flush() {
                        defer { run = [] }
                        guard run.count >= 2 else { return }
                        context.polyline(run.map(\.1))
                        for p in run.reversed() { context.line(to: p.0) }
                        context.closePath()
                    }
                    for i in s.x.indices {
                        let e = s.sem[i].isFinite ? abs(s.sem[i]) : 0
                        if let lo = map.point(s.x[i], s.mean[i] - e), let hi = map.point(s.x[i], s.mean[i] + e),
                            s.mean[i].isFinite
                        {
                            run.append((lo, hi))
                        } else {
                            flush()
                        }
                    }
                    flush()
                    context.fill()
                    try context.checkStatus("draw a band")
                }
            default: break
            }
        }

        // Lines on top: band means, line series, then scatter markers.
        for item in items {
            switch item {
            case .band(let s):
                let runs = clippedPolylines(s.x.indices.map { map.point(s.x[$0], s.mean[$0]) }, to: lineClip)
                context.withSavedState {
                    clipTo(spill, context)
                    strokeRuns(runs, color: s.color, width: s.width, dash: s.dash, context: context)
                }
            case .line(let s):
                let points = zip(s.x, s.y).map { map.point($0, $1) }
                context.withSavedState {
                    clipTo(spill, context)
                    strokeRuns(clippedPolylines(points, to: lineClip), color: s.color, width: s.width, dash: s.dash, context: context)
                    if let marker = s.marker {
                        for p in points.compactMap({ $0 }) where lineClip.encloses(p) {
                            marker.draw(at: p, color: s.color, in: context)
                        }
                    }
                }
            default: break
            }
        }
        for item in items {
            guard case .scatter(let s) = item else { continue }
            context.withSavedState {
                clipTo(spill, context)
                for p in zip(s.x, s.y).compactMap({ map.point($0, $1) }) where lineClip.encloses(p) {
                    s.marker.draw(at: p, color: s.color, in: context)
                }
            }
        }
        try context.checkStatus("draw the data")

        // Annotations at data coordinates.
        for item in items {
            guard case .text(let t) = item, let p = map.point(t.x, t.y) else { continue }
            try context.setFont(t.font)
            context.setColor(t.color)
            context.drawText(t.text, at: p, align: t.align, vertical: t.vertical)
        }

        try drawAxes(layout, context: context)
        if let cb = layout.colorBar { try drawColorBar(cb.rect, heatmap: cb.heatmap, ticks: cb.ticks, layout: layout, context: context) }
        if let box = layout.legendBox, !layout.legendEntries.isEmpty {
            try drawLegend(layout.legendEntries, in: box, opaque: layout.legendOpaque, context: context)
        }
        try drawLineLabels(layout, context: context)
        try drawInsideLabels(layout, context: context)
        try context.checkStatus("draw a panel")
    }

    /// Spines, ticks, tick labels, axis labels, title and reference-line labels.
    private func drawAxes(_ layout: AxesLayout, context: Context) throws {
        let plot = layout.plot
        let map = layout.mapping
        let tick = Style.tickLength
        context.setDash([])
        context.setColor(Style.axisColor)
        context.setLineWidth(Style.axisLineWidth)
        context.setLineCap(.butt)
        context.setLineJoin(.miter)
        // Left and bottom spines as one path, meeting in a clean corner.
        context.newPath()
        context.polyline([Point(plot.minX, plot.minY), Point(plot.minX, plot.maxY), Point(plot.maxX, plot.maxY)])
        context.stroke()

        // Tick marks, outward.
        context.newPath()
        let half = Style.axisLineWidth / 2
        for v in layout.yTicks.values {
            let y = map.y(v)
            guard y.isFinite, y >= plot.minY - 0.5, y <= plot.maxY + 0.5 else { continue }
            context.polyline([Point(plot.minX - tick, y), Point(plot.minX + half, y)])
        }
        for v in layout.xTicks.values {
            let x = map.x(v)
            guard x.isFinite, x >= plot.minX - 0.5, x <= plot.maxX + 0.5 else { continue }
            context.polyline([Point(x, plot.maxY + tick), Point(x, plot.maxY - half)])
        }
        for v in layout.yTicks.minor {
            let y = map.y(v)
            guard y.isFinite, y >= plot.minY, y <= plot.maxY else { continue }
            context.polyline([Point(plot.minX - Style.minorTickLength, y), Point(plot.minX, y)])
        }
        for v in layout.xTicks.minor {
            let x = map.x(v)
            guard x.isFinite, x >= plot.minX, x <= plot.maxX else { continue }
            context.polyline([Point(x, plot.maxY + Style.minorTickLength), Point(x, plot.maxY)])
        }
        context.stroke()

        // Tick labels.
        try context.setFont(Style.small)
        context.setColor(Style.textColor)
        for (v, label) in zip(layout.yTicks.values, layout.yTicks.labels) {
            let y = map.y(v)
            guard y.isFinite, y >= plot.minY - 0.5, y <= plot.maxY + 0.5 else { continue }
            context.drawText(label, at: Point(plot.minX - tick - Gap.tickLabel, y), align: .right, vertical: .middle)
        }
        let xLabelTop = plot.maxY + tick + Gap.tickLabel
        for (i, v) in layout.xTicks.values.enumerated() {
            let x = map.x(v)
            guard x.isFinite, x >= plot.minX - 0.5, x <= plot.maxX + 0.5 else { continue }
            if layout.xTickAngle != 0 {
                context.drawText(
                    layout.xTicks.labels[i], at: Point(x + layout.tickAscent * 0.35, xLabelTop), align: .right,
                    vertical: .top, angle: layout.xTickAngle)
            } else {
                for (k, line) in layout.xTickLines[i].enumerated() {
                    context.drawText(
                        line, at: Point(x, xLabelTop + Double(k) * layout.tickHeight), align: .center, vertical: .top)
                }
            }
        }

        // Axis labels and title.
        try context.setFont(Style.label)
        if let xLabel {
            context.drawText(
                xLabel, at: Point(plot.midX, xLabelTop + layout.xTickBlock + Gap.axisLabel), align: .center,
                vertical: .top)
        }
        if let yLabel {
            context.drawText(
                yLabel, at: Point(layout.frame.minX + layout.labelHeight, plot.midY), align: .center, vertical: .bottom,
                angle: -.pi / 2)
        }
        if let title {
            try context.setFont(Style.title)
            context.drawText(Axes.titleCase(title), at: Point(plot.midX, layout.frame.minY), align: .center, vertical: .top)
        }

        // Reference-line labels: above the plot for vertical lines, right of it for horizontal ones.
        try context.setFont(Style.annotation)
        context.setColor(Style.mutedText)
        for (i, item) in items.enumerated() {
            guard case .reference(let r) = item, let label = r.outsideLabel else { continue }
            switch r.orientation {
            case .vertical:
                guard let placed = layout.referenceRows[i] else { continue }
                context.drawText(label, at: Point(placed.box.minX, placed.box.maxY))
            case .horizontal(let yv):
                let y = map.y(yv)
                guard y.isFinite, y >= plot.minY - 0.5, y <= plot.maxY + 0.5 else { continue }
                context.drawText(label, at: Point(layout.referenceLabelX, y), vertical: .middle)
            }
        }
        try context.checkStatus("draw the axes")
    }

    private func drawColorBar(
        _ rect: Rect, heatmap h: Heatmap, ticks: NiceTicks, layout: AxesLayout, context: Context
    ) throws {
        let steps = 256
        let colors = (0..<steps).map { h.colorMap.color(at: 1 - (Double($0) + 0.5) / Double(steps)) }
        try context.drawImage(colors: colors, rows: steps, columns: 1, in: rect)
        context.setColor(Style.axisColor)
        context.setLineWidth(Style.axisLineWidth)
        context.setDash([])
        context.newPath()
        var labelWidth = 0.0
        try context.setFont(Style.small)
        var positions: [(Double, String)] = []
        for (v, label) in zip(ticks.values, ticks.labels) {
            let t = h.colorPosition(v)
            guard t.isFinite, t >= -1e-9, t <= 1 + 1e-9 else { continue }
            let y = rect.maxY - t * rect.height
            context.polyline([Point(rect.maxX, y), Point(rect.maxX + Style.tickLength, y)])
            positions.append((y, label))
            labelWidth = max(labelWidth, context.measure(RichText(label)).width)
        }
        context.stroke()
        context.setColor(Style.textColor)
        for (y, label) in positions {
            context.drawText(
                label, at: Point(rect.maxX + Style.tickLength + Gap.tickLabel, y), align: .left, vertical: .middle)
        }
        if let label = h.colorBarLabel {
            try context.setFont(Style.label)
            context.drawText(
                label,
                at: Point(rect.maxX + Style.tickLength + Gap.tickLabel + labelWidth + Gap.axisLabel, rect.midY),
                align: .center, vertical: .top, angle: -.pi / 2)
        }
        try context.checkStatus("draw a colour bar")
    }
}
