// The science of the working-memory gating section (Eqs. 10, 11), asserted with numbers.
//
// Every claim is checked on the default parameters (τ = 20 ms, dt = 0.05 ms,
// r_bias = −3, w_PFC = 2, r_MD on = 2.5, a 120 × 120 phase diagram); the four
// experiments together take about 2 s in a debug build.
@testable import CreditCore
import Testing

@testable import Chapters

private let defaults = WorkingMemoryParameters()

/// Computed once, shared by the tests that read them.
private let sharedTau = Result { try tauEffective(defaults) }
private let sharedBifurcation = Result { try bifurcation(defaults) }
private let sharedTraces = Result { try traces(defaults) }
private let sharedPhase = Result { try phaseDiagram(defaults) }

@Suite("Gating dynamics science (Eqs. 10, 11)")
struct GatingDynamicsScienceTests {
    // MARK: 1. τ_eff against r_MD

    @Test func equationElevenMatchesTheSimulatedDecay() throws {
        let r = try sharedTau.get()
        #expect(r.csv.header == ["r_md", "w_pfc", "tau_eff_sim", "tau_eff_theory", "loop_gain", "regime"])
        #expect(r.points.count == defaults.wPFCValues.count * defaults.tauSweepPoints)
        for w in defaults.wPFCValues {
            let pts = r.points(wPFC: w)
            #expect(pts.count == defaults.tauSweepPoints)
            let linear = pts.filter { $0.loopGain <= 0.9 }
            #expect(linear.count >= defaults.tauSweepPoints / 2, "w = \(w): only \(linear.count) points with g ≤ 0.9")
            for p in linear {
                #expect(p.relativeError < 0.05, "w = \(w), r_MD = \(p.rMD): sim \(p.simulated) vs Eq. 11 \(p.theory)")
                #expect(abs(p.oneOverETime - p.theory) / p.theory < 0.05, "w = \(w), r_MD = \(p.rMD): 1/e time \(p.oneOverETime)")
            }
            // The sweep starts at r_MD = 0 and ends where g reaches 0.97: τ_eff ≈ 33 τ.
            #expect(pts.first!.rMD == 0 && abs(pts.last!.loopGain - 0.97) < 1e-9)
            #expect(abs(pts.last!.theory - 20 / 0.03) < 1e-6)
        }
        // Much better than 5 %: the fit is exact for a pure exponential.
        #expect(r.maxRelativeError(upToLoopGain: 0.9) < 0.005)
        #expect(r.maxRelativeError(upToLoopGain: 1) < 0.02)
        print(
            "τ_eff: max rel. error (g ≤ 0.9) \(r.maxRelativeError(upToLoopGain: 0.9)), overall \(r.maxRelativeError(upToLoopGain: 1)); r_MD max \(r.maxMD); bistable \(r.bistableRanges)"
        )
    }

    @Test func longTimeConstantsComeFromTheBistableWindow() throws {
        let r = try sharedTau.get()
        // With r_bias = −3 the graded (single fixed point) resting state has τ_eff ≤ 1.52 τ ≈ 30 ms.
        let ceiling = try #require(r.gradedCeiling)
        #expect(abs(ceiling / defaults.tau - 1.52) < 0.005, "graded ceiling \(ceiling)")
        for p in r.points {
            if !p.bistable { #expect(p.theory <= ceiling * (1 + 1e-9), "w = \(p.wPFC), r_MD = \(p.rMD)") }
            if p.theory > ceiling * 1.001 { #expect(p.bistable && p.regime == "bistable") }
        }
        #expect(r.points.contains { !$0.bistable } && r.points.contains { $0.bistable })
        // Figure 7's open gate (r_MD = 2.5): τ_eff = 41 ms at rest and 23 ms in the persistent state.
        let states = WorkingMemoryUnit(tau: defaults.tau, wPFC: defaults.wPFC).fixedPoints(md: defaults.rMD, sensory: defaults.rBias)
        #expect(states.count == 3)
        #expect(abs(states[0].effectiveTimeConstant - 41.4) < 0.1 && abs(states[2].effectiveTimeConstant - 23.3) < 0.1)
    }

    @Test func moreMDGivesALongerMemory() throws {
        let r = try sharedTau.get()
        for w in defaults.wPFCValues {
            let pts = r.points(wPFC: w)
            for k in 1..<pts.count {
                #expect(pts[k].theory > pts[k - 1].theory, "w = \(w), Eq. 11 at r_MD = \(pts[k].rMD)")
                #expect(pts[k].simulated > pts[k - 1].simulated, "w = \(w), simulated at r_MD = \(pts[k].rMD)")
                #expect(pts[k].loopGain > pts[k - 1].loopGain)
            }
            // Without MD the memory is close to the bare τ; at the end of the sweep it is 33 τ.
            #expect(pts[0].simulated < 1.5 * defaults.tau)
            #expect(pts.last!.simulated > 30 * defaults.tau)
        }
        // A stronger recurrent weight needs less MD to reach the same gain.
        #expect(r.maxMD[0] > r.maxMD[1] && r.maxMD[1] > r.maxMD[2])
    }

    // MARK: 2. Bifurcation

    @Test func aPersistentStateAppearsAtASaddleNode() throws {
        let r = try sharedBifurcation.get()
        #expect(r.csv.header == ["r_md", "r_star", "stable", "loop_gain"])
        #expect(r.changes.map { [$0.fromCount, $0.toCount] } == [[1, 3], [3, 1]])
        let onset = try #require(r.onset), collapse = try #require(r.collapse)
        let predicted = try #require(r.predictedBistableRange)
        // 1 → 3 where the new pair has loop gain ≈ 1 (Eq. 11's g = 1: a saddle-node).
        #expect(onset.pairLoopGains.count == 2)
        for g in onset.pairLoopGains { #expect(abs(g - 1) < 0.05, "loop gain \(g) at the new fixed point") }
        #expect(onset.pairLoopGains.min()! < 1 && onset.pairLoopGains.max()! > 1)  // the new high state is stable, the middle one not
        #expect(onset.pairRates.allSatisfy { $0 > 0.5 })  // the high state is the new one
        #expect(abs(onset.refinedLoopGain - 1) < 1e-4)
        #expect(abs(onset.refinedMD - predicted.lowerBound) < 1e-6)
        #expect(onset.gridMD >= predicted.lowerBound && onset.gridMD - predicted.lowerBound <= 0.001 + 1e-12)
        // 3 → 1 where the resting state merges with the middle one, also at g ≈ 1.
        for g in collapse.pairLoopGains { #expect(abs(g - 1) < 0.05) }
        #expect(abs(collapse.refinedMD - predicted.upperBound) < 1e-6)
        #expect(collapse.pairRates.min()! < 0.5)
        // Inside the window: low stable, middle unstable, high stable; outside: one stable state.
        for (md, fps) in zip(r.rMD, r.fixedPoints) {
            if fps.count == 3 {
                #expect(fps.map(\.isStable) == [true, false, true], "r_MD = \(md)")
                #expect(md > predicted.lowerBound && md < predicted.upperBound)
            } else {
                #expect(fps.count == 1 && fps[0].isStable, "r_MD = \(md)")
            }
        }
        // The traces' MD-on level lies inside the window.
        #expect(predicted.contains(defaults.rMD))
        print(
            "bifurcation: onset r_MD \(onset.refinedMD) (grid \(onset.gridMD), gains \(onset.pairLoopGains)), collapse \(collapse.refinedMD) (gains \(collapse.pairLoopGains))"
        )
    }

    // MARK: 3. Phase diagram

    @Test func phaseDiagramFlagsTheNonlinearRegime() throws {
        let r = try sharedPhase.get()
        #expect(r.csv.header == ["r_md", "w_pfc", "regime", "loop_gain", "tau_ratio_theory", "tau_ratio_sim"])
        #expect(r.csv.rows.count == 120 * 120 && r.boundaryCSV.rows.count == 120)
        #expect(r.wallTime > .zero)
        var counts: [PhaseRegime: Int] = [:]
        for j in r.wPFC.indices {
            for i in r.rMD.indices {
                let regime = r.regime[j][i]
                counts[regime, default: 0] += 1
                let md = r.rMD[i]
                // The regimes sit between the two g = 1 boundaries.
                switch regime {
                case .linear:
                    #expect(!(md > r.onsetMD[j]), "w = \(r.wPFC[j]), r_MD = \(md)")
                    #expect(r.tauRatio[j][i] >= 1 && r.loopGain[j][i] < 1)
                    #expect(abs(r.tauRatio[j][i] - 1 / (1 - r.loopGain[j][i])) < 1e-9 * r.tauRatio[j][i])
                    if i > 0 && r.regime[j][i - 1] == .linear { #expect(r.tauRatio[j][i] > r.tauRatio[j][i - 1]) }
                    if j > 0 && r.regime[j - 1][i] == .linear { #expect(r.tauRatio[j][i] > r.tauRatio[j - 1][i]) }
                case .bistable:
                    #expect(md >= r.onsetMD[j] && md <= r.collapseMD[j])
                    // The resting state still exists beside the persistent one; Eq. (11) holds at it.
                    #expect(r.loopGain[j][i] < 1)
                    #expect(abs(r.tauRatio[j][i] - 1 / (1 - r.loopGain[j][i])) < 1e-9 * r.tauRatio[j][i])
                case .highOnly:
                    #expect(md >= r.collapseMD[j])
                    #expect(r.tauRatio[j][i].isNaN)
                }
            }
        }
        #expect(PhaseRegime.allCases.allSatisfy { (counts[$0] ?? 0) > 50 }, "\(counts)")
        #expect(r.checks.count >= 20)
        #expect(r.maxGradedRatio < 1.52 && r.maxGradedRatio > 1.45, "graded max \(r.maxGradedRatio)")
        #expect(r.maxCheckError < 0.01, "simulated τ_eff vs Eq. 11: \(r.maxCheckError)")
        print(
            "phase: \(r.rMD.count)×\(r.wPFC.count) in \(r.wallSeconds) s on \(r.workers) workers; \(r.checks.count) checks, max error \(r.maxCheckError); \(counts)"
        )
    }

    @Test func phaseDiagramIsDeterministicAcrossCores() throws {
        var p = WorkingMemoryParameters(quick: true)
        p.phaseMDPoints = 17
        p.phaseWPoints = 13
        p.phaseCheckStride = 5
        let a = try phaseDiagram(p, parallel: true), b = try phaseDiagram(p, parallel: false)
        #expect(a.csv == b.csv && a.boundaryCSV == b.boundaryCSV)
        #expect(a.workers == 2 || a.workers == MultiSeedRunner.activeProcessorCount())
        #expect(b.workers == 1)
    }

    // MARK: 4. Traces

    @Test func mdGatingHoldsOnlyTheCue() throws {
        let r = try sharedTraces.get()
        #expect(r.csv.header == ["condition", "item", "time_ms", "rate"])
        #expect(r.items == ["A", "B", "C"])
        #expect(r.time.first == 0 && abs(r.time.last! - defaults.trialDuration) < 1e-9)
        #expect(r.csv.rows.count == 3 * 3 * r.time.count)
        #expect(r.events.map(\.kind) == ["cue", "distractor", "distractor", "probe"])
        // Off: the cue has faded back to rest by the probe; nothing is held.
        let off = r.trace(.off).readout
        #expect(abs(off.elevation[0]) < 0.03, "cue at probe \(off.cueRate) vs rest \(off.restRates[0])")
        #expect(off.held == [false, false, false] && !off.cueIsMostActive)
        #expect(abs(r.restingTauOff - defaults.tau) / defaults.tau < 0.15)  // τ_eff ≈ τ without MD
        // Always on: every item is held, distractors included; the cue cannot be singled out.
        let on = r.trace(.on).readout
        #expect(on.held == [true, true, true])
        #expect(on.rates.dropFirst().allSatisfy { $0 > 0.9 })
        #expect(!on.cueIsMostActive)
        // Gated: only the cue is held; the distractors are back at rest.
        let gated = r.trace(.gated).readout
        #expect(gated.held == [true, false, false] && gated.cueIsMostActive)
        #expect(gated.cueRate > 0.9)
        for i in 1..<3 { #expect(abs(gated.elevation[i]) < 0.03, "distractor \(i): \(gated.rates[i]) vs rest \(gated.restRates[i])") }
        // During its pulse every distractor is driven up in every condition: the gate, not the input, decides.
        let b = r.events[1]
        let during = r.time.firstIndex { $0 >= b.end - 1 }!
        for c in GatingCondition.allCases { #expect(r.trace(c).rates[1][during] > 0.8, "\(c)") }
        // Across jittered trials the readout names the cue only when MD is gated.
        #expect(r.recallFraction(.gated) == 1 && r.recallFraction(.off) == 0 && r.recallFraction(.on) == 0)
        #expect(r.readoutCSV.rows.count == 3 * 3 * (1 + defaults.seeds))
        print(
            "traces: off \(off.rates) rest \(off.restRates); on \(on.rates); gated \(gated.rates) rest \(gated.restRates); τ_eff off \(r.restingTauOff), on \(r.restingTauOn)"
        )
    }

    // MARK: Parameters and failures

    @Test func validateNamesTheFlag() {
        func flag(_ change: (inout WorkingMemoryParameters) -> Void) -> String? { rejectedFlag(WorkingMemoryParameters.self, change) }
        #expect(flag { _ in } == nil)
        #expect(flag { $0.tau = 0 } == "--tau")
        #expect(flag { $0.tau = -5 } == "--tau")
        #expect(flag { $0.dt = 20 } == "--dt")
        #expect(flag { $0.dt = 25 } == "--dt")
        #expect(flag { $0.dt = 0 } == "--dt")
        #expect(flag { $0.rMD = -0.1 } == "--r-md")
        #expect(flag { $0.wPFC = 0 } == "--w-pfc")
        #expect(flag { $0.rBias = .nan } == "--r-bias")
        #expect(flag { $0.seeds = 0 } == "--seeds")
        #expect(flag { $0.wPFCValues = [2, 6] } == "w_PFC values")  // 6 > 5.46: bistable already at r_MD = 0
        var p = WorkingMemoryParameters()
        p.dt = 30
        do {
            try p.validate()
            Issue.record("dt ≥ τ accepted")
        } catch let e as ParameterError {
            #expect(e.description.contains("a step 0 < dt < τ"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: ParameterError.self) { try traces(p) }
        #expect(WorkingMemoryParameters(quick: true) != defaults)
        #expect((try? WorkingMemoryParameters(quick: true).validate()) != nil)
    }

    @Test func divergingTrialThrowsWithItsParameters() throws {
        // Bypassing validate(): dt = 10 τ blows RK4 up once the cue kicks the units off rest
        // (a fixed point stays fixed under RK4 whatever the step).
        var p = WorkingMemoryParameters()
        p.dt = 200
        let events = workingMemoryTrialEvents(p, distractorOnsets: p.distractorOnsets, amplitudes: [4, 4, 4])
        do {
            _ = try workingMemoryTrial(p, events: events, condition: .on, recordEvery: 1, run: "blow-up")
            Issue.record("no divergence")
        } catch let e as DivergenceError {
            #expect(e.run == "blow-up")
            #expect(e.parameters.contains(RunParameter("dt", 200)) && e.parameters.contains(RunParameter("r_md", 2.5)))
            #expect(e.description.contains("tau=20"))
        }
        // A NaN input diverges too.
        var q = WorkingMemoryParameters()
        q.stimulus = .nan
        let nanEvents = workingMemoryTrialEvents(q, distractorOnsets: q.distractorOnsets, amplitudes: [.nan, 4, 4])
        #expect(throws: DivergenceError.self) {
            try workingMemoryTrial(q, events: nanEvents, condition: .off, recordEvery: 10, run: "nan cue")
        }
    }
}
