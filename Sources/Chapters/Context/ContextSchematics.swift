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
    ///
    /// `subnetworks` lists, from left to right, the contexts each cortical subnetwork serves;
    /// each has its own MD neuron and BG neuron below it. The figure's is `[[1], [2]]`;
    /// `[[1], [1, 2], [2]]` adds a middle subnetwork that both contexts share (the review's chess
    /// and Go, Exercise 14): its MD neuron is then on, and its synapses change, in both panels.
    static func amplification(context: Int, subnetworks: [Set<Int>] = [[1], [2]]) -> Schematic {
        // The figure's two subnetworks sit 52 units apart; three or more get 66, and the cortex
        // 12 units of headroom, for their two-line labels. The regions, the cue and DA widen
        // and shift with them.
        let many = subnetworks.count > 2
        let step = many ? 66.0 : 52
        let headroom = many ? 12.0 : 0
        let extra = step * Double(subnetworks.count - 1) - 52
        let center = 71 + extra / 2
        let xs = subnetworks.indices.map { 46 + step * Double($0) }
        let active = subnetworks.map { $0.contains(context) }
        // Each subnetwork's recurrent loop sits on its right and re-enters at its lower foot,
        // where the MD neuron below acts on it; the corticothalamic pathway comes in from the left.
        // With several MD neurons on, only the rightmost one's amplification is labelled: a label
        // further left would lie across the next subnetwork's corticothalamic pathway.
        let lastOn = subnetworks.indices.last { active[$0] }.map { $0 + 1 }
        func md(_ k: Int, at x: Double, on: Bool) -> [Schematic.Element] {
            [
                .neuron("md\(k)", .thalamus, at: Point(x + 8, 92), size: 7, label: on ? "on" : "off", placement: .right, faded: !on),
                .connection(
                    .element("md\(k)"), .synapse("j\(k)"), .modulatory, label: on && k == lastOn ? "amplifies" : nil,
                    labelSide: .right, labelPosition: 0.4),
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
        func label(_ k: Int) -> String {
            if subnetworks[k - 1].count > 1 { return "subnetwork \(k):\nshared" }
            return active[k - 1] ? "subnetwork \(k)" : "subnetwork \(k):\nsilent, kept"
        }
        let numbers = Array(1...subnetworks.count)
        var elements: [Schematic.Element] = [
            .label("context \(context)", at: Point(center, 1 - headroom), font: Font(size: Style.label.size, bold: true)),
            .region("cortex", .cortex, Rect(x: 12, y: 8 - headroom, width: 118 + extra, height: 48 + headroom), label: "Cortex (PFC)"),
        ]
        elements += numbers.map { k in
            .population(
                "sub\(k)", .cortex, center: Point(xs[k - 1], 40), width: 28, height: 11, count: 4, label: label(k), placement: .above,
                faded: !active[k - 1])
        }
        elements += numbers.map { k in .loop(on: "sub\(k)", side: .right, id: "j\(k)", plastic: true, label: "J_{\(k)}") }
        elements += [
            .region("md", .thalamus, Rect(x: 12, y: 82, width: 118 + extra, height: 20), label: "MD", placement: .left),
            .region("bg", .basalGanglia, Rect(x: 12, y: 112, width: 118 + extra, height: 20), label: "BG", placement: .left),
        ]
        elements += numbers.flatMap { md($0, at: xs[$0 - 1], on: active[$0 - 1]) }
        elements += numbers.flatMap { bg($0, at: xs[$0 - 1], paused: active[$0 - 1]) }
        // One forming corticothalamic pathway per active subnetwork, to its own MD neuron. The
        // first is labelled; with three or more subnetworks only if it is the leftmost, since
        // the label sits left of the pathway, on the line of a silent neighbour's MD neuron (the
        // key explains the long dashes).
        let selected = numbers.filter { active[$0 - 1] }
        elements += selected.map { k in
            let first = k == selected.first
            return .connection(
                .side("sub\(k)", .bottom, offset: -0.25), .element("md\(k)"), id: first ? "ct" : "ct\(k)", plastic: true,
                label: first && (!many || k == 1) ? "learns the\nselection" : nil, labelSide: .right, labelPosition: 0.42,
                bend: -0.5, forming: true)
        }
        elements += [
            .icon(
                .square, at: Point(center, 152), size: 6, color: BrainArea.sensory.color, id: "cue", label: "context cue", placement: .left),
            .connection("cue", "bg", id: "sel", plastic: true),
            .neuron("da", .dopamine, at: Point(center + 37, 150), size: 6, label: "DA", placement: .right),
            .connection("da", .synapse("sel"), .modulatory, label: "δ"),
        ]
        return Schematic(width: 136 + extra, height: 158, elements: elements)
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
