import Chapters
import Foundation

/// A chapter as the book needs it: its prose file and, from its registration, the executable
/// and the figures it makes.
package struct BookChapter: Sendable {
    /// One figure: its base name and its one-line summary.
    package struct Figure: Sendable {
        package let name: String
        package let summary: String
        package init(name: String, summary: String) {
            self.name = name
            self.summary = summary
        }
    }

    package let prose: String
    package let name: String
    package let executable: String
    package let figures: [Figure]

    package init(prose: String, name: String, executable: String, figures: [Figure]) {
        self.prose = prose
        self.name = name
        self.executable = executable
        self.figures = figures
    }

    /// Every chapter of ``bookChapters`` (the synthesis included), in order.
    package static var registered: [BookChapter] {
        bookChapters.map { chapter in
            BookChapter(
                prose: chapter.prose, name: chapter.name, executable: chapter.executable,
                figures: chapter.figures.map { Figure(name: $0.name, summary: $0.summary) })
        }
    }
}

/// One page of the book: where it goes, its titles (full, and short for the navigation), the
/// navigation section it is listed under, the HTML of its main column, and the figures a reader
/// must see on it (the browser check reads them from manifest.json).
struct Page {
    let path: String
    let title: String
    let shortTitle: String
    let section: String
    let body: String
    let figures: [String]
}

/// The chapters of a repository as a static HTML book: an index, one page per chapter file
/// (`chapters/0N-*.md`, in order), the glossary and the instructor guide, one page of figures
/// per registered chapter, the solutions (`chapters/solutions/*.md`, when there are any) and
/// one page per Swift file the text names. Every file is made from the repository alone, in
/// sorted order and without dates, so the same repository gives the same bytes.
package struct Book {
    package let repository: URL
    package let chapters: [BookChapter]

    /// The navigation sections, in the order of the pages.
    static let sections = ["Chapters", "Figures", "Reference", "Solutions", "Source files"]

    package init(repository: URL, chapters: [BookChapter] = BookChapter.registered) {
        self.repository = repository
        self.chapters = chapters
    }

    /// Every file of the book, by its path inside the book.
    package func files() throws -> [String: [UInt8]] {
        let markdown = try markdownSources()
        let pageOfFile = Dictionary(uniqueKeysWithValues: markdown.map { ($0.file, $0.page) } + [("README.md", "index.html")])
        let registered = chapters.filter { pageOfFile[$0.prose] != nil }
        let figureAnchors = Dictionary(
            registered.flatMap { chapter in chapter.figures.map { ($0.name, "\(pageOfFile[chapter.prose]!)#figure-\($0.name)") } },
            uniquingKeysWith: { first, _ in first })
        let links = try BookLinks(repository: repository, pages: pageOfFile, figureAnchors: figureAnchors)

        var pages: [Page] = []
        for source in markdown {
            let text = try read(source.file)
            let rendered = renderMarkdown(text, file: source.file, page: source.page, links: links)
            let title = firstHeading(text) ?? source.file
            let expected = chapters.first { $0.prose == source.file }.map { $0.figures.map(\.name) } ?? rendered.figures
            pages.append(
                Page(
                    path: source.page, title: title, shortTitle: shortTitle(title), section: source.section,
                    body: rendered.html, figures: expected))
        }
        let readme = try read("README.md")
        let bookTitle = firstHeading(readme) ?? "The book"
        let introduction = renderMarkdown(opening(of: readme), file: "README.md", page: "index.html", links: links).html
        pages += try registered.map { chapter in
            try figuresPage(chapter, chapterPage: pages.first { $0.path == pageOfFile[chapter.prose] }!, links: links)
        }
        // By section, and in the order made within a section.
        pages = pages.enumerated().sorted { a, b in
            (Self.sections.firstIndex(of: a.element.section)!, a.offset) < (Self.sections.firstIndex(of: b.element.section)!, b.offset)
        }.map(\.element)
        pages += try sourcePages(links: links, namedBy: pages)
        pages.insert(try indexPage(bookTitle: bookTitle, introduction: introduction, pages: pages), at: 0)

        var files: [String: [UInt8]] = [:]
        for (index, page) in pages.enumerated() {
            let html = try Templates.render(
                "layout",
                Layout(
                    page: page, bookTitle: bookTitle, pages: pages,
                    previous: index > 0 ? pages[index - 1] : nil, next: index + 1 < pages.count ? pages[index + 1] : nil))
            files[page.path] = Array(html.utf8)
        }
        for (target, source) in links.copies {
            files[target] = Array(try Data(contentsOf: repository.appendingPathComponent(source)))
        }
        files["style.css"] = Array(Templates.stylesheet.utf8)
        files["icon.svg"] = Array(Templates.icon.utf8)
        files[Book.manifest] = try manifest(pages)
        return files
    }

    /// The file that lists every page and the figures shown on it, for the browser check.
    package static let manifest = "manifest.json"

    /// A Markdown file of the repository that becomes a page.
    private struct MarkdownSource {
        let file: String
        let page: String
        let section: String
    }

    /// The chapters (`chapters/0N-*.md`), the glossary and instructor guide, and the solutions.
    private func markdownSources() throws -> [MarkdownSource] {
        let chapterFiles = try list("chapters").filter { $0.range(of: #"^\d\d-.+\.md$"#, options: .regularExpression) != nil }
        let reference = ["glossary.md", "instructor.md"].filter { links(exist: "chapters/\($0)") }
        let solutions = try list("chapters/solutions").filter { $0.hasSuffix(".md") }
        return chapterFiles.map { MarkdownSource(file: "chapters/\($0)", page: htmlName($0), section: "Chapters") }
            + reference.map { MarkdownSource(file: "chapters/\($0)", page: htmlName($0), section: "Reference") }
            + solutions.map { MarkdownSource(file: "chapters/solutions/\($0)", page: "solutions/\(htmlName($0))", section: "Solutions") }
    }

    /// The figures page of a registered chapter.
    private func figuresPage(_ chapter: BookChapter, chapterPage: Page, links: BookLinks) throws -> Page {
        let page = "figures-\(chapter.name).html"
        struct Entry {
            let name: String
            let summary: String
            let src: String
            let shownAt: String
            let command: String
        }
        let entries = chapter.figures.map { figure in
            Entry(
                name: figure.name, summary: figure.summary,
                src: Paths.relative(from: page, to: links.bookPath(for: "figures/\(chapter.name)/\(figure.name).png", from: page)),
                shownAt: Paths.relative(from: page, to: chapterPage.path) + "#figure-\(figure.name)",
                command: ".build/release/\(chapter.executable) --figure \(figure.name)")
        }
        struct Content {
            let chapterTitle: String
            let chapterHref: String
            let executable: String
            let name: String
            let figures: [Entry]
        }
        let body = try Templates.render(
            "figures",
            Content(
                chapterTitle: chapterPage.title, chapterHref: Paths.relative(from: page, to: chapterPage.path),
                executable: chapter.executable, name: chapter.name, figures: entries))
        return Page(
            path: page, title: "Figures: \(chapterPage.title)", shortTitle: chapterPage.shortTitle, section: "Figures",
            body: body, figures: chapter.figures.map(\.name))
    }

    /// One page per Swift file the other pages link to, and the list of them.
    private func sourcePages(links: BookLinks, namedBy others: [Page]) throws -> [Page] {
        let files = links.sources.keys.sorted()
        var pages = try files.map { file -> Page in
            let page = "source/\(file).html"
            let namedIn = others.filter { links.sources[file]!.contains($0.path) }
                .map { (title: $0.shortTitle, href: Paths.relative(from: page, to: $0.path)) }
            return Page(
                path: page, title: file, shortTitle: file.replacingOccurrences(of: "Sources/", with: ""),
                section: "Source files", body: sourcePageBody(path: file, text: try read(file), namedIn: namedIn), figures: [])
        }
        struct Entry {
            let title: String
            let href: String
        }
        let index = "source/index.html"
        let body = try Templates.render(
            "sourceIndex", ["files": files.map { Entry(title: $0, href: Paths.relative(from: index, to: "source/\($0).html")) }])
        pages.insert(
            Page(path: index, title: "Source files", shortTitle: "All source files", section: "Source files", body: body, figures: []),
            at: 0)
        return pages
    }

    /// The front page: the introduction and the contents.
    private func indexPage(bookTitle: String, introduction: String, pages: [Page]) throws -> Page {
        let body = try Templates.render(
            "index",
            [
                "bookTitle": bookTitle, "introduction": introduction,
                "sections": navigation(pages, current: "index.html", contents: true),
            ] as [String: Any])
        return Page(path: "index.html", title: "Contents", shortTitle: "Contents", section: "", body: body, figures: [])
    }

    /// The manifest: every page with the figures a reader must see on it.
    private func manifest(_ pages: [Page]) throws -> [UInt8] {
        struct Entry: Encodable {
            let path: String
            let figures: [String]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(["pages": pages.map { Entry(path: $0.path, figures: $0.figures) }])) + [10]
    }

    private func read(_ file: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8)
    }

    /// The names in a folder of the repository, sorted (none if it is absent).
    private func list(_ folder: String) throws -> [String] {
        let url = repository.appendingPathComponent(folder)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    private func links(exist file: String) -> Bool {
        FileManager.default.fileExists(atPath: repository.appendingPathComponent(file).path)
    }
}

/// The README's text between its title and its first section.
private func opening(of readme: String) -> String {
    let beforeFirstSection = readme.components(separatedBy: "\n## ").first ?? ""
    let lines = beforeFirstSection.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.drop { !$0.hasPrefix("# ") }.dropFirst().joined(separator: "\n")
}

/// "02-td.md" → "02-td.html".
private func htmlName(_ markdownName: String) -> String {
    String(markdownName.dropLast(3)) + ".html"
}

/// The text of the first level-1 heading, without Markdown's backticks and emphasis.
private func firstHeading(_ markdown: String) -> String? {
    markdown.split(separator: "\n").first { $0.hasPrefix("# ") }
        .map { String($0.dropFirst(2)).replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "*", with: "") }
}

/// The navigation's name of a page: "Chapter 2 — Temporal credit: TD learning" → "2. Temporal
/// credit"; "Glossary: symbols and flags" → "Glossary".
private func shortTitle(_ title: String) -> String {
    var short = title.components(separatedBy: ": ").first ?? title
    if let match = short.range(of: #"^Chapter (\d+) — "#, options: .regularExpression) {
        short = short[match].dropFirst("Chapter ".count).prefix { $0.isNumber } + ". " + short[match.upperBound...]
    }
    return short
}

/// The navigation sections as the templates take them.
struct NavigationSection {
    let title: String
    let folded: Bool
    let open: Bool
    let links: [NavigationLink]
}

struct NavigationLink {
    let title: String
    let href: String
    let current: Bool
}

/// Every page by section, as links from `current`; the source files are folded away (open on a
/// source page). For the contents, the full titles (but for the figures pages, listed under
/// their chapters' short titles) and only the list of source files.
func navigation(_ pages: [Page], current: String, contents: Bool = false) -> [NavigationSection] {
    Book.sections.compactMap { section in
        var members = pages.filter { $0.section == section }
        if contents && section == "Source files" { members = Array(members.prefix(1)) }
        guard !members.isEmpty else { return nil }
        let folded = !contents && section == "Source files"
        return NavigationSection(
            title: section, folded: folded, open: folded && members.contains { $0.path == current },
            links: members.map {
                NavigationLink(
                    title: contents && section != "Figures" ? $0.title : $0.shortTitle, href: Paths.relative(from: current, to: $0.path),
                    current: $0.path == current)
            })
    }
}

/// What the layout template shows around a page.
private struct Layout {
    let title: String
    let bookTitle: String
    let stylesheet: String
    let icon: String
    let home: String
    let sections: [NavigationSection]
    let previous: [NavigationLink]
    let next: [NavigationLink]
    let body: String

    init(page: Page, bookTitle: String, pages: [Page], previous: Page?, next: Page?) {
        func link(_ other: Page) -> NavigationLink {
            NavigationLink(title: other.shortTitle, href: Paths.relative(from: page.path, to: other.path), current: false)
        }
        title = page.title
        self.bookTitle = bookTitle
        stylesheet = Paths.relative(from: page.path, to: "style.css")
        icon = Paths.relative(from: page.path, to: "icon.svg")
        home = Paths.relative(from: page.path, to: "index.html")
        sections = navigation(pages, current: page.path)
        self.previous = previous.map { [link($0)] } ?? []
        self.next = next.map { [link($0)] } ?? []
        body = page.body
    }
}
