import Foundation
import Testing

@testable import Cairo
@testable import Diagram
@testable import Plot

/// Silent (faded) elements and pathways that form with learning (Chapter 4's Figure 6).
@Suite struct SilentAndFormingTests {
    static func layout(_ s: Schematic) throws -> SchematicLayout {
        var result: SchematicLayout?
        _ = try renderBytes(format: .svg, width: 240, height: 160) {
            result = try s.layout(in: Rect(x: 10, y: 10, width: 220, height: 140), context: $0)
        }
        return try #require(result)
    }

    static let circuit = Schematic(
        width: 100, height: 60,
        elements: [
            .population("on", .cortex, center: Point(25, 15), width: 24, height: 10),
            .population("off", .cortex, center: Point(75, 15), width: 24, height: 10, faded: true),
            .neuron("md", .thalamus, at: Point(50, 50), size: 6, faded: true),
            .connection("on", "md", id: "ct", plastic: true, forming: true),
            .connection("off", "md"),
            .loop(on: "off", side: .top, plastic: true),
        ])

    /// A silent element is pale, and so are the projections and loops it sends; an active one
    /// keeps its area's colour.
    @Test func silentElementsAndTheirProjectionsArePale() throws {
        let l = try Self.layout(Self.circuit)
        let cortex = BrainArea.cortex
        #expect(l.outlines.first { $0.id == "on" }?.color == cortex.color)
        #expect(l.outlines.first { $0.id == "off" }?.color == cortex.fadedColor)
        #expect(l.outlines.first { $0.id == "md" }?.color == BrainArea.thalamus.fadedColor)
        #expect(l.connections[0].color == cortex.color)
        #expect(l.connections[1].color == cortex.fadedColor)
        #expect(l.connections[2].color == cortex.fadedColor)
        // Pale, but still visible on white and distinct from the fill of an active population.
        let pale = cortex.fadedColor
        #expect(pale != cortex.tint && pale.red < 0.95 && pale.green < 0.95 && pale.blue < 0.95)
    }

    /// Only the forming connection carries the flag; its dashes are longer than modulation's.
    @Test func formingPathwaysAreLongDashed() throws {
        let l = try Self.layout(Self.circuit)
        #expect(l.connections.map(\.forming) == [true, false, false])
        #expect(Schematic.formingDash.reduce(0, +) > Schematic.dash.reduce(0, +))
        #expect(Schematic.formingDash[0] > Schematic.dash[0])
        // Drawn in SVG as a dashed stroke with the long pattern.
        let svg = String(
            decoding: try renderBytes(format: .svg, width: 240, height: 160) { c in
                try Self.circuit.draw(in: c, frame: Rect(x: 10, y: 10, width: 220, height: 140))
            }, as: UTF8.self)
        #expect(svg.contains("stroke-dasharray:6,2.5;"))
    }

    /// The automatic key lists the new entries only when the schematic uses them, so every
    /// schematic drawn before they existed keeps its key.
    @Test func automaticKeyListsSilentAndFormingOnlyWhenUsed() throws {
        let used = Self.circuit.usedConventions
        #expect(used.contains(.forming) && used.contains(.silent))
        #expect(used.firstIndex(of: .plastic)! < used.firstIndex(of: .forming)!)
        let plain = Schematic(
            width: 100, height: 60,
            elements: [
                .population("a", .cortex, center: Point(25, 15), width: 24, height: 10),
                .neuron("b", .thalamus, at: Point(50, 50), size: 6),
                .connection("a", "b", plastic: true),
                .connection("b", "a", .modulatory),
            ])
        #expect(plain.usedConventions == [.synapse(.excitatory), .synapse(.modulatory), .plastic, .neuron(.excitatory)])
        #expect(Schematic.Legend.text(for: .forming) == "forms with learning")
        #expect(Schematic.Legend.text(for: .silent) == "silent neuron")
    }
}
