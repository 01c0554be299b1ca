import Cairo

/// A short text placed inside the plot area: the name of a line at its end, or the label of a
/// reference line beside the line, in a box chosen to cover as little data as possible.
struct InsideLabel: Sendable, Equatable {
    var text: String
    var color: Color
    var font: Font
    /// The text's box in screen coordinates.
    var box: Rect
}

extension Axes {
    /// Places the inside labels: first the named line ends, then the reference-line labels.
    /// Each takes the first of its candidate boxes (in order of preference) that covers the
    /// fewest data points, none of the labels placed before it, and not the legend box.
    func placeInsideLabels(_ layout: AxesLayout, context: Context) throws -> [InsideLabel] {
        let ends = insideEnds()
        let references = items.compactMap { item -> ReferenceLine? in
            if case .reference(let r) = item, r.labelInside, r.label != nil { return r }
            return nil
        }
        guard !ends.isEmpty || !references.isEmpty else { return [] }
        let obstacles = try obstaclePoints(layout, context: context)
        let plot = layout.plot
        let map = layout.mapping
        var taken: [Rect] = []
        if let box = layout.legendBox, layout.legendPosition != .outsideRight, layout.legendPosition != .lineEnds {
            taken.append(box)
        }
        var placed: [InsideLabel] = []
        func size(_ text: String, _ font: Font) throws -> (w: Double, h: Double) {
            try context.setFont(font)
            let m = context.fontMetrics()
            return (context.measure(RichText(text)).width, m.ascent + m.descent)
        }
        for end in ends {
            guard let p = map.point(end.x, end.y), plot.inset(by: -1).encloses(p) else { continue }
            let (w, h) = try size(end.text, Style.small)
            let g = 3.0
            let candidates = [
                Rect(x: p.x + g + 1, y: p.y - h / 2, width: w, height: h),  // right of the end
                Rect(x: p.x - w / 2, y: p.y - g - h, width: w, height: h),  // above, centred
                Rect(x: p.x - w, y: p.y - g - h, width: w, height: h),  // above, ending at it
                Rect(x: p.x - w, y: p.y + g, width: w, height: h),  // below, ending at it
                Rect(x: p.x - w / 2, y: p.y + g, width: w, height: h),  // below, centred
                Rect(x: p.x - g - 1 - w, y: p.y - h / 2, width: w, height: h),  // left of the end
            ]
            let box = Self.bestBox(candidates, plot: plot, obstacles: obstacles, taken: taken)
            taken.append(box)
            placed.append(InsideLabel(text: end.text, color: Self.legibleText(end.color), font: Style.small, box: box))
        }
        for r in references {
            guard let text = r.label else { continue }
            let (w, h) = try size(text, Style.annotation)
            let candidates: [Rect]
            switch r.orientation {
            case .horizontal(let yv):
                let y = map.y(yv)
                guard y.isFinite, y >= plot.minY - 0.5, y <= plot.maxY + 0.5 else { continue }
                let xs = [plot.maxX - 2 - w, plot.minX + 4, plot.midX - w / 2]
                candidates = xs.flatMap { x in
                    [Rect(x: x, y: y - 1.5 - h, width: w, height: h), Rect(x: x, y: y + 1.5, width: w, height: h)]
                }
            case .vertical(let xv):
                let x = map.x(xv)
                guard x.isFinite, x >= plot.minX - 0.5, x <= plot.maxX + 0.5 else { continue }
                let ys = [plot.minY + 2, plot.maxY - 2 - h, plot.midY - h / 2]
                candidates = ys.flatMap { y in
                    [Rect(x: x + 2.5, y: y, width: w, height: h), Rect(x: x - 2.5 - w, y: y, width: w, height: h)]
                }
            }
            let box = Self.bestBox(candidates, plot: plot, obstacles: obstacles, taken: taken)
            taken.append(box)
            placed.append(InsideLabel(text: text, color: Style.mutedText, font: Style.annotation, box: box))
        }
        return placed
    }

    /// The first candidate (each moved inside `plot` where it sticks out) with the lowest cost:
    /// data points covered, plus reference-line points at a quarter of that, plus a large cost
    /// for touching a box already `taken`.
    static func bestBox(_ candidates: [Rect], plot: Rect, obstacles: (hard: [Point], soft: [Point]), taken: [Rect]) -> Rect {
        var best: (box: Rect, cost: Double)? = nil
        for c in candidates {
            let x = min(max(c.minX, plot.minX + 1), plot.maxX - c.width - 1)
            let y = min(max(c.minY, plot.minY + 1), plot.maxY - c.height - 1)
            let box = Rect(x: x, y: y, width: c.width, height: c.height)
            let grown = box.inset(by: -1)
            var cost = Double(obstacles.hard.filter { grown.encloses($0) }.count)
            cost += Double(obstacles.soft.filter { box.encloses($0) }.count) / 4
            cost += Double(taken.filter { $0.intersection(grown).map { $0.width > 0 && $0.height > 0 } ?? false }.count) * 1e6
            if best == nil || cost < best!.cost - 1e-9 { best = (box, cost) }
        }
        return best!.box
    }

    /// Draws the inside labels.
    func drawInsideLabels(_ layout: AxesLayout, context: Context) throws {
        for label in layout.insideLabels {
            try context.setFont(label.font)
            context.setColor(label.color)
            context.drawText(label.text, at: Point(label.box.minX, label.box.midY), vertical: .middle)
        }
    }
}
