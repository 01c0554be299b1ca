import Cairo
import Diagram
import Plot

/// The review's Figure 7 as a circuit: PFC holds an item through its recurrent loop,
/// MD thalamus multiplies that loop's gain, the basal ganglia inhibit MD, and dopamine
/// trains the corticostriatal synapses that decide when to release MD.
enum GatingSchematics {
    /// The circuit with the gate closed (BG active, MD inhibited, the input is not held) or
    /// open (BG paused, MD disinhibited, the input is held). The silent side is drawn faded:
    /// MD and its projection when the gate is closed, the BG and their inhibition when it is
    /// open. `legend` adds the key of arrows and symbols; Figure 7 draws its panels without it
    /// and one key under both (`Figure.schematics`).
    static func circuit(open: Bool, legend: Bool = true) -> Schematic {
        let mdLabel = open ? "MD (r_{MD} high)" : "MD (r_{MD} ≈ 0)"
        let bgLabel = open ? "BG (paused)" : "BG (active)"
        let memory = open ? "PFC: held (attractor)" : "PFC: fades, τ_{eff} ≈ τ"
        let faded = { (c: Color) in c.lightened(0.58) }
        var elements: [Schematic.Element] = [
            .region("cortex", .cortex, Rect(x: 10, y: 4, width: 66, height: 34), label: memory),
            .population("pfc", .cortex, center: Point(46, 24), width: 26, height: 10, count: 4),
            .loop(on: "pfc", side: .left, id: "rec", label: "w_{PFC}"),
            .icon(.circle, at: Point(94, 24), size: 7, color: Palette.sensory, id: "cue", label: "input r_{s}"),
            .connection("cue", "pfc"),
            .population(
                "md", .thalamus, center: Point(34, 70), width: 22, height: 9, label: mdLabel, placement: .below, faded: !open),
            .population(
                "bg", .basalGanglia, center: Point(76, 70), width: 22, height: 9, kind: .inhibitory,
                label: bgLabel, placement: .below, faded: open),
            .neuron("da", .dopamine, at: Point(98, 50), size: 6, label: "DA", placement: .below),
            // MD's gain acts on the loop; the arrow ends on the population, clear of the loop's own arrowhead.
            .connection(
                "md", "pfc", .modulatory, label: "× (1 + r_{MD})", labelSide: .left, labelPosition: 0.45,
                color: open ? nil : faded(Palette.thalamus)),
            .connection("pfc", "bg", id: "cs", plastic: true),
            .connection("bg", "md", .inhibitory, color: open ? faded(Palette.basalGanglia) : nil),
            .connection("da", .synapse("cs"), .modulatory, label: "δ", labelPosition: 0.4),
        ]
        if legend { elements.append(.legend(at: Point(0, 92), columns: 2)) }
        return Schematic(width: 104, height: legend ? 110 : 90, elements: elements)
    }
}
