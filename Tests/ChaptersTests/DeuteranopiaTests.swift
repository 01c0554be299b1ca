// Chapter 4's comparison figures (forgetting, capacity, bg-selection D) draw up to nine methods in
// one panel. Each must stay distinguishable for a deuteranope: two methods drawn with the same
// dash pattern must differ in colour after a deuteranopia simulation (Machado, Oliveira &
// Fernandes 2009, severity 1, in linear RGB) by a CIELAB ΔE of at least 20.
import Cairo
import CreditCore
import Foundation
import Plot
import Testing

@testable import Chapters

/// sRGB component → linear.
private func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }

/// CIELAB (D65) of a linear-RGB colour.
private func lab(_ rgb: [Double]) -> [Double] {
    let x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047
    let y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    let z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883
    func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116 }
    return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))]
}

/// The colour as a deuteranope sees it, in CIELAB (Machado et al. 2009, severity 1.0).
func deuteranopeLab(_ color: Color) -> [Double] {
    let m = [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ]
    let rgb = [color.red, color.green, color.blue].map(linear)
    let seen = m.map { row in min(max(zip(row, rgb).map(*).reduce(0, +), 0), 1) }
    return lab(seen)
}

/// CIELAB ΔE (1976) between two colours as a deuteranope sees them.
func deuteranopeDistance(_ a: Color, _ b: Color) -> Double {
    sqrt(zip(deuteranopeLab(a), deuteranopeLab(b)).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
}

@Suite("Context figure colours")
struct ContextFigureColourTests {
    /// Every method that shares a panel with another: the forgetting and capacity methods, and
    /// bg-selection D's Hebbian comparison.
    static let methods: [ForgettingMethod] = {
        let sp = ContextSelectionParameters()
        return ForgettingMethod.withoutBasalGanglia + ForgettingMethod.selectionMethods(sp) + [.hebbianMD(sp)]
    }()

    @Test func sameDashMeansDistinctColourForADeuteranope() {
        let m = Self.methods
        for i in m.indices {
            for j in m.indices where j > i && m[i].dash == m[j].dash {
                let d = deuteranopeDistance(m[i].color, m[j].color)
                #expect(d >= 20, "\(m[i].label) and \(m[j].label): ΔE \(d) under deuteranopia with the same dash")
            }
        }
    }

    @Test func theSimulationSeesTheKnownConfusions() {
        // The check can fail: orange and vermillion, and bluish green and reddish purple, are
        // the Okabe–Ito pairs a deuteranope confuses most; blue and orange stay far apart.
        #expect(deuteranopeDistance(Palette.orange, Palette.vermillion) < 20)
        #expect(deuteranopeDistance(Palette.bluishGreen, Palette.reddishPurple) < 20)
        #expect(deuteranopeDistance(Palette.blue, Palette.orange) > 50)
        // The Hebbian colour it replaced sat on the basal ganglia's vermillion.
        #expect(deuteranopeDistance(Color(hex: 0x8C7A00), Palette.vermillion) < 20)
    }
}

/// The same rule for the comparison figures of Chapters 1, 3 and 5: two series drawn with the
/// same dash and marker must stay apart for a deuteranope (ΔE ≥ 20). Each case below failed
/// before its figure gave one of the pair a dash or a marker of its own.
@Suite struct SeriesDistinctionTests {
    /// Every pair of `styles` (colour, dash, marker) that only colour tells apart, with its ΔE.
    static func colourOnlyPairs<T>(_ items: [T], _ style: (T) -> (Color, [Double], MarkerShape)) -> [(T, T, Double)] {
        var pairs: [(T, T, Double)] = []
        for i in items.indices {
            for j in items.indices where j > i {
                let (ci, di, mi) = style(items[i]), (cj, dj, mj) = style(items[j])
                if di == dj && mi == mj { pairs.append((items[i], items[j], deuteranopeDistance(ci, cj))) }
            }
        }
        return pairs
    }

    @Test func backpropMethods() {
        let pairs = Self.colourOnlyPairs(CreditRuleKind.allCases) {
            (BackpropFigures.color($0), BackpropFigures.dash($0), BackpropFigures.shape($0))
        }
        for (a, b, d) in pairs { #expect(d >= 20, "\(a) and \(b): ΔE \(d)") }
    }

    @Test func handoffVariants() {
        let pairs = Self.colourOnlyPairs(MotifRules.allCases) {
            (ConsolidationFigures.handoffColor($0), ConsolidationFigures.handoffDash($0), .circle)
        }
        for (a, b, d) in pairs { #expect(d >= 20, "\(a) and \(b): ΔE \(d)") }
    }

    @Test func gatingPolicies() {
        let pairs = Self.colourOnlyPairs(GatePolicy.allCases) {
            (GatingFigures.policyColor($0), GatingFigures.policyDash($0), GatingFigures.policyMarker($0))
        }
        for (a, b, d) in pairs { #expect(d >= 20, "\(a) and \(b): ΔE \(d)") }
    }
}
