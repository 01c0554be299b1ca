// The science of the two-timescales experiment (Chapter 4, part 3), asserted with numbers.
//
// Every claim is checked at the figure's defaults (4 cues, 2 MD units × 20 PFC units, γ = 1.5,
// θ = 10, η_z = 4, η_M = 0.005, blocks of mean 25 trials, 100 training blocks) with 5 seeds and
// 40 test switches instead of 60. Margins are set from measured values (see the comments).
//
// Mutations tried in TwoTimescaleNetwork.trial / pfc, each caught by these tests:
// - the fast drive updated with η_M instead of η_z (fails recovery, separation, interference);
// - the MD gain applied to every PFC group (`on = true`; fails recovery, separation, interference).
@testable import CreditCore
import Testing

@testable import Chapters

/// The defaults with 5 seeds and 40 test switches.
private let fiveSeeds: TwoTimescaleParameters = {
    var p = TwoTimescaleParameters()
    p.seeds = 5
    p.testSwitches = 40
    return p
}()

/// Computed once and shared.
private let shared = Result { try twoTimescales(fiveSeeds) }

/// The claim of panel A: the two-timescale network recovers within 3 trials on every seed, faster
/// than the tuned single-timescale network on every seed and in at most half its trials on the
/// mean, and makes at least one error fewer in the first 10 trials after a switch.
private func recoversClearlyFaster(_ r: TwoTimescaleResult) -> Bool {
    let two = r.seeds(.twoTimescale), single = r.seeds(.singleTuned)
    let perSeed = zip(two, single).allSatisfy { $0.recoveryTrials <= 3 && $1.recoveryTrials > $0.recoveryTrials }
    let t = r.summary(.twoTimescale) { Double($0.recoveryTrials) }.mean
    let s = r.summary(.singleTuned) { Double($0.recoveryTrials) }.mean
    let e2 = r.summary(.twoTimescale) { $0.errorsAfterSwitch }.mean
    let e1 = r.summary(.singleTuned) { $0.errorsAfterSwitch }.mean
    return perSeed && t <= s / 2 && e2 < e1 - 1
}

/// The claim of panel B: the fast variable settles on a different MD unit for each context and
/// picks it on at least 90 % of settled trials, on every seed.
private func fastVariableSeparates(_ r: TwoTimescaleResult) -> Bool {
    r.seeds(.twoTimescale).allSatisfy { $0.oneToOne && $0.mdDecoding > 0.9 && $0.mdSeparation > 0.8 }
}

@Suite("Two timescales science", .serialized)
struct ContextTimescalesScienceTests {
    @Test func twoTimescaleRecoveryIsClearlyFasterThanSingleTimescale() throws {
        let r = try shared.get()
        // Measured (5 seeds, 40 switches): two timescales recover in 2 trials on every seed, the
        // tuned single timescale in 4–9 (mean 7.2); expected errors in the first 10 trials ≈ 2.3 vs ≈ 4.2.
        let faster = recoversClearlyFaster(r)
        #expect(
            faster,
            "recovery two \(r.seeds(.twoTimescale).map(\.recoveryTrials)), single \(r.seeds(.singleTuned).map(\.recoveryTrials))")
        // With the cortical weights frozen the fast variable alone recovers as fast.
        for s in r.seeds(.twoTimescaleFrozen) { #expect(s.recoveryTrials <= 3, "frozen \(s.recoveryTrials)") }
        // At the same η_M without the fast loop the network never gets below the criterion in the window.
        for s in r.seeds(.singleSameRate) { #expect(s.recoveryTrials == fiveSeeds.window) }
        // The oracle (told the context) is the floor: below both, from the first trial.
        let oracle = r.summary(.oracle) { $0.errorsAfterSwitch }.mean
        let twoErrors = r.summary(.twoTimescale) { $0.errorsAfterSwitch }.mean
        #expect(oracle < 0.3 && oracle < twoErrors - 1, "oracle \(oracle), two \(twoErrors)")
        for s in r.seeds(.oracle) { #expect(s.recoveryTrials == 0) }
        // The first trial after a switch still follows the old map (P(error) near 1, above chance).
        let (first2, first1) = (r.errorCurve(.twoTimescale).mean[0], r.errorCurve(.singleTuned).mean[0])
        #expect(first2 > 0.7 && first1 > 0.7, "trial 0: two \(first2), single \(first1)")
    }

    @Test func theAdvantageFormsOverTrainingBlocks() throws {
        let r = try shared.get()
        // Measured (first 10 trials of a block, bins of 10 blocks): two timescales ≈ 0.48 in the
        // first bin, ≈ 0.32 in the last; the tuned single timescale ≈ 0.47 → ≈ 0.48.
        let two = r.trainingCurve(.twoTimescale).mean, single = r.trainingCurve(.singleTuned).mean
        #expect(two.first! - two.last! > 0.08, "two \(two.first!) → \(two.last!)")
        #expect(two.last! < single.last! - 0.1, "last bin: two \(two.last!), single \(single.last!)")
    }

    @Test func theSingleTimescaleBaselineIsTunedFairly() throws {
        let r = try shared.get()
        // The sweep chose an interior rate with fewer errors than the two-timescale network's η_M.
        let chosen = r.sweep.first { $0.eta == r.tunedRate }!.errors.mean
        let atSlow = r.sweep.first { $0.eta == fiveSeeds.etaSlow }!.errors.mean
        let tuned = r.tunedRate
        #expect(tuned != fiveSeeds.singleRates.first! && tuned != fiveSeeds.singleRates.last!, "tuned \(tuned)")
        #expect(chosen < atSlow - 1, "tuned \(chosen) vs η_M = \(fiveSeeds.etaSlow): \(atSlow)")
        let chosenIsBest = r.sweep.allSatisfy { chosen <= $0.errors.mean }
        #expect(chosenIsBest)
    }

    @Test func theFastVariableSeparatesTheContexts() throws {
        let r = try shared.get()
        // Measured: decoding ≥ 0.998, separation ≥ 0.997 on every seed.
        let separates = fastVariableSeparates(r)
        #expect(separates, "decoding \(r.seeds(.twoTimescale).map(\.mdDecoding))")
        // The single-timescale network's MD never moves: it tells nothing about the context.
        for s in r.seeds(.singleTuned) {
            let (oneToOne, decoding, separation) = (s.oneToOne, s.mdDecoding, s.mdSeparation)
            #expect(!oneToOne && decoding < 0.7 && separation == 0, "decoding \(decoding)")
        }
        // After a switch the new context's MD unit is selected within 3 trials (≥ 0.9 at trial 3).
        let b = r.newUnitCurve(.twoTimescale)
        #expect(b.mean[0] < 0.1 && b.mean[3] > 0.9, "P(new unit) \(b.mean.prefix(5))")
    }

    @Test func theSingleTimescaleNetworkLosesTheOtherContext() throws {
        let r = try shared.get()
        // Measured: with its best MD unit, the two-timescale network errs on ≈ 0.09 of the other
        // context's trials at a block's end; the tuned single-timescale network on ≈ 0.49 (chance:
        // its one subnetwork holds the current, reversed map, the other learned nothing).
        for (two, single) in zip(r.seeds(.twoTimescale), r.seeds(.singleTuned)) {
            #expect(two.otherContextBestMD < 0.2, "two \(two.otherContextBestMD)")
            #expect(single.otherContextBestMD > 0.4, "single \(single.otherContextBestMD)")
        }
        // With MD where it is, both point to the current context: the other map is reversed.
        let singleOwn = r.summary(.singleTuned) { $0.otherContextOwnMD }.mean
        let oracleBest = r.summary(.oracle) { $0.otherContextBestMD }.mean
        #expect(singleOwn > 0.7 && oracleBest < 0.05, "single own \(singleOwn), oracle \(oracleBest)")
    }

    @Test func withMisleadingFeedbackTheFastLoopStillProtectsTheOtherContext() throws {
        // ε = 0.1: one trial in ten gives the wrong feedback. Measured (5 seeds, 40 switches):
        // recovery ≈ 4.8 vs ≈ 9.2 trials, expected errors ≈ 3.5 vs ≈ 4.4, other-context error with
        // the best MD unit ≈ 0.22 vs ≈ 0.47 (the oracle's floor is now ≈ 0.10).
        var p = fiveSeeds
        p.feedbackNoise = 0.1
        p.singleRates = [0.2, 1]
        let r = try twoTimescales(p)
        let two = r.summary(.twoTimescale) { $0.otherContextBestMD }.mean
        let single = r.summary(.singleTuned) { $0.otherContextBestMD }.mean
        #expect(two < 0.33 && single > 0.4, "other context: two \(two), single \(single)")
        let e2 = r.summary(.twoTimescale) { $0.errorsAfterSwitch }.mean, e1 = r.summary(.singleTuned) { $0.errorsAfterSwitch }.mean
        #expect(e2 < e1, "errors after a switch: two \(e2), single \(e1)")
    }

    @Test func deliberateBugFastVariableAtTheSlowRateIsCaught() throws {
        // Mutation: the corticothalamic drive learns at the cortical rate (η_z = η_M), as a tired
        // person would wire it by reusing one learning rate. The recovery claim must fail.
        var p = fiveSeeds
        p.etaFast = p.etaSlow
        p.singleRates = [0.5]
        let bug = try twoTimescales(p)
        let bugFaster = recoversClearlyFaster(bug)
        #expect(!bugFaster, "recovery \(bug.seeds(.twoTimescale).map(\.recoveryTrials))")
        // Mutation: the fast variable does not adapt at all. Separation must fail.
        p.etaFast = 0
        let frozen = try twoTimescales(p)
        let frozenSeparates = fastVariableSeparates(frozen), frozenFaster = recoversClearlyFaster(frozen)
        #expect(!frozenSeparates && !frozenFaster)
    }

    /// The caption's panel claims follow the run: at the default they are the chapter's; at γ = 6
    /// (solutions, exercise 13: the slow weights relearn after every switch, MD decodes the context
    /// on about 80 % of trials and no learned network keeps the other map) none of them is made.
    @Test func theCaptionClaimsWhatTheRunShows() throws {
        let standard = try #require(ContextTimescalesFigure.figure(try shared.get()).caption)
        for claim in [
            "switches MD units within a few trials", "only the two-timescale network and the oracle keep the other map",
            "after one or two errors", "ahead of the tuned single-timescale one from block",
        ] {
            #expect(standard.contains(claim), "default caption lacks '\(claim)'")
        }
        var strong = fiveSeeds
        strong.gain = 6
        let r = try twoTimescales(strong)
        let caption = try #require(ContextTimescalesFigure.figure(r).caption)
        #expect(r.summary(.twoTimescale) { $0.mdDecoding }.mean < 0.95)
        for claim in ["within a few trials", "two-timescale network and the oracle keep", "after one or two errors"] {
            #expect(!caption.contains(claim), "γ = 6 caption still claims '\(claim)'")
        }
        #expect(caption.contains("tracks the context only in part") && caption.contains("only the oracle keeps the other map"))
    }

    @Test func theSameParametersGiveTheSameFiles() throws {
        var p = TwoTimescaleParameters(quick: true)
        p.seeds = 2
        let a = try twoTimescales(p), b = try twoTimescales(p)
        let same = a.csv == b.csv && a.summaryCSV == b.summaryCSV && a.traceCSV == b.traceCSV && a.sweepCSV == b.sweepCSV
        #expect(same)
        #expect(a.csv.header == ["model", "seed", "switch", "trial_after_switch", "error"])
        // Block lengths are geometric with the stated mean.
        var rng = SeededGenerator(seed: 7)
        let task = SwitchingTask(cues: 4, meanBlock: 25)
        let lengths = (0..<20_000).map { _ in Double(task.blockLength(using: &rng)) }
        let mean = lengths.reduce(0, +) / Double(lengths.count)
        #expect(abs(mean - 25) < 0.6 && lengths.min()! == 1, "mean block \(mean)")
    }

    @Test func badParametersAreRejectedWithTheFlag() throws {
        for (flag, value) in [("--eta-fast", "-1"), ("--eta-slow", "0"), ("--switch-cues", "1"), ("--block-mean", "1")] {
            #expect(throws: ParameterError.self) { _ = try ContextParameters.parse([flag, value], quick: false) }
        }
        let p = try ContextParameters.parse(["--seeds", "7", "--seed", "3"], quick: true)
        #expect(p.timescales.seeds == 7 && p.timescales.seed == 3)
    }
}
