/// An sRGB colour with alpha, components in 0...1.
public struct Color: Equatable, Hashable, Sendable {
    /// The red component, 0...1.
    public var red: Double
    /// The green component, 0...1.
    public var green: Double
    /// The blue component, 0...1.
    public var blue: Double
    /// Opacity, 0 (transparent) ... 1 (opaque).
    public var alpha: Double

    /// A colour from its components, each in 0...1 (opaque unless `alpha` says otherwise).
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from a 24-bit hex value, e.g. `Color(hex: 0xE69F00)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    /// The same colour with another alpha.
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// Mixes toward white by `amount` (0 = unchanged, 1 = white).
    public func lightened(_ amount: Double) -> Color {
        Color(
            red: red + (1 - red) * amount, green: green + (1 - green) * amount,
            blue: blue + (1 - blue) * amount, alpha: alpha)
    }

    /// Opaque black.
    public static let black = Color(red: 0, green: 0, blue: 0)
    /// Opaque white.
    public static let white = Color(red: 1, green: 1, blue: 1)
}

/// A point in user space (points, y pointing down).
public struct Point: Equatable, Sendable {
    /// Horizontal position in points, growing to the right.
    public var x: Double
    /// Vertical position in points, growing downward.
    public var y: Double
    /// The point at (`x`, `y`) points.
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// An axis-aligned rectangle in user space.
public struct Rect: Equatable, Sendable {
    /// Left edge, in points.
    public var x: Double
    /// Top edge, in points (y grows downward).
    public var y: Double
    /// Width in points.
    public var width: Double
    /// Height in points.
    public var height: Double
    /// The rectangle with top-left corner (`x`, `y`) and the given size, all in points.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    /// The left edge, `x`.
    public var minX: Double { x }
    /// The top edge, `y`.
    public var minY: Double { y }
    /// The right edge, `x + width`.
    public var maxX: Double { x + width }
    /// The bottom edge, `y + height`.
    public var maxY: Double { y + height }
    /// The horizontal centre, `x + width / 2`.
    public var midX: Double { x + width / 2 }
    /// The vertical centre, `y + height / 2`.
    public var midY: Double { y + height / 2 }
    /// The centre point (`midX`, `midY`).
    public var center: Point { Point(midX, midY) }

    /// The rectangle shrunk by the given margins.
    func inset(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0)
        -> Rect
    {
        Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
    }
    /// The rectangle shrunk by `d` on every side.
    public func inset(by d: Double) -> Rect { inset(top: d, left: d, bottom: d, right: d) }
    /// Whether the two rectangles overlap (touching edges do not count).
    public func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
}
