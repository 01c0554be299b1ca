import Cairo
import Plot

extension Schematic {
    /// Whether the schematic draws a key (a `.legend` element) of its own.
    var hasKey: Bool {
        elements.contains {
            if case .legend = $0.content { return true }
            return false
        }
    }

    /// The schematic without its key: what a panel of a multi-panel figure draws when the
    /// figure's one key (`key(for:areas:columns:width:)`) sits under all the panels.
    /// `height`, if given, replaces the height of the space (to give back the room the key took).
    func withoutKey(height: Double? = nil) -> Schematic {
        var s = self
        s.elements.removeAll {
            if case .legend = $0.content { return true }
            return false
        }
        if let height { s.height = height }
        return s
    }

    /// The entries of one key to several schematics: the given `areas` first, then, in the
    /// fixed order of an automatic legend, the union of the conventions the panels draw, then
    /// any entry a panel's own explicit legend listed that is not already there. Each entry once.
    static func keyEntries(for schematics: [Schematic], areas: [LegendEntry] = []) -> [LegendEntry] {
        let drawn = schematics.flatMap { $0.elements.filter { if case .legend = $0.content { false } else { true } } }
        var entries: [LegendEntry] = []
        func add(_ e: LegendEntry) { if !entries.contains(e) { entries.append(e) } }
        areas.forEach(add)
        Schematic(width: 1, height: 1, elements: drawn).usedConventions.forEach(add)
        for s in schematics {
            for element in s.elements {
                if case .legend(let l) = element.content { l.entries?.forEach(add) }
            }
        }
        return entries
    }

    /// One key for all the schematic panels of a figure, drawn as its own unlettered panel
    /// (a single strip, `columns` entries across, reading down each column). `width` and `height`
    /// are the strip's space in units (12 per row of entries unless given).
    public static func key(
        for schematics: [Schematic], areas: [LegendEntry] = [], columns: Int = 4, width: Double = 240, height: Double? = nil
    ) -> Schematic {
        let entries = keyEntries(for: schematics, areas: areas)
        let rows = max(1, (entries.count + max(1, columns) - 1) / max(1, columns))
        return Schematic(
            width: width, height: height ?? 12 * Double(rows),
            elements: [.legend(at: Point(0, 0), entries: entries, columns: columns)])
    }
}

/// One schematic panel of a figure whose key is drawn once, under all the panels.
public struct SchematicPanel {
    var letter: String?
    var frame: Rect
    var schematic: Schematic

    /// `schematic` drawn in `frame` (figure coordinates, points) under the bold `letter`.
    public init(_ letter: String?, frame: Rect, schematic: Schematic) {
        self.letter = letter
        self.frame = frame
        self.schematic = schematic
    }
}

extension Figure {
    /// A figure of schematic panels with one key: each panel's own key is removed and a single
    /// key, listing the union of the symbols the panels use (as
    /// ``Schematic/key(for:areas:columns:width:height:)`` does), is drawn in `keyFrame`.
    /// `others` (plots, say) are added after the schematics unchanged.
    public static func schematics(
        width: Double, height: Double, panels: [SchematicPanel], keyFrame: Rect, keyAreas: [Schematic.LegendEntry] = [],
        keyColumns: Int = 4, keyWidth: Double = 240, keyHeight: Double? = nil, others: [Panel] = [], caption: String? = nil
    ) -> Figure {
        let schematics = panels.map(\.schematic)
        var all = panels.map { Panel($0.letter, frame: $0.frame, content: $0.schematic.withoutKey()) }
        all.append(
            Panel(
                nil, frame: keyFrame,
                content: Schematic.key(
                    for: schematics, areas: keyAreas, columns: keyColumns, width: keyWidth, height: keyHeight)))
        return Figure(width: width, height: height, panels: all + others, caption: caption)
    }
}
