import Cairo

/// Something drawn inside one panel's frame: axes with data, or a schematic.
public protocol PanelContent {
    /// Draws into `frame` (figure coordinates, points). The panel letter sits outside, above-left.
    func draw(in context: Context, frame: Rect) throws
}

/// One panel of a figure: its frame, its bold letter, its content.
public struct Panel {
    var letter: String?
    var frame: Rect
    var content: any PanelContent

    /// A panel drawing `content` inside `frame` (figure coordinates, points), marked with the bold
    /// `letter` at its top left (none when `letter` is nil).
    public init(_ letter: String?, frame: Rect, content: any PanelContent) {
        self.letter = letter
        self.frame = frame
        self.content = content
    }
}

/// A multi-panel figure: a page in points, panels placed on it, an optional caption
/// set below them. Figures only draw data they are given; they never simulate.
public struct Figure {
    var width: Double
    var height: Double
    var panels: [Panel]
    /// Set as wrapped text under the panels; the page grows to fit it.
    public private(set) var caption: String?

    /// A page of `width` × `height` points holding `panels`, with an optional `caption` below them.
    public init(width: Double, height: Double, panels: [Panel] = [], caption: String? = nil) {
        self.width = width
        self.height = height
        self.panels = panels
        self.caption = caption
    }

    /// The same figure without its caption block (for slides, where the caption is spoken).
    public func withoutCaption() -> Figure {
        var copy = self
        copy.caption = nil
        return copy
    }

    /// Frames for a `rows` × `columns` grid over the page, with `gap` points between
    /// cells and `margin` around (left/top margins leave room for panel letters).
    /// Cells are in reading order. `columnWeights` gives relative column widths.
    public static func grid(
        width: Double, height: Double, rows: Int, columns: Int, columnWeights: [Double]? = nil,
        margin: (top: Double, left: Double, bottom: Double, right: Double) = (18, 14, 8, 10),
        gap: (horizontal: Double, vertical: Double) = (22, 24)
    ) -> [Rect] {
        let weights = columnWeights ?? Array(repeating: 1, count: columns)
        precondition(weights.count == columns)
        let usableW = width - margin.left - margin.right - gap.horizontal * Double(columns - 1)
        let usableH = height - margin.top - margin.bottom - gap.vertical * Double(rows - 1)
        let cellH = usableH / Double(rows)
        let total = weights.reduce(0, +)
        var frames: [Rect] = []
        for row in 0..<rows {
            var x = margin.left
            for column in 0..<columns {
                let w = usableW * weights[column] / total
                frames.append(
                    Rect(x: x, y: margin.top + Double(row) * (cellH + gap.vertical), width: w, height: cellH))
                x += w + gap.horizontal
            }
        }
        return frames
    }

    /// The caption broken into lines that fit the page width (measured in the caption font).
    func captionLines(_ context: Context) throws -> [String] {
        guard let caption, !caption.isEmpty else { return [] }
        try context.setFont(Style.caption)
        return wrap(caption, width: width - 28, context: context)
    }

    static let captionLineHeight = 10.0

    /// The page height including the caption block.
    func totalHeight(_ context: Context) throws -> Double {
        let lines = try captionLines(context).count
        return height + (lines == 0 ? 0 : Double(lines) * Figure.captionLineHeight + 8)
    }

    /// Draws the whole figure on `context`: white page, panels, letters, caption.
    func draw(in context: Context, pageHeight: Double) throws {
        context.paint(.white)
        for panel in panels {
            try context.withSavedState {
                try panel.content.draw(in: context, frame: panel.frame)
            }
            if let letter = panel.letter {
                try context.setFont(Style.panelLetter)
                context.setColor(Style.textColor)
                context.drawText(
                    letter, at: Point(max(2, panel.frame.minX - 10), max(2, panel.frame.minY - 14)),
                    vertical: .top)
            }
        }
        let lines = try captionLines(context)
        try context.setFont(Style.caption)
        context.setColor(Style.mutedText)
        for (i, line) in lines.enumerated() {
            context.drawText(
                line, at: Point(14, height + 4 + Double(i) * Figure.captionLineHeight), vertical: .top)
        }
    }

    /// Renders the figure once per format to `basePath + "." + extension`, atomically.
    /// Returns the paths written, in the order of `formats`.
    @discardableResult
    public func write(to basePath: String, formats: [ImageFormat], pngScale: Double = 3) throws -> [String] {
        let pageHeight = try measuredHeight()
        var written: [String] = []
        for format in formats {
            let path = "\(basePath).\(format.fileExtension)"
            try render(to: path, format: format, width: width, height: pageHeight, scale: pngScale) {
                try draw(in: $0, pageHeight: pageHeight)
            }
            written.append(path)
        }
        return written
    }

    /// Renders to bytes in one format (for tests and manifests).
    func bytes(format: ImageFormat, pngScale: Double = 3) throws -> [UInt8] {
        let pageHeight = try measuredHeight()
        return try renderBytes(format: format, width: width, height: pageHeight, scale: pngScale) {
            try draw(in: $0, pageHeight: pageHeight)
        }
    }

    /// Measures the caption on a scratch surface to size the page.
    private func measuredHeight() throws -> Double {
        var result = height
        _ = try renderBytes(format: .svg, width: width, height: height) { result = try totalHeight($0) }
        return result
    }
}

/// Greedy word wrap of `text` to lines no wider than `width` in the context's current font.
func wrap(_ text: String, width: Double, context: Context) -> [String] {
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = ""
        for word in paragraph.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if !line.isEmpty && context.measure(RichText(candidate)).width > width {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        lines.append(line)
    }
    return lines
}
