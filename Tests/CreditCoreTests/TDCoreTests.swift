import Testing
@testable import CreditCore

@Suite("TD core")
struct TDCoreTests {
    @Test func tdErrorIsEquationThree() {
        var l = LinearTDLearner(featureCount: 2, alpha: 0.5, gamma: 0.9)
        l.weights = [1, 2]
        // δ = r + γ V(s′) − V(s) = 0.5 + 0.9·2 − 1 = 1.3
        let d = l.update(from: [1, 0], reward: 0.5, to: [0, 1])
        #expect(abs(d - 1.3) < 1e-12)
        #expect(abs(l.weights[0] - (1 + 0.5 * 1.3)) < 1e-12 && l.weights[1] == 2)
        // Terminal next state has value 0.
        #expect(abs(l.tdError(from: [0, 1], reward: 1, to: nil) - (1 - 2)) < 1e-12)
        let frozen = l
        _ = l.update(from: [1, 1], reward: 3, to: nil, learn: false)
        #expect(l == frozen)
    }

    @Test func featureMaps() {
        let csc = TimeSinceCueFeatures(steps: 4)
        #expect(csc.features(TrialState(time: 1, cue: 0, cueTime: 2)) == [0, 0, 0, 0])
        #expect(csc.features(TrialState(time: 3, cue: 1, cueTime: 2)) == [0, 1, 0, 0])
        let both = CueAndTimeFeatures(steps: 3, cues: 2)
        #expect(both.features(TrialState(time: 3, cue: 1, cueTime: 2)) == [0, 0, 0, 0, 1, 0])
        #expect(both.features(TrialState(time: 3, cue: 0, cueTime: 2)) == [0, 1, 0, 0, 0, 0])
        // A fading memory: λ^j of the cue's identity is left j steps after it, the rest spread evenly.
        let fading = CueAndTimeFeatures(steps: 3, cues: 2, memory: 0.5)
        #expect(fading.features(TrialState(time: 2, cue: 1, cueTime: 2)) == [0, 0, 0, 1, 0, 0])  // λ⁰ = 1 at the cue
        #expect(fading.features(TrialState(time: 4, cue: 1, cueTime: 2)) == [0, 0, 0.375, 0, 0, 0.625])  // λ² = ¼
        let none = CueAndTimeFeatures(steps: 3, cues: 2, memory: 0)
        #expect(none.features(TrialState(time: 3, cue: 0, cueTime: 2)) == none.features(TrialState(time: 3, cue: 1, cueTime: 2)))
        #expect(none.features(TrialState(time: 3, cue: 0, cueTime: 2)) == [0, 0.5, 0, 0, 0.5, 0])
    }

    @Test func trialIndexingConvention() {
        // First trial: δ is the reward itself.
        let trial = ConditioningTrial(length: 6, cueTime: 1, rewardTime: 4)
        let map = TimeSinceCueFeatures(steps: 5)
        var l = LinearTDLearner(featureCount: 5, alpha: 1, gamma: 1)
        let first = l.runTrial(trial, features: map)
        #expect(first.delta == [0, 0, 0, 0, 1, 0])
        // α = 1 writes the value one step back per trial: V(s_3) = 1 after trial 1.
        #expect(first.value == [0, 0, 0, 1, 0, 0])
        _ = l.runTrial(trial, features: map)
        _ = l.runTrial(trial, features: map)
        let fourth = l.runTrial(trial, features: map)
        // After k = 3 trials the cue state predicts the reward: δ = 1 at the cue, 0 at reward.
        #expect(fourth.delta == [0, 1, 0, 0, 0, 0])
    }

    @Test func randomWalkBasics() {
        let walk = RandomWalk()
        #expect(walk.start == 2)
        let t = walk.trueValues
        for i in 0..<5 { #expect(abs(t[i] - Double(i + 1) / 6) < 1e-15) }
        #expect(abs(walk.rmsError([Double](repeating: 0.5, count: 5)) - (1.0 / 18).squareRoot()) < 1e-15)
        var g = SeededGenerator(seed: 1)
        var rightCount = 0
        for _ in 0..<2000 {
            let e = walk.episode(using: &g)
            #expect(e.states.first == 2)
            for i in 1..<e.states.count { #expect(abs(e.states[i] - e.states[i - 1]) == 1) }
            let last = e.states.last!
            #expect(e.finalReward == 1 ? last == 4 : last == 0)
            if e.finalReward == 1 { rightCount += 1 }
        }
        #expect(abs(Double(rightCount) / 2000 - 0.5) < 0.05)
    }

    @Test func tabularRulesByHand() {
        // Episode C → D → E → right terminal (reward 1).
        let ep = RandomWalkEpisode(states: [2, 3, 4], finalReward: 1)
        var td = [Double](repeating: 0.5, count: 5)
        TabularPrediction.tdZero(&td, episode: ep, alpha: 0.1)
        // Only E changes: 0.5 + 0.1 (1 + 0 − 0.5) = 0.55.
        #expect(td == [0.5, 0.5, 0.5, 0.5, 0.55])
        var mc = [Double](repeating: 0.5, count: 5)
        TabularPrediction.constantAlphaMonteCarlo(&mc, episode: ep, alpha: 0.1)
        #expect(mc == [0.5, 0.5, 0.55, 0.55, 0.55])
        // Every-visit: a state visited twice is updated twice.
        var mc2 = [Double](repeating: 0, count: 5)
        TabularPrediction.constantAlphaMonteCarlo(&mc2, episode: RandomWalkEpisode(states: [2, 1, 2, 3, 4], finalReward: 1), alpha: 0.5)
        #expect(mc2[2] == 0.75)
    }
}
