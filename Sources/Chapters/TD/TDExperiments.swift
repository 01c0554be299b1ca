// Chapter: temporal credit assignment by TD learning (Eqs. 2–3 of the review).
//
// Pure data, no drawing: each experiment returns a result struct with the
// numbers a figure needs and a CSV table of them. The learning itself lives in
// CreditCore (LinearTDLearner.runTrial, TabularPrediction).
import CreditCore

// MARK: - Parameters

/// The TD chapter's parameters, named after the command-line flags.
package struct TDParameters: Sendable, Equatable {
    /// Learning rate α of the TD rule w ← w + α δ φ (`--alpha`).
    package var alpha: Double = 0.1
    /// Discount factor γ (`--gamma`); 1 reproduces Eqs. (2)–(3) as printed.
    package var gamma: Double = 1.0
    /// Number of time steps T in a trial (`--trial-length`).
    package var trialLength: Int = 25
    /// Step at which the cue appears (`--cue-time`).
    package var cueTime: Int = 5
    /// Step at which the reward (size 1) arrives (`--reward-time`).
    package var rewardTime: Int = 15
    /// Training trials (`--trials`).
    package var trials: Int = 300
    /// Omission trials after training (`--omission-trials`).
    package var omissionTrials: Int = 150
    /// Seeds for the state-representation experiment (`--seeds`).
    package var seeds: Int = 10
    /// First seed (`--seed`); seed k of a multi-seed run is `seed + k`.
    package var seed: UInt64 = 1
    /// Independent runs averaged in the random-walk comparison (`--runs`).
    package var randomWalkRuns: Int = 100
    /// Episodes per random-walk run (`--episodes`).
    package var randomWalkEpisodes: Int = 100
    /// Probability p that a training trial of `rpe-transfer` and `omission-extinction` is
    /// rewarded (`--reward-probability`); the others have no reward at all. 1 (the default) is
    /// the chapter's fully predictable task; below 1 the rewarded trials are drawn from stream 1
    /// of `--seed` (partial reinforcement, as in Fiorillo, Tobler & Schultz 2003).
    package var rewardProbability: Double = 1
    /// Strength λ of the cue memory in `state-representation` B (`--cue-memory`): j steps after
    /// the cue, λ^j of the cue's identity is left in the features (``CueAndTimeFeatures``).
    /// 1 (the default) never fades; 0 keeps the cue only at its own step, which after it is the
    /// time-only coding of panel A.
    package var cueMemory: Double = 1

    /// The default parameters, or the `--quick` ones (fewer seeds and random-walk runs;
    /// trial counts stay, since they are cheap and the science needs them).
    package init(quick: Bool = false) {
        if quick {
            seeds = 5
            randomWalkRuns = 20
        }
    }

    /// Steps between cue and reward, k = rewardTime − cueTime.
    package var cueRewardInterval: Int { rewardTime - cueTime }

    /// Number of post-cue steps the serial-compound features code.
    package var postCueSteps: Int { trialLength - cueTime }

    /// The cross-parameter checks (each value's own bounds are in ``declared``).
    package func checkConstraints() throws {
        try require(cueTime < rewardTime, "--cue-time", cueTime, "a step before the reward (--reward-time \(rewardTime))")
        try require(
            rewardTime < trialLength, "--reward-time", rewardTime,
            "a step inside the trial, below --trial-length \(trialLength)")
    }
}

extension TDParameters: ChapterParameters {
    package static let budgets: [ParameterBudget<TDParameters>] = [
        // δ and V are kept for every step of every trial.
        .init("trials × T", atMost: 1e7, blame: "--trials") { Double($0.trials) * Double($0.trialLength) },
        // Each of T steps updates T features, for every trial of every seed.
        .init("seeds × (trials + omission trials) × T²", atMost: 2e10, blame: "--trials") {
            Double($0.seeds) * Double($0.trials + $0.omissionTrials) * Double($0.trialLength * $0.trialLength)
        },
        .init("runs × episodes", atMost: 1e7, blame: "--episodes") { Double($0.randomWalkRuns) * Double($0.randomWalkEpisodes) },
    ]

    package static let declared: [ModelParameter<TDParameters>] = [
        .seed(\.seed),
        .seeds(\.seeds),
        .init(\.alpha, flag: "--alpha", symbol: "α", "learning rate of the TD update w ← w + α δ φ", .above(0, upTo: 1_000_000)),
        .init(\.gamma, flag: "--gamma", symbol: "γ", "discount factor of Eqs. 2–3 (1: the equations as printed)", .closed(0, 1)),
        .init(\.trialLength, flag: "--trial-length", symbol: "T", "time steps per trial", unit: "steps", .closed(2, 1000)),
        .init(\.cueTime, flag: "--cue-time", symbol: "t_cue", "step at which the cue appears", .closed(0, 998)),
        .init(\.rewardTime, flag: "--reward-time", symbol: "t_r", "step at which the reward r = 1 arrives", .closed(1, 999)),
        .init(\.trials, flag: "--trials", symbol: "N", "training trials", .closed(1, 100_000)),
        .init(\.omissionTrials, flag: "--omission-trials", symbol: "N_omit", "omission trials after training", .closed(1, 100_000)),
        .init(\.randomWalkRuns, flag: "--runs", symbol: "runs", "random-walk runs averaged per curve", .closed(1, 10_000)),
        .init(\.randomWalkEpisodes, flag: "--episodes", symbol: "episodes", "episodes per random-walk run", .closed(1, 10_000)),
        .init(
            \.rewardProbability, flag: "--reward-probability", symbol: "p",
            "probability that a training trial of rpe-transfer and omission-extinction is rewarded (1: every trial)",
            .closed(0, 1)),
        .init(
            \.cueMemory, flag: "--cue-memory", symbol: "λ",
            "strength of the cue memory in state-representation B: λ^j of the cue's identity is left j steps after it "
                + "(1: a perfect memory; 0: none after the cue's own step)", .closed(0, 1)),
    ]
}

/// Values beyond this magnitude count as divergence: every return in these
/// tasks lies in [0, 1], so |V| or |δ| of a million means the step size is unstable.
let tdDivergenceBound = 1e6

/// Trains a CSC learner on `trials` training trials, each rewarded with probability
/// `rewardProbability` (an unrewarded trial has no reward at all; the draws come from stream 1 of
/// `seed`, one per trial), recording δ and V on every trial and which trials were rewarded.
private func trainOnTrials(_ p: TDParameters, run: String)
    throws -> (learner: LinearTDLearner, delta: [[Double]], value: [[Double]], rewarded: [Bool])
{
    let features = TimeSinceCueFeatures(steps: p.postCueSteps)
    var learner = LinearTDLearner(featureCount: features.dimension, alpha: p.alpha, gamma: p.gamma)
    let rewardedTrial = ConditioningTrial(length: p.trialLength, cueTime: p.cueTime, rewardTime: p.rewardTime)
    let unrewardedTrial = ConditioningTrial(length: p.trialLength, cueTime: p.cueTime, rewardTime: nil)
    var rng = SeededGenerator(seed: p.seed, stream: 1)
    let guardrail = DivergenceGuard(run: run, parameters: p.runParameters, bound: tdDivergenceBound)
    var delta = [[Double]](), value = [[Double]](), rewarded = [Bool]()
    delta.reserveCapacity(p.trials)
    value.reserveCapacity(p.trials)
    for n in 1...p.trials {
        let isRewarded = rng.uniform(in: 0...1) < p.rewardProbability  // u in [0, 1): always when p = 1
        let record = learner.runTrial(isRewarded ? rewardedTrial : unrewardedTrial, features: features)  // Eq. (3) at every step
        try guardrail.check(record.delta, step: n)
        try guardrail.check(learner.weights, step: n)
        delta.append(record.delta)
        value.append(record.value)
        rewarded.append(isRewarded)
    }
    return (learner, delta, value, rewarded)
}

// MARK: - 1. The prediction error moves from the reward to the cue

/// δ and V on every training trial of a cue → reward task (complete serial compound features).
package struct RPETransferResult: Sendable {
    /// The parameters used.
    package var parameters: TDParameters
    /// δ[trial][time]: row n − 1 is trial n, column t is the δ signalled at step t.
    package var delta: [[Double]]
    /// V[trial][time], read after each trial.
    package var value: [[Double]]
    /// Whether each trial was rewarded (all of them when `--reward-probability` is 1).
    package var rewarded: [Bool]

    /// δ at the cue step on each trial (→ γ^k).
    package var cueDelta: [Double] { delta.map { $0[parameters.cueTime] } }
    /// δ at the reward step on each trial (1 on trial 1, → 0).
    package var rewardDelta: [Double] { delta.map { $0[parameters.rewardTime] } }

    /// Columns `trial,time,delta` (trials from 1, time steps from 0).
    package var csv: CSVTable { matrixTable(delta, column: "delta") }
    /// Columns `trial,time,value`.
    package var valueCSV: CSVTable { matrixTable(value, column: "value") }

    /// Columns `trial,half,rewarded,delta_cue,delta_reward`: one row per trial, `half` 1 or 2
    /// for the first or second half of training (the second is what "after learning" averages
    /// over), `rewarded` 1 or 0.
    package var trialsCSV: CSVTable {
        var t = CSVTable(header: ["trial", "half", "rewarded", "delta_cue", "delta_reward"])
        for n in 0..<delta.count {
            t.append([
                .int(n + 1), .int(n < delta.count / 2 ? 1 : 2), .int(rewarded[n] ? 1 : 0), .number(cueDelta[n]),
                .number(rewardDelta[n]),
            ])
        }
        return t
    }

    /// Mean δ at the reward over the second half of training, on rewarded (`true`) or
    /// unrewarded trials; nil if there was none.
    package func lateRewardDelta(rewarded wanted: Bool) -> Double? {
        let late = (delta.count / 2..<delta.count).filter { rewarded[$0] == wanted }.map { rewardDelta[$0] }
        return late.isEmpty ? nil : late.mean
    }

    /// Mean δ at the cue over the second half of training.
    package var lateCueDelta: Double { Array(cueDelta[(delta.count / 2)...]).mean }
}

/// Trains on `trials` trials and records δ for every trial and step. Deterministic when every
/// trial is rewarded (`--reward-probability 1`); otherwise the rewarded trials depend on `--seed`.
package func rpeTransfer(_ params: TDParameters) throws -> RPETransferResult {
    try params.validate()
    let run = try trainOnTrials(params, run: "rpe-transfer")
    return RPETransferResult(parameters: params, delta: run.delta, value: run.value, rewarded: run.rewarded)
}

// MARK: - 2. Omitting the expected reward

/// δ on omission trials that follow training.
package struct OmissionResult: Sendable {
    /// The parameters used.
    package var parameters: TDParameters
    /// δ on the last training trial.
    package var trainedDelta: [Double]
    /// Whether the last training trial was rewarded.
    package var lastTrainingTrialRewarded: Bool
    /// δ[omission trial][time]; row 0 is the first omission trial.
    package var delta: [[Double]]

    /// δ at the expected reward time on the first omission trial (≈ −1 when γ = 1).
    package var firstOmissionDip: Double { delta[0][parameters.rewardTime] }
    /// The cue response after training.
    package var trainedCueResponse: Double { trainedDelta[parameters.cueTime] }
    /// δ at the cue on each omission trial (decays: extinction).
    package var cueResponse: [Double] { delta.map { $0[parameters.cueTime] } }
    /// δ at the expected reward time on each omission trial.
    package var rewardTimeDelta: [Double] { delta.map { $0[parameters.rewardTime] } }

    /// Columns `phase,trial,time,delta`: phase `trained` (the last training
    /// trial, numbered `trials`) then `omission` (trials 1…n).
    package var csv: CSVTable {
        var t = CSVTable(header: ["phase", "trial", "time", "delta"])
        for (time, d) in trainedDelta.enumerated() {
            t.append(["trained", .int(parameters.trials), .int(time), .number(d)])
        }
        for (n, row) in delta.enumerated() {
            for (time, d) in row.enumerated() { t.append(["omission", .int(n + 1), .int(time), .number(d)]) }
        }
        return t
    }
}

/// Trains as in ``rpeTransfer(_:)``, then runs `omissionTrials` trials with the
/// cue but no reward, learning throughout.
package func omissionExtinction(_ params: TDParameters) throws -> OmissionResult {
    try params.validate()
    var (learner, trained, _, rewarded) = try trainOnTrials(params, run: "omission")
    let features = TimeSinceCueFeatures(steps: params.postCueSteps)
    let omitted = ConditioningTrial(length: params.trialLength, cueTime: params.cueTime, rewardTime: nil)
    let guardrail = DivergenceGuard(
        run: "omission", stepName: "omission trial",
        parameters: params.runParameters, bound: tdDivergenceBound)
    var delta = [[Double]]()
    for n in 1...params.omissionTrials {
        let record = learner.runTrial(omitted, features: features)
        try guardrail.check(record.delta, step: n)
        delta.append(record.delta)
    }
    return OmissionResult(
        parameters: params, trainedDelta: trained[trained.count - 1], lastTrainingTrialRewarded: rewarded[rewarded.count - 1],
        delta: delta)
}

// MARK: - 3. What the state representation must remember

/// How trial states are coded for the value function.
package enum StateCoding: String, Sendable, CaseIterable {
    /// Time since a cue only, shared by cues A and B (the state is not Markov).
    case timeOnly = "time-only"
    /// Time since the cue and the cue's identity (a working memory of the cue, of strength
    /// `--cue-memory`).
    case cueAndTime = "cue-and-time"
}

/// δ at reward time, per presentation of one cue, for one state coding.
package struct StateRepresentationSeries: Sendable {
    /// The coding.
    package var coding: StateCoding
    /// "A" (always rewarded) or "B" (never rewarded).
    package var cue: String
    /// One curve per seed: x = presentation number of this cue (1, 2, …), y = δ at reward time.
    package var seeds: [SeedRecord]
    /// For each seed, the trial number (from 1) of each presentation.
    package var trialNumbers: [[Int]]
    /// Mean ± SEM across seeds at each presentation.
    package var statistics: SeedStatistics
    /// Mean δ over the second half of presentations, averaged across seeds.
    package var lateMean: Double
    /// SEM across seeds of each seed's late mean.
    package var lateSEM: Double
    /// Standard deviation of single-trial δ over the second half (pooled over seeds):
    /// the trial-to-trial fluctuation, which shrinks with α.
    package var lateSD: Double
}

/// Two cues with the same timing, A rewarded and B not, coded two ways.
package struct StateRepresentationResult: Sendable {
    /// The parameters used.
    package var parameters: TDParameters
    /// The seeds, in order.
    package var seedValues: [UInt64]
    /// Four series: each coding × cue A, B.
    package var series: [StateRepresentationSeries]

    /// The series for `coding` and cue "A" or "B".
    package func series(_ coding: StateCoding, cue: String) -> StateRepresentationSeries {
        series.first { $0.coding == coding && $0.cue == cue }!
    }

    /// Columns `features,cue,seed,presentation,trial,delta_reward,half`, one row per seed and
    /// presentation; `half` is 1 or 2 for the first or second half of the cue's presentations (the
    /// second is what ``StateRepresentationSeries/lateMean`` averages).
    package var csv: CSVTable {
        var t = CSVTable(header: ["features", "cue", "seed", "presentation", "trial", "delta_reward", "half"])
        for s in series {
            for (k, record) in s.seeds.enumerated() {
                let y = record.curves[0].y
                for (i, d) in y.enumerated() {
                    t.append([
                        .text(s.coding.rawValue), .text(s.cue), .text(String(record.seed)),
                        .int(i + 1), .int(s.trialNumbers[k][i]), .number(d), .int(i < y.count / 2 ? 1 : 2),
                    ])
                }
            }
        }
        return t
    }

    /// Columns `features,cue,presentation,mean,sem,seeds`: mean ± SEM across seeds.
    package var summaryCSV: CSVTable {
        var t = CSVTable(header: ["features", "cue", "presentation", "mean", "sem", "seeds"])
        for s in series {
            let st = s.statistics
            for i in 0..<st.x.count {
                t.append([
                    .text(s.coding.rawValue), .text(s.cue), .int(Int(st.x[i])),
                    .number(st.mean[i]), .number(st.sem[i]), .int(st.seedCount),
                ])
            }
        }
        return t
    }
}

/// One seed of the state-representation experiment: δ at reward time per
/// presentation, for both codings and both cues, plus the trial numbers.
private struct StateRepresentationSeed: Sendable {
    var delta: [StateCoding: [String: [Double]]]
    var trials: [String: [Int]]
}

/// Cues A (always rewarded) and B (never), in a random order that presents
/// each equally often (a seeded shuffle of ⌈n/2⌉ A's and ⌊n/2⌋ B's), learned
/// with time-only features and with cue-and-time features on the same trial
/// sequence. With time-only features one value must serve both cues, so it
/// settles at ½ and δ at reward stays ≈ +½ on A trials and −½ on B trials;
/// remembering the cue lets both go to 0. A memory that fades (`--cue-memory` λ < 1) leaves
/// only λ^(k−1) of the cue's identity in the state before the reward, k steps after the cue:
/// the weights can still tell the cues apart, but the TD updates that do it are scaled by
/// λ^(2(k−1)), so the ±½ errors decay over about 2 / (α λ^(2(k−1))) trials instead of a few.
/// Seeds run in parallel.
package func stateRepresentation(
    _ params: TDParameters, seeds: Int? = nil,
    parallel: Bool = true
) throws -> StateRepresentationResult {
    var adjusted = params
    if let s = seeds { adjusted.seeds = s }
    let p = adjusted
    try p.validate()
    let seedValues = MultiSeedRunner.seeds(first: p.seed, count: p.seeds)
    let perSeed = try MultiSeedRunner.run(seeds: seedValues, parallel: parallel) { seed in
        try stateRepresentationSeed(p, seed: seed)
    }
    var series = [StateRepresentationSeries]()
    for coding in StateCoding.allCases {
        for cue in ["A", "B"] {
            let records = zip(seedValues, perSeed).map { seed, r in
                SeedRecord(
                    seed: seed,
                    curves: [
                        Curve(
                            name: "\(coding.rawValue) \(cue)",
                            x: (1...r.delta[coding]![cue]!.count).map(Double.init),
                            y: r.delta[coding]![cue]!)
                    ])
            }
            let ys = records.map { $0.curves[0].y }
            let half = ys[0].count / 2
            let lateMeans = ys.map { Array($0[half...]).mean }
            let late = MeanSEM(lateMeans)
            let pooled = MeanSEM(ys.flatMap { $0[half...] })
            series.append(
                StateRepresentationSeries(
                    coding: coding, cue: cue, seeds: records, trialNumbers: perSeed.map { $0.trials[cue]! },
                    statistics: SeedStatistics(records.map { $0.curves[0] }),
                    lateMean: late.mean, lateSEM: late.sem, lateSD: pooled.sd))
        }
    }
    return StateRepresentationResult(parameters: p, seedValues: seedValues, series: series)
}

private func stateRepresentationSeed(_ p: TDParameters, seed: UInt64) throws -> StateRepresentationSeed {
    var rng = SeededGenerator(seed: seed)
    let cues = TwoCueTask.cueOrder(trials: p.trials, using: &rng)
    let names = ["A", "B"]
    var trials: [String: [Int]] = ["A": [], "B": []]
    for (n, cue) in cues.enumerated() { trials[names[cue]]!.append(n + 1) }
    var out = StateRepresentationSeed(delta: [:], trials: trials)
    for coding in StateCoding.allCases {
        let features: any TrialFeatureMap =
            coding == .timeOnly
            ? TimeSinceCueFeatures(steps: p.postCueSteps)
            : CueAndTimeFeatures(steps: p.postCueSteps, cues: 2, memory: p.cueMemory)
        var learner = LinearTDLearner(featureCount: features.dimension, alpha: p.alpha, gamma: p.gamma)
        let guardrail = DivergenceGuard(
            run: "state-representation (\(coding.rawValue), seed \(seed))",
            parameters: p.runParameters, bound: tdDivergenceBound)
        var delta: [String: [Double]] = ["A": [], "B": []]
        let errors = try TwoCueTask.rewardErrors(
            &learner, cues: cues, length: p.trialLength, cueTime: p.cueTime, rewardTime: p.rewardTime,
            features: features
        ) { try guardrail.check($0, step: $1) }
        for (cue, error) in zip(cues, errors) { delta[names[cue]]!.append(error) }
        out.delta[coding] = delta
    }
    return out
}

// MARK: - 4. TD versus Monte Carlo on the random walk

/// One learning curve of the random-walk comparison.
package struct RandomWalkCurve: Sendable, Equatable {
    /// "TD" (online TD(0)) or "MC" (constant-α every-visit Monte Carlo).
    package var method: String
    /// Step size α.
    package var alpha: Double
    /// RMS error over the five states after each episode (index 0 = before learning), mean over runs.
    package var rms: [Double]
    /// SEM of the RMS error across runs.
    package var sem: [Double]
}

/// Sutton & Barto (2018), Example 6.2 / Figure 6.2 (right): RMS error against episodes.
package struct RandomWalkResult: Sendable {
    /// Runs averaged.
    package var runs: Int
    /// Episodes per run.
    package var episodes: Int
    /// The first seed; run i uses stream i of this seed.
    package var seed: UInt64
    /// TD curves first, then MC curves, each in the order of its α list.
    package var curves: [RandomWalkCurve]

    /// The curve for `method` ("TD" or "MC") and `alpha`.
    package func curve(_ method: String, alpha: Double) -> RandomWalkCurve? {
        curves.first { $0.method == method && $0.alpha == alpha }
    }

    /// Columns exactly `method,alpha,episode,rms`.
    package var csv: CSVTable {
        var t = CSVTable(header: ["method", "alpha", "episode", "rms"])
        for c in curves {
            for (e, r) in c.rms.enumerated() { t.append([.text(c.method), .number(c.alpha), .int(e), .number(r)]) }
        }
        return t
    }
}

/// TD(0) and constant-α MC (γ = 1) on the 5-state random walk, values
/// initialised to 0.5. Run i draws its episodes from stream i of `seed`; within
/// a run every method sees the same episodes (common random numbers), which
/// makes the comparison between methods sharper without changing any curve's
/// expectation. Runs execute in parallel; results are in run order.
package func randomWalk(
    runs: Int = 100, episodes: Int = 100, seed: UInt64 = 1,
    tdAlphas: [Double] = [0.05, 0.1, 0.15],
    mcAlphas: [Double] = [0.01, 0.02, 0.03, 0.04],
    parallel: Bool = true
) throws -> RandomWalkResult {
    if runs < 1 { throw ParameterError(flag: "--runs", value: "\(runs)", accepted: "at least 1 run") }
    if episodes < 1 { throw ParameterError(flag: "--episodes", value: "\(episodes)", accepted: "at least 1 episode") }
    for a in tdAlphas + mcAlphas where !(a > 0) || !a.isFinite {
        throw ParameterError(flag: "--alpha", value: "\(a)", accepted: "a learning rate > 0")
    }
    let walk = RandomWalk()
    let configs = tdAlphas.map { ("TD", $0) } + mcAlphas.map { ("MC", $0) }
    // perRun[run][config][episode]
    let perRun = try MultiSeedRunner.map(count: runs, parallel: parallel) { run -> [[Double]] in
        var rng = SeededGenerator(seed: seed, stream: run)
        let eps = (0..<episodes).map { _ in walk.episode(using: &rng) }
        return try configs.map { method, alpha in
            var v = [Double](repeating: 0.5, count: walk.stateCount)
            var rms = [walk.rmsError(v)]
            rms.reserveCapacity(episodes + 1)
            let guardrail = DivergenceGuard(
                run: "random-walk \(method) (run \(run))", stepName: "episode",
                parameters: [RunParameter("alpha", alpha), RunParameter("gamma", 1)], bound: tdDivergenceBound)
            for (e, ep) in eps.enumerated() {
                if method == "TD" {
                    TabularPrediction.tdZero(&v, episode: ep, alpha: alpha)  // Eq. (3), tabular
                } else {
                    TabularPrediction.constantAlphaMonteCarlo(&v, episode: ep, alpha: alpha)
                }
                try guardrail.check(v, step: e + 1)
                rms.append(walk.rmsError(v))
            }
            return rms
        }
    }
    let curves = configs.enumerated().map { i, config in
        let stats = SeedStatistics(perRun.map { Curve(name: "\(config.0) \(config.1)", y: $0[i]) })
        return RandomWalkCurve(method: config.0, alpha: config.1, rms: stats.mean, sem: stats.sem)
    }
    return RandomWalkResult(runs: runs, episodes: episodes, seed: seed, curves: curves)
}

/// Rows `trial,time,<column>` of a trial × time matrix (trials from 1).
private func matrixTable(_ m: [[Double]], column: String) -> CSVTable {
    var t = CSVTable(header: ["trial", "time", column])
    for (n, row) in m.enumerated() {
        for (time, x) in row.enumerated() { t.append([.int(n + 1), .int(time), .number(x)]) }
    }
    return t
}
