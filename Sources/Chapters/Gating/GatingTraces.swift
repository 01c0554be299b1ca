// Chapter 5: PFC traces through a delayed task with distractors, with MD off, always on,
// and gated to the cue.
import CreditCore
import Foundation

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
    package var maxDistractorRate: Double { Array(rates.dropFirst()).largest }
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
                for (k, r) in series.enumerated() {
                    t.append([.text(c.condition.rawValue), .text(items[i]), .number(time[k]), .number(r)])
                }
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
                t.append([
                    .text(trial), .text(c.rawValue), .text(items[i]), .number(r.rates[i]), .number(r.restRates[i]), .int(r.held[i] ? 1 : 0),
                ])
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
func trialDrive(
    _ p: WorkingMemoryParameters, _ events: [GatingTrialEvent], items: Int,
    condition: GatingCondition
) -> ScheduledDrive {
    let sensory = (0..<items).map { i in
        RateSchedule(
            baseline: p.rBias,
            pulses: events.filter { $0.item == i }.map {
                RatePulse(start: $0.start, end: $0.end, amplitude: $0.amplitude)
            })
    }
    let md = (0..<items).map { i -> RateSchedule in
        switch condition {
        case .off: return RateSchedule(baseline: 0)
        case .on: return RateSchedule(baseline: p.rMD)
        case .gated:
            // The gate: per-item MD gain, applied only to the item the gate admitted (the cue).
            return i == 0
                ? RateSchedule(baseline: 0, pulses: [RatePulse(start: p.cueOnset, end: .infinity, amplitude: p.rMD)])
                : RateSchedule(baseline: 0)
        }
    }
    return ScheduledDrive(md: md, sensory: sensory)
}

/// Simulates one trial under `condition`, every unit starting at its resting state; returns the
/// trajectory (recorded every `recordEvery` steps) and the readout at the probe.
func workingMemoryTrial(
    _ p: WorkingMemoryParameters, events: [GatingTrialEvent], condition: GatingCondition,
    recordEvery: Int, run: String
) throws -> (RateTrajectory, ProbeReadout) {
    let items = events.count - 1
    let drive = trialDrive(p, events, items: items, condition: condition)
    let unit = WorkingMemoryUnit(tau: p.tau, wPFC: p.wPFC)
    let start = (0..<items).map { unit.lowestFixedPoint(md: drive.md[$0].value(at: 0), sensory: p.rBias).rate }
    var pop = WorkingMemoryPopulation(unit: unit, rates: start)
    let parameters = p.runParameters + [RunParameter("r_md", p.rMD)]
    let first = try pop.simulate(duration: p.probeTime, dt: p.dt, drive: drive, recordEvery: recordEvery, run: run, parameters: parameters)
    let atProbe = pop.rates
    let rest = (0..<items).map { unit.lowestFixedPoint(md: drive.md[$0].value(at: p.probeTime), sensory: p.rBias).rate }
    let second = try pop.simulate(
        duration: p.trialDuration - p.probeTime, dt: p.dt, drive: drive, recordEvery: recordEvery,
        run: run, parameters: parameters)
    return (
        first.appending(second),
        ProbeReadout(rates: atProbe, restRates: rest, margin: p.readoutMargin, heldThreshold: p.heldThreshold)
    )
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
    let example = workingMemoryTrialEvents(
        p, distractorOnsets: p.distractorOnsets, amplitudes: [Double](repeating: p.stimulus, count: items))
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let conditions = GatingCondition.allCases
    // Jobs: the example trial's conditions, then every seed's conditions.
    let jobs = conditions.count * (1 + seedValues.count)
    let earliest = p.cueOnset + p.pulseDuration + 50, latest = p.probeTime - p.pulseDuration - 50
    let outcomes = try MultiSeedRunner.map(count: jobs, parallel: parallel) { k -> (RateTrajectory?, ProbeReadout) in
        let c = conditions[k % conditions.count]
        let trial = k / conditions.count
        if trial == 0 {
            let (traj, readout) = try workingMemoryTrial(
                p, events: example, condition: c, recordEvery: recordEvery,
                run: "traces, example trial, MD \(c.rawValue)")
            return (traj, readout)
        }
        let seed = seedValues[trial - 1]
        var rng = SeededGenerator(seed: seed)
        let onsets = (1..<items).map { _ in latest > earliest ? rng.uniform(in: earliest...latest) : earliest }
        let amplitudes = (0..<items).map { _ in p.stimulus * rng.uniform(in: (1 - p.amplitudeJitter)...(1 + p.amplitudeJitter)) }
        let events = workingMemoryTrialEvents(p, distractorOnsets: onsets, amplitudes: amplitudes)
        let (_, readout) = try workingMemoryTrial(
            p, events: events, condition: c, recordEvery: Int.max,
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
