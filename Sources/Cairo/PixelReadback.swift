import CCairo

extension Surface {
    /// Width of a PNG surface's pixel buffer (points × scale, rounded up); 0 for vector surfaces.
    var pixelWidth: Int {
        format == .png ? Int(cairo_image_surface_get_width(pointer)) : 0
    }

    /// Height of a PNG surface's pixel buffer (points × scale, rounded up); 0 for vector surfaces.
    var pixelHeight: Int {
        format == .png ? Int(cairo_image_surface_get_height(pointer)) : 0
    }

    /// The pixels of a PNG surface drawn so far, row-major from the top left,
    /// `pixelWidth × pixelHeight` values of premultiplied ARGB32 (`0xAARRGGBB`).
    /// Call before ``finish()``; for tests and image checks. Throws for SVG/PDF surfaces,
    /// after `finish()`, or if the surface is in an error state.
    func pixels() throws -> [UInt32] {
        guard format == .png else {
            throw CairoError.status(operation: "read pixels", message: "a \(format) surface has no pixels")
        }
        try CairoError.check(cairo_surface_status(pointer), "read pixels")
        cairo_surface_flush(pointer)
        guard let data = cairo_image_surface_get_data(pointer) else {
            throw CairoError.status(operation: "read pixels", message: "the surface is finished")
        }
        let width = pixelWidth
        let height = pixelHeight
        let stride = Int(cairo_image_surface_get_stride(pointer))
        var result = [UInt32](repeating: 0, count: width * height)
        for row in 0..<height {
            let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<width { result[row * width + column] = line[column] }
        }
        return result
    }
}
