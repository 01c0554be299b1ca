// Chapter 5: τ_eff / τ over the (r_MD, w_PFC) plane, with the edge of the linear regime.
import CreditCore
import Foundation

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
    package var wallSeconds: Double { wallTime.seconds }

    /// The largest τ_eff / τ over the cells with a single, resting fixed point (the graded regime).
    package var maxGradedRatio: Double {
        zip(tauRatio.joined(), regime.joined()).filter { $0.1 == .linear }.map(\.0).largest
    }

    /// The largest relative difference between simulated and Eq. (11) τ_eff over the checks.
    package var maxCheckError: Double { checks.map(\.relativeError).largest }

    /// Columns `r_md,w_pfc,regime,loop_gain,tau_ratio_theory,tau_ratio_sim`, one row per cell
    /// (w_PFC-major); the ratios are NaN where not computed.
    package var csv: CSVTable {
        var t = CSVTable(header: ["r_md", "w_pfc", "regime", "loop_gain", "tau_ratio_theory", "tau_ratio_sim"])
        for j in wPFC.indices {
            for i in rMD.indices {
                t.append([
                    .number(rMD[i]), .number(wPFC[j]), .text(regime[j][i].rawValue), .number(loopGain[j][i]),
                    .number(tauRatio[j][i]), .number(simulatedRatio[j][i]),
                ])
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
    let mds = evenlySpaced(p.phaseMDRange, count: p.phaseMDPoints)
    let ws = evenlySpaced(p.phaseWRange, count: p.phaseWPoints)
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
        workers: parallel ? Swift.min(ws.count, MultiSeedRunner.workerCount) : 1)
}
