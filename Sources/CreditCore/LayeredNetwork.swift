// Structural credit assignment (Eq. 1 of the review) in a multilayer perceptron:
//
//   ΔW_i ∝ −∂E/∂W_i = −e_i h_{i−1}ᵀ,   e_L = y − t,   e_i = (W_{i+1}ᵀ e_{i+1}) ∘ f′(a_i)      (1)
//
// with h_{i−1} = f(a_{i−1}) the activity of the layer below (h_0 = x, the input).
//
// Indexing: the review counts weight layers i = 1…L; arrays here are 0-based,
// so `weights[l]` is W_{l+1}, `biases[l]` is b_{l+1}, `preActivations[l]` is
// a_{l+1}, `errors[l]` is e_{l+1}, and `activations[l]` is h_l (h_0 = x).

/// A multilayer perceptron with layer sizes [n₀, n₁, …, n_L]: a_i = W_i h_{i−1} + b_i,
/// h_i = f(a_i) for the hidden layers i < L, and a linear output y = h_L = a_L.
///
/// Loss convention: E = ½‖y − t‖² for one sample; on a dataset or mini-batch the
/// loss and the gradient are means over samples.
public struct LayeredNetwork: Sendable, Equatable {
    /// `weights[l]` is W_{l+1}, an n_{l+1} × n_l matrix (rows = units of the layer it feeds).
    public var weights: [Matrix]
    /// `biases[l]` is b_{l+1} (length n_{l+1}).
    var biases: [[Double]]
    /// The hidden nonlinearity f (the output layer is linear).
    var nonlinearity: Nonlinearity

    /// A network from explicit weights and biases (shapes must chain).
    init(weights: [Matrix], biases: [[Double]], nonlinearity: Nonlinearity) {
        precondition(!weights.isEmpty && weights.count == biases.count, "one bias vector per weight matrix")
        for l in 0..<weights.count {
            precondition(biases[l].count == weights[l].rows, "layer \(l + 1): bias length \(biases[l].count) ≠ \(weights[l].rows) units")
            if l > 0 {
                precondition(
                    weights[l].cols == weights[l - 1].rows,
                    "layer \(l + 1): \(weights[l].cols) inputs but the layer below has \(weights[l - 1].rows) units")
            }
        }
        self.weights = weights
        self.biases = biases
        self.nonlinearity = nonlinearity
    }

    /// A random network with layer sizes `sizes` = [n₀, …, n_L] (at least two):
    /// W_i has independent entries N(0, `weightScale`² / n_{i−1}) (scale 1 keeps the
    /// variance of a_i near that of h_{i−1}), biases start at 0. Draws W_1, W_2, … in
    /// row-major order.
    public init(
        sizes: [Int], nonlinearity: Nonlinearity, weightScale: Double = 1,
        using rng: inout SeededGenerator
    ) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 >= 1 }, "layer sizes must be ≥ 1, at least two layers")
        var w = [Matrix]()
        for l in 1..<sizes.count {
            w.append(
                .gaussian(
                    rows: sizes[l], cols: sizes[l - 1],
                    sd: weightScale / Double(sizes[l - 1]).squareRoot(), using: &rng))
        }
        self.init(
            weights: w, biases: sizes.dropFirst().map { [Double](repeating: 0, count: $0) },
            nonlinearity: nonlinearity)
    }

    /// Layer sizes [n₀, n₁, …, n_L].
    var sizes: [Int] { [weights[0].cols] + weights.map(\.rows) }
    /// Number of weight layers L.
    var layerCount: Int { weights.count }
    /// Number of weights (excluding biases).
    var weightCount: Int { weights.reduce(0) { $0 + $1.storage.count } }
    /// Number of weights and biases.
    var parameterCount: Int { weightCount + biases.reduce(0) { $0 + $1.count } }

    // MARK: Forward pass

    /// The forward pass for input `x`, keeping every a_i and h_i.
    func forward(_ x: [Double]) -> ForwardPass { forward(x, preActivationNoise: nil) }

    /// The forward pass with `noise[l]` added to a_{l+1} before the nonlinearity
    /// (node perturbation); `nil` is the clean pass.
    func forward(_ x: [Double], preActivationNoise noise: [[Double]]?) -> ForwardPass {
        precondition(x.count == weights[0].cols, "input has \(x.count) elements, the network expects \(weights[0].cols)")
        let last = weights.count - 1
        var a = [[Double]](), h = [x]
        a.reserveCapacity(weights.count)
        h.reserveCapacity(weights.count + 1)
        for l in 0...last {
            var al = weights[l].multiply(h[l])
            al.addScaled(1, biases[l])
            if let noise { al.addScaled(1, noise[l]) }
            h.append(l == last || nonlinearity == .identity ? al : nonlinearity.value(al))
            a.append(al)
        }
        return ForwardPass(preActivations: a, activations: h)
    }

    /// The output y for input `x`.
    func output(_ x: [Double]) -> [Double] { forward(x).output }

    /// E = ½‖y − t‖² for one sample.
    func loss(input x: [Double], target t: [Double]) -> Double {
        var scratch = LossScratch(self)
        return x.withUnsafeBufferPointer { xb in
            t.withUnsafeBufferPointer { tb in loss(xb, tb, perturbedBy: nil, scratch: &scratch) }
        }
    }

    /// E = ½‖y − t‖² of the network with every weight and bias moved by `xi` (W + ξ, b + ξ_b),
    /// without building the moved network.
    func loss(input x: [Double], target t: [Double], perturbedBy xi: NetworkGradient) -> Double {
        var scratch = LossScratch(self)
        return x.withUnsafeBufferPointer { xb in
            t.withUnsafeBufferPointer { tb in loss(xb, tb, perturbedBy: xi, scratch: &scratch) }
        }
    }

    /// The mean of ½‖y − t‖² over `data`, one sample after another, reading the samples in
    /// place and reusing two work vectors.
    public func meanLoss(on data: Dataset) -> Double {
        precondition(data.count > 0, "loss on an empty dataset")
        var scratch = LossScratch(self)
        let (n, m) = (data.inputSize, data.targetSize)
        var s = 0.0
        data.inputs.storage.withUnsafeBufferPointer { inputs in
            data.targets.storage.withUnsafeBufferPointer { targets in
                for k in 0..<data.count {
                    let x = UnsafeBufferPointer(rebasing: inputs[(k * n)..<((k + 1) * n)])
                    let t = UnsafeBufferPointer(rebasing: targets[(k * m)..<((k + 1) * m)])
                    s += loss(x, t, perturbedBy: nil, scratch: &scratch)
                }
            }
        }
        return s / Double(data.count)
    }

    /// E for one sample: the forward pass of ``forward(_:)`` (same operations in the same
    /// order, so the same bits) through the scratch vectors, keeping no activations; with
    /// `xi`, on W + ξ and b + ξ_b.
    private func loss(
        _ x: UnsafeBufferPointer<Double>, _ t: UnsafeBufferPointer<Double>, perturbedBy xi: NetworkGradient?,
        scratch: inout LossScratch
    ) -> Double {
        precondition(x.count == weights[0].cols && t.count == weights[weights.count - 1].rows, "sample size mismatch")
        let last = weights.count - 1
        var loss = 0.0
        scratch.below.withUnsafeMutableBufferPointer { below in
            scratch.above.withUnsafeMutableBufferPointer { above in
                var (h, a) = (below.baseAddress!, above.baseAddress!)
                for j in 0..<x.count { h[j] = x[j] }
                for l in 0...last {
                    let (rows, cols) = (weights[l].rows, weights[l].cols)
                    weights[l].storage.withUnsafeBufferPointer { w in
                        biases[l].withUnsafeBufferPointer { b in
                            if let xi {
                                xi.weights[l].storage.withUnsafeBufferPointer { dw in
                                    xi.biases[l].withUnsafeBufferPointer { db in
                                        for i in 0..<rows {
                                            var s = 0.0
                                            for j in 0..<cols { s += (w[i * cols + j] + dw[i * cols + j]) * h[j] }
                                            a[i] = s + (b[i] + db[i])
                                        }
                                    }
                                }
                            } else {
                                for i in 0..<rows {
                                    var s = 0.0
                                    for j in 0..<cols { s += w[i * cols + j] * h[j] }
                                    a[i] = s + b[i]
                                }
                            }
                        }
                    }
                    if l < last && nonlinearity != .identity {
                        for i in 0..<rows { a[i] = nonlinearity.value(a[i]) }
                    }
                    swap(&h, &a)
                }
                for i in 0..<t.count {
                    let d = h[i] - t[i]
                    loss += d * d
                }
            }
        }
        return 0.5 * loss
    }

    // MARK: Backward pass (Eq. 1)

    /// The error vectors e_1…e_L of one forward pass with a chosen feedback pathway:
    /// e_L = y − t, and for hidden layers e_l = feedback(l, e_{l+1}, e_L) ∘ f′(a_l).
    /// `feedback` receives the 0-based hidden-layer index (`errors[index]` is being
    /// computed), the error of the layer above and the output error. Backprop's
    /// pathway is W_{l+1}ᵀ e_{l+1} (``backpropErrors(_:target:)``).
    func errors(
        _ pass: ForwardPass, target t: [Double],
        feedback: (_ layer: Int, _ above: [Double], _ output: [Double]) -> [Double]
    ) -> [[Double]] {
        let layers = weights.count
        var e = [[Double]](repeating: [], count: layers)
        e[layers - 1] = pass.output.subtracting(t)  // e_L = y − t (linear output)
        var l = layers - 2
        while l >= 0 {
            var back = feedback(l, e[l + 1], e[layers - 1])
            if nonlinearity != .identity {
                // ∘ f′(a_l), with f(a_l) = h_l taken from the pass (tanh′ = 1 − h², not a second tanh).
                let (a, h) = (pass.preActivations[l], pass.activations[l + 1])
                for i in back.indices { back[i] *= nonlinearity.derivative(a[i], value: h[i]) }
            }
            e[l] = back
            l -= 1
        }
        return e
    }

    /// Backprop's error vectors: Eq. (1), e_i = (W_{i+1}ᵀ e_{i+1}) ∘ f′(a_i), e_L = y − t.
    func backpropErrors(_ pass: ForwardPass, target t: [Double]) -> [[Double]] {
        errors(pass, target: t) { l, above, _ in weights[l + 1].transposeMultiply(above) }  // Eq. (1): W_{i+1}ᵀ e_{i+1}
    }

    /// The gradient of E = ½‖y − t‖² for one sample, by backprop:
    /// ∂E/∂W_i = e_i h_{i−1}ᵀ, ∂E/∂b_i = e_i (Eq. 1).
    public func gradient(input x: [Double], target t: [Double]) -> NetworkGradient {
        let pass = forward(x)
        return NetworkGradient(errors: backpropErrors(pass, target: t), activations: pass.activations)
    }

    /// The gradient of the mean loss over `data` (the mean of the per-sample gradients).
    public func gradient(on data: Dataset) -> NetworkGradient {
        var g = NetworkGradient(zeroLike: self)
        let w = 1 / Double(data.count)
        for k in 0..<data.count {
            let pass = forward(data.input(k))
            g.accumulate(errors: backpropErrors(pass, target: data.target(k)), activations: pass.activations, scale: w)
        }
        return g
    }

    // MARK: Updates

    /// A gradient step θ ← θ − η g on every weight and bias.
    mutating func apply(_ g: NetworkGradient, learningRate eta: Double) {
        add(g, scale: -eta)
    }

    /// θ ← θ + `scale` · d on every weight and bias (d shaped like the network).
    mutating func add(_ d: NetworkGradient, scale: Double) {
        precondition(d.weights.count == weights.count, "update has \(d.weights.count) layers, network \(weights.count)")
        for l in 0..<weights.count {
            weights[l].addScaled(scale, d.weights[l])
            biases[l].addScaled(scale, d.biases[l])
        }
    }

    /// `true` when every weight and bias is finite.
    public var isFinite: Bool { weights.allSatisfy(\.isFinite) && biases.allSatisfy(\.allFinite) }
}

/// Two work vectors as long as the widest layer, for a forward pass that keeps nothing.
private struct LossScratch {
    var below: [Double]
    var above: [Double]

    init(_ network: LayeredNetwork) {
        let width = network.sizes.max() ?? 0
        below = [Double](repeating: 0, count: width)
        above = below
    }
}

/// The quantities of one forward pass.
struct ForwardPass: Sendable, Equatable {
    /// `preActivations[l]` is a_{l+1} = W_{l+1} h_l + b_{l+1} (plus any injected noise).
    var preActivations: [[Double]]
    /// `activations[l]` is h_l: h_0 = x, h_l = f(a_l) for hidden layers, h_L = a_L = y.
    var activations: [[Double]]

    /// The network output y = h_L.
    var output: [Double] { activations[activations.count - 1] }

    /// E = ½‖y − t‖².
    func loss(target t: [Double]) -> Double {
        let d = output.subtracting(t)
        return 0.5 * d.dot(d)
    }
}

/// One value per weight and bias of a ``LayeredNetwork``: a gradient, a gradient
/// estimate or an update direction. `weights[l]` and `biases[l]` belong to layer l + 1.
public struct NetworkGradient: Sendable, Equatable {
    /// One matrix per layer, shaped like the network's W_{l+1}.
    public var weights: [Matrix]
    /// One vector per layer, shaped like b_{l+1}.
    var biases: [[Double]]

    /// A gradient from explicit parts.
    init(weights: [Matrix], biases: [[Double]]) {
        self.weights = weights
        self.biases = biases
    }

    /// All zeros, shaped like `network`.
    public init(zeroLike network: LayeredNetwork) {
        weights = network.weights.map { Matrix(rows: $0.rows, cols: $0.cols) }
        biases = network.biases.map { [Double](repeating: 0, count: $0.count) }
    }

    /// The outer-product form of Eq. (1): weights[l] = e_{l+1} h_lᵀ, biases[l] = e_{l+1}.
    init(errors e: [[Double]], activations h: [[Double]]) {
        precondition(h.count == e.count + 1, "need h_0…h_{L−1} for errors e_1…e_L")
        weights = (0..<e.count).map { l in
            var m = Matrix(rows: e[l].count, cols: h[l].count)
            m.addOuter(1, e[l], h[l])
            return m
        }
        biases = e
    }

    /// Adds `scale` · e_{l+1} h_lᵀ to every layer (mini-batch accumulation of Eq. 1).
    mutating func accumulate(errors e: [[Double]], activations h: [[Double]], scale: Double) {
        for l in 0..<weights.count {
            weights[l].addOuter(scale, e[l], h[l])
            biases[l].addScaled(scale, e[l])
        }
    }

    /// `self += scale · other` (same shapes).
    public mutating func add(_ other: NetworkGradient, scale: Double = 1) {
        for l in 0..<weights.count {
            weights[l].addScaled(scale, other.weights[l])
            biases[l].addScaled(scale, other.biases[l])
        }
    }

    /// Every entry multiplied by `a`.
    func scaled(_ a: Double) -> NetworkGradient {
        NetworkGradient(weights: weights.map { $0.scaled(a) }, biases: biases.map { $0.scaled(a) })
    }

    /// Layer l + 1's weights and bias flattened into one vector (weights row-major, then bias).
    func layer(_ l: Int) -> [Double] { weights[l].storage + biases[l] }

    /// Every entry, layer by layer (each layer's weights row-major, then its bias).
    public var flattened: [Double] {
        var out = [Double]()
        out.reserveCapacity(weights.reduce(0) { $0 + $1.storage.count } + biases.reduce(0) { $0 + $1.count })
        for l in 0..<weights.count {
            out.append(contentsOf: weights[l].storage)
            out.append(contentsOf: biases[l])
        }
        return out
    }

    /// Euclidean norm over every weight and bias.
    var norm: Double { flattened.norm }

    /// `true` when every entry is finite.
    var isFinite: Bool { weights.allSatisfy(\.isFinite) && biases.allSatisfy(\.allFinite) }

    /// Cosine similarity with `other` over all weights and biases.
    func cosineSimilarity(_ other: NetworkGradient) -> Double { flattened.cosineSimilarity(other.flattened) }

    /// Angle in degrees with `other` over all weights and biases.
    func angleDegrees(_ other: NetworkGradient) -> Double { flattened.angleDegrees(other.flattened) }
}
