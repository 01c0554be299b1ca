// The science of the learned-gating experiment, asserted with numbers.
//
// Every claim is checked on the default task (K = 4 items, 3 distractors, 2000 ms delay,
// 1000 training trials, default rates and memory constants) with 5 seeds instead of the
// figure's 10, and 1000 test trials per point instead of 2000, to keep the debug test
// time down. Margins are set from measured values (see the comments).
@testable import CreditCore
import Testing

@testable import Chapters

/// The default parameters with 5 seeds and 1000 test trials.
private let fiveSeeds: LearnedGatingParameters = {
    var p = LearnedGatingParameters()
    p.seeds = 5
    p.testTrials = 1000
    return p
}()

/// Computed once and shared.
private let sharedCurves = Result { try learnedGating(fiveSeeds) }
private let sharedSweep = Result { try accuracyVersusDelay(sharedCurves.get()) }

@Suite("Learned gating science", .serialized)
struct LearnedGatingScienceTests {
    @Test func learnedGateBeatsBothFixedGatesAtTheDefaultDelay() throws {
        let r = try sharedSweep.get()
        let d = fiveSeeds.delay
        let learned = r.accuracy(.learned, delay: d), open = r.accuracy(.alwaysOpen, delay: d)
        let closed = r.accuracy(.alwaysClosed, delay: d)
        // Measured (5 seeds): learned ≈ 0.86, always-closed ≈ 0.22, always-open ≈ 0.01.
        #expect(learned.mean > 0.75, "learned \(learned.mean)")
        #expect(learned.mean - closed.mean > 0.4, "learned \(learned.mean) vs closed \(closed.mean)")
        #expect(learned.mean - open.mean > 0.4, "learned \(learned.mean) vs open \(open.mean)")
        // Seed by seed as well.
        let li = r.policies.firstIndex(of: .learned)!, di = r.delays.firstIndex(of: d)!
        for (si, seed) in r.seedValues.enumerated() {
            let l = r.perSeed[li][di][si]
            #expect(l - r.perSeed[1][di][si] > 0.3 && l - r.perSeed[2][di][si] > 0.3, "seed \(seed)")
        }
        // Always-open is fooled by the most recent distractor: well below chance.
        #expect(open.mean < 0.5 * r.chance)
    }

    @Test func theLearnedGateReachesTheOracleCeiling() throws {
        let r = try sharedSweep.get()
        let d = fiveSeeds.delay
        let oracle = r.accuracy(.oracle, delay: d), learned = r.accuracy(.learned, delay: d)
        // The oracle opens for the cue only: ≈ 0.867 at 2 s; the learned gate is within a few points.
        #expect(abs(oracle.mean - 0.867) < 0.02, "oracle \(oracle.mean)")
        #expect(oracle.mean - learned.mean < 0.03 && oracle.mean >= learned.mean - 0.01, "oracle \(oracle.mean), learned \(learned.mean)")
        // Short delays are harder for the oracle too: the cause is the task, not the learning.
        let short = r.accuracy(.oracle, delay: r.delays.first!).mean
        #expect(abs(short - 0.75) < 0.03 && short < r.accuracy(.oracle, delay: 1000).mean - 0.1, "oracle at 250 ms \(short)")
        let curves = try sharedCurves.get()
        #expect(curves.csv.rows.contains { $0[0] == "oracle" } && r.csv.rows.contains { $0[0] == "oracle" })
    }

    @Test func theLastDistractorCompetesAtShortDelays() throws {
        let probe = try probeTraces(fiveSeeds)
        // At 250 ms the last distractor (62.5 ms old, gate closed) is at 0.73, the cue at 0.88.
        #expect(probe.delays.first == 250)
        #expect(abs(probe.lastDistractor[0] - 0.73) < 0.005 && abs(probe.cueLinear[0] - 0.882) < 0.005)
        #expect(probe.linearMargin(delay: 250) < probe.linearMargin(delay: 1000))
        // The full Eq. 10 from r = 0.9 loses 1/e in ≈ 905 ms, not τ_eff = 2000 ms.
        #expect(abs(probe.linearTauOpen - 2000) < 1e-6)
        #expect(abs(probe.fullOneOverETime - 905) < 1, "full Eq. 10: \(probe.fullOneOverETime) ms")
        #expect(zip(probe.cueFull, probe.cueLinear).allSatisfy { $0.0 <= $0.1 + 1e-9 })
        #expect(probe.csv.header == ["delay", "cue_linear", "cue_full_eq10", "last_distractor"])
        // Without matched inhibition (balanced for the closed gate, r_s = −w_PFC/2), opening the
        // gate leaves one fixed point at r ≈ 0.93 with τ_eff ≈ 136 ms.
        let unbalanced = WorkingMemoryUnit(tau: fiveSeeds.tau, wPFC: fiveSeeds.wPFC).fixedPoints(
            md: fiveSeeds.rMDOpen, sensory: -fiveSeeds.wPFC / 2)
        #expect(unbalanced.count == 1 && abs(unbalanced[0].rate - 0.925) < 0.002)
        #expect(abs(unbalanced[0].effectiveTimeConstant - 136) < 1)
    }

    @Test func aGatedMemoryRemovesChapterTwosError() throws {
        let r = try memoryTD(fiveSeeds)
        // Time-only features: δ at the reward stays ≈ +½ (A) and −½ (B); so with a closed gate,
        // whose trace has faded by the reward; with the cue gated in it goes to 0.
        for coding in [MemoryStateCoding.timeOnly, .gateClosed] {
            #expect(abs(r.late(coding, cue: 0).mean - 0.5) < 0.1 && abs(r.late(coding, cue: 1).mean + 0.5) < 0.1, "\(coding)")
        }
        #expect(abs(r.late(.gateOpen, cue: 0).mean) < 0.02 && abs(r.late(.gateOpen, cue: 1).mean) < 0.02)
        #expect(r.interval == 1000)
    }

    @Test func closedGateFallsToChanceAtLongDelays() throws {
        let r = try sharedSweep.get()
        let longest = r.delays.last!
        let closed = r.accuracy(.alwaysClosed, delay: longest)
        // 5 × 1000 test trials: SEM of a proportion near 0.25 is ≈ 0.006.
        #expect(abs(closed.mean - r.chance) < 0.03, "always-closed at \(longest) ms: \(closed.mean)")
        // At short delays a closed trace has not faded: the last distractor wins (below chance).
        #expect(r.accuracy(.alwaysClosed, delay: r.delays.first!).mean < 0.5 * r.chance)
        // The held cue fades too, with τ_eff = 2000 ms: the learned gate's accuracy peaks at
        // intermediate delays and falls towards chance at the longest.
        let learned = r.accuracy(.learned).map(\.mean)
        #expect(learned.max()! > 0.9)
        #expect(learned.last! < 0.5 && learned.last! > r.chance - 0.03)
        #expect(learned.last! < r.accuracy(.learned, delay: fiveSeeds.delay).mean - 0.3)
    }

    @Test func learnedPolicyOpensForCuesOnly() throws {
        for opening in [try sharedCurves.get().finalOpening, try sharedSweep.get().opening] {
            for (cue, distractor) in zip(opening.cuePerSeed, opening.distractorPerSeed) {
                #expect(cue > 0.9, "P(open | cue) = \(cue)")
                #expect(distractor < 0.1, "P(open | distractor) = \(distractor)")
            }
        }
        // Both experiments train the same agent for a seed.
        #expect(try sharedCurves.get().finalOpening == sharedSweep.get().opening)
    }

    @Test func learningCurvesRiseFromChance() throws {
        let r = try sharedCurves.get()
        let learned = r.series(.learned)
        // The first block (naive gate, P(open) = ½ for every item) is far below the last.
        #expect(learned.statistics.mean.first! < 0.45)
        #expect(learned.finalAccuracy.mean > 0.75)
        #expect(learned.finalAccuracy.mean - r.series(.alwaysClosed).finalAccuracy.mean > 0.4)
        #expect(learned.finalAccuracy.mean - r.series(.alwaysOpen).finalAccuracy.mean > 0.4)
        // The gate probabilities start at ½ and separate.
        let cue = SeedStatistics(r.gateProbability, curve: "p_open cue").mean
        let distractor = SeedStatistics(r.gateProbability, curve: "p_open distractor").mean
        #expect(cue.first! > 0.5 && cue.last! > 0.9 && distractor.last! < 0.1)
    }

    @Test func tablesHaveTheAgreedShape() throws {
        let r = try sharedCurves.get()
        let blocks = fiveSeeds.trials / fiveSeeds.block
        #expect(r.csv.header == ["condition", "seed", "trial", "accuracy"])
        #expect(r.csv.rows.count == 4 * fiveSeeds.seeds * blocks)
        #expect(r.csv.rows[0][0...2] == ["learned", "1", "50"])
        #expect(r.summaryCSV.header == ["condition", "trial", "accuracy_mean", "accuracy_sem", "seeds"])
        #expect(r.gateCSV.header == ["seed", "trial", "item", "p_open"])
        #expect(r.finalGateCSV.rows.count == 2 * fiveSeeds.seeds)
        let s = try sharedSweep.get()
        #expect(s.csv.header == ["condition", "delay", "accuracy_mean", "accuracy_sem", "seeds"])
        #expect(s.csv.rows.count == 4 * s.delays.count)
        #expect(s.delays == [250, 500, 1000, 2000, 4000, 8000])
        #expect(s.csv.rows[0] == ["learned", "250", s.csv.rows[0][2], s.csv.rows[0][3], "5"])
    }

    @Test func deterministicAndSeedAddressable() throws {
        var p = LearnedGatingParameters(quick: true)
        p.trials = 120
        p.seeds = 3
        p.testTrials = 50
        p.testDelays = [1000]
        let a = try learnedGating(p, parallel: true), b = try learnedGating(p, parallel: false)
        #expect(a.csv == b.csv && a.gateCSV == b.gateCSV)
        let sa = try accuracyVersusDelay(a, parallel: true), sb = try accuracyVersusDelay(a, parallel: false)
        #expect(sa.csv == sb.csv && sa.seedCSV == sb.seedCSV)
        // Seed k of a 3-seed run is the 1-seed run started at seed 1 + k.
        p.seed = 3
        p.seeds = 1
        let single = try learnedGating(p)
        #expect(single.series(.learned).seeds[0] == a.series(.learned).seeds[2])
        #expect(single.series(.learned).seeds[0].curves[0].y != a.series(.learned).seeds[0].curves[0].y)
        // A partial last block: 120 trials in blocks of 50 → 50, 100, 120.
        #expect(a.series(.learned).statistics.x == [50, 100, 120])
    }

    @Test func validateNamesTheFlag() {
        func rejected(_ change: (inout LearnedGatingParameters) -> Void) -> String? { rejectedFlag(LearnedGatingParameters.self, change) }
        #expect(rejected { _ in } == nil)
        #expect(rejected { $0.trials = 0 } == "--trials")
        #expect(rejected { $0.delay = 0 } == "--delay")
        #expect(rejected { $0.delay = -5 } == "--delay")
        #expect(rejected { $0.delay = .nan } == "--delay")
        #expect(rejected { $0.distractors = -1 } == "--distractors")
        #expect(rejected { $0.items = 1 } == "--items")
        #expect(rejected { $0.alphaActor = 0 } == "--alpha-actor")
        #expect(rejected { $0.alphaActor = .infinity } == "--alpha-actor")
        #expect(rejected { $0.alphaCritic = -0.1 } == "--alpha-critic")
        #expect(rejected { $0.seeds = 0 } == "--seeds")
        #expect(rejected { $0.seed = UInt64.max } == "--seed")
        #expect(
            rejected {
                $0.seeds = 100; $0.seed = 999_999_999
            } == nil)
        #expect(rejected { $0.rMDOpen = 1.0 } == "--gate-open-r-md")  // loop gain 1: neither linearisation holds
        #expect(rejected { $0.readoutNoise = -1 } == "readout noise")
        #expect(rejected { $0.tau = 0 } == "tau")
        #expect(rejected { $0.testDelays = [] } == "test delays")
        // The message names the flag, the value and what is accepted.
        var p = LearnedGatingParameters()
        p.items = 1
        #expect(throws: ParameterError(flag: "--items", value: "1", accepted: "2 ≤ K ≤ 26")) { try p.validate() }
        #expect(throws: ParameterError.self) { try learnedGating(p) }
        #expect(throws: ParameterError.self) { try accuracyVersusDelay(learnedGating(p)) }
    }

    @Test func edgeCasesRun() throws {
        var p = LearnedGatingParameters(quick: true)
        p.trials = 200
        p.seeds = 2
        p.testTrials = 200
        p.distractors = 0  // nothing to ignore: holding every item is right
        let none = try accuracyVersusDelay(learnedGating(p))
        #expect(none.accuracy(.alwaysOpen, delay: p.delay).mean > 0.9)
        p.distractors = 5
        p.items = 2  // chance ½; every distractor is the one wrong item
        let two = try learnedGating(p)
        #expect(two.chance == 0.5 && two.csv.rows.count == 4 * 2 * 4)
    }

    @Test func quickRunStillShowsTheEffect() throws {
        let p = LearnedGatingParameters(quick: true)
        let r = try learnedGating(p)
        #expect(r.series(.learned).finalAccuracy.mean > r.series(.alwaysClosed).finalAccuracy.mean + 0.3)
    }
}
