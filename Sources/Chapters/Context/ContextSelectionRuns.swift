// Chapter 4, part 2, items 3–4: the selection run (what the basal ganglia learn to select) and
// the lesion run (silencing the basal ganglia early and late in consolidation).
//
// Both run K = 2 contexts in alternating blocks C1, C2, … of the forgetting experiment's T
// trials on its network (ContextualSetup of the seed), and measure accuracy exactly: the
// expected probe accuracy Σ_k P(MD unit k | context) · 1[readout right on group k], averaged
// over the context's cues, with learning off.
import CreditCore

/// |weight| beyond this counts as divergence (rewards are 0/1; a stable readout stays O(1)).
let selectionDivergenceBound = 1e6

/// The divergence guard of one seed's run.
private func selectionGuard(_ name: String, _ sp: ContextSelectionParameters, _ fp: ForgettingParameters, seed: UInt64)
    -> DivergenceGuard
{
    DivergenceGuard(
        run: "\(name), seed \(seed)",
        parameters: [
            RunParameter("α_actor", sp.alphaActor), RunParameter("β_MD", sp.betaMD), RunParameter("η_M", sp.etaStudent),
            RunParameter("η_w", sp.etaW), RunParameter("η", fp.learningRate),
        ], bound: selectionDivergenceBound)
}

/// Trains `learner` through block `b` of `setup` and checks its weights.
private func trainBlock(_ learner: inout BasalGangliaLearner, _ setup: ContextualSetup, block b: Int, guard g: DivergenceGuard) throws {
    let context = setup.blockContexts[b]
    for cue in setup.blockCues[b] {
        learner.train(cue: cue, context: context, correct: setup.task.action(context: context, cue: cue))
    }
    try g.check(learner.selector.allWeights + learner.readout.weights, step: (b + 1) * setup.blockCues[b].count)
}

// MARK: - 3. The basal ganglia select the thalamus

/// Selection probabilities over training, with the basal ganglia alone (no consolidation).
package struct SelectionResult: Sendable {
    package let parameters: ContextSelectionParameters
    package let seeds: [UInt64]
    /// MD units the basal ganglia choose from (chance 1/M).
    package let mdUnits: Int
    /// Trials per block.
    package let trialsPerBlock: Int
    /// Context of each block (0-based).
    package let blockContexts: [Int]
    /// The trials at which the probabilities were recorded (0, recordEvery, …, and every block end).
    package let trials: [Int]
    /// `probability[s][t][c][k]`: P(MD unit k | context c) on seed s at `trials[t]`.
    package let probability: [[[[Double]]]]
    /// `accuracy[s][b][c]`: expected probe accuracy on context c after block b (b = 0: before training).
    package let accuracy: [[[Double]]]
    /// The same blocks and seeds through the forgetting comparison's runner for the floor (no
    /// thalamus), the ceiling (MD oracle), the basal ganglia and the reward-free Hebbian PFC→MD rule.
    package let comparison: ForgettingResult

    /// Retention per seed of method `id` in ``comparison``: after each block b ≥ 2, the probe
    /// accuracy on the context block b did not train.
    package func comparisonRetention(_ id: String, block b: Int) -> [Double] {
        let m = comparison.index(of: id)!
        return comparison.runs[m].map { $0.accuracy[b][1 - comparison.blockContexts[b - 1]] }
    }

    /// Per seed: does the Hebbian rule end with different MD units for the two contexts?
    package let hebbianSeparates: [Bool]
    /// Seeds on which the Hebbian rule ends with different MD units for the two contexts.
    package var hebbianDistinct: Int { hebbianSeparates.filter { $0 }.count }

    /// `seed,hebbian_distinct_units`: whether the Hebbian PFC→MD rule gave the contexts different units.
    package var hebbianCSV: CSVTable {
        var t = CSVTable(header: ["seed", "hebbian_distinct_units"])
        for (s, seed) in seeds.enumerated() { t.append([.text(String(seed)), .text(hebbianSeparates[s] ? "yes" : "no")]) }
        return t
    }

    /// The final most probable MD unit of context c on seed s.
    package func assignedUnit(seed s: Int, context c: Int) -> Int {
        probability[s].last![c].argmax
    }

    /// One-to-one: at the end, each context's most probable unit is selected with probability ≥ 0.9
    /// and no two contexts share it.
    package func isOneToOne(seed s: Int) -> Bool {
        let units = (0..<2).map { assignedUnit(seed: s, context: $0) }
        return Set(units).count == units.count
            && (0..<2).allSatisfy { probability[s].last![$0][units[$0]] >= 0.9 }
    }

    /// Seeds with a one-to-one assignment.
    package var oneToOneCount: Int { seeds.indices.filter { isOneToOne(seed: $0) }.count }

    /// P(own unit | c) over training, per seed: the unit context c ends up with.
    package func ownCurve(seed s: Int, context c: Int) -> Curve {
        let k = assignedUnit(seed: s, context: c)
        return Curve(name: "own-c\(c + 1)", x: trials.map(Double.init), y: probability[s].map { $0[c][k] })
    }

    /// P(the other context's final unit | c) over training, per seed: trials that would reach (and
    /// overwrite) the other context's subnetwork.
    package func otherCurve(seed s: Int, context c: Int) -> Curve {
        let k = assignedUnit(seed: s, context: 1 - c)
        return Curve(name: "other-c\(c + 1)", x: trials.map(Double.init), y: probability[s].map { $0[c][k] })
    }

    /// Mean ± SEM across seeds of ``ownCurve(seed:context:)``.
    package func own(context c: Int) -> SeedStatistics { SeedStatistics(seeds.indices.map { ownCurve(seed: $0, context: c) }) }
    /// Mean ± SEM across seeds of ``otherCurve(seed:context:)``.
    package func other(context c: Int) -> SeedStatistics { SeedStatistics(seeds.indices.map { otherCurve(seed: $0, context: c) }) }

    /// Retention: expected accuracy on the context not trained in block b, after block b (b ≥ 1), per seed.
    package func retention(seed s: Int) -> [Double] {
        blockContexts.indices.map { b in accuracy[s][b + 1][1 - blockContexts[b]] }
    }

    /// `seed,trial,context,md_unit,probability`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["seed", "trial", "context", "md_unit", "probability"])
        for (s, seed) in seeds.enumerated() {
            for (i, trial) in trials.enumerated() {
                for c in 0..<2 {
                    for k in 0..<mdUnits {
                        t.append([.text(String(seed)), .int(trial), .int(c + 1), .int(k + 1), .number(probability[s][i][c][k])])
                    }
                }
            }
        }
        return t
    }

    /// `seed,context,md_unit,probability,one_to_one`: the final assignment.
    package var assignmentCSV: CSVTable {
        var t = CSVTable(header: ["seed", "context", "md_unit", "probability", "one_to_one"])
        for (s, seed) in seeds.enumerated() {
            for c in 0..<2 {
                let k = assignedUnit(seed: s, context: c)
                t.append([
                    .text(String(seed)), .int(c + 1), .int(k + 1), .number(probability[s].last![c][k]),
                    .text(isOneToOne(seed: s) ? "yes" : "no"),
                ])
            }
        }
        return t
    }

    /// `seed,block,context,accuracy`: expected probe accuracy on each context after each block.
    package var accuracyCSV: CSVTable {
        var t = CSVTable(header: ["seed", "block", "context", "accuracy"])
        for (s, seed) in seeds.enumerated() {
            for (b, row) in accuracy[s].enumerated() {
                for (c, a) in row.enumerated() { t.append([.text(String(seed)), .int(b), .int(c + 1), .number(a)]) }
            }
        }
        return t
    }
}

/// Trains the basal ganglia alone (no consolidation) for `sp.blocks` blocks on every seed.
package func bgSelection(
    _ sp: ContextSelectionParameters, _ fp: ForgettingParameters, parallel: Bool = true
) throws -> SelectionResult {
    try sp.validate()
    try fp.validate()
    let seeds = MultiSeedRunner.seeds(first: sp.seed, count: sp.seeds)
    let config = fp.networkConfig
    let blockLength = fp.trialsPerBlock
    let runs = try MultiSeedRunner.run(seeds: seeds, parallel: parallel) { seed -> ([[[Double]]], [[Double]], [Int]) in
        let setup = ContextualSetup(seed: seed, config: config, contexts: 2, blocks: sp.blocks, trialsPerBlock: blockLength)
        var learner = BasalGangliaLearner(setup: setup, learningRate: fp.learningRate, parameters: sp, consolidates: false)
        let g = selectionGuard("BG selection", sp, fp, seed: seed)
        var probs = [(0..<2).map { learner.selection(context: $0) }]
        var trials = [0]
        var accuracy = [(0..<2).map { learner.expectedAccuracy(context: $0, task: setup.task) }]
        var done = 0
        for b in 0..<sp.blocks {
            let context = setup.blockContexts[b]
            for cue in setup.blockCues[b] {
                learner.train(cue: cue, context: context, correct: setup.task.action(context: context, cue: cue))
                done += 1
                if done % sp.recordEvery == 0 || done == (b + 1) * blockLength {
                    trials.append(done)
                    probs.append((0..<2).map { learner.selection(context: $0) })
                }
            }
            try g.check(learner.selector.allWeights + learner.readout.weights, step: done)
            accuracy.append((0..<2).map { learner.expectedAccuracy(context: $0, task: setup.task) })
        }
        return (probs, accuracy, trials)
    }
    var fc = fp
    (fc.seed, fc.seeds, fc.blocks) = (sp.seed, sp.seeds, sp.blocks)
    let comparison = try runForgetting(fc, methods: [.noThalamus, .mdOracle, .bgSelected(sp), .hebbianMD(sp)])
    let distinct = try MultiSeedRunner.run(seeds: seeds, parallel: parallel) { seed -> Bool in
        let setup = ContextualSetup(seed: seed, config: config, contexts: 2, blocks: sp.blocks, trialsPerBlock: blockLength)
        var learner = HebbianMDLearner(setup: setup, learningRate: fp.learningRate, parameters: sp)
        for b in 0..<sp.blocks {
            let context = setup.blockContexts[b]
            for cue in setup.blockCues[b] {
                learner.train(cue: cue, context: context, correct: setup.task.action(context: context, cue: cue))
            }
        }
        return learner.winner(context: 0, cue: 0) != learner.winner(context: 1, cue: 0)  // the input does not depend on the cue
    }
    return SelectionResult(
        parameters: sp, seeds: seeds, mdUnits: config.mdUnits, trialsPerBlock: blockLength,
        blockContexts: ContextualTask.blockContexts(blocks: sp.blocks, contexts: 2), trials: runs[0].2,
        probability: runs.map(\.0), accuracy: runs.map(\.1), comparison: comparison,
        hebbianSeparates: distinct)
}

// MARK: - 4. Corticothalamic consolidation and the basal-ganglia lesion

/// Silencing the basal ganglia after each block of consolidation, against the intact circuit.
///
/// The full circuit (basal ganglia + corticothalamic student) trains block after block. After
/// each block P (the lesion point, trial P · T) it is forked: one copy keeps its basal ganglia,
/// the other has them silenced (y ≡ 0: the MD drive is M x alone, no BG learning, Eqs. 8–9
/// stop); both run the next `postLesionBlocks` blocks on the same trials and random numbers. The
/// accuracy of a condition is its retention: after each post-lesion block, the expected probe
/// accuracy on the context that block did not train, averaged over the post-lesion blocks.
package struct BGLesionResult: Sendable {
    package let parameters: ContextSelectionParameters
    package let seeds: [UInt64]
    package let trialsPerBlock: Int
    /// Lesion points in blocks (1 … blocks).
    package let lesionBlocks: [Int]
    /// `intact[p][s]`, `lesioned[p][s]`: retention after lesion point p on seed s.
    package let intact: [[Double]], lesioned: [[Double]]
    /// `studentSelection[s][b]`: after block b (b = 0 before training), the probability that the
    /// student alone (softmax(β_MD M x)) selects the basal ganglia's preferred unit, mean over contexts.
    package let studentSelection: [[Double]]
    /// `gain[s][b]`: the BG→MD gain w of the basal ganglia's preferred units, mean over contexts.
    package let gain: [[Double]]

    /// The lesion trials, P · T.
    package var lesionTrials: [Int] { lesionBlocks.map { $0 * trialsPerBlock } }
    /// Index of the early lesion point.
    package var earlyIndex: Int { lesionBlocks.firstIndex(of: parameters.earlyLesionBlock) ?? 0 }
    /// Index of the late lesion point (the last).
    package var lateIndex: Int { lesionBlocks.count - 1 }

    /// Mean ± SEM across seeds of the intact and lesioned retention at lesion point p.
    package func intactAccuracy(_ p: Int) -> MeanSEM { MeanSEM(intact[p]) }
    package func lesionedAccuracy(_ p: Int) -> MeanSEM { MeanSEM(lesioned[p]) }

    /// Curves over lesion trials (intact or lesioned), across seeds.
    package func statistics(lesioned isLesioned: Bool) -> SeedStatistics {
        let x = lesionTrials.map(Double.init)
        return SeedStatistics(
            seeds.indices.map { s in
                Curve(
                    name: isLesioned ? "lesioned" : "intact", x: x, y: lesionBlocks.indices.map { (isLesioned ? lesioned : intact)[$0][s] })
            })
    }

    /// Consolidation progress across seeds: student selection or gain, at every block end.
    package func progress(gain isGain: Bool) -> SeedStatistics {
        let x = (0..<studentSelection[0].count).map { Double($0 * trialsPerBlock) }
        return SeedStatistics(
            seeds.indices.map { Curve(name: isGain ? "gain" : "student", x: x, y: (isGain ? gain : studentSelection)[$0]) })
    }

    /// `lesion_trial,condition,seed,accuracy`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["lesion_trial", "condition", "seed", "accuracy"])
        for (p, trial) in lesionTrials.enumerated() {
            for (s, seed) in seeds.enumerated() {
                t.append([.int(trial), "intact", .text(String(seed)), .number(intact[p][s])])
                t.append([.int(trial), "lesioned", .text(String(seed)), .number(lesioned[p][s])])
            }
        }
        return t
    }

    /// `seed,trial,student_selection,bg_gain`: consolidation progress at every block end.
    package var progressCSV: CSVTable {
        var t = CSVTable(header: ["seed", "trial", "student_selection", "bg_gain"])
        for (s, seed) in seeds.enumerated() {
            for b in studentSelection[s].indices {
                t.append([.text(String(seed)), .int(b * trialsPerBlock), .number(studentSelection[s][b]), .number(gain[s][b])])
            }
        }
        return t
    }
}

/// The student's probability of selecting the basal ganglia's preferred unit, and that unit's
/// gain w, each averaged over the two contexts.
private func consolidationState(_ learner: BasalGangliaLearner) -> (student: Double, gain: Double) {
    var student = 0.0, gain = 0.0
    for c in 0..<2 {
        let pi = learner.selector.policy(context: c)
        let k = pi.argmax
        var p = 0.0
        for s in 0..<learner.cues { p += learner.selector.studentSelection(pfc: learner.studentInput[c * learner.cues + s])[k] }
        student += p / Double(learner.cues) / 2
        gain += learner.selector.corticothalamic.w[k] / 2
    }
    return (student, gain)
}

/// Trains the full circuit and lesions the basal ganglia after every block, on every seed.
package func bgLesion(_ sp: ContextSelectionParameters, _ fp: ForgettingParameters, parallel: Bool = true) throws -> BGLesionResult {
    try sp.validate()
    try fp.validate()
    let seeds = MultiSeedRunner.seeds(first: sp.seed, count: sp.seeds)
    let config = fp.networkConfig
    let blockLength = fp.trialsPerBlock
    let points = Array(1...sp.blocks)
    let runs = try MultiSeedRunner.run(seeds: seeds, parallel: parallel) { seed -> ([(Double, Double)], [Double], [Double]) in
        let setup = ContextualSetup(
            seed: seed, config: config, contexts: 2, blocks: sp.blocks + sp.postLesionBlocks, trialsPerBlock: blockLength)
        var learner = BasalGangliaLearner(setup: setup, learningRate: fp.learningRate, parameters: sp, consolidates: true)
        let g = selectionGuard("BG lesion", sp, fp, seed: seed)
        var out: [(Double, Double)] = []
        let s0 = consolidationState(learner)
        var student = [s0.student], gain = [s0.gain]
        for b in 0..<sp.blocks {
            try trainBlock(&learner, setup, block: b, guard: g)
            let state = consolidationState(learner)
            student.append(state.student)
            gain.append(state.gain)
            // Lesion point P = b + 1: fork, run the next blocks intact and lesioned.
            var retention: [Double] = []
            for lesion in [false, true] {
                var copy = learner
                copy.selector.basalGangliaSilenced = lesion
                var values: [Double] = []
                for j in 0..<sp.postLesionBlocks {
                    try trainBlock(&copy, setup, block: b + 1 + j, guard: g)
                    values.append(copy.expectedAccuracy(context: 1 - setup.blockContexts[b + 1 + j], task: setup.task))
                }
                retention.append(values.reduce(0, +) / Double(values.count))
            }
            out.append((retention[0], retention[1]))
        }
        return (out, student, gain)
    }
    return BGLesionResult(
        parameters: sp, seeds: seeds, trialsPerBlock: blockLength, lesionBlocks: points,
        intact: points.indices.map { p in runs.map { $0.0[p].0 } }, lesioned: points.indices.map { p in runs.map { $0.0[p].1 } },
        studentSelection: runs.map(\.1), gain: runs.map(\.2))
}
