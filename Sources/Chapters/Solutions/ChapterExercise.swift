import Foundation

/// One exercise of a chapter, as its prose states it in the "## Exercises" section:
/// `3. **Partial reinforcement.** *(needs a code edit)* …`.
package struct ChapterExercise: Sendable, Equatable {
    package let number: Int
    /// The bold words, without a final full stop.
    package let title: String
    /// Whether the chapter marks the exercise with ``codeEditMark``.
    package let needsCodeEdit: Bool
    /// The whole item, its lines joined.
    package let text: String

    /// The mark of an exercise that needs a Swift edit (the others need only the command line).
    package static let codeEditMark = "*(needs a code edit)*"

    /// The numbered items of the "## Exercises" section of a chapter's prose, in order.
    package static func all(inProse text: String) -> [ChapterExercise] {
        let section =
            (text.components(separatedBy: "\n## Exercises\n").dropFirst().first ?? "")
            .components(separatedBy: "\n## ").first ?? ""
        var items: [(Int, String)] = []
        for line in section.split(separator: "\n") {
            if let range = line.range(of: #"^[0-9]+\. "#, options: .regularExpression), let n = Int(line[range].dropLast(2)) {
                items.append((n, String(line[range.upperBound...])))
            } else if !items.isEmpty, line.hasPrefix(" ") {
                items[items.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            }
        }
        return items.map { number, item in
            var title = ""
            if item.hasPrefix("**"), let end = item.dropFirst(2).range(of: "**") {
                title = String(item[item.index(item.startIndex, offsetBy: 2)..<end.lowerBound])
            }
            if title.hasSuffix(".") { title.removeLast() }
            return ChapterExercise(number: number, title: title, needsCodeEdit: item.contains(codeEditMark), text: item)
        }
    }
}
