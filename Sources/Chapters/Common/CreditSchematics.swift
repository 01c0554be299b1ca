import Cairo
import Diagram
import Plot

/// The three kinds of credit assignment of the review's Figure 1, as schematics that
/// several chapters draw (Chapter 1 all three, Chapter 2 the temporal one).
enum CreditSchematics {
    /// Structural: several cues reach a network, one action follows, a reward arrives;
    /// only the cue that drove the action should be credited, not the distractors.
    static var structural: Schematic {
        let cues: [(String, IconShape, Double, Color)] = [
            ("c1", .circle, 8, Palette.grey), ("c2", .star, 26, Palette.sensory),
            ("c3", .square, 44, Palette.grey), ("c4", .triangle, 62, Palette.grey),
        ]
        var elements: [Schematic.Element] = cues.map { id, shape, y, color in
            .icon(shape, at: Point(10, y), size: 9, color: color, id: id)
        }
        elements += [
            .label("cues", at: Point(10, 74), font: Style.small, color: Style.mutedText),
            .population("net", .cortex, center: Point(46, 35), width: 22, height: 12, count: 3, label: "network", placement: .above),
            .neuron("act", .output, at: Point(78, 35), size: 7, label: "action", placement: .above),
            .icon(.drop, at: Point(78, 62), size: 9, color: Palette.reward, id: "reward", label: "reward"),
        ]
        elements += cues.map { id, _, _, color in .connection(.element(id), "net", color: color) }
        elements += [
            .connection("net", "act"),
            .connection("act", "reward"),
            .connection("reward", "c2", .modulatory, label: "credit", labelPosition: 0.4, bend: 0.45, color: Palette.reward),
        ]
        return Schematic(width: 92, height: 80, elements: elements)
    }

    /// Contextual: the same cue calls for different actions in two contexts; credit must
    /// go to the cue–action pair *in its context*.
    static var contextual: Schematic {
        func context(_ n: Int, y: Double, action: String) -> [Schematic.Element] {
            let area = BrainArea.generic(Palette.grey, name: "context \(n)")
            return [
                .region("ctx\(n)", area, Rect(x: 2, y: y, width: 86, height: 30), label: "context \(n)"),
                .icon(.circle, at: Point(14, y + 18), size: 9, color: Palette.sensory, id: "cue\(n)", label: "cue"),
                .neuron("act\(n)", .output, at: Point(48, y + 18), size: 7, label: action, placement: .below),
                .icon(.drop, at: Point(78, y + 18), size: 9, color: Palette.reward, id: "rew\(n)", label: "reward"),
                .connection(.element("cue\(n)"), .element("act\(n)")),
                .connection(.element("act\(n)"), .element("rew\(n)")),
            ]
        }
        return Schematic(
            width: 90, height: 80,
            elements: context(1, y: 4, action: "look left") + context(2, y: 44, action: "look right"))
    }

    /// Temporal: events along a trial; the reward comes long after the event that earned it.
    static var temporal: Schematic {
        Schematic(
            width: 110, height: 50,
            elements: [
                .timeline(
                    "trial", origin: Point(2, 32), length: 98, range: 0...12,
                    events: [
                        .init("cue", at: 1, marker: .icon(.circle), label: "cue", color: Palette.sensory),
                        .init("a1", at: 3.2, marker: .box(width: 1), label: "a_1", caption: "action 1", color: Palette.cortex),
                        .init("a2", at: 5.4, marker: .box(width: 1), label: "a_2", caption: "action 2", color: Palette.cortex),
                        .init("noise", at: 7.2, marker: .icon(.square), label: "other", color: Palette.grey),
                        .init("delay", at: 8.2, marker: .span(until: 10.6), label: "delay"),
                        .init("reward", at: 11.3, marker: .icon(.drop), label: "reward", color: Palette.reward),
                    ],
                    credits: [.init(from: "reward", to: "a2", label: "which event earned it?")])
            ])
    }
}
