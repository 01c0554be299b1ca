import Foundation
import Testing

@testable import Cairo
@testable import Diagram
@testable import Plot

/// A multi-panel schematic figure draws one key, under all its panels (issue 12: legends printed twice).
@Suite struct SharedKeyTests {
    /// Panel A: excitatory and plastic synapses between excitatory populations, with a key of its own.
    static let a = Schematic(
        width: 100, height: 60,
        elements: [
            .population("x", .cortex, center: Point(20, 20), width: 20, height: 10),
            .population("y", .thalamus, center: Point(80, 20), width: 20, height: 10),
            .connection("x", "y", plastic: true),
            .legend(at: Point(0, 45), columns: 2),
        ])
    /// Panel B: an inhibitory population, an inhibitory and a modulatory synapse, a silent neuron.
    static let b = Schematic(
        width: 100, height: 60,
        elements: [
            .population("bg", .basalGanglia, center: Point(20, 20), width: 20, height: 10, kind: .inhibitory),
            .neuron("md", .thalamus, at: Point(80, 20), size: 6, faded: true),
            .neuron("da", .dopamine, at: Point(50, 50), size: 6),
            .connection("bg", "md", .inhibitory, id: "i"),
            .connection("da", .synapse("i"), .modulatory),
            .legend(at: Point(0, 45), columns: 2),
        ])

    static func keys(_ s: Schematic) -> [[Schematic.LegendEntry]] {
        s.elements.compactMap {
            if case .legend(let l) = $0.content { return l.entries ?? s.usedConventions }
            return nil
        }
    }

    @Test func aTwoPanelSchematicHasExactlyOneKeyListingTheUnionOfItsSymbols() throws {
        let figure = Figure.schematics(
            width: 400, height: 200,
            panels: [
                SchematicPanel("A", frame: Rect(x: 10, y: 10, width: 180, height: 140), schematic: Self.a),
                SchematicPanel("B", frame: Rect(x: 210, y: 10, width: 180, height: 140), schematic: Self.b),
            ],
            keyFrame: Rect(x: 10, y: 160, width: 380, height: 30))
        let schematics = figure.panels.compactMap { $0.content as? Schematic }
        #expect(schematics.count == 3)
        let keys = schematics.flatMap(Self.keys)
        try #require(keys.count == 1, "one key per figure, not one per panel")
        #expect(figure.panels.filter { $0.letter != nil }.allSatisfy { ($0.content as? Schematic)?.hasKey == false })
        #expect(figure.panels.last?.letter == nil)
        // The union, each symbol once, in the fixed order of an automatic legend.
        #expect(
            keys[0] == [
                .synapse(.excitatory), .synapse(.inhibitory), .synapse(.modulatory), .plastic, .neuron(.excitatory),
                .neuron(.inhibitory), .silent,
            ])
        for s in [Self.a, Self.b] {
            for entry in s.usedConventions { #expect(keys[0].contains(entry)) }
        }
        // It renders.
        _ = try renderBytes(format: .png, width: 400, height: 200) { try figure.draw(in: $0, pageHeight: 200) }
    }

    /// Areas come first; a panel's explicit key entries survive into the shared key; no duplicates.
    @Test func keyEntriesPutAreasFirstAndKeepExplicitEntries() {
        let explicit = Schematic(
            width: 50, height: 50,
            elements: [
                .neuron("n", .cortex, at: Point(10, 10), size: 6),
                .legend(at: Point(0, 30), entries: [.credit, .neuron(.excitatory)]),
            ])
        let entries = Schematic.keyEntries(for: [explicit, explicit], areas: [.area(.cortex, "cortex")])
        #expect(entries == [.area(.cortex, "cortex"), .neuron(.excitatory), .credit])
    }

    /// A single-panel schematic keeps its own key untouched.
    @Test func withoutKeyRemovesOnlyTheKey() {
        #expect(Self.a.hasKey)
        let bare = Self.a.withoutKey(height: 44)
        #expect(!bare.hasKey)
        #expect(bare.elements.count == Self.a.elements.count - 1)
        #expect(bare.height == 44)
    }
}
