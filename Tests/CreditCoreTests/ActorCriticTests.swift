import Testing

@testable import CreditCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Trains an actor-critic on a one-state, two-armed Bernoulli bandit (arm k pays 1 with
/// probability `pay[k]`); each pull is a one-step episode (s → terminal).
private func bandit(pay: [Double], pulls: Int, seed: UInt64) -> ActorCritic {
    var ac = ActorCritic(actorFeatures: 1, criticFeatures: 1, actions: 2, actorAlpha: 0.1, criticAlpha: 0.05)
    var policyRNG = SeededGenerator(seed: seed, stream: 0)
    var rewardRNG = SeededGenerator(seed: seed, stream: 1)
    for _ in 0..<pulls {
        let a = ac.selectAction([1], using: &policyRNG)
        let r: Double = rewardRNG.bernoulli(pay[a]) ? 1 : 0
        ac.update(actorFeatures: [1], action: a, criticFeatures: [1], reward: r, nextCriticFeatures: nil)
    }
    return ac
}

@Suite("Actor-critic")
struct ActorCriticTests {
    @Test func banditLearnsTheBetterArm() {
        for (better, pay) in [(1, [0.2, 0.8]), (0, [0.7, 0.3])] {
            for seed in UInt64(1)...5 {
                let ac = bandit(pay: pay, pulls: 2000, seed: seed)
                let p = ac.policy([1])
                #expect(p[better] > 0.9, "seed \(seed), pay \(pay): π = \(p)")
                // The critic predicts roughly what the (nearly greedy) policy earns.
                #expect(abs(ac.value([1]) - pay[better]) < 0.15, "seed \(seed): V = \(ac.value([1]))")
            }
        }
        // Untrained: the uniform policy.
        let naive = ActorCritic(actorFeatures: 1, criticFeatures: 1, actions: 2, actorAlpha: 0.1, criticAlpha: 0.1)
        #expect(naive.policy([1]) == [0.5, 0.5])
    }

    @Test func deltaIsEquationThreeAndTheActorFollowsTheScore() {
        var ac = ActorCritic(
            actorFeatures: 2, criticFeatures: 2, actions: 2, actorAlpha: 0.5, criticAlpha: 0.25,
            gamma: 0.9)
        ac.critic.weights = [1, 2]
        ac.preferences = Matrix([[0, 0], [ln2, 0]])  // π(1 | φ = [1, 0]) = 2/3
        // δ = r + γ V(s′) − V(s) = 0.5 + 0.9 · 2 − 1 = 1.3   (Eq. 3)
        let d = ac.update(
            actorFeatures: [1, 0], action: 1, criticFeatures: [1, 0], reward: 0.5,
            nextCriticFeatures: [0, 1])
        #expect(abs(d - 1.3) < 1e-12)
        // Critic: w ← w + α_c δ φ(s) = [1 + 0.25 · 1.3, 2].
        #expect(abs(ac.critic.weights[0] - 1.325) < 1e-12 && ac.critic.weights[1] == 2)
        // Actor: θ_b ← θ_b + α_a δ (1[b = a] − π_b) φ, with π = [1/3, 2/3] before the step.
        #expect(abs(ac.preferences[0, 0] - (0 + 0.5 * 1.3 * (0 - 1.0 / 3))) < 1e-12)
        #expect(abs(ac.preferences[1, 0] - (ln2 + 0.5 * 1.3 * (1 - 2.0 / 3))) < 1e-12)
        #expect(ac.preferences[0, 1] == 0 && ac.preferences[1, 1] == 0)
        // Terminal: δ = r − V(s); learn: false leaves everything as it was.
        let frozen = ac
        let dt = ac.update(
            actorFeatures: [0, 1], action: 0, criticFeatures: [0, 1], reward: 1,
            nextCriticFeatures: nil, learn: false)
        #expect(abs(dt - (1 - 2)) < 1e-12)
        #expect(ac == frozen)
        // The critic's δ is the existing TD learner's.
        #expect(ac.critic.tdError(from: [1, 0], reward: 0.5, to: [0, 1]) == 0.5 + 0.9 * 2 - 1.325)
    }

    @Test func scoreMatchesFiniteDifferences() {
        var ac = ActorCritic(actorFeatures: 3, criticFeatures: 1, actions: 3, actorAlpha: 1, criticAlpha: 1)
        ac.preferences = Matrix([[0.3, -0.2, 0.1], [-0.5, 0.4, 0.0], [0.2, 0.2, -0.7]])
        let phi = [0.5, -1.0, 2.0]
        for a in 0..<3 {
            let g = ac.logPolicyGradient(phi, action: a)
            for k in 0..<ac.preferences.storage.count {
                var plus = ac, minus = ac
                plus.preferences[flat: k] += 1e-6
                minus.preferences[flat: k] -= 1e-6
                let numeric = (log(plus.policy(phi)[a]) - log(minus.policy(phi)[a])) / 2e-6
                #expect(abs(numeric - g.storage[k]) < 1e-7, "action \(a), entry \(k)")
            }
        }
    }

    @Test func zeroTDErrorDoesNotHideANonFiniteScore() {
        // δ = 0 (zero critic features, no reward) while the actor's features hold ∞: the
        // update α δ ∇ log π is 0 · NaN = NaN, and the learner must say it is no longer finite.
        var ac = ActorCritic(actorFeatures: 2, criticFeatures: 1, actions: 2, actorAlpha: 0.1, criticAlpha: 0.1)
        let delta = ac.update(
            actorFeatures: [.infinity, 1], action: 0, criticFeatures: [0], reward: 0,
            nextCriticFeatures: nil)
        #expect(delta == 0)
        #expect(!ac.isFinite)
        // With finite features a zero δ changes nothing.
        var calm = ActorCritic(actorFeatures: 2, criticFeatures: 1, actions: 2, actorAlpha: 0.1, criticAlpha: 0.1)
        calm.update(actorFeatures: [0.5, 1], action: 1, criticFeatures: [0], reward: 0, nextCriticFeatures: nil)
        #expect(calm == ActorCritic(actorFeatures: 2, criticFeatures: 1, actions: 2, actorAlpha: 0.1, criticAlpha: 0.1))
    }

    @Test func sameSeedSameLearner() {
        let a = bandit(pay: [0.2, 0.8], pulls: 300, seed: 7)
        let b = bandit(pay: [0.2, 0.8], pulls: 300, seed: 7)
        let c = bandit(pay: [0.2, 0.8], pulls: 300, seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.isFinite)
    }
}

private let ln2 = log(2.0)

@Suite("Gating task core")
struct ActorCriticGatingTaskTests {
    @Test func effectiveTimeConstantsFollowEquationEleven() {
        let c = GatedPFCMemory.Constants()
        // τ_eff = τ / (1 − (1 + r_MD) w_PFC / 4): 100 / (1 − 0.95) and 100 / (1 − 0.5).
        #expect(abs(c.tauOpen - 2000) < 1e-9)
        #expect(abs(c.tauClosed - 200) < 1e-9)
        #expect(abs(c.loopGain(rMD: 0.9) - 0.95) < 1e-12)
        // The resting state really is a fixed point of Eq. (10).
        for r in [0.0, 0.9] {
            #expect(abs(c.unit.rateOfChange(rate: 0.5, md: r, sensory: c.restingInput(rMD: r))) < 1e-15)
        }
    }

    @Test func exponentialTraceMatchesTheIntegratedUnit() throws {
        // A small deviation from rest, integrated by RK4 through Eq. (10), decays like the trace.
        let c = GatedPFCMemory.Constants()
        for r in [c.rMDOpen, c.rMDClosed] {
            let epsilon = 1e-3, duration = 600.0
            var pop = WorkingMemoryPopulation(unit: c.unit, rates: [0.5 + epsilon])
            _ = try pop.simulate(
                duration: duration, dt: 1,
                drive: ConstantDrive(md: [r], sensory: [c.restingInput(rMD: r)]),
                recordEvery: 1000, run: "trace check")
            var memory = GatedPFCMemory(items: 1, constants: c)
            memory.present(0, open: r == c.rMDOpen)
            memory.advance(to: duration)
            let simulated = (pop.rates[0] - 0.5) / epsilon
            #expect(abs(simulated - memory.trace[0]) < 1e-3 * max(memory.trace[0], 1e-2), "r_MD \(r)")
        }
    }

    @Test func memoryDecaysExactlyAndReadsOutTheStrongest() {
        var c = GatedPFCMemory.Constants()
        c.readoutNoise = 0
        var m = GatedPFCMemory(items: 3, constants: c)
        m.present(0, open: true)
        m.advance(to: 500)
        m.present(2, open: false)
        #expect(m.load == 1)
        m.advance(to: 1000)
        #expect(abs(m.trace[0] - exp(-1000 / 2000.0)) < 1e-12)
        #expect(abs(m.trace[2] - exp(-500 / 200.0)) < 1e-12)
        #expect(m.trace[1] == 0)
        var rng = SeededGenerator(seed: 1)
        #expect(m.readout(using: &rng) == 0)
        // Ties (every trace 0, no noise) are broken uniformly at random.
        let empty = GatedPFCMemory(items: 4, constants: c)
        var counts = [0, 0, 0, 0]
        for _ in 0..<4000 { counts[empty.readout(using: &rng)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 1000) < 120 }, "\(counts)")
    }

    @Test func trialsHaveTheAgreedShape() {
        let task = GatingTask(items: 4, distractors: 3, delay: 2000)
        var rng = SeededGenerator(seed: 3)
        var cueCounts = [0, 0, 0, 0]
        for _ in 0..<2000 {
            let t = task.drawTrial(using: &rng)
            #expect(t.items.count == 4 && t.items[0] == t.cue && t.itemCount == 4)
            #expect(t.items.dropFirst().allSatisfy { $0 != t.cue && $0 >= 0 && $0 < 4 })
            #expect(t.times == [0, 500, 1000, 1500] && t.delay == 2000)
            cueCounts[t.cue] += 1
        }
        #expect(cueCounts.allSatisfy { abs($0 - 500) < 80 }, "\(cueCounts)")
        #expect(task.chance == 0.25)
    }

    @Test func fixedGatesWithoutNoise() {
        var c = GatedPFCMemory.Constants()
        c.readoutNoise = 0
        let trial = GatingTrial(cue: 1, items: [1, 0, 3, 2], times: [0, 500, 1000, 1500], delay: 2000, itemCount: 4)
        var agent = GatingAgent(alphaActor: 0.2, alphaCritic: 0.1)
        var memory = GatedPFCMemory(items: 4, constants: c)
        let naive = agent
        var policyRNG = SeededGenerator(seed: 1), readoutRNG = SeededGenerator(seed: 2)
        // Always open: every item is held and the most recent distractor is the strongest.
        let open = agent.runTrial(
            trial, in: &memory, policy: .alwaysOpen, learn: true,
            policyRNG: &policyRNG, readoutRNG: &readoutRNG)
        #expect(open.reported == 2 && open.reward == 0 && open.gates == [true, true, true, true])
        // Always closed: the last distractor (age 500 ms, τ_eff 200 ms) still beats the faded cue.
        let closed = agent.runTrial(
            trial, in: &memory, policy: .alwaysClosed, learn: true,
            policyRNG: &policyRNG, readoutRNG: &readoutRNG)
        #expect(closed.reported == 2 && closed.gates == [false, false, false, false])
        #expect(agent == naive && open.deltas.isEmpty)  // fixed gates never learn
        // The learned policy draws one gate per item and learns from one δ per transition.
        let learned = agent.runTrial(
            trial, in: &memory, policy: .learned, learn: true,
            policyRNG: &policyRNG, readoutRNG: &readoutRNG)
        #expect(learned.gates.count == 4 && learned.deltas.count == 4)
        // First transition from a zero critic: δ = 0 until the terminal one, δ = r.
        #expect(learned.deltas.dropLast().allSatisfy { $0 == 0 } && learned.deltas.last == learned.reward)
    }

    /// Trains a gating agent for 1000 trials on the default task; returns P(open | cue),
    /// P(open | distractor) and the accuracy over the last 200 trials.
    private func trainGate(seed: UInt64, criticSeesLoad: Bool) -> (cue: Double, distractor: Double, accuracy: Double) {
        let task = GatingTask(items: 4, distractors: 3, delay: 2000), c = GatedPFCMemory.Constants()
        var agent = GatingAgent(alphaActor: 0.2, alphaCritic: 0.1, criticSeesLoad: criticSeesLoad)
        var trialRNG = SeededGenerator(seed: seed, stream: 0), readoutRNG = SeededGenerator(seed: seed, stream: 1)
        var policyRNG = SeededGenerator(seed: seed, stream: 2)
        var correct = 0, memory = GatedPFCMemory(items: 4, constants: c)
        for n in 0..<1000 {
            let outcome = agent.runTrial(
                task.drawTrial(using: &trialRNG), in: &memory, policy: .learned, learn: true,
                policyRNG: &policyRNG, readoutRNG: &readoutRNG)
            if n >= 800 && outcome.correct { correct += 1 }
        }
        return (agent.openProbability(cue: true), agent.openProbability(cue: false), Double(correct) / 200)
    }

    @Test func storingTheCueIsCreditedOnlyIfTheCriticSeesTheMemory() {
        var modelAccuracy = [Double](), blindAccuracy = [Double](), blindCue = [Double]()
        for seed in UInt64(1)...5 {
            let model = trainGate(seed: seed, criticSeesLoad: true)
            #expect(model.cue > 0.9 && model.distractor < 0.1 && model.accuracy > 0.7, "seed \(seed): \(model)")
            // Lesion: the critic sees only the trial phase. Closing the gate for distractors is
            // still learned (from the last distractor's δ = r − V), storing the cue is not: its
            // P(open) drifts around ½. Measured over seeds 1–20: P(open | cue) 0.23–0.71
            // (mean 0.50), accuracy 0.29–0.68 (mean 0.51) against 0.83–0.90 (mean 0.86) with
            // the load visible.
            let blind = trainGate(seed: seed, criticSeesLoad: false)
            #expect(blind.distractor < 0.1 && blind.cue < 0.85, "seed \(seed): \(blind)")
            modelAccuracy.append(model.accuracy)
            blindAccuracy.append(blind.accuracy)
            blindCue.append(blind.cue)
        }
        let mean = { (x: [Double]) in x.reduce(0, +) / Double(x.count) }
        #expect(mean(blindCue) < 0.7, "\(blindCue)")
        #expect(mean(modelAccuracy) - mean(blindAccuracy) > 0.2, "\(modelAccuracy) vs \(blindAccuracy)")
    }

    @Test func featuresCodeContextAndLoad() {
        let slot = GatingAgent(alphaActor: 0.1, alphaCritic: 0.1)
        #expect(slot.actorFeatures(position: 0, item: 2) == [1, 0])
        #expect(slot.actorFeatures(position: 3, item: 1) == [0, 1])
        // With the item's identity: one-hot over (slot, item), cue slot first.
        let slotItem = GatingAgent(alphaActor: 0.1, alphaCritic: 0.1, actorState: .slotItem, items: 3)
        #expect(slotItem.actorFeatures(position: 0, item: 2) == [0, 0, 1, 0, 0, 0])
        #expect(slotItem.actorFeatures(position: 3, item: 1) == [0, 0, 0, 0, 1, 0])
        #expect(slotItem.openProbability(cue: true) == 0.5)
        #expect(GatingAgent.criticFeatures(position: 0, load: 0) == [1, 0, 0, 0])
        #expect(GatingAgent.criticFeatures(position: 2, load: 1) == [0, 0, 1, 0])
        #expect(GatingAgent.criticFeatures(position: 1, load: 5) == [0, 0, 0, 1])
        let agent = GatingAgent(alphaActor: 0.1, alphaCritic: 0.1)
        #expect(agent.openProbability(cue: true) == 0.5 && agent.openProbability(cue: false) == 0.5)
    }
}
