import Cairo
import Diagram
import Plot

extension TDFigures {
    /// The circuit that computes δ. The temporal credit problem itself (the review's Figure 1C)
    /// is drawn once, in Chapter 1's `fig1-credit-types` (panel C), and not repeated here.
    static func temporalCredit() -> Figure {
        let frames = Figure.grid(width: width, height: 230, rows: 1, columns: 1)
        return Figure(
            width: width, height: 230,
            panels: [Panel(nil, frame: frames[0], content: rpeCircuit)],
            caption: """
                The circuit of the TD account of temporal credit assignment (the problem itself, a reward that \
                arrives long after the event that earned it, is Figure 1C, drawn in Chapter 1): cortex describes \
                the state s_t, the plastic corticostriatal weights w turn it into a value V(s_t) in striatum, and \
                midbrain dopamine neurons compare successive values with the reward r_t; their output, the \
                prediction error δ_t of Eq. 3, gates the plasticity of w. The striatal projection to the dopamine \
                neurons is inhibitory (GABAergic, bar ending), which supplies the −V(s_t) term; the sketch leaves \
                out the indirect route by which the +γV(s_{t+1}) term could arrive.
                """)
    }

    /// Cortex → striatum (plastic w) → dopamine, with reward input and δ acting back on w.
    private static var rpeCircuit: Schematic {
        Schematic(
            width: 100, height: 110,
            elements: [
                .region("cortex", .cortex, Rect(x: 2, y: 4, width: 38, height: 38)),
                .region("striatum", .basalGanglia, Rect(x: 58, y: 4, width: 40, height: 38), label: "Striatum"),
                .region("vta", .dopamine, Rect(x: 58, y: 56, width: 40, height: 32), placement: .insideBottom),
                .population("state", .cortex, center: Point(21, 30), width: 24, height: 11, label: "state s_t", placement: .above),
                .population(
                    "value", .basalGanglia, center: Point(78, 30), width: 24, height: 11, kind: .inhibitory,
                    label: "value V(s_t)", placement: .above),
                .population("da", .dopamine, center: Point(78, 69), width: 22, height: 10, count: 3),
                .icon(.drop, at: Point(21, 68), size: 8, color: Palette.reward, id: "reward", label: "reward r_t"),
                .connection("state", "value", id: "w", plastic: true, label: "w"),
                .connection("value", "da", .inhibitory, label: "V"),
                .connection("reward", "da"),
                .connection(.side("da", .top, offset: -0.3), .synapse("w"), .modulatory, label: "δ", labelPosition: 0.6, bend: 0.3),
                .legend(at: Point(2, 95), columns: 2),
            ])
    }
}
