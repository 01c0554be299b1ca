import ArgumentParser
import Cairo
import CreditCore
import FileIO
import Foundation
import Plot

/// One figure a chapter produces, declared once: its base file name, what it shows and, for
/// a schematic drawn without data, how to draw it. ``FigureWriter/emit(_:figure:data:)``
/// takes it, so the name is never typed twice.
package struct FigureInfo: Sendable {
    package let name: String
    package let summary: String
    /// Draws the figure, for schematics that need no simulation (nil for figures of data).
    package let schematic: (@Sendable () -> Figure)?

    package init(_ name: String, _ summary: String, schematic: (@Sendable () -> Figure)? = nil) {
        self.name = name
        self.summary = summary
        self.schematic = schematic
    }
}

/// A chapter of the toolkit, declared once. Its executable (`ch<number>-<name>`), its
/// `credit` subcommand, its help text, its default output folder, its prose file and the
/// tests that iterate ``allChapters`` are all derived from this declaration.
package protocol Chapter: Sendable {
    /// The chapter's model parameters.
    associatedtype Parameters: ChapterParameters
    /// Its place in the review's order (1, 2, …).
    static var number: Int { get }
    /// Short name: the `credit` subcommand and the default output folder, e.g. "td".
    static var name: String { get }
    /// The command that runs the chapter, named in its help and in its prose's caption markers:
    /// its own executable, `ch<number>-<name>`, unless the chapter has none.
    static var executable: String { get }
    /// One line for `credit list` and the top of `--help`.
    static var abstract: String { get }
    /// The model in a few sentences, with the review's equations, for `--help`.
    static var discussion: String { get }
    /// The figures, in the order they are made.
    static var figures: [FigureInfo] { get }
    /// Computes every figure (and its data) and hands each to `output`.
    static func produce(_ parameters: Parameters, _ output: FigureWriter) throws
}

extension Chapter {
    /// The chapter's own executable, e.g. "ch2-td" (the synthesis, which has none, names
    /// `credit synthesis` instead).
    package static var executable: String { "ch\(number)-\(name)" }
    /// The chapter's prose, relative to the repository's top folder, e.g. "chapters/02-td.md".
    package static var prose: String { "chapters/\(number < 10 ? "0" : "")\(number)-\(name).md" }
    /// Each declared flag with values it must reject (for tests that try them all).
    package static var declaredFlags: [(String, [String])] {
        Parameters.declared.map { ($0.flag, $0.invalidExamples) }
    }
    /// Each declared flag with the defaults its help shows.
    package static var declaredDefaults: [String: String] {
        Dictionary(uniqueKeysWithValues: Parameters.declared.map { ($0.flag, $0.defaults) })
    }
    /// The command that runs the chapter (its executable's root, and `credit <name>`).
    package static var command: any ParsableCommand.Type { ChapterCommand<Self>.self }
}

/// The command line of a chapter: the common options (``CommonOptions``) and the chapter's
/// model parameters (``ChapterParameters/declared``).
package struct ChapterCommand<C: Chapter>: ParsableCommand {
    package static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: C.name, abstract: C.abstract,
            usage: "\(executableName == C.executable ? C.executable : "credit \(C.name)") "
                + "[--out <out>] [--format <format>] [--quick] [--data] [--no-captions] [--list]"
                + (C.Parameters.declared.isEmpty ? "" : " [--<parameter> <value> ...]"),
            discussion: C.discussion + "\n\n" + C.Parameters.helpSection)
    }

    @OptionGroup var common: CommonOptions

    package init() {}

    /// The parameters: the defaults (or `--quick` ones) overridden by the flags given.
    package func parameters() throws -> C.Parameters {
        do {
            return try C.Parameters.parse(common.modelArguments, quick: common.quick)
        } catch let error as ParameterError {
            throw ValidationError(error.description)
        }
    }

    package func validate() throws {
        _ = try parameters()
        let names = C.figures.map(\.name)
        if let unknown = common.figure.first(where: { !names.contains($0) }) {
            throw ValidationError("invalid value '\(unknown)' for --figure: expected one of \(names.joined(separator: ", "))")
        }
    }

    /// Lists the figures, or runs the chapter and writes its files.
    package func run() throws {
        if common.list {
            let width = C.figures.map(\.name.count).max() ?? 0
            for figure in C.figures {
                print(figure.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + figure.summary)
            }
            return
        }
        let parameters = try parameters()
        let reference = C.Parameters(quick: common.quick)
        let changes =
            C.Parameters.declared.filter { $0.typed(parameters) != $0.typed(reference) }
            .map { "\($0.flag.dropFirst(2))-\($0.typed(parameters))" } + (common.noCaptions ? ["no-captions"] : [])
        let folder = common.outputFolder(chapter: C.name, changes: changes)
        if common.out == nil && folder.hasPrefix("explore/") {
            printError(
                "\(executableName): writing to \(folder)/ (the parameters differ from the defaults; "
                    + "figures/\(C.name)/ keeps the book's figures)")
        }
        do {
            try AtomicFile.prepareFolder(folder)
            try AtomicFile.lockFolder(folder) {
                printError("\(executableName): another run is writing into \(folder)/; waiting for it to finish")
            }
            AtomicFile.removeStaleTemporaryFiles(in: folder)
        } catch {
            throw RunFailure(String(describing: error))
        }
        let writer = FigureWriter(
            folder: folder, formats: common.formats, writeData: common.data, captions: !common.noCaptions,
            only: common.figure.isEmpty ? nil : Set(common.figure))
        do {
            try C.produce(parameters, writer)
        } catch let failure as RunFailure {
            throw failure
        } catch {
            throw RunFailure(String(describing: error))
        }
        try writer.finish(declared: C.figures)
        if folder == "figures/\(C.name)" { try updateProseCaptions(writer.captionTexts) }
    }

    /// Copies the captions just written into the chapter's prose (``CaptionBlock``), when the
    /// run wrote the book's figures from the repository's top folder.
    private func updateProseCaptions(_ captions: [String: String]) throws {
        guard !captions.isEmpty, let text = try? String(contentsOfFile: C.prose, encoding: .utf8) else { return }
        let (updated, names) = CaptionBlock.sync(text, captions: captions, executable: C.executable)
        guard !names.isEmpty else { return }
        do {
            try AtomicFile.write(text: updated, to: C.prose)
        } catch {
            throw RunFailure("could not update the captions in \(C.prose): \(error)")
        }
        printError("\(executableName): updated the caption of \(names.joined(separator: ", ")) in \(C.prose)")
    }
}

/// A run that failed after its options were accepted (diverged, could not write): exit code 1.
package struct RunFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Writes a chapter's figures and data files into one folder and reports each file.
///
/// Figures are drawn on background threads (at most ``MultiSeedRunner/workerCount`` at a
/// time), so the chapter's next experiment computes while the last one's figure is rendered.
/// Every figure is drawn on its own surface and renumbered (SVG ids), so the files do not
/// depend on the order in which renders finish. Paths are reported in emission order, as soon
/// as every earlier figure is done; ``finish(declared:)`` waits for all and rethrows the first
/// error of a render (an unwritable folder) in emission order.
package final class FigureWriter {
    package let folder: String
    package let formats: [ImageFormat]
    package let writeData: Bool
    private let start = ContinuousClock.now
    /// Every path written, in order.
    package private(set) var written: [String] = []
    /// The figures emitted, in order.
    package private(set) var emitted: [FigureInfo] = []
    /// Figures left out because the run they show diverged, with why.
    package private(set) var notDrawn: [(figure: FigureInfo, divergence: DivergenceError)] = []

    /// Whether figures keep their caption block (`--no-captions` leaves it out).
    package let captions: Bool
    /// The caption of each figure written with one, by figure name (see ``CaptionBlock``).
    package private(set) var captionTexts: [String: String] = [:]

    /// The figures to make (`--figure`), or nil for all of them.
    package let only: Set<String>?

    /// The files of each emitted figure, in emission order, not yet reported.
    private var unreported: [EmittedFiles] = []
    private let renders = DispatchGroup()
    private let renderSlots = DispatchSemaphore(value: MultiSeedRunner.workerCount)

    package init(folder: String, formats: [ImageFormat], writeData: Bool, captions: Bool = true, only: Set<String>? = nil) {
        self.folder = folder
        self.formats = formats
        self.writeData = writeData
        self.captions = captions
        self.only = only
    }

    /// Whether this run makes `figure` (every figure, unless `--figure` names some).
    package func wants(_ figure: FigureInfo) -> Bool { only?.contains(figure.name) ?? true }

    /// Reports a step of a long run on standard error.
    package func progress(_ message: String) {
        printError("\(executableName) [\((ContinuousClock.now - start).seconds.fixed(1)) s] \(message)")
    }

    /// Renders `figure` in every requested format and, with `--data`, writes `data` as
    /// CSV tables: one table gets the figure's base name, several get `name-<suffix>.csv`.
    /// A figure that `--figure` leaves out is not written.
    package func emit(_ info: FigureInfo, figure: Figure, data: [(suffix: String, table: CSVTable)] = []) throws {
        guard wants(info) else { return }
        emitted.append(info)
        let files = EmittedFiles()
        unreported.append(files)
        let job = RenderJob(figure: captions ? figure : figure.withoutCaption(), basePath: "\(folder)/\(info.name)")
        let formats = formats
        renderSlots.wait()
        DispatchQueue.global().async(group: renders) { [renderSlots] in
            files.images = Result { try job.figure.write(to: job.basePath, formats: formats) }
            renderSlots.signal()
        }
        if let caption = figure.caption {
            // The caption's one source, beside the figure, for the chapter's prose and the book
            // (written with --no-captions too: the speaker notes of a slide).
            let path = "\(folder)/\(info.name).caption.txt"
            try AtomicFile.write(text: caption + "\n", to: path)
            captionTexts[info.name] = caption
            files.others.append(path)
        }
        if writeData {
            for (suffix, table) in data {
                let path = "\(folder)/\(info.name)\(suffix.isEmpty ? "" : "-" + suffix).csv"
                try AtomicFile.write(text: table.text, to: path)
                files.others.append(path)
            }
        }
        try reportFinished(waiting: false)
    }

    /// Reports the files of the emitted figures, in order, up to the first whose render is not
    /// done (all of them, after waiting, if `waiting`); rethrows a render's error.
    private func reportFinished(waiting: Bool) throws {
        if waiting { renders.wait() }
        while let first = unreported.first, let images = first.images {
            unreported.removeFirst()
            for path in try images.get() + first.others { report(path) }
        }
    }

    /// Renders a schematic that needs no data (``FigureInfo/schematic``).
    package func emit(_ info: FigureInfo) throws {
        guard wants(info) else { return }
        guard let draw = info.schematic else {
            throw RunFailure("internal error: \(info.name) is not a schematic and needs its figure")
        }
        try emit(info, figure: draw())
    }

    /// Computes and emits `figures` with `make`, after reporting `progress`; skips both when
    /// `--figure` wants none of them. If the run they show diverges, says so on standard error
    /// and leaves them out; the chapter goes on with its other figures and the command then ends
    /// with exit code 1 (``finish(declared:)``).
    package func attempt(_ figures: FigureInfo..., progress message: String, make: () throws -> Void) throws {
        guard figures.contains(where: wants) else { return }
        progress(message)
        do {
            try make()
        } catch let divergence as DivergenceError {
            let missing = figures.filter { f in wants(f) && !emitted.contains { $0.name == f.name } }
            notDrawn += missing.map { ($0, divergence) }
            printError(
                "\(executableName): error: \(divergence.description); not drawn: "
                    + missing.map(\.name).joined(separator: ", "))
        }
    }

    /// Fails unless exactly the `declared` figures this run wants were emitted or left out by a
    /// divergence, each once; fails (exit code 1) if any was left out.
    package func finish(declared: [FigureInfo]) throws {
        try reportFinished(waiting: true)
        let names = emitted.map(\.name) + notDrawn.map(\.figure.name)
        guard names.sorted() == declared.filter(wants).map(\.name).sorted() else {
            throw RunFailure(
                "internal error: the chapter declares the figures \(declared.map(\.name)) but wrote \(names)")
        }
        if !notDrawn.isEmpty {
            throw RunFailure(
                "\(notDrawn.count) of \(declared.filter(wants).count) figures not drawn because their runs diverged "
                    + "(see above); the others were written")
        }
    }

    private func report(_ path: String) {
        written.append(path)
        print(path)
    }
}

/// A figure on its way to the rendering queue; the emitting thread does not touch it again.
private struct RenderJob: @unchecked Sendable {
    let figure: Figure
    let basePath: String
}

/// The files one emitted figure writes: its images (set by the render when it is done; read
/// after the render group is waited on or once set) and its caption and data files.
private final class EmittedFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var rendered: Result<[String], any Error>?
    var others: [String] = []

    var images: Result<[String], any Error>? {
        get { lock.withLock { rendered } }
        set { lock.withLock { rendered = newValue } }
    }
}

extension Duration {
    /// The duration in seconds, as a real number.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
