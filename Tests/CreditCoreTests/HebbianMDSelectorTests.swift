// The Hebbian PFC→MD rule of HebbianThalamus.swift against a direct transcription of the rule in
// its header (traces, winner-take-all post trace, θ from the sorted pre traces, masked Hebb, clip).
import Testing

@testable import CreditCore

@Suite("Hebbian MD selector")
struct HebbianMDSelectorTests {
    /// 300 trials of sparse random PFC patterns: the selector's weights are, bit for bit, those
    /// of the rule as written (θ from `sorted()`, ΔW from its formula for every k, j), and stay
    /// in [0, 1].
    @Test func learnIsTheRuleAsWritten() {
        var rng = SeededGenerator(seed: 31)
        let (mdUnits, n) = (4, 50)
        var selector = HebbianMDSelector(mdUnits: mdUnits, inputs: n, eta: 0.05, tauPre: 5, tauPost: 3, using: &rng)
        var w = selector.weights.storage
        var pre = [Double](repeating: 0, count: n), post = [Double](repeating: 0, count: mdUnits)
        for _ in 0..<300 {
            let x = (0..<n).map { _ in rng.uniform() < 0.3 ? rng.uniform(in: 0...1) : 0 }
            let winner = selector.winner(x)
            selector.learn(x, winner: winner)
            for j in 0..<n { pre[j] += (x[j] - pre[j]) / 5 }
            for k in 0..<mdUnits { post[k] += ((k == winner ? 1 : 0) - post[k]) / 3 }
            let postWinner = post.argmax
            let lower = Int(0.8 * Double(n))
            let theta = pre.sorted().prefix(lower).reduce(0, +) / Double(lower)
            for k in 0..<mdUnits {
                for j in 0..<n {
                    let (q, p) = (k == postWinner ? 1.0 : 0.0, pre[j] > theta ? 1.0 : 0.0)
                    let dw = 0.5 * 0.05 * (q - 0.5) * (p - 0.5) * (q * p > 0 ? 1.0 : 0.05)
                    w[k * n + j] = min(max(w[k * n + j] + dw, 0), 1)
                }
            }
        }
        #expect(selector.weights.storage.map(\.bitPattern) == w.map(\.bitPattern))
        #expect(w.allSatisfy { (0...1).contains($0) } && Set(w).count > 2)
    }
}
