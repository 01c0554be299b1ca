import CZlib

/// Writes a Cairo ARGB32 image as a PNG file: 8-bit RGB when every pixel is opaque, else
/// 8-bit RGBA un-premultiplied with Cairo's own rounding (so the pixels are those Cairo's
/// `cairo_surface_write_to_png` stores), every row with filter type 0 (none) and the image
/// data deflated by zlib at level 3. On the toolkit's figures, mostly flat colour at two
/// pixels per point, this gives files about as small as Cairo's writer (libpng trying all five
/// filters on every row, zlib level 6) in a fraction of its encoding time.
enum PNGEncoder {
    /// zlib's compression level: 3 is where the figures stop getting smaller for the time spent.
    static let compressionLevel: Int32 = 3

    /// The PNG file of a `width` × `height` image of premultiplied native-endian ARGB32 pixels
    /// (`0xAARRGGBB`), rows `stride` bytes apart from `pixels`.
    static func encode(pixels: UnsafeRawPointer, width: Int, height: Int, stride: Int) throws -> [UInt8] {
        precondition(width > 0 && height > 0 && stride >= 4 * width, "PNGEncoder: bad image geometry")
        func row(_ y: Int) -> UnsafePointer<UInt32> {
            (pixels + y * stride).assumingMemoryBound(to: UInt32.self)
        }
        var opaque = true
        for y in 0..<height where opaque {
            let line = row(y)
            for x in 0..<width where line[x] < 0xFF00_0000 {
                opaque = false
                break
            }
        }
        let channels = opaque ? 3 : 4
        let rowBytes = 1 + channels * width  // the filter-type byte, then the samples
        var scanlines = [UInt8](repeating: 0, count: rowBytes * height)
        scanlines.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let line = row(y)
                var o = y * rowBytes + 1  // byte 0 of the row stays 0: filter type none
                for x in 0..<width {
                    let pixel = line[x]
                    let alpha = pixel >> 24
                    var (r, g, b) = ((pixel >> 16) & 0xFF, (pixel >> 8) & 0xFF, pixel & 0xFF)
                    if !opaque && alpha < 255 {
                        // cairo-png.c's unpremultiply_data: c × 255 / α rounded half up; 0 where α = 0.
                        if alpha == 0 {
                            (r, g, b) = (0, 0, 0)
                        } else {
                            r = (r * 255 + alpha / 2) / alpha
                            g = (g * 255 + alpha / 2) / alpha
                            b = (b * 255 + alpha / 2) / alpha
                        }
                    }
                    out[o] = UInt8(truncatingIfNeeded: r)
                    out[o + 1] = UInt8(truncatingIfNeeded: g)
                    out[o + 2] = UInt8(truncatingIfNeeded: b)
                    if !opaque { out[o + 3] = UInt8(truncatingIfNeeded: alpha) }
                    o += channels
                }
            }
        }
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]  // the PNG signature
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, opaque ? 2 : 6, 0, 0, 0]  // bit depth, colour type, deflate, filter set 0, no interlace
        appendChunk("IHDR", header, to: &file)
        // A white background, as Cairo writes it (16-bit samples for each channel).
        appendChunk("bKGD", [0, 0xFF, 0, 0xFF, 0, 0xFF], to: &file)
        appendChunk("IDAT", try deflate(scanlines), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// `data` as one zlib stream (the form a PNG's image data takes).
    private static func deflate(_ data: [UInt8]) throws -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var compressed = [UInt8](repeating: 0, count: Int(length))
        let status = compressed.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &length, input.baseAddress, uLong(input.count), compressionLevel)
            }
        }
        guard status == Z_OK else {
            throw CairoError.status(operation: "encode the PNG", message: "zlib's compress2 returned \(status)")
        }
        compressed.removeLast(compressed.count - Int(length))
        return compressed
    }

    /// Appends one chunk: its length, its type, `payload`, and the CRC-32 of type and payload.
    private static func appendChunk(_ type: String, _ payload: [UInt8], to file: inout [UInt8]) {
        let typed = Array(type.utf8) + payload
        file += bigEndian(UInt32(payload.count))
        file += typed
        let crc = typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        file += bigEndian(UInt32(crc))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
}
