import Cairo
import Plot

/// A brain area, with the one colour it has in every schematic (an Okabe–Ito colour from
/// ``Palette``; the chapters' semantic palette names the same colours).
public enum BrainArea: Equatable, Sendable {
    case cortex
    case thalamus
    case basalGanglia
    /// Midbrain dopamine neurons (VTA / SNc).
    case dopamine
    /// Sensory input.
    case sensory
    /// Output / motor.
    case output
    /// The reward (or its source).
    case reward
    /// Anything else, with its own colour and default name.
    case generic(Color, name: String)

    /// The area's colour (border, glyphs, projections).
    public var color: Color {
        switch self {
        case .cortex: Palette.blue
        case .thalamus: Palette.bluishGreen
        case .basalGanglia: Palette.vermillion
        case .dopamine: Palette.reddishPurple
        case .sensory: Palette.skyBlue
        case .output: Palette.black
        case .reward: Palette.orange
        case .generic(let c, _): c
        }
    }

    /// The light tint that fills the area's boxes and populations.
    var tint: Color { color.lightened(0.86) }
    /// A darker shade for text in the area's colour (keeps contrast on white and on the tint).
    var textColor: Color { darker(color, 0.3) }

    /// The label a region gets when none is given.
    var defaultName: String {
        switch self {
        case .cortex: "Cortex"
        case .thalamus: "Thalamus"
        case .basalGanglia: "Basal ganglia"
        case .dopamine: "VTA/SNc"
        case .sensory: "Sensory input"
        case .output: "Output"
        case .reward: "Reward"
        case .generic(_, let name): name
        }
    }
}

/// `c` mixed toward black by `amount` (0 = unchanged, 1 = black).
func darker(_ c: Color, _ amount: Double) -> Color {
    Color(red: c.red * (1 - amount), green: c.green * (1 - amount), blue: c.blue * (1 - amount), alpha: c.alpha)
}

/// Neuron types. Convention (explained by ``Legend``): excitatory = triangle (pyramidal),
/// inhibitory = filled circle.
public enum NeuronKind: Sendable, Equatable {
    case excitatory, inhibitory
    /// Populations only: alternating triangles and filled circles.
    case mixed
}

/// What a connection does at its target. Convention (explained by ``Legend``):
/// excitatory = solid line with arrowhead, inhibitory = solid line with flat bar (⊣),
/// modulatory = dashed line with arrowhead (e.g. dopamine).
public enum SynapseKind: Sendable, Equatable, CaseIterable {
    case excitatory, inhibitory, modulatory
}

/// Where an element's label goes.
public enum LabelPlacement: Sendable, Equatable {
    case above, below, left, right, center, insideTop, insideBottom
}

/// Which side of a connection its label sits on, facing from source to target.
public enum LabelSide: Sendable, Equatable {
    /// Outside the bend of a curved connection; right of a steep line, above a flat one.
    case auto
    case left, right
}

/// Simple symbols: cue shapes, a reward drop, a cross for "not this one".
public enum IconShape: Sendable, Equatable {
    case circle, square, triangle, diamond, star, drop, cross
}

extension Schematic {
    /// One side of an element.
    public enum Side: Sendable, Equatable {
        case top, bottom, left, right

        var direction: Vec {
            switch self {
            case .top: Vec(0, -1)
            case .bottom: Vec(0, 1)
            case .left: Vec(-1, 0)
            case .right: Vec(1, 0)
            }
        }
    }

    /// One end of a connection.
    public enum Endpoint: Sendable, Equatable, ExpressibleByStringLiteral {
        /// The element's boundary, where the line toward the other end crosses it.
        case element(String)
        /// A point on the given side of the element; `offset` in −0.5…0.5 moves it along that side.
        case side(String, Side, offset: Double = 0)
        /// The synapse of an earlier connection (its plastic marker, or just before its ending),
        /// e.g. dopamine acting on the corticostriatal synapse.
        case synapse(String)
        /// A free point in schematic units (e.g. where an input arrow starts).
        case point(Point)

        public init(stringLiteral id: String) { self = .element(id) }
    }

    // MARK: Elements

    /// A labelled brain area box: a rounded rectangle tinted in the area's colour.
    struct Region: Sendable {
        var id: String?
        var area: BrainArea
        /// In schematic units.
        var frame: Rect
        var label: String?
        var placement: LabelPlacement
        /// In points.
        var cornerRadius: Double
        var dashed: Bool

        init(
            id: String?, area: BrainArea, frame: Rect, label: String? = nil, placement: LabelPlacement = .insideTop,
            cornerRadius: Double = 5, dashed: Bool = false
        ) {
            self.id = id
            self.area = area
            self.frame = frame
            self.label = label ?? area.defaultName
            self.placement = placement
            self.cornerRadius = cornerRadius
            self.dashed = dashed
        }
    }

    /// A group of neurons: an ellipse in the area's tint holding a row of neuron glyphs.
    struct Population: Sendable {
        var id: String?
        var area: BrainArea
        /// Centre and size of the ellipse, in schematic units.
        var center: Point
        var width: Double
        var height: Double
        var kind: NeuronKind
        var count: Int
        var label: String?
        var placement: LabelPlacement

        init(
            id: String?, area: BrainArea, center: Point, width: Double, height: Double, kind: NeuronKind = .excitatory,
            count: Int = 3, label: String? = nil, placement: LabelPlacement = .below
        ) {
            self.id = id
            self.area = area
            self.center = center
            self.width = width
            self.height = height
            self.kind = kind
            self.count = count
            self.label = label
            self.placement = placement
        }
    }

    /// A single unit: a triangle (excitatory, pyramidal) or a filled circle (inhibitory).
    struct Neuron: Sendable {
        var id: String?
        var area: BrainArea
        /// The centroid, in schematic units.
        var center: Point
        /// Height of the triangle / diameter of the circle, in schematic units.
        var size: Double
        var kind: NeuronKind
        var label: String?
        var placement: LabelPlacement

        init(
            id: String?, area: BrainArea, center: Point, size: Double, kind: NeuronKind = .excitatory,
            label: String? = nil, placement: LabelPlacement = .below
        ) {
            self.id = id
            self.area = area
            self.center = center
            self.size = size
            self.kind = kind
            self.label = label
            self.placement = placement
        }
    }

    /// A projection from one element (or point) to another, attached at their boundaries.
    struct Connection: Sendable {
        var id: String?
        var from: Endpoint
        var to: Endpoint
        var kind: SynapseKind
        /// Marks the synapse as plastic (an open diamond just before the ending).
        var plastic: Bool
        /// Rich-text label (`W`, `r_{MD}`, `δ`), set beside the line on a white halo.
        var label: String?
        var labelSide: LabelSide
        /// Where along the line (0 = source, 1 = target) the label sits.
        var labelPosition: Double
        /// 0 = straight; otherwise the bulge as a fraction of the centre distance
        /// (positive bends to the left facing the target).
        var bend: Double
        /// Defaults to the source's area colour (grey for free points).
        var color: Color?
        var font: Font

        init(
            id: String? = nil, from: Endpoint, to: Endpoint, kind: SynapseKind = .excitatory, plastic: Bool = false,
            label: String? = nil, labelSide: LabelSide = .auto, labelPosition: Double = 0.5, bend: Double = 0,
            color: Color? = nil, font: Font = Style.label
        ) {
            self.id = id
            self.from = from
            self.to = to
            self.kind = kind
            self.plastic = plastic
            self.label = label
            self.labelSide = labelSide
            self.labelPosition = labelPosition
            self.bend = bend
            self.color = color
            self.font = font
        }
    }

    /// A recurrent connection: a loop leaving and re-entering one side of an element.
    struct SelfLoop: Sendable {
        var id: String?
        var on: String
        var side: Side
        var kind: SynapseKind
        var plastic: Bool
        var label: String?
        /// How far the loop reaches out, in points (default: from the element's size, 12–24 pt).
        var size: Double?
        /// Half the angle between the loop's two feet, seen from the element's centre (radians).
        var spread: Double
        var color: Color?
        var font: Font

        init(
            id: String? = nil, on: String, side: Side = .top, kind: SynapseKind = .excitatory, plastic: Bool = false,
            label: String? = nil, size: Double? = nil, spread: Double = 0.45, color: Color? = nil, font: Font = Style.label
        ) {
            self.id = id
            self.on = on
            self.side = side
            self.kind = kind
            self.plastic = plastic
            self.label = label
            self.size = size
            self.spread = spread
            self.color = color
            self.font = font
        }
    }

    /// One event on a ``Timeline``.
    public struct TimelineEvent: Sendable {
        public enum Marker: Sendable, Equatable {
            /// A short vertical tick across the axis; label below.
            case tick
            /// A box standing on the axis, `width` in time units; label inside.
            case box(width: Double)
            /// A symbol standing on the axis; label below.
            case icon(IconShape)
            /// A grey band standing on the axis from `time` to `until`; label inside.
            case span(until: Double)
        }
        /// Name for credit arrows (and `timelineID.name` for connections).
        var name: String
        var time: Double
        var marker: Marker
        var label: String?
        /// Extra text below the axis (for boxes and spans, whose label sits inside).
        var caption: String?
        var color: Color

        public init(
            _ name: String, at time: Double, marker: Marker = .tick, label: String? = nil, caption: String? = nil,
            color: Color = Style.axisColor
        ) {
            self.name = name
            self.time = time
            self.marker = marker
            self.label = label
            self.caption = caption
            self.color = color
        }
    }

    /// A curved arrow over a timeline from one event back (or forward) to another.
    public struct TimelineCredit: Sendable {
        var from: String
        var to: String
        var label: String?
        var dashed: Bool
        var color: Color
        /// Height of the arc as a fraction of the horizontal distance (at least 14 pt).
        var height: Double

        public init(
            from: String, to: String, label: String? = "credit", dashed: Bool = true, color: Color = BrainArea.reward.color,
            height: Double = 0.3
        ) {
            self.from = from
            self.to = to
            self.label = label
            self.dashed = dashed
            self.color = color
            self.height = height
        }
    }

    /// A horizontal time axis (arrow of time) with events and credit arrows. Horizontal
    /// positions are in schematic units; marker heights and text are in points.
    struct Timeline: Sendable {
        var id: String?
        /// Left end of the axis, in schematic units.
        var origin: Point
        /// Length of the axis, in schematic units.
        var length: Double
        /// Time values at the two ends of the axis (events at fractions: use 0...1).
        var range: ClosedRange<Double>
        var events: [TimelineEvent]
        var credits: [TimelineCredit]
        var axisLabel: String?

        init(
            id: String? = nil, origin: Point, length: Double, range: ClosedRange<Double> = 0...1,
            events: [TimelineEvent], credits: [TimelineCredit] = [], axisLabel: String? = "time"
        ) {
            self.id = id
            self.origin = origin
            self.length = length
            self.range = range
            self.events = events
            self.credits = credits
            self.axisLabel = axisLabel
        }

        /// Height of boxes and spans, and of icons, in points.
        static let markerHeight = 14.0
        static let iconSize = 10.0
    }

    /// Free text with `_{sub}` / `^{sup}` markup; `\n` breaks lines.
    struct TextLabel: Sendable {
        var text: String
        var at: Point
        var align: HorizontalAlignment
        var vertical: VerticalAlignment
        var font: Font
        var color: Color
        var halo: Bool

        init(
            _ text: String, at: Point, align: HorizontalAlignment = .center, vertical: VerticalAlignment = .middle,
            font: Font = Style.small, color: Color = Style.textColor, halo: Bool = false
        ) {
            self.text = text
            self.at = at
            self.align = align
            self.vertical = vertical
            self.font = font
            self.color = color
            self.halo = halo
        }
    }

    /// A simple symbol (cue shape, reward drop, cross).
    struct Icon: Sendable {
        var id: String?
        var shape: IconShape
        var center: Point
        /// Diameter in schematic units.
        var size: Double
        var color: Color
        var filled: Bool
        var label: String?
        var placement: LabelPlacement

        init(
            id: String? = nil, shape: IconShape, center: Point, size: Double, color: Color, filled: Bool = true,
            label: String? = nil, placement: LabelPlacement = .below
        ) {
            self.id = id
            self.shape = shape
            self.center = center
            self.size = size
            self.color = color
            self.filled = filled
            self.label = label
            self.placement = placement
        }
    }

    /// One line of a legend.
    public enum LegendEntry: Sendable, Equatable {
        case synapse(SynapseKind)
        case plastic
        case neuron(NeuronKind)
        case area(BrainArea, String)
        case credit
    }

    /// A frameless key to the conventions. With `entries == nil` it lists, in a fixed order,
    /// the synapse kinds, plastic marker, neuron kinds and credit arrows the schematic uses.
    /// Entries fill up to `columns` columns, reading down each column (1 = a vertical list).
    struct Legend: Sendable {
        /// Top-left corner, in schematic units.
        var at: Point
        var entries: [LegendEntry]?
        var columns: Int

        init(at: Point, entries: [LegendEntry]? = nil, columns: Int = 1) {
            self.at = at
            self.entries = entries
            self.columns = max(1, columns)
        }

        static func text(for entry: LegendEntry) -> String {
            switch entry {
            case .synapse(.excitatory): "excitatory"
            case .synapse(.inhibitory): "inhibitory"
            case .synapse(.modulatory): "modulatory"
            case .plastic: "plastic synapse"
            case .neuron(.excitatory): "excitatory neuron"
            case .neuron(.inhibitory): "inhibitory neuron"
            case .neuron(.mixed): "mixed population"
            case .area(_, let name): name
            case .credit: "credit assignment"
            }
        }
    }

    /// One thing drawn in a schematic. Elements draw in array order.
    public struct Element: Sendable {
        enum Content: Sendable {
            case region(Region)
            case population(Population)
            case neuron(Neuron)
            case connection(Connection)
            case loop(SelfLoop)
            case timeline(Timeline)
            case label(TextLabel)
            case icon(Icon)
            case legend(Legend)
        }
        var content: Content
        init(_ content: Content) { self.content = content }

        /// The id other elements use to refer to this one.
        var id: String? {
            switch content {
            case .region(let e): e.id
            case .population(let e): e.id
            case .neuron(let e): e.id
            case .connection(let e): e.id
            case .loop(let e): e.id
            case .timeline(let e): e.id
            case .icon(let e): e.id
            case .label, .legend: nil
            }
        }

        public static func region(
            _ id: String?, _ area: BrainArea, _ frame: Rect, label: String? = nil, placement: LabelPlacement = .insideTop,
            cornerRadius: Double = 5, dashed: Bool = false
        ) -> Element {
            Element(
                .region(
                    Region(
                        id: id, area: area, frame: frame, label: label, placement: placement, cornerRadius: cornerRadius,
                        dashed: dashed)))
        }

        public static func population(
            _ id: String?, _ area: BrainArea, center: Point, width: Double, height: Double,
            kind: NeuronKind = .excitatory, count: Int = 3, label: String? = nil, placement: LabelPlacement = .below
        ) -> Element {
            Element(
                .population(
                    Population(
                        id: id, area: area, center: center, width: width, height: height, kind: kind, count: count,
                        label: label, placement: placement)))
        }

        public static func neuron(
            _ id: String?, _ area: BrainArea, at center: Point, size: Double = 5, kind: NeuronKind = .excitatory,
            label: String? = nil, placement: LabelPlacement = .below
        ) -> Element {
            Element(
                .neuron(
                    Neuron(id: id, area: area, center: center, size: size, kind: kind, label: label, placement: placement)))
        }

        public static func connection(
            _ from: Endpoint, _ to: Endpoint, _ kind: SynapseKind = .excitatory, id: String? = nil,
            plastic: Bool = false, label: String? = nil, labelSide: LabelSide = .auto, labelPosition: Double = 0.5,
            bend: Double = 0, color: Color? = nil, font: Font = Style.label
        ) -> Element {
            Element(
                .connection(
                    Connection(
                        id: id, from: from, to: to, kind: kind, plastic: plastic, label: label, labelSide: labelSide,
                        labelPosition: labelPosition, bend: bend, color: color, font: font)))
        }

        public static func loop(
            on target: String, side: Side = .top, _ kind: SynapseKind = .excitatory, id: String? = nil,
            plastic: Bool = false, label: String? = nil, size: Double? = nil, spread: Double = 0.45,
            color: Color? = nil, font: Font = Style.label
        ) -> Element {
            Element(
                .loop(
                    SelfLoop(
                        id: id, on: target, side: side, kind: kind, plastic: plastic, label: label, size: size,
                        spread: spread, color: color, font: font)))
        }

        static func timeline(_ timeline: Timeline) -> Element { Element(.timeline(timeline)) }

        public static func timeline(
            _ id: String? = nil, origin: Point, length: Double, range: ClosedRange<Double> = 0...1,
            events: [TimelineEvent], credits: [TimelineCredit] = [], axisLabel: String? = "time"
        ) -> Element {
            Element(
                .timeline(
                    Timeline(
                        id: id, origin: origin, length: length, range: range, events: events, credits: credits,
                        axisLabel: axisLabel)))
        }

        public static func label(
            _ text: String, at: Point, align: HorizontalAlignment = .center, vertical: VerticalAlignment = .middle,
            font: Font = Style.small, color: Color = Style.textColor, halo: Bool = false
        ) -> Element {
            Element(
                .label(TextLabel(text, at: at, align: align, vertical: vertical, font: font, color: color, halo: halo)))
        }

        public static func icon(
            _ shape: IconShape, at center: Point, size: Double, color: Color, filled: Bool = true, id: String? = nil,
            label: String? = nil, placement: LabelPlacement = .below
        ) -> Element {
            Element(
                .icon(
                    Icon(
                        id: id, shape: shape, center: center, size: size, color: color, filled: filled, label: label,
                        placement: placement)))
        }

        public static func legend(at: Point, entries: [LegendEntry]? = nil, columns: Int = 1) -> Element {
            Element(.legend(Legend(at: at, entries: entries, columns: columns)))
        }
    }
}
