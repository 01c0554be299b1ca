import Cairo
import Plot

@testable import Diagram

/// Worked schematics the tests lay out and render (chapters draw their own).
enum DiagramExamples {
    /// A minimal timeline: a cue, an action and a reward, with the credit arrow back to the action.
    static func temporalCredit() -> Schematic {
        Schematic(
            width: 100, height: 42,
            elements: [
                .timeline(
                    "trial", origin: Point(2, 28), length: 86, range: 0...10,
                    events: [
                        .init("cue", at: 1, marker: .icon(.circle), label: "cue", color: BrainArea.sensory.color),
                        .init("a2", at: 5, marker: .box(width: 1), label: "a", color: BrainArea.cortex.color),
                        .init("reward", at: 9, marker: .icon(.drop), label: "reward", color: BrainArea.reward.color),
                    ],
                    credits: [.init(from: "reward", to: "a2", label: "credit")])
            ])
    }

    /// Working-memory gating (the review's Fig. 7): a recurrent PFC population, MD thalamus
    /// amplifying it, basal ganglia inhibiting MD, dopamine shaping the corticostriatal synapse.
    static func workingMemoryGating() -> Schematic {
        Schematic(
            width: 100, height: 82,
            elements: [
                .population("pfc", .cortex, center: Point(48, 16), width: 28, height: 11, count: 4, label: "PFC", placement: .above),
                .loop(on: "pfc", side: .right, label: "J"),
                .population("md", .thalamus, center: Point(26, 54), width: 22, height: 10, label: "MD", placement: .left),
                .population(
                    "bg", .basalGanglia, center: Point(70, 54), width: 22, height: 10, kind: .inhibitory, label: "BG", placement: .below),
                .neuron("da", .dopamine, at: Point(92, 36), size: 6, label: "DA", placement: .below),
                .connection(.point(Point(6, 16)), "pfc", label: "x"),
                .connection("md", "pfc", label: "r_{MD}", bend: -0.2),
                .connection("pfc", "md", bend: -0.2),
                .connection("pfc", "bg", id: "cs", plastic: true),
                .connection("bg", "md", .inhibitory),
                .connection("da", .synapse("cs"), .modulatory, label: "δ"),
                .legend(at: Point(4, 72), columns: 2),
            ])
    }

    /// Both demos side by side, as panels A and B.
    static func demoFigure() -> Figure {
        let frames = Figure.grid(width: 500, height: 210, rows: 1, columns: 2, columnWeights: [1, 1.15])
        return Figure(
            width: 500, height: 210,
            panels: [
                Panel("A", frame: frames[0], content: workingMemoryGating()),
                Panel("B", frame: frames[1], content: temporalCredit()),
            ])
    }
}
