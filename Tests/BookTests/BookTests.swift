import Foundation
import Testing

@testable import Book
@testable import Chapters

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The repository's top folder (this file is Tests/BookTests/BookTests.swift).
let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A new empty folder under the system's temporary folder.
func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("book-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// A book written into a fresh folder; the folder.
func writeBook(_ book: Book) throws -> URL {
    let folder = try temporaryFolder().appendingPathComponent("book")
    try BookFolder.replace(folder.path, with: try book.files())
    return folder
}

/// The `<figure>` elements of a page, as XML: id, image source and caption text.
struct FigureElement {
    var id: String
    var src: String?
    var caption = ""
}

/// Reads the figures and every `href` of an XHTML page.
final class PageContent: NSObject, XMLParserDelegate {
    var figures: [FigureElement] = []
    var hrefs: [String] = []
    var text = ""
    private var inCaption = false

    init(_ data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        _ = parser.parse()
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if let href = attributes["href"] { hrefs.append(href) }
        switch element {
        case "figure": figures.append(FigureElement(id: attributes["id"] ?? ""))
        case "img" where !figures.isEmpty && figures[figures.count - 1].src == nil: figures[figures.count - 1].src = attributes["src"]
        case "figcaption": inCaption = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "figcaption" { inCaption = false }
        if element == "figure" {
            figures[figures.count - 1].caption = figures[figures.count - 1].caption.trimmingCharacters(in: .whitespaces)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
        if inCaption { figures[figures.count - 1].caption += string }
    }
}

/// The book of the real repository, written once for the tests that read it.
private let realBook: Result<URL, any Error> = Result { try writeBook(Book(repository: repository)) }

@Suite struct RealBookTests {
    let folder: URL
    init() throws { folder = try realBook.get() }

    func page(_ path: String) throws -> PageContent {
        PageContent(try Data(contentsOf: folder.appendingPathComponent(path)))
    }

    @Test func everyPageIsWellFormedAndEveryLinkResolves() {
        let problems = BookChecker.problems(in: folder)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func everyChapterFileGlossaryGuideAndSolutionHasAPage() throws {
        let chapters = try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("chapters").path)
            .filter { $0.range(of: #"^\d\d-.+\.md$"#, options: .regularExpression) != nil }
        #expect(chapters.count >= bookChapters.count)
        let solutions =
            (try? FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("chapters/solutions").path)) ?? []
        let expected =
            chapters.map { String($0.dropLast(3)) + ".html" } + ["glossary.html", "instructor.html", "index.html"]
            + solutions.filter { $0.hasSuffix(".md") }.map { "solutions/" + String($0.dropLast(3)) + ".html" }
            + bookChapters.map { "figures-\($0.name).html" }
        for path in expected {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path), "\(path) is missing")
        }
        let index = try page("index.html")
        for path in expected where path != "index.html" {
            #expect(index.hrefs.contains(path), "the contents do not link to \(path)")
        }
    }

    /// Every figure each chapter declares is shown on its page as one `<figure>` whose image is in
    /// the book (the SVG where there is one) and whose caption is the figure's caption file, folded
    /// (the image draws it) and with its `_{…}` subscripts as text; the chapter's own copy of the
    /// caption is not shown a second time.
    @Test(arguments: bookChapters.map { $0.name })
    func everyFigureIsShownWithItsCaption(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let pagePath = String(chapter.prose.dropFirst("chapters/".count).dropLast(3)) + ".html"
        let content = try page(pagePath)
        #expect(content.figures.map(\.id).sorted() == chapter.figures.map { "figure-\($0.name)" }.sorted())
        for figure in chapter.figures {
            let shown = try #require(content.figures.first { $0.id == "figure-\(figure.name)" })
            let svg = "figures/\(name)/\(figure.name).svg"
            #expect(shown.src == svg)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(svg).path))
            let caption = try String(
                contentsOf: repository.appendingPathComponent("figures/\(name)/\(figure.name).caption.txt"), encoding: .utf8
            ).trimmingCharacters(in: .whitespacesAndNewlines)
                .replacingOccurrences(of: #"_\{([^}]*)\}"#, with: "$1", options: .regularExpression)
            #expect(shown.caption == "Figure \(figure.name). caption as text\(caption)")
            #expect(content.text.components(separatedBy: caption).count == 2, "\(figure.name)'s caption is shown more than once")
        }
    }

    /// The figures page lists every figure with its summary and the command that redraws it.
    @Test(arguments: bookChapters.map { $0.name })
    func figuresPageListsEveryFigureAndItsCommand(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let content = try page("figures-\(name).html")
        for figure in chapter.figures {
            #expect(content.text.contains(".build/release/\(chapter.executable) --figure \(figure.name)"))
            #expect(content.text.contains(figure.summary))
        }
    }

    /// A symbol link lands on a line that declares that symbol; a file link on that file's page.
    @Test func codeLinksLandOnTheirDeclarations() throws {
        var checked = 0
        var fallbacks: [String] = []
        for chapter in bookChapters {
            let pagePath = String(chapter.prose.dropFirst("chapters/".count).dropLast(3)) + ".html"
            let html = try String(contentsOf: folder.appendingPathComponent(pagePath), encoding: .utf8)
            let links = html.matches(of: /<a class="code" href="source\/([^"#]+)\.html(?:#L(\d+))?"><code>([^<]+)<\/code>/)
            for link in links {
                let (file, line, span) = (String(link.output.1), link.output.2.map { Int($0)! }, String(link.output.3))
                guard let line else {
                    #expect(span == file)
                    continue
                }
                let source = try String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8)
                let declared = source.split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
                // `Type.member` lands on the member, or on the type when the member is not found.
                let names = span.split(separator: ".").reversed().map(String.init).joined(separator: "|")
                #expect(
                    declared.contains(try Regex(#"(struct|enum|class|protocol|actor|func|var|let|case|typealias)\s+("# + names + #")\b"#)),
                    "\(span) links to \(file):\(line), which is \(declared)")
                if span.contains(".") && !declared.contains(span.split(separator: ".").last!) { fallbacks.append(span) }
                checked += 1
            }
        }
        #expect(checked > 50)
        #expect(fallbacks.isEmpty, "\(fallbacks) land on their type, not on the member")
    }

    @Test func theManifestListsEveryPage() throws {
        struct Manifest: Decodable {
            struct Entry: Decodable {
                let path: String
                let figures: [String]
            }
            let pages: [Entry]
        }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent(Book.manifest)))
        let pages = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".html") }
        #expect(Set(manifest.pages.map(\.path)) == Set(pages))
        for chapter in bookChapters {
            let page = String(chapter.prose.dropFirst("chapters/".count).dropLast(3)) + ".html"
            #expect(manifest.pages.first { $0.path == page }?.figures == chapter.figures.map(\.name))
        }
    }

    @Test func generationIsDeterministic() throws {
        let again = try writeBook(Book(repository: repository))
        let first = try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted()
        #expect(first == (try FileManager.default.subpathsOfDirectory(atPath: again.path).sorted()))
        for path in first {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
            if !exists || isFolder.boolValue { continue }
            let a = try Data(contentsOf: folder.appendingPathComponent(path))
            let b = try Data(contentsOf: again.appendingPathComponent(path))
            #expect(a == b, "\(path) differs between two runs")
        }
    }
}
