// Chapter 4's contextual task and static PFC–MD network: the maps conflict as stated, the MD
// gain reaches only the selected group, the others are silent, the delta rule is the delta rule.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import CreditCore

private func network(seed: UInt64 = 3, contextSD: Double = 0.5) -> ContextualNetwork {
    var c = ContextualNetworkConfig()
    c.contextWeightSD = contextSD
    var rng = SeededGenerator(seed: seed, stream: 0)
    return ContextualNetwork(config: c, using: &rng)
}

@Suite("Contextual task and network (Chapter 4)")
struct ContextualNetworkTests {
    @Test func contextTwoIsTheOppositeOfContextOne() {
        for seed in UInt64(1)...20 {
            var rng = SeededGenerator(seed: seed)
            let task = ContextualTask(contexts: 8, cues: 4, using: &rng)
            for s in 0..<4 { #expect(task.action(context: 1, cue: s) == 1 - task.action(context: 0, cue: s)) }
            // Opposite pairs, all maps distinct and non-constant.
            for j in stride(from: 0, to: 8, by: 2) {
                #expect(zip(task.maps[j], task.maps[j + 1]).allSatisfy { $0 + $1 == 1 })
            }
            #expect(Set(task.maps).count == 8)
            #expect(task.maps.allSatisfy { Set($0).count == 2 })
        }
        #expect(ContextualTask.maximumContexts(cues: 4) == 14)
        var rng = SeededGenerator(seed: 5)
        #expect(Set(ContextualTask(contexts: 14, cues: 4, using: &rng).maps).count == 14)
    }

    @Test func tasksAndCuesAreDeterministicFromTheSeed() {
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        let ta = ContextualTask(contexts: 4, cues: 4, using: &a), tb = ContextualTask(contexts: 4, cues: 4, using: &b)
        #expect(ta == tb)
        let ca = ta.trialCues(trials: 10, using: &a), cb = tb.trialCues(trials: 10, using: &b)
        #expect(ca == cb)
        // Cycles: each run of 4 trials shows every cue once.
        #expect(Set(ca.prefix(4)) == Set(0..<4) && Set(ca[4..<8]) == Set(0..<4))
        #expect(ContextualTask.blockContexts(blocks: 5, contexts: 2) == [0, 1, 0, 1, 0])
    }

    /// The MD gain 1 + 6/0.75 reaches only the selected group; every other unit gets gain 1 and
    /// −10, which silences it. A network applying the gain to every unit fails this test.
    @Test func mdAmplifiesOnlyTheSelectedGroupAndSilencesTheRest() {
        let net = network()
        let n = net.config.unitsPerGroup
        let inputs = net.config.inputs
        for j in [0, 3, 7] {
            let m = net.mdActivity(selecting: j)
            for cue in 0..<4 {
                let r = net.rates(cue: cue, context: 1, md: m)
                for i in 0..<net.units {
                    let h = net.inputWeights[i * inputs + cue] + net.inputWeights[i * inputs + 4 + 1]
                    if net.group(of: i) == j {
                        #expect(abs(r[i] - max(tanh((1 + 6 / 0.75) * h), 0)) < 1e-15)
                    } else {
                        #expect(r[i] == 0, "unit \(i) outside group \(j) is active")
                        // Gain 1 with −10: the unit would need a drive above 10 to fire.
                        #expect(abs(h) < 10)
                    }
                }
                #expect(r[(j * n)..<((j + 1) * n)].contains { $0 > 0.5 }, "the selected group is silent")
            }
        }
    }

    @Test func mdOffUsesGainThreeEverywhereAndZeroMDIsGainOne() {
        let net = network()
        let inputs = net.config.inputs
        let off = net.rates(cue: 2, context: 0, md: nil)
        let zero = net.rates(cue: 2, context: 0, md: [Double](repeating: 0, count: net.config.mdUnits))
        let noContext = net.rates(cue: 2, context: nil, md: nil)
        for i in 0..<net.units {
            let hc = net.inputWeights[i * inputs + 2]
            let h = hc + net.inputWeights[i * inputs + 4]
            #expect(abs(off[i] - max(tanh(3 * h), 0)) < 1e-15)
            #expect(abs(zero[i] - max(tanh(h), 0)) < 1e-15)
            #expect(abs(noContext[i] - max(tanh(3 * hc), 0)) < 1e-15)
        }
        // About half the units are active without the thalamus.
        let active = off.filter { $0 > 0 }.count
        #expect(active > net.units / 3 && active < 2 * net.units / 3)
        // XdG's mask multiplies the rates.
        var mask = [Double](repeating: 0, count: net.units)
        mask[5] = 1
        let masked = net.rates(cue: 2, context: 0, md: nil, mask: mask)
        #expect(masked[5] == off[5] && masked.enumerated().allSatisfy { $0.offset == 5 || $0.element == 0 })
    }

    @Test func deltaRuleStepAndChoice() {
        var rng = SeededGenerator(seed: 1)
        var ro = ContextualReadout(units: 3, initialSD: 0, using: &rng)
        #expect(ro.weights == [0, 0, 0, 0, 0, 0])
        let r = [1.0, 0.5, 0]
        let sq = ro.deltaUpdate(rates: r, action: 1, learningRate: 0.1)
        #expect(sq == 1)
        // W[1] += 0.1 · (1 − 0) · r; W[0] unchanged (target 0, output 0).
        #expect(ro.weights == [0, 0, 0, 0.1, 0.05, 0])
        #expect(ro.choice(rates: r) == 1)
        #expect(abs(ro.output(1, rates: r) - 0.125) < 1e-15)
        // Ties go to the lower index.
        #expect(ro.choice(rates: [0, 0, 1]) == 0)
    }

    /// The outputs computed two at a time, the choice and the delta step are bit for bit those
    /// of one output at a time (rows updated in order, each from its own output), for even and
    /// odd numbers of actions; a NaN first output keeps action 0, as the one-at-a-time loop does.
    @Test(arguments: [1, 2, 3, 5])
    func pairedOutputsAreTheSingleOnes(actions: Int) {
        var rng = SeededGenerator(seed: 8)
        var ro = ContextualReadout(actions: actions, units: 37, initialSD: 1, using: &rng)
        let r = (0..<37).map { _ in rng.uniform(in: 0...1) }
        var seen = [Double]()
        ro.forEachOutput(rates: r) { a, y in
            #expect(a == seen.count)
            seen.append(y)
        }
        let single = (0..<actions).map { ro.output($0, rates: r) }
        #expect(seen.map(\.bitPattern) == single.map(\.bitPattern))
        #expect(ro.choice(rates: r) == single.indices.max { single[$0] < single[$1] || (single[$0] == single[$1] && $0 > $1) }!)
        var reference = ro.weights
        var sq = 0.0
        for a in 0..<actions {
            var y = 0.0
            for i in 0..<37 { y += reference[a * 37 + i] * r[i] }
            let err = (a == 1 ? 1.0 : 0.0) - y
            sq += err * err
            for i in 0..<37 { reference[a * 37 + i] += 0.3 * err * r[i] }
        }
        #expect(ro.deltaUpdate(rates: r, action: 1, learningRate: 0.3).bitPattern == sq.bitPattern)
        #expect(ro.weights.map(\.bitPattern) == reference.map(\.bitPattern))
        ro.weights[0] = .nan
        #expect(ro.choice(rates: r) == 0)
    }
}
