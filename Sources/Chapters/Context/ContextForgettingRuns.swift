// Chapter 4, part 2: the forgetting and capacity experiments on the methods of
// ContextForgetting.swift (and any method another part adds to the list).
import CreditCore

/// What one method did on one seed: probe accuracy on every context after every block (block 0
/// is before training) and trials to criterion in each block.
package struct ContextRun: Sendable {
    /// `accuracy[b][k]`: probe accuracy on context k after block b (b = 0: before any training).
    package var accuracy: [[Double]]
    /// Trials of block b (1-based, index b − 1) until the probe first got every cue of the
    /// block's context right (counted after each trial); nil if it never did within the block.
    package var trialsToCriterion: [Int?]
    /// Context-specific numbers the learner stored at the end.
    package var contextSpecificNumbers: Int
    /// Why the run stopped before its last block, if it did; `accuracy` and `trialsToCriterion`
    /// then hold only the blocks completed before the divergence.
    package var divergence: DivergenceError? = nil

    /// Number of blocks completed.
    package var completedBlocks: Int { accuracy.count - 1 }
}

/// Probe accuracy on `context`: the fraction of its S cues for which the learner, with learning
/// off, chooses the correct action (chance 0.5: two actions).
func probeAccuracy(_ learner: any ContextLearner, task: ContextualTask, context: Int) -> Double {
    var correct = 0
    for s in 0..<task.cues where learner.probe(cue: s, context: context) == task.action(context: context, cue: s) {
        correct += 1
    }
    return Double(correct) / Double(task.cues)
}

/// Learned weights beyond this magnitude count as divergence: targets are 0 or 1 and rates lie in
/// [0, 1), so a stable delta rule keeps every weight far below it.
let contextDivergenceBound = 1e6

/// Trains `learner` through every block of `setup` and probes it after each block. If a learned
/// weight becomes non-finite or exceeds ``contextDivergenceBound`` (the delta rule diverges when
/// η |r|² > 2) the run stops there and returns the blocks completed before, with the divergence:
/// in a comparison a diverging method is a result to show, not a failure of the others.
package func runContextBlocks(_ start: any ContextLearner, setup: ContextualSetup, name: String, learningRate: Double) -> ContextRun {
    var learner = start
    let guardrail = DivergenceGuard(
        run: "\(name), seed \(setup.seed)", stepName: "block", parameters: [RunParameter("η", learningRate)],
        bound: contextDivergenceBound)
    let task = setup.task
    var accuracy = [(0..<task.contexts).map { probeAccuracy(learner, task: task, context: $0) }]
    var criterion: [Int?] = []
    for (b, context) in setup.blockContexts.enumerated() {
        learner.beginBlock(context: context)
        var reached: Int? = nil
        for (t, cue) in setup.blockCues[b].enumerated() {
            learner.train(cue: cue, context: context, correct: task.action(context: context, cue: cue))
            if reached == nil && probeAccuracy(learner, task: task, context: context) == 1 { reached = t + 1 }
        }
        learner.endBlock(context: context)
        do {
            try guardrail.check(learner.learnedWeights, step: b + 1)
        } catch let divergence as DivergenceError {
            return ContextRun(
                accuracy: accuracy, trialsToCriterion: criterion, contextSpecificNumbers: learner.contextSpecificNumbers,
                divergence: divergence)
        } catch {
            preconditionFailure("DivergenceGuard throws only DivergenceError")
        }
        criterion.append(reached)
        accuracy.append((0..<task.contexts).map { probeAccuracy(learner, task: task, context: $0) })
    }
    return ContextRun(accuracy: accuracy, trialsToCriterion: criterion, contextSpecificNumbers: learner.contextSpecificNumbers)
}

/// The forgetting experiment: K = 2 contexts in alternating blocks, every method on every seed.
package struct ForgettingResult: Sendable {
    /// The methods compared (ids, labels, colours), in legend order.
    package let methods: [ForgettingMethod]
    /// The seeds.
    package let seeds: [UInt64]
    /// `runs[m][s]`: method m on seed s.
    package let runs: [[ContextRun]]
    /// The context of each block (0-based).
    package let blockContexts: [Int]
    /// Trials per block.
    package let trialsPerBlock: Int
    /// Number of contexts.
    package let contexts: Int

    /// `method,seed,block,context,accuracy`: probe accuracy on each context (1-based) after each
    /// block (block 0: before training; block b trained context `blockContexts[b − 1] + 1`).
    package var csv: CSVTable {
        var t = CSVTable(header: ["method", "seed", "block", "context", "accuracy"])
        for (m, method) in methods.enumerated() {
            for (s, seed) in seeds.enumerated() {
                for (b, row) in runs[m][s].accuracy.enumerated() {
                    for (k, a) in row.enumerated() { t.append([.text(method.id), .int(Int(seed)), .int(b), .int(k + 1), .number(a)]) }
                }
            }
        }
        return t
    }

    /// `method,seed,block,context,trials_to_criterion`: trials of each block until every cue of its
    /// context was right at the probe (empty when never reached within the block).
    package var criterionCSV: CSVTable {
        var t = CSVTable(header: ["method", "seed", "block", "context", "trials_to_criterion"])
        for (m, method) in methods.enumerated() {
            for (s, seed) in seeds.enumerated() {
                for (b, n) in runs[m][s].trialsToCriterion.enumerated() {
                    t.append([.text(method.id), .int(Int(seed)), .int(b + 1), .int(blockContexts[b] + 1), n.map { .int($0) } ?? .text("")])
                }
            }
        }
        return t
    }

    /// `method,contexts,numbers_per_context`: context-specific numbers each method stored, divided
    /// by the number of contexts (seed 0's run; the count does not depend on the seed).
    package var memoryCSV: CSVTable {
        var t = CSVTable(header: ["method", "contexts", "numbers_per_context"])
        for (m, method) in methods.enumerated() {
            t.append([.text(method.id), .int(contexts), .number(memoryPerContext(m))])
        }
        return t
    }

    /// Context-specific numbers per context of method m (seed 0).
    package func memoryPerContext(_ m: Int) -> Double { Double(runs[m][0].contextSpecificNumbers) / Double(contexts) }

    /// Accuracy on context k after block b for method m, one value per seed.
    /// Only seeds that completed block b contribute.
    package func accuracy(method m: Int, block b: Int, context k: Int) -> [Double] {
        runs[m].compactMap { b < $0.accuracy.count ? $0.accuracy[b][k] : nil }
    }

    /// Blocks completed by every seed of method m (the common prefix the figure draws).
    package func completedBlocks(method m: Int) -> Int { runs[m].map(\.completedBlocks).min() ?? 0 }

    /// The first divergence of method m in seed order, if any seed diverged.
    package func divergence(method m: Int) -> DivergenceError? { runs[m].lazy.compactMap(\.divergence).first }

    /// Index of the method with this id.
    package func index(of id: String) -> Int? { methods.firstIndex { $0.id == id } }
}

/// Runs the forgetting experiment of `p` (K = 2, `p.blocks` alternating blocks) for `methods`.
package func runForgetting(_ p: ForgettingParameters, methods: [ForgettingMethod]) throws -> ForgettingResult {
    let seeds = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let config = p.networkConfig
    let perSeed = try MultiSeedRunner.run(seeds: seeds) { seed in
        let setup = ContextualSetup(seed: seed, config: config, contexts: 2, blocks: p.blocks, trialsPerBlock: p.trialsPerBlock)
        return methods.map {
            runContextBlocks($0.makeLearner(setup, p), setup: setup, name: $0.id, learningRate: p.learningRate)
        }
    }
    let runs = methods.indices.map { m in perSeed.map { $0[m] } }
    // A comparison in which every method diverged has nothing to show.
    let first = runs.map { $0.lazy.compactMap(\.divergence).first }
    if let d = first.first ?? nil, first.allSatisfy({ $0 != nil }) { throw d }
    return ForgettingResult(
        methods: methods, seeds: seeds, runs: runs,
        blockContexts: ContextualTask.blockContexts(blocks: p.blocks, contexts: 2), trialsPerBlock: p.trialsPerBlock, contexts: 2)
}

/// The capacity experiment: for each K, one pass C1, C2, …, CK of `p.trialsPerBlock` trials each on
/// the same network size, and the retention: mean probe accuracy on C1 … C(K−1) after the block of CK.
package struct CapacityResult: Sendable {
    package let methods: [ForgettingMethod]
    package let seeds: [UInt64]
    package let contexts: [Int]
    /// `retention[m][c][s]`: method m, K = contexts[c], seed s.
    package let retention: [[[Double]]]
    /// `newest[m][c][s]`: probe accuracy on the last context CK after its block (was it learned?).
    package let newest: [[[Double]]]
    /// `memory[m][c]`: context-specific numbers per context (seed 0).
    package let memory: [[Double]]
    /// The first divergence of each method (over K, then seeds), if any run diverged.
    package let divergences: [DivergenceError?]

    /// The first divergence of method m, if any.
    package func divergence(method m: Int) -> DivergenceError? { divergences[m] }

    /// `method,contexts,seed,retention`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["method", "contexts", "seed", "retention"])
        for (m, method) in methods.enumerated() {
            for (c, k) in contexts.enumerated() {
                for (s, seed) in seeds.enumerated() { t.append([.text(method.id), .int(k), .int(Int(seed)), .number(retention[m][c][s])]) }
            }
        }
        return t
    }

    /// `method,contexts,seed,accuracy_newest`: accuracy on the last context after its block.
    package var newestCSV: CSVTable {
        var t = CSVTable(header: ["method", "contexts", "seed", "accuracy_newest"])
        for (m, method) in methods.enumerated() {
            for (c, k) in contexts.enumerated() {
                for (s, seed) in seeds.enumerated() { t.append([.text(method.id), .int(k), .int(Int(seed)), .number(newest[m][c][s])]) }
            }
        }
        return t
    }

    /// `method,contexts,numbers_per_context`.
    package var memoryCSV: CSVTable {
        var t = CSVTable(header: ["method", "contexts", "numbers_per_context"])
        for (m, method) in methods.enumerated() {
            for (c, k) in contexts.enumerated() { t.append([.text(method.id), .int(k), .number(memory[m][c])]) }
        }
        return t
    }
}

/// Runs the capacity experiment of `p` for `methods`.
package func runCapacity(_ p: ForgettingParameters, methods: [ForgettingMethod]) throws -> CapacityResult {
    let seeds = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let config = p.networkConfig
    let ks = p.capacityContexts
    // perSeed[s][c][m]
    let perSeed = try MultiSeedRunner.run(seeds: seeds) { seed in
        ks.map { k in
            let setup = ContextualSetup(seed: seed, config: config, contexts: k, blocks: k, trialsPerBlock: p.trialsPerBlock)
            return methods.map {
                runContextBlocks($0.makeLearner(setup, p), setup: setup, name: "\($0.id), K = \(k)", learningRate: p.learningRate)
            }
        }
    }
    func table(_ f: (ContextRun, Int) -> Double) -> [[[Double]]] {
        methods.indices.map { m in ks.indices.map { c in perSeed.map { f($0[c][m], ks[c]) } } }
    }
    // A run that diverged before its last block has no retention (NaN in the CSV, left out of means).
    let retention = table { run, k in
        guard run.completedBlocks == k else { return .nan }
        let last = run.accuracy[k]
        return (0..<(k - 1)).map { last[$0] }.reduce(0, +) / Double(k - 1)
    }
    let newest = table { run, k in run.completedBlocks == k ? run.accuracy[k][k - 1] : .nan }
    let memory = methods.indices.map { m in ks.indices.map { c in Double(perSeed[0][c][m].contextSpecificNumbers) / Double(ks[c]) } }
    let divergencesList = methods.indices.map { m in
        ks.indices.lazy.compactMap { c in perSeed.lazy.compactMap { $0[c][m].divergence }.first }.first
    }
    if let d = divergencesList.first ?? nil, divergencesList.allSatisfy({ $0 != nil }) { throw d }
    return CapacityResult(
        methods: methods, seeds: seeds, contexts: ks, retention: retention, newest: newest, memory: memory, divergences: divergencesList)
}
