import Foundation
import Ink

/// Maps the repository's files to the book's and remembers what the pages use: the files to
/// copy (figures, others) and the Swift sources that need a page, with the pages naming them.
final class BookLinks {
    let repository: URL
    /// Book path of each Markdown file that is a page ("chapters/02-td.md" → "02-td.html").
    let pages: [String: String]
    /// Where each figure name of a registered chapter is shown ("rpe-transfer" → "02-td.html#figure-rpe-transfer").
    let figureAnchors: [String: String]
    let symbols: SymbolIndex
    /// Files to copy into the book: book path → repository path.
    private(set) var copies: [String: String] = [:]
    /// Swift files that get a page → the book pages that name them.
    private(set) var sources: [String: Set<String>] = [:]

    init(repository: URL, pages: [String: String], figureAnchors: [String: String]) throws {
        self.repository = repository
        self.pages = pages
        self.figureAnchors = figureAnchors
        self.symbols = try SymbolIndex(repository: repository)
    }

    /// Whether the repository has a file (not a folder) at `path`.
    func isFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: repository.appendingPathComponent(path).path, isDirectory: &isFolder)
            && !isFolder.boolValue
    }

    /// The book path that stands for the repository file at `path`, named from the book page
    /// `page`: a page for Markdown pages and Swift files, the SVG beside a PNG figure, a copy
    /// for anything else. A file that does not exist keeps its path, so the checker reports it.
    func bookPath(for path: String, from page: String) -> String {
        if let target = pages[path] { return target }
        guard isFile(path) else { return path }
        if path.hasSuffix(".swift") {
            sources[path, default: []].insert(page)
            return "source/\(path).html"
        }
        var copied = path
        if path.hasPrefix("figures/") && path.hasSuffix(".png") {
            let svg = String(path.dropLast(4)) + ".svg"
            if isFile(svg) { copied = svg }
        }
        let target = copied.hasPrefix("figures/") ? copied : "files/\(copied)" + (copied.contains(".") ? "" : ".txt")
        copies[target] = copied
        return target
    }

    /// The reference a book page at `page` makes for `target`, as written in the repository file
    /// `file`: outside links and fragments are kept, a repository path becomes the book's.
    func href(_ target: String, in file: String, page: String) -> String {
        if Paths.hasScheme(target) || target.hasPrefix("#") { return target }
        let (path, fragment) = Paths.splitFragment(target)
        guard let resolved = Paths.resolve(path, from: file) else { return target }
        let relative = Paths.relative(from: page, to: bookPath(for: resolved, from: page))
        return relative + (fragment.map { "#\($0)" } ?? "")
    }

    /// Where an inline code span links to from `page`: a Swift file or a Markdown page it names,
    /// the place a figure it names is shown, or the line declaring a symbol it names (among
    /// several, preferably one in `files`, those the page names); nil for
    /// anything else (flags, formulas, values), which stays plain code.
    func codeHref(_ span: String, page: String, near files: Set<String>) -> String? {
        if span.hasSuffix(".swift") || pages[span] != nil, isFile(span) {
            return Paths.relative(from: page, to: bookPath(for: span, from: page))
        }
        if let anchor = figureAnchors[span] {
            let (path, fragment) = Paths.splitFragment(anchor)
            return path == page ? "#\(fragment ?? "")" : Paths.relative(from: page, to: anchor)
        }
        if let declaration = symbols.resolve(span, near: files) {
            return Paths.relative(from: page, to: bookPath(for: declaration.file, from: page)) + "#L\(declaration.line)"
        }
        return nil
    }
}

/// A Markdown file rendered for the book: the HTML of the page's main column and the names of
/// the figures it shows, in order.
struct RenderedMarkdown {
    let html: String
    let figures: [String]
}

/// Renders Markdown with Ink for the book page `page` (the text comes from the repository
/// file `file`, against which its relative links are resolved):
/// - each image becomes a `<figure>`; beside a `<name>.caption.txt` (the file the figure's run
///   writes), that text is its `<figcaption>` (folded, since the image draws it too), and the copy of the caption the chapter keeps
///   between `<!-- caption … -->` and `<!-- end caption -->` is left out, so it is not shown twice;
/// - headings get GitHub's ids (so `glossary.md#command-line-flags` lands);
/// - links and inline code are linked as ``BookLinks`` says;
/// - the markup is XHTML (`<hr/>`, `<br/>`), so every page parses as XML, with a line break
///   after each block.
func renderMarkdown(_ markdown: String, file: String, page: String, links: BookLinks) -> RenderedMarkdown {
    final class State {
        var ids: [String: Int] = [:]
        var figures: [String] = []
    }
    let state = State()
    let namedFiles = Set(
        markdown.matches(of: /`([^`\n]+\.swift)`/).map { String($0.output.1) })
    let prepared = protectingLiteralMarks(
        joiningContinuationLines(markdown).replacingOccurrences(
            of: #"(?s)<!-- caption [^\n]*-->.*?<!-- end caption -->\n?"#, with: "", options: .regularExpression))
    var parser = MarkdownParser()
    /// `id`, or `id-1`, `id-2` … when the page has it already.
    func uniqueId(_ id: String) -> String {
        let seen = state.ids[id, default: 0]
        state.ids[id] = seen + 1
        return seen > 0 ? "\(id)-\(seen)" : id
    }
    parser.addModifier(
        Modifier(target: .headings) { html, _ in
            guard let close = html.firstIndex(of: ">") else { return html }
            let id = uniqueId(slug(plainText(fromHTML: restoringLiteralMarks(html))))
            return html[..<close] + " id=\"\(escapeXML(id))\"" + html[close...]
        })
    parser.addModifier(
        Modifier(target: .links) { html, markdown in
            guard let target = linkTarget(markdown), let text = html.range(of: #"(?<=">).*(?=</a>$)"#, options: .regularExpression)
            else { return html }
            return "<a href=\"\(escapeXML(links.href(target, in: file, page: page)))\">\(html[text])</a>"
        })
    parser.addModifier(
        Modifier(target: .images) { html, markdown in
            guard let target = linkTarget(markdown) else { return html }
            let alt =
                html.range(of: #"(?<= alt=").*(?="/>$)"#, options: .regularExpression)
                .map { escapeXML(plainText(fromHTML: String(html[$0]))) } ?? ""
            let name = ((target as NSString).lastPathComponent as NSString).deletingPathExtension
            let src = escapeXML(links.href(target, in: file, page: page))
            var caption = alt
            if let path = Paths.resolve(String(target.dropLast(4)) + ".caption.txt", from: file), target.hasSuffix(".png"),
                let text = try? String(contentsOf: links.repository.appendingPathComponent(path), encoding: .utf8)
            {
                // The image carries its caption already; the text copy (searchable, selectable, read
                // aloud) is folded away so a reader does not see it twice.
                caption =
                    "<span class=\"figure-name\">Figure <code>\(escapeXML(name))</code>.</span> "
                    + "<details><summary>caption as text</summary>\(captionHTML(text))</details>"
            }
            state.figures.append(name)
            return """
                <figure id="\(escapeXML(uniqueId("figure-\(name)")))"><a href="\(src)"><img src="\(src)" alt="\(alt)"/></a>\
                <figcaption>\(caption)</figcaption></figure>
                """
        })
    parser.addModifier(
        Modifier(target: .inlineCode) { html, _ in
            let span = plainText(fromHTML: restoringLiteralMarks(html))
            guard let href = links.codeHref(span, page: page, near: namedFiles) else { return html }
            return "<a class=\"code\" href=\"\(escapeXML(href))\">\(html)</a>"
        })
    parser.addModifier(Modifier(target: .horizontalLines) { _, _ in "<hr/>" })
    let html = restoringLiteralMarks(parser.html(from: prepared)).replacingOccurrences(of: "<br>", with: "<br/>")
        .replacingOccurrences(of: #"(</(p|h[1-6]|ul|ol|table|pre|figure|blockquote)>|<hr/>)"#, with: "$1\n", options: .regularExpression)
    return RenderedMarkdown(html: html, figures: state.figures)
}

/// Marks the chapters' maths uses literally, which Ink would read as emphasis: a star that
/// Markdown would not take for emphasis (r*, f(inp*), a*_t; see ``literalStars(in:)``) and an
/// underscore inside a word (s_t, η_w, r_{t+1}, a*_t). Each is swapped for a private-use
/// character before parsing and back after.
private let starStand: Character = "\u{E001}"
private let underscoreStand = "\u{E000}"

private func protectingLiteralMarks(_ text: String) -> String {
    var characters = Array(text)
    for index in literalStars(in: characters) { characters[index] = starStand }
    return String(characters).replacingOccurrences(
        of: #"(?<=[\p{L}\p{N})\]}′'\x{E001}])_(?=[\p{L}\p{N}({\[])"#, with: underscoreStand, options: .regularExpression)
}

private func restoringLiteralMarks(_ text: some StringProtocol) -> String {
    text.replacingOccurrences(of: String(starStand), with: "*").replacingOccurrences(of: underscoreStand, with: "_")
}

/// The positions of the single stars that CommonMark reads literally: in each paragraph (outside
/// code), a star that can neither close an open emphasis nor open one (it opens only when the
/// next character is not a space, and, if that character is punctuation, the one before is a
/// space or punctuation too), and an opening star left unclosed. Ink would open emphasis at any
/// of them. Runs of stars (`**bold**`) and list bullets are left alone.
func literalStars(in characters: [Character]) -> [Int] {
    func isSpace(_ c: Character?) -> Bool { c.map { $0.isWhitespace } ?? true }
    func isPunctuation(_ c: Character?) -> Bool { c.map { $0.isPunctuation || $0.isSymbol } ?? false }
    var literal: [Int] = []
    var opener: Int? = nil
    var inCode = false
    var inFence = false
    var lineStart = true
    var index = 0
    while index < characters.count {
        let c = characters[index]
        let previous = index > 0 ? characters[index - 1] : nil
        let next = index + 1 < characters.count ? characters[index + 1] : nil
        defer {
            lineStart = c == "\n" || (lineStart && (c == " " || c == "\t"))
            index += 1
        }
        if lineStart && c == "`" && characters[index...].starts(with: "```") { inFence.toggle() }
        if c == "\n" && (next == "\n" || next == nil) {  // a paragraph ends
            if let open = opener { literal.append(open) }
            opener = nil
        }
        if inFence { continue }
        if c == "`" { inCode.toggle() }
        guard c == "*", !inCode, previous != "*", next != "*" else { continue }
        if lineStart && next == " " { continue }  // a list bullet
        let canOpen = !isSpace(next) && (!isPunctuation(next) || isSpace(previous) || isPunctuation(previous))
        let canClose = !isSpace(previous) && (!isPunctuation(previous) || isSpace(next) || isPunctuation(next))
        if opener != nil && canClose {
            opener = nil
        } else if canOpen {
            if let open = opener { literal.append(open) }
            opener = index
        } else {
            literal.append(index)
        }
    }
    if let open = opener { literal.append(open) }
    return literal.sorted()
}

/// The text with each paragraph line that Ink would wrongly read as the start of a new block
/// joined to the line before it. Ink ends a paragraph at any line that starts with `` ` ``, `-`,
/// `<` or `#`; in Markdown a line such as "`Sources/CreditCore/Records.swift`) holds …" or
/// "--gamma 0.9 …" continues the paragraph. The indented lines that continue a list item are
/// joined to it too (Ink loses emphasis that spans them). Fenced code, tables, headings and
/// comments are kept.
func joiningContinuationLines(_ markdown: String) -> String {
    let listItem = #"^\s*([-*+]|\d+\.) "#
    var lines: [String] = []
    var inFence = false
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if line.hasPrefix("```") { inFence.toggle() }
        guard !inFence, let previous = lines.last, !previous.isEmpty, !previous.hasPrefix("```") else {
            lines.append(line)
            continue
        }
        let continuesParagraph =
            previous.range(of: #"^(\||#|<!--)"#, options: .regularExpression) == nil
            && line.range(of: #"^(`[^`]|-{1,2}[^\s-]|<[^A-Za-z!/]|#[^#\s])"#, options: .regularExpression) != nil
        let continuesListItem =
            previous.range(of: listItem, options: .regularExpression) != nil
            && line.range(of: #"^\s+\S"#, options: .regularExpression) != nil
            && line.range(of: listItem, options: .regularExpression) == nil && !line.contains("```")
        if continuesParagraph || continuesListItem {
            lines[lines.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
        } else {
            lines.append(line)
        }
    }
    return lines.joined(separator: "\n")
}

/// The target of a Markdown link or image, `[text](target)`.
private func linkTarget(_ markdown: Substring) -> String? {
    guard markdown.hasSuffix(")"), let open = markdown.range(of: "](", options: .backwards) else { return nil }
    return restoringLiteralMarks(markdown[open.upperBound..<markdown.index(before: markdown.endIndex)])
}

/// GitHub's id for a heading: lower case, punctuation dropped, spaces as hyphens
/// ("Same letter, different meanings" → "same-letter-different-meanings").
func slug(_ heading: String) -> String {
    let kept = heading.lowercased().unicodeScalars.filter {
        CharacterSet.alphanumerics.contains($0) || $0 == " " || $0 == "-" || $0 == "_"
    }
    return String(String.UnicodeScalarView(kept)).replacingOccurrences(of: " ", with: "-")
}

/// A figure's caption text as HTML: escaped, with the figures' `_{…}` subscripts as `<sub>`.
func captionHTML(_ text: String) -> String {
    escapeXML(text.trimmingCharacters(in: .whitespacesAndNewlines))
        .replacingOccurrences(of: #"_\{([^}]*)\}"#, with: "<sub>$1</sub>", options: .regularExpression)
}
