/// Text with subscripts and superscripts, written with a small markup:
/// `τ_{eff}` or `r_t` lowers a run, `γ^{k}` or `x^2` raises one; `\_` and `\^` are literal.
/// Runs are drawn at 70% size, shifted from the baseline, so labels such as τ_eff and
/// r_MD read as they do in the review (few letters have Unicode subscript forms).
public struct RichText: Equatable, Sendable {
    /// A run of text at one baseline offset.
    struct Run: Equatable, Sendable {
        enum Position: Sendable { case normal, subscripted, superscripted }
        var text: String
        var position: Position
    }

    let runs: [Run]

    /// Parses the markup.
    public init(_ markup: String) {
        var runs: [Run] = []
        var current = ""
        var chars = Array(markup)[...]
        func flush() {
            if !current.isEmpty { runs.append(Run(text: current, position: .normal)) }
            current = ""
        }
        while let c = chars.popFirst() {
            if c == "\\", let next = chars.first, next == "_" || next == "^" {
                current.append(chars.removeFirst())
            } else if c == "_" || c == "^", let next = chars.first {
                flush()
                var script = ""
                if next == "{" {
                    chars.removeFirst()
                    while let s = chars.popFirst(), s != "}" { script.append(s) }
                } else {
                    script.append(chars.removeFirst())
                }
                runs.append(Run(text: script, position: c == "_" ? .subscripted : .superscripted))
            } else {
                current.append(c)
            }
        }
        flush()
        self.runs = runs
    }

    /// The plain text with the markup removed (for CSV headers, accessibility).
    var plain: String { runs.map(\.text).joined() }

    static let scriptScale = 0.7
    static let subscriptShift = 0.22  // × font size, downward
    static let superscriptShift = 0.38  // × font size, upward
}

/// Where a piece of text sits relative to the anchor point.
public enum HorizontalAlignment: Sendable { case left, center, right }
/// Which line of the text box the anchor's y refers to.
public enum VerticalAlignment: Sendable {
    /// The anchor is the alphabetic baseline.
    case baseline
    /// The anchor is the top of the font's ascent.
    case top
    /// The anchor is halfway between the font's ascent and descent.
    case middle
    /// The anchor is the bottom of the font's descent.
    case bottom
}

extension Context {
    /// Measures rich text in the current font: advance width and the font's ascent and descent.
    public func measure(_ text: RichText) -> TextExtents {
        var width = 0.0
        var ascent = 0.0
        var descent = 0.0
        let base = font
        forEachRun(text) { run, shift in
            width += measure(run.text).width
            ascent = max(ascent, fontMetrics().ascent - shift)
            descent = max(descent, fontMetrics().descent + shift)
        }
        try? setFont(base)
        return TextExtents(width: width, ascent: ascent, descent: descent)
    }

    /// Draws `text` (with `_{}` / `^{}` markup) anchored at `p`, optionally rotated by
    /// `angle` radians around the anchor (e.g. `-.pi / 2` for a y-axis label).
    public func drawText(
        _ text: String, at p: Point, align: HorizontalAlignment = .left,
        vertical: VerticalAlignment = .baseline, angle: Double = 0
    ) {
        let rich = RichText(text)
        let metrics = fontMetrics()
        let width = measure(rich).width
        let dx: Double =
            switch align {
            case .left: 0
            case .center: -width / 2
            case .right: -width
            }
        let dy: Double =
            switch vertical {
            case .baseline: 0
            case .top: metrics.ascent
            case .middle: (metrics.ascent - metrics.descent) / 2
            case .bottom: -metrics.descent
            }
        withSavedState {
            translate(p.x, p.y)
            if angle != 0 { rotate(angle) }
            var x = dx
            let base = font
            forEachRun(rich) { run, shift in
                showText(run.text, at: Point(x, dy + shift))
                x += measure(run.text).width
            }
            try? setFont(base)
        }
    }

    /// The box `drawText` would cover for an unrotated label anchored at `p`.
    public func textBox(
        _ text: String, at p: Point, align: HorizontalAlignment = .left,
        vertical: VerticalAlignment = .baseline
    ) -> Rect {
        let metrics = fontMetrics()
        let width = measure(RichText(text)).width
        let x: Double =
            switch align {
            case .left: p.x
            case .center: p.x - width / 2
            case .right: p.x - width
            }
        let baseline: Double =
            switch vertical {
            case .baseline: p.y
            case .top: p.y + metrics.ascent
            case .middle: p.y + (metrics.ascent - metrics.descent) / 2
            case .bottom: p.y - metrics.descent
            }
        return Rect(x: x, y: baseline - metrics.ascent, width: width, height: metrics.ascent + metrics.descent)
    }

    /// Calls `body` for each run with the current font set to the run's size; `shift` is
    /// the run's baseline offset in points (positive down).
    private func forEachRun(_ text: RichText, _ body: (_ run: RichText.Run, _ shift: Double) -> Void) {
        let base = font
        for run in text.runs {
            var f = base
            var shift = 0.0
            switch run.position {
            case .normal: break
            case .subscripted:
                f.size = base.size * RichText.scriptScale
                shift = base.size * RichText.subscriptShift
            case .superscripted:
                f.size = base.size * RichText.scriptScale
                shift = -base.size * RichText.superscriptShift
            }
            // The family was verified when `base` was set; only the size changes here.
            try? setFont(f)
            body(run, shift)
        }
    }
}
