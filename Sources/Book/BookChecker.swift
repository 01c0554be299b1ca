import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Checks a book folder as a reader's browser would need it: every page is well-formed XHTML,
/// no id is used twice on a page, every relative `href` and `src` names a file inside the book (and, with a fragment, an
/// element of that page with that id), and nothing is loaded from outside the book (no `src`
/// or style sheet with a scheme or an absolute path; links to the web are fine).
package enum BookChecker {
    /// Each problem found, one line each, in page order; empty for a sound book.
    package static func problems(in folder: URL) -> [String] {
        let pages = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".html") }.sorted()
        var problems: [String] = []
        var parsed: [String: PageReader] = [:]
        for page in pages {
            let reader = PageReader()
            let parser = XMLParser(data: (try? Data(contentsOf: folder.appendingPathComponent(page))) ?? Data())
            parser.delegate = reader
            // Foundation's parser on Linux may return true for mismatched tags while it records
            // the error, so the error is what counts.
            let finished = parser.parse()
            if !finished || parser.parserError != nil {
                let code = parser.parserError.map { ($0 as NSError).code } ?? 0
                problems.append("\(page):\(parser.lineNumber): not well-formed XML (libxml2 error \(code))")
            }
            problems += reader.duplicateIds.map { "\(page): id \"\($0)\" is used twice" }
            parsed[page] = reader
        }
        for page in pages {
            for reference in parsed[page]!.references {
                if let problem = check(reference, on: page, folder: folder, pages: parsed) {
                    problems.append("\(page): \(reference.attribute)=\"\(reference.value)\" \(problem)")
                }
            }
        }
        return problems
    }

    /// Why `reference` on `page` does not resolve, or nil when it does.
    private static func check(_ reference: Reference, on page: String, folder: URL, pages: [String: PageReader]) -> String? {
        let value = reference.value
        let loads = reference.attribute == "src" || reference.element == "link"
        if Paths.hasScheme(value) || value.hasPrefix("//") {
            return loads ? "loads a file from outside the book" : nil
        }
        if value.hasPrefix("/") { return "is an absolute path, which does not work offline" }
        if value.isEmpty { return "is empty" }
        let (path, fragment) = Paths.splitFragment(value)
        let target: String
        if path.isEmpty {
            target = page
        } else {
            guard let decoded = path.removingPercentEncoding, let resolved = Paths.resolve(decoded, from: page) else {
                return "points outside the book"
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(resolved).path, isDirectory: &isFolder),
                !isFolder.boolValue
            else { return "names a file that is not in the book" }
            target = resolved
        }
        if let fragment, let ids = pages[target]?.ids, !ids.contains(fragment) {
            return "names #\(fragment), which \(target) does not have"
        }
        return nil
    }

    /// One `href` or `src` attribute.
    struct Reference {
        let element: String
        let attribute: String
        let value: String
    }

    /// Collects the ids and the references of one page while it is parsed.
    final class PageReader: NSObject, XMLParserDelegate {
        var ids: Set<String> = []
        var duplicateIds: [String] = []
        var references: [Reference] = []

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if let id = attributes["id"], !ids.insert(id).inserted { duplicateIds.append(id) }
            for attribute in ["href", "src"] {
                if let value = attributes[attribute] {
                    references.append(Reference(element: element, attribute: attribute, value: value))
                }
            }
        }
    }
}
