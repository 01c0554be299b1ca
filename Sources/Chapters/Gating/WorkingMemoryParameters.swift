// Gating chapter: MD thalamus sets the time constant of PFC working memory —
// Eqs. (10)–(11) of the review.
//
//   τ dr/dt = −r + f(inp),  inp = (1 + r_MD) w_PFC r + r_s                 (10)
//   τ_eff = τ / (1 − g),   g = (1 + r_MD) w_PFC f(inp*)(1 − f(inp*))        (11)
//
// Pure data, no drawing: each experiment returns a Sendable result with the numbers a
// figure needs and CSV tables of them. The model (fixed points, RK4 integration,
// τ_eff measurement) lives in CreditCore (WorkingMemoryUnit, WorkingMemoryPopulation).
//
// Interpretation (ours, not the review's): the review leaves r_s as "the input from
// sensory cortex". With r_s = 0 the sigmoid puts the resting rate at r ≥ ½, which is no
// resting state for a memory. So r_s = r_bias + stimulus: a constant negative bias
// (default −3) gives a low resting rate (≈ 0.05), and items arrive as positive pulses on
// top of it. With r_s = −3 the unit is bistable for W = (1 + r_MD) w_PFC between 5.46
// (a persistent high state appears: a saddle-node, g = 1 at the new state) and 8.46
// (the resting state merges with the unstable middle one: its g → 1 and τ_eff → ∞).
import CreditCore

import Foundation

// MARK: - Parameters

/// The working-memory experiments' parameters, named after the command-line flags.
package struct WorkingMemoryParameters: Sendable, Equatable {
    /// PFC time constant τ in ms (`--tau`); 20 ms, the review's exercise.
    package var tau: Double = 20
    /// RK4 step in ms (`--dt`), must satisfy 0 < dt < τ; 0.05 ms = τ/400 keeps RK4's error
    /// below 1e-12 and the simulated τ_eff within 1e-4 of Eq. (11).
    package var dt: Double = 0.05
    /// r_MD of the traces' "MD on" condition (`--r-md`): 2.5, so W = 3.5 × 2 = 7 sits in the
    /// middle of the bistable range 5.46 < W < 8.46 for r_bias = −3: a pulse switches the unit
    /// to its persistent state and nothing but noise could switch it back.
    package var rMD: Double = 2.5
    /// Recurrent weight w_PFC of the traces' units and of the bifurcation sweep (`--w-pfc`):
    /// 2, so without MD the resting loop gain is 0.105 (τ_eff = 22 ms ≈ τ) and the unit is
    /// bistable for 1.73 < r_MD < 3.23.
    package var wPFC: Double = 2
    /// The constant resting input r_bias in ms-free rate units (`--r-bias`): −3 gives a resting
    /// rate of about 0.05 and a bistable window (needs r_bias < −2) wide enough to see.
    package var rBias: Double = -3
    /// Jittered trials for the probe readout (`--seeds`): seed k draws the distractor onsets
    /// and every pulse's amplitude; the example trial shown in the traces is not jittered.
    package var seeds: Int = 10
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1

    /// The w_PFC values of the τ_eff sweep: 2, 3, 4 reach the resting state's g = 0.97 at
    /// r_MD ≈ 3.2, 1.8 and 1.1, so all three curves fit one r_MD axis.
    package var wPFCValues: [Double] = [2, 3, 4]
    /// Points of r_MD per w_PFC in the τ_eff sweep, evenly spaced from 0.
    package var tauSweepPoints: Int = 30
    /// The sweep stops where the resting state's loop gain reaches this value (< 1).
    package var tauSweepMaxLoopGain: Double = 0.97
    /// The sweep never goes beyond this r_MD (used when g never reaches the target, r_bias ≥ −2).
    package var tauSweepMaxMD: Double = 10
    /// ε, the initial deviation r − r* of every τ_eff measurement: small enough that the
    /// nonlinear correction (relative size ≈ ε |F″| / (2(1 − g)), F″ = −W² f″) stays below
    /// 1e-4 for g ≤ 0.97, large enough that r − r* is resolved far above rounding.
    package var perturbation: Double = 1e-5
    /// The τ_eff fit uses ln|r − r*| while the deviation decays by this many factors of e.
    package var fitEFolds: Double = 3
    /// The bifurcation sweep covers r_MD in [0, this].
    package var bifurcationMaxMD: Double = 4
    /// Points of r_MD in the bifurcation sweep (4001: steps of 0.001). Near a saddle-node the
    /// new pair's loop gains differ from 1 by ≈ 1.2 √Δr_MD (w_PFC = 2, r_bias = −3), so the first
    /// grid point past the bifurcation shows g within 0.04 of 1.
    package var bifurcationPoints: Int = 4001
    /// r_MD axis of the phase diagram.
    package var phaseMDRange: ClosedRange<Double> = 0...4
    /// Points on the phase diagram's r_MD axis.
    package var phaseMDPoints: Int = 120
    /// w_PFC axis of the phase diagram.
    package var phaseWRange: ClosedRange<Double> = 0.5...4
    /// Points on the phase diagram's w_PFC axis.
    package var phaseWPoints: Int = 120
    /// Every this-many-th cell in each direction (offset by half) of the phase diagram is also
    /// simulated, as a check on Eq. (11).
    package var phaseCheckStride: Int = 12
    /// Height of an item's input pulse (added to r_bias).
    package var stimulus: Double = 4
    /// Duration of every input pulse (ms).
    package var pulseDuration: Double = 50
    /// Onset of the cue, item A (ms).
    package var cueOnset: Double = 100
    /// Onsets of the distractors, items B, C, … (ms), in the example trial.
    package var distractorOnsets: [Double] = [400, 700]
    /// The probe: the time at which the memory is read out (ms).
    package var probeTime: Double = 1000
    /// End of the trial (ms), after the probe.
    package var trialDuration: Double = 1100
    /// Rates are recorded every this many ms in the traces.
    package var traceSampleInterval: Double = 1
    /// In the jittered trials each pulse's amplitude is `stimulus` × U(1 − jitter, 1 + jitter).
    package var amplitudeJitter: Double = 0.25
    /// The cue counts as recalled when it exceeds every distractor by more than this at the probe.
    package var readoutMargin: Double = 0.1
    /// An item counts as held when its rate at the probe exceeds this.
    package var heldThreshold: Double = 0.5

    /// The default parameters, or the `--quick` ones (coarser step and grids, fewer trials).
    package init(quick: Bool = false) {
        if quick {
            dt = 0.1
            tauSweepPoints = 15
            bifurcationPoints = 801
            phaseMDPoints = 40
            phaseWPoints = 40
            phaseCheckStride = 8
            seeds = 3
        }
    }

    /// The item names: A (the cue), then B, C, … (the distractors).
    package var itemNames: [String] {
        (0...distractorOnsets.count).map { String(UnicodeScalar(UInt8(65 + $0 % 26))) }
    }

    /// The cross-parameter and internal checks (each flag's own bounds are in ``declared``).
    package func checkConstraints() throws {
        if !(dt > 0) || !(dt < tau) {
            throw ParameterError("--dt", "\(dt)", "a step 0 < dt < τ (τ = \(CSVTable.format(tau)) ms; dt ≪ τ for accuracy)")
        }
        if !(tauSweepMaxLoopGain > 0 && tauSweepMaxLoopGain < 1) {
            throw ParameterError("sweep loop gain", "\(tauSweepMaxLoopGain)", "a loop gain in (0, 1)")
        }
        if wPFCValues.isEmpty || wPFCValues.contains(where: { !($0 > 0) || !$0.isFinite }) {
            throw ParameterError("w_PFC values", "\(wPFCValues)", "at least one recurrent weight, all > 0")
        }
        let window = WorkingMemoryUnit.bistabilityWindow(sensory: rBias)
        for w in wPFCValues {
            let rest = WorkingMemoryUnit(tau: tau, wPFC: w).lowestFixedPoint(md: 0, sensory: rBias)
            if let window, w >= window.onsetWeight {
                throw ParameterError(
                    "w_PFC values", "\(w)",
                    "weights below \(CSVTable.format(window.onsetWeight)), where r_MD = 0 has a single resting state (r_bias = \(CSVTable.format(rBias)))"
                )
            }
            if rest.loopGain >= tauSweepMaxLoopGain {
                throw ParameterError(
                    "w_PFC values", "\(w)",
                    "weights whose resting loop gain at r_MD = 0 is below \(tauSweepMaxLoopGain) (it is \(CSVTable.format(rest.loopGain)))")
            }
        }
        if tauSweepPoints < 2 { throw ParameterError("sweep points", "\(tauSweepPoints)", "at least 2 points") }
        if !(tauSweepMaxMD > 0) || !tauSweepMaxMD.isFinite { throw ParameterError("sweep r_MD cap", "\(tauSweepMaxMD)", "an r_MD > 0") }
        if !(perturbation > 0 && perturbation < 0.01) { throw ParameterError("perturbation", "\(perturbation)", "an ε in (0, 0.01)") }
        if !(fitEFolds > 0 && fitEFolds <= 20) { throw ParameterError("fit window", "\(fitEFolds)", "between 0 and 20 e-folds") }
        if !(bifurcationMaxMD > 0) || !bifurcationMaxMD.isFinite {
            throw ParameterError("bifurcation r_MD", "\(bifurcationMaxMD)", "an r_MD > 0")
        }
        if bifurcationPoints < 2 { throw ParameterError("bifurcation points", "\(bifurcationPoints)", "at least 2 points") }
        if !(phaseMDRange.lowerBound >= 0) || !phaseMDRange.upperBound.isFinite || phaseMDRange.lowerBound == phaseMDRange.upperBound {
            throw ParameterError("phase r_MD range", "\(phaseMDRange)", "a range of r_MD ≥ 0 with two distinct ends")
        }
        if !(phaseWRange.lowerBound > 0) || !phaseWRange.upperBound.isFinite || phaseWRange.lowerBound == phaseWRange.upperBound {
            throw ParameterError("phase w_PFC range", "\(phaseWRange)", "a range of w_PFC > 0 with two distinct ends")
        }
        if phaseMDPoints < 2 || phaseWPoints < 2 {
            throw ParameterError("phase grid", "\(phaseMDPoints)×\(phaseWPoints)", "at least 2 × 2 points")
        }
        if phaseCheckStride < 1 { throw ParameterError("phase check stride", "\(phaseCheckStride)", "a stride ≥ 1") }
        if !(stimulus > 0) || !stimulus.isFinite { throw ParameterError("stimulus", "\(stimulus)", "a pulse height > 0") }
        if !(pulseDuration > 0) { throw ParameterError("pulse duration", "\(pulseDuration)", "a duration > 0 ms") }
        if !(cueOnset >= 0) { throw ParameterError("cue onset", "\(cueOnset)", "a time ≥ 0 ms") }
        let cueEnd = cueOnset + pulseDuration
        if distractorOnsets.isEmpty || distractorOnsets.contains(where: { !($0 >= cueEnd) || !($0 + pulseDuration <= probeTime) }) {
            throw ParameterError(
                "distractor onsets", "\(distractorOnsets)",
                "at least one onset, each after the cue ends (\(CSVTable.format(cueEnd)) ms) and ending before the probe")
        }
        if distractorOnsets.count > 25 { throw ParameterError("distractor onsets", "\(distractorOnsets.count)", "at most 25 distractors") }
        if !(probeTime < trialDuration) || !trialDuration.isFinite {
            throw ParameterError("probe time", "\(probeTime)", "a time before the end of the trial (\(trialDuration) ms)")
        }
        if !(traceSampleInterval >= dt) || !traceSampleInterval.isFinite {
            throw ParameterError("trace sample interval", "\(traceSampleInterval)", "an interval ≥ dt")
        }
        if !(amplitudeJitter >= 0 && amplitudeJitter < 1) {
            throw ParameterError("amplitude jitter", "\(amplitudeJitter)", "a fraction in [0, 1)")
        }
        if !(readoutMargin >= 0) || !readoutMargin.isFinite { throw ParameterError("readout margin", "\(readoutMargin)", "a margin ≥ 0") }
        if !(heldThreshold > 0 && heldThreshold < 1) { throw ParameterError("held threshold", "\(heldThreshold)", "a rate in (0, 1)") }
    }
}

extension WorkingMemoryParameters: ChapterParameters {
    /// A τ_eff measurement integrates a few τ_eff (up to ≈ 33 τ) in steps of dt.
    package static let budgets: [ParameterBudget<WorkingMemoryParameters>] = [
        .init("τ / dt", atMost: 10_000, blame: "--dt") { $0.tau / $0.dt }
    ]

    package static let declared: [ModelParameter<WorkingMemoryParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(\.tau, flag: "--tau", symbol: "τ", "PFC time constant of Eq. 10", unit: "ms", .above(0, upTo: 10_000)),
        .init(\.dt, flag: "--dt", symbol: "dt", "RK4 integration step, below τ", unit: "ms", .closed(0.001, 10_000)),
        .init(\.rMD, flag: "--r-md", symbol: "r_MD", "MD drive when MD is on, in the traces", .closed(0, 100)),
        .init(
            \.wPFC, flag: "--w-pfc", symbol: "w_PFC", "PFC recurrent weight of the traces and the bifurcation", .above(0, upTo: 1_000_000)),
        .init(\.rBias, flag: "--r-bias", symbol: "r_bias", "resting input to PFC, the constant part of r_s", .closed(-100, 100)),
    ]
}
