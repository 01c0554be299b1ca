import Cairo
import Foundation
import Plot

/// A problem in a schematic's description, named in one line.
enum DiagramError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A connection, loop or credit arrow names an id no earlier-or-later element has.
    case unknownID(String)
    /// Two elements share an id.
    case duplicateID(String)
    /// `.synapse(id)` must name a connection (or loop) that comes earlier in the element list.
    case synapseNotDrawnYet(String)
    /// A size, count or range that cannot be drawn.
    case invalid(String)

    var description: String {
        switch self {
        case .unknownID(let id): "schematic: no element has the id '\(id)'"
        case .duplicateID(let id): "schematic: the id '\(id)' is used by two elements"
        case .synapseNotDrawnYet(let id):
            "schematic: .synapse(\"\(id)\") must refer to a connection listed before the one that uses it"
        case .invalid(let what): "schematic: \(what)"
        }
    }
}
extension Schematic {
    /// An element's boundary on the page, under its id, with the colour its projections take.
    struct NamedOutline: Equatable, Sendable {
        var id: String
        var outline: Outline
        var color: Color
    }
}
extension Schematic {
    /// A resolved connection, loop or credit arrow on the page (points).
    struct ConnectionGeometry: Equatable, Sendable {
        var id: String?
        /// The path from the source boundary to the target boundary (the arrow's tip).
        var points: [Point]
        /// Where the synapse marker (or the point just before the ending) sits.
        var synapse: Point
        var kind: SynapseKind
        var plastic: Bool
        var color: Color
        /// Drawn in long dashes: a pathway that forms with learning.
        var forming = false

        var start: Point { points.first ?? synapse }
        var end: Point { points.last ?? synapse }
    }
}

/// Everything the schematic resolved for one panel frame: the transform, element
/// outlines, connection paths, and the box the drawing covers (all in page points).
struct SchematicLayout: Sendable {
    var transform: SchematicTransform
    /// Outlines of elements with ids, in element order (timeline events as `timelineID.event`).
    var outlines: [Schematic.NamedOutline]
    /// Connections and loops, in element order.
    var connections: [Schematic.ConnectionGeometry]
    /// Timeline credit arrows, in element order.
    var credits: [Schematic.ConnectionGeometry]
    /// The box the drawing covers, including text, halos and arrowheads.
    var bounds: Rect
    /// The box of every piece of text, in drawing order (to check that labels do not collide).
    var textBoxes: [Rect]

    func outline(_ id: String) -> Schematic.Outline? { outlines.first { $0.id == id }?.outline }
    func connection(_ id: String) -> Schematic.ConnectionGeometry? { connections.first { $0.id == id } }

    /// Legibility check: the number of pairs of overlapping text boxes, and of (text,
    /// connection or credit arrow) pairs where a line runs through the text.
    var labelCollisions: (texts: Int, lines: Int) {
        var texts = 0
        var lines = 0
        for i in textBoxes.indices {
            for j in textBoxes.indices where j > i && textBoxes[i].intersects(textBoxes[j]) { texts += 1 }
            let box = textBoxes[i].inset(by: 0.5)
            for g in connections + credits {
                let crossing = zip(g.points, g.points.dropFirst()).contains { a, b in
                    (0...20).contains { k in
                        let u = Double(k) / 20
                        let p = Point(a.x + (b.x - a.x) * u, a.y + (b.y - a.y) * u)
                        return p.x > box.minX && p.x < box.maxX && p.y > box.minY && p.y < box.maxY
                    }
                }
                if crossing { lines += 1 }
            }
        }
        return (texts, lines)
    }
}

/// A declarative circuit diagram in its own coordinate space (`width` × `height` units,
/// y down), scaled uniformly and centred into the panel frame. Geometry is in units;
/// text, line widths and arrowheads stay in points. Elements draw in array order.
///
///     Schematic(width: 100, height: 60, elements: [
///         .population("ctx", .cortex, center: Point(20, 30), width: 22, height: 12, label: "State s"),
///         .population("str", .basalGanglia, center: Point(70, 30), width: 22, height: 12, label: "Value V"),
///         .connection("ctx", "str", id: "w", plastic: true, label: "w"),
///     ])
public struct Schematic: PanelContent, Sendable {
    var width: Double
    var height: Double
    var elements: [Element]
    /// Space kept free inside the panel frame, in points.
    var padding: Double

    /// A drawing of `width` × `height` schematic units made of `elements`, with `padding` points
    /// kept free inside the panel frame.
    public init(width: Double, height: Double, elements: [Element] = [], padding: Double = 2) {
        self.width = width
        self.height = height
        self.elements = elements
        self.padding = padding
    }

    mutating func add(_ element: Element) { elements.append(element) }

    // MARK: Drawing constants (points)

    static let lineWidth = 1.1
    static let borderWidth = 1.0
    static let arrowLength = 5.5
    static let arrowHalfWidth = 2.5
    static let barHalfLength = 3.6
    static let barThickness = 1.8
    static let plasticRadius = 3.1
    static let dash: [Double] = [3, 2]
    /// Long dashes: a pathway that forms with learning (``Schematic/LegendEntry/forming``).
    static let formingDash: [Double] = [6, 2.5]
    static let labelGap = 2.5

    // MARK: Layout

    /// The aspect-preserving fit of this schematic's space into `frame` (no text considered).
    func fit(into frame: Rect) -> SchematicTransform {
        SchematicTransform.fitting(width: width, height: height, into: frame)
    }

    /// Resolves the schematic for `frame`. The space is fitted into the frame (less
    /// ``padding``), aspect kept and centred. If labels, legends or arrowheads, which keep
    /// their size in points, would then stick out, the scale shrinks until the whole drawing
    /// fits, and the drawing (not the bare space) is centred in the frame. Only text wider
    /// than the frame itself can still overflow.
    func layout(in frame: Rect, context: Context) throws -> SchematicLayout {
        guard width > 0, height > 0, width.isFinite, height.isFinite else {
            throw DiagramError.invalid("size \(width) × \(height) must be positive")
        }
        let inner = frame.inset(by: padding)
        func measure(_ t: SchematicTransform) throws -> (Resolved, Painter) {
            let resolved = try resolve(t)
            let painter = Painter(context: context, drawing: false)
            try paint(resolved, painter)
            return (resolved, painter)
        }
        func result(_ r: Resolved, _ p: Painter) -> SchematicLayout {
            SchematicLayout(
                transform: r.transform, outlines: r.outlines, connections: r.connections, credits: r.credits,
                bounds: p.bounds ?? r.transform.rect(Rect(x: 0, y: 0, width: width, height: height)),
                textBoxes: p.textBoxes)
        }
        let plain = fit(into: inner)
        let (r0, p0) = try measure(plain)
        if inner.contains(p0.bounds ?? inner, tolerance: 1e-6) { return result(r0, p0) }

        // Shrink: with extents a·s + c (c in points), s ← s·inner/extent converges to the
        // largest fitting scale from above; a last 1% step settles it inside.
        var s = plain.scale
        var b = p0.bounds ?? inner
        for step in 0..<16 {
            let (_, p) = try measure(SchematicTransform(scale: s, origin: Point(0, 0)))
            b = p.bounds ?? inner
            if b.width <= inner.width + 1e-6 && b.height <= inner.height + 1e-6 { break }
            let factor = min(inner.width / b.width, inner.height / b.height) * (step >= 6 ? 0.99 : 1)
            guard factor > 0, s * factor > plain.scale * 1e-3 else { break }
            s *= factor
        }
        // Centre the drawing in the frame.
        let t = SchematicTransform(scale: s, origin: Point(inner.midX - b.midX, inner.midY - b.midY))
        let (r, p) = try measure(t)
        return result(r, p)
    }

    /// Draws the schematic scaled uniformly and centred into `frame` (points).
    public func draw(in context: Context, frame: Rect) throws {
        let layout = try layout(in: frame, context: context)
        let resolved = try resolve(layout.transform)
        try paint(resolved, Painter(context: context, drawing: true))
    }

    /// The legend entries an automatic legend lists, in their fixed order.
    var usedConventions: [LegendEntry] {
        var synapses: [SynapseKind] = []
        var plastic = false
        var neurons: [NeuronKind] = []
        var credit = false
        var forming = false
        var silent = false
        for element in elements {
            switch element.content {
            case .connection(let c):
                synapses.append(c.kind)
                plastic = plastic || c.plastic
                forming = forming || c.forming
            case .loop(let l):
                synapses.append(l.kind)
                plastic = plastic || l.plastic
            case .neuron(let n):
                neurons.append(n.kind)
                silent = silent || n.faded
            case .population(let p):
                if p.kind == .mixed { neurons += [.excitatory, .inhibitory] } else { neurons.append(p.kind) }
                silent = silent || p.faded
            case .timeline(let t): credit = credit || !t.credits.isEmpty
            default: break
            }
        }
        var entries: [LegendEntry] = []
        for kind in SynapseKind.allCases where synapses.contains(kind) { entries.append(.synapse(kind)) }
        if plastic { entries.append(.plastic) }
        if forming { entries.append(.forming) }
        for kind in [NeuronKind.excitatory, .inhibitory] where neurons.contains(kind) { entries.append(.neuron(kind)) }
        if silent { entries.append(.silent) }
        if credit { entries.append(.credit) }
        return entries
    }

    // MARK: Resolution

    struct Resolved {
        var transform: SchematicTransform
        var outlines: [NamedOutline]
        var connections: [ConnectionGeometry]
        var credits: [ConnectionGeometry]
        /// Per element: its connection/loop geometry index, if any.
        var geometryIndex: [Int?]
        var creditRange: [Range<Int>]
    }

    func resolve(_ t: SchematicTransform) throws -> Resolved {
        var outlines: [NamedOutline] = []
        func register(_ id: String?, _ outline: Outline, _ color: Color) throws {
            guard let id else { return }
            if outlines.contains(where: { $0.id == id }) { throw DiagramError.duplicateID(id) }
            outlines.append(NamedOutline(id: id, outline: outline, color: color))
        }
        for element in elements {
            switch element.content {
            case .region(let r):
                try register(r.id, .roundedRect(t.rect(r.frame), radius: r.cornerRadius), r.area.color(faded: r.faded))
            case .population(let p):
                guard p.width > 0, p.height > 0 else { throw DiagramError.invalid("population size must be positive") }
                try register(p.id, .ellipse(t.rect(Self.rect(center: p.center, p.width, p.height))), p.area.color(faded: p.faded))
            case .neuron(let n):
                try register(
                    n.id, Self.neuronOutline(n.kind, center: Vec(t.point(n.center)), size: t.length(n.size)), n.area.color(faded: n.faded))
            case .icon(let i):
                try register(i.id, Self.iconOutline(i.shape, center: Vec(t.point(i.center)), size: t.length(i.size)), i.color)
            case .timeline(let tl):
                let geometry = try TimelineGeometry(tl, t)
                if let tid = tl.id {
                    try register(tid, .roundedRect(geometry.axisBox, radius: 0), Style.axisColor)
                    for (event, outline) in zip(tl.events, geometry.markers) {
                        try register("\(tid).\(event.name)", outline, event.color)
                    }
                }
            case .connection, .loop, .label, .legend: break
            }
        }
        // Ids of connections and loops clash neither with each other nor with elements.
        var connectionIDs: [String] = []
        for element in elements {
            switch element.content {
            case .connection, .loop:
                guard let id = element.id else { continue }
                if connectionIDs.contains(id) || outlines.contains(where: { $0.id == id }) {
                    throw DiagramError.duplicateID(id)
                }
                connectionIDs.append(id)
            default: continue
            }
        }

        var connections: [ConnectionGeometry] = []
        var credits: [ConnectionGeometry] = []
        var index: [Int?] = []
        var creditRange: [Range<Int>] = []
        for element in elements {
            var here: Int?
            let creditStart = credits.count
            switch element.content {
            case .connection(let c):
                connections.append(try resolveConnection(c, t, outlines, connections))
                here = connections.count - 1
            case .loop(let l):
                guard let named = outlines.first(where: { $0.id == l.on }) else { throw DiagramError.unknownID(l.on) }
                connections.append(Self.resolveLoop(l, named))
                here = connections.count - 1
            case .timeline(let tl):
                let geometry = try TimelineGeometry(tl, t)
                for credit in tl.credits { credits.append(try geometry.credit(credit, events: tl.events)) }
            default: break
            }
            index.append(here)
            creditRange.append(creditStart..<credits.count)
        }
        return Resolved(
            transform: t, outlines: outlines, connections: connections, credits: credits, geometryIndex: index,
            creditRange: creditRange)
    }

    static func rect(center: Point, _ w: Double, _ h: Double) -> Rect {
        Rect(x: center.x - w / 2, y: center.y - h / 2, width: w, height: h)
    }

    /// Length of the ending drawn at the target, in points.
    static func endingLength(_ kind: SynapseKind) -> Double {
        kind == .inhibitory ? barThickness : arrowLength
    }

    /// Where the synapse marker sits: just before the ending.
    static func synapseDistance(_ kind: SynapseKind, plastic: Bool) -> Double {
        endingLength(kind) + (plastic ? plasticRadius + 1.8 : 1.5)
    }

    private struct ResolvedEnd {
        var outline: Outline?
        var fixed: Vec?
        var color: Color
        var reference: Vec { fixed ?? Vec(outline!.center) }
    }

    private func resolveEnd(
        _ end: Endpoint, _ t: SchematicTransform, _ outlines: [NamedOutline], _ earlier: [ConnectionGeometry]
    ) throws -> ResolvedEnd {
        switch end {
        case .element(let id):
            guard let n = outlines.first(where: { $0.id == id }) else { throw DiagramError.unknownID(id) }
            return ResolvedEnd(outline: n.outline, fixed: nil, color: n.color)
        case .side(let id, let side, let offset):
            guard let n = outlines.first(where: { $0.id == id }) else { throw DiagramError.unknownID(id) }
            let b = n.outline.boundingBox
            let aim: Point =
                switch side {
                case .top: Point(b.midX + offset * b.width, b.minY)
                case .bottom: Point(b.midX + offset * b.width, b.maxY)
                case .left: Point(b.minX, b.midY + offset * b.height)
                case .right: Point(b.maxX, b.midY + offset * b.height)
                }
            return ResolvedEnd(outline: nil, fixed: Vec(n.outline.boundaryPoint(toward: aim)), color: n.color)
        case .synapse(let id):
            guard let g = earlier.first(where: { $0.id == id }) else {
                let known = elements.contains {
                    switch $0.content {
                    case .connection, .loop: $0.id == id
                    default: false
                    }
                }
                throw known ? DiagramError.synapseNotDrawnYet(id) : DiagramError.unknownID(id)
            }
            let r = g.plastic ? Self.plasticRadius + 1.2 : 1.5
            let c = g.synapse
            return ResolvedEnd(
                outline: .ellipse(Rect(x: c.x - r, y: c.y - r, width: 2 * r, height: 2 * r)), fixed: nil,
                color: g.color)
        case .point(let p):
            return ResolvedEnd(outline: nil, fixed: Vec(t.point(p)), color: Style.axisColor)
        }
    }

    private func resolveConnection(
        _ c: Connection, _ t: SchematicTransform, _ outlines: [NamedOutline], _ earlier: [ConnectionGeometry]
    ) throws -> ConnectionGeometry {
        let a = try resolveEnd(c.from, t, outlines, earlier)
        let b = try resolveEnd(c.to, t, outlines, earlier)
        let ra = a.reference
        let rb = b.reference
        let control: Vec? =
            c.bend == 0 ? nil : (ra + rb) * 0.5 + (rb - ra).leftNormal * c.bend
        let start = a.fixed ?? Vec(a.outline!.boundaryPoint(toward: (control ?? rb).point))
        let end = b.fixed ?? Vec(b.outline!.boundaryPoint(toward: (control ?? ra).point))
        let pts = control.map { quadratic(start, $0, end) } ?? [start, end]
        let line = Polyline(pts)
        let s = max(line.length / 2, line.length - Self.synapseDistance(c.kind, plastic: c.plastic))
        return ConnectionGeometry(
            id: c.id, points: pts.map(\.point), synapse: line.point(at: s).point, kind: c.kind, plastic: c.plastic,
            color: c.color ?? a.color, forming: c.forming)
    }

    static func loopSize(_ l: SelfLoop, _ outline: Outline) -> Double {
        l.size ?? min(24, max(12, outline.exitDistance(along: l.side.direction) * 0.9))
    }

    private static func resolveLoop(_ l: SelfLoop, _ named: NamedOutline) -> ConnectionGeometry {
        let o = named.outline
        let c = Vec(o.center)
        let u = l.side.direction
        func rotated(_ v: Vec, _ a: Double) -> Vec {
            Vec(v.x * cos(a) - v.y * sin(a), v.x * sin(a) + v.y * cos(a))
        }
        let ds = rotated(u, -l.spread)
        let de = rotated(u, l.spread)
        let s = c + ds * o.exitDistance(along: ds)
        let e = c + de * o.exitDistance(along: de)
        let size = loopSize(l, o)
        let m = (s + e) * 0.5
        let c1 = s + u * (1.33 * size) + (s - m).unit * (0.55 * size)
        let c2 = e + u * (1.33 * size) + (e - m).unit * (0.55 * size)
        let pts = cubic(s, c1, c2, e)
        let line = Polyline(pts)
        let sd = max(line.length / 2, line.length - synapseDistance(l.kind, plastic: l.plastic))
        return ConnectionGeometry(
            id: l.id, points: pts.map(\.point), synapse: line.point(at: sd).point, kind: l.kind, plastic: l.plastic,
            color: l.color ?? named.color)
    }

    // MARK: Outlines of glyphs

    static func neuronOutline(_ kind: NeuronKind, center c: Vec, size s: Double) -> Outline {
        switch kind {
        case .inhibitory:
            return .ellipse(Rect(x: c.x - s / 2, y: c.y - s / 2, width: s, height: s))
        case .excitatory, .mixed:
            return .polygon(triangle(centroid: c, height: s).map(\.point), center: c.point)
        }
    }

    /// An upward equilateral triangle of height `h` with its centroid at `c`.
    static func triangle(centroid c: Vec, height h: Double) -> [Vec] {
        let half = h / 3.0.squareRoot()
        return [Vec(c.x, c.y - 2 * h / 3), Vec(c.x + half, c.y + h / 3), Vec(c.x - half, c.y + h / 3)]
    }

    static func iconOutline(_ shape: IconShape, center c: Vec, size s: Double) -> Outline {
        let r = s / 2
        switch shape {
        case .circle, .cross:
            return .ellipse(Rect(x: c.x - r, y: c.y - r, width: s, height: s))
        case .square:
            let side = s * 0.86
            return .roundedRect(Rect(x: c.x - side / 2, y: c.y - side / 2, width: side, height: side), radius: 0)
        case .triangle:
            // Height s, vertically centred on c; rays start from the centroid.
            let h = s
            let pts = [Vec(c.x, c.y - h / 2), Vec(c.x + h / 3.0.squareRoot(), c.y + h / 2), Vec(c.x - h / 3.0.squareRoot(), c.y + h / 2)]
            return .polygon(pts.map(\.point), center: Point(c.x, c.y + h / 6))
        case .diamond:
            let pts = [Vec(c.x, c.y - r), Vec(c.x + r * 0.8, c.y), Vec(c.x, c.y + r), Vec(c.x - r * 0.8, c.y)]
            return .polygon(pts.map(\.point), center: c.point)
        case .star:
            let pts = (0..<10).map { i -> Vec in
                let a = -Double.pi / 2 + Double(i) * Double.pi / 5
                let rr = i % 2 == 0 ? r : r * 0.45
                return Vec(c.x + rr * cos(a), c.y + rr * sin(a) + r * 0.08)
            }
            return .polygon(pts.map(\.point), center: Point(c.x, c.y + r * 0.08))
        case .drop:
            // A tip at the top and a round bottom, within a box of height s.
            let rho = 0.36 * s
            let k = Vec(c.x, c.y + 0.14 * s)
            let alpha = acos(rho / (0.64 * s))
            var pts = [Vec(c.x, c.y - s / 2)]
            let n = 28
            for i in 0...n {
                let beta = alpha + (2 * Double.pi - 2 * alpha) * Double(i) / Double(n)
                pts.append(Vec(k.x + rho * sin(beta), k.y - rho * cos(beta)))
            }
            return .polygon(pts.map(\.point), center: k.point)
        }
    }
}
