// The science of Chapter 4, part 2 (conflicting maps, forgetting and what prevents it), asserted
// with numbers over 10 seeds at the default parameters (N = 8 × 20, S = 4, T = 100, η = 0.02,
// σ_ctx = 0.5, λ = 20, B = 8, XdG keeps 20 %). Margins come from the measured values in comments.
@testable import CreditCore
import Testing

@testable import Chapters

private let tenSeeds = ForgettingParameters()
private let sharedForgetting = Result { try runForgetting(tenSeeds, methods: ForgettingMethod.withoutBasalGanglia) }
private let sharedCapacity = Result { try runCapacity(tenSeeds, methods: ForgettingMethod.withoutBasalGanglia) }

private func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

/// Method index by id.
private func index(_ r: ForgettingResult, _ method: ForgettingMethod) throws -> Int { try #require(r.index(of: method.id)) }

@Suite("Context forgetting science", .serialized)
struct ContextForgettingScienceTests {
    @Test func withoutTheThalamusC2OverwritesC1() throws {
        let r = try sharedForgetting.get()
        #expect(r.seeds.count >= 5)
        let m = try index(r, .noThalamus)
        // C1 is learned in block 1 (measured 1.0 on every seed) …
        #expect(r.accuracy(method: m, block: 1, context: 0).allSatisfy { $0 == 1 })
        // … C2 in block 2 (1.0 on every seed) …
        #expect(r.accuracy(method: m, block: 2, context: 1).allSatisfy { $0 >= 0.75 })
        // … and C1 falls below chance after C2: measured mean 0.1 (0.5 on one seed, 0.25 on two, 0 on seven).
        let after = r.accuracy(method: m, block: 2, context: 0)
        #expect(mean(after) <= 0.25, "C1 after C2: \(after)")
        #expect(after.allSatisfy { $0 <= 0.5 }, "C1 after C2: \(after)")
        // Alternating blocks slowly find a joint solution (alternating projections): measured C1
        // after the second C2 block 0.575, after the third 0.85.
        #expect(mean(r.accuracy(method: m, block: 4, context: 0)) > mean(after) + 0.3)
    }

    @Test func mdOracleRetainsEveryContext() throws {
        let r = try sharedForgetting.get()
        let m = try index(r, .mdOracle)
        // Measured: 1.0 on every seed after every block once a context has been trained.
        for b in 1...r.blockContexts.count {
            #expect(r.accuracy(method: m, block: b, context: 0).allSatisfy { $0 >= 0.9 }, "C1 after block \(b)")
            if b >= 2 { #expect(r.accuracy(method: m, block: b, context: 1).allSatisfy { $0 >= 0.9 }, "C2 after block \(b)") }
        }
        let c = try sharedCapacity.get()
        let mc = try #require(c.methods.firstIndex { $0.id == ForgettingMethod.mdOracle.id })
        for (i, k) in c.contexts.enumerated() {
            #expect(c.retention[mc][i].allSatisfy { $0 >= 0.9 }, "K = \(k): \(c.retention[mc][i])")
        }
    }

    /// The protection comes from silencing the other groups: the same MD gain without the −10
    /// inhibition leaves every unit active, and C2 overwrites C1 again (measured 0.0 on every seed,
    /// while C2 is learned: 1.0).
    @Test func withoutTheInhibitionTheOracleForgets() throws {
        var p = tenSeeds
        p.mdInhibition = 0
        let r = try runForgetting(p, methods: [.mdOracle])
        let after = r.accuracy(method: 0, block: 2, context: 0)
        #expect(r.accuracy(method: 0, block: 1, context: 0).allSatisfy { $0 == 1 })
        #expect(mean(after) <= 0.25 && after.allSatisfy { $0 <= 0.5 }, "C1 after C2 without inhibition: \(after)")
    }

    /// The order the forgetting and capacity figures show. After the first C2 block (measured):
    /// MD oracle, readout per context, replay, XdG 1.0; EWC 0.825; no thalamus 0.025. At K = 8:
    /// oracle and readout per context 1.0, replay 0.993, XdG 0.929, EWC 0.636, no thalamus 0.514.
    @Test func methodRanking() throws {
        let r = try sharedForgetting.get()
        func c1AfterC2(_ method: ForgettingMethod) throws -> Double { mean(r.accuracy(method: try index(r, method), block: 2, context: 0)) }
        for method in [ForgettingMethod.mdOracle, .growing, .replay, .xdg] {
            #expect(try c1AfterC2(method) >= 0.95, "\(method.id)")
        }
        let ewc = try c1AfterC2(.ewc), none = try c1AfterC2(.noThalamus)
        #expect(ewc > none + 0.4 && ewc < 0.95, "EWC \(ewc), no thalamus \(none)")
        // EWC pays in plasticity: C2 takes longest to learn in the first C2 block (median
        // measured 11.5 trials, against 4 for a readout per context and 6.5 without the thalamus).
        let median = { (m: ForgettingMethod) throws -> Double in
            let v = r.runs[try index(r, m)].map { Double($0.trialsToCriterion[1] ?? r.trialsPerBlock) }.sorted()
            return (v[v.count / 2 - 1] + v[v.count / 2]) / 2
        }
        #expect(try median(.ewc) > median(.growing) && median(.ewc) > median(.noThalamus))

        let c = try sharedCapacity.get()
        func retention(_ method: ForgettingMethod, _ k: Int) throws -> Double {
            let m = try #require(c.methods.firstIndex { $0.id == method.id })
            return mean(c.retention[m][try #require(c.contexts.firstIndex(of: k))])
        }
        let k = c.contexts.max()!
        #expect(try retention(.mdOracle, k) >= 0.99 && retention(.growing, k) >= 0.99)
        #expect(try retention(.replay, k) >= 0.95)
        #expect(try retention(.xdg, k) >= 0.85 && retention(.xdg, k) < retention(.replay, k))
        #expect(try retention(.ewc, k) < retention(.xdg, k) - 0.15)
        #expect(try retention(.ewc, k) > retention(.noThalamus, k))
        #expect(try c.contexts.allSatisfy { try retention(.noThalamus, $0) <= 0.6 })
        // EWC also stops learning new contexts (measured accuracy on C8 0.65).
        let ewcIndex = try #require(c.methods.firstIndex { $0.id == ForgettingMethod.ewc.id })
        #expect(mean(c.newest[ewcIndex][c.contexts.count - 1]) < 0.8)
    }

    /// Trials to criterion in the first C2 block, median over 10 seeds (measured): readout per
    /// context 3.5, no thalamus 5, MD oracle 7.5, XdG 8.5, replay 8.5, EWC 14; and the shared
    /// network's savings in blocks 3–6 (means 5.5, 4.8, 3.6, 2.9) while every protecting method
    /// is right after one trial.
    @Test func learningSpeed() throws {
        let r = try sharedForgetting.get()
        func trials(_ method: ForgettingMethod, block: Int) throws -> [Double] {
            r.runs[try index(r, method)].map { Double($0.trialsToCriterion[block] ?? r.trialsPerBlock) }
        }
        func median(_ v: [Double]) -> Double {
            let s = v.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        let expected: [(ForgettingMethod, Double)] = [
            (.growing, 3.5), (.mdOracle, 7.5), (.noThalamus, 5), (.xdg, 8.5), (.replay, 8.5), (.ewc, 14),
        ]
        for (method, value) in expected {
            #expect(abs(try median(trials(method, block: 1)) - value) <= 1, "\(method.id)")
        }
        let savings = try (2..<6).map { mean(try trials(.noThalamus, block: $0)) }
        #expect(zip(savings, savings.dropFirst()).allSatisfy { $0 > $1 }, "no-thalamus relearning: \(savings)")
        #expect(abs(savings[0] - 5.5) < 0.5 && abs(savings[3] - 2.9) < 0.5)
        for method in [ForgettingMethod.mdOracle, .growing, .replay, .xdg] {
            #expect(try (2..<6).allSatisfy { try trials(method, block: $0).allSatisfy { $0 == 1 } }, "\(method.id)")
        }
    }

    /// Exercise 6: the weaker the context input, the more the two contexts' representations of a
    /// cue overlap and the longer the shared network keeps forgetting. Measured, C1 after blocks
    /// 2 / 4 / 6: σ_ctx = 1, 0.35 / 1.0 / 1.0; the default σ_ctx = 0.5, 0.1 after block 2;
    /// σ_ctx = 0.25, 0.0 / 0.05 / 0.2. The MD oracle stays at 1.0 in both.
    @Test func contextInputStrengthSetsHowLongForgettingLasts() throws {
        func run(_ sd: Double) throws -> [[Double]] {
            var p = tenSeeds
            p.contextWeight = sd
            let r = try runForgetting(p, methods: [.noThalamus, .mdOracle])
            #expect(r.accuracy(method: 1, block: p.blocks, context: 0).allSatisfy { $0 == 1 }, "oracle, σ_ctx = \(sd)")
            return [2, 4, 6].map { b in r.accuracy(method: 0, block: b, context: 0) }
        }
        let strong = try run(1), weak = try run(0.25)
        let base = try sharedForgetting.get()
        let baseAfter = mean(base.accuracy(method: try index(base, .noThalamus), block: 2, context: 0))
        #expect(mean(strong[0]) >= baseAfter + 0.15 && mean(strong[1]) >= 0.95, "σ_ctx = 1: \(strong.map(mean)), default \(baseAfter)")
        #expect(mean(weak[0]) <= 0.1 && mean(weak[1]) <= 0.1 && mean(weak[2]) <= 0.4, "σ_ctx = 0.25: \(weak.map(mean))")
    }

    /// EWC trades plasticity for stability through λ (the prose's exercise). Measured, C1 after the
    /// first C2 block / C2 after it: λ = 5, 0.6 / 1.0; λ = 100, 1.0 / 0.85.
    @Test func ewcLambdaTradesPlasticityForStability() throws {
        func run(_ lambda: Double) throws -> (c1: Double, c2: Double) {
            var p = tenSeeds
            p.ewcLambda = lambda
            let r = try runForgetting(p, methods: [.ewc])
            return (mean(r.accuracy(method: 0, block: 2, context: 0)), mean(r.accuracy(method: 0, block: 2, context: 1)))
        }
        let soft = try run(5), stiff = try run(100)
        #expect(stiff.c1 > soft.c1 + 0.2, "C1 retained: λ = 5 \(soft.c1), λ = 100 \(stiff.c1)")
        #expect(stiff.c2 < soft.c2 - 0.1, "C2 learned: λ = 5 \(soft.c2), λ = 100 \(stiff.c2)")
    }

    /// Memory per context in numbers, as the prose's table states (N = 160, n = 20, 2 actions, B = 8).
    @Test func memoryPerContextAsStated() throws {
        let r = try sharedForgetting.get()
        let expected: [(ForgettingMethod, Double)] = [
            (.noThalamus, 0), (.mdOracle, 1 + 2 * 20), (.ewc, 2 * 2 * 160), (.growing, 2 * 160), (.replay, 3 * 8), (.xdg, 160),
        ]
        for (method, value) in expected {
            #expect(r.memoryPerContext(try index(r, method)) == value, "\(method.id)")
        }
        let c = try sharedCapacity.get()
        for (m, method) in c.methods.enumerated() {
            let v = try #require(expected.first { $0.0.id == method.id }).1
            #expect(c.memory[m].allSatisfy { $0 == v }, "\(method.id): \(c.memory[m])")
        }
    }

    /// A learning rate at which the delta rule on all 160 active units diverges (η |r|² > 2) stops
    /// those methods at the block where it happened; the MD oracle (20 active units) still runs.
    /// When every method diverges, the comparison throws.
    @Test func divergingMethodsStopAndTheOthersGoOn() throws {
        var p = ForgettingParameters(quick: true)
        p.learningRate = 0.1
        let r = try runForgetting(p, methods: ForgettingMethod.withoutBasalGanglia)
        let none = try index(r, .noThalamus), oracle = try index(r, .mdOracle)
        #expect(r.divergence(method: none) != nil && r.completedBlocks(method: none) < p.blocks)
        #expect(r.divergence(method: oracle) == nil && r.completedBlocks(method: oracle) == p.blocks)
        p.learningRate = 1
        #expect(throws: DivergenceError.self) { try runForgetting(p, methods: ForgettingMethod.withoutBasalGanglia) }
    }

    @Test func quickRunsAndIsDeterministic() throws {
        let p = ForgettingParameters(quick: true)
        let a = try runForgetting(p, methods: ForgettingMethod.withoutBasalGanglia)
        let b = try runForgetting(p, methods: ForgettingMethod.withoutBasalGanglia)
        #expect(a.csv == b.csv && a.criterionCSV == b.criterionCSV)
        #expect(a.csv.header == ["method", "seed", "block", "context", "accuracy"])
    }
}
