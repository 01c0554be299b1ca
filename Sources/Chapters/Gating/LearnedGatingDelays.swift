// Chapter 5: accuracy of the trained gates against the delay, and what the readout sees at
// the probe.
import CreditCore
import Foundation

// MARK: - 2. Accuracy against delay

/// Final accuracy against delay for each policy.
package struct DelaySweepResult: Sendable {
    /// The parameters used.
    package var parameters: LearnedGatingParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// The delays tested, ms, ascending (``LearnedGatingParameters/sweepDelays``).
    package var delays: [Double]
    /// The policies, in ``GatePolicy`` order.
    package var policies: [GatePolicy]
    /// accuracy[policy][delay][seed]: test accuracy of each seed.
    package var perSeed: [[[Double]]]
    /// The learned policy's P(open) after training (the policy that was tested).
    package var opening: GateOpening
    /// Chance accuracy 1/K.
    package var chance: Double

    /// Mean ± SEM across seeds of `policy`'s accuracy at every delay, in ``delays`` order.
    package func accuracy(_ policy: GatePolicy) -> [MeanSEM] {
        perSeed[policies.firstIndex(of: policy)!].map { MeanSEM($0) }
    }

    /// Mean ± SEM of `policy`'s accuracy at `delay` (which must be one of ``delays``).
    package func accuracy(_ policy: GatePolicy, delay: Double) -> MeanSEM {
        accuracy(policy)[delays.firstIndex(of: delay)!]
    }

    /// Columns `condition,delay,accuracy_mean,accuracy_sem,seeds`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["condition", "delay", "accuracy_mean", "accuracy_sem", "seeds"])
        for policy in policies {
            for (d, stat) in zip(delays, accuracy(policy)) {
                t.append([.text(policy.rawValue), .number(d), .number(stat.mean), .number(stat.sem), .int(stat.n)])
            }
        }
        return t
    }

    /// Columns `condition,delay,seed,accuracy`: every seed's test accuracy.
    package var seedCSV: CSVTable {
        var t = CSVTable(header: ["condition", "delay", "seed", "accuracy"])
        for (pi, policy) in policies.enumerated() {
            for (di, d) in delays.enumerated() {
                for (si, seed) in seedValues.enumerated() {
                    t.append([.text(policy.rawValue), .number(d), .text(String(seed)), .number(perSeed[pi][di][si])])
                }
            }
        }
        return t
    }

    /// Columns `seed,item,p_open`: the tested policy's P(open) for cues and distractors.
    package var gateCSV: CSVTable { opening.csv(seeds: seedValues) }
}

/// Takes the learned gates that ``learnedGating(_:parallel:)`` trained (at `delay`, for
/// `trials` trials), freezes them, and tests each and the two fixed gates on `testTrials`
/// fresh trials at each delay of ``LearnedGatingParameters/sweepDelays`` (the learned policy
/// still samples its gate, but no longer learns). Every policy and delay sees the same test
/// trials and readout noise. Seeds run in parallel; results in seed order.
package func accuracyVersusDelay(_ trained: LearnedGatingResult, parallel: Bool = true) throws -> DelaySweepResult {
    let p = trained.parameters
    let seedValues = trained.seedValues
    let delays = p.sweepDelays
    let policies = GatePolicy.allCases
    // perSeedRuns[seed] = (accuracy[policy][delay], p_open cue, p_open distractor)
    let perSeedRuns = try MultiSeedRunner.map(count: seedValues.count, parallel: parallel) { k in
        let seed = seedValues[k]
        let agent = trained.trainedAgents[k]
        let acc = policies.map { policy in delays.map { testAccuracy(agent, policy, delay: $0, p, seed: seed) } }
        return (acc, agent.openProbability(cue: true), agent.openProbability(cue: false))
    }
    let perSeed = policies.indices.map { pi in
        delays.indices.map { di in perSeedRuns.map { $0.0[pi][di] } }
    }
    return DelaySweepResult(
        parameters: p, seedValues: seedValues, delays: delays, policies: policies, perSeed: perSeed,
        opening: GateOpening(cuePerSeed: perSeedRuns.map(\.1), distractorPerSeed: perSeedRuns.map(\.2)),
        chance: p.task.chance)
}

// MARK: - 3. What the readout sees at the probe

/// The traces the readout compares at the probe, against the delay L, for a cue that was gated
/// in and the last distractor, which was not (the oracle's and, after training, the learned
/// gate's choices). Distractors are spread evenly over the delay, so the last one arrives
/// L / (D + 1) before the probe: at short delays it has had little time to fade.
package struct ProbeTraceResult: Sendable {
    /// The parameters used.
    package var parameters: LearnedGatingParameters
    /// Delays L (ms), ascending.
    package var delays: [Double]
    /// The cue's trace e^{−L/τ_eff,open}: the linearised memory the task uses (Eq. 11); for a
    /// bistable open gate its relaxation to the persistent state (``TraceRelaxation``).
    package var cueLinear: [Double]
    /// The cue's trace under the full Eq. (10), loaded at the rate ``loadedRate``:
    /// (r(L) − ½) / (r(0) − ½).
    package var cueFull: [Double]
    /// The last distractor's trace e^{−(L/(D+1))/τ_eff,closed}.
    package var lastDistractor: [Double]
    /// The rate at which the full model's cue starts (0.9).
    package var loadedRate: Double
    /// τ_eff of the open gate from Eq. (11), ms: at rest, or at the persistent state if bistable.
    package var linearTauOpen: Double
    /// The time in which the full Eq. (10) loses 1/e of the deviation from ``loadedRate``, ms
    /// (infinite when a bistable open gate holds more than 1/e of it).
    package var fullOneOverETime: Double
    /// The persistent state r+ the cue settles in when the open gate is bistable, else nil.
    package var persistentRate: Double?

    /// Columns `delay,cue_linear,cue_full_eq10,last_distractor`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["delay", "cue_linear", "cue_full_eq10", "last_distractor"])
        for k in delays.indices {
            t.append([.number(delays[k]), .number(cueLinear[k]), .number(cueFull[k]), .number(lastDistractor[k])])
        }
        return t
    }

    /// The trace margin cue − last distractor (linearised memory) at `delay`, from the formulas.
    package func linearMargin(delay: Double) -> Double {
        let c = parameters.memoryConstants
        return c.relaxation(open: true).trace(after: delay)
            - c.relaxation(open: false).trace(after: delay / Double(parameters.distractors + 1))
    }
}

/// The cue's and the last distractor's traces at the probe over 80 log-spaced delays from the
/// shortest to the longest of ``LearnedGatingParameters/sweepDelays``, with the full Eq. (10)
/// beside the linearised memory for the cue (loaded at r = 0.9, ``GatedPFCMemory/Constants/loadedRate``).
package func probeTraces(_ params: LearnedGatingParameters) throws -> ProbeTraceResult {
    try params.validate()
    let p = params, c = p.memoryConstants, loadedRate = c.loadedRate
    let lo = log(p.sweepDelays.first!), hi = log(p.sweepDelays.last!)
    var delays = evenlySpaced(lo...hi, count: 80).map { exp($0) }
    (delays[0], delays[79]) = (p.sweepDelays.first!, p.sweepDelays.last!)  // exact ends
    let open = c.relaxation(open: true), closed = c.relaxation(open: false)
    return ProbeTraceResult(
        parameters: p, delays: delays,
        cueLinear: delays.map { open.trace(after: $0) },
        cueFull: c.fullModelTrace(from: loadedRate, open: true, times: delays),
        lastDistractor: delays.map { closed.trace(after: $0 / Double(p.distractors + 1)) },
        loadedRate: loadedRate, linearTauOpen: open.tau,
        fullOneOverETime: c.fullModelOneOverETime(from: loadedRate, open: true),
        persistentRate: c.persistentState(rMD: p.rMDOpen)?.rate)
}
