import Cairo
import Plot

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

        /// A bare string names an element: `"ctx"` is `.element("ctx")`.
        public init(stringLiteral id: String) { self = .element(id) }
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
        /// A pathway that forms with learning (the review's dashed lines, e.g. corticothalamic
        /// synapses that learn a selection): long dashes, unlike the short dashes of modulation.
        var forming: Bool

        init(
            id: String? = nil, from: Endpoint, to: Endpoint, kind: SynapseKind = .excitatory, plastic: Bool = false,
            label: String? = nil, labelSide: LabelSide = .auto, labelPosition: Double = 0.5, bend: Double = 0,
            color: Color? = nil, font: Font = Style.label, forming: Bool = false
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
            self.forming = forming
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
}
