import ArgumentParser
import CreditCore

/// A value a model parameter can take: parsed the way ArgumentParser parses an option's
/// value (``ExpressibleByArgument``) and shown in help and messages as a user would type it.
package protocol ParameterValue: ExpressibleByArgument, Sendable, Equatable {
    /// The value as a user would type it on the command line.
    var typed: String { get }
    /// The value as a number, for divergence reports and CSV annotations (nil if not a number).
    var number: Double? { get }
}

extension ParameterValue {
    package var number: Double? { nil }
}

/// A numeric value type with neighbours, for examples of rejected values.
package protocol OrderedParameterValue: ParameterValue, Comparable {
    /// The nearest representable value below `v`, if any.
    static func justBelow(_ v: Self) -> Self?
    /// The nearest representable value above `v`, if any.
    static func justAbove(_ v: Self) -> Self?
}

extension Double: OrderedParameterValue {
    package static func justBelow(_ v: Double) -> Double? { v - Swift.max(Swift.abs(v) * 1e-3, 1e-6) }
    package static func justAbove(_ v: Double) -> Double? { v + Swift.max(Swift.abs(v) * 1e-3, 1e-6) }
}

extension Int: OrderedParameterValue {
    package static func justBelow(_ v: Int) -> Int? { v == .min ? nil : v - 1 }
    package static func justAbove(_ v: Int) -> Int? { v == .max ? nil : v + 1 }
}

extension UInt64: OrderedParameterValue {
    package static func justBelow(_ v: UInt64) -> UInt64? { v == 0 ? nil : v - 1 }
    package static func justAbove(_ v: UInt64) -> UInt64? { v == .max ? nil : v + 1 }
}

extension Double: ParameterValue {
    /// The shortest decimal form that reads back as this value (0.1 → "0.1", 1.0 → "1").
    package var typed: String { self == rounded() && Swift.abs(self) < 1e15 ? String(Int(self)) : "\(self)" }
    package var number: Double? { self }
}

extension Int: ParameterValue {
    package var typed: String { String(self) }
    package var number: Double? { Double(self) }
}

extension UInt64: ParameterValue {
    package var typed: String { String(self) }
}

extension ParameterValue where Self: RawRepresentable, Self.RawValue == String {
    package var typed: String { rawValue }
}

/// The accepted interval of a numeric parameter: each end open or closed.
package struct ParameterBounds<Value: OrderedParameterValue>: Sendable {
    package var lower: Value
    package var lowerIncluded: Bool
    package var upper: Value
    package var upperIncluded: Bool

    /// `lower ≤ v ≤ upper`.
    package static func closed(_ lower: Value, _ upper: Value) -> Self {
        Self(lower: lower, lowerIncluded: true, upper: upper, upperIncluded: true)
    }
    /// `lower < v ≤ upper` (a learning rate, a time constant).
    package static func above(_ lower: Value, upTo upper: Value) -> Self {
        Self(lower: lower, lowerIncluded: false, upper: upper, upperIncluded: true)
    }

    /// Whether `v` lies inside (NaN never does).
    package func contains(_ v: Value) -> Bool {
        (lowerIncluded ? v >= lower : v > lower) && (upperIncluded ? v <= upper : v < upper)
    }

    /// Values just outside the interval at each end (the end itself where it is open).
    var outsideExamples: [String] {
        [lowerIncluded ? Value.justBelow(lower) : lower, upperIncluded ? Value.justAbove(upper) : upper]
            .compactMap { $0?.typed }
    }

    /// "0 < α ≤ 10", with the parameter's symbol.
    package func describe(_ symbol: String) -> String {
        "\(lower.typed) \(lowerIncluded ? "≤" : "<") \(symbol) \(upperIncluded ? "≤" : "<") \(upper.typed)"
    }
}

/// One model parameter of a chapter, declared once: its flag, symbol, meaning, unit and
/// accepted values. Its default and `--quick` value are read from the parameter struct
/// (``ChapterParameters/init(quick:)``), so the command line, the help text, the
/// validation messages, divergence reports and the glossary all come from this declaration.
package struct ModelParameter<Model: Sendable>: Sendable {
    /// The command-line flag, e.g. "--alpha".
    package let flag: String
    /// The review's (or the source paper's) symbol, e.g. "α".
    package let symbol: String
    /// What the parameter is, in a short phrase.
    package let meaning: String
    /// The unit of its values, if any (e.g. "ms").
    package let unit: String?
    /// What values are accepted, e.g. "0 < α ≤ 10" or "one of tanh, relu".
    package let accepted: String
    /// Its value in `model`, as a user would type it.
    package let typed: @Sendable (Model) -> String
    /// Its value in `model` as a number (nil for choices).
    package let number: @Sendable (Model) -> Double?
    /// Whether the value is a real number (a rate, a time constant), not a count or a choice.
    package let isReal: Bool
    /// Values this parameter must reject (outside the bounds, not a number, not a choice),
    /// for tests that try every declared parameter.
    package let invalidExamples: [String]
    /// Parses `text` into `model`; throws a ``ParameterError`` naming the flag.
    let assign: @Sendable (inout Model, String) throws -> Void
    /// Throws a ``ParameterError`` if the value in `model` is not accepted.
    let check: @Sendable (Model) throws -> Void
}

extension ModelParameter {
    /// A number within `bounds`.
    package init<Value: OrderedParameterValue>(
        _ keyPath: WritableKeyPath<Model, Value> & Sendable, flag: String, symbol: String, _ meaning: String,
        unit: String? = nil, _ bounds: ParameterBounds<Value>
    ) {
        let accepted = bounds.describe(symbol) + (unit.map { " \($0)" } ?? "")
        let check: @Sendable (Model) throws -> Void = { model in
            let v = model[keyPath: keyPath]
            guard bounds.contains(v) else { throw ParameterError(flag: flag, value: v.typed, accepted: accepted) }
        }
        self.init(
            flag: flag, symbol: symbol, meaning: meaning, unit: unit, accepted: accepted, keyPath: keyPath,
            invalidExamples: bounds.outsideExamples + ["nan", "x"], check: check)
    }

    /// One of a fixed set of named choices (an enum), listed in help and in messages.
    package init<Value: ParameterValue & CaseIterable>(
        _ keyPath: WritableKeyPath<Model, Value> & Sendable, flag: String, symbol: String, _ meaning: String
    ) {
        let accepted = "one of " + Value.allValueStrings.joined(separator: ", ")
        self.init(
            flag: flag, symbol: symbol, meaning: meaning, unit: nil, accepted: accepted, keyPath: keyPath,
            invalidExamples: ["none-of-these", ""], check: { _ in })
    }

    /// Any other value type whose parsing itself decides what is accepted (e.g. a list).
    package init<Value: ParameterValue>(
        _ keyPath: WritableKeyPath<Model, Value> & Sendable, flag: String, symbol: String, _ meaning: String,
        accepted: String
    ) {
        self.init(
            flag: flag, symbol: symbol, meaning: meaning, unit: nil, accepted: accepted, keyPath: keyPath,
            invalidExamples: ["none-of-these", ""], check: { _ in })
    }

    private init<Value: ParameterValue>(
        flag: String, symbol: String, meaning: String, unit: String?, accepted: String,
        keyPath: WritableKeyPath<Model, Value> & Sendable, invalidExamples: [String],
        check: @escaping @Sendable (Model) throws -> Void
    ) {
        self.init(
            flag: flag, symbol: symbol, meaning: meaning, unit: unit, accepted: accepted,
            typed: { $0[keyPath: keyPath].typed }, number: { $0[keyPath: keyPath].number },
            isReal: Value.self == Double.self, invalidExamples: invalidExamples,
            assign: { model, text in
                guard let value = Value(argument: text) else {
                    throw ParameterError(flag: flag, value: text, accepted: accepted)
                }
                model[keyPath: keyPath] = value
                try check(model)
            },
            check: check)
    }

    /// The same parameter seen from a struct that holds `Model` at `part` (a chapter whose
    /// parameters are made of several experiments' parameters).
    package func lifted<Whole>(_ part: WritableKeyPath<Whole, Model> & Sendable) -> ModelParameter<Whole> {
        let (typed, number, assign, check) = (self.typed, self.number, self.assign, self.check)
        return ModelParameter<Whole>(
            flag: flag, symbol: symbol, meaning: meaning, unit: unit, accepted: accepted,
            typed: { typed($0[keyPath: part]) }, number: { number($0[keyPath: part]) },
            isReal: isReal, invalidExamples: invalidExamples, assign: { whole, text in try assign(&whole[keyPath: part], text) },
            check: { try check($0[keyPath: part]) })
    }
}

extension ModelParameter where Model: ChapterParameters {
    /// `--seeds`: how many seeds a multi-seed experiment averages over (every chapter).
    package static func seeds(_ keyPath: WritableKeyPath<Model, Int> & Sendable, max: Int = 100) -> Self {
        Self(keyPath, flag: "--seeds", symbol: "K_seeds", "seeds; curves are drawn as mean ± SEM across them", .closed(1, max))
    }

    /// `--seed`: the first seed; seed k of a multi-seed run is seed + k (every chapter).
    package static func seed(_ keyPath: WritableKeyPath<Model, UInt64> & Sendable) -> Self {
        Self(
            keyPath, flag: "--seed", symbol: "seed",
            "first seed of the random generator; seed k of a multi-seed run is seed + k; the same seed gives byte-identical files",
            .closed(0, 999_999_999))
    }

    /// Whether this is `--seed` or `--seeds`, which a chapter made of several experiments declares once.
    package var isSeedParameter: Bool { flag == "--seed" || flag == "--seeds" }

    /// The help entry: the flag on one line, then its meaning, accepted values and defaults
    /// (with and without `--quick`) wrapped and indented below it.
    package var helpEntry: String {
        let text = "\(meaning.prefix(1).uppercased())\(meaning.dropFirst()). Accepted: \(accepted); default \(defaults)."
        return "  \(flag) <\(symbol)>\n" + wrap(text, width: 76, indent: "        ")
    }

    /// The default value with its unit, and the `--quick` value where it differs:
    /// "300" or "10; 5 with --quick".
    package var defaults: String {
        let normal = typed(Model(quick: false)) + (unit.map { " \($0)" } ?? "")
        let quick = typed(Model(quick: true)) + (unit.map { " \($0)" } ?? "")
        return normal == quick ? normal : "\(normal); \(quick) with --quick"
    }
}

/// `text` broken into lines of at most `width` characters, each starting with `indent`.
private func wrap(_ text: String, width: Int, indent: String) -> String {
    var lines: [String] = []
    var line = indent
    for word in text.split(separator: " ") {
        if line.count > indent.count && line.count + 1 + word.count > width {
            lines.append(line)
            line = indent
        }
        line += (line.count > indent.count ? " " : "") + word
    }
    lines.append(line)
    return lines.joined(separator: "\n")
}

/// A limit on a product of parameters that sets a run's time or memory (every parameter has
/// its own bounds too), so that no accepted input runs for hours or exhausts memory.
package struct ParameterBudget<Model: Sendable>: Sendable {
    /// The flag the message names when the limit is exceeded.
    package let flag: String
    /// The product in words, e.g. "seeds × trials × T²".
    package let product: String
    /// The largest accepted value of the product.
    package let limit: Double
    /// The product's value for a set of parameters.
    let cost: @Sendable (Model) -> Double

    package init(
        _ product: String, atMost limit: Double, blame flag: String, _ cost: @escaping @Sendable (Model) -> Double
    ) {
        self.product = product
        self.limit = limit
        self.flag = flag
        self.cost = cost
    }

    /// "seeds × trials × T² ≤ 2e+10".
    package var description: String { "\(product) ≤ \(limit.typed)" }

    /// The same budget seen from a struct that holds `Model` at `part`.
    package func lifted<Whole>(_ part: KeyPath<Whole, Model> & Sendable) -> ParameterBudget<Whole> {
        let cost = self.cost
        return ParameterBudget<Whole>(product, atMost: limit, blame: flag) { cost($0[keyPath: part]) }
    }
}

/// A chapter's model parameters: defaults, a reduced `--quick` set, the declared parameters
/// (one ``ModelParameter`` each) and the checks that involve several of them.
package protocol ChapterParameters: Sendable, Equatable {
    /// The defaults, or the `--quick` ones.
    init(quick: Bool)
    /// Every parameter a user can set, in the order `--help` lists them.
    static var declared: [ModelParameter<Self>] { get }
    /// The limits on products of parameters that keep a run within its time and memory budget.
    static var budgets: [ParameterBudget<Self>] { get }
    /// Checks that involve several parameters or internal settings; throws a
    /// ``ParameterError`` naming the flag of the first bad value. The declared bounds are
    /// checked before this runs.
    func checkConstraints() throws
}

extension ChapterParameters {
    package func checkConstraints() throws {}
    package static var budgets: [ParameterBudget<Self>] { [] }

    /// Throws a ``ParameterError`` for the first value outside its declared bounds or
    /// constraints.
    package func validate() throws {
        for parameter in Self.declared { try parameter.check(self) }
        try checkConstraints()
        for budget in Self.budgets {
            let cost = budget.cost(self)
            guard cost <= budget.limit else {
                throw ParameterError(
                    flag: budget.flag, value: Self.declared.first { $0.flag == budget.flag }?.typed(self) ?? "",
                    accepted: "a value with \(budget.description) (here \(cost.typed)), to keep the run within "
                        + "about 10 minutes and 2 GB")
            }
        }
    }

    /// The parameters set by `arguments` (`--flag value` or `--flag=value` pairs, the last of
    /// a repeated flag wins), starting from the defaults or the `--quick` values.
    package static func parse(_ arguments: [String], quick: Bool) throws -> Self {
        var model = Self(quick: quick)
        let byFlag = Dictionary(declared.map { ($0.flag, $0) }, uniquingKeysWith: { first, _ in first })
        var rest = arguments[...]
        while let word = rest.popFirst() {
            let (flag, inline) = splitFlag(word)
            guard let parameter = byFlag[flag] else {
                throw ParameterError(unknown: flag, known: declared.map(\.flag))
            }
            guard let value = inline ?? rest.popFirst() else {
                throw ParameterError(flag: flag, value: "", accepted: "a value: \(parameter.accepted)")
            }
            try parameter.assign(&model, value)
        }
        try model.validate()
        return model
    }

    /// The real-valued parameters and their values, named in divergence reports.
    package var runParameters: [RunParameter] {
        Self.declared.compactMap { p in
            guard p.isReal, let v = p.number(self) else { return nil }
            return RunParameter(String(p.flag.dropFirst(2)), v)
        }
    }

    /// The help section that lists every model parameter (a chapter without any says so).
    package static var helpSection: String {
        guard !declared.isEmpty else { return "MODEL PARAMETERS: none." }
        let limits =
            budgets.isEmpty
            ? ""
            : "\n\nLIMITS (to keep a run within about 10 minutes and 2 GB):\n"
                + budgets.map { "  \($0.description)" }
                .joined(separator: "\n")
        return "MODEL PARAMETERS (the review's symbols):\n" + declared.map(\.helpEntry).joined(separator: "\n") + limits
    }
}

/// `--flag=value` → ("--flag", "value"); `--flag` → ("--flag", nil).
private func splitFlag(_ word: String) -> (String, String?) {
    guard word.hasPrefix("--"), let eq = word.firstIndex(of: "=") else { return (word, nil) }
    return (String(word[..<eq]), String(word[word.index(after: eq)...]))
}
