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
        var ws = PassWorkspace(self)
        if let noise { for l in noise.indices { ws.setNodeNoise(l, noise[l]) } }
        x.withUnsafeBufferPointer { forward($0, addingNodeNoise: noise != nil, into: &ws) }
        return ForwardPass(
            preActivations: (0..<layerCount).map { ws.preActivation($0) },
            activations: (0...layerCount).map { ws.activation($0) })
    }

    /// The forward pass for input `x` written into `ws` (every a_i and h_i), allocating nothing:
    /// a_i = W_i h_{i−1} + b_i (+ ξ_i, `ws`'s node noise, when `addingNodeNoise`), h_i = f(a_i)
    /// for hidden layers, y = a_L. Each a_i is summed in column order, then b_i, then ξ_i added.
    func forward(_ x: UnsafeBufferPointer<Double>, addingNodeNoise: Bool, into ws: inout PassWorkspace) {
        precondition(x.count == weights[0].cols, "input has \(x.count) elements, the network expects \(weights[0].cols)")
        precondition(ws.fits(self), "workspace made for layer sizes \(ws.sizes), network has \(sizes)")
        let last = weights.count - 1
        let identity = nonlinearity == .identity
        ws.h.withUnsafeMutableBufferPointer { hb in
            ws.a.withUnsafeMutableBufferPointer { ab in
                ws.nodeNoise.withUnsafeBufferPointer { nb in
                    let (h, a, noise) = (hb.baseAddress!, ab.baseAddress!, nb.baseAddress!)
                    for j in 0..<x.count { h[j] = x[j] }
                    for l in 0...last {
                        let (rows, cols) = (weights[l].rows, weights[l].cols)
                        let (below, out) = (UnsafePointer(h + ws.hOffset[l]), a + ws.aOffset[l])
                        weights[l].storage.withUnsafeBufferPointer { w in
                            biases[l].withUnsafeBufferPointer { b in
                                rowDots(rows: rows, cols: cols, below, weight: { w[$0] }) { i, s in out[i] = s + b[i] }
                            }
                        }
                        if addingNodeNoise {
                            let xi = noise + ws.aOffset[l]
                            for i in 0..<rows { out[i] += xi[i] }
                        }
                        let above = h + ws.hOffset[l + 1]
                        if l == last || identity {
                            for i in 0..<rows { above[i] = out[i] }
                        } else {
                            for i in 0..<rows { above[i] = nonlinearity.value(out[i]) }
                        }
                    }
                }
            }
        }
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

    /// E = ½‖y − t‖² for one sample through `ws`'s loss vectors (nothing allocated).
    func loss(input x: UnsafeBufferPointer<Double>, target t: UnsafeBufferPointer<Double>, in ws: inout PassWorkspace) -> Double {
        loss(x, t, perturbedBy: nil, scratch: &ws.scratch)
    }

    /// E of the network moved by `ws.weightNoise` (W + ξ, b + ξ_b), through `ws`'s loss vectors.
    func loss(
        input x: UnsafeBufferPointer<Double>, target t: UnsafeBufferPointer<Double>, weightNoiseIn ws: inout PassWorkspace
    ) -> Double {
        loss(x, t, perturbedBy: ws.weightNoise, scratch: &ws.scratch)
    }

    /// E with `ws.nodeNoise` added to every a_i before the nonlinearity (node perturbation), as
    /// ``forward(_:addingNodeNoise:into:)`` computes it, keeping no activations.
    func loss(
        input x: UnsafeBufferPointer<Double>, target t: UnsafeBufferPointer<Double>, nodeNoiseIn ws: inout PassWorkspace
    ) -> Double {
        ws.nodeNoise.withUnsafeBufferPointer { noise in
            loss(x, t, perturbedBy: nil, nodeNoise: (noise.baseAddress!, ws.aOffset), scratch: &ws.scratch)
        }
    }

    /// The mean of ½‖y − t‖² over `data`, one sample after another, reading the samples in
    /// place and reusing two work vectors.
    public func meanLoss(on data: Dataset) -> Double {
        precondition(data.count > 0, "loss on an empty dataset")
        var scratch = LossScratch(self)
        var s = 0.0
        for k in 0..<data.count {
            s += data.withSample(k) { x, t in loss(x, t, perturbedBy: nil, scratch: &scratch) }
        }
        return s / Double(data.count)
    }

    /// An upper bound on ``meanLoss(on:)`` from norms alone, at a small fraction of its cost:
    /// ‖a_l‖ ≤ ‖W_l‖_F ‖h_{l−1}‖ + ‖b_l‖ layer by layer from the largest ‖x‖ in `data`, ‖h_l‖
    /// from `Nonlinearity.outputNormBound(inputNorm:units:)`, and ½‖y − t‖² ≤ ½(‖y‖ + ‖t‖)²
    /// with the largest ‖t‖. Rounding makes it approximate in its last bits: compare it with a
    /// margin. Infinite when a weight or bias is not finite.
    public func lossBound(on data: Dataset) -> Double {
        func largestRowNorm(_ m: Matrix) -> Double { (0..<m.rows).map { m.row($0).norm }.max() ?? 0 }
        var h = largestRowNorm(data.inputs)
        let last = weights.count - 1
        for l in 0...last {
            let a = weights[l].frobeniusNorm * h + biases[l].norm
            guard a.isFinite else { return .infinity }
            h = l < last ? nonlinearity.outputNormBound(inputNorm: a, units: weights[l].rows) : a
        }
        let reach = h + largestRowNorm(data.targets)
        return 0.5 * reach * reach
    }

    /// E for one sample: the forward pass of ``forward(_:)`` (same operations in the same
    /// order, so the same bits) through the scratch vectors, keeping no activations; with
    /// `xi`, on W + ξ and b + ξ_b; with `nodeNoise` (values and layer offsets), ξ_i added to a_i.
    private func loss(
        _ x: UnsafeBufferPointer<Double>, _ t: UnsafeBufferPointer<Double>, perturbedBy xi: NetworkGradient?,
        nodeNoise: (values: UnsafePointer<Double>, offsets: [Int])? = nil, scratch: inout LossScratch
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
                                        rowDots(rows: rows, cols: cols, UnsafePointer(h), weight: { w[$0] + dw[$0] }) { i, s in
                                            a[i] = s + (b[i] + db[i])
                                        }
                                    }
                                }
                            } else {
                                rowDots(rows: rows, cols: cols, UnsafePointer(h), weight: { w[$0] }) { i, s in a[i] = s + b[i] }
                            }
                        }
                    }
                    if let nodeNoise {
                        let n = nodeNoise.values + nodeNoise.offsets[l]
                        for i in 0..<rows { a[i] += n[i] }
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

    /// The error vectors e_1…e_L of the forward pass in `ws`, written into `ws`, with a chosen
    /// feedback pathway: e_L = y − t, and for hidden layers e_l = feedback ∘ f′(a_l). `feedback`
    /// receives the 0-based hidden-layer index l (`errors[l]` is being computed), the error of the
    /// layer above, the output error, and the vector to fill. Backprop's pathway is
    /// W_{l+1}ᵀ e_{l+1} (``backpropFeedback(_:above:output:into:)``).
    func errors(
        target t: UnsafeBufferPointer<Double>, in ws: inout PassWorkspace,
        feedback: (
            _ layer: Int, _ above: UnsafeBufferPointer<Double>, _ output: UnsafeBufferPointer<Double>,
            _ into: UnsafeMutableBufferPointer<Double>
        ) -> Void
    ) {
        let layers = weights.count
        precondition(ws.fits(self), "workspace made for layer sizes \(ws.sizes), network has \(sizes)")
        let s = ws.sizes
        precondition(t.count == s[layers], "target has \(t.count) elements, the network outputs \(s[layers])")
        let identity = nonlinearity == .identity
        ws.e.withUnsafeMutableBufferPointer { eb in
            ws.h.withUnsafeBufferPointer { hb in
                ws.a.withUnsafeBufferPointer { ab in
                    let (e, h, a) = (eb.baseAddress!, hb.baseAddress!, ab.baseAddress!)
                    func slice(_ l: Int) -> UnsafeMutableBufferPointer<Double> {
                        UnsafeMutableBufferPointer(start: e + ws.aOffset[l], count: s[l + 1])
                    }
                    let output = slice(layers - 1)
                    let y = h + ws.hOffset[layers]
                    for i in 0..<output.count { output[i] = y[i] - t[i] }  // e_L = y − t (linear output)
                    var l = layers - 2
                    while l >= 0 {
                        let back = slice(l)
                        feedback(l, UnsafeBufferPointer(slice(l + 1)), UnsafeBufferPointer(output), back)
                        if !identity {
                            // ∘ f′(a_l), with f(a_l) = h_l taken from the pass (tanh′ = 1 − h², not a second tanh).
                            let (al, hl) = (a + ws.aOffset[l], h + ws.hOffset[l + 1])
                            for i in 0..<back.count { back[i] *= nonlinearity.derivative(al[i], value: hl[i]) }
                        }
                        l -= 1
                    }
                }
            }
        }
    }

    /// Backprop's pathway, Eq. (1): `into` = W_{l+2}ᵀ e_{l+2} for hidden layer l + 1 (0-based l),
    /// summed row by row of W as ``Matrix/transposeMultiply(_:)`` does.
    func backpropFeedback(
        _ l: Int, above: UnsafeBufferPointer<Double>, output _: UnsafeBufferPointer<Double>,
        into out: UnsafeMutableBufferPointer<Double>
    ) {
        weights[l + 1].transposeMultiply(above, into: out)  // Eq. (1): W_{i+1}ᵀ e_{i+1}
    }

    /// Backprop's errors, Eq. (1), for the pass in `ws`: e_i = (W_{i+1}ᵀ e_{i+1}) ∘ f′(a_i), e_L = y − t.
    func backpropErrors(target t: UnsafeBufferPointer<Double>, in ws: inout PassWorkspace) {
        errors(target: t, in: &ws) { backpropFeedback($0, above: $1, output: $2, into: $3) }
    }

    /// The gradient of E = ½‖y − t‖² for one sample, by backprop:
    /// ∂E/∂W_i = e_i h_{i−1}ᵀ, ∂E/∂b_i = e_i (Eq. 1).
    public func gradient(input x: [Double], target t: [Double]) -> NetworkGradient {
        var ws = PassWorkspace(self)
        x.withUnsafeBufferPointer { forward($0, addingNodeNoise: false, into: &ws) }
        t.withUnsafeBufferPointer { backpropErrors(target: $0, in: &ws) }
        var g = NetworkGradient(zeroLike: self)
        g.accumulate(errorsIn: ws, scale: 1)
        return g
    }

    /// The gradient of the mean loss over `data` (the mean of the per-sample gradients).
    public func gradient(on data: Dataset) -> NetworkGradient {
        var g = NetworkGradient(zeroLike: self)
        let w = 1 / Double(data.count)
        var ws = PassWorkspace(self)
        for k in 0..<data.count {
            data.withSample(k) { x, t in
                forward(x, addingNodeNoise: false, into: &ws)
                backpropErrors(target: t, in: &ws)
            }
            g.accumulate(errorsIn: ws, scale: w)
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

    /// θ ← θ + `scale` · u_{l+1} h_lᵀ on every layer (bias: + `scale` · u_{l+1}), u laid out as
    /// `ws.a` (errors or node noise) and h from `ws`.
    mutating func addOuter(units u: [Double], activationsIn ws: PassWorkspace, scale: Double) {
        addOuterProducts(&weights, &biases, units: u, activationsIn: ws, scale: scale)
    }

    /// `true` when every weight and bias is finite.
    public var isFinite: Bool { weights.allSatisfy(\.isFinite) && biases.allSatisfy(\.allFinite) }
}

/// `weights[l] += scale · u_{l+1} h_lᵀ` and `biases[l] += scale · u_{l+1}` for every layer, with
/// u laid out as `ws.a` and h from `ws` (Eq. 1's update, e_i h_{i−1}ᵀ, when u = e).
private func addOuterProducts(
    _ weights: inout [Matrix], _ biases: inout [[Double]], units u: [Double], activationsIn ws: PassWorkspace,
    scale: Double
) {
    u.withUnsafeBufferPointer { ub in
        ws.h.withUnsafeBufferPointer { hb in
            for l in 0..<weights.count {
                let ul = UnsafeBufferPointer(rebasing: ub[ws.aOffset[l]..<ws.aOffset[l + 1]])
                let hl = UnsafeBufferPointer(rebasing: hb[ws.hOffset[l]..<ws.hOffset[l + 1]])
                weights[l].addOuter(scale, ul, hl)
                biases[l].withUnsafeMutableBufferPointer { b in
                    for i in 0..<b.count { b[i] += scale * ul[i] }
                }
            }
        }
    }
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

/// The vectors of one sample's passes through a network of fixed layer sizes — every a_i, h_i
/// and e_i, node and weight noise, the loss pass's two work vectors — kept from one training
/// step to the next so that a step allocates nothing. Each quantity is one contiguous array
/// with the layers one after another.
public struct PassWorkspace {
    /// Layer sizes [n₀, …, n_L] it was made for.
    let sizes: [Int]
    /// h_0…h_L; h_l starts at `hOffset[l]`.
    var h: [Double]
    /// a_1…a_L; a_{l+1} starts at `aOffset[l]`.
    var a: [Double]
    /// e_1…e_L, laid out as `a`.
    var e: [Double]
    /// Node perturbation's ξ_1…ξ_L, laid out as `a`.
    var nodeNoise: [Double]
    /// Weight perturbation's ξ on every weight and bias.
    var weightNoise: NetworkGradient
    /// The loss pass's work vectors.
    fileprivate var scratch: LossScratch
    let hOffset: [Int]
    let aOffset: [Int]

    /// Whether `network` has the layer sizes this workspace was made for (compared in place:
    /// the check runs on every pass, so it allocates nothing).
    func fits(_ network: LayeredNetwork) -> Bool {
        sizes.count == network.weights.count + 1 && sizes[0] == network.weights[0].cols
            && network.weights.indices.allSatisfy { sizes[$0 + 1] == network.weights[$0].rows }
    }

    /// A workspace for `network`'s layer sizes.
    public init(_ network: LayeredNetwork) {
        sizes = network.sizes
        var ho = [0], ao = [0]
        for n in sizes { ho.append(ho[ho.count - 1] + n) }
        for n in sizes.dropFirst() { ao.append(ao[ao.count - 1] + n) }
        hOffset = ho
        aOffset = ao
        h = [Double](repeating: 0, count: ho[ho.count - 1])
        a = [Double](repeating: 0, count: ao[ao.count - 1])
        e = a
        nodeNoise = a
        weightNoise = NetworkGradient(zeroLike: network)
        scratch = LossScratch(network)
    }

    /// h_l as an array.
    func activation(_ l: Int) -> [Double] { Array(h[hOffset[l]..<hOffset[l + 1]]) }
    /// a_{l+1} as an array.
    func preActivation(_ l: Int) -> [Double] { Array(a[aOffset[l]..<aOffset[l + 1]]) }

    /// Sets ξ_{l+1} of node perturbation.
    mutating func setNodeNoise(_ l: Int, _ xi: [Double]) {
        precondition(xi.count == sizes[l + 1], "noise for layer \(l + 1) has \(xi.count) elements, the layer \(sizes[l + 1])")
        nodeNoise.replaceSubrange(aOffset[l]..<aOffset[l + 1], with: xi)
    }

    /// Fills ξ_1…ξ_L of node perturbation with N(0, σ²) draws, layer by layer.
    mutating func drawNodeNoise(sd: Double, using rng: inout SeededGenerator) {
        nodeNoise.withUnsafeMutableBufferPointer { rng.fillGaussian($0, sd: sd) }
    }

    /// E = ½‖y − t‖² of the pass in `h` (y = h_L).
    func outputLoss(target t: UnsafeBufferPointer<Double>) -> Double {
        let start = hOffset[sizes.count - 1]
        var s = 0.0
        for i in 0..<t.count {
            let d = h[start + i] - t[i]
            s += d * d
        }
        return 0.5 * s
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

    /// Every entry set to `scale` · the same entry of `other` (same shapes), in place.
    mutating func assign(_ other: NetworkGradient, scaledBy scale: Double) {
        for l in 0..<weights.count {
            weights[l].withUnsafeMutableBufferPointer { w in
                other.weights[l].storage.withUnsafeBufferPointer { o in for i in 0..<w.count { w[i] = o[i] * scale } }
            }
            biases[l].withUnsafeMutableBufferPointer { b in
                other.biases[l].withUnsafeBufferPointer { o in for i in 0..<b.count { b[i] = o[i] * scale } }
            }
        }
    }

    /// Every entry set to 0, in place.
    mutating func setZero() {
        for l in 0..<weights.count {
            weights[l].withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            biases[l].withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
    }

    /// Adds `scale` · e_{l+1} h_lᵀ to every layer (bias: `scale` · e_{l+1}) from the errors and
    /// activations in `ws` (the mini-batch accumulation of Eq. 1).
    mutating func accumulate(errorsIn ws: PassWorkspace, scale: Double) {
        accumulate(units: ws.e, activationsIn: ws, scale: scale)
    }

    /// Adds `scale` · u_{l+1} h_lᵀ to every layer (bias: `scale` · u_{l+1}), with u laid out as
    /// `ws.a` (errors or node noise) and h from `ws`.
    mutating func accumulate(units u: [Double], activationsIn ws: PassWorkspace, scale: Double) {
        addOuterProducts(&weights, &biases, units: u, activationsIn: ws, scale: scale)
    }

    /// `self += scale · other` (same shapes).
    public mutating func add(_ other: NetworkGradient, scale: Double = 1) {
        for l in 0..<weights.count {
            weights[l].addScaled(scale, other.weights[l])
            biases[l].addScaled(scale, other.biases[l])
        }
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
