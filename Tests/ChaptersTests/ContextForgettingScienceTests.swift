// The science of Chapter 4, part 2 (conflicting maps, forgetting and what prevents it), asserted
// with numbers over 10 seeds at the default parameters (N = 8 × 20, S = 4, T = 100, η = 0.02,
// σ_ctx = 0.5, λ = 20, B = 8, XdG keeps 20 %). Margins come from the measured values in comments.
@testable import CreditCore
import Testing

@testable import Chapters

private let tenSeeds = ForgettingParameters()
private let sharedForgetting = Result { try runForgetting(tenSeeds, methods: ForgettingMethod.thisPart) }
private let sharedCapacity = Result { try runCapacity(tenSeeds, methods: ForgettingMethod.thisPart) }

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
        // … and C1 falls below chance after C2: measured mean 0.025 (one seed 0.25, the rest 0).
        let after = r.accuracy(method: m, block: 2, context: 0)
        #expect(mean(after) <= 0.25, "C1 after C2: \(after)")
        #expect(after.allSatisfy { $0 <= 0.5 }, "C1 after C2: \(after)")
        // Alternating blocks slowly find a joint solution (alternating projections): measured C1
        // after the second C2 block 0.725, after the third 1.0.
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

    @Test func quickRunsAndIsDeterministic() throws {
        let p = ForgettingParameters(quick: true)
        let a = try runForgetting(p, methods: ForgettingMethod.thisPart)
        let b = try runForgetting(p, methods: ForgettingMethod.thisPart)
        #expect(a.csv == b.csv && a.criterionCSV == b.criterionCSV)
        #expect(a.csv.header == ["method", "seed", "block", "context", "accuracy"])
    }
}
