// Chapter 5: τ_eff measured from the decay of Eq. (10) against Eq. (11), over r_MD.
import CreditCore
import Foundation

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
    /// Whether a persistent state exists beside the resting one at this r_MD (the bistable
    /// window); otherwise the resting state is the only fixed point (the graded regime).
    package var bistable: Bool

    /// `graded` (one fixed point) or `bistable` (a persistent state exists beside the rest).
    package var regime: String { bistable ? "bistable" : "graded" }

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
    /// The largest τ_eff (ms) the resting state reaches in the graded regime at this r_bias, for
    /// any w_PFC: Eq. (11) at the onset of bistability, where only (1 + r_MD) w_PFC matters.
    /// Every longer τ_eff in the sweep lies inside a bistable window. Nil without bistability.
    package var gradedCeiling: Double?
    /// For each w_PFC, Eq. (11) on a fine r_MD grid from 0 to ``maxMD`` (for drawing the formula
    /// as a smooth curve; the simulations are only at the sweep's points).
    package var theoryCurves: [(rMD: [Double], tau: [Double])] = []

    /// The points for `wPFC`.
    package func points(wPFC: Double) -> [TauEffectivePoint] { points.filter { $0.wPFC == wPFC } }

    /// The largest relative error of Eq. (11) against simulation over points with g ≤ `maxLoopGain`.
    package func maxRelativeError(upToLoopGain maxLoopGain: Double = 0.9) -> Double {
        points.filter { $0.loopGain <= maxLoopGain }.map(\.relativeError).largest
    }

    /// Columns `r_md,w_pfc,tau_eff_sim,tau_eff_theory,loop_gain,regime` (ms), one row per point;
    /// `regime` is `graded` or `bistable`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["r_md", "w_pfc", "tau_eff_sim", "tau_eff_theory", "loop_gain", "regime"])
        for p in points {
            t.append([.number(p.rMD), .number(p.wPFC), .number(p.simulated), .number(p.theory), .number(p.loopGain), .text(p.regime)])
        }
        return t
    }
}

/// The r_MD in [0, cap] at which the resting state's loop gain reaches `target`, or the
/// largest r_MD at which the resting state still exists (below the cap) if it never does.
func mdReachingLoopGain(_ unit: WorkingMemoryUnit, target: Double, sensory: Double, cap: Double) -> Double {
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
        for md in evenlySpaced(0...top, count: p.tauSweepPoints) { jobs.append((w, md)) }
    }
    let sweep = jobs
    let points = try MultiSeedRunner.map(count: jobs.count, parallel: parallel) { k in
        let (w, md) = sweep[k]
        let unit = WorkingMemoryUnit(tau: p.tau, wPFC: w)
        let rest = unit.lowestFixedPoint(md: md, sensory: p.rBias)
        let m = try unit.measureEffectiveTimeConstant(
            md: md, sensory: p.rBias, fixedPoint: rest.rate, perturbation: p.perturbation, dt: p.dt,
            eFolds: p.fitEFolds, run: "tau-eff (w_pfc \(CSVTable.format(w)), r_md \(CSVTable.format(md)))")
        return TauEffectivePoint(
            rMD: md, wPFC: w, restRate: rest.rate, loopGain: rest.loopGain,
            simulated: m.effectiveTimeConstant, oneOverETime: m.oneOverETime,
            theory: rest.effectiveTimeConstant,  // Eq. (11)
            bistable: unit.fixedPoints(md: md, sensory: p.rBias).count > 1)
    }
    // At the onset weight W = (1 + r_MD) w_PFC the resting state is the lowest of two fixed points.
    let ceiling = WorkingMemoryUnit.bistabilityWindow(sensory: p.rBias).map { window in
        WorkingMemoryUnit(tau: p.tau, wPFC: window.onsetWeight).lowestFixedPoint(md: 0, sensory: p.rBias).effectiveTimeConstant
    }
    let curves = zip(p.wPFCValues, maxMD).map { w, top -> (rMD: [Double], tau: [Double]) in
        let unit = WorkingMemoryUnit(tau: p.tau, wPFC: w)
        let x = evenlySpaced(0...top, count: 400)
        return (x, x.map { unit.lowestFixedPoint(md: $0, sensory: p.rBias).effectiveTimeConstant })
    }
    return TauEffectiveResult(
        parameters: p, points: points, maxMD: maxMD, bistableRanges: ranges, gradedCeiling: ceiling, theoryCurves: curves)
}
