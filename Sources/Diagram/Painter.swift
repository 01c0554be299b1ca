import Cairo

/// Draws on a Cairo context, or only measures: every call adds what it would cover to
/// ``bounds``. The schematic runs the same drawing code in both modes, so the measured
/// box is the drawn box (used to keep labels and arrowheads inside the panel).
final class Painter {
    let context: Context
    let drawing: Bool
    private(set) var bounds: Rect?
    /// The box of every text drawn, in drawing order.
    private(set) var textBoxes: [Rect] = []

    init(context: Context, drawing: Bool) {
        self.context = context
        self.drawing = drawing
    }

    func include(_ r: Rect) {
        bounds = bounds.map { $0.union(r) } ?? r
    }

    private func include(_ pts: [Vec], pad: Double) {
        guard let first = pts.first else { return }
        var x0 = first.x
        var x1 = first.x
        var y0 = first.y
        var y1 = first.y
        for p in pts {
            x0 = min(x0, p.x)
            x1 = max(x1, p.x)
            y0 = min(y0, p.y)
            y1 = max(y1, p.y)
        }
        include(Rect(x: x0 - pad, y: y0 - pad, width: x1 - x0 + 2 * pad, height: y1 - y0 + 2 * pad))
    }

    /// Strokes an open (or closed) polyline.
    func stroke(
        _ pts: [Vec], color: Color, width: Double, dash: [Double] = [], cap: LineCap = .butt, closed: Bool = false
    ) {
        guard pts.count > 1 else { return }
        include(pts, pad: width / 2)
        guard drawing else { return }
        context.newPath()
        context.polyline(pts.map(\.point))
        if closed { context.closePath() }
        context.setColor(color)
        context.setLineWidth(width)
        context.setDash(dash)
        context.setLineCap(cap)
        context.setLineJoin(.round)
        context.stroke()
        context.setDash([])
    }

    /// Fills and/or strokes a closed polygon.
    func polygon(_ pts: [Vec], fill: Color?, stroke: Color? = nil, width: Double = 1, dash: [Double] = []) {
        guard pts.count > 2 else { return }
        include(pts, pad: stroke == nil ? 0 : width / 2)
        guard drawing else { return }
        context.newPath()
        context.polyline(pts.map(\.point))
        context.closePath()
        paint(fill: fill, stroke: stroke, width: width, dash: dash, join: .miter)
    }

    func ellipse(_ r: Rect, fill: Color?, stroke: Color? = nil, width: Double = 1) {
        include(r.outset(stroke == nil ? 0 : width / 2))
        guard drawing else { return }
        context.newPath()
        context.ellipse(in: r)
        paint(fill: fill, stroke: stroke, width: width, dash: [], join: .round)
    }

    func roundedRect(_ r: Rect, radius: Double, fill: Color?, stroke: Color? = nil, width: Double = 1, dash: [Double] = []) {
        include(r.outset(stroke == nil ? 0 : width / 2))
        guard drawing else { return }
        context.newPath()
        context.roundedRectangle(r, radius: radius)
        paint(fill: fill, stroke: stroke, width: width, dash: dash, join: .round)
    }

    private func paint(fill: Color?, stroke: Color?, width: Double, dash: [Double], join: LineJoin) {
        if let fill {
            context.setColor(fill)
            context.fill(preserve: stroke != nil)
        }
        if let stroke {
            context.setColor(stroke)
            context.setLineWidth(width)
            context.setDash(dash)
            context.setLineJoin(join)
            context.stroke()
            context.setDash([])
        }
        context.newPath()
    }

    // MARK: Text

    static let lineSpacing = 1.2

    /// The box of (possibly multi-line) rich text anchored at `p`.
    func textBox(_ text: String, at p: Point, align: HorizontalAlignment, vertical: VerticalAlignment, font: Font)
        throws -> Rect
    {
        try context.setFont(font)
        var box: Rect?
        for (line, anchor) in Painter.lines(text, at: p, vertical: vertical, font: font) {
            let b = context.textBox(line, at: anchor, align: align, vertical: vertical)
            box = box.map { $0.union(b) } ?? b
        }
        return box ?? Rect(x: p.x, y: p.y, width: 0, height: 0)
    }

    /// The lines of `text` with the anchor of each; a multi-line block shifts so that
    /// `vertical` refers to the whole block.
    static func lines(_ text: String, at p: Point, vertical: VerticalAlignment, font: Font) -> [(String, Point)] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let step = font.size * Painter.lineSpacing
        let total = step * Double(lines.count - 1)
        let firstY: Double =
            switch vertical {
            case .baseline, .top: p.y
            case .middle: p.y - total / 2
            case .bottom: p.y - total
            }
        return lines.enumerated().map { i, line in (line, Point(p.x, firstY + Double(i) * step)) }
    }

    /// Draws rich text; with `halo`, on a white rounded patch so it stays legible over lines.
    /// Returns the text's box.
    @discardableResult
    func text(
        _ text: String, at p: Point, align: HorizontalAlignment = .center, vertical: VerticalAlignment = .middle,
        font: Font, color: Color, halo: Bool = false
    ) throws -> Rect {
        let box = try textBox(text, at: p, align: align, vertical: vertical, font: font)
        let haloBox = box.outset(Painter.haloPad)
        include(halo ? haloBox : box)
        textBoxes.append(box)
        guard drawing else { return box }
        if halo {
            roundedRect(haloBox, radius: 2, fill: Color.white.withAlpha(0.92))
        }
        try context.setFont(font)
        context.setColor(color)
        for (line, anchor) in Painter.lines(text, at: p, vertical: vertical, font: font) {
            context.drawText(line, at: anchor, align: align, vertical: vertical)
        }
        return box
    }

    static let haloPad = 1.2
}
