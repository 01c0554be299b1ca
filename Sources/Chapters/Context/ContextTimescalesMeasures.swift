// Chapter 4, part 3: what the two-timescales experiment measures. Per-seed measures of one
// model's test switches (recovery, interference, separation by the fast variable, training
// curve) and the result struct with its CSV tables. The experiment itself is in
// ContextTimescales.swift. Pure data, no drawing.
import CreditCore

// MARK: - Per-seed measures

/// Training blocks per point of the training curve.
let trainingBin = 10

/// What one model did on one seed's test switches.
package struct TimescaleSeedResult: Sendable {
    /// The test switches.
    var switches: [SwitchRecord]
    /// Mean P(error) at each trial after a switch (over the switches that reach that trial).
    package var meanCurve: [Double]
    /// Trials after a switch until the mean P(error) first falls below the criterion (the
    /// window if it never does).
    package var recoveryTrials: Int
    /// Σ of the mean P(error) over the first 10 trials after a switch (expected errors).
    package var errorsAfterSwitch: Double
    /// Mean P(error) on the other context at a block's end, MD where z points.
    package var otherContextOwnMD: Double
    /// The same with the best MD unit for the other context (what the weights retain).
    package var otherContextBestMD: Double
    /// Fraction of settled trials (≥ settle trials after a switch) on which the selected MD unit
    /// is the one most often selected in that context: how well the fast variable decodes the context.
    package var mdDecoding: Double
    /// |P(MD unit 1 | context 1) − P(MD unit 1 | context 2)| on settled trials (0: no separation, 1: full).
    package var mdSeparation: Double
    /// Whether the two contexts settled on different MD units.
    package var oneToOne: Bool
    /// P(the new context's MD unit is selected) at each trial after a switch.
    package var newUnitCurve: [Double]
    /// The MD unit of each context: the one most often selected there on settled trials.
    package var contextUnits: [Int]

    /// Mean P(error) in the first 10 trials of a block, averaged over bins of
    /// ``trainingBin`` training blocks (x: the block count at each bin's end).
    package var trainingCurve: Curve

    init(_ switches: [SwitchRecord], training: [Double], _ p: TwoTimescaleParameters) {
        self.switches = switches
        var tx: [Double] = [], ty: [Double] = []
        for start in stride(from: 0, to: training.count, by: trainingBin) {
            let bin = training[start..<min(training.count, start + trainingBin)]
            tx.append(Double(start + bin.count))
            ty.append(bin.reduce(0, +) / Double(bin.count))
        }
        trainingCurve = Curve(name: "training", x: tx, y: ty)
        var sums = [Double](repeating: 0, count: p.window), counts = [Double](repeating: 0, count: p.window)
        for r in switches {
            for (t, e) in r.errors.enumerated() {
                sums[t] += e
                counts[t] += 1
            }
        }
        meanCurve = zip(sums, counts).map { $1 > 0 ? $0 / $1 : .nan }
        recoveryTrials = meanCurve.firstIndex { $0 < p.criterion } ?? p.window
        errorsAfterSwitch = meanCurve.prefix(10).filter { !$0.isNaN }.reduce(0, +)
        otherContextOwnMD = switches.map(\.otherOwnMD).reduce(0, +) / Double(max(1, switches.count))
        otherContextBestMD = switches.map(\.otherBestMD).reduce(0, +) / Double(max(1, switches.count))
        // The MD unit of each context: the most frequent one on settled trials.
        var counts2 = [[Int]](repeating: [Int](repeating: 0, count: p.mdUnits), count: SwitchingTask.contexts)
        for r in switches {
            for k in r.blockMD.dropFirst(p.settleTrials) { counts2[r.context][k] += 1 }
        }
        let unitOf = counts2.map { c in c.indices.max { c[$0] < c[$1] } ?? 0 }
        contextUnits = unitOf
        let settled = counts2.map { $0.reduce(0, +) }
        // Decoding: the best one-to-one assignment of contexts to MD units (u₁ ≠ u₂), so a
        // fast variable that never moves decodes only the context it sits on (≈ 0.5).
        var hits = 0
        for u0 in 0..<p.mdUnits {
            for u1 in 0..<p.mdUnits where u1 != u0 { hits = max(hits, counts2[0][u0] + counts2[1][u1]) }
        }
        mdDecoding = Double(hits) / Double(max(1, settled.reduce(0, +)))
        let p1 = (0..<SwitchingTask.contexts).map { Double(counts2[$0][0]) / Double(max(1, settled[$0])) }
        mdSeparation = abs(p1[0] - p1[1])
        oneToOne = unitOf[0] != unitOf[1]
        var hitSums = [Double](repeating: 0, count: p.window)
        for r in switches {
            for (t, k) in r.mdUnits.enumerated() where k == unitOf[r.context] { hitSums[t] += 1 }
        }
        newUnitCurve = zip(hitSums, counts).map { $1 > 0 ? $0 / $1 : .nan }
    }
}

// MARK: - Result

/// One point of the single-timescale tuning sweep.
package struct RateSweepPoint: Sendable {
    /// η_slow.
    package var eta: Double
    /// Expected errors in the first 10 trials after a switch, per tuning seed.
    package var errorsPerSeed: [Double]
    /// Mean ± SEM across tuning seeds.
    package var errors: MeanSEM { MeanSEM(errorsPerSeed) }
}

/// Everything the two-timescales figure needs.
package struct TwoTimescaleResult: Sendable {
    /// The parameters used.
    package var parameters: TwoTimescaleParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// The single-timescale sweep on the tuning seeds.
    package var sweep: [RateSweepPoint]
    /// The η_slow the sweep chose for the single-timescale network.
    package var tunedRate: Double
    /// Per model, per seed (in seed order).
    package var runs: [TimescaleModel: [TimescaleSeedResult]]
    /// Wall-clock seconds of the experiment (not written to any file).
    package var wallSeconds: Double

    /// The per-seed results of `model`.
    package func seeds(_ model: TimescaleModel) -> [TimescaleSeedResult] { runs[model] ?? [] }

    /// Mean ± SEM across seeds of a per-seed number.
    package func summary(_ model: TimescaleModel, _ value: (TimescaleSeedResult) -> Double) -> MeanSEM {
        MeanSEM(seeds(model).map(value))
    }

    /// Mean ± SEM across seeds of the P(error) curve after a switch.
    package func errorCurve(_ model: TimescaleModel) -> SeedStatistics {
        SeedStatistics(
            seeds(model).map { Curve(name: model.rawValue, x: $0.meanCurve.indices.map(Double.init), y: $0.meanCurve) })
    }

    /// Mean ± SEM across seeds of the training curve.
    package func trainingCurve(_ model: TimescaleModel) -> SeedStatistics {
        SeedStatistics(seeds(model).map(\.trainingCurve))
    }

    /// Columns `model,seed,training_blocks,error_first10`: the training curves (binned).
    package var trainingCSV: CSVTable {
        var t = CSVTable(header: ["model", "seed", "training_blocks", "error_first10"])
        for model in TimescaleModel.allCases where model != .twoTimescaleFrozen {
            for (k, r) in seeds(model).enumerated() {
                for (x, y) in zip(r.trainingCurve.x, r.trainingCurve.y) {
                    t.append([.text(model.rawValue), .text(String(seedValues[k])), .int(Int(x)), .number(y)])
                }
            }
        }
        return t
    }

    /// Mean ± SEM across seeds of P(the new context's MD unit is selected) after a switch.
    package func newUnitCurve(_ model: TimescaleModel) -> SeedStatistics {
        SeedStatistics(
            seeds(model).map { Curve(name: model.rawValue, x: $0.newUnitCurve.indices.map(Double.init), y: $0.newUnitCurve) })
    }

    /// Columns `model,seed,switch,trial_after_switch,error`: every recorded trial.
    package var csv: CSVTable {
        var t = CSVTable(header: ["model", "seed", "switch", "trial_after_switch", "error"])
        for model in TimescaleModel.allCases {
            for (k, r) in seeds(model).enumerated() {
                for (s, sw) in r.switches.enumerated() {
                    for (i, e) in sw.errors.enumerated() {
                        t.append([.text(model.rawValue), .text(String(seedValues[k])), .int(s + 1), .int(i), .number(e)])
                    }
                }
            }
        }
        return t
    }

    /// Columns `model,seed,recovery_trials,errors_first10,other_context_error_own_md,
    /// other_context_error_best_md,md_decoding,md_separation`.
    package var summaryCSV: CSVTable {
        var t = CSVTable(header: [
            "model", "seed", "recovery_trials", "errors_first10", "other_context_error_own_md",
            "other_context_error_best_md", "md_decoding", "md_separation",
        ])
        for model in TimescaleModel.allCases {
            for (k, r) in seeds(model).enumerated() {
                t.append([
                    .text(model.rawValue), .text(String(seedValues[k])), .int(r.recoveryTrials), .number(r.errorsAfterSwitch),
                    .number(r.otherContextOwnMD), .number(r.otherContextBestMD), .number(r.mdDecoding), .number(r.mdSeparation),
                ])
            }
        }
        return t
    }

    /// Columns `eta_slow,seed,errors_first10`: the single-timescale tuning sweep.
    package var sweepCSV: CSVTable {
        var t = CSVTable(header: ["eta_slow", "seed", "errors_first10"])
        let tuning = parameters.tuningSeedValues
        for point in sweep {
            for (k, e) in point.errorsPerSeed.enumerated() {
                t.append([.number(point.eta), .text(String(tuning[k])), .number(e)])
            }
        }
        return t
    }

    /// Columns `model,seed,switch,trial_in_block,context,md_unit,drive_difference`: the fast
    /// variable over every test trial.
    package var traceCSV: CSVTable {
        var t = CSVTable(header: ["model", "seed", "switch", "trial_in_block", "context", "md_unit", "drive_difference"])
        for model in [TimescaleModel.twoTimescale, .singleTuned] {
            for (k, r) in seeds(model).enumerated() {
                for (s, sw) in r.switches.enumerated() {
                    for (i, z) in sw.driveTrace.enumerated() {
                        t.append([
                            .text(model.rawValue), .text(String(seedValues[k])), .int(s + 1), .int(i), .int(sw.context + 1),
                            .int(sw.blockMD[i] + 1), .number(z),
                        ])
                    }
                }
            }
        }
        return t
    }
}
