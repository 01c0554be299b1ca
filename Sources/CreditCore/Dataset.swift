// Supervised data: input–target pairs kept as two contiguous row-major
// matrices (row k is sample k), so a test set is two arrays, not many.

/// Input–target pairs: row k of `inputs` is sample k's input, row k of `targets` its target.
public struct Dataset: Sendable, Equatable {
    /// One input per row (`count × inputSize`).
    var inputs: Matrix
    /// One target per row (`count × targetSize`).
    var targets: Matrix

    /// A dataset; `inputs` and `targets` must have the same number of rows.
    public init(inputs: Matrix, targets: Matrix) {
        precondition(
            inputs.rows == targets.rows,
            "dataset: \(inputs.rows) inputs but \(targets.rows) targets")
        self.inputs = inputs
        self.targets = targets
    }

    /// A dataset from `count` samples produced by `sample` (each returns an input and its target).
    public init(count: Int, inputSize: Int, targetSize: Int, _ sample: (Int) -> (input: [Double], target: [Double])) {
        var x = [Double](), t = [Double]()
        x.reserveCapacity(count * inputSize)
        t.reserveCapacity(count * targetSize)
        for k in 0..<count {
            let s = sample(k)
            precondition(
                s.input.count == inputSize && s.target.count == targetSize,
                "dataset sample \(k) has the wrong size")
            x += s.input
            t += s.target
        }
        self.init(
            inputs: Matrix(rows: count, cols: inputSize, storage: x),
            targets: Matrix(rows: count, cols: targetSize, storage: t))
    }

    /// Number of samples.
    var count: Int { inputs.rows }
    /// Length of each input.
    var inputSize: Int { inputs.cols }
    /// Length of each target.
    var targetSize: Int { targets.cols }

    /// Sample k's input.
    func input(_ k: Int) -> [Double] { inputs.row(k) }
    /// Sample k's target.
    func target(_ k: Int) -> [Double] { targets.row(k) }

    /// `body` on sample k's input and target, read in place (no copies).
    func withSample<R>(_ k: Int, _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) -> R) -> R {
        let (n, m) = (inputSize, targetSize)
        return inputs.storage.withUnsafeBufferPointer { x in
            targets.storage.withUnsafeBufferPointer { t in
                body(UnsafeBufferPointer(rebasing: x[(k * n)..<((k + 1) * n)]), UnsafeBufferPointer(rebasing: t[(k * m)..<((k + 1) * m)]))
            }
        }
    }
}
