import Cairo
import Plot

extension Schematic {
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
        /// Drawn in pale colours: an area that is silent, not selected (see ``BrainArea/faded``).
        var faded: Bool

        init(
            id: String?, area: BrainArea, frame: Rect, label: String? = nil, placement: LabelPlacement = .insideTop,
            cornerRadius: Double = 5, dashed: Bool = false, faded: Bool = false
        ) {
            self.id = id
            self.area = area
            self.frame = frame
            self.label = label ?? area.defaultName
            self.placement = placement
            self.cornerRadius = cornerRadius
            self.dashed = dashed
            self.faded = faded
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
        /// Drawn in pale colours: a silent population (its projections fade too).
        var faded: Bool

        init(
            id: String?, area: BrainArea, center: Point, width: Double, height: Double, kind: NeuronKind = .excitatory,
            count: Int = 3, label: String? = nil, placement: LabelPlacement = .below, faded: Bool = false
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
            self.faded = faded
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
        /// Drawn in pale colours: a silent neuron (its projections fade too).
        var faded: Bool

        init(
            id: String?, area: BrainArea, center: Point, size: Double, kind: NeuronKind = .excitatory,
            label: String? = nil, placement: LabelPlacement = .below, faded: Bool = false
        ) {
            self.id = id
            self.area = area
            self.center = center
            self.size = size
            self.kind = kind
            self.label = label
            self.placement = placement
            self.faded = faded
        }
    }

    /// One event on a `Timeline`.
    public struct TimelineEvent: Sendable {
        /// How an event is drawn on the axis.
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

        /// An event called `name` (for credit arrows) at `time` (in the timeline's range), drawn as
        /// `marker` with an optional `label` and `caption`.
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

        /// An arrow from the event named `from` to the event named `to`, dashed by default, in the
        /// reward colour; `height` sets the arc as a fraction of the distance between the events.
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
        /// A pathway that forms with learning (long dashes, plastic marker).
        case forming
        /// A silent (faded) neuron.
        case silent
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
            case .forming: "forms with learning"
            case .silent: "silent neuron"
            }
        }
    }
}
