// Angles between directions: how far a learning rule's update points from the
// true gradient (feedback alignment, perturbation estimates), or how far one
// weight matrix points from another once both are flattened.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Array where Element == Double {
    /// Cosine similarity xᵀy / (‖x‖ ‖y‖), in [−1, 1]; NaN when either vector is zero or
    /// holds a NaN or ±∞ (the clamp to [−1, 1] keeps NaN: `Swift.min(1, .nan)` alone is 1).
    /// The three sums xᵀy, xᵀx and yᵀy run in one pass, each in index order (the bits of
    /// `dot(_:)` and `norm`), so that their additions overlap instead of waiting in turn.
    public func cosineSimilarity(_ other: [Double]) -> Double {
        precondition(count == other.count, "cosine: lengths \(count) and \(other.count)")
        var (d, xx, yy) = (0.0, 0.0, 0.0)
        withUnsafeBufferPointer { x in
            other.withUnsafeBufferPointer { y in
                for i in 0..<x.count {
                    d += x[i] * y[i]
                    xx += x[i] * x[i]
                    yy += y[i] * y[i]
                }
            }
        }
        let n = xx.squareRoot() * yy.squareRoot()
        if n == 0 { return .nan }
        let c = d / n
        return c.isNaN ? .nan : Swift.max(-1, Swift.min(1, c))
    }

    /// The angle between the two vectors in degrees, in [0, 180]; NaN when either is zero.
    func angleDegrees(_ other: [Double]) -> Double {
        let c = cosineSimilarity(other)
        return c.isNaN ? .nan : acos(c) * 180 / Double.pi
    }
}

extension Matrix {
    /// Cosine similarity of the two matrices flattened (same shape): ⟨A, B⟩_F / (‖A‖_F ‖B‖_F).
    func cosineSimilarity(_ other: Matrix) -> Double {
        precondition(
            rows == other.rows && cols == other.cols,
            "cosine: shapes \(rows)×\(cols) and \(other.rows)×\(other.cols)")
        return storage.cosineSimilarity(other.storage)
    }

    /// The angle in degrees between the two matrices flattened (same shape), in [0, 180].
    public func angleDegrees(_ other: Matrix) -> Double {
        precondition(
            rows == other.rows && cols == other.cols,
            "angle: shapes \(rows)×\(cols) and \(other.rows)×\(other.cols)")
        return storage.angleDegrees(other.storage)
    }
}
