// The learners of Chapter 4's forgetting comparison that do not involve the basal ganglia:
// a shared delta-rule readout on three kinds of PFC activity (MD off, MD oracle, XdG), EWC,
// a readout per context, and replay. All read the PFC rates of ContextualNetwork, which are
// fixed for a (cue, context) pair, so each learner tabulates them once.
import CreditCore

/// Which PFC activity a learner reads.
package enum ContextFeatures: Sendable {
    /// MD off: every unit active with gain `offGain`, the context as an input ("no thalamus").
    case mdOff
    /// MD on with the context given: context k selects MD unit k (the oracle of part 1).
    case mdOracle
    /// MD off, rates multiplied by the context's fixed XdG mask.
    case xdg(XdGMasks)
}

/// The PFC rates of every (context, cue) pair under one ``ContextFeatures`` choice.
package struct FeatureTable: Sendable {
    /// Rates of context k, cue s at index k · cues + s.
    let rates: [[Double]]
    /// Number of cues.
    let cues: Int

    package init(setup: ContextualSetup, features: ContextFeatures) {
        let net = setup.network
        cues = setup.task.cues
        var table: [[Double]] = []
        for k in 0..<setup.task.contexts {
            for s in 0..<cues {
                switch features {
                case .mdOff: table.append(net.rates(cue: s, context: k, md: nil))
                case .mdOracle: table.append(net.rates(cue: s, context: k, md: net.mdActivity(selecting: k)))
                case .xdg(let masks): table.append(net.rates(cue: s, context: k, md: nil, mask: masks.masks[k]))
                }
            }
        }
        rates = table
    }

    /// The rates for `cue` in `context`.
    @inline(__always)
    package subscript(context: Int, cue: Int) -> [Double] { rates[context * cues + cue] }
}

/// XdG's context gates (Masse, Grant & Freedman 2018): for each context a fixed random set of
/// `round(keep · N)` units stays on (mask 1) and the rest are silenced (mask 0); drawn once, by a
/// Fisher–Yates shuffle of the unit indices per context.
package struct XdGMasks: Sendable {
    /// One 0/1 mask of length N per context.
    package let masks: [[Double]]

    package init(units: Int, contexts: Int, keep: Double, using rng: inout SeededGenerator) {
        let kept = max(1, Int((keep * Double(units)).rounded()))
        var out: [[Double]] = []
        for _ in 0..<contexts {
            var order = Array(0..<units)
            rng.shuffle(&order)
            var mask = [Double](repeating: 0, count: units)
            for i in order.prefix(kept) { mask[i] = 1 }
            out.append(mask)
        }
        masks = out
    }
}

/// One delta-rule readout shared by every context, on MD-off, MD-oracle or XdG activity.
/// Context-specific numbers: none (MD off); per context the MD assignment and the readout weights
/// of its group, which no other context changes (MD oracle); the mask (XdG).
package struct SharedReadoutLearner: ContextLearner {
    var readout: ContextualReadout
    let table: FeatureTable
    let learningRate: Double
    let contextSpecificPerContext: Int
    let contexts: Int

    package init(setup: ContextualSetup, learningRate: Double, features: ContextFeatures) {
        readout = setup.initialReadout
        table = FeatureTable(setup: setup, features: features)
        self.learningRate = learningRate
        contexts = setup.task.contexts
        switch features {
        case .mdOff: contextSpecificPerContext = 0
        case .mdOracle: contextSpecificPerContext = 1 + readout.actions * setup.network.config.unitsPerGroup
        case .xdg: contextSpecificPerContext = setup.network.units
        }
    }

    package mutating func beginBlock(context: Int) {}
    package mutating func train(cue: Int, context: Int, correct: Int) {
        readout.deltaUpdate(rates: table[context, cue], action: correct, learningRate: learningRate)
    }
    package func probe(cue: Int, context: Int) -> Int { readout.choice(rates: table[context, cue]) }
    package mutating func endBlock(context: Int) {}
    package var contextSpecificNumbers: Int { contextSpecificPerContext * contexts }
    package var learnedWeights: [Double] { readout.weights }
}

/// Elastic weight consolidation on the readout (Kirkpatrick et al. 2017): after each block of
/// context k the learner stores an anchor w*_k (the weights) and a diagonal Fisher F_k, and while
/// it trains on any other context it adds the penalty (λ/2) Σ_j F_k,j (w_j − w*_k,j)² of every
/// stored context k ≠ the current one (one penalty per context, replaced when the context is
/// trained again, so memory grows with contexts, not blocks).
///
/// Interpretations: the readout's outputs are read as Gaussian with unit variance, whose Fisher
/// information for W[a, i] is E[r_i²] over the context's cues (the true Fisher of that model,
/// independent of the targets; the empirical Fisher would vanish once the context is learned).
/// The penalty's gradient is taken implicitly, w ← (w + η (t − y) r + ηλ Σ F w*) / (1 + ηλ Σ F),
/// which has the same fixed points as the explicit step but stays stable for any λ.
package struct EWCLearner: ContextLearner {
    var readout: ContextualReadout
    let table: FeatureTable
    let learningRate: Double
    let lambda: Double
    /// Per context: (Fisher, anchor), each actions × N; nil until the context has been trained.
    var penalties: [([Double], [Double])?]
    /// Σ_{k ≠ current} F_k and Σ_{k ≠ current} F_k w*_k, refreshed at the start of each block.
    var fisherSum: [Double]
    var anchoredSum: [Double]

    package init(setup: ContextualSetup, learningRate: Double, lambda: Double) {
        readout = setup.initialReadout
        table = FeatureTable(setup: setup, features: .mdOff)
        self.learningRate = learningRate
        self.lambda = lambda
        penalties = Array(repeating: nil, count: setup.task.contexts)
        fisherSum = Array(repeating: 0, count: readout.weights.count)
        anchoredSum = fisherSum
    }

    package mutating func beginBlock(context: Int) {
        for j in fisherSum.indices { (fisherSum[j], anchoredSum[j]) = (0, 0) }
        for (k, penalty) in penalties.enumerated() where k != context {
            guard let (fisher, anchor) = penalty else { continue }
            for j in fisherSum.indices {
                fisherSum[j] += fisher[j]
                anchoredSum[j] += fisher[j] * anchor[j]
            }
        }
    }

    package mutating func train(cue: Int, context: Int, correct: Int) {
        let r = table[context, cue]
        let n = readout.units
        let eta = learningRate
        let el = learningRate * lambda
        for a in 0..<readout.actions {
            let err = (a == correct ? 1.0 : 0.0) - readout.output(a, rates: r)
            let base = a * n
            readout.weights.withUnsafeMutableBufferPointer { w in
                for i in 0..<n {
                    let j = base + i
                    w[j] = (w[j] + eta * err * r[i] + el * anchoredSum[j]) / (1 + el * fisherSum[j])
                }
            }
        }
    }

    package func probe(cue: Int, context: Int) -> Int { readout.choice(rates: table[context, cue]) }

    package mutating func endBlock(context: Int) {
        let n = readout.units
        var fisher = [Double](repeating: 0, count: readout.weights.count)
        for s in 0..<table.cues {
            let r = table[context, s]
            for a in 0..<readout.actions {
                for i in 0..<n { fisher[a * n + i] += r[i] * r[i] / Double(table.cues) }
            }
        }
        penalties[context] = (fisher, readout.weights)
    }

    package var learnedWeights: [Double] { readout.weights }

    /// An anchor and a Fisher vector (2 · actions · N numbers) per context.
    package var contextSpecificNumbers: Int {
        penalties.reduce(0) { $0 + ($1.map { $0.0.count + $0.1.count } ?? 0) }
    }
}

/// A growing architecture: each context gets its own readout (a copy of the common initial
/// readout when the context first appears), chosen by the given context; MD off, all units active.
package struct GrowingLearner: ContextLearner {
    var readouts: [ContextualReadout?]
    let initial: ContextualReadout
    let table: FeatureTable
    let learningRate: Double

    package init(setup: ContextualSetup, learningRate: Double) {
        initial = setup.initialReadout
        readouts = Array(repeating: nil, count: setup.task.contexts)
        table = FeatureTable(setup: setup, features: .mdOff)
        self.learningRate = learningRate
    }

    package mutating func beginBlock(context: Int) {
        if readouts[context] == nil { readouts[context] = initial }
    }
    package mutating func train(cue: Int, context: Int, correct: Int) {
        readouts[context]!.deltaUpdate(rates: table[context, cue], action: correct, learningRate: learningRate)
    }
    package func probe(cue: Int, context: Int) -> Int {
        (readouts[context] ?? initial).choice(rates: table[context, cue])
    }
    package mutating func endBlock(context: Int) {}
    package var learnedWeights: [Double] { readouts.flatMap { $0?.weights ?? [] } }
    /// A readout (actions · N numbers) per context seen.
    package var contextSpecificNumbers: Int { readouts.reduce(0) { $0 + ($1?.weights.count ?? 0) } }
}

/// Replay: at the end of a context's first block the learner stores its first B trials
/// (cue, context, correct action; with B ≥ S every cue is stored, since trials come in cycles of
/// all cues), and after every new training trial it replays one trial drawn uniformly from the
/// buffers of the other contexts (so it makes one extra weight update per trial). MD off, one
/// shared readout.
package struct ReplayLearner: ContextLearner {
    var readout: ContextualReadout
    let table: FeatureTable
    let learningRate: Double
    let bufferPerContext: Int
    /// Stored trials as (cue, context, action).
    var buffer: [(cue: Int, context: Int, action: Int)] = []
    /// Trials of the current block so far (for storing), and which contexts are stored.
    var current: [(cue: Int, context: Int, action: Int)] = []
    var stored: [Bool]
    /// Indices into `buffer` of trials from contexts other than the current one.
    var others: [Int] = []
    var rng: SeededGenerator

    package init(setup: ContextualSetup, learningRate: Double, bufferPerContext: Int) {
        readout = setup.initialReadout
        table = FeatureTable(setup: setup, features: .mdOff)
        self.learningRate = learningRate
        self.bufferPerContext = bufferPerContext
        stored = Array(repeating: false, count: setup.task.contexts)
        rng = setup.methodGenerator
    }

    package mutating func beginBlock(context: Int) {
        current = []
        others = buffer.indices.filter { buffer[$0].context != context }
    }

    package mutating func train(cue: Int, context: Int, correct: Int) {
        readout.deltaUpdate(rates: table[context, cue], action: correct, learningRate: learningRate)
        if current.count < bufferPerContext { current.append((cue, context, correct)) }
        if !others.isEmpty {
            let t = buffer[others[rng.int(below: others.count)]]
            readout.deltaUpdate(rates: table[t.context, t.cue], action: t.action, learningRate: learningRate)
        }
    }

    package func probe(cue: Int, context: Int) -> Int { readout.choice(rates: table[context, cue]) }

    package mutating func endBlock(context: Int) {
        if !stored[context] {
            buffer += current
            stored[context] = true
        }
    }

    package var learnedWeights: [Double] { readout.weights }
    /// Three numbers (cue, context, action) per stored trial.
    package var contextSpecificNumbers: Int { 3 * buffer.count }
}
