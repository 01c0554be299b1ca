import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif
@testable import CreditCore

@Suite("Records, runner, divergence, CSV")
struct RecordTests {
    @Test func meanAndSEMOnKnownNumbers() {
        let s = MeanSEM([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(s.mean == 5)
        // Sample variance 32/7; SEM = √(32/7) / √8.
        #expect(abs(s.sem - (32.0 / 7).squareRoot() / 8.0.squareRoot()) < 1e-14)
        #expect(MeanSEM([3]).sem == 0)
        let stats = SeedStatistics([
            Curve(name: "c", y: [1, 2, 3]),
            Curve(name: "c", y: [3, 2, 7]),
        ])
        #expect(stats.mean == [2, 2, 5])
        #expect(stats.sem == [1, 0, 2])  // sd = |a−b|/√2, SEM = sd/√2 = |a−b|/2
        #expect(stats.x == [0, 1, 2])
        #expect(stats.seedCount == 2)
        let records = [
            SeedRecord(seed: 1, curves: [Curve(name: "c", y: [1])]),
            SeedRecord(seed: 2, curves: [Curve(name: "c", y: [5])]),
        ]
        #expect(SeedStatistics(records, curve: "c").mean == [3])
    }

    @Test func parallelRunnerEqualsSerialInSeedOrder() throws {
        let work: @Sendable (UInt64) -> [Double] = { seed in
            var g = SeededGenerator(seed: seed)
            var acc = 0.0
            // Uneven work so seeds finish out of order.
            for _ in 0..<(Int(seed % 5) * 20_000) { acc += g.uniform() }
            return [Double(seed), acc, g.gaussian()]
        }
        let seeds = MultiSeedRunner.seeds(first: 100, count: 13)
        #expect(seeds.first == 100 && seeds.last == 112)
        let serial = try MultiSeedRunner.run(seeds: seeds, parallel: false, work)
        let parallel = try MultiSeedRunner.run(seeds: seeds, parallel: true, work)
        let three = try MultiSeedRunner.run(seeds: seeds, parallel: true, maxWorkers: 3, work)
        #expect(serial == parallel)
        #expect(serial == three)
        #expect(parallel.map { $0[0] } == seeds.map { Double($0) })
        let defaults = try MultiSeedRunner.run(seeds: MultiSeedRunner.seeds(first: 100, count: 13), work)
        #expect(defaults == serial)
        // `credit bench --workers 1`: the cap holds for every later run and lifts again.
        MultiSeedRunner.limitWorkers(to: 1)
        #expect(MultiSeedRunner.workerCount == 1)
        #expect(try MultiSeedRunner.run(seeds: seeds, work) == serial)
        MultiSeedRunner.limitWorkers(to: 0)
        #expect(MultiSeedRunner.workerCount == MultiSeedRunner.activeProcessorCount())
    }

    /// A run inside another run's job gets threads of its own: its two jobs can only finish if
    /// they run at the same time (each waits, up to 20 s, for the other to arrive), while the
    /// outer run's other job has long returned. A nested run executed serially fails this.
    @Test func nestedRunsRunConcurrently() throws {
        let arrived = Atomic<Int>(0)
        let results = try MultiSeedRunner.map(count: 2, maxWorkers: 2) { outer -> [Bool] in
            guard outer == 1 else { return [] }
            return try MultiSeedRunner.map(count: 2, maxWorkers: 2) { _ -> Bool in
                arrived.add(1, ordering: .relaxed)
                for _ in 0..<20_000 {
                    if arrived.load(ordering: .relaxed) == 2 { return true }
                    usleep(1000)
                }
                return false
            }
        }
        #expect(results[1] == [true, true])
    }

    struct SeedFailure: Error, Equatable { let seed: UInt64 }

    @Test func firstErrorInSeedOrderPropagates() {
        for parallel in [false, true] {
            #expect(throws: SeedFailure(seed: 3)) {
                _ = try MultiSeedRunner.run(seeds: [1, 2, 3, 4, 5, 6], parallel: parallel) { seed -> Int in
                    if seed == 3 || seed == 5 { throw SeedFailure(seed: seed) }
                    return Int(seed)
                }
            }
        }
    }

    @Test func divergenceNamesRunAndParameters() {
        let params = [RunParameter("alpha", 3), RunParameter("gamma", 1)]
        do {
            try checkFinite([0, 1, .nan], run: "rpe-transfer", step: 12, parameters: params)
            Issue.record("NaN was not detected")
        } catch let e as DivergenceError {
            #expect(e.description == "run 'rpe-transfer' diverged at trial 12 (alpha=3, gamma=1): value is nan")
            #expect(e.step == 12)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: DivergenceError.self) {
            try checkFinite([-.infinity], run: "x", step: 0, parameters: [])
        }
        #expect(throws: DivergenceError.self) {
            try DivergenceGuard(run: "walk", stepName: "episode", parameters: params, bound: 1e6).check(2e6, step: 4)
        }
        let g = DivergenceGuard(run: "walk", stepName: "episode", parameters: [RunParameter("alpha", 0.5)], bound: 10)
        do {
            try g.check([1, -20], step: 4)
        } catch {
            #expect("\(error)" == "run 'walk' diverged at episode 4 (alpha=0.5): |value| = 20 exceeds 10")
        }
        // Finite, in-bound values pass.
        #expect(throws: Never.self) { try checkFinite([0, 1e300, -2], run: "ok", step: 1, parameters: params) }
    }

    @Test func numberFormattingIsDeterministic() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-2, "-2"), (0.1, "0.1"), (0.30000000000000004, "0.3"),
            (1.0 / 3, "0.3333333333"), (2.0 / 3, "0.6666666667"), (123.456, "123.456"),
            (1e-4, "0.0001"), (1.5e-7, "1.5e-07"), (12_345_678_901, "1.23456789e+10"),
            (9_999_999_999.6, "1e+10"), (999_999_999, "999999999"), (0.99999999999, "1"),
            (1e100, "1e+100"), (-2.5e-300, "-2.5e-300"), (Double.leastNonzeroMagnitude, "4.940656458e-324"),
            (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"), (0.2357022604, "0.2357022604"),
        ]
        for (x, s) in cases { #expect(CSVTable.format(x) == s, "format(\(x))") }
    }

    @Test func csvText() {
        var t = CSVTable(header: ["method", "alpha", "episode", "rms"])
        t.append(["TD", .number(0.1), .int(0), .number(1.0 / 18.0.squareRoot() * 1)])
        t.append([.text("MC, every-visit"), 0.01, 100, .number(0.125)])
        t.append([.text("say \"hi\""), 1, 2, 3])
        let expected =
            "method,alpha,episode,rms\n" + "TD,0.1,0,0.2357022604\n"
            + "\"MC, every-visit\",0.01,100,0.125\n" + "\"say \"\"hi\"\"\",1,2,3\n"
        #expect(t.text == expected)
        var u = CSVTable(header: t.header)
        u.append(contentsOf: t)
        #expect(u == t)
    }
}
