// A test of Eq. (1): the backprop gradient against central finite differences
// of the loss, one weight and one bias at a time.

/// Backprop against finite differences, layer by layer.
struct GradientCheckResult: Sendable, Equatable {
    /// Per layer: ‖g_bp − g_fd‖ / max(‖g_bp‖, ‖g_fd‖) over the layer's weights (0 when both
    /// vanish, NaN when either holds a NaN).
    var weightErrors: [Double]
    /// The same for each layer's bias.
    var biasErrors: [Double]
    /// The smallest |a| over every pre-activation of every sample: near a kink of
    /// f (relu at 0) a finite difference can straddle it and the check is meaningless.
    /// NaN if any pre-activation is NaN.
    var closestPreActivationToZero: Double

    /// The largest relative error over all layers, weights and biases (0 when there are
    /// none); NaN if any of them is NaN (`Array.max()` would skip a NaN that is not first).
    var maxRelativeError: Double {
        let all = weightErrors + biasErrors
        return all.contains(where: \.isNaN) ? .nan : all.max() ?? 0
    }
}

/// Compares `gradient` (default: backprop's, ``LayeredNetwork/gradient(on:)``, Eq. 1) with
/// the central difference (E(θ + ε) − E(θ − ε)) / 2ε of the mean loss on `data`, for every
/// weight and bias. Truncation error is O(ε²), rounding error O(10⁻¹⁶ E / ε).
func gradientCheck(
    _ network: LayeredNetwork, on data: Dataset, epsilon: Double = 1e-5,
    gradient: NetworkGradient? = nil
) -> GradientCheckResult {
    let g = gradient ?? network.gradient(on: data)
    var closest = Double.infinity
    for k in 0..<data.count {
        for a in network.forward(data.input(k)).preActivations.dropLast() {  // hidden layers only: the output is linear
            for v in a { closest = v.isNaN ? .nan : Swift.min(closest, Swift.abs(v)) }  // NaN sticks
        }
    }
    func central(_ change: (inout LayeredNetwork, Double) -> Void) -> Double {
        var plus = network, minus = network
        change(&plus, epsilon)
        change(&minus, -epsilon)
        return (plus.meanLoss(on: data) - minus.meanLoss(on: data)) / (2 * epsilon)
    }
    func relative(_ a: [Double], _ b: [Double]) -> Double {
        let d = a.subtracting(b).norm, n = Swift.max(a.norm, b.norm)
        if d.isNaN || n.isNaN { return .nan }  // Swift.max(0, .nan) is 0: do not report 0 for NaN
        return n == 0 ? 0 : d / n
    }
    var we = [Double](), be = [Double]()
    for l in 0..<network.layerCount {
        let fdW = (0..<network.weights[l].storage.count).map { k in central { $0.weights[l][flat: k] += $1 } }
        let fdB = (0..<network.biases[l].count).map { k in central { $0.biases[l][k] += $1 } }
        we.append(relative(g.weights[l].storage, fdW))
        be.append(relative(g.biases[l], fdB))
    }
    return GradientCheckResult(weightErrors: we, biasErrors: be, closestPreActivationToZero: closest)
}
