// What `--feedback` does to feedback alignment (Chapter 1, Exercises 1 and 4), asserted with
// numbers. The alignment runs use the default 10 000 samples but 3 seeds, to keep the debug
// build's test time down.
@testable import CreditCore
import Foundation
import Testing

@testable import Chapters

/// The default parameters with `feedback`, 3 seeds.
private func parameters(_ feedback: FeedbackKind, seeds: Int = 3) -> BackpropParameters {
    var p = BackpropParameters()
    p.feedback = feedback
    p.seeds = seeds
    return p
}

@Suite("Backprop feedback")
struct BackpropFeedbackTests {
    /// B = W_{i+1}ᵀ copied after every update is weight transport: FA then *is* backprop, so
    /// every test loss of the run equals backprop's bit for bit, on both tasks (the XOR network
    /// has two hidden layers, so both of its feedback matrices must track).
    @Test(arguments: BackpropTask.allCases)
    func transposedFeedbackIsBackprop(task: BackpropTask) throws {
        var p = parameters(.transpose)
        p.steps = 2_000
        for seed: UInt64 in [1, 2] {
            let fa = try trainRun(task, method: .fa, p, seed: seed)
            let bp = try trainRun(task, method: .backprop, p, seed: seed)
            #expect(fa.values == bp.values, "seed \(seed)")
            #expect(fa.values.last! < 0.5 * fa.values.first!, "seed \(seed): the run learns")
        }
        // The published random B does not reproduce backprop's run.
        p.feedback = .gaussian
        #expect(try trainRun(task, method: .fa, p, seed: 1).values != trainRun(task, method: .backprop, p, seed: 1).values)
    }

    /// The same through the alignment figure's measures: with weight transport FA's hidden-layer
    /// update is backprop's at every checkpoint (angle 0), and W₂ is Bᵀ.
    @Test func transposedFeedbackHasNoAngle() throws {
        var p = parameters(.transpose, seeds: 2)
        p.steps = 2_000
        let a = try alignment(p)
        for records in [a.updateAngle, a.weightAngle] {
            #expect(records.allSatisfy { $0.curves[0].y.allSatisfy { $0 < 1e-3 } })
        }
    }

    /// Exercise 4: B = W₂ᵀ of the initial network, then fixed. The first updates are backprop's,
    /// but W₂ grows away from its small random start, so B ends up no better than a random one:
    /// the final angle is that of the Gaussian B (about 30°, not 0°).
    @Test func initialTransposeEndsLikeARandomB() throws {
        let fixed = try alignment(parameters(.initialTranspose))
        let random = try alignment(parameters(.gaussian))
        for k in fixed.seedValues.indices {
            #expect(fixed.initialUpdateAngles[k] < 1e-3 && fixed.initialWeightAngles[k] < 1e-3)
            #expect((20...45).contains(fixed.finalUpdateAngles[k]), "seed \(k): \(fixed.finalUpdateAngles[k])°")
            #expect(abs(fixed.finalUpdateAngles[k] - random.finalUpdateAngles[k]) < 8)
        }
        // It rises from 0° before it settles: the copy of W₂ is forgotten as W₂ learns.
        let mean = fixed.updateStatistics.mean
        #expect(mean.max()! > mean.last! && mean.max()! > 30)
    }

    /// Exercise 1: B's magnitudes do not matter (sign-only feedback aligns like the Gaussian B),
    /// but B with 90 % zeros leaves about 0.9¹⁰ ≈ 35 % of the hidden units without any feedback,
    /// and the hidden update stays far from backprop's.
    @Test func signFeedbackAlignsSparseFeedbackDoesNot() throws {
        let sign = try alignment(parameters(.sign))
        let gaussian = try alignment(parameters(.gaussian))
        let sparse = try alignment(parameters(.sparse))
        for k in sign.seedValues.indices {
            #expect(sign.initialUpdateAngles[k] > 70 && sign.finalUpdateAngles[k] < 45, "seed \(k)")
            #expect(abs(sign.finalUpdateAngles[k] - gaussian.finalUpdateAngles[k]) < 6, "seed \(k)")
            #expect(sparse.finalUpdateAngles[k] > 60, "seed \(k): sparse B ends at \(sparse.finalUpdateAngles[k])°")
        }
        // The sparse B first aligns a little, then loses it.
        let m = sparse.updateStatistics.mean
        #expect(m.min()! < 65 && m.last! > m.min()! + 15)
    }

    /// The captions say which B a run used, and the defaults' captions are untouched.
    @Test func captionsNameTheFeedback() throws {
        var p = parameters(.sparse, seeds: 2)
        p.steps = 200
        p.feedbackSparsity = 0.5
        let caption = BackpropFigures.alignment(try alignment(p)).caption ?? ""
        #expect(caption.hasPrefix("Feedback alignment with a sparse B (50% of its entries zero, drawn once)."))
        #expect(BackpropFigures.feedbackNote(BackpropParameters()) == "")
        #expect(BackpropFigures.feedbackNote(parameters(.transpose)).contains("weight transport"))
    }
}
