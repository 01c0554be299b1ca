import Cairo
import Diagram
import Plot

/// The review's Figure 7 as a circuit: PFC holds an item through its recurrent loop,
/// MD thalamus multiplies that loop's gain, the basal ganglia inhibit MD, and dopamine
/// trains the corticostriatal synapses that decide when to release MD.
enum GatingSchematics {
    /// The circuit with the gate closed (BG active, MD inhibited, the input is not held) or
    /// open (BG paused, MD disinhibited, the input is held).
    static func circuit(open: Bool) -> Schematic {
        let mdLabel = open ? "MD (r_{MD} high)" : "MD (r_{MD} ≈ 0)"
        let bgLabel = open ? "BG (paused)" : "BG (active)"
        let memory = open ? "PFC: held (attractor)" : "PFC: fades, τ_{eff} ≈ τ"
        return Schematic(
            width: 104, height: 110,
            elements: [
                .region("cortex", .cortex, Rect(x: 10, y: 4, width: 66, height: 34), label: memory),
                .population("pfc", .cortex, center: Point(46, 24), width: 26, height: 10, count: 4),
                .loop(on: "pfc", side: .left, id: "rec", label: "w_{PFC}"),
                .icon(.circle, at: Point(94, 24), size: 7, color: Palette.sensory, id: "cue", label: "input r_{s}"),
                .connection("cue", "pfc"),
                .population(
                    "md", .thalamus, center: Point(18, 70), width: 22, height: 9, label: mdLabel,
                    placement: .below),
                .population(
                    "bg", .basalGanglia, center: Point(70, 70), width: 22, height: 9, kind: .inhibitory,
                    label: bgLabel, placement: .below),
                .neuron("da", .dopamine, at: Point(96, 52), size: 6, label: "DA", placement: .below),
                .connection("md", .synapse("rec"), .modulatory, label: "× (1 + r_{MD})", labelSide: .left, labelPosition: 0.3),
                .connection("pfc", "bg", id: "cs", plastic: true),
                .connection("bg", "md", .inhibitory),
                .connection("da", .synapse("cs"), .modulatory, label: "δ", labelPosition: 0.4),
                .legend(at: Point(0, 92), columns: 2),
            ])
    }
}
