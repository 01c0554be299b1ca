// Dense linear algebra on contiguous `[Double]` storage: enough for the
// networks and learning rules of the toolkit, written out so a reader can
// see every loop. Hot loops run on unsafe buffer pointers.
//
// IEEE semantics hold everywhere: no kernel skips a zero factor, so a 0 in one
// operand meeting ∞ or NaN in the other gives NaN (0 · ∞ = NaN) instead of
// being hidden, and a diverging run shows up in the divergence checks.

/// A dense matrix of `Double` stored row-major in one contiguous array:
/// element (i, j) lives at `storage[i * cols + j]`.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    /// Number of rows.
    let rows: Int
    /// Number of columns.
    let cols: Int
    /// Row-major elements, `rows * cols` of them. Read-only from outside the type, so the
    /// count always matches the shape; change elements through the subscripts or
    /// `withUnsafeMutableBufferPointer(_:)`.
    public private(set) var storage: [Double]

    /// A `rows × cols` matrix with every element equal to `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        storage = Array(repeating: value, count: rows * cols)
    }

    /// A matrix from row-major `storage` (its count must be `rows * cols`).
    init(rows: Int, cols: Int, storage: [Double]) {
        precondition(storage.count == rows * cols, "storage has \(storage.count) elements, expected \(rows * cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A matrix from an array of equally long rows.
    init(_ rowArrays: [[Double]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "all rows must have the same length")
        self.init(rows: rowArrays.count, cols: c, storage: rowArrays.flatMap { $0 })
    }

    /// The `n × n` identity matrix.
    static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// A matrix with independent Gaussian entries N(`mean`, `sd`²), drawn in row-major order.
    public static func gaussian(
        rows: Int, cols: Int, mean: Double = 0, sd: Double,
        using rng: inout SeededGenerator
    ) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        m.storage.withUnsafeMutableBufferPointer { rng.fillGaussian($0, mean: mean, sd: sd) }
        return m
    }

    /// A matrix with independent uniform entries in `range`, drawn in row-major order.
    static func uniform(
        rows: Int, cols: Int, in range: ClosedRange<Double>,
        using rng: inout SeededGenerator
    ) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for k in 0..<m.storage.count { m.storage[k] = rng.uniform(in: range) }
        return m
    }

    /// Element (i, j).
    subscript(i: Int, j: Int) -> Double {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    /// Element `k` of the row-major storage, i.e. element (k / cols, k % cols).
    subscript(flat k: Int) -> Double {
        get { storage[k] }
        set { storage[k] = newValue }
    }

    /// Calls `body` with a mutable buffer over the `rows * cols` row-major elements, for
    /// hot loops. The buffer's size is fixed, so the shape cannot change.
    mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Row `i` as a new array.
    public func row(_ i: Int) -> [Double] { Array(storage[(i * cols)..<((i + 1) * cols)]) }

    /// Column `j` as a new array.
    func column(_ j: Int) -> [Double] { (0..<rows).map { self[$0, j] } }

    /// The transpose (a `cols × rows` matrix).
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t[j, i] = self[i, j] } }
        return t
    }

    /// Matrix–vector product `W v` (length `rows`; `v` has length `cols`).
    public func multiply(_ v: [Double]) -> [Double] {
        [Double](unsafeUninitializedCapacity: rows) { out, n in
            multiply(v, into: out)
            n = rows
        }
    }

    /// `W v` written into `out` (length `rows`), so nothing is allocated.
    public func multiply(_ v: [Double], into out: UnsafeMutableBufferPointer<Double>) {
        v.withUnsafeBufferPointer { multiply($0, into: out) }
    }

    /// `W v` written into `out` (length `rows`); each row summed in column order.
    func multiply(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == cols, "W v: vector has \(x.count) elements, W has \(cols) columns")
        precondition(out.count == rows, "W v: output has \(out.count) elements, W has \(rows) rows")
        guard cols > 0 else { return out.update(repeating: 0) }
        storage.withUnsafeBufferPointer { w in
            rowDots(rows: rows, cols: cols, x.baseAddress!, weight: { w[$0] }) { out[$0] = $1 }
        }
    }

    /// Transposed product `Wᵀ v` (length `cols`; `v` has length `rows`), without forming Wᵀ.
    func transposeMultiply(_ v: [Double]) -> [Double] {
        [Double](unsafeUninitializedCapacity: cols) { out, n in
            v.withUnsafeBufferPointer { transposeMultiply($0, into: out) }
            n = cols
        }
    }

    /// `Wᵀ v` written into `out` (length `cols`): zeroed, then row i of W times v_i added, row by row.
    func transposeMultiply(_ v: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        precondition(v.count == rows, "Wᵀ v: vector has \(v.count) elements, W has \(rows) rows")
        precondition(y.count == cols, "Wᵀ v: output has \(y.count) elements, W has \(cols) columns")
        y.update(repeating: 0)
        storage.withUnsafeBufferPointer { w in
            for i in 0..<rows {
                let xi = v[i]
                let base = i &* cols
                for j in 0..<cols { y[j] += w[base &+ j] * xi }
            }
        }
    }

    /// Matrix product `self · other`.
    func multiply(_ other: Matrix) -> Matrix {
        precondition(cols == other.rows, "A B: A is \(rows)×\(cols), B is \(other.rows)×\(other.cols)")
        var out = Matrix(rows: rows, cols: other.cols)
        let n = other.cols
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                out.storage.withUnsafeMutableBufferPointer { c in
                    for i in 0..<rows {
                        for k in 0..<cols {
                            let aik = a[i * cols + k]
                            for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Rank-1 update `W += a · u vᵀ` (`u` has length `rows`, `v` length `cols`):
    /// the shape of every outer-product learning rule (Hebbian, delta rule, backprop).
    mutating func addOuter(_ a: Double, _ u: [Double], _ v: [Double]) {
        u.withUnsafeBufferPointer { uu in v.withUnsafeBufferPointer { addOuter(a, uu, $0) } }
    }

    /// `W += a · u vᵀ` from buffers, as ``addOuter(_:_:_:)``.
    mutating func addOuter(_ a: Double, _ u: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>) {
        precondition(u.count == rows, "W += a u vᵀ: u has \(u.count) elements, W has \(rows) rows")
        addOuter(a, v) { u[$0] }
    }

    /// Rank-1 update `W += a · e_k vᵀ` with e_k the one-hot vector of `unit` k, without forming
    /// e_k: every row i still gets `(a · [i = k]) v`, as from ``addOuter(_:_:_:)``, so a zero
    /// factor meeting ∞ or NaN in `a` or `v` still gives NaN.
    mutating func addOuter(_ a: Double, unit k: Int, _ v: [Double]) {
        precondition(k >= 0 && k < rows, "one-hot index \(k) out of 0..<\(rows)")
        v.withUnsafeBufferPointer { vv in addOuter(a, vv) { $0 == k ? 1 : 0 } }
    }

    /// `W += a · u vᵀ` with u_i = `u(i)`.
    @inline(__always)
    private mutating func addOuter(_ a: Double, _ vv: UnsafeBufferPointer<Double>, _ u: (Int) -> Double) {
        precondition(vv.count == cols, "W += a u vᵀ: v has \(vv.count) elements, W has \(cols) columns")
        let (r, c) = (rows, cols)
        storage.withUnsafeMutableBufferPointer { w in
            for i in 0..<r {
                let s = a * u(i)
                let base = i &* c
                for j in 0..<c { w[base &+ j] += s * vv[j] }
            }
        }
    }

    /// `self += a · other` elementwise (same shape).
    mutating func addScaled(_ a: Double, _ other: Matrix) {
        precondition(rows == other.rows && cols == other.cols, "shape mismatch")
        storage.addScaled(a, other.storage)
    }

    /// Every element multiplied by `a`.
    func scaled(_ a: Double) -> Matrix { Matrix(rows: rows, cols: cols, storage: storage.scaled(a)) }

    /// Frobenius norm √(Σ W_ij²).
    public var frobeniusNorm: Double { storage.norm }

    /// `true` when no element is NaN or infinite.
    var isFinite: Bool { storage.allSatisfy { $0.isFinite } }

    /// A readable multi-line rendering (for debugging and tests).
    public var description: String {
        (0..<rows).map { i in row(i).map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
    }
}

// MARK: - Vector helpers on [Double]

extension Array where Element == Double {
    /// A vector of `count` independent Gaussian draws N(`mean`, `sd`²).
    public static func gaussian(
        count: Int, mean: Double = 0, sd: Double,
        using rng: inout SeededGenerator
    ) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, n in
            buffer.initialize(repeating: 0)
            rng.fillGaussian(buffer, mean: mean, sd: sd)
            n = count
        }
    }

    /// A vector of `count` independent uniform draws in `range`.
    static func uniform(
        count: Int, in range: ClosedRange<Double>,
        using rng: inout SeededGenerator
    ) -> [Double] {
        (0..<count).map { _ in rng.uniform(in: range) }
    }

    /// The one-hot vector of length `count` with a 1 at `index`.
    static func oneHot(_ index: Int, count: Int) -> [Double] {
        precondition(index >= 0 && index < count, "one-hot index \(index) out of 0..<\(count)")
        var v = [Double](repeating: 0, count: count)
        v[index] = 1
        return v
    }

    /// Dot product `xᵀ y`.
    func dot(_ other: [Double]) -> Double {
        precondition(count == other.count, "dot: lengths \(count) and \(other.count)")
        return withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                var s = 0.0
                for i in 0..<a.count { s += a[i] * b[i] }
                return s
            }
        }
    }

    /// axpy: `self += a · x` in place.
    mutating func addScaled(_ a: Double, _ x: [Double]) {
        precondition(count == x.count, "axpy: lengths \(count) and \(x.count)")
        withUnsafeMutableBufferPointer { y in
            x.withUnsafeBufferPointer { xx in
                for i in 0..<y.count { y[i] += a * xx[i] }
            }
        }
    }

    /// Every element multiplied by `a`.
    func scaled(_ a: Double) -> [Double] { map { $0 * a } }

    /// Elementwise `self + other`.
    func adding(_ other: [Double]) -> [Double] { zipped(other, +) }

    /// Elementwise `self − other`.
    func subtracting(_ other: [Double]) -> [Double] { zipped(other, -) }

    /// Elementwise (Hadamard, ∘) product.
    func hadamard(_ other: [Double]) -> [Double] { zipped(other, *) }

    /// Elementwise combination of two equally long vectors.
    func zipped(_ other: [Double], _ op: (Double, Double) -> Double) -> [Double] {
        precondition(count == other.count, "elementwise op: lengths \(count) and \(other.count)")
        return withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                [Double](unsafeUninitializedCapacity: a.count) { out, n in
                    for i in 0..<a.count { out[i] = op(a[i], b[i]) }
                    n = a.count
                }
            }
        }
    }

    /// Sum of the elements.
    var sum: Double { reduce(0, +) }

    /// Arithmetic mean (NaN for an empty vector).
    public var mean: Double { isEmpty ? .nan : sum / Double(count) }

    /// The index of the largest entry, the lowest index on ties (0 for an empty vector; a NaN
    /// entry never wins unless it comes first).
    public var argmax: Int {
        var best = 0
        for k in indices.dropFirst() where self[k] > self[best] { best = k }
        return best
    }

    /// Euclidean norm √(Σ xᵢ²).
    var norm: Double { dot(self).squareRoot() }

    /// The largest element; NaN if any element is NaN or the array is empty (unlike
    /// `max()`, which skips a NaN that is not first).
    public var largest: Double {
        guard var m = first else { return .nan }
        for x in self {
            if x.isNaN { return .nan }
            m = Swift.max(m, x)
        }
        return m
    }

    /// Maximum absolute value (0 for an empty vector); NaN if any element is NaN.
    ///
    /// `Swift.max(0, .nan)` is 0, so a plain max-reduction would drop NaN and a check
    /// such as `difference.maxAbs < 1e-12` would pass on an all-NaN result. Here NaN
    /// wins, so every comparison with the result is false. ±∞ gives +∞.
    var maxAbs: Double {
        var m = 0.0
        for x in self {
            if x.isNaN { return .nan }
            m = Swift.max(m, Swift.abs(x))
        }
        return m
    }

    /// `true` when no element is NaN or infinite.
    var allFinite: Bool { allSatisfy { $0.isFinite } }
}

/// The row sums Σ_j w(i · cols + j) · x[j] of a row-major `rows × cols` matrix, each summed
/// in column order from 0, handed to `body(i, sum)` in row order. Four rows run side by side:
/// their sums are independent chains, so the additions overlap in the pipeline instead of
/// waiting on each other, while every row still adds the same products in the same order as
/// a one-row loop, giving the same bits. `weight` reads element k of the matrix (a perturbed
/// matrix can add its jitter here).
@inline(__always)
func rowDots(
    rows: Int, cols: Int, _ x: UnsafePointer<Double>, weight w: (Int) -> Double, _ body: (Int, Double) -> Void
) {
    var i = 0
    while i &+ 4 <= rows {
        let b0 = i &* cols
        let (b1, b2, b3) = (b0 &+ cols, b0 &+ 2 &* cols, b0 &+ 3 &* cols)
        var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
        for j in 0..<cols {
            let xj = x[j]
            s0 += w(b0 &+ j) * xj
            s1 += w(b1 &+ j) * xj
            s2 += w(b2 &+ j) * xj
            s3 += w(b3 &+ j) * xj
        }
        body(i, s0)
        body(i &+ 1, s1)
        body(i &+ 2, s2)
        body(i &+ 3, s3)
        i &+= 4
    }
    while i < rows {
        let base = i &* cols
        var s = 0.0
        for j in 0..<cols { s += w(base &+ j) * x[j] }
        body(i, s)
        i &+= 1
    }
}
