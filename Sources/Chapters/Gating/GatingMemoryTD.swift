// Chapter 5 closes Chapter 2's loop: the two-cue TD task with a gated working memory in the state.
import CreditCore
import Foundation

// MARK: - 4. A gated memory removes Chapter 2's ±½ error

/// How the two-cue task's state is coded.
package enum MemoryStateCoding: String, Sendable, CaseIterable {
    /// Chapter 2's time since the cue only.
    case timeOnly = "time-only"
    /// Time since the cue and a PFC memory whose gate stayed closed (τ_eff,closed).
    case gateClosed = "memory-gate-closed"
    /// Time since the cue and a PFC memory the oracle gated in (τ_eff,open).
    case gateOpen = "memory-gate-open"
}

/// δ at the reward in Chapter 2's two-cue task (A rewarded, B not) for three state codings.
package struct MemoryTDResult: Sendable {
    /// Chapter 2's parameters (timing, α, γ, trials).
    package var td: TDParameters
    /// The learned-gating parameters (τ, w_PFC, r_MD, readout threshold).
    package var gating: LearnedGatingParameters
    /// Duration of one TD step (ms).
    package var stepDuration: Double
    /// The seeds.
    package var seedValues: [UInt64]
    /// errors[coding][cue][seed][presentation]: δ at the reward on each presentation of cue A (0) or B (1).
    package var errors: [MemoryStateCoding: [[[Double]]]]
    /// The cue-to-reward interval in ms.
    package var interval: Double { Double(td.cueRewardInterval) * stepDuration }

    /// Mean across seeds of δ at the reward on each presentation of `cue` (0 = A, 1 = B).
    package func meanCurve(_ coding: MemoryStateCoding, cue: Int) -> [Double] {
        let perSeed = errors[coding]![cue]
        let n = perSeed.map(\.count).min() ?? 0
        return (0..<n).map { i in MeanSEM(perSeed.map { $0[i] }).mean }
    }

    /// Mean ± SEM across seeds of the mean δ at the reward over the second half of the presentations of `cue`.
    package func late(_ coding: MemoryStateCoding, cue: Int) -> MeanSEM {
        MeanSEM(errors[coding]![cue].map { Array($0[($0.count / 2)...]).mean })
    }

    /// Columns `features,cue,presentation,delta_reward_mean,seeds`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["features", "cue", "presentation", "delta_reward_mean", "seeds"])
        for coding in MemoryStateCoding.allCases {
            for cue in 0..<2 {
                for (i, d) in meanCurve(coding, cue: cue).enumerated() {
                    t.append([.text(coding.rawValue), .text(cue == 0 ? "A" : "B"), .int(i + 1), .number(d), .int(seedValues.count)])
                }
            }
        }
        return t
    }
}

/// Chapter 2's two-cue task (``TwoCueTask``, default ``TDParameters``) with TD steps of
/// `stepDuration` ms, learned with time-only features and with ``GatedMemoryFeatures``: a PFC unit
/// loaded by the cue and read out while its trace stays above the readout noise sd, with the
/// gate closed (τ_eff = 200 ms) or opened for the cue by the oracle (τ_eff = 2000 ms). The same
/// cue order serves every coding.
package func memoryTD(
    _ gating: LearnedGatingParameters, td: TDParameters = TDParameters(), stepDuration: Double = 100, parallel: Bool = true
) throws -> MemoryTDResult {
    try gating.validate()
    try td.validate()
    let c = gating.memoryConstants
    let seedValues = MultiSeedRunner.seeds(first: gating.seed, count: gating.seeds)
    let steps = td.postCueSteps
    @Sendable func features(_ coding: MemoryStateCoding) -> any TrialFeatureMap {
        switch coding {
        case .timeOnly: TimeSinceCueFeatures(steps: steps)
        case .gateClosed, .gateOpen:
            GatedMemoryFeatures(
                steps: steps, cues: 2, stepDuration: stepDuration,
                trace: c.relaxation(open: coding == .gateOpen), threshold: gating.readoutNoise)
        }
    }
    let perSeed = try MultiSeedRunner.run(seeds: seedValues, parallel: parallel) { seed in
        var rng = SeededGenerator(seed: seed)
        let cues = TwoCueTask.cueOrder(trials: td.trials, using: &rng)
        var out: [MemoryStateCoding: [[Double]]] = [:]
        for coding in MemoryStateCoding.allCases {
            let map = features(coding)
            var learner = LinearTDLearner(featureCount: map.dimension, alpha: td.alpha, gamma: td.gamma)
            let guardrail = DivergenceGuard(
                run: "memory-td (\(coding.rawValue), seed \(seed))", parameters: td.runParameters, bound: gatingDivergenceBound)
            let errors = try TwoCueTask.rewardErrors(
                &learner, cues: cues, length: td.trialLength, cueTime: td.cueTime, rewardTime: td.rewardTime,
                features: map
            ) { try guardrail.check($0, step: $1) }
            out[coding] = (0..<2).map { cue in zip(cues, errors).filter { $0.0 == cue }.map(\.1) }
        }
        return out
    }
    var errors: [MemoryStateCoding: [[[Double]]]] = [:]
    for coding in MemoryStateCoding.allCases {
        errors[coding] = (0..<2).map { cue in perSeed.map { $0[coding]![cue] } }
    }
    return MemoryTDResult(td: td, gating: gating, stepDuration: stepDuration, seedValues: seedValues, errors: errors)
}
