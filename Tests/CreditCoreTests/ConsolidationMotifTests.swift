// Eqs. (4)–(9) of Box 1 against numbers worked out by hand, the softmax choice, determinism.
import Testing

@testable import CreditCore

/// 2 actions, 3 inputs. W x = [0.5, 0.35]; M x = [0.65, 0.6].
private func tiny() -> ConsolidationMotif {
    ConsolidationMotif(
        W: Matrix([[0.1, 0.2, 0.0], [0.0, 0.1, 0.3]]),
        M: Matrix([[0.1, 0.2, 0.3], [0.2, 0.1, 0.4]]),
        w: [1, 0.5], etaTeacher: 0.1, etaStudent: 0.2, etaW: 0.3)
}
private let x: [Double] = [1, 2, 0.5]

private func close(_ a: [Double], _ b: [Double], _ tol: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < tol }
}

@Suite("Consolidation motif (Box 1)")
struct ConsolidationMotifTests {
    @Test func outputOfEqs4And5() {
        let m = tiny()
        let g = m.teacherDrive(x)
        #expect(close(g, [0.5, 0.35]))
        let y = m.teacherActivity(g, choice: 0)
        #expect(y == [0.5, 0])
        // o = M x + w ∘ y = [0.65 + 1·0.5, 0.6 + 0.5·0]
        #expect(close(m.output(x, teacherActivity: y), [1.15, 0.6]))
        var silenced = m
        silenced.teacherSilenced = true
        #expect(silenced.teacherActivity(g, choice: 0) == [0, 0])
    }

    @Test func eq7TeacherRPEStep() {
        var m = tiny()
        let s = [1.15, 0.6]
        // Performed action 1 rewarded: δ = 1 − 0.6 = 0.4; W_1 += 0.1·0.4·x = [0.04, 0.08, 0.02].
        let rpe = m.updateTeacher(x: x, performed: 1, reward: 1, output: s[1])
        #expect(abs(rpe - 0.4) < 1e-12)
        #expect(close(m.W.row(0), [0.1, 0.2, 0.0]))
        #expect(close(m.W.row(1), [0.04, 0.18, 0.32]))
        // Performed action 0 unrewarded: δ = 0 − 1.15; W_0 += 0.1·(−1.15)·x.
        var m2 = tiny()
        m2.updateTeacher(x: x, performed: 0, reward: 0, output: s[0])
        #expect(close(m2.W.row(0), [0.1 - 0.115, 0.2 - 0.23, 0.0 - 0.0575]))
        #expect(close(m2.W.row(1), [0.0, 0.1, 0.3]))
    }

    @Test func eqs8And9StudentAndGainStep() {
        let m = tiny()
        // Teacher chose 0 with y_0 = 0.5, w_0 = 1:
        // ΔM_0 = 0.2·1·0.5·(M_0 ∘ x) = 0.1·[0.1, 0.4, 0.15];  Δw_0 = −0.3·1·0.5·0.65 = −0.0975.
        var c = m
        c.consolidate(x: x, teacherAction: 0, teacherActivity: 0.5)
        #expect(close(c.M.row(0), [0.1 + 0.01, 0.2 + 0.04, 0.3 + 0.015]))
        #expect(c.M.row(1) == m.M.row(1))
        #expect(abs(c.w[0] - (1 - 0.0975)) < 1e-12 && c.w[1] == m.w[1])
        // Teacher chose 1 with y_1 = 0.35, w_1 = 0.5: ΔM_1 = 0.2·0.5·0.35·[0.2, 0.2, 0.2];
        // Δw_1 = −0.3·0.5·0.35·0.6.
        var c1 = m
        c1.consolidate(x: x, teacherAction: 1, teacherActivity: 0.35)
        #expect(close(c1.M.row(1), [0.2 + 0.007, 0.1 + 0.007, 0.4 + 0.007]))
        #expect(c1.M.row(0) == m.M.row(0))
        #expect(abs(c1.w[1] - (0.5 - 0.0315)) < 1e-12 && c1.w[0] == m.w[0])
        // A zero row of M never grows (Eq. 8 is multiplicative in M).
        var z = m
        z.M = Matrix(rows: 2, cols: 3)
        z.consolidate(x: x, teacherAction: 0, teacherActivity: 0.5)
        #expect(z.M.row(0) == [0, 0, 0])
    }

    @Test func fullTrialAppliesAllThreeFromTheOldWeights() {
        var m = tiny()
        let before = m
        var t = SeededGenerator(seed: 3), a = SeededGenerator(seed: 4)
        let out = m.trial(x: x, correct: 1, teacherRNG: &t, actionRNG: &a)
        let g = before.teacherDrive(x)
        let y = before.teacherActivity(g, choice: out.teacherAction)
        let s = before.output(x, teacherActivity: y)
        var expected = before
        expected.updateTeacher(x: x, performed: out.performedAction, reward: out.reward, output: s[out.performedAction])
        expected.consolidate(x: x, teacherAction: out.teacherAction, teacherActivity: y[out.teacherAction])
        #expect(close(m.allWeights, expected.allWeights))
        #expect(out.reward == (out.performedAction == 1 ? 1 : 0))
    }

    @Test func teacherChoiceFollowsSoftmax() {
        // g = [1, 0, −1] with β_t = 1 and β_t = 2.
        for beta in [1.0, 2.0] {
            var m = ConsolidationMotif(
                W: Matrix([[1], [0], [-1]]), M: Matrix(rows: 3, cols: 1, repeating: 0.01),
                w: [1, 1, 1], etaTeacher: 0.1, etaStudent: 0.1, etaW: 0.1,
                betaTeacher: beta, betaOutput: 1)
            var t = SeededGenerator(seed: 11), a = SeededGenerator(seed: 12)
            var counts = [0, 0, 0]
            let n = 40_000
            for _ in 0..<n { counts[m.trial(x: [1], correct: 0, learn: false, teacherRNG: &t, actionRNG: &a).teacherAction] += 1 }
            let p = softmax([1, 0, -1], temperature: 1 / beta)
            for i in 0..<3 {
                // binomial sd ≤ √(0.25/40000) = 0.0025; 4 sd
                #expect(abs(Double(counts[i]) / Double(n) - p[i]) < 0.01, "β \(beta) action \(i)")
            }
        }
    }

    @Test func deterministicFromTheSeed() {
        func run(_ seed: UInt64) -> [Double] {
            var rng = SeededGenerator(seed: seed)
            let task = ConsolidationTask(stimuli: 3, actions: 3, inputs: 9, background: 0.1, noise: 0.05, using: &rng)
            var m = ConsolidationMotif(
                actions: 3, inputs: 9, m0: 0.01...0.05, w0: 1, etaTeacher: 0.05,
                etaStudent: 0.01, etaW: 0.01, betaTeacher: 10, betaOutput: 8, using: &rng)
            var t = SeededGenerator(seed: seed, stream: 1), a = SeededGenerator(seed: seed, stream: 2)
            for _ in 0..<200 {
                let k = rng.int(below: 3)
                _ = m.trial(x: task.input(k, using: &rng), correct: task.mapping[k], teacherRNG: &t, actionRNG: &a)
            }
            return m.allWeights
        }
        #expect(run(5) == run(5))
        #expect(run(5) != run(6))
    }
}
