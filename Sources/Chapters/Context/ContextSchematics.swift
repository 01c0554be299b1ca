import Cairo
import Diagram
import Plot

/// Schematics of Chapter 4: the review's Figure 5 (the consolidation motif of Box 1 on two
/// timescales) and Figure 6 (the basal ganglia select thalamic neurons that amplify one
/// cortical subnetwork per context, which protects the others).
enum ContextSchematics {
    static let width = 520.0

    // MARK: Figure 5

    /// The fast loop: Box 1 with cortex as the input, thalamic (matrix) neurons as the outputs
    /// and corticothalamic synapses as the student. What it consolidates is a higher-order
    /// association: which thalamic control function to switch on in which context.
    private static var fastLoop: Schematic {
        Schematic(
            width: 130, height: 110,
            elements: [
                .label("fast loop: a control function per context", at: Point(65, 5), font: Style.label),
                .population(
                    "ctx", .cortex, center: Point(24, 40), width: 28, height: 11, count: 4, label: "cortex (context)", placement: .above),
                .population(
                    "th", .thalamus, center: Point(106, 40), width: 28, height: 11, count: 3, label: "matrix thalamus", placement: .above),
                .population(
                    "bg", .basalGanglia, center: Point(64, 90), width: 28, height: 10, kind: .inhibitory,
                    label: "basal ganglia (teacher)", placement: .below),
                .neuron("da", .dopamine, at: Point(18, 86), size: 6, label: "DA", placement: .left),
                .connection("ctx", "th", id: "ct", plastic: true, label: "corticothalamic", labelSide: .right),
                .connection("ctx", "bg", id: "cs", plastic: true, bend: 0.15),
                .connection("bg", "th", .inhibitory, plastic: true, label: "selects k", bend: 0.2),
                .connection("th", "bg", label: "to striatum", bend: 0.2),
                .connection("da", .synapse("cs"), .modulatory, label: "δ"),
            ])
    }

    /// The slow loop: Box 1 with the stimulus as the input, cortical output neurons as the
    /// outputs and cortical synapses as the student. What it consolidates is one
    /// sensorimotor map shared by the contexts. That the teacher reaches cortex through core
    /// thalamus is our reading of the review's anatomical paragraph.
    private static var slowLoop: Schematic {
        Schematic(
            width: 130, height: 110,
            elements: [
                .label("slow loop: one map shared by contexts", at: Point(65, 5), font: Style.label),
                .neuron(
                    "k", .thalamus, at: Point(56, 16), size: 6, label: "control function k\n(fast loop, A)", placement: .left),
                .population("s", .sensory, center: Point(22, 40), width: 28, height: 11, count: 3, label: "stimulus s", placement: .above),
                .population(
                    "a", .cortex, center: Point(104, 40), width: 28, height: 11, count: 4, label: "cortex (action a)", placement: .above),
                .population("core", .thalamus, center: Point(104, 90), width: 26, height: 10, label: "core thalamus", placement: .below),
                .population(
                    "bg", .basalGanglia, center: Point(56, 90), width: 28, height: 10, kind: .inhibitory,
                    label: "basal ganglia (teacher)", placement: .below),
                .neuron("da", .dopamine, at: Point(18, 86), size: 6, label: "DA", placement: .left),
                .connection("s", "a", id: "m", plastic: true, label: "cortical", labelSide: .right, labelPosition: 0.4),
                .connection("k", .synapse("m"), .modulatory),
                .connection("s", "bg", id: "cs", plastic: true, bend: 0.15),
                .connection("bg", "core", .inhibitory, plastic: true),
                .connection("core", "a", label: "drives", labelSide: .right),
                .connection("a", "bg", label: "to striatum", labelSide: .left, labelPosition: 0.6),
                .connection("da", .synapse("cs"), .modulatory, label: "δ"),
            ])
    }

    static func figure5() -> Figure {
        let height = 290.0
        let frames = Figure.grid(width: width, height: height - 44, rows: 1, columns: 2)
        let keyFrame = Rect(x: 14, y: height - 44, width: width - 24, height: 40)
        return Figure.schematics(
            width: width, height: height,
            panels: [
                SchematicPanel("A", frame: frames[0], schematic: fastLoop),
                SchematicPanel("B", frame: frames[1], schematic: slowLoop),
            ],
            keyFrame: keyFrame, keyColumns: 3, keyWidth: 200, keyHeight: 24,
            caption: """
                Two timescales of consolidation (after the review's Figure 5). The motif of Box 1 (Chapter 3) runs \
                twice, with the basal ganglia as the teacher of both. A, the fast loop: the student is the \
                corticothalamic pathway, and what it learns is which thalamic control function to switch on in \
                which context; the review assigns this loop to matrix thalamus, which also projects to the \
                striatum. B, the slow loop: the student is the set of cortical synapses from stimulus to action, \
                and what it learns, over many contexts, is one shared sensorimotor map, which the control function \
                chosen in A bends to the current context; the review assigns this loop to core thalamus, and the \
                striatum hears about it from cortex. Diamonds mark the plastic \
                synapses (Eqs. 7–9); dopamine (δ) trains the teacher's input.
                """)
    }

    // MARK: Figure 6

    /// One context's circuit: the basal ganglia pause over the MD neuron of the current
    /// context (disinhibiting it) and keep inhibiting the other; the released MD neuron
    /// amplifies its cortical subnetwork's recurrent connectivity, which is then the only
    /// one active and updated. The other subnetwork is silent and its synapses are kept.
    /// Corticothalamic synapses learn to make the same selection (long dashes).
    static func amplification(context: Int) -> Schematic {
        let one = context == 1
        let x1 = 46.0
        let x2 = 98.0
        // Each subnetwork's recurrent loop sits on its right and re-enters at its lower foot,
        // where the MD neuron below acts on it; the corticothalamic pathway comes in from the left.
        func md(_ k: Int, at x: Double, on: Bool) -> [Schematic.Element] {
            [
                .neuron("md\(k)", .thalamus, at: Point(x + 8, 92), size: 7, label: on ? "on" : "off", placement: .right, faded: !on),
                .connection(
                    .element("md\(k)"), .synapse("j\(k)"), .modulatory, label: on ? "amplifies" : nil, labelSide: .right,
                    labelPosition: 0.4),
            ]
        }
        func bg(_ k: Int, at x: Double, paused: Bool) -> [Schematic.Element] {
            [
                .neuron(
                    "b\(k)", .basalGanglia, at: Point(x + 8, 122), size: 6, kind: .inhibitory, label: paused ? "paused" : "active",
                    placement: .right, faded: paused),
                .connection(.element("b\(k)"), .element("md\(k)"), .inhibitory),
            ]
        }
        let active = one ? "sub1" : "sub2"
        let selected = one ? "md1" : "md2"
        var elements: [Schematic.Element] = [
            .label("context \(context)", at: Point(71, 1), font: Font(size: Style.label.size, bold: true)),
            .region("cortex", .cortex, Rect(x: 12, y: 8, width: 118, height: 48), label: "Cortex (PFC)"),
            .population(
                "sub1", .cortex, center: Point(x1, 40), width: 28, height: 11, count: 4,
                label: one ? "subnetwork 1" : "subnetwork 1:\nsilent, kept", placement: .above, faded: !one),
            .population(
                "sub2", .cortex, center: Point(x2, 40), width: 28, height: 11, count: 4,
                label: one ? "subnetwork 2:\nsilent, kept" : "subnetwork 2", placement: .above, faded: one),
            .loop(on: "sub1", side: .right, id: "j1", plastic: true, label: "J_{1}"),
            .loop(on: "sub2", side: .right, id: "j2", plastic: true, label: "J_{2}"),
            .region("md", .thalamus, Rect(x: 12, y: 82, width: 118, height: 20), label: "MD", placement: .left),
            .region("bg", .basalGanglia, Rect(x: 12, y: 112, width: 118, height: 20), label: "BG", placement: .left),
        ]
        elements += md(1, at: x1, on: one) + md(2, at: x2, on: !one)
        elements += bg(1, at: x1, paused: one) + bg(2, at: x2, paused: !one)
        elements += [
            .connection(
                .side(active, .bottom, offset: -0.25), .element(selected), id: "ct", plastic: true,
                label: "learns the\nselection", labelSide: .right, labelPosition: 0.42, bend: -0.5, forming: true),
            .icon(.square, at: Point(71, 152), size: 6, color: BrainArea.sensory.color, id: "cue", label: "context cue", placement: .left),
            .connection("cue", "bg", id: "sel", plastic: true),
            .neuron("da", .dopamine, at: Point(108, 150), size: 6, label: "DA", placement: .right),
            .connection("da", .synapse("sel"), .modulatory, label: "δ"),
        ]
        return Schematic(width: 136, height: 158, elements: elements)
    }

    static func figure6() -> Figure {
        let height = 360.0
        let frames = Figure.grid(width: width, height: height - 44, rows: 1, columns: 2)
        let keyFrame = Rect(x: 14, y: height - 44, width: width - 24, height: 40)
        return Figure.schematics(
            width: width, height: height,
            panels: [
                SchematicPanel("A", frame: frames[0], schematic: amplification(context: 1)),
                SchematicPanel("B", frame: frames[1], schematic: amplification(context: 2)),
            ],
            keyFrame: keyFrame, keyColumns: 3, keyWidth: 200, keyHeight: 24,
            caption: """
                Contextual amplification (after the review's Figure 6). A, in context 1 the basal ganglia (BG) \
                pause over one mediodorsal thalamic (MD) neuron and keep inhibiting the other; the released MD \
                neuron amplifies the recurrent connectivity J_{1} of its cortical subnetwork, which alone is \
                active and so alone is changed by learning. Subnetwork 2 stays silent, and the synapses it needs \
                for context 2 are kept. B, when context 2 comes, the BG select the other MD neuron and the roles \
                swap. The BG learn the selection from reward (δ, on their input from the context cue); the \
                corticothalamic synapses (long dashes) learn to make the same selection, so that with practice \
                switching depends less on the BG. Pale symbols: silent neurons.
                """)
    }
}

extension FigureInfo {
    static let figure5 = FigureInfo(
        "fig5-two-timescales",
        "schematic: the Box 1 motif twice, fast on corticothalamic and slow on cortical synapses, the basal ganglia teaching both",
        schematic: ContextSchematics.figure5)
    static let figure6 = FigureInfo(
        "fig6-contextual-amplification",
        "schematic: the basal ganglia select MD neurons that amplify one cortical subnetwork; the other is silent and kept",
        schematic: ContextSchematics.figure6)
}
