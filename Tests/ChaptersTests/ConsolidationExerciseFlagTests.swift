// What the flags of Chapter 3's exercises do, asserted with numbers: the student's start M₀
// (`--initial-m`, Exercise 1), the parts of the unlearning rule (`--unlearning-parts`,
// Exercise 4) and the early lesion trial (`--early-lesion-trial`, Exercise 5). Default task and
// rates, several seeds; margins are set from measured values (see the comments).
@testable import CreditCore
import Foundation
import Testing

@testable import Chapters

/// The default parameters with `seeds` seeds, changed by `change`.
private func parameters(seeds: Int = 5, _ change: (inout ConsolidationParameters) -> Void = { _ in })
    -> ConsolidationParameters
{
    var p = ConsolidationParameters()
    p.seeds = seeds
    change(&p)
    return p
}

/// The values of curve `name` of every seed.
private func curves(_ r: ConsolidationResult, _ name: String) -> [[Double]] {
    r.seeds.map { $0.curve(named: name)!.y }
}

/// The reversal with only `parts` of the unlearning rule, 5 seeds, shared by the tests below.
private let reversals = Result {
    try Dictionary(
        uniqueKeysWithValues: UnlearningParts.allCases.map { parts in
            (parts, try reversal(parameters { $0.unlearningParts = parts }))
        })
}

@Suite("Consolidation exercise flags", .serialized)
struct ConsolidationExerciseFlagTests {
    // MARK: Exercise 1, --initial-m

    @Test func zeroStartNeverGrowsAndTheTeacherKeepsTheJob() throws {
        // Eq. 8 is proportional to M: from M = 0 the student never changes, Eq. 9 (∝ M · x) never
        // moves w, and the student alone stays at chance while the teacher performs.
        let p = parameters { $0.m0 = InitialStudentWeights(0...0) }
        let r = try consolidation(p)
        for (norms, ws) in zip(curves(r, ConsolidationCurve.mNorm), curves(r, ConsolidationCurve.wMean)) {
            #expect(norms.allSatisfy { $0 == 0 })
            #expect(ws.allSatisfy { $0 == 1 })
        }
        #expect(curves(r, ConsolidationCurve.student).allSatisfy { $0.allSatisfy { abs($0 - r.chance) < 1e-12 } })
        #expect(r.studentCriterion.allSatisfy { $0 == nil })
        // Measured: the full circuit at 0.999 after 3000 trials, carried by the teacher alone.
        #expect(r.final(ConsolidationCurve.full).mean > 0.95)
        // So the late lesion removes everything (measured 0.25 against 1.00 intact).
        let lesion = try teacherLesion(p)
        #expect(abs(lesion.lesionedAccuracy(1).mean - lesion.chance) < 0.05, "\(lesion.lesionedAccuracy(1).mean)")
        #expect(lesion.intactAccuracy(1).mean > 0.95)
    }

    @Test func negativeStartLearnsToAvoidTheCorrectAction() throws {
        // Eq. 8 with M < 0: the row of the teacher's (correct) choice grows more negative, so the
        // student alone avoids the correct action; Eq. 9 with M · x < 0 makes w grow instead of
        // shrink. Measured after 600 trials (10 seeds): student 0.002, w 1 → 3.35, ‖M‖ 0.27 → 1.86.
        for m0 in [-0.03...(-0.03), -0.05...(-0.01)] {
            let r = try consolidation(
                parameters {
                    $0.m0 = InitialStudentWeights(m0); $0.trials = 600
                })
            for (i, student) in curves(r, ConsolidationCurve.student).enumerated() {
                #expect(student.last! < 0.02, "M₀ \(m0), seed \(r.seedValues[i]): student \(student.last!)")
                #expect(zip(student, student.dropFirst()).allSatisfy { $1 < $0 }, "M₀ \(m0): falls every block")
            }
            for (i, w) in curves(r, ConsolidationCurve.wMean).enumerated() {
                #expect(w.last! > 2, "M₀ \(m0), seed \(r.seedValues[i]): w \(w.last!)")
            }
            #expect(r.final(ConsolidationCurve.mNorm).mean > 4 * r.initialMNorm.mean)
            // The teacher still carries the behaviour (measured 0.999).
            #expect(r.final(ConsolidationCurve.full).mean > 0.95)
        }
    }

    @Test func negativeStartRunsAwayWithinAThousandTrials() {
        // Eqs. 8 and 9 feed each other when M < 0 (each grows at a rate proportional to the other):
        // every seed of the default 3000-trial run diverges. Measured, M₀ = −0.03, seeds 1–10:
        // trials 767–872.
        for seed in UInt64(1)...10 {
            let p = parameters(seeds: 1) {
                $0.m0 = InitialStudentWeights(-0.03...(-0.03)); $0.seed = seed
            }
            do {
                _ = try consolidation(p)
                Issue.record("seed \(seed) did not diverge")
            } catch let e as DivergenceError {
                #expect((700...900).contains(e.step), "seed \(seed) diverged at trial \(e.step)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func initialMIsParsedAndBounded() throws {
        let p = try ConsolidationParameters.parse(["--initial-m", "-0.03"], quick: false)
        #expect(p.m0.range == -0.03...(-0.03))
        #expect(try ConsolidationParameters.parse(["--initial-m=-0.05:-0.01"], quick: false).m0.range == -0.05...(-0.01))
        #expect(ConsolidationParameters().m0.typed == "0.01:0.05")
        for bad in ["0.05:0.01", "1:2", "-1.5", "nan", "0:1:2", ":", "x"] {
            #expect(rejectedArguments(ConsolidationParameters.self, ["--initial-m", bad]) == "--initial-m", "\(bad)")
        }
        #expect(rejectedFlag(ConsolidationParameters.self) { $0.m0 = InitialStudentWeights(-2...0) } == "--initial-m")
    }

    // MARK: Exercise 4, --unlearning-parts

    @Test func noUnlearningPartIsTheMotifAsWritten() throws {
        let r = try #require(try reversals.get()[UnlearningParts.none])
        let written = r.series(.asWritten).seeds, none = r.series(.unlearning).seeds
        #expect(written == none)
    }

    @Test func recoveryAloneRestoresWButNotTheNewMapping() throws {
        let r = try #require(try reversals.get()[.recovery])
        let s = r.series(.unlearning)
        // Measured (10 seeds): w 0.008 → 1.00 within the first 100 trials, yet the new mapping
        // stays below 0.1 and the old habit still holds half the trials after 3000.
        for rec in s.seeds {
            #expect(rec.curve(named: ConsolidationCurve.wMean)!.y[1] > 0.95, "seed \(rec.seed)")
        }
        #expect(s.recoveryTrial.allSatisfy { $0 == nil })
        #expect(s.final(ConsolidationCurve.full).mean < 0.2)
        #expect(s.final(reversalOldCurve).mean > 0.4)
    }

    @Test func depressionAloneBreaksTheHabitButWStaysShut() throws {
        let r = try #require(try reversals.get()[.depression])
        let s = r.series(.unlearning)
        // Measured (10 seeds): w never rises above its value at the reversal (0.008 → 0), the old
        // habit falls to 0.18 and ‖M‖ to 0.10, and the new mapping plateaus at 0.42.
        for (rec, before) in zip(s.seeds, s.beforeW) {
            #expect(rec.curve(named: ConsolidationCurve.wMean)!.y.allSatisfy { $0 <= before + 1e-12 }, "seed \(rec.seed)")
        }
        #expect(s.final(reversalOldCurve).mean < 0.3)
        #expect(s.final(ConsolidationCurve.mNorm).mean < 0.25 * s.beforeMNorm.mean)
        #expect((0.3...0.6).contains(s.final(ConsolidationCurve.full).mean), "\(s.final(ConsolidationCurve.full).mean)")
        #expect(s.recoveryTrial.allSatisfy { $0 == nil })
    }

    @Test func unlearningPartsRejectsOtherNames() {
        #expect(rejectedArguments(ConsolidationParameters.self, ["--unlearning-parts", "half"]) == "--unlearning-parts")
        #expect(rejectedArguments(ConsolidationParameters.self, ["--unlearning-parts", "depression"]) == nil)
    }

    // MARK: Exercise 5, --early-lesion-trial

    @Test func lesionAtTrial500GivesTheStudentAloneAccuracy() throws {
        // Silencing the teacher stops Eqs. 8–9 (both ∝ y), so the student is frozen as it was at
        // the lesion, and the lesioned accuracy is the student-alone accuracy of `consolidation`
        // at that trial (same run, same random numbers) up to the sampling of 400 test trials.
        // Measured (10 seeds): 0.63 against 0.64, seeds within 0.035.
        let p = parameters(seeds: 10) { $0.earlyLesion = 500 }
        let lesion = try teacherLesion(p), run = try consolidation(p)
        #expect(lesion.lesionTrials == [500, 3000])
        let student = run.seeds.map { rec in
            let c = rec.curve(named: ConsolidationCurve.student)!
            return c.y[c.x.firstIndex(of: 500)!]
        }
        for (i, (lesioned, alone)) in zip(lesion.lesioned[0], student).enumerated() {
            #expect(abs(lesioned - alone) < 0.07, "seed \(run.seedValues[i]): \(lesioned) vs \(alone)")
        }
        #expect(abs(lesion.lesionedAccuracy(0).mean - student.mean) < 0.03)
        // Half-consolidated: far from chance and far from intact.
        #expect((0.45...0.8).contains(lesion.lesionedAccuracy(0).mean))
        #expect(lesion.intactAccuracy(0).mean > 0.95)
    }

    @Test func earlyLesionTrialIsBoundedByTheTrials() {
        #expect(rejectedFlag(ConsolidationParameters.self) { $0.earlyLesion = 3001 } == "--early-lesion-trial")
        #expect(rejectedFlag(ConsolidationParameters.self) { $0.earlyLesion = 3000 } == nil)
        #expect(rejectedArguments(ConsolidationParameters.self, ["--early-lesion-trial", "-1"]) == "--early-lesion-trial")
        #expect(
            rejectedArguments(ConsolidationParameters.self, ["--trials", "400", "--early-lesion-trial", "500"])
                == "--early-lesion-trial")
    }
}
