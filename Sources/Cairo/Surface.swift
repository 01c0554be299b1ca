import CCairo
import FileIO

/// The file formats a figure can be rendered to.
public enum ImageFormat: String, CaseIterable, Sendable {
    case png, svg, pdf

    /// The file name extension.
    public var fileExtension: String { rawValue }
}

/// Collects the bytes a Cairo stream surface writes. Owned by the surface that writes into it.
final class ByteSink {
    var bytes: [UInt8] = []
}

/// The C callback every stream surface writes through; `closure` is the `ByteSink`.
private let appendToSink: cairo_write_func_t = { closure, data, length in
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}

/// A Cairo surface sized in points that renders into memory. Make one, draw on its
/// ``Context``, then call ``finish()`` once to get the file's bytes. `deinit` only releases.
final class Surface {
    let format: ImageFormat
    /// Size in points (1/72 inch).
    let width: Double
    let height: Double
    /// Pixels per point of a PNG (2 gives retina-sized output); 1 for vector formats.
    let scale: Double

    let pointer: OpaquePointer
    private let sink = ByteSink()
    private var finished = false

    /// A surface of `width` × `height` points. PNG surfaces are ARGB32 with `scale` pixels per point.
    init(format: ImageFormat, width: Double, height: Double, scale: Double = 2) throws {
        guard width > 0, height > 0, width.isFinite, height.isFinite, scale > 0, scale.isFinite,
            format != .png || max(width, height) * scale <= 32767  // Cairo's largest image side
        else { throw CairoError.invalidSize(width: width, height: height) }
        self.format = format
        self.width = width
        self.height = height
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        self.scale = format == .png ? scale : 1
        let created: OpaquePointer =
            switch format {
            case .png:
                cairo_image_surface_create(
                    CAIRO_FORMAT_ARGB32, Int32((width * scale).rounded(.up)), Int32((height * scale).rounded(.up)))
            case .svg: cairo_svg_surface_create_for_stream(appendToSink, sinkPointer, width, height)
            case .pdf: cairo_pdf_surface_create_for_stream(appendToSink, sinkPointer, width, height)
            }
        // Checked before `pointer` is stored: a failed init must not leave `deinit` a surface to
        // destroy a second time.
        do {
            try CairoError.check(cairo_surface_status(created), "create a \(format) surface")
        } catch {
            cairo_surface_destroy(created)
            throw error
        }
        pointer = created
        if format == .pdf {
            // A fixed date: cairo would otherwise stamp the current time into every PDF.
            cairo_pdf_surface_set_metadata(pointer, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z")
            cairo_pdf_surface_set_metadata(pointer, CAIRO_PDF_METADATA_MOD_DATE, "2000-01-01T00:00:00Z")
        }
    }

    deinit { cairo_surface_destroy(pointer) }

    /// Completes the surface and returns the file's bytes. SVG ids are renumbered in
    /// order of first appearance, so the bytes do not depend on what was drawn before
    /// in the same process. Call once, after every ``Context`` on it is done.
    func finish() throws -> [UInt8] {
        precondition(!finished, "Surface.finish() called twice")
        finished = true
        try CairoError.check(cairo_surface_status(pointer), "draw on the \(format) surface")
        switch format {
        case .png:
            cairo_surface_flush(pointer)
            guard let data = cairo_image_surface_get_data(pointer) else {
                throw CairoError.status(operation: "encode the PNG", message: "the image surface has no pixels")
            }
            let bytes = try PNGEncoder.encode(
                pixels: data, width: pixelWidth, height: pixelHeight,
                stride: Int(cairo_image_surface_get_stride(pointer)))
            cairo_surface_finish(pointer)
            return bytes
        case .svg, .pdf:
            cairo_surface_finish(pointer)
            try CairoError.check(cairo_surface_status(pointer), "finish the \(format) file")
        }
        return format == .svg ? SVGNormalizer.renumberIDs(sink.bytes) : sink.bytes
    }
}

/// Renders one drawing to a file. The file appears under `path` only when it is
/// complete (atomic rename); a failure leaves nothing under that name.
/// - Parameters:
///   - path: the file to write.
///   - format: PNG, SVG or PDF.
///   - width: page width in points.
///   - height: page height in points.
///   - scale: pixels per point for PNG.
///   - draw: draws on a fresh context with the house font options.
public func render(
    to path: String, format: ImageFormat, width: Double, height: Double, scale: Double = 2,
    draw: (Context) throws -> Void
) throws {
    let bytes = try renderBytes(
        format: format, width: width, height: height, scale: scale, draw: draw)
    try AtomicFile.write(bytes, to: path)
}

/// Renders one drawing and returns the file's bytes (see ``render(to:format:width:height:scale:draw:)``).
public func renderBytes(
    format: ImageFormat, width: Double, height: Double, scale: Double = 2,
    draw: (Context) throws -> Void
) throws -> [UInt8] {
    let surface = try Surface(format: format, width: width, height: height, scale: scale)
    do {
        let context = try Context(surface: surface)
        try draw(context)
        try context.checkStatus("draw the figure")
    }
    return try surface.finish()
}
