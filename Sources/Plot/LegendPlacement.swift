import Cairo

extension Axes {
    /// The layout with the legend placed. Automatic placement tries, in order: an inner corner
    /// that covers no data; a top corner after raising the y limit just enough to free it (auto
    /// linear y axes only, at most 45% more range); outside right; the least-covered corner.
    /// Labels that go inside the plot (``InsideLabel``) are placed last, clear of data and the legend.
    func resolvedLayout(_ context: Context, frame: Rect) throws -> AxesLayout {
        try context.withSavedState {
            var l = try legendLayout(context, frame: frame)
            l.insideLabels = try placeInsideLabels(l, context: context)
            return l
        }
    }

    private func legendLayout(_ context: Context, frame: Rect) throws -> AxesLayout {
        try context.withSavedState {
            let entries = legendEntries()
            let legendSize = try Self.legendSize(entries, context: context)
            if legend == .lineEndsInside {
                var l = try layout(context, frame: frame, outsideLegend: nil, entries: [])
                l.legendPosition = .lineEndsInside
                return l
            }
            if entries.isEmpty || legend == .hidden {
                return try layout(context, frame: frame, outsideLegend: nil, entries: [])
            }
            if legend == .lineEnds {
                let ends = lineEnds()
                try context.setFont(Style.small)
                let width = ends.map { context.measure(RichText($0.text)).width }.max() ?? 0
                var l = try layout(context, frame: frame, outsideLegend: (width, 0), entries: [])
                l.legendPosition = .lineEnds
                l.lineLabels = placeLineLabels(ends, layout: l)
                let tops = l.lineLabels.map { $0.y - l.tickHeight / 2 }
                l.legendBox = Rect(
                    x: l.legendBox?.minX ?? l.plot.maxX, y: tops.min() ?? l.plot.minY, width: width,
                    height: (tops.max() ?? 0) - (tops.min() ?? 0) + l.tickHeight)
                return l
            }
            if legend == .outsideRight {
                var l = try layout(context, frame: frame, outsideLegend: legendSize, entries: entries)
                l.legendPosition = .outsideRight
                l.legendOpaque = true
                return l
            }
            var inside = try layout(context, frame: frame, outsideLegend: nil, entries: entries)
            if legend != .auto {
                let box = Self.cornerBox(legend, size: legendSize, plot: inside.plot)
                inside.legendPosition = legend
                inside.legendBox = box
                inside.legendOpaque = Self.overlap(box, try obstaclePoints(inside, context: context).hard).0 == 0
                return inside
            }
            let best = try bestCorner(inside, size: legendSize, context: context)
            if best.count == 0 {
                inside.legendPosition = best.position
                inside.legendBox = best.box
                inside.legendOpaque = true
                return inside
            }
            // Headroom: raise the top of an automatic y axis until a top corner is free.
            if yRange == nil, yTicks == nil, yScale == .linear, heatmaps.isEmpty {
                let points = try obstaclePoints(inside, context: context).hard
                let plot = inside.plot
                let lower = inside.yTicks.lower
                let upper = inside.yTicks.upper
                var target: Double? = nil
                for corner in [LegendPosition.topRight, .topLeft] {
                    let box = Self.cornerBox(corner, size: legendSize, plot: plot)
                    let column = points.filter { $0.x >= box.minX - 3 && $0.x <= box.maxX + 3 }
                    guard let topmost = column.map(\.y).min() else { continue }
                    let r = (box.maxY + 4 - plot.minY) / plot.height
                    guard r < 0.8 else { continue }
                    let v = upper - (topmost - plot.minY) / plot.height * (upper - lower)
                    let needed = (v - lower * r) / (1 - r)
                    if target == nil || needed < target! { target = needed }
                }
                if let target, target - lower <= 1.45 * (upper - lower) {
                    var raised = self
                    raised.extraY = target
                    var l = try raised.layout(context, frame: frame, outsideLegend: nil, entries: entries)
                    let b = try raised.bestCorner(l, size: legendSize, context: context)
                    if b.count == 0 {
                        l.legendPosition = b.position
                        l.legendBox = b.box
                        l.legendOpaque = true
                        return l
                    }
                }
            }
            // Outside right, if the plot keeps a useful width.
            var outside = try layout(context, frame: frame, outsideLegend: legendSize, entries: entries)
            if outside.plot.width >= 0.45 * inside.plot.width {
                outside.legendPosition = .outsideRight
                outside.legendOpaque = true
                return outside
            }
            inside.legendPosition = best.position
            inside.legendBox = best.box
            inside.legendOpaque = false
            return inside
        }
    }

    /// The inner corner covering the fewest data points; ties go to the corner covering the
    /// fewest reference-line points, then to the one farthest from data.
    func bestCorner(_ layout: AxesLayout, size: (width: Double, height: Double), context: Context) throws
        -> (position: LegendPosition, box: Rect, count: Int)
    {
        let points = try obstaclePoints(layout, context: context)
        var best: (position: LegendPosition, box: Rect, count: Int, score: Double)? = nil
        for c in [LegendPosition.topRight, .topLeft, .bottomRight, .bottomLeft] {
            let box = Self.cornerBox(c, size: size, plot: layout.plot)
            let (count, clearance) = Self.overlap(box, points.hard)
            let score = Double(Self.overlap(box, points.soft).0) - min(clearance, 6) / 2
            if best == nil || count < best!.count || (count == best!.count && score < best!.score - 1e-9) {
                best = (c, box, count, score)
            }
        }
        return (best!.position, best!.box, best!.count)
    }

    /// How many obstacle points fall in `box` (grown by 2 pt), and the distance from the box to the
    /// nearest point (capped at 12 pt) as a tie-breaker.
    static func overlap(_ box: Rect, _ points: [Point]) -> (Int, Double) {
        let grown = box.inset(by: -2)
        var count = 0
        var clearance = 12.0
        for p in points {
            if grown.encloses(p) {
                count += 1
            } else {
                let dx = max(box.minX - p.x, 0, p.x - box.maxX)
                let dy = max(box.minY - p.y, 0, p.y - box.maxY)
                clearance = min(clearance, (dx * dx + dy * dy).squareRoot())
            }
        }
        return (count, clearance)
    }

    static func cornerBox(_ position: LegendPosition, size: (width: Double, height: Double), plot: Rect) -> Rect {
        let left = plot.minX + 6
        let right = plot.maxX - size.width - 2
        let top = plot.minY + 2
        let bottom = plot.maxY - size.height - 5
        let (x, y): (Double, Double) =
            switch position {
            case .topLeft: (left, top)
            case .bottomLeft: (left, bottom)
            case .bottomRight: (right, bottom)
            default: (right, top)
            }
        return Rect(x: x, y: y, width: size.width, height: size.height)
    }
}
