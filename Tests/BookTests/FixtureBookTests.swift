import Foundation
import Testing

@testable import Book

/// A tiny repository: a README, one chapter with one figure (PNG, SVG and caption file, and the
/// chapter's copy of the caption), a glossary, one Swift file, and optionally a solution.
struct Fixture {
    let root: URL

    static let chapter = BookChapter(
        prose: "chapters/01-demo.md", name: "demo", executable: "ch1-demo",
        figures: [BookChapter.Figure(name: "fig-a", summary: "the only figure")])

    /// The chapter's text; `extra` is appended to it.
    static func chapterText(_ extra: String = "") -> String {
        """
        # Chapter 1 — Demo: a chapter to test the book

        The model is `DemoModel` in `Sources/Demo/Demo.swift`, run by `demoRun`;
        `fig-a` shows it, s_t and r_{t+1} are subscripts, a*_t and r* are marked,
        and *this* is emphasis. See the [glossary](glossary.md#flags).

        ![The only figure](../figures/demo/fig-a.png)

        <!-- caption fig-a: written by ch1-demo from the figure's code; edit the code, not this text -->
        *Figure `fig-a`.* The chapter's copy of the caption.
        <!-- end caption -->

        \(extra)
        """
    }

    init(chapter: String = Fixture.chapterText(), solution: String? = nil) throws {
        root = try temporaryFolder()
        try write("README.md", "# Demo book — a test\n\nThe introduction.\n\n## Set-up\n\nNot shown.\n")
        try write("chapters/01-demo.md", chapter)
        try write("chapters/glossary.md", "# Glossary: symbols\n\n## Flags\n\n`--out` is a flag.\n")
        try write(
            "Sources/Demo/Demo.swift",
            "/// A model.\nstruct DemoModel {\n    let x = 1\n}\n\nfunc demoRun() {}\n")
        for folder in ["figures/demo", "figures/solutions/demo/ex1"] {
            try write("\(folder)/fig-a.png", "png")
            try write("\(folder)/fig-a.svg", ##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"##)
            try write("\(folder)/fig-a.caption.txt", "The caption from the figure's run (\(folder)).\n")
        }
        if let solution { try write("chapters/solutions/01-demo.md", solution) }
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    var book: Book { Book(repository: root, chapters: [Fixture.chapter]) }

    func html(_ path: String) throws -> String {
        String(decoding: try #require(try book.files()[path]), as: UTF8.self)
    }
}

@Suite struct FixtureBookTests {
    @Test func aSoundBookHasNoProblemsAndNoSolutionsSection() throws {
        let fixture = try Fixture()
        let folder = try writeBook(fixture.book)
        #expect(BookChecker.problems(in: folder) == [])
        let files = try fixture.book.files()
        #expect(!files.keys.contains { $0.hasPrefix("solutions/") })
        #expect(!(try fixture.html("index.html")).contains("Solutions"))
        #expect(files["figures/demo/fig-a.svg"] != nil && files["figures/demo/fig-a.png"] == nil)
    }

    @Test func figureCaptionComesFromTheCaptionFileOnce() throws {
        let page = try Fixture().html("01-demo.html")
        let figure = PageContent(Data(page.utf8)).figures
        #expect(figure.count == 1)
        #expect(figure.first?.src == "figures/demo/fig-a.svg")
        #expect(figure.first?.caption == "Figure fig-a. caption as textThe caption from the figure's run (figures/demo).")
        #expect(page.contains("<details><summary>caption as text</summary>The caption from the figure's run"))
        #expect(!page.contains("The chapter's copy of the caption"))
        #expect(!page.contains("edit the code, not this text"))
    }

    @Test func aFigureShownTwiceGetsTwoIds() throws {
        let fixture = try Fixture(chapter: Fixture.chapterText("![Again](../figures/demo/fig-a.png)\n"))
        let figures = PageContent(Data(try fixture.html("01-demo.html").utf8)).figures
        #expect(figures.map(\.id) == ["figure-fig-a", "figure-fig-a-1"])
        #expect(BookChecker.problems(in: try writeBook(fixture.book)) == [])
    }

    @Test func inlineCodeLinksToFilesSymbolsAndFigures() throws {
        let page = try Fixture().html("01-demo.html")
        #expect(page.contains(##"<a class="code" href="source/Sources/Demo/Demo.swift.html"><code>Sources/Demo/Demo.swift</code></a>"##))
        #expect(page.contains(##"<a class="code" href="source/Sources/Demo/Demo.swift.html#L2"><code>DemoModel</code></a>"##))
        #expect(page.contains(##"<a class="code" href="source/Sources/Demo/Demo.swift.html#L6"><code>demoRun</code></a>"##))
        #expect(page.contains(##"<a class="code" href="#figure-fig-a"><code>fig-a</code></a>"##))
        #expect(page.contains(##"<a href="glossary.html#flags">glossary</a>"##))
        let source = try Fixture().html("source/Sources/Demo/Demo.swift.html")
        #expect(source.contains(##"<span class="line" id="L2"><a class="ln" href="#L2">2</a> struct DemoModel {</span>"##))
    }

    @Test func mathsMarksStayLiteral() throws {
        let page = try Fixture().html("01-demo.html")
        #expect(page.contains("s_t and r_{t+1} are subscripts, a*_t and r* are marked, and <em>this</em> is emphasis."))
    }

    @Test func solutionsGetASectionAndTheirFigures() throws {
        let fixture = try Fixture(
            solution: "# Solutions to Chapter 1\n\n![Run with a change](../../figures/solutions/demo/ex1/fig-a.png)\n")
        let folder = try writeBook(fixture.book)
        #expect(BookChecker.problems(in: folder) == [])
        let page = try fixture.html("solutions/01-demo.html")
        let figure = try #require(PageContent(Data(page.utf8)).figures.first)
        #expect(figure.src == "../figures/solutions/demo/ex1/fig-a.svg")
        #expect(figure.caption.hasSuffix("(figures/solutions/demo/ex1)."))
        #expect(try fixture.html("01-demo.html").contains(##"<a href="solutions/01-demo.html">Solutions to Chapter 1</a>"##))
    }

    /// Planted faults: a link to a missing page, a missing image, a fragment the target lacks, a
    /// registered figure the chapter does not show, and a page that is not well-formed.
    @Test func theCheckerCatchesBrokenLinksAndImages() throws {
        let fixture = try Fixture(
            chapter: Fixture.chapterText("[gone](02-gone.md), [nowhere](glossary.md#nowhere)\n\n![Lost](../figures/demo/lost.png)\n"))
        let unshown = BookChapter(
            prose: "chapters/01-demo.md", name: "demo", executable: "ch1-demo",
            figures: Fixture.chapter.figures + [BookChapter.Figure(name: "fig-b", summary: "declared, never shown")])
        let folder = try writeBook(Book(repository: fixture.root, chapters: [unshown]))
        try Data("<html><body><p>unclosed</body></html>".utf8).write(to: folder.appendingPathComponent("broken.html"))
        let problems = BookChecker.problems(in: folder)
        let expected = [
            ##"01-demo.html: href="chapters/02-gone.md" names a file that is not in the book"##,
            ##"01-demo.html: href="glossary.html#nowhere" names #nowhere, which glossary.html does not have"##,
            ##"01-demo.html: href="figures/demo/lost.png" names a file that is not in the book"##,
            ##"01-demo.html: src="figures/demo/lost.png" names a file that is not in the book"##,
            ##"figures-demo.html: href="01-demo.html#figure-fig-b" names #figure-fig-b, which 01-demo.html does not have"##,
            // The thumbnail and the name both link to the figure.
            ##"figures-demo.html: href="01-demo.html#figure-fig-b" names #figure-fig-b, which 01-demo.html does not have"##,
            ##"figures-demo.html: src="figures/demo/fig-b.png" names a file that is not in the book"##,
            "broken.html:1: not well-formed XML",
        ]
        #expect(problems.count == expected.count, "\(problems.joined(separator: "\n"))")
        for (found, line) in zip(problems.sorted(), expected.sorted()) {
            #expect(found.hasPrefix(line))
        }
    }

    @Test func outsideResourcesAndAbsolutePathsAreProblems() throws {
        let folder = try temporaryFolder()
        let page = """
            <html xmlns="http://www.w3.org/1999/xhtml"><head><link rel="stylesheet" href="https://cdn.example/x.css"/></head>\
            <body><img src="/figures/x.svg"/><a href="https://doi.org/10.1/x">a reference</a></body></html>
            """
        try Data(page.utf8).write(to: folder.appendingPathComponent("page.html"))
        #expect(
            BookChecker.problems(in: folder) == [
                ##"page.html: href="https://cdn.example/x.css" loads a file from outside the book"##,
                ##"page.html: src="/figures/x.svg" is an absolute path, which does not work offline"##,
            ])
    }

    @Test func onlyAnEmptyFolderOrAnEarlierBookIsReplaced() throws {
        let folder = try temporaryFolder()
        try Data("keep me".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        #expect(throws: (any Error).self) { try BookFolder.replace(folder.path, with: ["index.html": []]) }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))
        let book = folder.appendingPathComponent("book").path
        try BookFolder.replace(book, with: ["index.html": [1], "old.html": [2]])
        try BookFolder.replace(book, with: ["index.html": [3]])
        #expect(try FileManager.default.contentsOfDirectory(atPath: book).sorted() == [BookFolder.marker, "index.html"])
    }
}

@Suite struct BookPieceTests {
    @Test func relativePaths() {
        #expect(Paths.relative(from: "solutions/a.html", to: "figures/x.svg") == "../figures/x.svg")
        #expect(Paths.relative(from: "index.html", to: "source/Sources/A.swift.html") == "source/Sources/A.swift.html")
        #expect(Paths.relative(from: "source/Sources/A.swift.html", to: "source/Sources/B.swift.html") == "B.swift.html")
        #expect(Paths.relative(from: "source/Sources/X/A.swift.html", to: "02-td.html") == "../../../02-td.html")
        #expect(Paths.resolve("../../figures/solutions/td/x.png", from: "chapters/solutions/td.md") == "figures/solutions/td/x.png")
        #expect(Paths.resolve("../../x", from: "chapters/a.md") == nil)
    }

    @Test func headingIds() {
        #expect(slug("Same letter, different meanings") == "same-letter-different-meanings")
        #expect(slug("Chapter 1 (ch1-backprop)") == "chapter-1-ch1-backprop")
    }

    @Test func literalStarsFollowCommonMark() {
        func literal(_ text: String) -> [Int] { literalStars(in: Array(text)) }
        #expect(literal("*which* of") == [])
        #expect(literal("r* = f(inp*) and r*.") == [1, 10, 18])
        #expect(literal("(r*, a*_t)") == [2, 6])
        #expect(literal("* item\n* *bold-ish*") == [])
        #expect(literal("**bold** and `a*b`") == [])
        #expect(literal("an *open star\n\nnext") == [3])
    }

    @Test func continuationLinesJoinTheirParagraph() {
        #expect(joiningContinuationLines("text in\n`Code.swift` here") == "text in `Code.swift` here")
        #expect(joiningContinuationLines("run with\n--gamma 0.9") == "run with --gamma 0.9")
        #expect(joiningContinuationLines("- item *one\n  two* end\n- next") == "- item *one two* end\n- next")
        #expect(joiningContinuationLines("text\n\n`code` starts a paragraph") == "text\n\n`code` starts a paragraph")
        #expect(joiningContinuationLines("text\n```sh\n`x`\n```") == "text\n```sh\n`x`\n```")
        #expect(joiningContinuationLines("| a |\n`b`") == "| a |\n`b`")
        #expect(joiningContinuationLines("text\n- a list") == "text\n- a list")
    }
}
