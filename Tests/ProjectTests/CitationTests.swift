// The repository's licence and citation metadata: CITATION.cff is valid YAML with the keys of the
// Citation File Format 1.2.0 that a citing tool needs, it cites the review the toolkit accompanies
// exactly as the chapters do, and LICENSE names the licences the README states.
import Foundation
import Testing
import Yams

/// The repository's top folder (this file is Tests/ProjectTests/CitationTests.swift).
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func read(_ relative: String) throws -> String {
    try String(contentsOf: repository.appendingPathComponent(relative), encoding: .utf8)
}

/// CITATION.cff as a YAML node (a mapping at the top).
private func citation() throws -> Node {
    let text = try read("CITATION.cff")
    let node = try #require(try Yams.compose(yaml: text), "CITATION.cff is empty")
    #expect(node.mapping != nil, "CITATION.cff's top level is not a mapping")
    return node
}

/// A non-empty string value, or nil.
private func text(_ node: Node?) -> String? {
    guard let value = node?.scalar?.string.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
    return value
}

/// Whether `value` is a calendar date written YYYY-MM-DD (as CFF requires).
private func isDate(_ value: String) -> Bool {
    guard value.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else { return false }
    let parts = value.split(separator: "-").compactMap { Int($0) }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let components = DateComponents(calendar: calendar, year: parts[0], month: parts[1], day: parts[2])
    return components.isValidDate
}

/// The review the toolkit accompanies, as the chapters' References sections cite it.
private enum Review {
    static let title = "Thalamocortical contribution to solving credit assignment in neural systems"
    static let arXiv = "2104.01474"
    static let authors = [("Wang", "Mien Brabeeba"), ("Halassa", "Michael M.")]
}

@Suite("Licence and citation")
struct CitationTests {
    @Test("CITATION.cff has the required keys of CFF 1.2.0")
    func requiredKeys() throws {
        let cff = try citation()
        #expect(text(cff["cff-version"]) == "1.2.0")
        #expect(text(cff["message"]) != nil, "message is missing or empty")
        #expect(text(cff["title"]) != nil, "title is missing or empty")
        #expect(text(cff["version"]) != nil, "version is missing or empty")
        #expect(text(cff["license"]) == "MIT")
        #expect(text(cff["type"]) == "software")

        let authors = try #require(cff["authors"]?.sequence, "authors is missing or not a list")
        #expect(!authors.isEmpty, "authors is empty")
        for author in authors {
            // A person has family-names (and given-names); an entity has a name.
            #expect(
                text(author["name"]) != nil || text(author["family-names"]) != nil,
                "an author has neither name nor family-names: \(author)")
        }

        let released = try #require(text(cff["date-released"]), "date-released is missing")
        #expect(isDate(released), "date-released \(released) is not a valid YYYY-MM-DD date")
    }

    @Test("CITATION.cff's references cite the review: both authors, 2021, arXiv:2104.01474")
    func citesTheReview() throws {
        let cff = try citation()
        let references = try #require(cff["references"]?.sequence, "references is missing or not a list")
        let review = try #require(
            references.first { text($0["title"]) == Review.title },
            "no reference titled \"\(Review.title)\"")
        #expect(text(review["type"]) == "article")
        #expect(review["year"]?.int == 2021, "the review's year is not 2021")

        let authors = try #require(review["authors"]?.sequence, "the review has no authors list")
        let names = authors.map { (text($0["family-names"]) ?? "", text($0["given-names"]) ?? "") }
        #expect(names.count == Review.authors.count, "the review lists \(names.count) authors, not 2")
        for (family, given) in Review.authors {
            #expect(names.contains { $0 == (family, given) }, "the review's authors lack \(given) \(family)")
        }

        // The arXiv identifier, either as a URL or among the identifiers.
        let identifiers = (review["identifiers"]?.sequence ?? []).compactMap { text($0["value"]) }
        let locations = identifiers + [text(review["url"])].compactMap { $0 }
        #expect(locations.contains { $0.contains(Review.arXiv) }, "the review's arXiv identifier \(Review.arXiv) is missing")
    }

    @Test("Every chapter cites the review with the title and arXiv number of CITATION.cff")
    func chaptersAgree() throws {
        let folder = repository.appendingPathComponent("chapters")
        let chapters = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.range(of: #"^\d\d-.*\.md$"#, options: .regularExpression) != nil }.sorted()
        #expect(!chapters.isEmpty, "no chapters found")
        for chapter in chapters {
            let prose = try read("chapters/" + chapter)
            let entry = prose.split(separator: "\n").first { $0.hasPrefix("- Wang, M. B. & Halassa, M. M. (2021)") }
            let line = try #require(entry, "\(chapter) does not list the review among its References")
            #expect(line.contains(Review.title), "\(chapter) cites the review under another title")
            #expect(line.contains("arXiv:" + Review.arXiv), "\(chapter) cites the review without arXiv:\(Review.arXiv)")
        }
    }

    @Test("LICENSE names MIT for the code and CC BY 4.0 for the text and figures; the README says where to cite")
    func licence() throws {
        let licence = try read("LICENSE")
        #expect(licence.contains("MIT License"), "LICENSE does not name the MIT License")
        #expect(licence.contains("Permission is hereby granted, free of charge"), "LICENSE lacks the MIT permission notice")
        #expect(licence.contains("CC BY 4.0"), "LICENSE does not name CC BY 4.0")
        #expect(licence.contains("https://creativecommons.org/licenses/by/4.0/"), "LICENSE does not link CC BY 4.0")
        #expect(licence.contains("chapters/") && licence.contains("figures/"), "LICENSE does not say what CC BY 4.0 covers")

        let readme = try read("README.md")
        #expect(readme.contains("## Cite"), "the README has no Cite section")
        #expect(readme.contains("CITATION.cff"), "the README does not point to CITATION.cff")
    }
}
