// The science of the TD chapter, asserted with numbers.
@testable import CreditCore
import Foundation
import Testing

@testable import Chapters

/// γ^k by repeated multiplication (no Foundation).
private func power(_ g: Double, _ k: Int) -> Double { (0..<k).reduce(1.0) { a, _ in a * g } }

@Suite("TD science")
struct TDScienceTests {
    // MARK: 1. Prediction error moves from reward to cue

    @Test(arguments: [1.0, 0.9])
    func firstTrialDeltaIsTheReward(gamma: Double) throws {
        var p = TDParameters()
        p.gamma = gamma
        let r = try rpeTransfer(p)
        #expect(r.delta.count == p.trials && r.delta[0].count == p.trialLength)
        for (t, d) in r.delta[0].enumerated() {
            if t == p.rewardTime {
                #expect(abs(d - 1) <= 1e-12)
            } else {
                #expect(abs(d) <= 1e-12, "step \(t)")
            }
        }
    }

    /// TD(0) moves the error back gradually: between the first trial and the end, the largest δ
    /// after the cue sits at intermediate steps, moving one step toward the cue every ten or so
    /// trials and never forward. A Monte-Carlo (TD(1)) update would move credit to the cue
    /// without this travelling bump.
    @Test func theErrorTravelsBackStepByStep() throws {
        let p = TDParameters()
        let r = try rpeTransfer(p)
        var positions: [(trial: Int, step: Int)] = []
        for (n, row) in r.delta.enumerated() {
            let window = (p.cueTime + 1)...p.rewardTime
            let peak = window.max { row[$0] < row[$1] }!
            if row[peak] > 0.05 { positions.append((n + 1, peak)) }
        }
        let steps = positions.map(\.step)
        // Never forward, and through every step between the reward and the cue's successor.
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(Set(steps).count == p.cueRewardInterval, "the bump visited \(Set(steps).sorted())")
        // The rate: from the reward step to the step after the cue in roughly 10 trials a step.
        let arrival = try #require(positions.first { $0.step == p.cueTime + 1 }).trial
        let perStep = Double(arrival) / Double(p.cueRewardInterval - 1)
        #expect(perStep > 6 && perStep < 16, "\(perStep) trials per step")
        // The numbers the chapter quotes for the defaults (α = 0.1, k = 10): one step every ten
        // trials, the step after the cue at trial 90, half the transfer at trial 98, and the two
        // curves crossing near trial 45 at δ ≈ 0.01.
        #expect(arrival == 90)
        let final = r.cueDelta[p.trials - 1]
        #expect(r.cueDelta.firstIndex { $0 >= final / 2 }.map { $0 + 1 } == 98)
        let cross = try #require(r.cueDelta.indices.first { r.cueDelta[$0] >= r.rewardDelta[$0] })
        #expect(abs(cross + 1 - 45) <= 1 && r.cueDelta[cross] < 0.02)
    }

    @Test(arguments: [1.0, 0.9])
    func lateDeltaMovesToTheCue(gamma: Double) throws {
        var p = TDParameters()
        p.gamma = gamma
        let r = try rpeTransfer(p)
        let gk = power(gamma, p.cueRewardInterval)
        let late = r.delta[p.trials - 1]
        #expect(late[p.cueTime] >= 0.9 * gk)
        #expect(late[p.cueTime] <= gk + 1e-9)  // never overshoots γ^k
        #expect(abs(late[p.rewardTime]) <= 0.1)
        // In between, the error has left every step (no residual bump travelling).
        for t in 0..<p.trialLength where t != p.cueTime { #expect(abs(late[t]) <= 0.1, "step \(t)") }
        // Learned values: V just before the reward ≈ 1, V at the cue ≈ γ^(k−1).
        #expect(abs(r.value[p.trials - 1][p.rewardTime - 1] - 1) < 0.01)
        // V at the cue is γ^(k−1), not γ^k: the reward is booked with the move out of its step
        // (at γ = 0.9 the two differ by 0.039, so the tolerance tells them apart).
        let cueValue = r.value[p.trials - 1][p.cueTime]
        #expect(abs(cueValue - power(gamma, p.cueRewardInterval - 1)) < 0.005)
        if gamma < 1 { #expect(abs(cueValue - power(gamma, p.cueRewardInterval)) > 0.02) }
        #expect(abs(r.value[p.trials - 1][p.rewardTime]) < 1e-9)  // V at the reward step itself
        // The cue response grows over training while the reward response shrinks.
        #expect(r.cueDelta[0] == 0 && r.cueDelta[p.trials / 2] > r.cueDelta[10])
        #expect(r.rewardDelta[p.trials / 2] < r.rewardDelta[10])
    }

    // MARK: 2. Omission

    @Test func omissionDipAndExtinction() throws {
        let o = try omissionExtinction(TDParameters())
        #expect(o.firstOmissionDip <= -0.9)
        #expect(o.trainedCueResponse >= 0.9)
        // The cue still fires on the first omission trial (the prediction has not been revised yet).
        #expect(o.cueResponse[0] >= 0.9)
        // After many omissions the cue response falls below half its trained value.
        #expect(o.cueResponse.last! < 0.5 * o.trainedCueResponse)
        #expect(o.cueResponse.last! < o.cueResponse[o.cueResponse.count / 2])
        // The dip itself shrinks as the expectation is extinguished.
        #expect(abs(o.rewardTimeDelta.last!) < 0.1)
        #expect(o.csv.header == ["phase", "trial", "time", "delta"])
        #expect(o.csv.rows.count == (1 + o.parameters.omissionTrials) * o.parameters.trialLength)
    }

    // MARK: 2b. Partial reinforcement (Exercise 3)

    /// With the reward on a random fraction p of the trials, the learned value of every post-cue
    /// state is the running average of the outcome, whose mean is p. So after learning δ at the
    /// cue averages p γ^k, and δ at the reward 1 − p when the reward comes and −p when it does not
    /// (Fiorillo, Tobler & Schultz 2003). Checked over 8 seeds, in the second half of 1500 trials.
    @Test(arguments: [(0.25, 1.0), (0.5, 1.0), (0.75, 1.0), (0.5, 0.9)])
    func partialReinforcementSettlesAtTheProbability(probability: Double, gamma: Double) throws {
        var p = TDParameters()
        p.rewardProbability = probability
        p.gamma = gamma
        p.trials = 1_500
        var cue: [Double] = [], given: [Double] = [], omitted: [Double] = [], rewarded: [Double] = []
        for seed: UInt64 in 1...8 {
            p.seed = seed
            let r = try rpeTransfer(p)
            cue.append(r.lateCueDelta)
            given.append(try #require(r.lateRewardDelta(rewarded: true)))
            omitted.append(try #require(r.lateRewardDelta(rewarded: false)))
            rewarded.append(Double(r.rewarded.filter { $0 }.count) / Double(p.trials))
            // An unrewarded trial has no reward at all: on trial 1 (w = 0) δ is 0 everywhere.
            if !r.rewarded[0] { #expect(r.delta[0].allSatisfy { $0 == 0 }) }
        }
        #expect(abs(rewarded.mean - probability) < 0.02)
        #expect(abs(cue.mean - probability * power(gamma, p.cueRewardInterval)) < 0.02, "cue \(cue.mean)")
        #expect(abs(given.mean - (1 - probability)) < 0.02, "rewarded \(given.mean)")
        #expect(abs(omitted.mean + probability) < 0.02, "omitted \(omitted.mean)")
        // Each seed draws its own rewarded trials; the CSV says which.
        p.seed = 1
        let one = try rpeTransfer(p)
        p.seed = 2
        #expect(try rpeTransfer(p).rewarded != one.rewarded)
        #expect(one.trialsCSV.header == ["trial", "half", "rewarded", "delta_cue", "delta_reward"])
        #expect(one.trialsCSV.rows.count == p.trials)
    }

    /// p = 1 is the chapter's deterministic task, whatever the seed; p = 0 never rewards.
    @Test func rewardProbabilityOneIsTheDefaultTask() throws {
        var p = TDParameters()
        let base = try rpeTransfer(p)
        #expect(base.rewarded.allSatisfy { $0 })
        p.seed = 9
        #expect(try rpeTransfer(p).delta == base.delta)
        p.rewardProbability = 0
        let never = try rpeTransfer(p)
        #expect(never.rewarded.allSatisfy { !$0 } && never.delta.allSatisfy { $0.allSatisfy { $0 == 0 } })
        // The omission experiment trains the same way: after p = 0.5 the first dip is about −½.
        p.rewardProbability = 0.5
        #expect(abs(try omissionExtinction(p).firstOmissionDip + 0.5) < 0.3)
    }

    // MARK: 3. State representation

    @Test func timeOnlyFeaturesCannotResolveTheCues() throws {
        var p = TDParameters()
        p.seeds = 6
        let r = try stateRepresentation(p)
        let a = r.series(.timeOnly, cue: "A"), b = r.series(.timeOnly, cue: "B")
        #expect(a.statistics.seedCount == 6)
        #expect(abs(a.lateMean - 0.5) < 0.1)
        #expect(abs(b.lateMean + 0.5) < 0.1)
        // Not just on average: every seed's late mean sits near ±½.
        for k in 0..<6 {
            let ya = a.seeds[k].curves[0].y, yb = b.seeds[k].curves[0].y
            #expect(abs(Array(ya[(ya.count / 2)...]).mean - 0.5) < 0.15)
            #expect(abs(Array(yb[(yb.count / 2)...]).mean + 0.5) < 0.15)
        }
        // The first A presentation has the full error (B trials before it teach nothing);
        // the first B presentation can only disappoint a prediction left by earlier A trials.
        #expect(a.statistics.mean[0] == 1 && b.statistics.mean[0] <= 0)
    }

    @Test func cueIdentityFeaturesLearnBothCues() throws {
        var p = TDParameters()
        p.seeds = 6
        let r = try stateRepresentation(p)
        for cue in ["A", "B"] {
            let s = r.series(.cueAndTime, cue: cue)
            #expect(abs(s.lateMean) < 0.1, "cue \(cue)")
            #expect(s.statistics.mean.suffix(10).allSatisfy { abs($0) < 0.1 })
        }
    }

    /// Exercise 5: a cue memory that fades (λ^j of the cue's identity left j steps after it).
    /// λ = 0 is the time-only coding after the cue (±½); λ = 1 is the perfect memory (→ 0). In
    /// between, the state before the reward still tells the cues apart, by λ^(k−1), but the TD
    /// updates that use the difference are scaled by λ^(2(k−1)): δ at the reward on A trials is
    /// ½ e^(−α λ^(2(k−1)) n / 2) after n trials, so over the second half of N trials it averages
    /// ½ (e^(−cN/2) − e^(−cN)) / (cN/2) with c = α λ^(2(k−1)) / 2. The ±½ shrinks toward 0 as the
    /// memory strengthens.
    @Test func aFadingMemoryLeavesPartOfTheError() throws {
        var p = TDParameters()
        p.seeds = 6
        var late: [Double] = []
        for lambda in [0, 0.5, 0.8, 0.9, 0.95, 1] {
            p.cueMemory = lambda
            let r = try stateRepresentation(p)
            let a = r.series(.cueAndTime, cue: "A").lateMean, b = r.series(.cueAndTime, cue: "B").lateMean
            #expect(abs(a + b) < 0.05, "λ = \(lambda): A and B errors are mirror images (\(a), \(b))")
            late.append(a)
            let c = p.alpha * pow(lambda, Double(2 * (p.cueRewardInterval - 1))) / 2
            let n = Double(p.trials)
            let predicted = c == 0 ? 0.5 : 0.5 * (exp(-c * n / 2) - exp(-c * n)) / (c * n / 2)
            #expect(abs(a - predicted) < 0.03, "λ = \(lambda): \(a), predicted \(predicted)")
        }
        #expect(zip(late, late.dropFirst()).allSatisfy { $0 >= $1 - 0.02 }, "\(late)")
        #expect(abs(late[0] - 0.5) < 0.05 && abs(late[late.count - 1]) < 0.05)
        // λ = 0: after the cue the state is the time-only one, so A and B get the same value.
        p.cueMemory = 0
        let none = try stateRepresentation(p, seeds: 2)
        #expect(abs(none.series(.cueAndTime, cue: "A").lateMean - none.series(.timeOnly, cue: "A").lateMean) < 0.05)
    }

    @Test func smallerAlphaShrinksTheFluctuation() throws {
        var p = TDParameters()
        p.seeds = 5
        let fast = try stateRepresentation(p).series(.timeOnly, cue: "A")
        p.alpha = 0.02
        let slow = try stateRepresentation(p).series(.timeOnly, cue: "A")
        // Stationary sd of the shared value is ½·√(α/(2−α)): ≈ 0.115 at α = 0.1, ≈ 0.05 at 0.02.
        #expect(fast.lateSD > 0.07 && fast.lateSD < 0.15)
        #expect(slow.lateSD < 0.5 * fast.lateSD)
        #expect(abs(slow.lateMean - 0.5) < 0.1)
    }

    @Test func stateRepresentationIsDeterministicAndOrderFree() throws {
        var p = TDParameters()
        p.seeds = 5
        p.trials = 100
        let a = try stateRepresentation(p, parallel: true)
        let b = try stateRepresentation(p, parallel: false)
        #expect(a.csv == b.csv && a.summaryCSV == b.summaryCSV)
        #expect(a.seedValues == [1, 2, 3, 4, 5])
        // Seed k of a 5-seed run is the same as a 1-seed run at that seed.
        p.seed = 3
        let single = try stateRepresentation(p, seeds: 1)
        #expect(single.series(.timeOnly, cue: "A").seeds[0] == a.series(.timeOnly, cue: "A").seeds[2])
        // A different seed gives a different cue order.
        #expect(
            single.series(.timeOnly, cue: "A").seeds[0].curves[0].y
                != a.series(.timeOnly, cue: "A").seeds[0].curves[0].y)
        #expect(a.csv.header == ["features", "cue", "seed", "presentation", "trial", "delta_reward", "half"])
    }

    // MARK: The numbers the prose quotes

    /// Every number chapters/02-td.md quotes from a run at the defaults, formatted as the text
    /// prints it, so that a change of the model or of its defaults cannot leave the text behind.
    @Test func proseQuotesTheRuns() throws {
        let prose = ChapterProse("02-td.md")
        func says(_ phrase: String) -> Bool {
            let found = prose.says(phrase)
            if !found { Issue.record("chapters/02-td.md does not say \"\(phrase)\"") }
            return found
        }
        func text(_ x: Double, _ digits: Int) -> String {
            String(format: "%.\(digits)f", x).replacingOccurrences(of: "-", with: "−")
        }
        let p = TDParameters()
        let transfer = try rpeTransfer(p)
        #expect(says("δ at the cue is \(text(transfer.cueDelta[p.trials - 1], 6))"))
        #expect(says("δ at the reward is below 10⁻¹³") && abs(transfer.rewardDelta[p.trials - 1]) < 1e-13)
        var discounted = p
        discounted.gamma = 0.9
        let gammaCue = try rpeTransfer(discounted).cueDelta[p.trials - 1]
        #expect(says("settles at \(text(gammaCue, 4)), which is 0.9¹⁰") && abs(gammaCue - power(0.9, 10)) < 5e-5)

        let o = try omissionExtinction(p)
        #expect(says("δ dips to \(text(o.firstOmissionDip, 2))"))
        #expect(
            says(
                "from \(text(o.cueResponse[0], 1)) on the first omission trial to \(text(o.cueResponse[99], 2)) on the 100th and "
                    + "\(text(o.cueResponse[149], 2)) on the 150th"
            ))

        let states = try stateRepresentation(p)
        let a = states.series(.timeOnly, cue: "A"), b = states.series(.timeOnly, cue: "B")
        #expect(says("Measured over \(p.seeds) seeds in the second half of training: +\(text(a.lateMean, 3)) and \(text(b.lateMean, 3))"))
        #expect(says("SD \(text(a.lateSD, 2))") && text(a.lateSD, 2) == text(b.lateSD, 2))

        let walk = try randomWalk(runs: p.randomWalkRuns, episodes: p.randomWalkEpisodes, seed: p.seed)
        for c in walk.curves {
            let label = c.method == "TD" ? "TD(0)" : c.method
            #expect(says("| \(label) | \(text(c.alpha, 2)) | \(text(c.rms[p.randomWalkEpisodes], 3)) |"))
        }
    }

    // MARK: 4. Random walk (Sutton & Barto 2018, Example 6.2)

    @Test func randomWalkMatchesExample62() throws {
        let w = try randomWalk(runs: 100, episodes: 100, seed: 1)
        #expect(w.curves.count == 7)
        for c in w.curves {
            #expect(c.rms.count == 101)
            #expect(abs(c.rms[0] - (1.0 / 18).squareRoot()) < 1e-12)  // 0.2357
        }
        func end(_ m: String, _ a: Double) -> Double { w.curve(m, alpha: a)!.rms[100] }
        // Bands: the long-run expectation of each 100-run average (measured over 4000 runs:
        // TD .0357 .0560 .0707, MC .0969 .0813 .0930 .1065) ± the spread of 100-run averages
        // across 30 seeds. They sit 0.02–0.04 below the brief's reading of the book's Figure 6.2.
        #expect((0.025...0.045).contains(end("TD", 0.05)))
        #expect((0.045...0.065).contains(end("TD", 0.1)))
        #expect((0.058...0.085).contains(end("TD", 0.15)))
        #expect((0.085...0.110).contains(end("MC", 0.01)))
        #expect((0.065...0.100).contains(end("MC", 0.02)))
        #expect((0.075...0.115).contains(end("MC", 0.03)))
        #expect((0.085...0.130).contains(end("MC", 0.04)))
        // By episode 100 every TD curve is below every MC curve.
        let td = w.curves.filter { $0.method == "TD" }.map { $0.rms[100] }
        let mc = w.curves.filter { $0.method == "MC" }.map { $0.rms[100] }
        #expect(td.max()! < mc.min()!)
        // TD with α = 0.15 falls fastest early: lowest of all seven at episode 10.
        let at10 = w.curves.map { $0.rms[10] }
        #expect(w.curve("TD", alpha: 0.15)!.rms[10] == at10.min()!)
        // MC with α = 0.01 is still falling at episode 100.
        let slow = w.curve("MC", alpha: 0.01)!.rms
        #expect(slow[100] < slow[80] - 0.01)
        // Larger α learns faster early but settles higher (TD).
        #expect(end("TD", 0.05) < end("TD", 0.1) && end("TD", 0.1) < end("TD", 0.15))
        // The book's Exercise 6.5: at high α the TD error goes down and then up again.
        let fast = w.curve("TD", alpha: 0.15)!.rms
        #expect(fast[10...30].min()! < fast[100] - 0.01)
        #expect(w.csv.header == ["method", "alpha", "episode", "rms"])
        #expect(w.csv.rows.count == 7 * 101)
    }

    @Test func randomWalkIsDeterministicAndOrderFree() throws {
        let a = try randomWalk(runs: 20, episodes: 30, seed: 7, parallel: true)
        let b = try randomWalk(runs: 20, episodes: 30, seed: 7, parallel: false)
        let c = try randomWalk(runs: 20, episodes: 30, seed: 8)
        #expect(a.csv.text == b.csv.text)
        #expect(a.csv.text != c.csv.text)
    }

    // MARK: Parameters and divergence

    @Test func validateNamesTheFlag() {
        func flag(_ change: (inout TDParameters) -> Void) -> String? { rejectedFlag(TDParameters.self, change) }
        #expect(flag { _ in } == nil)
        #expect(flag { _ in } == nil && TDParameters(quick: true).seeds < TDParameters().seeds)
        #expect(flag { $0.alpha = 0 } == "--alpha")
        #expect(flag { $0.alpha = -0.1 } == "--alpha")
        #expect(flag { $0.alpha = .nan } == "--alpha")
        #expect(flag { $0.gamma = 1.01 } == "--gamma")
        #expect(flag { $0.gamma = -0.1 } == "--gamma")
        #expect(flag { $0.cueTime = 15 } == "--cue-time")  // at the reward
        #expect(flag { $0.cueTime = 20 } == "--cue-time")  // after the reward
        #expect(flag { $0.cueTime = -1 } == "--cue-time")
        #expect(flag { $0.rewardTime = 25 } == "--reward-time")  // beyond the trial (T = 25)
        #expect(flag { $0.trialLength = 0 } == "--trial-length")
        #expect(flag { $0.trials = 0 } == "--trials")
        #expect(flag { $0.omissionTrials = 0 } == "--omission-trials")
        #expect(flag { $0.seeds = 0 } == "--seeds")
        #expect(flag { $0.randomWalkRuns = 0 } == "--runs")
        #expect(flag { $0.gamma = 0 } == nil && flag { $0.gamma = 1 } == nil)
        var p = TDParameters()
        p.alpha = 0
        #expect(throws: ParameterError.self) { try rpeTransfer(p) }
    }

    @Test func divergingAlphaIsReportedNotDrawn() throws {
        var p = TDParameters()
        p.alpha = 3
        do {
            _ = try rpeTransfer(p)
            Issue.record("alpha = 3 did not diverge")
        } catch let e as DivergenceError {
            #expect(e.run == "rpe-transfer")
            #expect(e.description.hasPrefix("run 'rpe-transfer' diverged at trial "))
            #expect(e.description.contains("(alpha=3, gamma=1, reward-probability=1, cue-memory=1)"))
        }
        #expect(throws: DivergenceError.self) { try omissionExtinction(p) }
        #expect(throws: DivergenceError.self) { try stateRepresentation(p, seeds: 2) }
        do {
            _ = try randomWalk(runs: 3, episodes: 100, mcAlphas: [3])
            Issue.record("MC alpha = 3 did not diverge")
        } catch let e as DivergenceError {
            #expect(e.description.contains("random-walk MC (run 0)"))
            #expect(e.description.contains("alpha=3"))
            #expect(e.stepName == "episode")
        }
    }

    @Test func rpeCSVHasTheAgreedColumns() throws {
        var p = TDParameters()
        p.trials = 3
        let r = try rpeTransfer(p)
        #expect(r.csv.header == ["trial", "time", "delta"])
        #expect(r.csv.rows.count == 3 * p.trialLength)
        #expect(r.csv.rows[p.rewardTime] == ["1", "\(p.rewardTime)", "1"])
        #expect(r.valueCSV.header == ["trial", "time", "value"])
    }
}
