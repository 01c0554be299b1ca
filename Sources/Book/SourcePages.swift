import Foundation

/// One declaration in the package's sources: the file, the line (from 1), the keyword, and
/// the type or extension it sits in (the last one opened at the start of a line before it; nil
/// for a declaration at the start of its line, a top-level one).
struct Declaration: Hashable {
    let file: String
    let line: Int
    let keyword: String
    let container: String?

    /// Whether the keyword declares a type (which a short name most likely means).
    var declaresType: Bool { Self.typeKeywords.contains(keyword) }

    static let typeKeywords: Set<String> = ["struct", "enum", "class", "protocol", "actor", "typealias"]
}

/// Where each name of the Swift files under Sources/ is declared, read the way the prose tests
/// recognise a declaration (a keyword — struct, enum, class, protocol, actor, func, var, let,
/// case, typealias — then the name), with comment lines and multi-line string literals skipped.
struct SymbolIndex {
    /// Every declaration of each name, in file and line order.
    private var declarations: [String: [Declaration]] = [:]

    /// Reads every `.swift` file under `Sources/` of `repository`.
    init(repository: URL) throws {
        let folder = repository.appendingPathComponent("Sources")
        let files = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".swift") }.sorted()
        let declaration =
            #/
            (?:^|[^A-Za-z0-9_.])
            (struct|enum|class|protocol|actor|func|var|let|case|typealias|extension) \s+
            ([A-Za-z_][A-Za-z0-9_]*)
            /#
        for file in files {
            let path = "Sources/" + file
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            var inString = false
            var container: String? = nil
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let quotes = line.components(separatedBy: "\"\"\"").count - 1
                defer { if quotes % 2 == 1 { inString.toggle() } }
                if inString || line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                for match in line.matches(of: declaration) {
                    let (keyword, name) = (String(match.output.1), String(match.output.2))
                    let topLevel = !(line.first?.isWhitespace ?? true)
                    if keyword != "extension" {
                        let declaration = Declaration(
                            file: path, line: index + 1, keyword: keyword, container: topLevel ? nil : container)
                        declarations[name, default: []].append(declaration)
                    }
                    if topLevel && (keyword == "extension" || Declaration.typeKeywords.contains(keyword)) {
                        container = name
                    }
                }
            }
        }
    }

    /// The declaration an inline code span such as `CueAndTimeFeatures`, `rpeTransfer` or
    /// `LinearTDLearner.runTrial` names, when one stands out (see ``pick(_:near:)``). For
    /// `Type.member`, the first declaration of the member inside the type or an extension of it
    /// (else the type itself); nil when `Type` is not a type (`sweep.csv`). Nil for anything
    /// else, which stays plain code.
    func resolve(_ span: String, near files: Set<String> = []) -> Declaration? {
        guard span.range(of: #"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"#, options: .regularExpression) != nil
        else { return nil }
        let parts = span.split(separator: ".").map(String.init)
        guard let first = pick(declarations[parts[0]] ?? [], near: files) else { return nil }
        guard parts.count == 2 else { return first }
        guard first.declaresType else { return nil }
        return (declarations[parts[1]] ?? []).first { $0.container == parts[0] } ?? first
    }

    /// The one declaration among `candidates`; failing that the one type, the one top-level
    /// declaration (`rpeTransfer` the function, not the figure's static member of that name), or
    /// the one in a file the page names; nil when none stands out.
    private func pick(_ candidates: [Declaration], near files: Set<String>) -> Declaration? {
        let narrowings: [(Declaration) -> Bool] = [
            { _ in true }, \.declaresType, { $0.container == nil }, { files.contains($0.file) },
        ]
        for keep in narrowings {
            let kept = candidates.filter(keep)
            if kept.count == 1 { return kept[0] }
        }
        return nil
    }
}

/// The page of one Swift source file: every line numbered, each with its anchor (`id="L12"`)
/// so that a link to a declaration lands on its line, comment lines set apart. Each line is a
/// block of its own, so no line break stands between them.
func sourcePageBody(path: String, text: String, namedIn: [(title: String, href: String)]) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    let width = String(lines.count).count
    let numbered = lines.enumerated().map { index, line in
        let number = index + 1
        let label = String(repeating: " ", count: width - String(number).count) + String(number)
        let isComment = line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
        let code = isComment ? "<span class=\"comment\">\(escapeXML(line))</span>" : escapeXML(line)
        return "<span class=\"line\" id=\"L\(number)\"><a class=\"ln\" href=\"#L\(number)\">\(label)</a> \(code)</span>"
    }
    let references = namedIn.map { "<a href=\"\(escapeXML($0.href))\">\(escapeXML($0.title))</a>" }
    return """
        <h1 class="source-title"><code>\(escapeXML(path))</code></h1>
        <p class="source-meta">\(lines.count) lines. Named in \(references.joined(separator: ", ")).</p>
        <pre class="source">\(numbered.joined())</pre>

        """
}
