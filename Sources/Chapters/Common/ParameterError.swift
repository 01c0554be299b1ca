/// A model parameter a chapter cannot use: names the flag, the value and what is accepted.
/// The command line turns it into one line and exit code 2.
package struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command-line flag, e.g. "--alpha".
    package var flag: String
    /// The rejected value as text (cut to a readable length when shown).
    package var value: String
    /// What the flag accepts.
    package var accepted: String

    package init(flag: String, value: String, accepted: String) {
        self.flag = flag
        self.value = value
        self.accepted = accepted
    }

    /// `flag` (or an internal setting's name) rejected with `value`; `accepted` says what is.
    package init(_ flag: String, _ value: String, _ accepted: String) {
        self.init(flag: flag, value: value, accepted: accepted)
    }

    /// An option no chapter parameter has.
    package init(unknown flag: String, known: [String]) {
        self.init(flag: flag, value: "", accepted: "")
        self.known = known
    }

    private var known: [String]? = nil

    /// One line: `invalid value '0.0' for --alpha: expected 0 < α ≤ 10`.
    package var description: String {
        if let known {
            let parameters = known.isEmpty ? "it has no model parameters" : "the model parameters are \(known.joined(separator: ", "))"
            return "unknown option '\(Self.cut(flag))'; \(parameters)"
        }
        if value.isEmpty { return "missing value for \(flag): expected \(accepted)" }
        return "invalid value '\(Self.cut(value))' for \(flag): expected \(accepted)"
    }

    /// `text`, cut to at most 40 characters so an echoed value stays readable.
    static func cut(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(37)) + "…"
    }
}

/// Throws a ``ParameterError`` unless `condition` holds.
package func require(_ condition: Bool, _ flag: String, _ value: Any, _ accepted: String) throws {
    if !condition {
        throw ParameterError(flag: flag, value: (value as? any ParameterValue)?.typed ?? "\(value)", accepted: accepted)
    }
}
