import Testing
@testable import CreditCore

@Suite("Matrix and vectors")
struct LinearAlgebraTests {
    let w = Matrix([[1, 2, 3], [4, 5, 6]])

    /// The argmax every discrete choice of Chapter 4 uses: the lowest index wins a tie.
    @Test func argmaxTakesTheLowestIndexOnTies() {
        #expect([0.1, 0.7, 0.7, 0.2].argmax == 1)
        #expect([3.0].argmax == 0 && [Double]().argmax == 0)
        #expect([-2.0, -1.0, -5.0].argmax == 1)
        #expect([1.0, .nan, 2.0].argmax == 2)
    }

    @Test func storageIsRowMajor() {
        #expect(w.storage == [1, 2, 3, 4, 5, 6])
        #expect(w[1, 0] == 4)
        #expect(w.row(1) == [4, 5, 6])
        #expect(w.column(2) == [3, 6])
        #expect(w.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
    }

    @Test func elementMutationKeepsTheShape() {
        var m = w
        m[0, 1] = 20
        m[flat: 5] += 60
        #expect(m.storage == [1, 20, 3, 4, 5, 66])
        m.withUnsafeMutableBufferPointer { b in
            #expect(b.count == 6)
            for k in 0..<b.count { b[k] *= 2 }
        }
        #expect(m.storage == [2, 40, 6, 8, 10, 132])
        #expect(m.rows == 2 && m.cols == 3)
    }

    @Test func products() {
        #expect(w.multiply([1, 0, -1]) == [-2, -2])
        #expect(w.transposeMultiply([1, -1]) == [-3, -3, -3])
        #expect(w.transposeMultiply([2, 1]) == w.transposed.multiply([2, 1]))
        let b = Matrix([[1, 0], [0, 1], [1, 1]])
        #expect(w.multiply(b) == Matrix([[4, 5], [10, 11]]))
        #expect(Matrix.identity(2).multiply(w) == w)
    }

    @Test func rankOneUpdate() {
        var m = w
        m.addOuter(2, [1, -1], [1, 0, 3])  // W += 2 u vᵀ
        #expect(m == Matrix([[3, 2, 9], [2, 5, 0]]))
        var n = w
        n.addScaled(-1, w)
        #expect(n.frobeniusNorm == 0)
        #expect(abs(w.frobeniusNorm - 91.0.squareRoot()) < 1e-12)
    }

    @Test func vectorHelpers() {
        let x = [1.0, 2, 3], y = [4.0, -5, 6]
        #expect(x.dot(y) == 12)
        var z = x
        z.addScaled(2, y)
        #expect(z == [9, -8, 15])
        #expect(x.adding(y) == [5, -3, 9])
        #expect(x.subtracting(y) == [-3, 7, -3])
        #expect(x.hadamard(y) == [4, -10, 18])
        #expect(x.scaled(-1) == [-1, -2, -3])
        #expect([3.0, 4].norm == 5)
        #expect(y.maxAbs == 6)
        #expect(x.mean == 2)
        #expect([Double].oneHot(2, count: 4) == [0, 0, 1, 0])
        #expect([1.0, .nan].allFinite == false)
    }

    /// The one-pass cosine has the bits of xᵀy / (‖x‖ ‖y‖) from the separate sums.
    @Test func cosineIsTheRatioOfTheSeparateSums() {
        var rng = SeededGenerator(seed: 4)
        for count in [1, 7, 1000] {
            let x = [Double].gaussian(count: count, sd: 1, using: &rng), y = [Double].gaussian(count: count, sd: 3, using: &rng)
            let expected = Swift.max(-1, Swift.min(1, x.dot(y) / (x.norm * y.norm)))
            #expect(x.cosineSimilarity(y).bitPattern == expected.bitPattern, "\(count)")
        }
    }

    @Test func maxAbsReportsNaN() {
        // Swift.max(0, .nan) == 0: a plain max-reduction would make `maxAbs < tol` pass on NaN.
        #expect([1.0, .nan, 3].maxAbs.isNaN)
        #expect([Double.nan, .nan].maxAbs.isNaN)
        #expect(!([Double.nan, .nan].maxAbs < 1e-15))
        #expect([1.0, -.infinity].maxAbs == .infinity)
        #expect([Double]().maxAbs == 0)
    }

    @Test func largestReportsNaN() {
        #expect([1.0, .nan, 3].largest.isNaN)  // [1, nan, 3].max() is 3
        #expect([-2.0, -1].largest == -1)
        #expect([Double]().largest.isNaN)
    }

    @Test func zeroTimesInfinityIsNaNInEveryProduct() {
        let w = Matrix([[1, .infinity], [2, 3]])
        let zero = [0.0, 0]
        // W v and Wᵀ v with v = 0: the ∞ entry meets a 0 (0 · ∞ = NaN).
        let y = w.multiply(zero)
        #expect(y[0].isNaN && y[1] == 0)
        let z = w.transposeMultiply(zero)
        #expect(z[0] == 0 && z[1].isNaN)
        // A B with a zero A: the column of B holding ∞ gives NaN.
        let c = Matrix(rows: 2, cols: 2).multiply(w)
        #expect(c[0, 0] == 0 && c[1, 0] == 0 && c[0, 1].isNaN && c[1, 1].isNaN)
        // W += a u vᵀ with a zero u_i (or a = 0) and ∞ in v.
        var m = Matrix(rows: 2, cols: 2)
        m.addOuter(1, [0, 1], [.infinity, 1])
        #expect(m[0, 0].isNaN && m[0, 1] == 0 && m[1, 0] == .infinity && m[1, 1] == 1)
        var n = Matrix(rows: 1, cols: 2)
        n.addOuter(0, [1], [1, .infinity])
        #expect(n[0, 0] == 0 && n[0, 1].isNaN)
    }

    @Test func randomInitIsSeededAndScaled() {
        var g = SeededGenerator(seed: 11)
        let m = Matrix.gaussian(rows: 200, cols: 200, sd: 0.5, using: &g)
        let s = MeanSEM(m.storage)
        #expect(abs(s.mean) < 0.01)
        #expect(abs(s.sd - 0.5) < 0.01)
        var g2 = SeededGenerator(seed: 11)
        #expect(Matrix.gaussian(rows: 200, cols: 200, sd: 0.5, using: &g2) == m)
        let u = Matrix.uniform(rows: 10, cols: 10, in: 0.1...0.2, using: &g)
        #expect(u.storage.allSatisfy { $0 >= 0.1 && $0 <= 0.2 })
    }

    @Test func nonlinearitiesAndDerivatives() {
        #expect(Nonlinearity.sigmoid.value(0) == 0.5)
        #expect(Nonlinearity.sigmoid.derivative(0) == 0.25)
        #expect(Nonlinearity.relu.value(-2) == 0 && Nonlinearity.relu.value(3) == 3)
        #expect(Nonlinearity.relu.derivative(-1) == 0 && Nonlinearity.relu.derivative(1) == 1)
        #expect(abs(Nonlinearity.softplus.value(0) - 0.6931471805599453) < 1e-15)
        #expect(Nonlinearity.softplus.value(1000) == 1000)  // no overflow
        #expect(Nonlinearity.sigmoid.value(-1000) == 0 && Nonlinearity.sigmoid.value(1000) == 1)
        // NaN stays NaN (Swift.max(0, .nan) would give 0).
        for f in Nonlinearity.allCases {
            #expect(f.value(.nan).isNaN, "\(f)")
            if f != .identity { #expect(f.derivative(.nan).isNaN, "\(f)") }  // f′ ≡ 1 for the identity
        }
        // Derivatives agree with central differences.
        for f in Nonlinearity.allCases {
            for x in [-1.7, -0.3, 0.4, 2.2] {
                let h = 1e-6
                let numeric = (f.value(x + h) - f.value(x - h)) / (2 * h)
                #expect(abs(numeric - f.derivative(x)) < 1e-7, "\(f) at \(x)")
            }
        }
    }

    @Test func softmaxIsStable() {
        let p = softmax([1000, 1001, 1002])
        let q = softmax([0, 1, 2])
        for i in 0..<3 { #expect(abs(p[i] - q[i]) < 1e-15) }
        #expect(abs(q.reduce(0, +) - 1) < 1e-15)
        #expect(abs(q[2] - 0.6652409557748219) < 1e-15)
        let flat = softmax([0, 1, 2], temperature: 1e6)
        #expect(abs(flat[0] - 1.0 / 3) < 1e-5)
    }
}
