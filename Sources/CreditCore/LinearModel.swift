// The best linear model: a reference line for tasks a linear map cannot solve.

/// An affine map y = A x + c, fitted by least squares.
public struct LinearModel: Sendable, Equatable {
    /// A, `outputs × inputs`.
    var weights: Matrix
    /// c, one per output.
    var bias: [Double]

    /// A model from explicit parts.
    init(weights: Matrix, bias: [Double]) {
        precondition(bias.count == weights.rows, "one bias per output")
        self.weights = weights
        self.bias = bias
    }

    /// Ordinary least squares on `data` (minimises the mean of ½‖A x + c − t‖²) via the
    /// normal equations (XᵀX + λI) θ = Xᵀ T on inputs augmented with a constant 1, solved
    /// by Cholesky. `ridge` λ (not applied to the intercept) only guards against a singular XᵀX.
    public static func fit(_ data: Dataset, ridge: Double = 1e-10) -> LinearModel {
        let n = data.count, d = data.inputSize, m = data.targetSize
        precondition(n > 0, "fit on an empty dataset")
        var x = Matrix(rows: n, cols: d + 1)  // [x, 1]
        for k in 0..<n {
            for j in 0..<d { x[k, j] = data.inputs[k, j] }
            x[k, d] = 1
        }
        let xt = x.transposed
        var gram = xt.multiply(x)
        for j in 0..<d { gram[j, j] += ridge * Double(n) }
        guard let theta = Matrix.choleskySolve(gram, xt.multiply(data.targets)) else {
            preconditionFailure("least squares: XᵀX is not positive definite")
        }
        // theta is (d + 1) × m: rows 0..<d are Aᵀ, row d is c.
        var a = Matrix(rows: m, cols: d)
        for i in 0..<m { for j in 0..<d { a[i, j] = theta[j, i] } }
        return LinearModel(weights: a, bias: theta.row(d))
    }

    /// y = A x + c.
    func predict(_ x: [Double]) -> [Double] { weights.multiply(x).adding(bias) }

    /// The mean of ½‖A x + c − t‖² over `data` (the same convention as ``LayeredNetwork``).
    public func meanLoss(on data: Dataset) -> Double {
        var s = 0.0
        for k in 0..<data.count {
            let r = predict(data.input(k)).subtracting(data.target(k))
            s += 0.5 * r.dot(r)
        }
        return s / Double(data.count)
    }
}

extension Matrix {
    /// Solves A X = B for a symmetric positive definite A by the Cholesky factorisation
    /// A = L Lᵀ and two triangular solves. Returns nil when A is not positive definite.
    static func choleskySolve(_ a: Matrix, _ b: Matrix) -> Matrix? {
        precondition(a.rows == a.cols && b.rows == a.rows, "A X = B: A must be square with as many rows as B")
        let n = a.rows
        var l = Matrix(rows: n, cols: n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i, i] = s.squareRoot()
                } else {
                    l[i, j] = s / l[j, j]
                }
            }
        }
        var x = b
        for c in 0..<b.cols {
            for i in 0..<n {  // L y = b
                var s = x[i, c]
                for k in 0..<i { s -= l[i, k] * x[k, c] }
                x[i, c] = s / l[i, i]
            }
            var i = n - 1
            while i >= 0 {  // Lᵀ x = y
                var s = x[i, c]
                for k in (i + 1)..<n { s -= l[k, i] * x[k, c] }
                x[i, c] = s / l[i, i]
                i -= 1
            }
        }
        return x
    }
}
