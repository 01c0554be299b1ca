import CCairo
import Synchronization

/// How the ends of open strokes are drawn.
public enum LineCap: Sendable { case butt, round, square }
/// How stroke segments meet.
public enum LineJoin: Sendable { case miter, round, bevel }

/// A font request: family, size in points, weight and slant.
public struct Font: Equatable, Sendable {
    var family: String
    /// Font size in points.
    public var size: Double
    var bold: Bool
    var italic: Bool
    /// A font of `size` points; the family defaults to ``defaultFamily``.
    public init(family: String = Font.defaultFamily, size: Double, bold: Bool = false, italic: Bool = false) {
        self.family = family
        self.size = size
        self.bold = bold
        self.italic = italic
    }
    /// The one family every figure uses (Debian's fonts-dejavu-core).
    public static let defaultFamily = "DejaVu Sans"
}

/// The measured box of a run of text, in points.
public struct TextExtents: Equatable, Sendable {
    /// Advance width: where the next run would start.
    public var width: Double
    /// Height of the inked glyphs above the baseline (positive up).
    var ascent: Double
    /// Depth of the inked glyphs below the baseline (positive down).
    var descent: Double
}

/// A drawing context on a `Surface`: paths, strokes, fills, transforms, clipping,
/// text and images. Coordinates are points with y pointing down. Every context uses
/// the same font options (no hinting of outlines or metrics), so text measures the
/// same on PNG, SVG and PDF.
public final class Context {
    let pointer: OpaquePointer
    private let surface: Surface  // keeps the surface alive while the context draws on it
    private let fontOptions: OpaquePointer
    /// The font currently selected.
    private(set) var font = Font(size: 10)

    /// A context on `surface`, scaled so that user units are points.
    init(surface: Surface) throws {
        self.surface = surface
        pointer = cairo_create(surface.pointer)
        fontOptions = cairo_font_options_create()
        cairo_font_options_set_hint_style(fontOptions, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(fontOptions, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(fontOptions, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(pointer, fontOptions)
        if surface.scale != 1 { cairo_scale(pointer, surface.scale, surface.scale) }
        try checkStatus("create a drawing context")
        try setFont(font)
    }

    deinit {
        cairo_font_options_destroy(fontOptions)
        cairo_destroy(pointer)
    }

    /// Throws if the context has entered an error state (Cairo's status is sticky).
    public func checkStatus(_ operation: String) throws {
        try CairoError.check(cairo_status(pointer), operation)
    }

    // MARK: State and transforms

    /// Runs `body` and restores the graphics state (transform, clip, source, line style, font) afterwards.
    public func withSavedState<T>(_ body: () throws -> T) rethrows -> T {
        cairo_save(pointer)
        let savedFont = font
        defer {
            cairo_restore(pointer)
            font = savedFont
        }
        return try body()
    }
    func translate(_ dx: Double, _ dy: Double) { cairo_translate(pointer, dx, dy) }
    func scale(_ sx: Double, _ sy: Double) { cairo_scale(pointer, sx, sy) }
    /// Rotates by `angle` radians (positive turns x toward y, i.e. clockwise on screen).
    func rotate(_ angle: Double) { cairo_rotate(pointer, angle) }

    // MARK: Paths

    /// Clears the current path (without drawing it).
    public func newPath() { cairo_new_path(pointer) }
    /// Starts a new subpath at `p`.
    public func move(to p: Point) { cairo_move_to(pointer, p.x, p.y) }
    /// Adds a straight segment from the current point to `p`.
    public func line(to p: Point) { cairo_line_to(pointer, p.x, p.y) }
    func curve(to p: Point, control1 c1: Point, control2 c2: Point) {
        cairo_curve_to(pointer, c1.x, c1.y, c2.x, c2.y, p.x, p.y)
    }
    /// Closes the current subpath with a segment back to its start.
    public func closePath() { cairo_close_path(pointer) }
    /// Adds `r` to the path as a closed subpath.
    public func rectangle(_ r: Rect) { cairo_rectangle(pointer, r.x, r.y, r.width, r.height) }
    /// A circular arc around `center` from `start` to `end` radians (clockwise on screen).
    public func arc(center: Point, radius: Double, from start: Double = 0, to end: Double = 2 * .pi) {
        cairo_new_sub_path(pointer)
        cairo_arc(pointer, center.x, center.y, radius, start, end)
    }
    /// An ellipse inscribed in `rect`.
    public func ellipse(in rect: Rect) {
        withSavedState {
            cairo_translate(pointer, rect.midX, rect.midY)
            cairo_scale(pointer, rect.width / 2, rect.height / 2)
            cairo_new_sub_path(pointer)
            cairo_arc(pointer, 0, 0, 1, 0, 2 * .pi)
        }
    }
    /// A rectangle with rounded corners.
    public func roundedRectangle(_ r: Rect, radius: Double) {
        let rad = min(radius, r.width / 2, r.height / 2)
        cairo_new_sub_path(pointer)
        cairo_arc(pointer, r.maxX - rad, r.minY + rad, rad, -.pi / 2, 0)
        cairo_arc(pointer, r.maxX - rad, r.maxY - rad, rad, 0, .pi / 2)
        cairo_arc(pointer, r.minX + rad, r.maxY - rad, rad, .pi / 2, .pi)
        cairo_arc(pointer, r.minX + rad, r.minY + rad, rad, .pi, 3 * .pi / 2)
        cairo_close_path(pointer)
    }
    /// A polyline through `points` (no-op for an empty list).
    public func polyline(_ points: [Point]) {
        guard let first = points.first else { return }
        move(to: first)
        for p in points.dropFirst() { line(to: p) }
    }

    // MARK: Painting

    /// The colour of the next strokes, fills and text.
    public func setColor(_ c: Color) { cairo_set_source_rgba(pointer, c.red, c.green, c.blue, c.alpha) }
    /// The width of the next strokes, in points.
    public func setLineWidth(_ w: Double) { cairo_set_line_width(pointer, w) }
    /// Dash pattern in points; an empty array draws solid lines.
    public func setDash(_ pattern: [Double], offset: Double = 0) {
        cairo_set_dash(pointer, pattern, Int32(pattern.count), offset)
    }
    /// How the next strokes end.
    public func setLineCap(_ cap: LineCap) {
        cairo_set_line_cap(
            pointer,
            cap == .butt ? CAIRO_LINE_CAP_BUTT : cap == .round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_SQUARE)
    }
    /// How the segments of the next strokes meet.
    public func setLineJoin(_ join: LineJoin) {
        cairo_set_line_join(
            pointer,
            join == .miter ? CAIRO_LINE_JOIN_MITER : join == .round ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_BEVEL)
    }
    /// Draws the outline of the current path with the current colour and line style, then clears
    /// the path unless `preserve` is true.
    public func stroke(preserve: Bool = false) {
        preserve ? cairo_stroke_preserve(pointer) : cairo_stroke(pointer)
    }
    /// Fills the inside of the current path with the current colour, then clears the path unless
    /// `preserve` is true.
    public func fill(preserve: Bool = false) {
        preserve ? cairo_fill_preserve(pointer) : cairo_fill(pointer)
    }
    /// Intersects the clip region with the current path (and clears the path).
    public func clip() { cairo_clip(pointer) }
    /// Fills the whole clip region with `color`.
    public func paint(_ color: Color) {
        setColor(color)
        cairo_paint(pointer)
    }

    // MARK: Images

    /// Draws a grid of colours (row-major, `rows` × `columns`) stretched over `rect`,
    /// one image pixel per cell with nearest-neighbour scaling: no seams, sharp cell edges.
    public func drawImage(colors: [Color], rows: Int, columns: Int, in rect: Rect) throws {
        precondition(colors.count == rows * columns, "drawImage: \(colors.count) colours for \(rows)×\(columns)")
        guard rows > 0, columns > 0 else { return }
        let image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(columns), Int32(rows))
        defer { cairo_surface_destroy(image) }
        try CairoError.check(cairo_surface_status(image), "create a \(columns)×\(rows) image")
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image))
        let data = cairo_image_surface_get_data(image)!
        for row in 0..<rows {
            let line = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<columns {
                let c = colors[row * columns + column]
                // ARGB32 is premultiplied, native-endian.
                func byte(_ v: Double) -> UInt32 { UInt32((min(max(v, 0), 1) * c.alpha * 255).rounded()) }
                let alpha = UInt32((min(max(c.alpha, 0), 1) * 255).rounded())
                line[column] = alpha << 24 | byte(c.red) << 16 | byte(c.green) << 8 | byte(c.blue)
            }
        }
        cairo_surface_mark_dirty(image)
        withSavedState {
            cairo_rectangle(pointer, rect.x, rect.y, rect.width, rect.height)
            cairo_clip(pointer)
            cairo_translate(pointer, rect.x, rect.y)
            cairo_scale(pointer, rect.width / Double(columns), rect.height / Double(rows))
            cairo_set_source_surface(pointer, image, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(pointer), CAIRO_FILTER_NEAREST)
            cairo_paint(pointer)
        }
        try checkStatus("draw a \(columns)×\(rows) image")
    }

    // MARK: Text

    /// Selects `font`, and checks that the family Cairo actually loaded is the one asked for
    /// (the toy text API would otherwise fall back silently to another family).
    public func setFont(_ font: Font) throws {
        cairo_select_font_face(
            pointer, font.family, font.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
            font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(pointer, font.size)
        try FontCheck.verify(font, context: pointer)
        self.font = font
    }

    /// The advance width and inked height of `text` in the current font.
    func measure(_ text: String) -> TextExtents {
        var e = cairo_text_extents_t()
        cairo_text_extents(pointer, text, &e)
        return TextExtents(width: e.x_advance, ascent: max(0, -e.y_bearing), descent: max(0, e.height + e.y_bearing))
    }

    /// The font's ascent and descent (independent of the text), in points.
    public func fontMetrics() -> (ascent: Double, descent: Double) {
        var e = cairo_font_extents_t()
        cairo_font_extents(pointer, &e)
        return (e.ascent, e.descent)
    }

    /// Draws `text` with its baseline starting at `p`, in the current colour and font.
    func showText(_ text: String, at p: Point) {
        cairo_move_to(pointer, p.x, p.y)
        cairo_show_text(pointer, text)
        cairo_new_path(pointer)
    }
}

/// Checks, once per face and process, that Cairo's FreeType backend loaded the family,
/// weight and slant that were asked for. fontconfig would otherwise substitute silently:
/// another family when one is missing, or a synthetic slant of the upright face when
/// the oblique face is missing — which renders, but with other bytes.
enum FontCheck {
    private static let checked = Mutex<[String]>([])

    private static func key(_ font: Font) -> String { "\(font.family)|\(font.bold)|\(font.italic)" }

    static func verified(_ font: Font) -> Bool { checked.withLock { $0.contains(key(font)) } }

    static func verify(_ font: Font, context: OpaquePointer) throws {
        if verified(font) { return }
        let scaled = cairo_get_scaled_font(context)
        guard cairo_scaled_font_get_type(scaled) == CAIRO_FONT_TYPE_FT,
            let face = cairo_ft_scaled_font_lock_face(scaled)
        else { throw CairoError.fontMissing(requested: font.family, loaded: "no FreeType font", package: FontCheck.package(font)) }
        let family = face.pointee.family_name.map { String(cString: $0) } ?? "unknown"
        let style = face.pointee.style_name.map { String(cString: $0) } ?? ""
        cairo_ft_scaled_font_unlock_face(scaled)
        let slanted = style.contains("Oblique") || style.contains("Italic")
        guard family.lowercased() == font.family.lowercased(), style.contains("Bold") == font.bold,
            slanted == font.italic
        else {
            throw CairoError.fontMissing(
                requested: describe(font), loaded: "\(family) \(style)", package: FontCheck.package(font))
        }
        checked.withLock { $0.append(key(font)) }
    }

    /// The Debian package that provides the house font's faces.
    static func package(_ font: Font) -> String { font.italic ? "fonts-dejavu-extra" : "fonts-dejavu-core" }

    private static func describe(_ font: Font) -> String {
        font.family + (font.bold ? " Bold" : "") + (font.italic ? " Oblique" : "")
    }
}
