import Testing
import Foundation
@testable import CreditCore

@Suite("SeededGenerator")
struct RandomTests {
    @Test func splitMix64MatchesReferenceOutput() {
        // Reference values of SplitMix64 started at state 0 (Vigna's splitmix64.c).
        var sm = SplitMix64(state: 0)
        #expect(sm.next() == 0xE220_A839_7B1D_CDAF)
        #expect(sm.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func xoshiroStepMatchesHandComputation() {
        // State (1, 2, 3, 4): first output rotl(2·5, 7)·9 = 1280·9 = 11520.
        // Then s = (7, 0, 262146, rotl(6, 45)), so the second output is rotl(0, 7)·9 = 0.
        var g = SeededGenerator(state: (1, 2, 3, 4))
        #expect(g.next() == 11520)
        #expect(g.state.0 == 7 && g.state.1 == 0 && g.state.2 == 262_146 && g.state.3 == (6 << 45 | 6 >> 19))
        #expect(g.next() == 0)
    }

    @Test func sameSeedSameSequenceDifferentSeedsDiffer() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<100).map { _ in a.next() }
        let sb = (0..<100).map { _ in b.next() }
        let sc = (0..<100).map { _ in c.next() }
        #expect(sa == sb)
        #expect(sa != sc)
        #expect(Set(zip(sa, sc).map { $0.0 == $0.1 }).count == 1)  // no position agrees
    }

    @Test func streamsAreDistinctAndReproducible() {
        var s0 = SeededGenerator(seed: 7, stream: 0)
        var plain = SeededGenerator(seed: 7)
        #expect(s0.next() == plain.next())
        var s1 = SeededGenerator(seed: 7, stream: 1)
        var s1b = SeededGenerator(seed: 7)
        s1b.jump()
        var s2 = SeededGenerator(seed: 7, stream: 2)
        let x1 = (0..<8).map { _ in s1.next() }
        #expect(x1 == (0..<8).map { _ in s1b.next() })
        #expect(x1 != (0..<8).map { _ in s2.next() })
        #expect(x1 != (0..<8).map { _ in plain.next() })
    }

    @Test func uniformMomentsAndRange() {
        var g = SeededGenerator(seed: 1)
        let n = 100_000
        var xs = [Double]()
        for _ in 0..<n {
            let u = g.uniform()
            #expect(u >= 0 && u < 1)
            xs.append(u)
        }
        let m = MeanSEM(xs)
        #expect(abs(m.mean - 0.5) < 0.005)  // SEM ≈ 0.0009
        #expect(abs(m.sd * m.sd - 1.0 / 12) < 0.002)
        let r = (0..<1000).map { _ in g.uniform(in: -3...5) }
        #expect(r.allSatisfy { $0 >= -3 && $0 < 5 })
        #expect(r.min()! < -2.9 && r.max()! > 4.9)
    }

    @Test func gaussianMoments() {
        var g = SeededGenerator(seed: 2)
        let n = 100_000
        let xs = (0..<n).map { _ in g.gaussian(mean: 2, sd: 3) }
        let m = xs.reduce(0, +) / Double(n)
        let c = xs.map { ($0 - m) / 3 }
        let variance = c.map { $0 * $0 }.reduce(0, +) / Double(n)
        let skew = c.map { $0 * $0 * $0 }.reduce(0, +) / Double(n)
        let kurt = c.map { $0 * $0 * $0 * $0 }.reduce(0, +) / Double(n)
        #expect(abs(m - 2) < 0.03)  // SEM ≈ 0.0095
        #expect(abs(variance - 1) < 0.02)
        #expect(abs(skew) < 0.03)
        #expect(abs(kurt - 3) < 0.08)
        // About 68.3% within one sd.
        let within = Double(xs.filter { abs($0 - 2) < 3 }.count) / Double(n)
        #expect(abs(within - 0.6827) < 0.006)
    }

    /// The ziggurat's draws follow Φ everywhere: the Kolmogorov–Smirnov distance of 10⁶ draws
    /// from Φ is below the 1 % critical value (1.63 / √n), and the three regions the method
    /// treats apart each hold their share: the rectangles' fast path, the wedges (tested at
    /// |x| in layer-boundary bands) and the tail beyond r = 3.654 (P = 2.58 × 10⁻⁴).
    @Test func zigguratFollowsTheNormalDistribution() {
        var g = SeededGenerator(seed: 5)
        let n = 1_000_000
        var xs = (0..<n).map { _ in g.gaussian() }
        xs.sort()
        func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
        var distance = 0.0
        for (k, x) in xs.enumerated() {
            let f = phi(x)
            distance = max(distance, abs(f - Double(k) / Double(n)), abs(Double(k + 1) / Double(n) - f))
        }
        #expect(distance < 1.63 / Double(n).squareRoot())
        let tail = Double(xs.filter { abs($0) > Ziggurat.r }.count)
        let expected = Double(n) * 2 * (1 - phi(Ziggurat.r))
        #expect(abs(tail - expected) < 4 * expected.squareRoot())  // ≈ 258 ± 16
        #expect(xs.first! < -Ziggurat.r - 0.5 && xs.last! > Ziggurat.r + 0.5)  // the tail reaches past r
        // Mass in bands, each within 4 binomial sd of its Φ share. Far out, the wedges are a
        // large part of each layer (about 30 % near |x| = 3.5), so 2.5 ≤ |x| < r is where a wedge
        // test that accepts too much shows first.
        let outer = Double(xs.filter { abs($0) >= 2.5 && abs($0) < Ziggurat.r }.count)
        let pOuter = 2 * (phi(Ziggurat.r) - phi(2.5))
        #expect(abs(outer - Double(n) * pOuter) < 4 * (Double(n) * pOuter * (1 - pOuter)).squareRoot())
        for (a, b) in [(0.0, 0.1), (0.2, 0.25), (1.0, 1.05), (2.0, 2.1), (3.0, 3.2), (-1.05, -1.0)] {
            let count = Double(xs.filter { $0 >= a && $0 < b }.count)
            let p = phi(b) - phi(a)
            #expect(abs(count - Double(n) * p) < 4 * (Double(n) * p * (1 - p)).squareRoot(), "band [\(a), \(b))")
        }
    }

    /// The tail sampler draws from the normal law conditioned on x > r: its KS distance from
    /// that law over 10⁵ draws is below the 1 % critical value, and its mean matches
    /// φ(r) / (1 − Φ(r)) (the inverse Mills ratio, ≈ 3.911).
    @Test func tailSamplerFollowsTheConditionalNormal() {
        var g = SeededGenerator(seed: 6)
        let n = 100_000
        let r = Ziggurat.r
        var xs = (0..<n).map { _ in g.normalTail() }
        xs.sort()
        let tail = 0.5 * erfc(r / 2.0.squareRoot())
        func conditional(_ x: Double) -> Double { 1 - 0.5 * erfc(x / 2.0.squareRoot()) / tail }
        var distance = 0.0
        for (k, x) in xs.enumerated() {
            let f = conditional(x)
            distance = max(distance, abs(f - Double(k) / Double(n)), abs(Double(k + 1) / Double(n) - f))
        }
        #expect(xs.first! > r)
        #expect(distance < 1.63 / Double(n).squareRoot())
        let mills = exp(-r * r / 2) / (2 * Double.pi).squareRoot() / tail
        #expect(abs(xs.reduce(0, +) / Double(n) - mills) < 0.003)  // sd of the mean ≈ 0.0008
    }

    /// Reference values: the figures depend on these streams, so a change of toolchain or of
    /// the generator's code that alters them must fail here first.
    @Test func streamsMatchTheirReferenceValues() {
        var g = SeededGenerator(seed: 1)
        #expect((0..<3).map { _ in g.next() } == [12_966_619_160_104_079_557, 9_600_361_134_598_540_522, 10_590_380_919_521_690_900])
        var jumped = SeededGenerator(seed: 1)
        jumped.jump()
        #expect((0..<3).map { _ in jumped.next() } == [3_686_199_559_692_413_392, 203_099_001_685_823_382, 14_083_488_663_737_595_453])
        var stream = SeededGenerator(seed: 42, stream: 2)
        #expect((0..<2).map { _ in stream.next() } == [9_689_321_145_619_467_905, 2_258_870_915_674_454_393])
        var normal = SeededGenerator(seed: 3)
        // The first four ziggurat draws, as an independent Python reimplementation computes them.
        let firstDraws = [1.3990356273490148, 1.7015644623852373, -0.26586962583493456, -1.3717663488513259]
        #expect((0..<4).map { _ in normal.gaussian() } == firstDraws)
        var ints = SeededGenerator(seed: 7)
        #expect((0..<20).map { _ in ints.int(below: 10) } == [7, 2, 8, 9, 9, 8, 0, 1, 4, 1, 5, 7, 9, 8, 4, 5, 2, 4, 1, 1])
        var shuffler = SeededGenerator(seed: 9)
        var deck = Array(0..<10)
        shuffler.shuffle(&deck)
        #expect(deck == [0, 3, 1, 8, 9, 2, 5, 6, 7, 4])
    }

    @Test func boundedIntegersAreUniform() {
        var g = SeededGenerator(seed: 11)
        let n = 60_000
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<n { counts[g.int(below: 6)] += 1 }
        // Each count is Binomial(n, 1/6): sd ≈ 91; 5 sd either side.
        #expect(counts.allSatisfy { abs($0 - n / 6) < 460 }, "\(counts)")
    }

    @Test func categoricalOfADivergedRunReturnsZeroWithoutTrapping() {
        var g = SeededGenerator(seed: 3), h = SeededGenerator(seed: 3)
        #expect(g.categorical(probabilities: [0.2, .nan, 0.5]) == 0)
        #expect(g.categorical(logits: [1, .infinity, 2]) == 0)
        #expect(g.categorical(probabilities: [0, 0]) == 0)
        // Each draw still consumes one word, so the streams stay aligned.
        for _ in 0..<3 { _ = h.next() }
        #expect(g.next() == h.next())
    }

    @Test func categoricalFrequencies() {
        var g = SeededGenerator(seed: 3)
        let p = [0.1, 0.0, 0.6, 0.3]
        var counts = [0, 0, 0, 0]
        let n = 100_000
        for _ in 0..<n { counts[g.categorical(probabilities: p)] += 1 }
        #expect(counts[1] == 0)
        for i in [0, 2, 3] {
            #expect(abs(Double(counts[i]) / Double(n) - p[i]) < 0.006)
        }
        // Unnormalised weights are normalised.
        var h = SeededGenerator(seed: 3)
        var k = SeededGenerator(seed: 3)
        #expect(
            (0..<50).map { _ in h.categorical(probabilities: [2, 0, 12, 6]) }
                == (0..<50).map { _ in k.categorical(probabilities: p) })
    }

    @Test func softmaxSamplerFollowsSoftmax() {
        var g = SeededGenerator(seed: 4)
        let logits = [0.0, 1.0, 2.0]
        let p = softmax(logits)
        var counts = [0, 0, 0]
        let n = 60_000
        for _ in 0..<n { counts[g.categorical(logits: logits)] += 1 }
        for i in 0..<3 { #expect(abs(Double(counts[i]) / Double(n) - p[i]) < 0.008) }
    }

    @Test func bernoulliAndIntBelow() {
        var g = SeededGenerator(seed: 5)
        let n = 50_000
        let hits = (0..<n).filter { _ in g.bernoulli(0.25) }.count
        #expect(abs(Double(hits) / Double(n) - 0.25) < 0.01)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let k = g.int(below: 7)
            #expect(k >= 0 && k < 7)
            seen.insert(k)
        }
        #expect(seen.count == 7)
        var a = [1, 2, 3, 4, 5, 6, 7, 8]
        var b = a
        var ga = SeededGenerator(seed: 9), gb = SeededGenerator(seed: 9)
        a.shuffle(using: &ga)
        b.shuffle(using: &gb)
        #expect(a == b)
        #expect(a.sorted() == [1, 2, 3, 4, 5, 6, 7, 8])
    }
}
