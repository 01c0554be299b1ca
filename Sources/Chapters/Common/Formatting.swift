import Foundation

/// Number formats for figure captions and progress lines, shared by every chapter.
extension Double {
    /// ``typed`` with a true minus sign, for figures and captions (0.1 → "0.1", 1.0 → "1",
    /// −3.0 → "−3").
    var compact: String { typed.replacingOccurrences(of: "-", with: "−") }
    /// Fixed decimals, for values quoted in captions.
    func fixed(_ digits: Int) -> String {
        let scale = pow(10, Double(digits))
        let v = (self * scale).rounded() / scale
        if digits == 0 { return String(Int(v)).replacingOccurrences(of: "-", with: "−") }
        var s = "\(v)"
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
        }
        return s.replacingOccurrences(of: "-", with: "−")
    }
}

extension Array where Element == Double {
    /// The median (the mean of the middle two for an even count); the array must not be empty.
    var median: Double {
        let s = sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
