import ArgumentParser
import Cairo

/// Which file formats to render.
public enum FormatChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
    case png, svg, pdf, all

    /// The formats this choice stands for.
    public var formats: [ImageFormat] {
        switch self {
        case .png: [.png]
        case .svg: [.svg]
        case .pdf: [.pdf]
        case .all: [.png, .svg, .pdf]
        }
    }

    /// What a chapter writes when no `--format` is given: PNG and SVG.
    public static let defaultFormats: [ImageFormat] = [.png, .svg]
}

/// The options every chapter accepts (the chapter contract), so a student learns them once.
public struct CommonOptions: ParsableArguments, Sendable {
    @Option(help: "Folder for figures and data (default: figures/<chapter>/; created if missing).")
    public var out: String?

    @Option(help: "File format: png, svg, pdf or all (default: png and svg).")
    public var format: FormatChoice?

    @Option(help: "Seed of the random generator; the same seed gives byte-identical files.")
    public var seed: UInt64 = 1

    @Option(help: "Number of seeds; curves are drawn as mean ± SEM across them (default: the chapter's own).")
    public var seeds: Int?

    @Flag(help: "A reduced run (fewer trials and seeds) for tests and live demos.")
    public var quick = false

    @Flag(help: "Also write each figure's data as CSV (header row; same base name as the figure).")
    public var data = false

    @Flag(help: "List the chapter's figures and what each shows, then exit.")
    public var list = false

    public init() {}

    public func validate() throws {
        if let seeds, seeds < 1 {
            throw ValidationError("--seeds \(seeds): must be a whole number ≥ 1")
        }
    }

    /// The formats to render.
    public var formats: [ImageFormat] { format?.formats ?? FormatChoice.defaultFormats }

    /// The folder to write into.
    public func outputFolder(chapter: String) -> String { out ?? "figures/\(chapter)" }
}
