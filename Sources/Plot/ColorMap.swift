import Cairo

/// A continuous colour map: colours at anchor positions in 0…1, linearly interpolated in sRGB.
public struct ColorMap: Equatable, Sendable {
    /// A named anchor: `position` in 0…1 and its colour.
    struct Anchor: Equatable, Sendable {
        /// Where along the map, 0…1.
        var position: Double
        /// The colour at that position.
        var color: Color
        /// An anchor with `color` at `position`.
        init(_ position: Double, _ color: Color) {
            self.position = position
            self.color = color
        }
    }

    /// Anchors in increasing position, the first at 0 and the last at 1.
    let anchors: [Anchor]
    /// Whether the map is diverging (a neutral middle for zero): heatmaps then centre their
    /// default colour range on 0.
    let isDiverging: Bool
    /// Colour for NaN cells (transparent by default: the page shows through).
    var missing: Color = Color(red: 1, green: 1, blue: 1, alpha: 0)

    /// A map through `anchors` (sorted by position; positions are rescaled to 0…1).
    init(anchors: [Anchor], diverging: Bool = false) {
        precondition(anchors.count >= 2, "ColorMap needs at least two anchors")
        let sorted = anchors.sorted { $0.position < $1.position }
        let a = sorted.first!.position
        let b = sorted.last!.position
        self.anchors = sorted.map { Anchor(($0.position - a) / (b - a), $0.color) }
        isDiverging = diverging
    }

    /// A map through evenly spaced colours.
    init(colors: [Color], diverging: Bool = false) {
        let n = Double(colors.count - 1)
        self.init(anchors: colors.enumerated().map { Anchor(Double($0.offset) / n, $0.element) }, diverging: diverging)
    }

    /// The colour at `t` in 0…1 (clamped; NaN gives ``missing``).
    func color(at t: Double) -> Color {
        guard !t.isNaN else { return missing }
        let u = min(max(t, 0), 1)
        var hi = 1
        while hi < anchors.count - 1 && anchors[hi].position < u { hi += 1 }
        let a = anchors[hi - 1]
        let b = anchors[hi]
        let f = b.position > a.position ? (u - a.position) / (b.position - a.position) : 0
        return Color(
            red: a.color.red + (b.color.red - a.color.red) * f,
            green: a.color.green + (b.color.green - a.color.green) * f,
            blue: a.color.blue + (b.color.blue - a.color.blue) * f,
            alpha: a.color.alpha + (b.color.alpha - a.color.alpha) * f)
    }

    /// Matplotlib's viridis (perceptually uniform, colour-blind safe): 33 anchors sampled every
    /// 8th entry (and the last) of matplotlib's 256-entry table, #440154 → #FDE725.
    public static let viridis = ColorMap(
        anchors: [
            (0.000000, 0.267004, 0.004874, 0.329415),
            (0.031373, 0.277018, 0.050344, 0.375715),
            (0.062745, 0.282327, 0.094955, 0.417331),
            (0.094118, 0.282884, 0.135920, 0.453427),
            (0.125490, 0.278826, 0.175490, 0.483397),
            (0.156863, 0.270595, 0.214069, 0.507052),
            (0.188235, 0.258965, 0.251537, 0.524736),
            (0.219608, 0.244972, 0.287675, 0.537260),
            (0.250980, 0.229739, 0.322361, 0.545706),
            (0.282353, 0.214298, 0.355619, 0.551184),
            (0.313725, 0.199430, 0.387607, 0.554642),
            (0.345098, 0.185556, 0.418570, 0.556753),
            (0.376471, 0.172719, 0.448791, 0.557885),
            (0.407843, 0.160665, 0.478540, 0.558115),
            (0.439216, 0.149039, 0.508051, 0.557250),
            (0.470588, 0.137770, 0.537492, 0.554906),
            (0.501961, 0.127568, 0.566949, 0.550556),
            (0.533333, 0.120565, 0.596422, 0.543611),
            (0.564706, 0.120638, 0.625828, 0.533488),
            (0.596078, 0.132268, 0.655014, 0.519661),
            (0.627451, 0.157851, 0.683765, 0.501686),
            (0.658824, 0.196571, 0.711827, 0.479221),
            (0.690196, 0.246070, 0.738910, 0.452024),
            (0.721569, 0.304148, 0.764704, 0.419943),
            (0.752941, 0.369214, 0.788888, 0.382914),
            (0.784314, 0.440137, 0.811138, 0.340967),
            (0.815686, 0.515992, 0.831158, 0.294279),
            (0.847059, 0.595839, 0.848717, 0.243329),
            (0.878431, 0.678489, 0.863742, 0.189503),
            (0.909804, 0.762373, 0.876424, 0.137064),
            (0.941176, 0.845561, 0.887322, 0.099702),
            (0.972549, 0.926106, 0.897330, 0.104071),
            (1.000000, 0.993248, 0.906157, 0.143936),
        ].map { Anchor($0.0, Color(red: $0.1, green: $0.2, blue: $0.3)) })

    /// A blue–white–red diverging map for signed data such as δ, centred on 0: ColorBrewer's
    /// 11-class RdBu (rated colour-blind safe), negative = blue, positive = red.
    public static let blueWhiteRed = ColorMap(
        colors: [
            0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
            0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
        ].map { Color(hex: $0) }, diverging: true)
}
