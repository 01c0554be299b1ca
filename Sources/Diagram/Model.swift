import Cairo
import Plot

/// A brain area, with the one colour it has in every schematic (an Okabe–Ito colour from
/// `Palette`; the chapters' semantic palette names the same colours).
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

    /// The pale colour of a silent (faded) element of this area.
    var fadedColor: Color { color.lightened(0.58) }
    /// The fill of a silent element: paler than ``tint``.
    var fadedTint: Color { color.lightened(0.94) }
    /// The border, glyph and projection colour, pale when `faded`.
    func color(faded: Bool) -> Color { faded ? fadedColor : color }
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

/// Neuron types. Convention (explained by `Legend`): excitatory = triangle (pyramidal),
/// inhibitory = filled circle.
public enum NeuronKind: Sendable, Equatable {
    case excitatory, inhibitory
    /// Populations only: alternating triangles and filled circles.
    case mixed
}

/// What a connection does at its target. Convention (explained by `Legend`):
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

        /// A brain area box: a rounded rectangle tinted in `area`'s colour, `frame` in schematic units,
        /// `cornerRadius` in points; `faded` draws a silent area in pale colours.
        public static func region(
            _ id: String?, _ area: BrainArea, _ frame: Rect, label: String? = nil, placement: LabelPlacement = .insideTop,
            cornerRadius: Double = 5, dashed: Bool = false, faded: Bool = false
        ) -> Element {
            Element(
                .region(
                    Region(
                        id: id, area: area, frame: frame, label: label, placement: placement, cornerRadius: cornerRadius,
                        dashed: dashed, faded: faded)))
        }

        /// A group of `count` neuron glyphs of `kind` in an ellipse tinted in `area`'s colour, centred at
        /// `center` with the given `width` and `height` (schematic units).
        public static func population(
            _ id: String?, _ area: BrainArea, center: Point, width: Double, height: Double,
            kind: NeuronKind = .excitatory, count: Int = 3, label: String? = nil, placement: LabelPlacement = .below,
            faded: Bool = false
        ) -> Element {
            Element(
                .population(
                    Population(
                        id: id, area: area, center: center, width: width, height: height, kind: kind, count: count,
                        label: label, placement: placement, faded: faded)))
        }

        /// One unit: a triangle (excitatory) or a filled circle (inhibitory) of height `size` (schematic
        /// units) centred at `center`.
        public static func neuron(
            _ id: String?, _ area: BrainArea, at center: Point, size: Double = 5, kind: NeuronKind = .excitatory,
            label: String? = nil, placement: LabelPlacement = .below, faded: Bool = false
        ) -> Element {
            Element(
                .neuron(
                    Neuron(
                        id: id, area: area, center: center, size: size, kind: kind, label: label, placement: placement,
                        faded: faded)))
        }

        /// A projection from `from` to `to` that ends as `kind` says (arrowhead, bar or dashed);
        /// `plastic` adds the open-diamond marker, `bend` curves it (a fraction of the distance,
        /// positive to the left), `forming` draws a pathway that forms with learning.
        public static func connection(
            _ from: Endpoint, _ to: Endpoint, _ kind: SynapseKind = .excitatory, id: String? = nil,
            plastic: Bool = false, label: String? = nil, labelSide: LabelSide = .auto, labelPosition: Double = 0.5,
            bend: Double = 0, color: Color? = nil, font: Font = Style.label, forming: Bool = false
        ) -> Element {
            Element(
                .connection(
                    Connection(
                        id: id, from: from, to: to, kind: kind, plastic: plastic, label: label, labelSide: labelSide,
                        labelPosition: labelPosition, bend: bend, color: color, font: font, forming: forming)))
        }

        /// A recurrent connection leaving and re-entering `side` of the element `target`;
        /// `size` is its reach in points, `spread` half the angle between its feet in radians.
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

        /// A horizontal time axis from `origin`, `length` schematic units long and spanning `range`,
        /// with `events` on it and `credits` arching between them.
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

        /// Free text at `at` (schematic units), with `_{sub}` / `^{sup}` markup and `\n` line breaks;
        /// `halo` sets it on a white outline.
        public static func label(
            _ text: String, at: Point, align: HorizontalAlignment = .center, vertical: VerticalAlignment = .middle,
            font: Font = Style.small, color: Color = Style.textColor, halo: Bool = false
        ) -> Element {
            Element(
                .label(TextLabel(text, at: at, align: align, vertical: vertical, font: font, color: color, halo: halo)))
        }

        /// A simple symbol of diameter `size` (schematic units) centred at `center`.
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

        /// A frameless key to the conventions, top-left at `at`: `entries`, or (when nil) every synapse
        /// kind, plastic marker, neuron kind and credit arrow the schematic uses, in `columns` columns.
        public static func legend(at: Point, entries: [LegendEntry]? = nil, columns: Int = 1) -> Element {
            Element(.legend(Legend(at: at, entries: entries, columns: columns)))
        }
    }
}
