import Foundation
import Testing

/// `credit book` as a user runs it: from the repository's top folder, into --out.
@Suite struct BookCommandTests {
    /// The repository's top folder (this file is Tests/CLITests/BookCommandTests.swift).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func writesACheckedBookAndReplacesOnlyABook() throws {
        try withTemporaryFolder { folder in
            let book = folder + "/book"
            let outcome = try run("credit", ["book", "--out", book], in: Self.repository)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.hasPrefix("book: ") && outcome.stdout.contains(" pages, "))
            #expect(FileManager.default.fileExists(atPath: book + "/index.html"))
            #expect(try run("credit", ["book", "--out", book], in: Self.repository).status == 0)

            let notes = folder + "/notes"
            try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: notes + "/keep.txt", contents: Data("mine".utf8))
            let refused = try run("credit", ["book", "--out", notes], in: Self.repository)
            #expect(refused.status == 1)
            #expect(refused.stderrLines.count == 1 && refused.stderr.contains("--out"))
            #expect(try String(contentsOfFile: notes + "/keep.txt", encoding: .utf8) == "mine")
        }
    }

    @Test func outsideARepositoryItSaysWhereToRunIt() throws {
        try withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let outcome = try run("credit", ["book"], in: folder)
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("run 'credit book' from the repository's top folder"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/book"))
        }
    }
}
