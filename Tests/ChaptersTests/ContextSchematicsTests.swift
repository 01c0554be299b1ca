import Cairo
import Testing

@testable import Chapters
@testable import Diagram
@testable import Plot

/// What the review's Figures 5 and 6 claim, checked on the schematics themselves (their
/// labels' legibility is checked for every schematic by `SchematicLegibilityTests`).
@Suite struct ContextSchematicsTests {
    /// Whether each neuron and population of `s` is drawn silent (pale), by id.
    static func silent(_ s: Schematic) -> [String: Bool] {
        var result: [String: Bool] = [:]
        for element in s.elements {
            switch element.content {
            case .neuron(let n): if let id = n.id { result[id] = n.faded }
            case .population(let p): if let id = p.id { result[id] = p.faded }
            default: continue
            }
        }
        return result
    }

    static func connections(_ s: Schematic) -> [Schematic.Connection] {
        s.elements.compactMap {
            if case .connection(let c) = $0.content { return c }
            return nil
        }
    }

    static func endpointID(_ e: Schematic.Endpoint) -> String? {
        switch e {
        case .element(let id), .side(let id, _, _), .synapse(let id): id
        case .point: nil
        }
    }

    /// Figure 6, one panel per context: the context's subnetwork and MD neuron are active, the
    /// other context's are silent, and the basal-ganglia neuron over the selected MD neuron is
    /// the one that pauses (selection by disinhibition).
    @Test(arguments: [1, 2])
    func onlyTheCurrentContextsSubnetworkIsAmplified(context: Int) throws {
        let s = ContextSchematics.amplification(context: context)
        let silent = Self.silent(s)
        let other = 3 - context
        #expect(silent["sub\(context)"] == false && silent["sub\(other)"] == true)
        #expect(silent["md\(context)"] == false && silent["md\(other)"] == true)
        #expect(silent["b\(context)"] == true && silent["b\(other)"] == false, "the selecting BG neuron pauses")
        let connections = Self.connections(s)
        // Each MD neuron acts on its own subnetwork's recurrent loop, nothing else.
        for k in [1, 2] {
            let amplifying = connections.filter { Self.endpointID($0.from) == "md\(k)" && $0.kind == .modulatory }
            #expect(amplifying.map { Self.endpointID($0.to) } == ["j\(k)"])
        }
        // The BG neurons inhibit MD, one to one.
        for k in [1, 2] {
            let gate = connections.filter { Self.endpointID($0.from) == "b\(k)" }
            #expect(gate.count == 1 && gate[0].kind == .inhibitory && Self.endpointID(gate[0].to) == "md\(k)")
        }
        // One corticothalamic pathway is forming: plastic, from the active subnetwork to its MD neuron.
        let forming = connections.filter(\.forming)
        #expect(forming.count == 1)
        let ct = try #require(forming.first)
        #expect(ct.plastic && ct.kind == .excitatory)
        #expect(Self.endpointID(ct.from) == "sub\(context)" && Self.endpointID(ct.to) == "md\(context)")
        // Both subnetworks keep plastic recurrent synapses: the silent one is kept, not removed.
        let loops = s.elements.compactMap { e -> Schematic.SelfLoop? in
            if case .loop(let l) = e.content { return l }
            return nil
        }
        #expect(Set(loops.filter(\.plastic).map(\.on)) == ["sub1", "sub2"])
    }

    /// The recurrent synapses a panel shows as changed by learning: the plastic loops of the
    /// subnetworks that are active (not drawn silent).
    static func changing(_ s: Schematic) -> Set<String> {
        let silent = Self.silent(s)
        return Set(
            s.elements.compactMap { e -> String? in
                guard case .loop(let l) = e.content, l.plastic, silent[l.on] == false else { return nil }
                return l.id
            })
    }

    /// The MD neurons a panel shows on, by number (md1, md2, …).
    static func mdOn(_ s: Schematic, count: Int) -> [Int] { (1...count).filter { Self.silent(s)["md\($0)"] == false } }

    /// The figure's two subnetworks: one MD neuron on per context, and no recurrent synapse
    /// changes in both contexts (what one learns cannot disturb the other).
    @Test func inTheFigureNoSynapseChangesInBothContexts() {
        let panels = [1, 2].map { ContextSchematics.amplification(context: $0) }
        #expect(panels.map { Self.mdOn($0, count: 2) } == [[1], [2]])
        #expect(Self.changing(panels[0]) == ["j1"] && Self.changing(panels[1]) == ["j2"])
    }

    /// Exercise 14 (the edit the solution shows, made through `amplification`'s `subnetworks`):
    /// three subnetworks, the middle one serving both contexts (the review's chess and Go). Two
    /// MD neurons are on per context (1 and 2, then 2 and 3), the shared subnetwork is active in
    /// both panels and its recurrent synapses J_2 are the only ones changed in both; its MD
    /// neuron's BG neuron pauses in both. The two panels, at the figure's size, stay legible.
    @Test func aSharedSubnetworkIsAmplifiedInBothContexts() throws {
        let shared: [Set<Int>] = [[1], [1, 2], [2]]
        let panels = [1, 2].map { ContextSchematics.amplification(context: $0, subnetworks: shared) }
        #expect(panels.map { Self.mdOn($0, count: 3) } == [[1, 2], [2, 3]])
        #expect(panels.map { Self.mdOn($0, count: 3).count } == [2, 2], "two MD neurons on per context")
        for s in panels {
            let silent = Self.silent(s)
            #expect(silent["sub2"] == false && silent["b2"] == true, "the shared subnetwork is active, its BG neuron paused")
            // Each MD neuron that is on still amplifies its own subnetwork's loop only.
            for k in Self.mdOn(s, count: 3) {
                let amplifying = Self.connections(s).filter { Self.endpointID($0.from) == "md\(k)" && $0.kind == .modulatory }
                #expect(amplifying.map { Self.endpointID($0.to) } == ["j\(k)"])
            }
        }
        #expect(Self.changing(panels[0]) == ["j1", "j2"] && Self.changing(panels[1]) == ["j2", "j3"])
        #expect(Self.changing(panels[0]).intersection(Self.changing(panels[1])) == ["j2"], "changed in both contexts")
        // Legible at the figure's panel size.
        let frames = Figure.grid(width: ContextSchematics.width, height: 316, rows: 1, columns: 2)
        _ = try renderBytes(format: .svg, width: ContextSchematics.width, height: 360) { context in
            for (s, frame) in zip(panels, frames) {
                let collisions = try s.layout(in: frame, context: context).labelCollisions
                #expect(collisions.texts == 0 && collisions.lines == 0)
            }
        }
    }

    /// Figure 5: both loops are the Box 1 motif, with the basal ganglia as the teacher. Each has a
    /// plastic student pathway from input to output, a plastic teacher input that dopamine
    /// modulates, and a route from the teacher to the output side.
    @Test func bothLoopsAreTheBox1Motif() throws {
        let figure = ContextSchematics.figure5()
        let loops = figure.panels.compactMap { $0.content as? Schematic }.filter { s in
            s.elements.contains { if case .population(let p) = $0.content { return p.id == "bg" } else { return false } }
        }
        #expect(loops.count == 2)
        let students: [(String, String)] = [("ctx", "th"), ("s", "a")]
        for (schematic, (input, output)) in zip(loops, students) {
            let c = Self.connections(schematic)
            let student = c.filter { Self.endpointID($0.from) == input && Self.endpointID($0.to) == output }
            #expect(student.count == 1 && student[0].plastic, "student \(input) → \(output)")
            let teacherInput = try #require(c.first { Self.endpointID($0.from) == input && Self.endpointID($0.to) == "bg" })
            #expect(teacherInput.plastic)
            #expect(c.contains { Self.endpointID($0.from) == "da" && $0.to == .synapse(teacherInput.id ?? "") })
            #expect(c.contains { Self.endpointID($0.from) == "bg" && $0.kind == .inhibitory && $0.plastic }, "teacher weight w")
        }
    }

    /// Every symbol a panel draws is explained in the figure's key (an unlettered panel).
    @Test func eachKeyExplainsEverySymbolItsPanelsUse() throws {
        for figure in [ContextSchematics.figure5(), ContextSchematics.figure6()] {
            let schematics = figure.panels.compactMap { $0.content as? Schematic }
            var keyEntries: [Schematic.LegendEntry] = []
            var used: [Schematic.LegendEntry] = []
            for (panel, s) in zip(figure.panels, schematics) {
                if panel.letter == nil {
                    for e in s.elements {
                        if case .legend(let l) = e.content { keyEntries += l.entries ?? [] }
                    }
                } else {
                    used += s.usedConventions
                }
            }
            #expect(!keyEntries.isEmpty)
            for entry in used { #expect(keyEntries.contains(entry), "\(entry) is drawn but not in the key") }
        }
    }
}
