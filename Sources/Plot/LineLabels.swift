import Cairo

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A series named at its right end (``LegendPosition/lineEnds``): the text in the series'
/// colour right of the plot area, at `y`, nudged from `anchor` (the end's height) when
/// labels would touch.
struct LineEndLabel: Sendable, Equatable {
    var text: String
    var color: Color
    /// Screen point of the series' last drawable point (clamped to the plot area).
    var anchor: Point
    /// Screen x of the label's left edge.
    var x: Double
    /// Screen y of the label's middle after nudging.
    var y: Double
}

extension Axes {
    /// The labelled lines, bands and scatter series with their last finite point, in the order added.
    func lineEnds() -> [(text: String, color: Color, x: Double, y: Double)] {
        seriesEnds { label, _ in label }
    }

    /// The series named inside the plot at their ends: every labelled series with
    /// ``LegendPosition/lineEndsInside``, and lines given an `endLabel`.
    func insideEnds() -> [(text: String, color: Color, x: Double, y: Double)] {
        seriesEnds { label, endLabel in endLabel ?? (legend == .lineEndsInside ? label : nil) }
    }

    /// Series with a name chosen by `name(label, endLabel)` and their last drawable point.
    func seriesEnds(_ name: (String?, String?) -> String?) -> [(text: String, color: Color, x: Double, y: Double)] {
        items.compactMap { item in
            let (label, color, x, y): (String?, Color, [Double], [Double]) =
                switch item {
                case .line(let s): (name(s.label, s.endLabel), s.color, s.x, s.y)
                case .band(let s): (name(s.label, nil), s.color, s.x, s.mean)
                case .scatter(let s): (name(s.label, nil), s.color, s.x, s.y)
                default: (nil, .white, [], [])
                }
            guard let label else { return nil }
            let ok = x.indices.filter {
                x[$0].isFinite && y[$0].isFinite && (xScale == .linear || x[$0] > 0) && (yScale == .linear || y[$0] > 0)
            }
            guard let last = ok.max(by: { x[$0] < x[$1] }) else { return nil }
            return (label, color, x[last], y[last])
        }
    }

    /// Places the line-end labels right of the plot (in the column ``layout`` reserved), each at
    /// the height of its line's end, spread apart by one text row where they would touch.
    func placeLineLabels(_ ends: [(text: String, color: Color, x: Double, y: Double)], layout: AxesLayout) -> [LineEndLabel] {
        let plot = layout.plot
        let map = layout.mapping
        let anchors = ends.map { e -> Point in
            let sx = map.x(e.x), sy = map.y(e.y)
            return Point(
                min(max(sx.isFinite ? sx : plot.maxX, plot.minX), plot.maxX), min(max(sy.isFinite ? sy : plot.maxY, plot.minY), plot.maxY))
        }
        let ys = Self.spreadApart(
            anchors.map(\.y), minGap: layout.tickHeight + 1, lower: plot.minY + layout.tickHeight / 2,
            upper: plot.maxY)
        let x = layout.legendBox?.minX ?? (plot.maxX + Gap.side)
        return ends.indices.map { LineEndLabel(text: ends[$0].text, color: ends[$0].color, anchor: anchors[$0], x: x, y: ys[$0]) }
    }

    /// Positions as close as possible to `wanted` (same order), at least `minGap` apart, kept
    /// within `lower…upper` where there is room: touching labels form a group centred on the mean
    /// of the positions its members want, and groups that then touch merge.
    static func spreadApart(_ wanted: [Double], minGap: Double, lower: Double, upper: Double) -> [Double] {
        guard !wanted.isEmpty else { return [] }
        let order = wanted.indices.sorted { wanted[$0] < wanted[$1] || (wanted[$0] == wanted[$1] && $0 < $1) }
        let target = order.map { min(max(wanted[$0], lower), upper) }
        // Groups of consecutive sorted labels: (first index, count, start position).
        var groups: [(first: Int, count: Int, start: Double)] = []
        for (k, t) in target.enumerated() {
            groups.append((k, 1, t))
            while groups.count > 1 {
                let b = groups.removeLast()
                let a = groups.removeLast()
                if a.start + Double(a.count) * minGap <= b.start + 1e-9 {
                    groups += [a, b]
                    break
                }
                let n = a.count + b.count
                let mean = target[a.first..<(a.first + n)].reduce(0, +) / Double(n)
                var start = mean - Double(n - 1) * minGap / 2
                start = max(lower, min(start, upper - Double(n - 1) * minGap))
                groups.append((a.first, n, start))
            }
        }
        var placed = [Double](repeating: 0, count: wanted.count)
        for g in groups {
            for j in 0..<g.count { placed[order[g.first + j]] = g.start + Double(j) * minGap }
        }
        return placed
    }

    /// Draws the line-end labels, with a thin leader from each line's end to a label that was moved.
    func drawLineLabels(_ layout: AxesLayout, context: Context) throws {
        guard !layout.lineLabels.isEmpty else { return }
        try context.setFont(Style.small)
        for label in layout.lineLabels {
            if abs(label.y - label.anchor.y) > 1 || label.x - label.anchor.x > Gap.side + 1 {
                context.setColor(label.color)
                context.setLineWidth(0.5)
                context.setDash([])
                context.newPath()
                context.polyline([Point(label.anchor.x + 2, label.anchor.y), Point(label.x - 1.5, label.y)])
                context.stroke()
            }
            context.setColor(Self.legibleText(label.color))
            context.drawText(label.text, at: Point(label.x, label.y), vertical: .middle)
        }
    }

    /// A series colour made dark enough to read as small text on white: colours lighter than
    /// a relative luminance of 0.3 are mixed toward black until they reach it (hue kept).
    static func legibleText(_ c: Color) -> Color {
        func luminance(_ c: Color) -> Double {
            func lin(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
            return 0.2126 * lin(c.red) + 0.7152 * lin(c.green) + 0.0722 * lin(c.blue)
        }
        var out = c
        var k = 1.0
        while luminance(out) > 0.3 && k > 0.3 {
            k -= 0.05
            out = Color(red: c.red * k, green: c.green * k, blue: c.blue * k, alpha: c.alpha)
        }
        return out
    }

    /// The one capitalisation rule for panel titles: sentence case. A title whose first word is
    /// a plain lower-case word gets a capital first letter ("one estimate" → "One estimate");
    /// symbols, variables and markup ("ΔW_{1}", "x_{1}", "γ = 0.9") stay as written.
    static func titleCase(_ title: String) -> String {
        let firstWord = title.prefix { $0 != " " && $0 != ":" && $0 != "," }
        guard firstWord.count > 1, firstWord.allSatisfy({ $0.isASCII && $0.isLowercase }), let first = title.first
        else { return title }
        return first.uppercased() + title.dropFirst()
    }
}
