import Cairo

/// A 2-D vector for the layout arithmetic (kept internal so its operators never clash
/// with another module's extensions of `Point`).
struct Vec: Equatable {
    var x, y: Double
    init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
    init(_ p: Point) { self.init(p.x, p.y) }
    var point: Point { Point(x, y) }

    static func + (a: Vec, b: Vec) -> Vec { Vec(a.x + b.x, a.y + b.y) }
    static func - (a: Vec, b: Vec) -> Vec { Vec(a.x - b.x, a.y - b.y) }
    static func * (a: Vec, k: Double) -> Vec { Vec(a.x * k, a.y * k) }
    static prefix func - (a: Vec) -> Vec { Vec(-a.x, -a.y) }
    func dot(_ b: Vec) -> Double { x * b.x + y * b.y }
    var length: Double { (x * x + y * y).squareRoot() }
    /// The unit vector in the same direction (the zero vector stays zero).
    var unit: Vec {
        let l = length
        return l > 0 ? Vec(x / l, y / l) : Vec(0, 0)
    }
    /// The left-hand normal when facing along `self` on screen (y down): right → up.
    var leftNormal: Vec { Vec(y, -x) }
    func distance(to b: Vec) -> Double { (self - b).length }
}

extension Rect {
    /// The smallest rectangle containing both.
    func union(_ other: Rect) -> Rect {
        let x0 = Swift.min(minX, other.minX)
        let y0 = Swift.min(minY, other.minY)
        let x1 = Swift.max(maxX, other.maxX)
        let y1 = Swift.max(maxY, other.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
    /// The rectangle grown by `d` on every side.
    func outset(_ d: Double) -> Rect { Rect(x: x - d, y: y - d, width: width + 2 * d, height: height + 2 * d) }
    /// Whether `other` lies inside (with `tolerance` points of slack).
    func contains(_ other: Rect, tolerance: Double = 1e-6) -> Bool {
        other.minX >= minX - tolerance && other.maxX <= maxX + tolerance
            && other.minY >= minY - tolerance && other.maxY <= maxY + tolerance
    }
}

/// How the schematic's own coordinate space maps onto the page: one uniform scale
/// (aspect ratio kept) and the page position of the schematic's origin.
struct SchematicTransform: Equatable, Sendable {
    /// Points per schematic unit.
    var scale: Double
    /// Page position (points) of the schematic's (0, 0).
    var origin: Point

    /// A schematic point on the page.
    func point(_ p: Point) -> Point { Point(origin.x + p.x * scale, origin.y + p.y * scale) }
    /// A schematic rectangle on the page.
    func rect(_ r: Rect) -> Rect {
        Rect(x: origin.x + r.x * scale, y: origin.y + r.y * scale, width: r.width * scale, height: r.height * scale)
    }
    /// A schematic length in points.
    func length(_ l: Double) -> Double { l * scale }

    /// The largest uniform scale that fits a `width` × `height` space into `frame`,
    /// centred in it (letterboxed along the slack axis).
    static func fitting(width: Double, height: Double, into frame: Rect) -> SchematicTransform {
        precondition(width > 0 && height > 0, "schematic size must be positive")
        let s = max(0, min(frame.width / width, frame.height / height))
        return SchematicTransform(
            scale: s, origin: Point(frame.midX - width * s / 2, frame.midY - height * s / 2))
    }
}

extension Schematic {
    /// The boundary of an element on the page (points), where connections attach.
    enum Outline: Equatable, Sendable {
        /// A rectangle with corners rounded by `radius` points (clamped as Cairo does).
        case roundedRect(Rect, radius: Double)
        /// An ellipse (a circle when the rectangle is square) inscribed in the rectangle.
        case ellipse(Rect)
        /// A polygon that is star-shaped around `center` (every ray from it crosses the boundary once).
        case polygon([Point], center: Point)

        /// The point rays are cast from.
        var center: Point {
            switch self {
            case .roundedRect(let r, _), .ellipse(let r): r.center
            case .polygon(_, let c): c
            }
        }

        /// The axis-aligned box around the outline.
        var boundingBox: Rect {
            switch self {
            case .roundedRect(let r, _), .ellipse(let r): return r
            case .polygon(let pts, _):
                let xs = pts.map(\.x)
                let ys = pts.map(\.y)
                let x0 = xs.min() ?? 0
                let y0 = ys.min() ?? 0
                return Rect(x: x0, y: y0, width: (xs.max() ?? 0) - x0, height: (ys.max() ?? 0) - y0)
            }
        }

        /// Where the ray from ``center`` toward `target` leaves the outline.
        func boundaryPoint(toward target: Point) -> Point {
            let c = Vec(center)
            var d = (Vec(target) - c).unit
            if d.length == 0 { d = Vec(0, -1) }
            return (c + d * exitDistance(along: d)).point
        }

        /// The distance from the centre to the boundary along the unit direction `d`.
        func exitDistance(along d: Vec) -> Double {
            switch self {
            case .ellipse(let r):
                let a = r.width / 2
                let b = r.height / 2
                guard a > 0, b > 0 else { return 0 }
                return 1 / ((d.x / a) * (d.x / a) + (d.y / b) * (d.y / b)).squareRoot()
            case .roundedRect(let r, let radius):
                let hw = r.width / 2
                let hh = r.height / 2
                let rad = max(0, min(radius, hw, hh))
                var t = Double.infinity
                if abs(d.x) > 1e-12 { t = min(t, hw / abs(d.x)) }
                if abs(d.y) > 1e-12 { t = min(t, hh / abs(d.y)) }
                let hit = d * t
                if rad > 0, abs(hit.x) > hw - rad + 1e-12, abs(hit.y) > hh - rad + 1e-12 {
                    // The ray leaves through a rounded corner: intersect with that quarter circle.
                    let k = Vec(hit.x < 0 ? -(hw - rad) : hw - rad, hit.y < 0 ? -(hh - rad) : hh - rad)
                    let dk = d.dot(k)
                    let disc = dk * dk - k.dot(k) + rad * rad
                    t = dk + max(0, disc).squareRoot()
                }
                return t
            case .polygon(let pts, let center):
                let c = Vec(center)
                var best = 0.0
                var found = false
                for i in pts.indices {
                    let a = Vec(pts[i]) - c
                    let b = Vec(pts[(i + 1) % pts.count]) - c
                    // Solve c + t d = a + u (b − a), t > 0, 0 ≤ u ≤ 1.
                    let e = b - a
                    let den = d.x * e.y - d.y * e.x
                    if abs(den) < 1e-12 { continue }
                    let t = (a.x * e.y - a.y * e.x) / den
                    let u = (a.x * d.y - a.y * d.x) / den
                    if t > 0, u >= -1e-9, u <= 1 + 1e-9, !found || t < best {
                        best = t
                        found = true
                    }
                }
                return best
            }
        }

        /// Whether `p` lies on the outline, within `tolerance` points.
        func isOnBoundary(_ p: Point, tolerance: Double = 1e-6) -> Bool {
            switch self {
            case .ellipse(let r):
                let a = r.width / 2
                let b = r.height / 2
                let dx = (p.x - r.midX) / a
                let dy = (p.y - r.midY) / b
                return abs((dx * dx + dy * dy).squareRoot() - 1) * min(a, b) <= tolerance
            case .roundedRect(let r, let radius):
                let hw = r.width / 2
                let hh = r.height / 2
                let rad = max(0, min(radius, hw, hh))
                let dx = abs(p.x - r.midX)
                let dy = abs(p.y - r.midY)
                if dx > hw - rad, dy > hh - rad, rad > 0 {
                    return abs(Vec(dx, dy).distance(to: Vec(hw - rad, hh - rad)) - rad) <= tolerance
                }
                return (abs(dx - hw) <= tolerance && dy <= hh + tolerance)
                    || (abs(dy - hh) <= tolerance && dx <= hw + tolerance)
            case .polygon(let pts, _):
                let q = Vec(p)
                for i in pts.indices {
                    let a = Vec(pts[i])
                    let b = Vec(pts[(i + 1) % pts.count])
                    let e = b - a
                    let u = max(0, min(1, (q - a).dot(e) / max(e.dot(e), 1e-300)))
                    if (a + e * u).distance(to: q) <= tolerance { return true }
                }
                return false
            }
        }
    }
}

/// A path on the page sampled as a polyline, with arc-length helpers.
struct Polyline {
    var points: [Vec]
    /// Cumulative arc length at each point.
    let lengths: [Double]

    init(_ points: [Vec]) {
        self.points = points
        var acc = [0.0]
        for i in points.indices.dropFirst() { acc.append(acc[i - 1] + points[i].distance(to: points[i - 1])) }
        lengths = acc
    }

    var length: Double { lengths.last ?? 0 }

    /// The point at arc length `s` from the start (clamped to the path).
    func point(at s: Double) -> Vec {
        guard points.count > 1 else { return points.first ?? Vec(0, 0) }
        let s = max(0, min(length, s))
        var i = 1
        while i < points.count - 1 && lengths[i] < s { i += 1 }
        let seg = lengths[i] - lengths[i - 1]
        let u = seg > 0 ? (s - lengths[i - 1]) / seg : 0
        return points[i - 1] + (points[i] - points[i - 1]) * u
    }

    /// The unit tangent at arc length `s`, measured over a short chord.
    func tangent(at s: Double, span: Double = 1) -> Vec {
        let a = point(at: s - span)
        let b = point(at: s + span)
        let t = (b - a).unit
        if t.length > 0 { return t }
        return ((points.last ?? Vec(1, 0)) - (points.first ?? Vec(0, 0))).unit
    }

    /// The piece of the path between arc lengths `from` and `to`.
    func sub(from a: Double, to b: Double) -> [Vec] {
        let a = max(0, min(length, a))
        let b = max(a, min(length, b))
        var out = [point(at: a)]
        for i in points.indices where lengths[i] > a && lengths[i] < b { out.append(points[i]) }
        out.append(point(at: b))
        return out
    }
}

/// Samples the quadratic Bézier p0–c–p1 as `n` segments.
func quadratic(_ p0: Vec, _ c: Vec, _ p1: Vec, segments n: Int = 48) -> [Vec] {
    (0...n).map { i in
        let t = Double(i) / Double(n)
        let u = 1 - t
        return p0 * (u * u) + c * (2 * u * t) + p1 * (t * t)
    }
}

/// Samples the cubic Bézier p0–c1–c2–p1 as `n` segments.
func cubic(_ p0: Vec, _ c1: Vec, _ c2: Vec, _ p1: Vec, segments n: Int = 48) -> [Vec] {
    (0...n).map { i in
        let t = Double(i) / Double(n)
        let u = 1 - t
        return p0 * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) + p1 * (t * t * t)
    }
}
