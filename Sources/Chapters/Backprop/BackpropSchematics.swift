import Cairo
import Diagram
import Plot

/// Schematics of Chapter 1: the review's Figure 1 and the weight-transport problem.
enum BackpropSchematics {
    static let width = 520.0

    /// The review's Figure 1: structural, contextual and temporal credit assignment.
    static func creditTypes() -> Figure {
        let frames = Figure.grid(width: width, height: 200, rows: 1, columns: 3, columnWeights: [1, 1, 1.3])
        return Figure(
            width: width, height: 200,
            panels: [
                Panel("A", frame: frames[0], content: CreditSchematics.structural),
                Panel("B", frame: frames[1], content: CreditSchematics.contextual),
                Panel("C", frame: frames[2], content: CreditSchematics.temporal),
            ],
            caption: """
                Three kinds of credit assignment (after the review's Figure 1). A, structural: of several cues \
                reaching a network, only one drove the rewarded action; it, and the synapses that carried it, \
                should be credited, not the distractors (grey). B, contextual: the same cue calls for different \
                actions in different contexts, so credit belongs to the cue–action pair in its context. C, \
                temporal: the reward arrives long after the event that earned it.
                """)
    }

    /// A two-layer network with its forward path and two feedback paths for the output error:
    /// backprop reuses W₂ᵀ (weight transport); feedback alignment uses a fixed random B.
    static func weightTransport() -> Figure {
        // The two networks side by side, their key once below them.
        let height = 230.0
        let keyHeight = 30.0
        let frames = Figure.grid(width: width, height: height - keyHeight, rows: 1, columns: 2)
        let keyFrame = Rect(x: 14, y: height - keyHeight - 2, width: width - 24, height: keyHeight)
        return Figure.schematics(
            width: width, height: height,
            panels: [
                SchematicPanel("A", frame: frames[0], schematic: network(feedback: "W_{2}^{T}", transported: true)),
                SchematicPanel("B", frame: frames[1], schematic: network(feedback: "B", transported: false)),
            ],
            keyFrame: keyFrame,
            caption: """
                The weight-transport problem. A, backpropagation (Eq. 1) sends the output error e back to the \
                hidden layer through W₂ᵀ, the transpose of the forward weights: the feedback synapses would have \
                to mirror the forward synapses exactly, and keep mirroring them as they learn. B, feedback \
                alignment (Lillicrap et al. 2016) sends the error back through a fixed random matrix B instead; \
                only the forward weights W₁ and W₂ are plastic.
                """)
    }

    /// Input x → hidden h → output y, the error e = y − t, and e's route back to h.
    private static func network(feedback: String, transported: Bool) -> Schematic {
        let errorArea = BrainArea.generic(Palette.vermillion, name: "error")
        let feedbackColor = transported ? Palette.vermillion : Palette.blue
        var elements: [Schematic.Element] = [
            .population("x", .sensory, center: Point(12, 78), width: 20, height: 10, label: "input x", placement: .below),
            .population("h", .cortex, center: Point(12, 46), width: 20, height: 10, label: "hidden h", placement: .left),
            .population("y", .output, center: Point(12, 14), width: 20, height: 10, label: "output y", placement: .above),
            .population(
                "e", errorArea, center: Point(62, 14), width: 20, height: 10, count: 2, label: "error e = y − t", placement: .above),
            .connection("x", "h", id: "w1", plastic: true, label: "W_{1}"),
            .connection("h", "y", id: "w2", plastic: true, label: "W_{2}"),
            .connection("y", "e"),
            .connection(
                .side("e", .bottom), .synapse("w1"), .modulatory, label: "\(feedback) e", labelSide: .right,
                labelPosition: 0.45, bend: 0.2, color: feedbackColor),
        ]
        if transported {
            elements.append(
                .label("W_{2}^{T} copies W_{2}:\nweight transport", at: Point(56, 80), font: Style.small, color: Palette.vermillion))
        } else {
            elements.append(.label("B fixed, random", at: Point(56, 80), font: Style.small, color: Palette.blue))
        }
        return Schematic(width: 84, height: 94, elements: elements)
    }
}
