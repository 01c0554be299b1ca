// The science of the consolidation motif (Box 1, Eqs. 4–9), asserted with numbers.
//
// Default task and rates (S = 4 stimuli, m = 4 actions, n = 20 inputs, 3000 trials,
// η_W = 0.05, η_M = 0.01, η_w = 0.013, β_t = 10, β_s = 8) with 5 seeds. Margins are set from
// measured values (see the comments).
@testable import CreditCore
import Testing

@testable import Chapters

private let fiveSeeds: ConsolidationParameters = {
    var p = ConsolidationParameters()
    p.seeds = 5
    return p
}()

private let sharedRun = Result { try consolidation(fiveSeeds) }
private let sharedLesion = Result { try teacherLesion(fiveSeeds) }
private let sharedReversal = Result { try reversal(fiveSeeds) }

@Suite("Consolidation science", .serialized)
struct ConsolidationScienceTests {
    @Test func fullCircuitLearnsWellBeforeTheStudent() throws {
        let r = try sharedRun.get()
        // Measured: full circuit ≥ 0.9 by trial 100–200, student alone by 900–1000.
        for i in r.seedValues.indices {
            let full = try #require(r.fullCriterion[i]), student = try #require(r.studentCriterion[i])
            #expect(full <= 300, "seed \(r.seedValues[i]): full circuit at \(full)")
            #expect(student - full >= 500, "seed \(r.seedValues[i]): full \(full), student \(student)")
        }
        // Both end high: measured ≈ 0.99.
        #expect(r.final(ConsolidationCurve.full).mean >= 0.95)
        #expect(r.final(ConsolidationCurve.student).mean >= 0.95)
        // The student starts near chance (measured 0.30 after 100 trials).
        #expect(r.statistics(ConsolidationCurve.student).mean.first! < 0.4)
    }

    @Test func teacherGainShrinksAndStudentGrows() throws {
        let r = try sharedRun.get()
        for (i, rec) in r.seeds.enumerated() {
            let w = rec.curve(named: ConsolidationCurve.wMean)!.y.last!
            let m = rec.curve(named: ConsolidationCurve.mNorm)!.y.last!
            // Measured: w 1 → ≈ 0.006, |M| ≈ 0.30 → ≈ 0.86.
            #expect(w < 0.05 * r.initialW[i], "seed \(rec.seed): w \(w)")
            #expect(m > 2 * r.initialMNorm[i], "seed \(rec.seed): |M| \(m) from \(r.initialMNorm[i])")
        }
    }

    @Test func earlyLesionNearChanceLateLesionNearIntact() throws {
        let r = try sharedLesion.get()
        let early = r.lesionedAccuracy(0), earlyIntact = r.intactAccuracy(0)
        let late = r.lesionedAccuracy(1), lateIntact = r.intactAccuracy(1)
        // Measured at trial 100: intact ≈ 0.99, lesioned ≈ 0.3 (chance 0.25).
        #expect(earlyIntact.mean > 0.9)
        #expect(abs(early.mean - r.chance) < 0.15, "early lesion \(early.mean)")
        #expect(earlyIntact.mean - early.mean > 0.5)
        // Measured at trial 3000: lesioned ≈ intact ≈ 0.98.
        #expect(abs(late.mean - lateIntact.mean) < 0.03, "late lesion \(late.mean) vs \(lateIntact.mean)")
        #expect(late.mean > 0.9)
    }

    @Test func reversalAsWrittenStaysOnTheOldMapping() throws {
        let r = try sharedReversal.get()
        let s = r.series(.asWritten)
        // Consolidated before the reversal: w ≈ 0, the student performs the old mapping.
        #expect(s.beforeW.mean < 0.05)
        #expect(s.beforeStudent.mean > 0.95)
        // New-mapping accuracy stays far below the criterion and below chance over 3000 trials
        // (measured: ≈ 0.01 for the first 1000 trials, ≤ 0.15 after); the habit persists at first.
        let full = s.statistics(ConsolidationCurve.full).mean
        #expect(full.max()! < 0.3)
        #expect(full.prefix(5).allSatisfy { $0 < 0.05 })
        #expect(s.statistics(reversalOldCurve).mean.first! > 0.9)
        #expect(s.recoveryTrial.allSatisfy { $0 == nil })
    }

    @Test func reversalWithRenewalRelearnsAndReconsolidates() throws {
        let r = try sharedReversal.get()
        let s = r.series(.renewal)
        // The marked addition (beyond the review): after the reversal every seed reaches the
        // criterion on the new mapping (measured: within 200 trials), the student alone follows,
        // and the old habit is gone.
        #expect(s.recoveryTrial.allSatisfy { $0 != nil && $0! <= 1000 }, "\(s.recoveryTrial)")
        #expect(s.final(ConsolidationCurve.full).mean > 0.95)
        #expect(s.final(ConsolidationCurve.student).mean > 0.9)
        #expect(s.statistics(reversalOldCurve).mean.last! < 0.05)
        // The motif as written, from the same consolidated state, does not get there.
        #expect(r.series(.asWritten).final(ConsolidationCurve.full).mean < 0.3)
    }

    @Test func sweepHasFailingAndSucceedingCells() throws {
        var p = fiveSeeds
        p.sweepSize = 5
        p.sweepSeeds = 2
        p.trials = 2000
        let r = try sweep(p)
        var ok = 0, failed = 0
        for i in r.etaStudent.indices {
            for j in r.etaW.indices { if r.meanTime(i, j).isNaN { failed += 1 } else { ok += 1 } }
        }
        // Measured: consolidation fails for small η_M (too slow) and for η_w ≫ η_M (w dies first).
        #expect(failed >= 3 && ok >= 5, "ok \(ok), failed \(failed)")
        // Fastest at the largest η_M with small η_w.
        let last = r.etaStudent.count - 1
        #expect(!r.meanTime(last, 0).isNaN)
        #expect(r.meanTime(last, 0) < 500)
        #expect(r.meanTime(0, r.etaW.count - 1).isNaN)
        #expect(r.csv.header == ["eta_student", "eta_w", "consolidation_trials_mean", "success_fraction", "diverged"])
        #expect(r.wallTime > .zero)
    }

    @Test func validateNamesEachFlag() {
        let parameters = ConsolidationParameters.self
        #expect(rejectedFlag(parameters) { _ in } == nil)
        #expect(rejectedFlag(parameters) { $0.etaTeacher = 0 } == "--eta-teacher")
        #expect(rejectedFlag(parameters) { $0.etaStudent = -1 } == "--eta-student")
        #expect(rejectedFlag(parameters) { $0.etaW = .nan } == "--eta-w")
        #expect(rejectedFlag(parameters) { $0.stimuli = 0 } == "--stimuli")
        #expect(rejectedFlag(parameters) { $0.actions = 1 } == "--actions")
        #expect(rejectedFlag(parameters) { $0.inputs = 0 } == "--inputs")
        #expect(rejectedFlag(parameters) { $0.trials = 0 } == "--trials")
        #expect(rejectedFlag(parameters) { $0.seeds = 0 } == "--seeds")
        #expect(rejectedFlag(parameters) { $0.renewal = 0 } == "--renewal")
        #expect(rejectedFlag(parameters) { $0.seed = UInt64.max } == "--seed")
    }

    @Test func divergenceThrowsNamingTheRun() {
        var p = fiveSeeds
        p.seeds = 1
        p.trials = 300
        p.etaStudent = 100  // Eq. (8) multiplies M by ≈ (1 + η_M w y x_j) per trial: runaway
        #expect(throws: DivergenceError.self) { try consolidation(p) }
        do {
            _ = try consolidation(p)
        } catch let e as DivergenceError {
            #expect(e.run.contains("consolidation"))
            #expect(e.parameters.contains(RunParameter("eta-student", 100)))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func deterministicAndCSV() throws {
        var p = fiveSeeds
        p.seeds = 2
        p.trials = 400
        let a = try consolidation(p), b = try consolidation(p, parallel: false)
        #expect(a.csv == b.csv)
        #expect(a.csv.header == ["seed", "trial", "full_accuracy", "student_accuracy", "teacher_accuracy", "w_mean", "m_norm"])
        #expect(a.csv.rows.count == 2 * 4)
    }
}
