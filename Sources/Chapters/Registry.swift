import ArgumentParser
import CreditCore

/// Every chapter that runs models, in the review's order: the one registration a new chapter
/// needs. `credit`, its `list` and `all` (through ``bookChapters``) and the tests iterate this list.
package let allChapters: [any Chapter.Type] = [
    BackpropChapter.self, TDChapter.self, ConsolidationChapter.self, ContextChapter.self, GatingChapter.self,
]

/// Every chapter of the book, in its order: the chapters that run models, then the closing
/// synthesis. The synthesis is declared as a ``Chapter``, so `credit synthesis` is an ordinary
/// chapter command (its options, output folder, figure writer and caption sync are the same),
/// but it is not in ``allChapters``: it has no executable, no model parameters and no
/// experiments, which the tests that iterate ``allChapters`` require.
package let bookChapters: [any Chapter.Type] = allChapters + [SynthesisChapter.self]

/// The chapter `credit` calls `name` (the synthesis too), if there is one.
package func chapterNamed(_ name: String) -> (any Chapter.Type)? {
    bookChapters.first { $0.name == name }
}

/// The umbrella command: list the chapters, run one, or regenerate every figure.
package struct CreditCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "credit",
        abstract: "Credit assignment in neural systems: run the chapters of the toolkit.",
        discussion: """
            Each chapter is also its own executable (e.g. ch2-td) with the same options; \
            'credit td --help' shows them.
            """,
        subcommands: [ListChapters.self, AllChapters.self, SolutionsCommand.self, BenchCommand.self] + bookChapters.map { $0.command })

    package init() {}
}

/// `credit list`: every chapter (the synthesis too) and its figures.
struct ListChapters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Name every chapter and its figures.")

    func run() {
        for chapter in bookChapters {
            print("\(chapter.name) (\(chapter.executable)): \(chapter.abstract)")
            for figure in chapter.figures {
                print("  \(figure.name): \(figure.summary)")
            }
        }
    }
}

/// `credit all`: regenerate every figure of every chapter, the synthesis too, into `<root>/<chapter>/`.
struct AllChapters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all", abstract: "Regenerate every figure of every chapter.")

    @Option(help: "Folder that receives one sub-folder per chapter.")
    var root = "figures"

    @Option(help: "File format; all = png, svg and pdf (default: png and svg).")
    var format: FormatChoice?

    @Flag(help: "A reduced run of every chapter.")
    var quick = false

    @Flag(help: "Also write every figure's data as CSV.")
    var data = false

    @Flag(help: "Leave the caption block out of every figure (for slides).")
    var noCaptions = false

    /// Runs the chapters concurrently, one per core, each taking the next chapter in the book's
    /// order (Chapter 1, the longest, first). Each chapter writes only its own folder and prose;
    /// their printed paths may interleave. The first failing chapter's error, in the book's
    /// order, is rethrown once all have finished.
    func run() throws {
        var arguments: [String] = []
        if let format { arguments += ["--format", format.rawValue] }
        if quick { arguments.append("--quick") }
        if data { arguments.append("--data") }
        if noCaptions { arguments.append("--no-captions") }
        let (options, root) = (arguments, root)
        _ = try MultiSeedRunner.map(count: bookChapters.count) { i in
            let chapter = bookChapters[i]
            var command = try chapter.command.parse(["--out", "\(root)/\(chapter.name)"] + options)
            try command.run()
        }
    }
}
