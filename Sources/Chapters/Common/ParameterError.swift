import ArgumentParser

/// A model parameter a chapter cannot use: names the flag, the value and what is accepted.
/// Every chapter's `validate()` throws it; the command line turns it into one line and exit code 2.
public struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command-line flag, e.g. "--alpha".
    public var flag: String
    /// The rejected value as text.
    public var value: String
    /// What the flag accepts.
    public var accepted: String

    public init(flag: String, value: String, accepted: String) {
        self.flag = flag
        self.value = value
        self.accepted = accepted
    }

    /// One line: `invalid value '0.0' for --alpha: expected a learning rate > 0`.
    public var description: String { "invalid value '\(value)' for \(flag): expected \(accepted)" }
}


extension ChapterCommand {
    /// Runs a model's parameter check; a ``ParameterError`` becomes a usage error (exit code 2).
    public func checkParameters(_ check: () throws -> Void) throws {
        do {
            try check()
        } catch let error as ParameterError {
            throw ValidationError(error.description)
        }
    }
}

/// A chapter's model parameters: defaults, a reduced `--quick` set, and a check that names
/// the flag of the first bad value (``ParameterError``).
public protocol ChapterParameters: Sendable, Equatable {
    /// The defaults, or the `--quick` ones.
    init(quick: Bool)
    /// Throws a ``ParameterError`` naming the flag of the first bad value.
    func validate() throws
}

extension TDParameters: ChapterParameters {}
extension BackpropParameters: ChapterParameters {}
extension WorkingMemoryParameters: ChapterParameters {}
extension LearnedGatingParameters: ChapterParameters {}
