import ArgumentParser
import Chapters
import FileIO
import Foundation

/// `credit book`: writes the chapters as an offline HTML book and checks its links.
package struct BookCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Write the chapters as a static HTML book that works offline.",
        discussion: """
            Run from the repository's top folder. The book replaces the folder's previous \
            content; open <out>/index.html, or serve the folder with 'python3 -m http.server'.
            """)

    @Option(help: "Folder that receives the book (replaced whole; it must be empty or an earlier book).")
    var out = "book"

    package init() {}

    package func run() throws {
        let repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard FileManager.default.fileExists(atPath: repository.appendingPathComponent("chapters").path) else {
            throw RunFailure("no chapters/ folder here; run 'credit book' from the repository's top folder")
        }
        let files: [String: [UInt8]]
        do {
            files = try Book(repository: repository).files()
            try BookFolder.replace(out, with: files)
        } catch let failure as RunFailure {
            throw failure
        } catch {
            throw RunFailure(String(describing: error))
        }
        let problems = BookChecker.problems(in: URL(fileURLWithPath: out))
        guard problems.isEmpty else {
            throw RunFailure("the book in \(out)/ has \(problems.count) problems:\n" + problems.joined(separator: "\n"))
        }
        let pages = files.keys.filter { $0.hasSuffix(".html") }.count
        let figures = files.keys.filter { $0.hasPrefix("figures/") }.count
        print("book: \(pages) pages, \(figures) figures in \(out)/ (open \(out)/index.html)")
    }
}

/// Writes a book folder whole: the files go into a new folder beside it, which then takes its
/// place, so a reader never sees half of a book and no page of an earlier book is left over.
/// A folder is replaced only if it is empty or holds a book (the marker file says so).
package enum BookFolder {
    /// The file that marks a folder as a book written here.
    package static let marker = ".credit-book"

    package static func replace(_ folder: String, with files: [String: [UInt8]]) throws {
        let manager = FileManager.default
        let trimmed = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        if manager.fileExists(atPath: trimmed) {
            let content = (try? manager.contentsOfDirectory(atPath: trimmed)) ?? []
            guard content.isEmpty || content.contains(marker) else {
                throw RunFailure("\(trimmed)/ is neither empty nor a book written by 'credit book'; choose another --out")
            }
        }
        let staging = trimmed + ".partial"
        try? manager.removeItem(atPath: staging)
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) + [(marker, [])] {
            let target = "\(staging)/\(path)"
            try AtomicFile.prepareFolder((target as NSString).deletingLastPathComponent)
            try AtomicFile.write(bytes, to: target)
        }
        if manager.fileExists(atPath: trimmed) { try manager.removeItem(atPath: trimmed) }
        try manager.moveItem(atPath: staging, toPath: trimmed)
    }
}
