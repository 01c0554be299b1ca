// Chapter 5: fixed points of Eq. (10) against r_MD.
import CreditCore
import Foundation

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
func mergingPair(_ many: [RateFixedPoint], _ few: [RateFixedPoint]) -> [RateFixedPoint] {
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
    let grid = evenlySpaced(0...p.bifurcationMaxMD, count: p.bifurcationPoints)
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
        changes.append(
            FixedPointCountChange(
                fromCount: before.count, toCount: after.count, gridMD: grid[k],
                pairLoopGains: pair.map(\.loopGain), pairRates: pair.map(\.rate),
                refinedMD: (lo + hi) / 2, refinedLoopGain: mean(refinedPair, \.loopGain),
                refinedRate: mean(refinedPair, \.rate)))
    }
    return BifurcationResult(
        parameters: p, rMD: grid, fixedPoints: fps, changes: changes,
        predictedBistableRange: unit.bistableMDRange(sensory: p.rBias))
}
