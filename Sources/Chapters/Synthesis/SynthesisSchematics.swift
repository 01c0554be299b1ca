import Cairo
import Diagram
import Plot

/// The synthesis's summary figure: the review's three credit problems side by side, each with
/// the circuit the chapters built for it, who plays each of the review's three roles in it, and
/// the chapters' figures that show it.
enum SynthesisSchematics {
    static let width = 520.0

    /// The review's three roles, each played by one structure and drawn in its colour.
    enum Role: CaseIterable {
        /// The basal ganglia, trained by dopamine's prediction error.
        case teaches
        /// The thalamus (MD), which shapes cortical dynamics.
        case controls
        /// Cortex, whose slow weights and activity keep what was learned.
        case stores

        var area: BrainArea {
            switch self {
            case .teaches: .basalGanglia
            case .controls: .thalamus
            case .stores: .cortex
            }
        }

        var label: String {
            switch self {
            case .teaches: "teaches"
            case .controls: "controls"
            case .stores: "stores"
            }
        }
    }

    /// One column: a credit problem, the circuit built for it, what plays each role there (nil:
    /// nothing does in the chapters' models) and the figures that show it, in the chapters' order.
    struct Column {
        let problem: String
        let question: String
        let circuit: [Schematic.Element]
        let roles: [Role: String]
        let evidence: [FigureInfo]
    }

    // MARK: The three columns

    /// Structural credit: the Box 1 motif of Chapter 3 (the basal ganglia teach a cortical
    /// student), after Chapter 1 showed that one scalar reward alone teaches too slowly.
    static var structural: Column {
        Column(
            problem: "structural", question: "which synapse earned it?",
            circuit: [
                .population("x", .sensory, center: Point(18, 44), width: 24, height: 10, label: "cue x", placement: .above),
                .population("o", .cortex, center: Point(96, 44), width: 26, height: 10, label: "cortex", placement: .above),
                .neuron("act", .output, at: Point(134, 44), size: 7, label: "action", placement: .above),
                .population("y", .basalGanglia, center: Point(96, 94), width: 26, height: 10, label: "BG", placement: .below),
                .neuron("da", .dopamine, at: Point(30, 104), size: 6, label: "DA", placement: .left),
                .connection("x", "o", id: "M", plastic: true, label: "M", labelSide: .right),
                .connection("x", "y", id: "W", plastic: true, label: "W", labelSide: .right, labelPosition: 0.4),
                .connection("y", "o", id: "w", plastic: true, label: "w", labelSide: .right),
                .connection("o", "act"),
                .connection("da", .synapse("W"), .modulatory, label: "δ", labelSide: .right),
            ],
            roles: [.teaches: "BG: W learns by δ", .stores: "cortex: M takes over"],
            evidence: [.perturbationScaling, .motif, .teacherLesion, .handoffAblation])
    }

    /// Contextual credit: Chapter 4's circuit, the basal ganglia select an MD unit that amplifies
    /// one cortical subnetwork and silences the other, whose weights are kept.
    static var contextual: Column {
        Column(
            problem: "contextual", question: "under which context?",
            circuit: [
                .population("s1", .cortex, center: Point(38, 52), width: 30, height: 10, label: "cortex, context 1", placement: .above),
                .population(
                    "s2", .cortex, center: Point(112, 52), width: 30, height: 10, label: "context 2:\nsilent, kept", placement: .above,
                    faded: true),
                .neuron("m1", .thalamus, at: Point(38, 80), size: 7, label: "MD on", placement: .right),
                .neuron("m2", .thalamus, at: Point(112, 80), size: 7, label: "off", placement: .right, faded: true),
                .neuron(
                    "b1", .basalGanglia, at: Point(38, 104), size: 6, kind: .inhibitory, label: "BG paused", placement: .right, faded: true),
                .neuron("b2", .basalGanglia, at: Point(112, 104), size: 6, kind: .inhibitory, label: "active", placement: .right),
                .connection("m1", "s1", .modulatory, label: "amplifies", labelSide: .right),
                .connection("m2", "s2", .modulatory),
                .connection("b1", "m1", .inhibitory),
                .connection("b2", "m2", .inhibitory),
                .connection(.side("s1", .left), "m1", id: "ct", plastic: true, bend: -0.4, forming: true),
                .icon(
                    .square, at: Point(38, 128), size: 6, color: BrainArea.sensory.color, id: "cue", label: "context cue", placement: .right
                ),
                .connection("cue", "b1", id: "sel", plastic: true),
                .neuron("da", .dopamine, at: Point(14, 112), size: 6, label: "DA", placement: .below),
                .connection("da", .synapse("sel"), .modulatory, label: "δ"),
            ],
            roles: [
                .teaches: "BG: pick an MD unit by δ", .controls: "MD: amplify or silence",
                .stores: "cortex: kept readouts",
            ],
            evidence: [.weightProtection, .bgSelection, .bgLesion, .twoTimescales])
    }

    /// Temporal credit: dopamine's TD error (Chapter 2) and the gated working memory of
    /// Chapter 5 that gives it a state in which the cue is still present.
    static var temporal: Column {
        Column(
            problem: "temporal", question: "which earlier event?",
            circuit: [
                .icon(.circle, at: Point(14, 44), size: 7, color: BrainArea.sensory.color, id: "cue", label: "cue", placement: .above),
                .population("pfc", .cortex, center: Point(66, 44), width: 28, height: 10, label: "cortex (PFC)", placement: .above),
                .loop(on: "pfc", side: .right, id: "rec", label: "w_{PFC}"),
                .population("md", .thalamus, center: Point(30, 96), width: 24, height: 10, label: "MD", placement: .below),
                .population(
                    "bg", .basalGanglia, center: Point(108, 96), width: 26, height: 10, kind: .inhibitory, label: "BG", placement: .below),
                .neuron("da", .dopamine, at: Point(141, 70), size: 6, label: "DA", placement: .above),
                .connection("cue", "pfc"),
                .connection("md", "pfc", .modulatory, label: "× (1 + r_{MD})", labelSide: .left),
                .connection("pfc", "bg", id: "cs", plastic: true, label: "state", labelSide: .right, labelPosition: 0.3),
                .connection("bg", "md", .inhibitory, label: "gate", labelSide: .right),
                .connection("da", .synapse("cs"), .modulatory, label: "δ"),
            ],
            roles: [
                .teaches: "BG: TD critic, gate", .controls: "MD: loop gain, τ_{eff}",
                .stores: "PFC: holds the cue",
            ],
            evidence: [.rpeTransfer, .stateRepresentation, .tauEff, .learnedGating])
    }

    // MARK: Layout

    /// Where the circuit ends and the role rows begin, in column units.
    static let rolesTop = 146.0
    static let rowHeight = 13.0

    /// A column as one schematic: title, question, circuit, a row per role, then the evidence.
    static func schematic(_ column: Column) -> Schematic {
        var elements: [Schematic.Element] = [
            .label(column.problem, at: Point(75, 6), font: Font(size: Style.label.size, bold: true)),
            .label(column.question, at: Point(75, 17), font: Style.small, color: Style.mutedText),
        ]
        elements += column.circuit
        for (k, role) in Role.allCases.enumerated() {
            let y = rolesTop + Double(k) * rowHeight
            let text = column.roles[role]
            elements += [
                .region(
                    nil, role.area, Rect(x: 1, y: y - 5.5, width: 44, height: 11), label: role.label, placement: .center, faded: text == nil
                ),
                .label(
                    text ?? "none in this model", at: Point(48, y), align: .left, color: text == nil ? Style.mutedText : Style.textColor),
            ]
        }
        let evidenceTop = rolesTop + Double(Role.allCases.count) * rowHeight + 2
        elements.append(
            .label(
                "shown in\n" + evidenceLines(column).joined(separator: "\n"), at: Point(2, evidenceTop), align: .left,
                vertical: .top, color: Style.mutedText))
        return Schematic(width: 150, height: evidenceTop + 40, elements: elements)
    }

    /// The chapters that declare a column's figures, in the book's order, each with the names of
    /// those figures in its own order: read from the declarations, so a name cannot be wrong.
    static func evidence(_ column: Column) -> [(chapter: Int, figures: [String])] {
        allChapters.compactMap { chapter in
            let names = chapter.figures.map(\.name).filter { name in column.evidence.contains { $0.name == name } }
            return names.isEmpty ? nil : (chapter.number, names)
        }
    }

    /// The figures that show a column, one line per chapter ("Ch. 3: fig4-motif, teacher-lesion"),
    /// wrapped to `width` characters.
    static func evidenceLines(_ column: Column, width: Int = 36) -> [String] {
        var lines: [String] = []
        for (chapter, names) in evidence(column) {
            var line = "Ch. \(chapter):"
            for (k, name) in names.enumerated() {
                let word = name + (k < names.count - 1 ? "," : "")
                if line.count + 1 + word.count > width && !line.hasSuffix(":") {
                    lines.append(line)
                    line = "  "
                }
                line += " " + word
            }
            lines.append(line)
        }
        return lines
    }

    /// "Chapter 4" or "Chapters 1 and 3": the chapters a column's figures come from.
    static func chapters(_ column: Column) -> String {
        let numbers = evidence(column).map { String($0.chapter) }
        guard let last = numbers.last else { return "" }
        return numbers.count == 1 ? "Chapter \(last)" : "Chapters \(numbers.dropLast().joined(separator: ", ")) and \(last)"
    }

    static func divisionOfLabour() -> Figure {
        let height = 300.0
        let keyHeight = 44.0
        let frames = Figure.grid(width: width, height: height - keyHeight, rows: 1, columns: 3)
        let keyFrame = Rect(x: 14, y: height - keyHeight, width: width - 24, height: keyHeight - 4)
        let (a, b, c) = (structural, contextual, temporal)
        return Figure.schematics(
            width: width, height: height,
            panels: zip(["A", "B", "C"], zip(frames, [a, b, c])).map { SchematicPanel($0, frame: $1.0, schematic: schematic($1.1)) },
            keyFrame: keyFrame,
            keyAreas: [
                .area(.sensory, "cue"), .area(.cortex, "cortex"), .area(.thalamus, "thalamus (MD)"),
                .area(.basalGanglia, "basal ganglia"), .area(.dopamine, "dopamine"),
            ],
            keyColumns: 4, keyWidth: 420, keyHeight: 40,
            caption: """
                The review's argument in one figure: three credit problems, one circuit, three roles. A, structural \
                credit: in the Box 1 motif the basal ganglia (BG) learn by dopamine's prediction error δ and \
                teach the cortical weights M, which take over the behaviour (\(chapters(a))). B, contextual \
                credit: the BG learn from reward which mediodorsal thalamic (MD) unit to release; that unit \
                amplifies one cortical subnetwork and the inhibition silences the other, whose readout weights \
                are therefore kept; the corticothalamic synapses (long dashes) learn the same choice \
                (\(chapters(b))). C, temporal credit: δ trains the striatal critic and the gate; with the gate \
                open, MD raises the gain of the prefrontal loop, PFC holds the cue, and the state the TD learner \
                reads says which cue was seen (\(chapters(c))). Under each circuit, who teaches, who controls and \
                who stores in that chapter's model, and the figures that show it. Pale symbols: silent neurons.
                """)
    }
}
