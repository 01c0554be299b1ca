import Foundation
import Testing

@testable import Chapters

@Suite struct CaptionBlockTests {
    @Test func markupBecomesTheChaptersNotation() {
        #expect(CaptionBlock.markdownText("τ_{eff} of r_{MD} and s_{t}") == "τ_eff of r_MD and s_t")
        #expect(CaptionBlock.markdownText("J_{1} at 10^{−4}, γ^{j−1}") == "J₁ at 10⁻⁴, γʲ⁻¹")
        #expect(CaptionBlock.markdownText("V(s_{t+1}), x^{a b}") == "V(s_(t+1)), x^(a b)")
        #expect(CaptionBlock.markdownText(#"w\_PFC, r_t and x^2 as written"#) == "w_PFC, r_t and x^2 as written")
    }

    @Test func wrappedLinesStayInsideTheWidthAndNeverOpenAMarkdownBlock() {
        let openers = ["-", "1.", "#", "3)", "+", ">", "|", "="]
        let words = (0..<200).map { $0 % 2 == 0 ? ["word", "η", "xyz"][$0 % 3] : openers[($0 / 2) % openers.count] }
        let lines = CaptionBlock.wrap(words.joined(separator: " "), width: 30)
        #expect(lines.count > 10)
        #expect(lines.joined(separator: " ") == words.joined(separator: " "))
        for line in lines.dropFirst() {
            #expect(!CaptionBlock.opensBlock(line.split(separator: " ")[0]), "\(line)")
        }
        // A line grows past the width only to keep such a word off the start of the next.
        #expect(lines.allSatisfy { $0.count <= 30 + 3 })
        #expect(CaptionBlock.wrap("aaa bbb ccc", width: 7) == ["aaa bbb", "ccc"])
    }

    @Test func syncReplacesOnlyTheBlocksOfTheFiguresGiven() {
        let old = CaptionBlock.markdown(name: "a", caption: "Old caption of a.", executable: "ch9-x")
        let other = CaptionBlock.markdown(name: "b", caption: "Caption of b.", executable: "ch9-x")
        let text = "# Title\n\n![A](a.png)\n\n\(old)\n\nProse between.\n\n\(other)\n\nEnd.\n"
        let (synced, updated) = CaptionBlock.sync(
            text, captions: ["a": "New caption of a.", "c": "unused"], executable: "ch9-x")
        #expect(updated == ["a"])
        #expect(synced.contains("*Figure `a`.* New caption of a."))
        #expect(!synced.contains("Old caption"))
        #expect(synced.contains(other) && synced.hasPrefix("# Title") && synced.hasSuffix("End.\n"))
        #expect(CaptionBlock.blocks(in: synced).map(\.name) == ["a", "b"])
        // Idempotent: a second pass changes nothing.
        let again = CaptionBlock.sync(synced, captions: ["a": "New caption of a."], executable: "ch9-x")
        #expect(again.updated.isEmpty && again.text == synced)
    }

    /// The caption beside each figure in the chapter is the figure's own caption, as the last
    /// run at the default parameters wrote it (`make test` checks that run against the code).
    @Test(arguments: bookChapters.map { $0.name })
    func everyEmbeddedFigureCarriesItsOwnCaption(name: String) throws {
        let chapter = try #require(chapterNamed(name))
        let text = try read(chapter.prose)
        let blocks = CaptionBlock.blocks(in: text)
        #expect(blocks.map(\.name).sorted() == chapter.figures.map(\.name).sorted(), "\(chapter.prose)")
        for (figure, block) in blocks {
            let image = "](../figures/\(chapter.name)/\(figure).png)"
            let imageAt = try #require(text.range(of: image), "\(chapter.prose) has a caption but no image of \(figure)")
            let blockAt = try #require(text.range(of: block))
            let between = text[imageAt.upperBound..<blockAt.lowerBound]
            #expect(
                between.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                "the caption of \(figure) does not follow its image in \(chapter.prose)")
            let caption = try read("figures/\(chapter.name)/\(figure).caption.txt")
            #expect(!caption.contains(where: { "*`<[".contains($0) }), "\(figure): Markdown would misread its caption")
            let expected = CaptionBlock.markdown(
                name: figure, caption: String(caption.dropLast()), executable: chapter.executable)
            #expect(
                block == expected,
                "the caption of \(figure) in \(chapter.prose) differs from the figure's; run \(chapter.executable) to copy it")
        }
    }
}
