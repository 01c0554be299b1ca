import Foundation
import Testing

/// The package's top folder (this file is Tests/PlotTests/NeutralityTests.swift).
private let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Names of brain areas and learning methods. Plot is the generic layer: colours with a
/// meaning belong to Diagram (`BrainArea`) and Chapters (the semantic `Palette` names).
private let domainWords = [
    "cortex", "thalamus", "thalamic", "basal", "ganglia", "dopamine", "striatum", "backprop",
    "feedbackAlignment", "perturbation", "monteCarlo", "rpe", "td",
]

/// The domain words `text` contains as whole words, ignoring case. A word starts and ends
/// where the neighbouring character is not a letter, digit or underscore, or at a camel-case
/// hump (a lower-case letter or digit next to an upper-case one), so `Palette.td`, `TD`,
/// `basalGanglia` and `nodePerturbation` count while `std` and `width` do not.
private func domainWordsIn(_ text: String) -> [String] {
    let chars = Array(text)
    let lowered = chars.map { $0.lowercased().first ?? $0 }
    func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
    func isLowerOrDigit(_ c: Character) -> Bool { c.isLowercase || c.isNumber }
    // A boundary between chars[i - 1] and chars[i].
    func boundary(at i: Int) -> Bool {
        if i == 0 || i == chars.count { return true }
        let before = chars[i - 1]
        let after = chars[i]
        return !isWordChar(before) || !isWordChar(after) || (isLowerOrDigit(before) && after.isUppercase)
    }
    return domainWords.filter { word in
        let target = Array(word.lowercased())
        guard target.count <= lowered.count else { return false }
        return (0...(lowered.count - target.count)).contains { start in
            lowered[start..<start + target.count].elementsEqual(target)
                && boundary(at: start) && boundary(at: start + target.count)
        }
    }
}

@Suite struct NeutralityTests {
    @Test func theMatcherFindsWholeWordsOnly() {
        #expect(domainWordsIn("color: Palette.td") == ["td"])
        #expect(domainWordsIn("label: \"TD (10 seeds)\"") == ["td"])
        #expect(domainWordsIn("yLabel: \"RPE δ\"") == ["rpe"])
        #expect(domainWordsIn("Palette.basalGanglia") == ["basal", "ganglia"])
        #expect(
            domainWordsIn("Palette.nodePerturbation, Palette.directFeedbackAlignment").sorted()
                == ["feedbackAlignment", "perturbation"])
        #expect(domainWordsIn("// thalamic input to the Cortex") == ["cortex", "thalamic"])
        #expect(domainWordsIn("let std = width * stdDev; tdx; rpex; startDate").isEmpty)
    }

    @Test func plotNamesNoBrainAreaOrMethod() throws {
        let folder = packageRoot.appendingPathComponent("Sources/Plot")
        let paths = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".swift") }.sorted()
        #expect(paths.contains("Style.swift"), "no Plot sources found under \(folder.path)")
        for path in paths {
            let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            let found = domainWordsIn(text)
            #expect(found.isEmpty, "Sources/Plot/\(path) names \(found.joined(separator: ", "))")
        }
    }
}
