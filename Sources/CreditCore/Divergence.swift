// A learning rule with too large a step size blows up. A diverging run is
// reported by name, with its parameters, instead of being drawn as NaN curves.

/// A named parameter value of a run, reported when the run diverges.
public struct RunParameter: Sendable, Equatable {
    /// The parameter's name, e.g. "alpha".
    var name: String
    /// Its value.
    var value: Double

    /// A parameter `name = value`.
    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}

/// A run produced a non-finite value (NaN or ±∞), or one beyond its stated bound.
///
/// `description` reads e.g.
/// `run 'rpe-transfer' diverged at trial 12 (alpha=3, gamma=1): value is nan`.
public struct DivergenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run's name, e.g. "rpe-transfer".
    public var run: String
    /// What `step` counts, e.g. "trial" or "episode".
    public var stepName: String
    /// The step at which the bad value was found.
    public var step: Int
    /// The run's parameters.
    var parameters: [RunParameter]
    /// The offending value.
    var value: Double
    /// The bound the run promised to stay within (∞ when only NaN/∞ is checked).
    var bound: Double

    /// A divergence report.
    init(
        run: String, stepName: String = "trial", step: Int, parameters: [RunParameter],
        value: Double, bound: Double = .infinity
    ) {
        self.run = run
        self.stepName = stepName
        self.step = step
        self.parameters = parameters
        self.value = value
        self.bound = bound
    }

    /// One line naming the run, the step, the parameters and the value.
    public var description: String {
        let params = parameters.map { "\($0.name)=\(CSVTable.format($0.value))" }.joined(separator: ", ")
        let what =
            value.isFinite
            ? "|value| = \(CSVTable.format(Swift.abs(value))) exceeds \(CSVTable.format(bound))"
            : "value is \(CSVTable.format(value))"
        return "run '\(run)' diverged at \(stepName) \(step) (\(params)): \(what)"
    }
}

/// Throws ``DivergenceError`` if any of `values` is NaN or infinite, or its
/// magnitude exceeds `bound`.
func checkFinite(
    _ values: [Double], run: String, stepName: String = "trial", step: Int,
    parameters: [RunParameter], bound: Double = .infinity
) throws {
    for v in values where !v.isFinite || Swift.abs(v) > bound {
        throw DivergenceError(
            run: run, stepName: stepName, step: step,
            parameters: parameters, value: v, bound: bound)
    }
}

/// A run's identity (name, parameters, bound) kept together so a loop can
/// call `check(values, step:)` cheaply at every step.
public struct DivergenceGuard: Sendable {
    /// The run's name.
    public var run: String
    /// What a step is called ("trial", "episode").
    public var stepName: String
    /// The run's parameters.
    var parameters: [RunParameter]
    /// Values of larger magnitude count as divergence (∞: only NaN/∞ do).
    var bound: Double

    /// A guard for run `run`.
    public init(run: String, stepName: String = "trial", parameters: [RunParameter], bound: Double = .infinity) {
        self.run = run
        self.stepName = stepName
        self.parameters = parameters
        self.bound = bound
    }

    /// Throws ``DivergenceError`` if `values` holds a non-finite or out-of-bound value.
    public func check(_ values: [Double], step: Int) throws {
        try checkFinite(values, run: run, stepName: stepName, step: step, parameters: parameters, bound: bound)
    }

    /// Throws ``DivergenceError`` if `value` is non-finite or out of bound.
    public func check(_ value: Double, step: Int) throws {
        if !value.isFinite || Swift.abs(value) > bound {
            throw DivergenceError(
                run: run, stepName: stepName, step: step,
                parameters: parameters, value: value, bound: bound)
        }
    }
}

/// What a run recorded before it ended, and the divergence that ended it early, if any: in a
/// comparison a diverging method is a result to show (its curve stops where it diverged), not
/// a failure of the whole experiment.
public struct PartialRun<Value: Sendable>: Sendable {
    /// The values recorded, in order, up to the end or to the divergence.
    public var values: [Value]
    /// Why the run stopped early (nil if it ran to the end).
    public var divergence: DivergenceError?

    /// A run that recorded `values` and, if `divergence` is given, stopped early because of it.
    public init(values: [Value], divergence: DivergenceError? = nil) {
        self.values = values
        self.divergence = divergence
    }

    /// Runs `body`, which appends to the values it is given; a ``DivergenceError`` thrown
    /// inside ends the run and is kept with what was recorded until then. Other errors pass.
    public static func recording(_ body: (inout [Value]) throws -> Void) throws -> PartialRun {
        var values: [Value] = []
        do {
            try body(&values)
        } catch let divergence as DivergenceError {
            return PartialRun(values: values, divergence: divergence)
        }
        return PartialRun(values: values)
    }
}

extension Collection {
    /// The divergence that happened first (lowest step) among `runs`, if any.
    public func earliestDivergence<V>() -> DivergenceError? where Element == PartialRun<V> {
        compactMap(\.divergence).min { $0.step < $1.step }
    }
}
