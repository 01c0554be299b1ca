import ArgumentParser

/// Every chapter, in the review's order. `credit` lists and runs these.
public let allChapters: [any ChapterCommand.Type] = [BackpropChapter.self, TDChapter.self, ConsolidationChapter.self, GatingChapter.self]

/// The umbrella command: list the chapters, run one, or regenerate every figure.
public struct CreditCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "credit",
        abstract: "Credit assignment in neural systems: run the chapters of the toolkit.",
        discussion: """
            Each chapter is also its own executable (e.g. ch2-td) with the same options; \
            'credit td --help' shows them.
            """,
        subcommands: [ListChapters.self, AllChapters.self] + allChapters.map { $0 as any ParsableCommand.Type })

    public init() {}
}

/// `credit list`: every chapter and its figures.
struct ListChapters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Name every chapter and its figures.")

    func run() {
        for chapter in allChapters {
            print("\(chapter.chapterName) (\(chapter.configuration.commandName ?? "")): \(chapter.configuration.abstract)")
            for figure in chapter.figures {
                print("  \(figure.name): \(figure.summary)")
            }
        }
    }
}

/// `credit all`: regenerate every figure of every chapter into `<root>/<chapter>/`.
struct AllChapters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all", abstract: "Regenerate every figure of every chapter.")

    @Option(help: "Folder that receives one sub-folder per chapter.")
    var root = "figures"

    @Option(help: "File format: png, svg, pdf or all (default: png and svg).")
    var format: FormatChoice?

    @Flag(help: "A reduced run of every chapter.")
    var quick = false

    @Flag(help: "Also write every figure's data as CSV.")
    var data = false

    func run() throws {
        for chapter in allChapters {
            var arguments = ["--out", "\(root)/\(chapter.chapterName)"]
            if let format { arguments += ["--format", format.rawValue] }
            if quick { arguments.append("--quick") }
            if data { arguments.append("--data") }
            var command = try chapter.parse(arguments)
            try command.run()
        }
    }
}
