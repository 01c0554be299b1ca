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
                throw ParameterError("w_PFC values", "\(w)", "weights below \(CSVTable.format(window.onsetWeight)), where r_MD = 0 has a single resting state (r_bias = \(CSVTable.format(rBias)))")
            }
            if rest.loopGain >= tauSweepMaxLoopGain {
                throw ParameterError("w_PFC values", "\(w)", "weights whose resting loop gain at r_MD = 0 is below \(tauSweepMaxLoopGain) (it is \(CSVTable.format(rest.loopGain)))")
            }
        }
        if tauSweepPoints < 2 { throw ParameterError("sweep points", "\(tauSweepPoints)", "at least 2 points") }
        if !(tauSweepMaxMD > 0) || !tauSweepMaxMD.isFinite { throw ParameterError("sweep r_MD cap", "\(tauSweepMaxMD)", "an r_MD > 0") }
        if !(perturbation > 0 && perturbation < 0.01) { throw ParameterError("perturbation", "\(perturbation)", "an ε in (0, 0.01)") }
        if !(fitEFolds > 0 && fitEFolds <= 20) { throw ParameterError("fit window", "\(fitEFolds)", "between 0 and 20 e-folds") }
        if !(bifurcationMaxMD > 0) || !bifurcationMaxMD.isFinite { throw ParameterError("bifurcation r_MD", "\(bifurcationMaxMD)", "an r_MD > 0") }
        if bifurcationPoints < 2 { throw ParameterError("bifurcation points", "\(bifurcationPoints)", "at least 2 points") }
        if !(phaseMDRange.lowerBound >= 0) || !phaseMDRange.upperBound.isFinite || phaseMDRange.lowerBound == phaseMDRange.upperBound {
            throw ParameterError("phase r_MD range", "\(phaseMDRange)", "a range of r_MD ≥ 0 with two distinct ends")
        }
        if !(phaseWRange.lowerBound > 0) || !phaseWRange.upperBound.isFinite || phaseWRange.lowerBound == phaseWRange.upperBound {
            throw ParameterError("phase w_PFC range", "\(phaseWRange)", "a range of w_PFC > 0 with two distinct ends")
        }
        if phaseMDPoints < 2 || phaseWPoints < 2 { throw ParameterError("phase grid", "\(phaseMDPoints)×\(phaseWPoints)", "at least 2 × 2 points") }
        if phaseCheckStride < 1 { throw ParameterError("phase check stride", "\(phaseCheckStride)", "a stride ≥ 1") }
        if !(stimulus > 0) || !stimulus.isFinite { throw ParameterError("stimulus", "\(stimulus)", "a pulse height > 0") }
        if !(pulseDuration > 0) { throw ParameterError("pulse duration", "\(pulseDuration)", "a duration > 0 ms") }
        if !(cueOnset >= 0) { throw ParameterError("cue onset", "\(cueOnset)", "a time ≥ 0 ms") }
        let cueEnd = cueOnset + pulseDuration
        if distractorOnsets.isEmpty || distractorOnsets.contains(where: { !($0 >= cueEnd) || !($0 + pulseDuration <= probeTime) }) {
            throw ParameterError("distractor onsets", "\(distractorOnsets)", "at least one onset, each after the cue ends (\(CSVTable.format(cueEnd)) ms) and ending before the probe")
        }
        if distractorOnsets.count > 25 { throw ParameterError("distractor onsets", "\(distractorOnsets.count)", "at most 25 distractors") }
        if !(probeTime < trialDuration) || !trialDuration.isFinite {
            throw ParameterError("probe time", "\(probeTime)", "a time before the end of the trial (\(trialDuration) ms)")
        }
        if !(traceSampleInterval >= dt) || !traceSampleInterval.isFinite {
            throw ParameterError("trace sample interval", "\(traceSampleInterval)", "an interval ≥ dt")
        }
        if !(amplitudeJitter >= 0 && amplitudeJitter < 1) { throw ParameterError("amplitude jitter", "\(amplitudeJitter)", "a fraction in [0, 1)") }
        if !(readoutMargin >= 0) || !readoutMargin.isFinite { throw ParameterError("readout margin", "\(readoutMargin)", "a margin ≥ 0") }
        if !(heldThreshold > 0 && heldThreshold < 1) { throw ParameterError("held threshold", "\(heldThreshold)", "a rate in (0, 1)") }
    }

}

extension WorkingMemoryParameters: ChapterParameters {
    package static let declared: [ModelParameter<WorkingMemoryParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(\.tau, flag: "--tau", symbol: "τ", "PFC time constant of Eq. 10", unit: "ms", .above(0, upTo: 10_000)),
        .init(\.dt, flag: "--dt", symbol: "dt", "RK4 integration step, below τ", unit: "ms", .closed(0.001, 10_000)),
        .init(\.rMD, flag: "--r-md", symbol: "r_MD", "MD drive when MD is on, in the traces", .closed(0, 100)),
        .init(\.wPFC, flag: "--w-pfc", symbol: "w_PFC", "PFC recurrent weight of the traces and the bifurcation", .above(0, upTo: 1_000_000)),
        .init(\.rBias, flag: "--r-bias", symbol: "r_bias", "resting input to PFC, the constant part of r_s", .closed(-100, 100)),
    ]
}

/// Evenly spaced values from `lower` to `upper` inclusive (`count` ≥ 2).
private func linspace(_ lower: Double, _ upper: Double, _ count: Int) -> [Double] {
    (0..<count).map { k in k == count - 1 ? upper : lower + (upper - lower) * Double(k) / Double(count - 1) }
}

/// Seconds in a Duration.
private func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}

// MARK: - 1. τ_eff against r_MD

/// One point of the τ_eff sweep.
package struct TauEffectivePoint: Sendable, Equatable {
    /// r_MD.
    package var rMD: Double
    /// w_PFC.
    package var wPFC: Double
    /// The resting (lowest) fixed point r*.
    package var restRate: Double
    /// Its loop gain g (Eq. 11).
    package var loopGain: Double
    /// τ_eff measured from the simulated decay of r* + ε (ms).
    package var simulated: Double
    /// The simulated time to fall by 1/e (ms), a second, fit-free reading.
    package var oneOverETime: Double
    /// τ_eff from Eq. (11) (ms).
    package var theory: Double

    /// |simulated − theory| / theory.
    package var relativeError: Double { Swift.abs(simulated - theory) / theory }
}

/// τ_eff of the resting state against r_MD, for several w_PFC: simulated and Eq. (11).
package struct TauEffectiveResult: Sendable {
    /// The parameters used.
    package var parameters: WorkingMemoryParameters
    /// Every point, grouped by w_PFC (in ``WorkingMemoryParameters/wPFCValues`` order), r_MD increasing.
    package var points: [TauEffectivePoint]
    /// For each w_PFC, the r_MD at which the sweep stops (the resting loop gain reaches
    /// ``WorkingMemoryParameters/tauSweepMaxLoopGain``, or the cap).
    package var maxMD: [Double]
    /// For each w_PFC, where the unit is bistable (r_MD), if it ever is.
    package var bistableRanges: [ClosedRange<Double>?]

    /// The points for `wPFC`.
    package func points(wPFC: Double) -> [TauEffectivePoint] { points.filter { $0.wPFC == wPFC } }

    /// The largest relative error of Eq. (11) against simulation over points with g ≤ `maxLoopGain`.
    package func maxRelativeError(upToLoopGain maxLoopGain: Double = 0.9) -> Double {
        points.filter { $0.loopGain <= maxLoopGain }.map(\.relativeError).max() ?? .nan
    }

    /// Columns `r_md,w_pfc,tau_eff_sim,tau_eff_theory,loop_gain` (ms), one row per point.
    package var csv: CSVTable {
        var t = CSVTable(header: ["r_md", "w_pfc", "tau_eff_sim", "tau_eff_theory", "loop_gain"])
        for p in points { t.append([.number(p.rMD), .number(p.wPFC), .number(p.simulated), .number(p.theory), .number(p.loopGain)]) }
        return t
    }
}

/// The r_MD in [0, cap] at which the resting state's loop gain reaches `target`, or the
/// largest r_MD at which the resting state still exists (below the cap) if it never does.
private func mdReachingLoopGain(_ unit: WorkingMemoryUnit, target: Double, sensory: Double, cap: Double) -> Double {
    var hi = cap
    if let range = unit.bistableMDRange(sensory: sensory), range.upperBound > 0 {
        hi = Swift.min(cap, range.upperBound * (1 - 1e-12))  // the resting state dies at the upper end
    }
    let gain: (Double) -> Double = { unit.lowestFixedPoint(md: $0, sensory: sensory).loopGain - target }
    if gain(hi) < 0 { return hi }
    return RateDynamicsNumerics.bisectRoot(in: 0, hi, gain) ?? hi
}

/// For each w_PFC in ``WorkingMemoryParameters/wPFCValues``, sweeps r_MD from 0 to where the
/// resting state's loop gain reaches 0.97 (``WorkingMemoryParameters/tauSweepMaxLoopGain``),
/// in ``WorkingMemoryParameters/tauSweepPoints`` even steps, with constant r_s = r_bias. At each
/// point: the resting fixed point and Eq. (11)'s τ_eff, and τ_eff measured by simulation (RK4
/// from r* + ε, log-linear fit over 3 e-folds; see ``WorkingMemoryUnit/measureEffectiveTimeConstant(md:sensory:fixedPoint:perturbation:dt:eFolds:maxDuration:run:)``).
/// Points run in parallel; results are in sweep order.
package func tauEffective(_ params: WorkingMemoryParameters, parallel: Bool = true) throws -> TauEffectiveResult {
    try params.validate()
    let p = params
    var jobs: [(w: Double, md: Double)] = []
    var maxMD: [Double] = []
    var ranges: [ClosedRange<Double>?] = []
    for w in p.wPFCValues {
        let unit = WorkingMemoryUnit(tau: p.tau, wPFC: w)
        let top = mdReachingLoopGain(unit, target: p.tauSweepMaxLoopGain, sensory: p.rBias, cap: p.tauSweepMaxMD)
        maxMD.append(top)
        ranges.append(unit.bistableMDRange(sensory: p.rBias))
        for md in linspace(0, top, p.tauSweepPoints) { jobs.append((w, md)) }
    }
    let sweep = jobs
    let points = try MultiSeedRunner.map(count: jobs.count, parallel: parallel) { k in
        let (w, md) = sweep[k]
        let unit = WorkingMemoryUnit(tau: p.tau, wPFC: w)
        let rest = unit.lowestFixedPoint(md: md, sensory: p.rBias)
        let m = try unit.measureEffectiveTimeConstant(
            md: md, sensory: p.rBias, fixedPoint: rest.rate, perturbation: p.perturbation, dt: p.dt,
            eFolds: p.fitEFolds, run: "tau-eff (w_pfc \(CSVTable.format(w)), r_md \(CSVTable.format(md)))")
        return TauEffectivePoint(rMD: md, wPFC: w, restRate: rest.rate, loopGain: rest.loopGain,
                                 simulated: m.effectiveTimeConstant, oneOverETime: m.oneOverETime,
                                 theory: rest.effectiveTimeConstant)  // Eq. (11)
    }
    return TauEffectiveResult(parameters: p, points: points, maxMD: maxMD, bistableRanges: ranges)
}

// MARK: - 2. Bifurcation: fixed points against r_MD

/// A change in the number of fixed points between two neighbouring r_MD of the sweep.
package struct FixedPointCountChange: Sendable, Equatable {
    /// Fixed points before (smaller r_MD) and after.
    package var fromCount: Int
    /// Fixed points after.
    package var toCount: Int
    /// The first grid r_MD with `toCount` fixed points.
    package var gridMD: Double
    /// Loop gains of the two fixed points that merge, on the grid point nearest the change on
    /// the side where they exist (the first grid point for 1 → 3, the last one before for 3 → 1).
    package var pairLoopGains: [Double]
    /// Rates of that pair.
    package var pairRates: [Double]
    /// The r_MD of the change, refined by bisection on the fixed-point count to ~1e-13.
    package var refinedMD: Double
    /// The mean loop gain of the merging pair just inside the refined r_MD (→ 1 at a saddle-node).
    package var refinedLoopGain: Double
    /// Where the pair merges (the mean of their rates there).
    package var refinedRate: Double
}

/// Every fixed point of Eq. (10) against r_MD, for one unit with constant input r_bias.
package struct BifurcationResult: Sendable {
    /// The parameters used.
    package var parameters: WorkingMemoryParameters
    /// The r_MD grid.
    package var rMD: [Double]
    /// The fixed points at each grid r_MD, rate increasing.
    package var fixedPoints: [[RateFixedPoint]]
    /// Every change in the fixed-point count, in order of r_MD.
    package var changes: [FixedPointCountChange]
    /// The bistable r_MD range predicted in closed form (``WorkingMemoryUnit/bistableMDRange(sensory:)``).
    package var predictedBistableRange: ClosedRange<Double>?

    /// The first 1 → 3 change: a persistent high state appears.
    package var onset: FixedPointCountChange? { changes.first { $0.fromCount == 1 && $0.toCount == 3 } }
    /// The first 3 → 1 change: the resting state disappears.
    package var collapse: FixedPointCountChange? { changes.first { $0.fromCount == 3 && $0.toCount == 1 } }

    /// Columns `r_md,r_star,stable,loop_gain`, one row per fixed point (stable: 1 if g < 1, else 0).
    package var csv: CSVTable {
        var t = CSVTable(header: ["r_md", "r_star", "stable", "loop_gain"])
        for (md, fps) in zip(rMD, fixedPoints) {
            for fp in fps { t.append([.number(md), .number(fp.rate), .int(fp.isStable ? 1 : 0), .number(fp.loopGain)]) }
        }
        return t
    }
}

/// The two fixed points of `many` (three) that have no partner in `few` (one): all but the one nearest it.
private func mergingPair(_ many: [RateFixedPoint], _ few: [RateFixedPoint]) -> [RateFixedPoint] {
    guard let survivor = few.first, many.count == few.count + 2 else { return [] }
    let keep = many.indices.min { Swift.abs(many[$0].rate - survivor.rate) < Swift.abs(many[$1].rate - survivor.rate) }!
    return many.enumerated().filter { $0.offset != keep }.map(\.element)
}

/// Fixed points of the unit with w_PFC = `--w-pfc` and r_s = r_bias over r_MD in
/// [0, ``WorkingMemoryParameters/bifurcationMaxMD``] (``WorkingMemoryParameters/bifurcationPoints`` points),
/// each with its stability and loop gain, and every change in their number, located on the grid
/// and refined by bisection. For the defaults: 1 → 3 where the persistent state is born
/// (a saddle-node: the new pair has g = 1), 3 → 1 where the resting state dies.
package func bifurcation(_ params: WorkingMemoryParameters) throws -> BifurcationResult {
    try params.validate()
    let p = params
    let unit = WorkingMemoryUnit(tau: p.tau, wPFC: p.wPFC)
    let grid = linspace(0, p.bifurcationMaxMD, p.bifurcationPoints)
    let fps = grid.map { unit.fixedPoints(md: $0, sensory: p.rBias) }
    var changes: [FixedPointCountChange] = []
    for k in 1..<grid.count where fps[k].count != fps[k - 1].count {
        let before = fps[k - 1], after = fps[k]
        let more = after.count > before.count
        let pair = more ? mergingPair(after, before) : mergingPair(before, after)
        // Bisection on the count: lo keeps the old count, hi the new one.
        var lo = grid[k - 1], hi = grid[k]
        while true {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi || hi - lo < 1e-13 { break }
            if unit.fixedPoints(md: mid, sensory: p.rBias).count == before.count { lo = mid } else { hi = mid }
        }
        let inside = more ? hi : lo
        let manyAt = unit.fixedPoints(md: inside, sensory: p.rBias)
        let fewAt = unit.fixedPoints(md: more ? lo : hi, sensory: p.rBias)
        let refinedPair = mergingPair(manyAt, fewAt)
        let mean: ([RateFixedPoint], KeyPath<RateFixedPoint, Double>) -> Double = { fp, key in
            fp.isEmpty ? .nan : fp.map { $0[keyPath: key] }.reduce(0, +) / Double(fp.count)
        }
        changes.append(FixedPointCountChange(
            fromCount: before.count, toCount: after.count, gridMD: grid[k],
            pairLoopGains: pair.map(\.loopGain), pairRates: pair.map(\.rate),
            refinedMD: (lo + hi) / 2, refinedLoopGain: mean(refinedPair, \.loopGain),
            refinedRate: mean(refinedPair, \.rate)))
    }
    return BifurcationResult(parameters: p, rMD: grid, fixedPoints: fps, changes: changes,
                             predictedBistableRange: unit.bistableMDRange(sensory: p.rBias))
}

// MARK: - 3. Phase diagram of τ_eff / τ over (r_MD, w_PFC)

/// What the resting state does in one cell of the phase diagram.
package enum PhaseRegime: String, Sendable, CaseIterable {
    /// One fixed point, the resting state, with g < 1: Eq. (11) describes the memory.
    case linear
    /// Three fixed points: a persistent high state exists beside the resting one (flagged).
    case bistable
    /// One fixed point, the high state: the resting state has gone (flagged).
    case highOnly = "high_only"
}

/// One simulated cell of the phase diagram.
package struct PhaseCheck: Sendable, Equatable {
    /// The cell's r_MD.
    package var rMD: Double
    /// The cell's w_PFC.
    package var wPFC: Double
    /// The resting loop gain.
    package var loopGain: Double
    /// τ_eff / τ from Eq. (11).
    package var theory: Double
    /// τ_eff / τ from the simulated decay.
    package var simulated: Double
    /// |simulated − theory| / theory.
    package var relativeError: Double { Swift.abs(simulated - theory) / theory }
}

/// τ_eff / τ of the resting state over a grid of (r_MD, w_PFC), from Eq. (11), with the
/// nonlinear regimes flagged, the g = 1 boundaries, and a simulated check on a subset.
package struct PhaseDiagramResult: Sendable {
    /// The parameters used.
    package var parameters: WorkingMemoryParameters
    /// The r_MD axis (columns).
    package var rMD: [Double]
    /// The w_PFC axis (rows).
    package var wPFC: [Double]
    /// `tauRatio[j][i]`: τ_eff / τ from Eq. (11) at the resting state for w_PFC[j], r_MD[i];
    /// NaN where the resting state no longer exists (``PhaseRegime/highOnly``).
    package var tauRatio: [[Double]]
    /// `loopGain[j][i]`: g at the lowest fixed point (the resting state; the high state in
    /// ``PhaseRegime/highOnly`` cells).
    package var loopGain: [[Double]]
    /// `regime[j][i]`.
    package var regime: [[PhaseRegime]]
    /// `simulatedRatio[j][i]`: τ_eff / τ from simulation on the checked subset, NaN elsewhere.
    package var simulatedRatio: [[Double]]
    /// The simulated cells.
    package var checks: [PhaseCheck]
    /// For each w_PFC: the r_MD at which the persistent state appears (g = 1 at the new state;
    /// bistability begins). NaN if there is no bistability (r_bias ≥ −2). May lie off the axis.
    package var onsetMD: [Double]
    /// For each w_PFC: the r_MD at which the resting state's loop gain reaches 1 (τ_eff → ∞)
    /// and it disappears. NaN if there is no bistability. May lie off the axis.
    package var collapseMD: [Double]
    /// Wall-clock time of the whole computation (grid and simulated checks).
    package var wallTime: Duration
    /// Worker count used (1 when not parallel).
    package var workers: Int

    /// The wall time in seconds.
    package var wallSeconds: Double { seconds(wallTime) }

    /// The largest relative difference between simulated and Eq. (11) τ_eff over the checks.
    package var maxCheckError: Double { checks.map(\.relativeError).max() ?? .nan }

    /// Columns `r_md,w_pfc,regime,loop_gain,tau_ratio_theory,tau_ratio_sim`, one row per cell
    /// (w_PFC-major); the ratios are NaN where not computed.
    package var csv: CSVTable {
        var t = CSVTable(header: ["r_md", "w_pfc", "regime", "loop_gain", "tau_ratio_theory", "tau_ratio_sim"])
        for j in wPFC.indices {
            for i in rMD.indices {
                t.append([.number(rMD[i]), .number(wPFC[j]), .text(regime[j][i].rawValue), .number(loopGain[j][i]),
                          .number(tauRatio[j][i]), .number(simulatedRatio[j][i])])
            }
        }
        return t
    }

    /// Columns `w_pfc,r_md_onset,r_md_collapse`: the two g = 1 boundaries for every w_PFC.
    package var boundaryCSV: CSVTable {
        var t = CSVTable(header: ["w_pfc", "r_md_onset", "r_md_collapse"])
        for j in wPFC.indices { t.append([.number(wPFC[j]), .number(onsetMD[j]), .number(collapseMD[j])]) }
        return t
    }
}

/// τ_eff / τ from Eq. (11) at the resting (lowest) fixed point over the
/// ``WorkingMemoryParameters/phaseWPoints`` × ``WorkingMemoryParameters/phaseMDPoints`` grid of
/// (w_PFC, r_MD), r_s = r_bias. Cells with three fixed points (bistable) are flagged but keep the
/// resting state's ratio: Eq. (11) still describes small deviations from it, while a large input
/// can switch the unit to the persistent state. Cells with only the high state have ratio NaN
/// (the resting state's g reaches 1 on the collapse boundary). Every
/// ``WorkingMemoryParameters/phaseCheckStride``-th cell with a resting state is also simulated. Rows (one w_PFC each) run in parallel across cores; the
/// result records the wall time.
package func phaseDiagram(_ params: WorkingMemoryParameters, parallel: Bool = true) throws -> PhaseDiagramResult {
    try params.validate()
    let p = params
    let clock = ContinuousClock()
    let start = clock.now
    let mds = linspace(p.phaseMDRange.lowerBound, p.phaseMDRange.upperBound, p.phaseMDPoints)
    let ws = linspace(p.phaseWRange.lowerBound, p.phaseWRange.upperBound, p.phaseWPoints)
    let window = WorkingMemoryUnit.bistabilityWindow(sensory: p.rBias)
    let offset = p.phaseCheckStride / 2
    struct Row: Sendable {
        var ratio: [Double], gain: [Double], regime: [PhaseRegime], simulated: [Double], checks: [PhaseCheck]
    }
    let rows = try MultiSeedRunner.map(count: ws.count, parallel: parallel) { j in
        let w = ws[j]
        let unit = WorkingMemoryUnit(tau: p.tau, wPFC: w)
        var row = Row(ratio: [], gain: [], regime: [], simulated: [], checks: [])
        for (i, md) in mds.enumerated() {
            let fps = unit.fixedPoints(md: md, sensory: p.rBias)
            let regime: PhaseRegime
            if fps.count > 1 {
                regime = .bistable
            } else if let window, unit.effectiveWeight(md: md) > window.onsetWeight {
                regime = .highOnly
            } else {
                regime = .linear
            }
            let rest = fps[0]
            // Eq. (11) describes small deviations from the resting state wherever that state exists,
            // beside a persistent state (bistable) or alone (linear).
            let restExists = regime != .highOnly
            let ratio = restExists ? rest.effectiveTimeConstant / p.tau : .nan  // Eq. (11)
            var sim = Double.nan
            if restExists && i % p.phaseCheckStride == offset && j % p.phaseCheckStride == offset {
                let m = try unit.measureEffectiveTimeConstant(
                    md: md, sensory: p.rBias, fixedPoint: rest.rate, perturbation: p.perturbation, dt: p.dt,
                    eFolds: p.fitEFolds, run: "phase diagram (w_pfc \(CSVTable.format(w)), r_md \(CSVTable.format(md)))")
                sim = m.effectiveTimeConstant / p.tau
                row.checks.append(PhaseCheck(rMD: md, wPFC: w, loopGain: rest.loopGain, theory: ratio, simulated: sim))
            }
            row.ratio.append(ratio)
            row.gain.append(rest.loopGain)
            row.regime.append(regime)
            row.simulated.append(sim)
        }
        return row
    }
    let elapsed = clock.now - start
    return PhaseDiagramResult(
        parameters: p, rMD: mds, wPFC: ws, tauRatio: rows.map(\.ratio), loopGain: rows.map(\.gain),
        regime: rows.map(\.regime), simulatedRatio: rows.map(\.simulated), checks: rows.flatMap(\.checks),
        onsetMD: ws.map { w in window.map { $0.onsetWeight / w - 1 } ?? .nan },
        collapseMD: ws.map { w in window.map { $0.collapseWeight / w - 1 } ?? .nan },
        wallTime: elapsed,
        workers: parallel ? Swift.min(ws.count, MultiSeedRunner.activeProcessorCount()) : 1)
}

// MARK: - 4. Traces: a delayed task with distractors

/// How MD drives the PFC memory units during a trial.
package enum GatingCondition: String, Sendable, CaseIterable {
    /// r_MD = 0 throughout: every item fades with τ_eff ≈ τ.
    case off
    /// r_MD = `--r-md` for every unit for the whole trial: every item, distractors included, persists.
    case on
    /// The gate admits the cue only: r_MD = `--r-md` for the cue's unit from the cue's onset
    /// to the end of the trial, 0 for every other unit at all times.
    case gated

    /// A readable name for legends.
    package var title: String {
        switch self {
        case .off: return "MD off"
        case .on: return "MD always on"
        case .gated: return "MD gated to the cue"
        }
    }
}

/// One input event of the trial.
package struct GatingTrialEvent: Sendable, Equatable {
    /// "cue", "distractor" or "probe".
    package var kind: String
    /// The item it drives (nil for the probe).
    package var item: Int?
    /// Onset (ms).
    package var start: Double
    /// Offset (ms); equal to `start` for the probe.
    package var end: Double
    /// The pulse height added to r_bias (0 for the probe).
    package var amplitude: Double
}

/// What the memory holds at the probe.
package struct ProbeReadout: Sendable, Equatable {
    /// Every item's rate at the probe (item 0 is the cue).
    package var rates: [Double]
    /// Every unit's resting rate (lowest fixed point) at the r_MD it receives at the probe.
    package var restRates: [Double]
    /// The margin a recall needs (``WorkingMemoryParameters/readoutMargin``).
    package var margin: Double
    /// The rate above which an item counts as held.
    package var heldThreshold: Double

    /// The cue's rate.
    package var cueRate: Double { rates[0] }
    /// The largest distractor rate.
    package var maxDistractorRate: Double { rates.dropFirst().max() ?? .nan }
    /// Cue rate minus the largest distractor rate.
    package var cueAdvantage: Double { cueRate - maxDistractorRate }
    /// The cue is the most active item by more than `margin`: a readout can name it.
    package var cueIsMostActive: Bool { cueAdvantage > margin }
    /// Which items are held (rate above `heldThreshold`).
    package var held: [Bool] { rates.map { $0 > heldThreshold } }
    /// (rate − rest) / rest for every item: how far above its resting state it is.
    package var elevation: [Double] { zip(rates, restRates).map { ($0 - $1) / $1 } }
}

/// One condition of the example trial.
package struct GatingConditionTrace: Sendable, Equatable {
    /// The condition.
    package var condition: GatingCondition
    /// `rates[item][k]` at ``GatingTracesResult/time``[k].
    package var rates: [[Double]]
    /// The readout at the probe.
    package var readout: ProbeReadout
}

/// The delayed task under the three MD conditions: example traces and probe readouts.
package struct GatingTracesResult: Sendable {
    /// The parameters used.
    package var parameters: WorkingMemoryParameters
    /// Item names (A = cue, then distractors).
    package var items: [String]
    /// The time axis of the traces (ms).
    package var time: [Double]
    /// The example trial's events (cue, distractors, probe).
    package var events: [GatingTrialEvent]
    /// One trace per condition, in ``GatingCondition`` order.
    package var conditions: [GatingConditionTrace]
    /// The seeds of the jittered trials.
    package var seedValues: [UInt64]
    /// `seedReadouts[s][c]`: the readout of jittered trial s under condition c.
    package var seedReadouts: [[ProbeReadout]]
    /// Eq. (11) τ_eff at rest without MD (ms), the time constant the cue fades with when MD is off.
    package var restingTauOff: Double
    /// Eq. (11) τ_eff at rest with r_MD = `--r-md` (ms).
    package var restingTauOn: Double

    /// The example trace of `condition`.
    package func trace(_ condition: GatingCondition) -> GatingConditionTrace {
        conditions.first { $0.condition == condition }!
    }

    /// The fraction of jittered trials in which the cue is the most active item under `condition`.
    package func recallFraction(_ condition: GatingCondition) -> Double {
        let c = GatingCondition.allCases.firstIndex(of: condition)!
        return Double(seedReadouts.filter { $0[c].cueIsMostActive }.count) / Double(seedReadouts.count)
    }

    /// Columns `condition,item,time_ms,rate`, one row per sample of the example trial.
    package var csv: CSVTable {
        var t = CSVTable(header: ["condition", "item", "time_ms", "rate"])
        for c in conditions {
            for (i, series) in c.rates.enumerated() {
                for (k, r) in series.enumerated() { t.append([.text(c.condition.rawValue), .text(items[i]), .number(time[k]), .number(r)]) }
            }
        }
        return t
    }

    /// Columns `trial,condition,item,rate_at_probe,rest_rate,held`: the example trial (`example`)
    /// and every jittered trial (its seed).
    package var readoutCSV: CSVTable {
        var t = CSVTable(header: ["trial", "condition", "item", "rate_at_probe", "rest_rate", "held"])
        func add(_ trial: String, _ c: GatingCondition, _ r: ProbeReadout) {
            for i in r.rates.indices {
                t.append([.text(trial), .text(c.rawValue), .text(items[i]), .number(r.rates[i]), .number(r.restRates[i]), .int(r.held[i] ? 1 : 0)])
            }
        }
        for c in conditions { add("example", c.condition, c.readout) }
        for (s, rs) in zip(seedValues, seedReadouts) {
            for (c, r) in zip(GatingCondition.allCases, rs) { add(String(s), c, r) }
        }
        return t
    }
}

/// The events of one trial: the cue (item 0) and one distractor per onset, then the probe.
func workingMemoryTrialEvents(_ p: WorkingMemoryParameters, distractorOnsets: [Double], amplitudes: [Double]) -> [GatingTrialEvent] {
    var e = [GatingTrialEvent(kind: "cue", item: 0, start: p.cueOnset, end: p.cueOnset + p.pulseDuration, amplitude: amplitudes[0])]
    for (k, t) in distractorOnsets.enumerated() {
        e.append(GatingTrialEvent(kind: "distractor", item: k + 1, start: t, end: t + p.pulseDuration, amplitude: amplitudes[k + 1]))
    }
    e.append(GatingTrialEvent(kind: "probe", item: nil, start: p.probeTime, end: p.probeTime, amplitude: 0))
    return e
}

/// r_MD,i(t) and r_s,i(t) of every unit under `condition`: r_s = r_bias plus the item's pulses;
/// r_MD per the condition (the gate admits only the cue's unit, from the cue's onset).
private func trialDrive(_ p: WorkingMemoryParameters, _ events: [GatingTrialEvent], items: Int,
                        condition: GatingCondition) -> ScheduledDrive {
    let sensory = (0..<items).map { i in
        RateSchedule(baseline: p.rBias, pulses: events.filter { $0.item == i }.map {
            RatePulse(start: $0.start, end: $0.end, amplitude: $0.amplitude)
        })
    }
    let md = (0..<items).map { i -> RateSchedule in
        switch condition {
        case .off: return RateSchedule(baseline: 0)
        case .on: return RateSchedule(baseline: p.rMD)
        case .gated:
            // The gate: per-item MD gain, applied only to the item the gate admitted (the cue).
            return i == 0 ? RateSchedule(baseline: 0, pulses: [RatePulse(start: p.cueOnset, end: .infinity, amplitude: p.rMD)])
                          : RateSchedule(baseline: 0)
        }
    }
    return ScheduledDrive(md: md, sensory: sensory)
}

/// Simulates one trial under `condition`, every unit starting at its resting state; returns the
/// trajectory (recorded every `recordEvery` steps) and the readout at the probe.
func workingMemoryTrial(_ p: WorkingMemoryParameters, events: [GatingTrialEvent], condition: GatingCondition,
                      recordEvery: Int, run: String) throws -> (RateTrajectory, ProbeReadout) {
    let items = events.count - 1
    let drive = trialDrive(p, events, items: items, condition: condition)
    let unit = WorkingMemoryUnit(tau: p.tau, wPFC: p.wPFC)
    let start = (0..<items).map { unit.lowestFixedPoint(md: drive.md[$0].value(at: 0), sensory: p.rBias).rate }
    var pop = WorkingMemoryPopulation(unit: unit, rates: start)
    let parameters = p.runParameters + [RunParameter("r_md", p.rMD)]
    let first = try pop.simulate(duration: p.probeTime, dt: p.dt, drive: drive, recordEvery: recordEvery, run: run, parameters: parameters)
    let atProbe = pop.rates
    let rest = (0..<items).map { unit.lowestFixedPoint(md: drive.md[$0].value(at: p.probeTime), sensory: p.rBias).rate }
    let second = try pop.simulate(duration: p.trialDuration - p.probeTime, dt: p.dt, drive: drive, recordEvery: recordEvery,
                                  run: run, parameters: parameters)
    return (first.appending(second),
            ProbeReadout(rates: atProbe, restRates: rest, margin: p.readoutMargin, heldThreshold: p.heldThreshold))
}

/// The delayed task: a cue (item A) pulse at ``WorkingMemoryParameters/cueOnset``, distractor
/// pulses (B, C, …) during the delay, the probe at ``WorkingMemoryParameters/probeTime``; one PFC
/// unit (w_PFC = `--w-pfc`) per item, r_s = r_bias + the item's pulses. Three conditions (see
/// ``GatingCondition``): MD off, MD always on (r_MD = `--r-md` for all), MD gated (r_MD = `--r-md`
/// for the cue's unit from its onset). Returns the example trial's traces and, for each of
/// `--seeds` jittered trials (distractor onsets uniform over the delay, amplitudes × U(1 ± jitter)),
/// the probe readout under each condition. Trials run in parallel; results are in seed order.
package func traces(_ params: WorkingMemoryParameters, parallel: Bool = true) throws -> GatingTracesResult {
    try params.validate()
    let p = params
    let items = p.distractorOnsets.count + 1
    let recordEvery = Swift.max(1, Int((p.traceSampleInterval / p.dt).rounded()))
    let example = workingMemoryTrialEvents(p, distractorOnsets: p.distractorOnsets, amplitudes: [Double](repeating: p.stimulus, count: items))
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let conditions = GatingCondition.allCases
    // Jobs: the example trial's conditions, then every seed's conditions.
    let jobs = conditions.count * (1 + seedValues.count)
    let earliest = p.cueOnset + p.pulseDuration + 50, latest = p.probeTime - p.pulseDuration - 50
    let outcomes = try MultiSeedRunner.map(count: jobs, parallel: parallel) { k -> (RateTrajectory?, ProbeReadout) in
        let c = conditions[k % conditions.count]
        let trial = k / conditions.count
        if trial == 0 {
            let (traj, readout) = try workingMemoryTrial(p, events: example, condition: c, recordEvery: recordEvery,
                                               run: "traces, example trial, MD \(c.rawValue)")
            return (traj, readout)
        }
        let seed = seedValues[trial - 1]
        var rng = SeededGenerator(seed: seed)
        let onsets = (1..<items).map { _ in latest > earliest ? rng.uniform(in: earliest...latest) : earliest }
        let amplitudes = (0..<items).map { _ in p.stimulus * rng.uniform(in: (1 - p.amplitudeJitter)...(1 + p.amplitudeJitter)) }
        let events = workingMemoryTrialEvents(p, distractorOnsets: onsets, amplitudes: amplitudes)
        let (_, readout) = try workingMemoryTrial(p, events: events, condition: c, recordEvery: Int.max,
                                        run: "traces, seed \(seed), MD \(c.rawValue)")
        return (nil, readout)
    }
    let exampleOutcomes = outcomes.prefix(conditions.count)
    let time = exampleOutcomes.first!.0!.times
    let traces = zip(conditions, exampleOutcomes).map { c, o in
        GatingConditionTrace(condition: c, rates: o.0!.rates, readout: o.1)
    }
    let seedReadouts = (0..<seedValues.count).map { s in
        (0..<conditions.count).map { outcomes[(s + 1) * conditions.count + $0].1 }
    }
    let unit = WorkingMemoryUnit(tau: p.tau, wPFC: p.wPFC)
    return GatingTracesResult(
        parameters: p, items: p.itemNames, time: time, events: example, conditions: traces,
        seedValues: seedValues, seedReadouts: seedReadouts,
        restingTauOff: unit.lowestFixedPoint(md: 0, sensory: p.rBias).effectiveTimeConstant,
        restingTauOn: unit.lowestFixedPoint(md: p.rMD, sensory: p.rBias).effectiveTimeConstant)
}
