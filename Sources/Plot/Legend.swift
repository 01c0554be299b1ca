import Cairo

/// One legend row: a sample of how the series is drawn, and its label.
struct AxesLegendEntry {
    enum Sample {
        case line(color: Color, width: Double, dash: [Double], marker: Marker?)
        case band(color: Color, width: Double, dash: [Double])
        case marker(Marker, Color)
        case bar(Color)
        /// A filled rectangle as wide as a line sample (a region).
        case patch(Color)
    }
    var sample: Sample
    var label: String
}

extension Axes {
    /// Entries for every labelled series, in the order they were added.
    func legendEntries() -> [AxesLegendEntry] {
        items.compactMap { item -> AxesLegendEntry? in
            switch item {
            case .line(let s):
                s.label.map {
                    AxesLegendEntry(sample: .line(color: s.color, width: s.width, dash: s.dash, marker: s.marker), label: $0)
                }
            case .band(let s):
                // A band swatch only where the series has a band to shade.
                s.label.map {
                    AxesLegendEntry(
                        sample: s.hasBand
                            ? .band(color: s.color, width: s.width, dash: s.dash)
                            : .line(color: s.color, width: s.width, dash: s.dash, marker: nil),
                        label: $0)
                }
            case .scatter(let s): s.label.map { AxesLegendEntry(sample: .marker(s.marker, s.color), label: $0) }
            case .bars(let s): s.label.map { AxesLegendEntry(sample: .bar(s.color), label: $0) }
            case .region(let r): r.label.map { AxesLegendEntry(sample: .patch(r.color), label: $0) }
            case .heatmap(let h): h.missing?.label.map { AxesLegendEntry(sample: .bar(h.missing!.color), label: $0) }
            case .reference, .text: nil
            }
        }
    }

    static func legendSize(_ entries: [AxesLegendEntry], context: Context) throws -> (width: Double, height: Double) {
        guard !entries.isEmpty else { return (0, 0) }
        try context.setFont(Style.small)
        let text = entries.map { context.measure(RichText($0.label)).width }.max() ?? 0
        return (Gap.legendSample + Gap.legendTextGap + text, Double(entries.count) * Gap.legendRow)
    }

    /// Screen points the legend must not cover: every series sampled densely (lines every
    /// 2 pt, bands and bars filled in, heatmap cells, regions, annotation boxes); reference lines
    /// are returned apart (`soft`): better avoided, but a legend may cover them. Only what is drawn
    /// counts: geometry is cut to the plot area before it is sampled, and markers count only when
    /// their centre lies in the plot (as they are drawn), so data far outside the axis limits
    /// neither occupy a corner nor cost time.
    func obstaclePoints(_ layout: AxesLayout, context: Context) throws -> (hard: [Point], soft: [Point]) {
        let map = layout.mapping
        let plot = layout.plot
        let area = plot.inset(by: -3)
        let drawn = plot.inset(by: -1e-6)
        var out: [Point] = []
        var soft: [Point] = []
        func along(_ pts: [Point?]) {
            for run in clippedPolylines(pts, to: plot) { out += densify(run, spacing: 2) }
        }
        func segment(_ a: Point, _ b: Point) {
            if let (c, d) = clipSegment(a, b, to: area) { out += densify([c, d], spacing: 2) }
        }
        func filled(_ r: Rect, spacing: Double) {
            if let visible = r.intersection(area) { out += gridPoints(visible, spacing: spacing) }
        }
        func markers(_ centres: [Point], size: Double) {
            let r = size / 2
            for p in centres where drawn.encloses(p) {
                out += [p, Point(p.x - r, p.y), Point(p.x + r, p.y), Point(p.x, p.y - r), Point(p.x, p.y + r)]
            }
        }
        for item in items {
            switch item {
            case .line(let s):
                along(zip(s.x, s.y).map { map.point($0, $1) })
                if let m = s.marker { markers(zip(s.x, s.y).compactMap { map.point($0, $1) }, size: m.size) }
            case .scatter(let s):
                markers(zip(s.x, s.y).compactMap { map.point($0, $1) }, size: s.marker.size)
            case .band(let s):
                along(s.x.indices.map { map.point(s.x[$0], s.mean[$0]) })
                for i in s.x.indices {
                    guard let lo = map.point(s.x[i], s.mean[i] - s.sem[i]),
                        let hi = map.point(s.x[i], s.mean[i] + s.sem[i])
                    else { continue }
                    segment(lo, hi)
                    if i + 1 < s.x.count, let lo2 = map.point(s.x[i + 1], s.mean[i + 1] - s.sem[i + 1]),
                        let hi2 = map.point(s.x[i + 1], s.mean[i + 1] + s.sem[i + 1])
                    {
                        // Columns across the band every 2 pt, only over the visible part of the step.
                        let left = max(min(lo.x, lo2.x), area.minX), right = min(max(lo.x, lo2.x), area.maxX)
                        let n = Int((abs(lo2.x - lo.x) / 2).rounded(.up))
                        if n > 1 && right > left {
                            for k in 1..<n {
                                let t = Double(k) / Double(n)
                                let x = lo.x + (lo2.x - lo.x) * t
                                guard x >= left && x <= right else { continue }
                                let a = Point(x, lo.y + (lo2.y - lo.y) * t)
                                let b = Point(hi.x + (hi2.x - hi.x) * t, hi.y + (hi2.y - hi.y) * t)
                                segment(a, b)
                            }
                        }
                    }
                }
            case .bars(let s):
                for r in barRects(s, layout) { filled(r, spacing: 2) }
            case .reference(let r):
                let ends: [Point?] =
                    switch r.orientation {
                    case .vertical(let x): [map.point(x, layout.yTicks.lower), map.point(x, layout.yTicks.upper)]
                    case .horizontal(let y): [map.point(layout.xTicks.lower, y), map.point(layout.xTicks.upper, y)]
                    }
                for run in clippedPolylines(ends, to: plot) { soft += densify(run, spacing: 2) }
            case .text(let t):
                if let p = map.point(t.x, t.y) {
                    try context.setFont(t.font)
                    filled(context.textBox(t.text, at: p, align: t.align, vertical: t.vertical), spacing: 2)
                }
            case .heatmap(let h):
                if let r = heatmapRect(h, layout) { filled(r, spacing: 3) }
            case .region(let r):
                let polygon = zip(r.x, r.y).compactMap { map.point($0, $1) }
                guard polygon.count >= 3 else { continue }
                let xs = polygon.map(\.x), ys = polygon.map(\.y)
                let box = Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
                if let visible = box.intersection(plot) {
                    out += gridPoints(visible, spacing: 3).filter { polygonContains(polygon, $0) }
                }
            }
        }
        return (out.filter { area.encloses($0) }, soft)
    }

    /// Draws the legend rows in `box`: sample on the left, label after it, no frame.
    /// `opaque` lays a white ground first, so reference or grid lines do not run through the text.
    func drawLegend(_ entries: [AxesLegendEntry], in box: Rect, opaque: Bool, context: Context) throws {
        try context.setFont(Style.small)
        if opaque {
            context.setColor(.white)
            context.newPath()
            context.rectangle(box.inset(by: -1.5))
            context.fill()
        }
        for (i, entry) in entries.enumerated() {
            let midY = box.minY + (Double(i) + 0.5) * Gap.legendRow
            let x0 = box.minX
            let x1 = box.minX + Gap.legendSample
            context.setDash([])
            switch entry.sample {
            case .line(let color, let width, let dash, let marker):
                context.setColor(color)
                context.setLineWidth(width)
                context.setDash(dash)
                context.setLineCap(.butt)
                context.newPath()
                context.polyline([Point(x0, midY), Point(x1, midY)])
                context.stroke()
                marker?.draw(at: Point((x0 + x1) / 2, midY), color: color, in: context)
            case .band(let color, let width, let dash):
                context.setColor(color.withAlpha(Style.bandAlpha))
                context.newPath()
                context.rectangle(Rect(x: x0, y: midY - 3.5, width: x1 - x0, height: 7))
                context.fill()
                context.setColor(color)
                context.setLineWidth(width)
                context.setDash(dash)
                context.newPath()
                context.polyline([Point(x0, midY), Point(x1, midY)])
                context.stroke()
            case .marker(let marker, let color):
                marker.draw(at: Point((x0 + x1) / 2, midY), color: color, in: context)
            case .bar(let color):
                context.setColor(color)
                context.newPath()
                context.rectangle(Rect(x: x0 + 3, y: midY - 3.5, width: 8, height: 7))
                context.fill()
            case .patch(let color):
                // Outlined, so the swatch reads even where the legend lies on the region itself.
                context.setColor(color)
                context.newPath()
                context.rectangle(Rect(x: x0, y: midY - 3.5, width: x1 - x0, height: 7))
                context.fill(preserve: true)
                context.setColor(Style.axisColor)
                context.setLineWidth(0.5)
                context.stroke()
            }
            try context.setFont(Style.small)
            context.setColor(Style.textColor)
            context.drawText(entry.label, at: Point(x1 + Gap.legendTextGap, midY), vertical: .middle)
        }
    }
}
