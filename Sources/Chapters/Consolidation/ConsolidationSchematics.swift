import Cairo
import Diagram
import Plot

/// Schematics of Chapter 3: the review's Figures 2, 3 and 4 (Box 1).
enum ConsolidationSchematics {
    static let width = 520.0

    // MARK: Figure 2

    /// One structure's internal wiring: cortex recurrent and excitatory, thalamus excitatory
    /// without lateral connections, basal ganglia inhibitory with dopamine-modulated input.
    private static var architectures: Schematic {
        Schematic(
            width: 150, height: 84,
            elements: [
                .region("ctx", .cortex, Rect(x: 2, y: 4, width: 44, height: 60), label: "Cortex"),
                .neuron("c1", .cortex, at: Point(14, 22), size: 6),
                .neuron("c2", .cortex, at: Point(34, 22), size: 6),
                .neuron("c3", .cortex, at: Point(24, 38), size: 6),
                .connection("c1", "c2", bend: 0.3),
                .connection("c2", "c1", bend: 0.3),
                .connection("c2", "c3", bend: 0.25),
                .connection("c3", "c1", bend: 0.25),
                .label("excitatory,\nrecurrent", at: Point(24, 54), font: Style.small, color: Palette.cortex),

                .region("th", .thalamus, Rect(x: 53, y: 4, width: 44, height: 60), label: "Thalamus"),
                .neuron("t1", .thalamus, at: Point(63, 28), size: 6),
                .neuron("t2", .thalamus, at: Point(75, 28), size: 6),
                .neuron("t3", .thalamus, at: Point(87, 28), size: 6),
                .label("excitatory,\nno lateral links", at: Point(75, 54), font: Style.small, color: Palette.thalamus),

                .region("bg", .basalGanglia, Rect(x: 104, y: 4, width: 44, height: 60), label: "Basal ganglia"),
                .neuron("b1", .basalGanglia, at: Point(118, 28), size: 6, kind: .inhibitory),
                .neuron("b2", .basalGanglia, at: Point(134, 28), size: 6, kind: .inhibitory),
                .connection("b1", "b2", .inhibitory, bend: 0.35),
                .label("inhibitory;\nDA-gated input", at: Point(126, 54), font: Style.small, color: Palette.basalGanglia),
                .neuron("da", .dopamine, at: Point(126, 80), size: 5, label: "DA", placement: .left),
                .connection("da", "bg", .modulatory),
            ])
    }

    /// How the three structures connect: cortex and thalamus excite each other and drive the
    /// basal ganglia, whose inhibitory output reaches the thalamus.
    private static var loop: Schematic {
        Schematic(
            width: 100, height: 92,
            elements: [
                .population("ctx", .cortex, center: Point(50, 12), width: 30, height: 11, count: 4, label: "cortex", placement: .above),
                .population("th", .thalamus, center: Point(18, 62), width: 26, height: 10, label: "thalamus", placement: .below),
                .population(
                    "bg", .basalGanglia, center: Point(82, 62), width: 26, height: 10, kind: .inhibitory, label: "basal ganglia",
                    placement: .below),
                .neuron("da", .dopamine, at: Point(96, 34), size: 5, label: "DA", placement: .right),
                .connection("ctx", "th", bend: 0.15),
                .connection("th", "ctx", bend: 0.15),
                .connection("ctx", "bg", id: "cs", plastic: true, bend: 0.15),
                .connection("th", "bg", bend: -0.1),
                .connection("bg", "th", .inhibitory, bend: -0.1),
                .connection("da", .synapse("cs"), .modulatory, label: "δ"),
            ])
    }

    static func figure2() -> Figure {
        let frames = Figure.grid(width: width, height: 230, rows: 1, columns: 2, columnWeights: [1.45, 1])
        return Figure(
            width: width, height: 230,
            panels: [
                Panel("A", frame: frames[0], content: architectures),
                Panel("B", frame: frames[1], content: loop),
            ],
            caption: """
                Three structures, three architectures (after the review's Figure 2). A, cortex is dominated by \
                excitatory neurons with dense recurrent connections; thalamus holds excitatory neurons without \
                lateral connections; the basal ganglia are inhibitory, and the plasticity of their cortical input \
                is gated by dopamine (DA). B, how they connect: cortex and thalamus excite each other, both drive \
                the basal ganglia, and the basal ganglia's inhibitory output reaches the thalamus. The plastic, \
                dopamine-modulated corticostriatal synapse is where reinforcement learning is thought to act.
                """)
    }

    // MARK: Figure 3

    /// The elements both views share: the stimulus reaches cortex and the basal ganglia, and
    /// the basal ganglia teach the cortical (student) synapse onto the action. B adds only the
    /// thalamic context, so the two views differ only in the claim.
    private static func sharedView(action: String) -> [Schematic.Element] {
        [
            .icon(.circle, at: Point(8, 40), size: 7, color: Palette.sensory, id: "s", label: "stimulus s_{t}", placement: .above),
            .population("ctx", .cortex, center: Point(50, 40), width: 26, height: 10, count: 4, label: "cortex", placement: .below),
            .neuron("a", .output, at: Point(98, 40), size: 6, label: action, placement: .above),
            .population(
                "bg", .basalGanglia, center: Point(50, 78), width: 24, height: 9, kind: .inhibitory,
                label: "basal ganglia (teacher)", placement: .below),
            .connection("s", "ctx"),
            .connection("ctx", "a", id: "student", plastic: true, label: "Hebbian", labelSide: .left, labelPosition: 0.3),
            .connection("s", "bg", bend: -0.2),
            .connection("bg", .synapse("student"), .modulatory, label: "teaches", bend: -0.2),
        ]
    }

    /// A stimulus reaches cortex; the basal ganglia teach cortex the mapping a = f(s).
    private static var stimulusAction: Schematic {
        Schematic(width: 106, height: 98, elements: sharedView(action: "a_{t} = f(s_{t})"))
    }

    /// Thalamic activity carries a context computed from the stimulus history; the mapping
    /// consolidated in cortex depends on it: a = f_c(s).
    private static var contextDependent: Schematic {
        Schematic(
            width: 106, height: 98,
            elements: sharedView(action: "a_{t} = f_{c}(s_{t})") + [
                .population("th", .thalamus, center: Point(50, 8), width: 24, height: 9, label: "thalamus: context c", placement: .left),
                .connection("th", "ctx", .modulatory, label: "c = g(s_{≤t})", labelSide: .left),
            ])
    }

    static func figure3() -> Figure {
        let height = 250.0
        let frames = Figure.grid(width: width, height: height - 40, rows: 1, columns: 2)
        let key = Rect(x: 14, y: height - 40, width: width - 24, height: 34)
        // One key under both views: the areas, then the conventions the two panels draw.
        return Figure.schematics(
            width: width, height: height,
            panels: [
                SchematicPanel("A", frame: frames[0], schematic: stimulusAction),
                SchematicPanel("B", frame: frames[1], schematic: contextDependent),
            ],
            keyFrame: key,
            keyAreas: [
                .area(.sensory, "stimulus"), .area(.cortex, "cortex"), .area(.thalamus, "thalamus"),
                .area(.basalGanglia, "basal ganglia"), .area(.output, "action"),
            ],
            keyColumns: 5, keyWidth: 300, keyHeight: 24,
            caption: """
                Two views of cortical learning (after the review's Figure 3). A, Hebbian plasticity in cortex \
                consolidates a stimulus–action map a_{t} = f(s_{t}) that the basal ganglia first learned by \
                reinforcement (this chapter). B, the review's proposal, with the same stimulus, cortex and teacher: \
                the thalamocortical system consolidates a family of maps a_{t} = f_{c}(s_{t}), selected by a context \
                c that is computed from the history of stimuli and carried by thalamic activity (Chapter 4).
                """)
    }

    // MARK: Figure 4 / Box 1

    static func figure4() -> Figure {
        let height = 270.0
        let frames = Figure.grid(width: width, height: height, rows: 1, columns: 1)
        let equations = """
            (4)  o = M x + w ∘ y
            (5)  g = W x;  y_{i} = g_{i} for the teacher's choice i = a*_{t}, else 0
            (6)  a*_{t} ~ softmax(g),  performed j = a*_{s} ~ softmax(o)
            (7)  ΔW_{j} ∝ (r − o_{j}) x
            (8)  ΔM_{i} ∝ w_{i} y_{i} (M_{i} ∘ x)
            (9)  Δw_{i} ∝ − w_{i} y_{i} (M_{i} · x)
            """
        let motif = Schematic(
            width: 150, height: 96,
            elements: [
                .population("x", .sensory, center: Point(14, 16), width: 22, height: 10, label: "input x", placement: .below),
                // Excitatory, as in the model: the teacher's vote w ∘ y adds to the output (Eq. 4).
                .population(
                    "y", .basalGanglia, center: Point(112, 54), width: 22, height: 9, label: "teacher y (basal ganglia)",
                    placement: .below),
                .population("o", .output, center: Point(130, 16), width: 22, height: 10, label: "output o", placement: .above),
                .neuron("da", .dopamine, at: Point(66, 62), size: 5, label: "DA: r − o_{j}", placement: .below),
                .connection("x", "o", id: "M", plastic: true, label: "M (cortex, student): Eq. 8"),
                .connection("x", "y", id: "W", plastic: true, label: "W: Eq. 7", labelSide: .left, bend: 0.12),
                .connection("y", "o", id: "w", plastic: true, label: "w: Eq. 9", labelSide: .right, bend: 0.05),
                .connection("da", .synapse("W"), .modulatory),
                .label(equations, at: Point(2, 72), align: .left, vertical: .top, font: Style.small),
                .legend(at: Point(118, 66), columns: 1),
            ])
        return Figure(
            width: width, height: height,
            panels: [Panel(nil, frame: frames[0], content: motif)],
            caption: """
                The consolidation motif of Box 1 (after the review's Figure 4), with its equations. Output units \
                receive a student pathway from the input through the cortical weights M and a teacher pathway from \
                the basal ganglia through the weights w; the teacher's vote adds to the output (Eq. 4), so it is \
                drawn excitatory here, although basal-ganglia output neurons are inhibitory. The teacher's weights \
                W learn by reinforcement (Eq. 7, a reward-prediction error, with the output o_{j} of the performed \
                action j as the prediction). Where student and teacher act together, M grows (Eq. 8) and w shrinks (Eq. 9), \
                until the student carries the behaviour and the teacher has little say in it.
                """)
    }
}
