import ArgumentParser
import Cairo

/// Which file formats to render.
package enum FormatChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
    case png, svg, pdf, all

    /// The formats this choice stands for.
    package var formats: [ImageFormat] {
        switch self {
        case .png: [.png]
        case .svg: [.svg]
        case .pdf: [.pdf]
        case .all: [.png, .svg, .pdf]
        }
    }

    /// What a chapter writes when no `--format` is given: PNG and SVG.
    package static let defaultFormats: [ImageFormat] = [.png, .svg]
}

/// The options every chapter accepts (the chapter contract), so a student learns them once.
package struct CommonOptions: ParsableArguments, Sendable {
    @Option(
        help:
            "Folder for figures and data (default: figures/<chapter>/ at the default parameters, else explore/<chapter>-<changes>/; created if missing)."
    )
    package var out: String?

    @Option(help: "File format; all = png, svg and pdf (default: png and svg).")
    package var format: FormatChoice?

    @Flag(help: "A reduced run (fewer trials and seeds) for tests and live demos.")
    package var quick = false

    @Flag(help: "Also write each figure's data as CSV (header row; same base name as the figure).")
    package var data = false

    @Flag(help: "Leave the caption block out of every figure (for slides); written to explore/ unless --out is given.")
    package var noCaptions = false

    @Flag(help: "List the chapter's figures and what each shows, then exit.")
    package var list = false

    @Option(help: "Make only this figure (repeat the flag for several; --list names them); the others are not computed.")
    package var figure: [String] = []

    /// The model parameters (`--seed`, `--seeds` and the chapter's own, listed under MODEL
    /// PARAMETERS in `--help`), parsed by ``ChapterParameters/parse(_:quick:)``.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var modelArguments: [String] = []

    package init() {}

    package func validate() throws {
        if out?.isEmpty == true { throw ValidationError("invalid value '' for --out: expected a folder name") }
    }

    /// The formats to render.
    package var formats: [ImageFormat] { format?.formats ?? FormatChoice.defaultFormats }

    /// The folder to write into: `--out`; else `figures/<chapter>`, the book's committed
    /// figures, when the model runs at its defaults; else a git-ignored folder named after the
    /// chapter and what differs (`explore/td-gamma-0.9`), so exploring never overwrites the book.
    package func outputFolder(chapter: String, changes: [String]) -> String {
        if let out { return out }
        if changes.isEmpty && !quick { return "figures/\(chapter)" }
        let name = ([chapter] + (quick ? ["quick"] : []) + changes).joined(separator: "-")
        let safe = String(name.map { $0.isLetter || $0.isNumber || ".-_".contains($0) ? $0 : "_" }.prefix(120))
        return "explore/\(safe)"
    }
}
