import XCTest

@testable import CreditCore

final class ThalamicSelectorTests: XCTestCase {
    /// Eqs. 8–9 with an outside teacher: the same change as the hand-computed formula, and none when silenced.
    func testConsolidateAppliesEquations8And9() {
        var rng = SeededGenerator(seed: 3)
        var motif = ConsolidationMotif(
            actions: 3, inputs: 4, m0: 0.1...0.3, w0: 0.8, etaTeacher: 0, etaStudent: 0.05, etaW: 0.02, using: &rng)
        let before = motif
        let x = [1.0, 0.5, 0.0, 2.0], y = 0.7, a = 1
        motif.consolidate(x: x, teacherAction: a, teacherActivity: y)
        let row = before.M.row(a)
        for j in 0..<4 {
            XCTAssertEqual(motif.M[a, j], row[j] + 0.05 * 0.8 * y * row[j] * x[j], accuracy: 1e-15)  // Eq. 8
            XCTAssertEqual(motif.M[0, j], before.M[0, j])
        }
        XCTAssertEqual(motif.w[a], 0.8 - 0.02 * 0.8 * y * row.dot(x), accuracy: 1e-15)  // Eq. 9
        XCTAssertEqual(motif.w[0], 0.8)
        var silenced = before
        silenced.teacherSilenced = true
        silenced.consolidate(x: x, teacherAction: a, teacherActivity: y)
        var expected = before
        expected.teacherSilenced = true
        XCTAssertEqual(silenced, expected)
    }

    /// With reward for one MD unit per context, the BG learn it, the corticothalamic pathway takes
    /// it over (w falls, the student alone selects it) and a silenced BG no longer matters.
    func testBasalGangliaTeachTheCorticothalamicPathway() {
        let target = [2, 0]
        var rng = SeededGenerator(seed: 11)
        var s = ThalamicSelector(
            contexts: 2, mdUnits: 3, inputs: 2, actorAlpha: 0.5, criticAlpha: 0.5, betaMD: 20, m0: 0.01...0.05,
            w0: 1, etaStudent: 0.05, etaW: 0.05, consolidates: true, using: &rng)
        let pfc = [[1.0, 0], [0, 1.0]]
        for t in 0..<3000 {
            let c = t % 2
            let choice = s.choose(context: c, pfc: pfc[c], using: &rng)
            s.learn(context: c, pfc: pfc[c], choice: choice, reward: choice.mdUnit == target[c] ? 1 : 0)
        }
        for c in 0..<2 {
            XCTAssertGreaterThan(s.policy(context: c)[target[c]], 0.9)  // the BG stop learning once the student selects for them (δ ≈ 0)
            XCTAssertGreaterThan(s.studentSelection(pfc: pfc[c])[target[c]], 0.95)
            XCTAssertLessThan(s.corticothalamic.w[target[c]], 0.1)
        }
        XCTAssertGreaterThan(s.corticothalamic.w[1], 0.5)  // chosen only while the teacher explored: hardly consolidated
        var lesioned = s
        lesioned.basalGangliaSilenced = true
        let before = lesioned
        for c in 0..<2 {
            XCTAssertEqual(lesioned.selectionProbabilities(context: c, pfc: pfc[c]), s.studentSelection(pfc: pfc[c]))
            let choice = lesioned.choose(context: c, pfc: pfc[c], using: &rng)
            XCTAssertEqual(choice.teacherActivity, 0)
            XCTAssertEqual(lesioned.learn(context: c, pfc: pfc[c], choice: choice, reward: 0), 0)
        }
        XCTAssertEqual(lesioned, before)  // a silenced BG neither learns nor teaches
    }

    /// The draws of ``ThalamicSelector/choose(context:pfc:using:)`` follow the exact
    /// ``ThalamicSelector/selectionProbabilities(context:pfc:)`` the experiments report (with the BG's
    /// draw made uniform instead of from π, the frequencies miss by ≈ 0.3).
    func testChoicesFollowTheReportedProbabilities() {
        var rng = SeededGenerator(seed: 5)
        var s = ThalamicSelector(
            contexts: 1, mdUnits: 3, inputs: 2, actorAlpha: 0.5, criticAlpha: 0.5, betaMD: 4, m0: 0.1...0.3,
            w0: 1, etaStudent: 0.05, etaW: 0.05, consolidates: false, using: &rng)
        s.basalGanglia.preferences = Matrix(rows: 3, cols: 1, storage: [1.5, 0, -0.5])
        let x = [1.0, 0.5]
        let exact = s.selectionProbabilities(context: 0, pfc: x)
        var counts = [0, 0, 0]
        let n = 40_000
        for _ in 0..<n { counts[s.choose(context: 0, pfc: x, using: &rng).mdUnit] += 1 }
        for k in 0..<3 { XCTAssertEqual(Double(counts[k]) / Double(n), exact[k], accuracy: 0.01) }
        XCTAssertGreaterThan(exact[0], 0.6)
    }
}
