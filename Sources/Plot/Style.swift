import Cairo

/// The house style shared by every figure: one font, sizes in points, one palette.
public enum Style {
    /// Tick labels, legend entries, schematic labels.
    public static let small = Font(size: 7.5)
    /// Axis labels.
    public static let label = Font(size: 8.5)
    /// Panel titles.
    static let title = Font(size: 9, bold: true)
    /// Bold panel letters A, B, C at the top left of each panel.
    static let panelLetter = Font(size: 12, bold: true)
    /// Figure captions.
    static let caption = Font(size: 7.5)

    /// Axis lines, ticks and schematic outlines: a dark grey (#333333).
    public static let axisColor = Color(hex: 0x333333)
    /// Labels and captions: near-black (#111111).
    public static let textColor = Color(hex: 0x111111)
    /// Secondary text and faded elements: a mid grey (#666666).
    public static let mutedText = Color(hex: 0x666666)
    static let axisLineWidth = 0.7
    /// Default width of data lines and mean curves, in points.
    public static let dataLineWidth = 1.4
    /// Opacity of mean ± SEM bands.
    static let bandAlpha = 0.25
}

/// Okabe & Ito's colour-blind-safe palette. Plot gives colours no meaning: a layer that
/// does (schematics, chapters) names its own colours from these, so the same thing has the
/// same colour in every schematic and every curve.
public enum Palette {
    /// Okabe-Ito black (#000000).
    public static let black = Color(hex: 0x000000)
    /// Okabe-Ito orange (#E69F00).
    public static let orange = Color(hex: 0xE69F00)
    /// Okabe-Ito sky blue (#56B4E9).
    public static let skyBlue = Color(hex: 0x56B4E9)
    /// Okabe-Ito bluish green (#009E73).
    public static let bluishGreen = Color(hex: 0x009E73)
    static let yellow = Color(hex: 0xF0E442)
    /// Okabe-Ito blue (#0072B2).
    public static let blue = Color(hex: 0x0072B2)
    /// Okabe-Ito vermillion (#D55E00).
    public static let vermillion = Color(hex: 0xD55E00)
    /// Okabe-Ito reddish purple (#CC79A7).
    public static let reddishPurple = Color(hex: 0xCC79A7)
    /// A neutral mid grey (#999999), for elements with no category of their own.
    public static let grey = Color(hex: 0x999999)
    /// A dark shade of vermillion, for a variant of whatever vermillion stands for. Under
    /// deuteranopia it stays darker than vermillion and lighter than black.
    public static let darkVermillion = Color(hex: 0x7F2704)
    /// A dark shade of bluish green, for a variant of whatever bluish green stands for. Under
    /// deuteranopia it is a dark grey, apart from vermillion's olive.
    public static let darkBluishGreen = Color(hex: 0x005C45)

    /// The categorical cycle, in order, for series with no fixed meaning.
    public static let categorical = [blue, orange, bluishGreen, vermillion, reddishPurple, skyBlue, yellow, black]
}

extension Style {
    /// Small labels on reference lines and text annotations inside plots.
    static let annotation = Font(size: 7)
    /// Length of outward tick marks, in points.
    static let tickLength = 3.0
    /// Length of minor (unlabelled) tick marks, in points.
    static let minorTickLength = 1.8
    /// Colour of reference lines (cue, reward, zero lines).
    public static let referenceColor = Color(hex: 0x8C8C8C)
    /// Dash pattern of reference lines, in points.
    public static let referenceDash: [Double] = [3, 2]
    /// Width of reference lines.
    static let referenceLineWidth = 0.6
    /// Width of error bars and their caps.
    static let errorBarWidth = 0.8
    /// Colour of optional grid lines.
    static let gridColor = Color(hex: 0xE5E5E5)
}
