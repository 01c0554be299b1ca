import CCairo
import Testing

@testable import Cairo

/// Bytes for Cairo's PNG stream callbacks: appended to when written, consumed from `offset` when read.
private final class Bytes {
    var data: [UInt8]
    var offset = 0
    init(_ data: [UInt8] = []) { self.data = data }
}

/// The PNG file Cairo's own writer (`cairo_surface_write_to_png_stream`) makes of `surface`.
private func cairoPNG(_ surface: Surface) throws -> [UInt8] {
    let sink = Bytes()
    let status = cairo_surface_write_to_png_stream(
        surface.pointer,
        { closure, data, length in
            let sink = Unmanaged<Bytes>.fromOpaque(closure!).takeUnretainedValue()
            sink.data.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
    try CairoError.check(status, "write Cairo's PNG")
    return sink.data
}

/// The premultiplied ARGB32 pixels Cairo reads back from a PNG file (row-major, no padding).
private func decodedPixels(_ png: [UInt8]) throws -> (width: Int, height: Int, pixels: [UInt32]) {
    let source = Bytes(png)
    let image = cairo_image_surface_create_from_png_stream(
        { closure, data, length in
            let source = Unmanaged<Bytes>.fromOpaque(closure!).takeUnretainedValue()
            guard source.offset + Int(length) <= source.data.count else { return CAIRO_STATUS_READ_ERROR }
            for k in 0..<Int(length) { data![k] = source.data[source.offset + k] }
            source.offset += Int(length)
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(source).toOpaque())
    defer { cairo_surface_destroy(image) }
    try CairoError.check(cairo_surface_status(image), "read the PNG back")
    let width = Int(cairo_image_surface_get_width(image))
    let height = Int(cairo_image_surface_get_height(image))
    let stride = Int(cairo_image_surface_get_stride(image))
    let data = UnsafeRawPointer(cairo_image_surface_get_data(image)!)
    var pixels: [UInt32] = []
    for y in 0..<height {
        let row = (data + y * stride).assumingMemoryBound(to: UInt32.self)
        pixels += (0..<width).map { row[$0] }
    }
    return (width, height, pixels)
}

/// Draws `draw` on a PNG surface and returns the drawn pixels, Cairo's PNG and the toolkit's PNG.
private func bothPNGs(
    width: Double, height: Double, _ draw: (Context) throws -> Void
) throws -> (pixels: [UInt32], cairo: [UInt8], ours: [UInt8]) {
    let surface = try Surface(format: .png, width: width, height: height, scale: 2)
    do {
        let context = try Context(surface: surface)
        try draw(context)
    }
    let pixels = try surface.pixels()
    let cairo = try cairoPNG(surface)
    return (pixels, cairo, try surface.finish())
}

/// An opaque figure-like drawing: white page, antialiased strokes, text.
private func opaqueDrawing(_ c: Context) throws {
    c.paint(.white)
    c.setColor(Color(hex: 0x0072B2))
    c.setLineWidth(1.5)
    c.polyline([Point(5, 40), Point(40, 8), Point(75, 30), Point(117, 3)])
    c.stroke()
    try c.setFont(Font(size: 9))
    c.setColor(.black)
    c.drawText("η = 0.01", at: Point(10, 45))
}

/// A drawing with every kind of alpha: untouched (α = 0) pixels, translucent fills that overlap,
/// antialiased edges of a translucent stroke, and an opaque square.
private func translucentDrawing(_ c: Context) throws {
    c.setColor(Color(hex: 0xCC79A7))
    c.rectangle(Rect(x: 90, y: 2, width: 20, height: 10))
    c.fill()
    c.setColor(Color(hex: 0xE69F00, alpha: 0.35))
    c.rectangle(Rect(x: 5, y: 5, width: 60, height: 30))
    c.fill()
    c.setColor(Color(hex: 0x56B4E9, alpha: 0.6))
    c.arc(center: Point(70, 30), radius: 22)
    c.fill()
    c.setColor(Color(hex: 0x009E73, alpha: 0.8))
    c.setLineWidth(2.5)
    c.polyline([Point(0, 50), Point(60, 2), Point(120, 45)])
    c.stroke()
}

/// How many of two equally long pixel lists' entries differ (a short failure message, not two images).
private func differing(_ a: [UInt32], _ b: [UInt32]) -> Int {
    a.count == b.count ? zip(a, b).count { $0 != $1 } : max(a.count, b.count)
}

@Suite struct PNGEncoderTests {
    /// PNG colour type (byte 25: IHDR's data starts at 16; width, height, bit depth, then the type).
    private func colorType(_ png: [UInt8]) -> UInt8 { png[25] }

    @Test func opaqueImageIsRGBWithTheDrawnPixelsExactly() throws {
        let (pixels, cairo, ours) = try bothPNGs(width: 120, height: 50, opaqueDrawing)
        #expect(colorType(ours) == 2 && colorType(cairo) == 2)  // 8-bit RGB, as Cairo writes it
        let decoded = try decodedPixels(ours)
        #expect(decoded.width == 240 && decoded.height == 100)
        #expect(differing(decoded.pixels, pixels) == 0)  // opaque: no rounding anywhere, every pixel as drawn
        #expect(differing(try decodedPixels(cairo).pixels, pixels) == 0)
    }

    @Test func translucentImageStoresWhatCairosWriterStores() throws {
        let (pixels, cairo, ours) = try bothPNGs(width: 120, height: 50, translucentDrawing)
        let alphas = Set(pixels.map { $0 >> 24 })
        #expect(alphas.contains(0) && alphas.contains(255) && alphas.count > 10)  // the test covers every case
        #expect(colorType(ours) == 6 && colorType(cairo) == 6)  // 8-bit RGBA
        // Both files un-premultiply with the same rounding, so they read back to the same pixels.
        #expect(differing(try decodedPixels(ours).pixels, try decodedPixels(cairo).pixels) == 0)
    }

    @Test func sameDrawingSameBytes() throws {
        let first = try bothPNGs(width: 120, height: 50, translucentDrawing).ours
        let second = try bothPNGs(width: 120, height: 50, translucentDrawing).ours
        #expect(first == second)
    }
}
