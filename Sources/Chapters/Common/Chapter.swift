import ArgumentParser
import Cairo
import CreditCore
import FileIO
import Foundation
import Plot

/// One figure a chapter produces: its base file name and what it shows.
public struct FigureInfo: Sendable {
    public let name: String
    public let summary: String
    public init(_ name: String, _ summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// What every chapter command provides, so `credit` can list and run any of them.
public protocol ChapterCommand: ParsableCommand {
    /// Short name used by `credit` and as the default output folder, e.g. "td".
    static var chapterName: String { get }
    /// The chapter's prose, relative to the repository's top folder.
    static var prose: String { get }
    /// The figures, in the order they are made.
    static var figures: [FigureInfo] { get }
    var common: CommonOptions { get set }
    /// Computes every figure (and its data) with the parsed options.
    func produce(_ output: FigureWriter) throws
}

extension ChapterCommand {
    /// Lists the figures, or runs the chapter and writes its files.
    public func runChapter() throws {
        if common.list {
            let width = Self.figures.map(\.name.count).max() ?? 0
            for figure in Self.figures {
                print(figure.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + figure.summary)
            }
            return
        }
        let folder = common.outputFolder(chapter: Self.chapterName)
        do {
            try AtomicFile.prepareFolder(folder)
        } catch {
            throw RunFailure(String(describing: error))
        }
        let writer = FigureWriter(
            folder: folder, formats: common.formats, writeData: common.data)
        do {
            try produce(writer)
        } catch let failure as RunFailure {
            throw failure
        } catch {
            throw RunFailure(String(describing: error))
        }
    }

    public func run() throws { try runChapter() }
}

/// A run that failed after its options were accepted (diverged, could not write): exit code 1.
public struct RunFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes a chapter's figures and data files into one folder and reports each file.
public final class FigureWriter {
    public let folder: String
    public let formats: [ImageFormat]
    public let writeData: Bool
    private let start = Date()
    /// Every path written, in order.
    public private(set) var written: [String] = []

    init(folder: String, formats: [ImageFormat], writeData: Bool) {
        self.folder = folder
        self.formats = formats
        self.writeData = writeData
    }

    /// Reports a step of a long run on standard error.
    public func progress(_ message: String) {
        let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
        printError("\(executableName) [\(seconds) s] \(message)")
    }

    /// Renders `figure` in every requested format and, with `--data`, writes `data` as
    /// CSV tables: one table gets the figure's base name, several get `name-<suffix>.csv`.
    public func emit(_ name: String, figure: Figure, data: [(suffix: String, table: CSVTable)] = []) throws {
        for path in try figure.write(to: "\(folder)/\(name)", formats: formats) {
            report(path)
        }
        guard writeData else { return }
        for (suffix, table) in data {
            let path = "\(folder)/\(name)\(suffix.isEmpty ? "" : "-" + suffix).csv"
            try AtomicFile.write(text: table.text, to: path)
            report(path)
        }
    }

    private func report(_ path: String) {
        written.append(path)
        print(path)
    }
}
