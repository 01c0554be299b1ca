import Cairo
import Foundation
import Plot

extension Schematic {
    /// Draws (or measures) every element in array order.
    func paint(_ r: Resolved, _ p: Painter) throws {
        let t = r.transform
        for (k, element) in elements.enumerated() {
            switch element.content {
            case .region(let e): try paintRegion(e, t, p)
            case .population(let e): try paintPopulation(e, t, p)
            case .neuron(let e): try paintNeuron(e, t, p)
            case .icon(let e): try paintIcon(e, t, p)
            case .connection(let c):
                let g = r.connections[r.geometryIndex[k]!]
                try Self.paintConnection(g, p)
                if let label = c.label {
                    try Self.paintConnectionLabel(
                        label, g, side: c.labelSide, bend: c.bend, position: c.labelPosition, font: c.font,
                        color: c.color.map { darker($0, 0.25) } ?? darker(g.color, 0.25), p)
                }
            case .loop(let l):
                let g = r.connections[r.geometryIndex[k]!]
                try Self.paintConnection(g, p)
                if let label = l.label {
                    // At the loop's apex, outside it.
                    let line = Polyline(g.points.map(Vec.init))
                    let apex = line.point(at: line.length / 2)
                    try Self.paintOffsetLabel(
                        label, at: apex, normal: l.side.direction, font: l.font, color: darker(g.color, 0.25), halo: false, p)
                }
            case .timeline(let tl): try paintTimeline(tl, Array(r.credits[r.creditRange[k]]), t, p)
            case .label(let l):
                try p.text(l.text, at: t.point(l.at), align: l.align, vertical: l.vertical, font: l.font, color: l.color, halo: l.halo)
            case .legend(let l): try paintLegend(l, t, p)
            }
        }
    }

    // MARK: Areas and neurons

    private func paintRegion(_ e: Region, _ t: SchematicTransform, _ p: Painter) throws {
        let rect = t.rect(e.frame)
        p.roundedRect(
            rect, radius: e.cornerRadius, fill: e.faded ? e.area.fadedTint : e.area.tint, stroke: e.area.color(faded: e.faded),
            width: Self.borderWidth, dash: e.dashed ? [4, 2] : [])
        if let label = e.label, !label.isEmpty {
            try Self.placeLabel(
                label, around: rect, placement: e.placement, font: Font(size: Style.label.size, bold: true),
                color: e.faded ? Style.mutedText : e.area.textColor, p)
        }
    }

    private func paintPopulation(_ e: Population, _ t: SchematicTransform, _ p: Painter) throws {
        let rect = t.rect(Self.rect(center: e.center, e.width, e.height))
        let color = e.area.color(faded: e.faded)
        p.ellipse(rect, fill: e.faded ? e.area.fadedTint : e.area.tint, stroke: color, width: 0.9)
        let n = max(0, e.count)
        if n > 0 {
            let spacing = rect.width * 0.68 / Double(n)
            let g = min(rect.height * 0.46, spacing * 0.72)
            for i in 0..<n {
                let c = Vec(rect.midX + (Double(i) - Double(n - 1) / 2) * spacing, rect.midY)
                let excitatory = e.kind == .excitatory || (e.kind == .mixed && i % 2 == 0)
                if excitatory {
                    p.polygon(Self.triangle(centroid: c, height: g), fill: color)
                } else {
                    let d = g * 0.8
                    p.ellipse(Rect(x: c.x - d / 2, y: c.y - d / 2, width: d, height: d), fill: color)
                }
            }
        }
        if let label = e.label, !label.isEmpty {
            try Self.placeLabel(
                label, around: rect, placement: e.placement, font: Style.label, color: e.faded ? Style.mutedText : Style.textColor, p)
        }
    }

    private func paintNeuron(_ e: Neuron, _ t: SchematicTransform, _ p: Painter) throws {
        let outline = Self.neuronOutline(e.kind, center: Vec(t.point(e.center)), size: t.length(e.size))
        try Self.paintNeuronGlyph(outline, kind: e.kind, color: e.area.color(faded: e.faded), p)
        if let label = e.label, !label.isEmpty {
            try Self.placeLabel(
                label, around: outline.boundingBox, placement: e.placement, font: Style.label,
                color: e.faded ? Style.mutedText : Style.textColor, p)
        }
    }

    /// Excitatory: a filled triangle; inhibitory: a filled circle (as in populations and the legend).
    static func paintNeuronGlyph(_ outline: Outline, kind: NeuronKind, color: Color, _ p: Painter) throws {
        let edge = darker(color, 0.15)
        switch outline {
        case .polygon(let pts, _): p.polygon(pts.map(Vec.init), fill: color, stroke: edge, width: 0.6)
        case .ellipse(let r): p.ellipse(r, fill: color, stroke: edge, width: 0.6)
        case .roundedRect(let r, let radius): p.roundedRect(r, radius: radius, fill: color, stroke: edge, width: 0.6)
        }
    }

    private func paintIcon(_ e: Icon, _ t: SchematicTransform, _ p: Painter) throws {
        let c = Vec(t.point(e.center))
        let s = t.length(e.size)
        let outline = try Self.paintIconShape(e.shape, center: c, size: s, color: e.color, filled: e.filled, p)
        if let label = e.label, !label.isEmpty {
            try Self.placeLabel(
                label, around: outline.boundingBox, placement: e.placement, font: Style.small, color: Style.textColor, p)
        }
    }

    @discardableResult
    static func paintIconShape(_ shape: IconShape, center c: Vec, size s: Double, color: Color, filled: Bool, _ p: Painter)
        throws -> Outline
    {
        let outline = iconOutline(shape, center: c, size: s)
        let fill: Color = filled ? color : .white
        let stroke: Color = filled ? darker(color, 0.15) : color
        let width = filled ? 0.8 : 1.2
        switch (shape, outline) {
        case (.cross, _):
            let r = s * 0.38
            let w = max(1.4, s * 0.14)
            p.stroke([c + Vec(-r, -r), c + Vec(r, r)], color: color, width: w, cap: .round)
            p.stroke([c + Vec(-r, r), c + Vec(r, -r)], color: color, width: w, cap: .round)
        case (_, .ellipse(let r)): p.ellipse(r, fill: fill, stroke: stroke, width: width)
        case (_, .roundedRect(let r, let radius)): p.roundedRect(r, radius: radius, fill: fill, stroke: stroke, width: width)
        case (_, .polygon(let pts, _)): p.polygon(pts.map(Vec.init), fill: fill, stroke: stroke, width: width)
        }
        return outline
    }

    /// Sets a label next to (or inside) a box.
    static func placeLabel(
        _ text: String, around box: Rect, placement: LabelPlacement, font: Font, color: Color, _ p: Painter
    ) throws {
        let g = labelGap
        switch placement {
        case .above: try p.text(text, at: Point(box.midX, box.minY - g), vertical: .bottom, font: font, color: color)
        case .below: try p.text(text, at: Point(box.midX, box.maxY + g), vertical: .top, font: font, color: color)
        case .left:
            try p.text(text, at: Point(box.minX - g - 0.5, box.midY), align: .right, vertical: .middle, font: font, color: color)
        case .right:
            try p.text(text, at: Point(box.maxX + g + 0.5, box.midY), align: .left, vertical: .middle, font: font, color: color)
        case .center: try p.text(text, at: box.center, vertical: .middle, font: font, color: color)
        case .insideTop: try p.text(text, at: Point(box.midX, box.minY + 2.5), vertical: .top, font: font, color: color)
        case .insideBottom:
            try p.text(text, at: Point(box.midX, box.maxY - 2.5), vertical: .bottom, font: font, color: color)
        }
    }

    // MARK: Connections

    /// The line, its ending and the plastic marker.
    static func paintConnection(_ g: ConnectionGeometry, _ p: Painter) throws {
        let path = Polyline(g.points.map(Vec.init))
        try paintLine(path, kind: g.kind, plastic: g.plastic, color: g.color, synapse: Vec(g.synapse), forming: g.forming, p)
    }

    static func paintLine(
        _ path: Polyline, kind: SynapseKind, plastic: Bool, color: Color, synapse: Vec?, dashed: Bool? = nil,
        forming: Bool = false, _ p: Painter
    ) throws {
        let length = path.length
        guard length > 0, let tip = path.points.last else { return }
        let trim = kind == .inhibitory ? barThickness * 0.5 : arrowLength * 0.75
        let dash = forming ? Self.formingDash : (dashed ?? (kind == .modulatory)) ? Self.dash : []
        p.stroke(path.sub(from: 0, to: length - trim), color: color, width: lineWidth, dash: dash)
        let dir = (tip - path.point(at: length - arrowLength)).unit
        let n = dir.leftNormal
        switch kind {
        case .excitatory, .modulatory:
            let base = tip - dir * arrowLength
            p.polygon([tip, base + n * arrowHalfWidth, base - n * arrowHalfWidth], fill: color)
        case .inhibitory:
            let c = tip - dir * (barThickness / 2)
            let a = dir * (barThickness / 2)
            let b = n * barHalfLength
            p.polygon([c + a + b, c + a - b, c - a - b, c - a + b], fill: color)
        }
        if plastic, let s = synapse {
            let r = plasticRadius
            p.polygon([s + Vec(0, -r), s + Vec(r, 0), s + Vec(0, r), s + Vec(-r, 0)], fill: .white, stroke: color, width: 1)
        }
    }

    static func paintConnectionLabel(
        _ text: String, _ g: ConnectionGeometry, side: LabelSide, bend: Double, position: Double, font: Font,
        color: Color, _ p: Painter
    ) throws {
        let path = Polyline(g.points.map(Vec.init))
        let at = path.point(at: path.length * max(0, min(1, position)))
        let tangent = path.tangent(at: path.length * position, span: max(1, path.length * 0.05))
        var n = tangent.leftNormal
        switch side {
        case .left: break
        case .right: n = -n
        case .auto:
            if bend > 0 {
                break
            } else if bend < 0 {
                n = -n
            } else if abs(tangent.y) > abs(tangent.x) {
                if n.x < 0 { n = -n }  // steep line: label on its right
            } else if n.y > 0 {
                n = -n  // flat line: label above it
            }
        }
        try paintOffsetLabel(text, at: at, normal: n, font: font, color: color, halo: true, p)
    }

    /// Sets text beside the point `at`, pushed along `normal` so its box clears the point by the label gap.
    static func paintOffsetLabel(
        _ text: String, at: Vec, normal: Vec, font: Font, color: Color, halo: Bool, _ p: Painter
    ) throws {
        let box = try p.textBox(text, at: Point(0, 0), align: .center, vertical: .middle, font: font)
        let n = normal.unit
        let reach = abs(n.x) * box.width / 2 + abs(n.y) * box.height / 2
        let c = at + n * (labelGap + (halo ? Painter.haloPad : 0) + reach)
        // Centre the box itself (not the baseline) on c.
        let anchor = Point(c.x, c.y - box.midY)
        try p.text(text, at: anchor, align: .center, vertical: .middle, font: font, color: color, halo: halo)
    }

    // MARK: Timeline

    private func paintTimeline(_ tl: Timeline, _ credits: [ConnectionGeometry], _ t: SchematicTransform, _ p: Painter)
        throws
    {
        let g = try TimelineGeometry(tl, t)
        let font = Style.small
        // Spans lie behind the axis.
        for (e, m) in zip(tl.events, g.markers) {
            if case .span = e.marker {
                p.roundedRect(m.boundingBox, radius: 0, fill: Color(hex: 0xE6E6E6), stroke: nil)
                if let label = e.label {
                    try p.text(
                        label, at: m.boundingBox.center, vertical: .middle, font: Font(size: font.size, italic: true),
                        color: Style.mutedText)
                }
            }
        }
        // The arrow of time.
        let axis = Polyline([Vec(g.x0, g.y), Vec(g.x1, g.y)])
        try Self.paintLine(axis, kind: .excitatory, plastic: false, color: Style.axisColor, synapse: nil, p)
        if let label = tl.axisLabel {
            try p.text(
                label, at: Point(g.x1 + 3, g.y), align: .left, vertical: .middle, font: Font(size: font.size, italic: true),
                color: Style.mutedText)
        }
        // Markers, then captions below the axis in as few rows as keep them apart.
        var below: [(String, Double)] = []
        for (e, m) in zip(tl.events, g.markers) {
            let box = m.boundingBox
            switch e.marker {
            case .tick:
                p.stroke([Vec(box.midX, box.minY), Vec(box.midX, box.maxY)], color: e.color, width: 1.2)
                if let label = e.label { below.append((label, box.midX)) }
            case .box:
                p.roundedRect(box, radius: 2, fill: e.color.lightened(0.8), stroke: e.color, width: Self.borderWidthThin)
                if let label = e.label {
                    try p.text(label, at: box.center, vertical: .middle, font: font, color: darker(e.color, 0.3))
                }
            case .icon(let shape):
                p.stroke([Vec(box.midX, g.y - 2.5), Vec(box.midX, g.y + 2.5)], color: Style.axisColor, width: 0.8)
                try Self.paintIconShape(shape, center: Vec(m.center.x, box.midY), size: Timeline.iconSize, color: e.color, filled: true, p)
                if let label = e.label { below.append((label, box.midX)) }
            case .span: break
            }
            if let caption = e.caption { below.append((caption, box.midX)) }
        }
        var rows: [[Rect]] = []
        let top = g.y + 4 + 2
        let rowHeight = font.size * 1.3
        for (text, x) in below {
            var row = 0
            while true {
                let box = try p.textBox(text, at: Point(x, top + Double(row) * rowHeight), align: .center, vertical: .top, font: font)
                if row >= rows.count { rows.append([]) }
                if !rows[row].contains(where: { $0.outset(3).intersects(box) }) {
                    rows[row].append(box)
                    try p.text(
                        text, at: Point(x, top + Double(row) * rowHeight), align: .center, vertical: .top, font: font,
                        color: Style.textColor)
                    break
                }
                row += 1
            }
        }
        // Credit arrows over everything, labels at their apex.
        for (c, geometry) in zip(tl.credits, credits) {
            let path = Polyline(geometry.points.map(Vec.init))
            try Self.paintLine(path, kind: .excitatory, plastic: false, color: c.color, synapse: nil, dashed: c.dashed, p)
            if let label = c.label {
                let apex = path.points.min { $0.y < $1.y } ?? path.point(at: path.length / 2)
                try Self.paintOffsetLabel(
                    label, at: apex, normal: Vec(0, -1), font: Font(size: font.size, italic: true), color: darker(c.color, 0.3), halo: true,
                    p)
            }
        }
    }

    static let borderWidthThin = 0.9

    // MARK: Legend

    private func paintLegend(_ l: Legend, _ t: SchematicTransform, _ p: Painter) throws {
        let entries = l.entries ?? usedConventions
        guard !entries.isEmpty else { return }
        let origin = t.point(l.at)
        let rowHeight = 11.0
        let gap = 4.0
        let columnGap = 10.0
        let color = Style.axisColor
        func sampleWidth(_ e: LegendEntry) -> Double {
            switch e {
            case .neuron, .silent: return 9
            case .forming: return 26
            default: return 18
            }
        }
        // Column widths from the widest entry in each column.
        // Column-major: read down the first column, then the next.
        let rows = (entries.count + l.columns - 1) / l.columns
        let columns = (entries.count + rows - 1) / rows
        var widths = Array(repeating: 0.0, count: columns)
        for (i, entry) in entries.enumerated() {
            let text = try p.textBox(Legend.text(for: entry), at: Point(0, 0), align: .left, vertical: .middle, font: Style.small)
            widths[i / rows] = max(widths[i / rows], sampleWidth(entry) + gap + text.width)
        }
        for (i, entry) in entries.enumerated() {
            let column = i / rows
            let x = origin.x + widths[..<column].reduce(0, +) + Double(column) * columnGap
            let y = origin.y + rowHeight / 2 + Double(i % rows) * rowHeight
            let sample = sampleWidth(entry)
            let a = Vec(x, y)
            let b = Vec(x + sample, y)
            switch entry {
            case .synapse(let kind):
                try Self.paintLine(Polyline([a, b]), kind: kind, plastic: false, color: color, synapse: nil, p)
            case .plastic:
                let s = b - Vec(Self.synapseDistance(.excitatory, plastic: true), 0)
                try Self.paintLine(Polyline([a, b]), kind: .excitatory, plastic: true, color: color, synapse: s, p)
            case .neuron(let kind):
                let c = Vec(x + sample / 2, y)
                if kind == .inhibitory {
                    p.ellipse(Rect(x: c.x - 3, y: c.y - 3, width: 6, height: 6), fill: color)
                } else {
                    p.polygon(Self.triangle(centroid: c + Vec(0, 0.5), height: 7), fill: color)
                }
            case .area(let area, _):
                p.roundedRect(
                    Rect(x: x + 3, y: y - 4, width: sample - 6, height: 8), radius: 2, fill: area.tint,
                    stroke: area.color, width: Self.borderWidth)
            case .forming:
                let s = b - Vec(Self.synapseDistance(.excitatory, plastic: true), 0)
                try Self.paintLine(
                    Polyline([a, b]), kind: .excitatory, plastic: true, color: color, synapse: s, forming: true, p)
            case .silent:
                p.polygon(
                    Self.triangle(centroid: Vec(x + sample / 2, y) + Vec(0, 0.5), height: 7), fill: color.lightened(0.58))
            case .credit:
                let pts = quadratic(a + Vec(0, 3), a + Vec(sample / 2, -6), b + Vec(0, 3))
                try Self.paintLine(
                    Polyline(pts), kind: .excitatory, plastic: false, color: BrainArea.reward.color, synapse: nil, dashed: true, p)
            }
            try p.text(
                Legend.text(for: entry), at: Point(x + sample + gap, y), align: .left, vertical: .middle,
                font: Style.small, color: Style.textColor)
        }
    }
}
