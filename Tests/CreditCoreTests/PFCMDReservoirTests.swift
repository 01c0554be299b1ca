import CKernels
import XCTest

@testable import CreditCore

final class PFCMDReservoirTests: XCTestCase {
    /// J: each row's mean is removed; the entries' variance is G² / (2n) (here n = 40, G = 0.75).
    func testRecurrentWeightStatistics() {
        let net = PFCMDReservoir(seed: 3, groupSize: 40)
        let n = net.units
        var sumSquares = 0.0
        for i in 0..<n {
            var rowSum = 0.0
            for j in 0..<n {
                let w = net.recurrent[j * n + i]
                rowSum += w
                sumSquares += w * w
            }
            XCTAssertEqual(rowSum, 0, accuracy: 1e-12)
        }
        let variance = sumSquares / Double(n * n)
        XCTAssertEqual(variance, 0.75 * 0.75 / 80, accuracy: 0.05 * 0.75 * 0.75 / 80)
        // Cue weights: U(0.5, 1) × 1.5 on groups 0–3, none on the unassigned group.
        XCTAssertTrue(net.inputWeights[0..<160].allSatisfy { $0 >= 0.75 && $0 <= 1.5 })
        XCTAssertTrue(net.inputWeights[160..<200].allSatisfy { $0 == 0 })
    }

    /// MD on for context 0: gain 9 on groups 0–1, gain 1 and −10 elsewhere; MD off: gain 3, no offset.
    func testCouplings() {
        var net = PFCMDReservoir(seed: 1, groupSize: 10, coupling: .amplifying())
        net.setMD(net.md(context: 0))
        for i in 0..<net.units {
            XCTAssertEqual(net.currentGain[i], i < 20 ? 9 : 1)
            XCTAssertEqual(net.currentOffset[i], i < 20 ? 0 : -10)
        }
        net.setMD(net.md(context: 1))
        XCTAssertEqual(net.currentGain[25], 9)
        XCTAssertEqual(net.currentOffset[5], -10)
        XCTAssertEqual(net.currentOffset[45], -10)
        net.setCoupling(.uniform())
        net.setMD(net.md(context: 1))
        XCTAssertTrue(net.currentGain.allSatisfy { $0 == 3 })
        XCTAssertTrue(net.currentOffset.allSatisfy { $0 == 0 })
    }

    /// One step equals the equation computed densely, row by row (checks the sparse,
    /// four-columns-at-a-time J r).
    func testStepMatchesTheEquation() {
        var net = PFCMDReservoir(seed: 5, groupSize: 13)
        var rng = SeededGenerator(seed: 9)
        net.setMD(net.md(context: 1))
        net.reset(using: &rng)
        for _ in 0..<7 { net.step(cue: 2) }
        let (x, r, n) = (net.state, net.rates, net.units)
        net.step(cue: 2)
        for i in 0..<n {
            var jr = 0.0
            for j in 0..<n { jr += net.recurrent[j * n + i] * r[j] }
            let input = net.currentGain[i] * jr + net.currentOffset[i] + (net.units(ofGroup: 2).contains(i) ? net.inputWeights[i] : 0)
            let expected = x[i] + net.dt / net.tau * (-x[i] + input)
            XCTAssertEqual(net.state[i], expected, accuracy: 1e-12)
            XCTAssertEqual(net.rates[i], max(tanh(expected), 0), accuracy: 1e-12)
        }
    }

    /// The column kernel J r (CKernels, at this CPU's widest vectors) gives the bits of the sums
    /// in the order its header states, for every count of active columns (groups of eight, four
    /// and single columns, in a shuffled order), and d is overwritten.
    func testActiveColumnSumsFollowTheStatedOrder() {
        var rng = SeededGenerator(seed: 21)
        let n = 21
        let columns = (0..<(n * n)).map { _ in rng.gaussian() }
        let r = (0..<n).map { _ in rng.uniform(in: -1...1) }
        var order = Array(0..<n)
        rng.shuffle(&order)
        for count in 0...n {
            let active = Array(order.prefix(count))
            var expected = [Double](repeating: 0, count: n)
            var q = 0
            func term(_ k: Int, _ i: Int) -> Double { columns[active[q + k] * n + i] * r[active[q + k]] }
            while q + 8 <= count {
                for i in 0..<n {
                    let low = (term(0, i) + term(1, i)) + (term(2, i) + term(3, i))
                    let high = (term(4, i) + term(5, i)) + (term(6, i) + term(7, i))
                    expected[i] += low + high
                }
                q += 8
            }
            while q + 4 <= count {
                for i in 0..<n { expected[i] += (term(0, i) + term(1, i)) + (term(2, i) + term(3, i)) }
                q += 4
            }
            while q < count {
                for i in 0..<n { expected[i] += term(0, i) }
                q += 1
            }
            var d = [Double](repeating: .nan, count: n)
            ck_sum_active_columns(&d, columns, active, count, r, n)
            XCTAssertEqual(d.map(\.bitPattern), expected.map(\.bitPattern), "\(count) active columns")
        }
    }

    /// Rates stay in [0, 1) under every coupling, with and without the cue.
    func testRatesAreNonNegativeAndBounded() {
        for coupling in [MDCoupling.amplifying(), .uniform(), .amplifying(inhibition: 0)] {
            var net = PFCMDReservoir(seed: 2, groupSize: 20, coupling: coupling)
            var rng = SeededGenerator(seed: 4)
            net.setMD(net.md(context: 0))
            net.reset(using: &rng)
            for t in 0..<200 {
                net.step(cue: t < 100 ? 0 : nil)
                XCTAssertTrue(net.rates.allSatisfy { $0 >= 0 && $0 < 1 }, "\(coupling) step \(t)")
            }
        }
    }

    /// With MD on, the other context's units and the unassigned group are silent from the first
    /// step on (−10 outweighs their recurrent input), while the current context is active;
    /// a deliberate bug, the gain on every unit, wakes some of them up on at least one seed.
    func testInhibitedGroupsAreSilent() {
        func silentAfterFirstStep(_ coupling: MDCoupling, seed: UInt64) -> (silent: Bool, activeContext: Bool) {
            var net = PFCMDReservoir(seed: seed, groupSize: 20, coupling: coupling)
            var rng = SeededGenerator(seed: seed &+ 100)
            net.setMD(net.md(context: 1))
            var silent = true, active = false
            for _ in 0..<10 {
                net.reset(using: &rng)
                for t in 0..<200 {
                    net.step(cue: t < 100 ? 2 + t % 2 : nil)
                    let others = Array(net.units(ofContext: 0)) + Array(net.units(ofGroup: 4))
                    silent = silent && others.allSatisfy { net.rates[$0] == 0 }
                    active = active || net.units(ofContext: 1).contains { net.rates[$0] > 0.5 }
                }
            }
            return (silent, active)
        }
        for seed in UInt64(1)...5 {
            let (silent, active) = silentAfterFirstStep(.amplifying(), seed: seed)
            XCTAssertTrue(silent, "seed \(seed)")
            XCTAssertTrue(active, "seed \(seed)")
        }
        let buggy = MDCoupling(contextGain: 8, otherGain: 8, inhibition: -10)
        XCTAssertTrue((UInt64(1)...5).contains { !silentAfterFirstStep(buggy, seed: $0).silent })
    }

    /// The same seed gives the same network and the same trajectory; another seed does not.
    func testDeterminism() {
        func trajectory(_ seed: UInt64) -> [Double] {
            var net = PFCMDReservoir(seed: seed, groupSize: 10, coupling: .uniform())
            var rng = SeededGenerator(seed: seed)
            var readout = PFCReadout(inputs: net.units, rng: &rng)
            net.setMD(net.md(context: 0))
            net.reset(using: &rng)
            for t in 0..<200 {
                readout.step(rates: net.rates, target: [1, 0], tau: 20, dt: 1, learningRate: 1e-3)
                net.step(cue: t < 100 ? 0 : nil)
            }
            return net.state + readout.weights
        }
        XCTAssertEqual(trajectory(7), trajectory(7))
        XCTAssertNotEqual(trajectory(7), trajectory(8))
    }

    /// `runTrial` is the step-by-step loop of the experiment: same error, same weights.
    func testRunTrialMatchesTheManualLoop() {
        let base = PFCMDReservoir(seed: 4, groupSize: 12, coupling: .uniform())
        var init0 = SeededGenerator(seed: 4)
        let readout0 = PFCReadout(inputs: base.units, rng: &init0)
        var (netA, readoutA, rngA) = (base, readout0, SeededGenerator(seed: 11))
        let errorA = netA.runTrial(
            cue: 3, md: netA.md(context: 1), steps: 200, cueSteps: 100, readout: &readoutA, target: [0, 1], learningRate: 1e-3,
            rng: &rngA)
        var (netB, readoutB, rngB) = (base, readout0, SeededGenerator(seed: 11))
        netB.setMD(netB.md(context: 1))
        netB.reset(using: &rngB)
        var errorB = 0.0
        for t in 0..<200 {
            readoutB.step(rates: netB.rates, target: [0, 1], tau: 20, dt: 1, learningRate: 1e-3)
            errorB += readoutB.error.reduce(0) { $0 + $1 * $1 }
            netB.step(cue: t < 100 ? 3 : nil)
        }
        XCTAssertEqual(errorA, errorB / 400, accuracy: 1e-15)
        XCTAssertEqual(readoutA.weights, readoutB.weights)
        XCTAssertEqual(netA.state, netB.state)
    }

    /// The delta rule lowers the readout's error on a repeated trial.
    func testReadoutLearns() {
        var net = PFCMDReservoir(seed: 1, groupSize: 20)
        var rng = SeededGenerator(seed: 1)
        var readout = PFCReadout(inputs: net.units, rng: &rng)
        net.setMD(net.md(context: 0))
        func trialError(learning: Double) -> Double {
            var trial = SeededGenerator(seed: 42)
            net.reset(using: &trial)
            readout.reset()
            var e = 0.0
            for t in 0..<200 {
                readout.step(rates: net.rates, target: [1, 0], tau: 20, dt: 1, learningRate: learning)
                e += readout.error.reduce(0) { $0 + $1 * $1 }
                net.step(cue: t < 100 ? 0 : nil)
            }
            return e / 400
        }
        let before = trialError(learning: 0)
        for _ in 0..<20 { _ = trialError(learning: 2e-3) }
        XCTAssertLessThan(trialError(learning: 0), 0.5 * before)
    }
}
