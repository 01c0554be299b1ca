import Cairo

/// Maps one axis's data values to screen positions.
struct AxisMap {
    var lower: Double
    var upper: Double
    var scale: AxisScale
    /// Screen position of `lower` and of `upper`.
    var start: Double
    var end: Double

    func callAsFunction(_ v: Double) -> Double {
        let a = scale.transform(lower)
        let b = scale.transform(upper)
        let t = scale.transform(v)
        guard t.isFinite, b != a else { return .nan }
        return start + (t - a) / (b - a) * (end - start)
    }
}

/// Data → screen for both axes of a plot area.
struct Mapping {
    var plot: Rect
    var x: AxisMap
    var y: AxisMap

    /// The screen point, or nil if either coordinate is not drawable (NaN, infinite, ≤ 0 on a log axis).
    func point(_ dx: Double, _ dy: Double) -> Point? {
        let sx = x(dx)
        let sy = y(dy)
        guard sx.isFinite, sy.isFinite else { return nil }
        return Point(sx, sy)
    }
}

/// Clips the segment a–b to `r` (Liang–Barsky); nil if it lies wholly outside.
func clipSegment(_ a: Point, _ b: Point, to r: Rect) -> (Point, Point)? {
    var t0 = 0.0
    var t1 = 1.0
    let dx = b.x - a.x
    let dy = b.y - a.y
    for (p, q) in [(-dx, a.x - r.minX), (dx, r.maxX - a.x), (-dy, a.y - r.minY), (dy, r.maxY - a.y)] {
        if p == 0 {
            if q < 0 { return nil }
        } else {
            let t = q / p
            if p < 0 {
                if t > t1 { return nil }
                t0 = max(t0, t)
            } else {
                if t < t0 { return nil }
                t1 = min(t1, t)
            }
        }
    }
    return (Point(a.x + t0 * dx, a.y + t0 * dy), Point(a.x + t1 * dx, a.y + t1 * dy))
}

/// Splits a sequence of screen points (nil = missing) into runs clipped to `r`:
/// missing points and excursions outside `r` break the line.
func clippedPolylines(_ points: [Point?], to r: Rect) -> [[Point]] {
    var runs: [[Point]] = []
    var current: [Point] = []
    func flush() {
        if current.count >= 2 { runs.append(current) }
        current = []
    }
    if points.count == 1, let p = points[0], p.x >= r.minX, p.x <= r.maxX, p.y >= r.minY, p.y <= r.maxY {
        return [[p]]
    }
    var previous: Point? = nil
    for p in points {
        guard let p else {
            flush()
            previous = nil
            continue
        }
        if let a = previous {
            if let (c, d) = clipSegment(a, p, to: r) {
                if let last = current.last, abs(last.x - c.x) < 1e-9, abs(last.y - c.y) < 1e-9 {
                    current.append(d)
                } else {
                    flush()
                    current = [c, d]
                }
            } else {
                flush()
            }
        }
        previous = p
    }
    flush()
    return runs
}

/// Points every `spacing` along the polyline (including its vertices).
func densify(_ run: [Point], spacing: Double) -> [Point] {
    guard var a = run.first else { return [] }
    var out = [a]
    for b in run.dropFirst() {
        let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
        let n = Int((length / spacing).rounded(.up))
        if n > 1 {
            for i in 1..<n {
                let t = Double(i) / Double(n)
                out.append(Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t))
            }
        }
        out.append(b)
        a = b
    }
    return out
}

/// A grid of points every `spacing` over `r` (edges included).
func gridPoints(_ r: Rect, spacing: Double) -> [Point] {
    let nx = max(1, Int((r.width / spacing).rounded(.up)))
    let ny = max(1, Int((r.height / spacing).rounded(.up)))
    var out: [Point] = []
    out.reserveCapacity((nx + 1) * (ny + 1))
    for i in 0...nx {
        for j in 0...ny {
            out.append(Point(r.minX + r.width * Double(i) / Double(nx), r.minY + r.height * Double(j) / Double(ny)))
        }
    }
    return out
}

extension Rect {
    /// Whether `p` lies inside or on the edge.
    func encloses(_ p: Point) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
}

/// Whether `p` lies inside the polygon (even–odd rule).
func polygonContains(_ polygon: [Point], _ p: Point) -> Bool {
    var inside = false
    var j = polygon.count - 1
    for i in polygon.indices {
        let a = polygon[i], b = polygon[j]
        if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
        j = i
    }
    return inside
}

extension Rect {
    /// The overlap of two rectangles (nil if they do not overlap).
    func intersection(_ other: Rect) -> Rect? {
        let x0 = max(minX, other.minX), y0 = max(minY, other.minY)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        guard x1 >= x0, y1 >= y0 else { return nil }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
