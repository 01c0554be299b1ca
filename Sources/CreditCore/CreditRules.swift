// Learning rules that solve (or approximate) structural credit assignment in a
// ``LayeredNetwork``: exact backprop (Eq. 1), and four rules that avoid sending
// the forward weights backwards ("weight transport"):
//
//   feedback alignment (FA; Lillicrap et al. 2016): e_i = (B_{i+1} e_{i+1}) ∘ f′(a_i), B fixed and random
//   direct feedback alignment (DFA; Nøkland 2016):   e_i = (B_i e_L) ∘ f′(a_i), straight from the output error
//   node perturbation (NP):   jitter every pre-activation, correlate the change in E with the jitter
//   weight perturbation (WP): jitter every weight, correlate the change in E with the jitter
//
// Every rule returns a direction g shaped like the network; the update is ΔW = −η g.

/// The name of a credit-assignment rule, as used on the command line and in CSV files.
public enum CreditRuleKind: String, Sendable, CaseIterable {
    /// Backpropagation, Eq. (1).
    case backprop
    /// Feedback alignment.
    case fa
    /// Direct feedback alignment.
    case dfa
    /// Node perturbation.
    case np
    /// Weight perturbation.
    case wp

    /// A readable name for legends, lower case as every other legend label (capitals only for
    /// proper nouns and abbreviations).
    public var title: String {
        switch self {
        case .backprop: return "backprop"
        case .fa: return "feedback alignment"
        case .dfa: return "direct feedback alignment"
        case .np: return "node perturbation"
        case .wp: return "weight perturbation"
        }
    }

    /// `true` for the rules that estimate the gradient from a change in the loss (NP, WP).
    public var isPerturbation: Bool { self == .np || self == .wp }
}

/// What feedback alignment sends the error back through: the matrices B that replace the
/// transposed forward weights W_{i+1}ᵀ of Eq. (1). Lillicrap et al. (2016) draw B at random and
/// keep it fixed (`gaussian`); the other kinds ask what B needs to be.
public enum FeedbackKind: String, Sendable, CaseIterable {
    /// Entries N(0, scale² / n_i), drawn once and kept fixed: feedback alignment as published.
    case gaussian
    /// The signs of that Gaussian draw, each entry ±scale / √n_i: the same spread, no magnitudes.
    case sign
    /// That Gaussian draw with each entry set to zero with probability `sparsity` (drawn once),
    /// the others multiplied by 1 / √(1 − sparsity) so that ‖B e‖ keeps its expected size.
    case sparse
    /// B_{i+1} = W_{i+1}ᵀ of the initial network, copied once and then kept fixed while W learns.
    case initialTranspose = "initial-transpose"
    /// B_{i+1} = W_{i+1}ᵀ of the current network, copied again after every update: weight
    /// transport, which makes feedback alignment backprop (Eq. 1) exactly.
    case transpose

    /// Whether B must be copied from the forward weights after every update (see
    /// ``CreditRule/transportedFeedback(for:)``).
    public var tracksForwardWeights: Bool { self == .transpose }
}

/// A credit-assignment rule with whatever it needs (feedback matrices, noise size).
/// `gradientEstimate(_:input:target:using:)` returns the direction g; the update is ΔW = −η g.
public enum CreditRule: Sendable, Equatable {
    /// Exact gradient, Eq. (1): e_i = (W_{i+1}ᵀ e_{i+1}) ∘ f′(a_i).
    case backprop
    /// Feedback alignment: `feedback[l]` is B_{l+2}, the fixed n_{l+1} × n_{l+2} matrix that
    /// replaces W_{l+2}ᵀ for hidden layer l + 1: e_{l+1} = (B_{l+2} e_{l+2}) ∘ f′(a_{l+1}).
    case feedbackAlignment(feedback: [Matrix])
    /// Direct feedback alignment: `feedback[l]` is B_{l+1}, a fixed n_{l+1} × n_L matrix:
    /// e_{l+1} = (B_{l+1} e_L) ∘ f′(a_{l+1}). With one hidden layer this is FA with another name.
    case directFeedbackAlignment(feedback: [Matrix])
    /// Node perturbation with noise sd σ on every pre-activation (hidden and output layers).
    case nodePerturbation(sigma: Double)
    /// Weight perturbation with noise sd σ on every weight and bias.
    case weightPerturbation(sigma: Double)

    /// The rule's name.
    public var kind: CreditRuleKind {
        switch self {
        case .backprop: return .backprop
        case .feedbackAlignment: return .fa
        case .directFeedbackAlignment: return .dfa
        case .nodePerturbation: return .np
        case .weightPerturbation: return .wp
        }
    }

    /// The rule `kind` for `network`: FA makes its feedback matrices as `feedback` says (drawn
    /// from `rng`, see `feedbackMatrices(_:for:scale:sparsity:using:)`); DFA draws Gaussian ones
    /// (`randomDirectFeedback(for:scale:using:)`); NP and WP use noise sd `sigma`; backprop draws
    /// nothing. With `feedback` `.transpose` the rule returned holds the current W_{i+1}ᵀ; the
    /// caller must renew it after every update (``transportedFeedback(for:)``).
    public static func make(
        _ kind: CreditRuleKind, for network: LayeredNetwork, sigma: Double,
        feedbackScale: Double = 1, feedback: FeedbackKind = .gaussian, sparsity: Double = 0.9,
        using rng: inout SeededGenerator
    ) -> CreditRule {
        switch kind {
        case .backprop: return .backprop
        case .fa:
            return .feedbackAlignment(
                feedback: feedbackMatrices(feedback, for: network, scale: feedbackScale, sparsity: sparsity, using: &rng))
        case .dfa:
            return .directFeedbackAlignment(feedback: randomDirectFeedback(for: network, scale: feedbackScale, using: &rng))
        case .np: return .nodePerturbation(sigma: sigma)
        case .wp: return .weightPerturbation(sigma: sigma)
        }
    }

    /// FA's fixed random matrices B_2…B_L, drawn once: B_{i+1} is n_i × n_{i+1} (the shape
    /// of W_{i+1}ᵀ) with entries N(0, `scale`² / n_i) — distributed like W_{i+1}ᵀ at unit-gain
    /// initialisation — so the feedback keeps the error's size, ‖B e‖ ≈ `scale` ‖e‖, whatever
    /// the forward weights become. Drawn in layer order, row-major.
    static func randomFeedback(
        for network: LayeredNetwork, scale: Double = 1,
        using rng: inout SeededGenerator
    ) -> [Matrix] {
        (1..<network.layerCount).map { l in
            let w = network.weights[l]
            return .gaussian(rows: w.cols, cols: w.rows, sd: scale / Double(w.cols).squareRoot(), using: &rng)
        }
    }

    /// FA's matrices B_2…B_L of kind `kind` (see ``FeedbackKind``). The random kinds start from
    /// the same Gaussian draw as ``randomFeedback(for:scale:using:)``; `sparse` then draws its
    /// mask, one uniform per entry in the same order. The transposes draw nothing.
    static func feedbackMatrices(
        _ kind: FeedbackKind, for network: LayeredNetwork, scale: Double = 1, sparsity: Double = 0.9,
        using rng: inout SeededGenerator
    ) -> [Matrix] {
        switch kind {
        case .initialTranspose, .transpose:
            return transposedWeights(of: network)
        case .gaussian:
            return randomFeedback(for: network, scale: scale, using: &rng)
        case .sign:
            return randomFeedback(for: network, scale: scale, using: &rng).map { b in
                let size = scale / Double(b.rows).squareRoot()
                var signs = b
                for k in 0..<b.storage.count { signs[flat: k] = b[flat: k] < 0 ? -size : size }
                return signs
            }
        case .sparse:
            precondition(sparsity >= 0 && sparsity < 1, "sparsity must lie in [0, 1)")
            let keep = 1 / (1 - sparsity).squareRoot()
            return randomFeedback(for: network, scale: scale, using: &rng).map { b in
                var sparse = b
                for k in 0..<b.storage.count { sparse[flat: k] = rng.uniform() < sparsity ? 0 : keep * b[flat: k] }
                return sparse
            }
        }
    }

    /// Feedback alignment through the current forward weights, B_{i+1} = W_{i+1}ᵀ (weight
    /// transport): the rule ``FeedbackKind/transpose`` asks for after every update. Its updates are
    /// backprop's bit for bit (`LayeredNetwork.backpropErrors` sums W_{i+1}ᵀ e_{i+1} in the same order).
    public static func transportedFeedback(for network: LayeredNetwork) -> CreditRule {
        .feedbackAlignment(feedback: transposedWeights(of: network))
    }

    /// W_2ᵀ…W_Lᵀ of `network`, the matrices backprop sends the error through.
    private static func transposedWeights(of network: LayeredNetwork) -> [Matrix] {
        network.weights.dropFirst().map(\.transposed)  // B_{i+1} = W_{i+1}ᵀ
    }

    /// DFA's fixed random matrices B_1…B_{L−1}, drawn once: B_i is n_i × n_L with entries
    /// N(0, `scale`² / n_i), so ‖B_i e_L‖ ≈ `scale` ‖e_L‖. Drawn in layer order, row-major.
    static func randomDirectFeedback(
        for network: LayeredNetwork, scale: Double = 1,
        using rng: inout SeededGenerator
    ) -> [Matrix] {
        let sizes = network.sizes
        let nL = sizes[sizes.count - 1]
        return (1..<network.layerCount).map { l in
            .gaussian(rows: sizes[l], cols: nL, sd: scale / Double(sizes[l]).squareRoot(), using: &rng)
        }
    }

    /// How many independent noise values one estimate draws: every unit's pre-activation
    /// (hidden and output) for NP, every weight and bias for WP, 0 for the others.
    /// A single-sample estimate g has E‖g‖² ≈ (N + 2)‖∂E/∂W‖² (Gaussian noise, small σ),
    /// so a step size ∝ 1 / (N + 2) keeps the noise in the update comparable to its mean.
    public func perturbationDimension(of network: LayeredNetwork) -> Int {
        switch self {
        case .nodePerturbation: return network.sizes.dropFirst().reduce(0, +)
        case .weightPerturbation: return network.parameterCount
        default: return 0
        }
    }

    // MARK: Gradient estimates

    /// What one sample's direction is made of, left in a ``PassWorkspace``: every rule's update
    /// has the outer-product form `scale · u_l h_lᵀ` per layer (bias `scale · u_l`), with u the
    /// errors e (backprop, FA, DFA) or the node noise ξ (NP), except WP's, which is a full
    /// jitter ξ of every weight.
    private enum Direction {
        case errors
        case nodeNoise(scale: Double)
        case weightNoise(scale: Double)
    }

    /// Runs the rule on one sample, leaving its direction's parts in `ws`.
    private func direction(
        _ network: LayeredNetwork, input x: [Double], target t: [Double], in ws: inout PassWorkspace,
        using rng: inout SeededGenerator
    ) -> Direction {
        x.withUnsafeBufferPointer { x in
            t.withUnsafeBufferPointer { t in direction(network, input: x, target: t, in: &ws, using: &rng) }
        }
    }

    /// ``direction(_:input:target:in:using:)`` on a sample read in place.
    private func direction(
        _ network: LayeredNetwork, input x: UnsafeBufferPointer<Double>, target t: UnsafeBufferPointer<Double>,
        in ws: inout PassWorkspace, using rng: inout SeededGenerator
    ) -> Direction {
        switch self {
        case .backprop:
            network.forward(x, addingNodeNoise: false, into: &ws)
            network.backpropErrors(target: t, in: &ws)  // Eq. (1)
            return .errors
        case .feedbackAlignment(let b):
            precondition(b.count == network.layerCount - 1, "FA needs \(network.layerCount - 1) feedback matrices")
            network.forward(x, addingNodeNoise: false, into: &ws)
            network.errors(target: t, in: &ws) { l, above, _, out in b[l].multiply(above, into: out) }  // B_{i+1} e_{i+1}
            return .errors
        case .directFeedbackAlignment(let b):
            precondition(b.count == network.layerCount - 1, "DFA needs \(network.layerCount - 1) feedback matrices")
            network.forward(x, addingNodeNoise: false, into: &ws)
            network.errors(target: t, in: &ws) { l, _, output, out in b[l].multiply(output, into: out) }  // B_i e_L
            return .errors
        case .nodePerturbation(let sigma):
            return .nodeNoise(scale: Self.nodePerturbation(network, input: x, target: t, sigma: sigma, in: &ws, using: &rng))
        case .weightPerturbation(let sigma):
            return .weightNoise(scale: Self.weightPerturbation(network, input: x, target: t, sigma: sigma, in: &ws, using: &rng))
        }
    }

    /// Adds `weight` times the direction left in `ws` to `g`.
    private static func accumulate(_ d: Direction, _ ws: PassWorkspace, into g: inout NetworkGradient, weight: Double) {
        switch d {
        case .errors: g.accumulate(units: ws.e, activationsIn: ws, scale: weight)
        case .nodeNoise(let scale): g.accumulate(units: ws.nodeNoise, activationsIn: ws, scale: weight * scale)
        case .weightNoise(let scale): g.add(ws.weightNoise, scale: weight * scale)
        }
    }

    /// The rule's direction g for one sample (ΔW = −η g). Backprop, FA and DFA are
    /// deterministic; NP and WP draw their noise from `rng`.
    func gradientEstimate(
        _ network: LayeredNetwork, input x: [Double], target t: [Double],
        using rng: inout SeededGenerator
    ) -> NetworkGradient {
        var ws = PassWorkspace(network)
        var g = NetworkGradient(zeroLike: network)
        estimate(network, input: x, target: t, into: &g, workspace: &ws, using: &rng)
        return g
    }

    /// `gradientEstimate(_:input:target:using:)` written into `g` (shaped like the network;
    /// its contents are replaced) through the work vectors `ws`, so repeated estimates
    /// allocate nothing. The same draws and the same bits.
    public func estimate(
        _ network: LayeredNetwork, input x: [Double], target t: [Double], into g: inout NetworkGradient,
        workspace ws: inout PassWorkspace, using rng: inout SeededGenerator
    ) {
        let d = direction(network, input: x, target: t, in: &ws, using: &rng)
        if case .weightNoise(let scale) = d {
            g.assign(ws.weightNoise, scaledBy: scale)
        } else {
            g.setZero()
            Self.accumulate(d, ws, into: &g, weight: 1)
        }
    }

    /// Adds the rule's direction for one sample to `sum` through the work vectors `ws`: the
    /// bits of `sum.add(gradientEstimate(…))` (the estimate's products added straight to the
    /// running sum, which starts from +0 and so never holds the −0 a fresh estimate could).
    public func addEstimate(
        _ network: LayeredNetwork, input x: [Double], target t: [Double], to sum: inout NetworkGradient,
        workspace ws: inout PassWorkspace, using rng: inout SeededGenerator
    ) {
        let d = direction(network, input: x, target: t, in: &ws, using: &rng)
        Self.accumulate(d, ws, into: &sum, weight: 1)
    }

    /// The mean of the per-sample directions over a mini-batch (NP and WP draw
    /// independent noise for each sample, in sample order). Accumulated as
    /// ``LayeredNetwork/gradient(on:)`` does, so FA with B = Wᵀ matches it bit for bit.
    public func gradientEstimate(
        _ network: LayeredNetwork, on batch: Dataset,
        using rng: inout SeededGenerator
    ) -> NetworkGradient {
        var g = NetworkGradient(zeroLike: network)
        var ws = PassWorkspace(network)
        let w = 1 / Double(batch.count)
        for k in 0..<batch.count {
            let d = batch.withSample(k) { x, t in direction(network, input: x, target: t, in: &ws, using: &rng) }
            Self.accumulate(d, ws, into: &g, weight: w)
        }
        return g
    }

    /// One learning step on one sample, W ← W − η g, applied in place (g is never stored).
    public func train(
        _ network: inout LayeredNetwork, input x: [Double], target t: [Double],
        learningRate eta: Double, using rng: inout SeededGenerator
    ) {
        var ws = PassWorkspace(network)
        train(&network, input: x, target: t, learningRate: eta, workspace: &ws, using: &rng)
    }

    /// One learning step on one sample through the work vectors `ws` (made for this network's
    /// sizes and reused across steps, so the step allocates nothing): W ← W − η g.
    public func train(
        _ network: inout LayeredNetwork, input x: [Double], target t: [Double],
        learningRate eta: Double, workspace ws: inout PassWorkspace, using rng: inout SeededGenerator
    ) {
        switch direction(network, input: x, target: t, in: &ws, using: &rng) {
        case .errors: network.addOuter(units: ws.e, activationsIn: ws, scale: -eta)  // ΔW_i = −η e_i h_{i−1}ᵀ
        case .nodeNoise(let scale): network.addOuter(units: ws.nodeNoise, activationsIn: ws, scale: -eta * scale)
        case .weightNoise(let scale): network.add(ws.weightNoise, scale: -eta * scale)
        }
    }

    /// One learning step on a mini-batch (mean direction ḡ): W ← W − η ḡ.
    func train(
        _ network: inout LayeredNetwork, on batch: Dataset,
        learningRate eta: Double, using rng: inout SeededGenerator
    ) {
        network.apply(gradientEstimate(network, on: batch, using: &rng), learningRate: eta)
    }

    /// Node perturbation (REINFORCE on the pre-activations). One clean pass gives the
    /// baseline E(0) and the activations h; one pass with ξ_i ~ N(0, σ² I) added to every
    /// a_i (all layers at once, drawn layer by layer) gives E(ξ). The estimate is
    /// g_i = (E(ξ) − E(0)) / σ² · ξ_i h_{i−1}ᵀ (bias: ξ_i), with h from the clean pass.
    /// Only the scalar E(ξ) − E(0) is broadcast: no error vector travels anywhere.
    /// E[g] = ∂E/∂W + O(σ²); subtracting the baseline E(0) does not change the mean
    /// but removes the largest part of the variance.
    public static func nodePerturbationEstimate(
        _ network: LayeredNetwork, input x: [Double], target t: [Double],
        sigma: Double, using rng: inout SeededGenerator
    ) -> NetworkGradient {
        CreditRule.nodePerturbation(sigma: sigma).gradientEstimate(network, input: x, target: t, using: &rng)
    }

    /// Weight perturbation: ξ ~ N(0, σ² I) on every weight and bias (drawn layer by
    /// layer, weights row-major then bias), g = (E(W + ξ) − E(W)) / σ² · ξ, with the
    /// unperturbed loss E(W) as baseline. E[g] = ∂E/∂W + O(σ²).
    public static func weightPerturbationEstimate(
        _ network: LayeredNetwork, input x: [Double], target t: [Double],
        sigma: Double, using rng: inout SeededGenerator
    ) -> NetworkGradient {
        CreditRule.weightPerturbation(sigma: sigma).gradientEstimate(network, input: x, target: t, using: &rng)
    }

    /// NP on one sample: the clean pass (E(0) and the activations h) in `ws`, ξ_i ~ N(0, σ² I)
    /// drawn into `ws.nodeNoise` layer by layer, and E(ξ) from a loss-only pass with ξ added to
    /// every a_i. Returns (E(ξ) − E(0)) / σ².
    private static func nodePerturbation(
        _ network: LayeredNetwork, input x: UnsafeBufferPointer<Double>, target t: UnsafeBufferPointer<Double>,
        sigma: Double, in ws: inout PassWorkspace, using rng: inout SeededGenerator
    ) -> Double {
        network.forward(x, addingNodeNoise: false, into: &ws)
        let clean = ws.outputLoss(target: t)
        ws.drawNodeNoise(sd: sigma, using: &rng)
        return (network.loss(input: x, target: t, nodeNoiseIn: &ws) - clean) / (sigma * sigma)
    }

    /// WP on one sample: ξ ~ N(0, σ² I) on every weight and bias drawn into `ws.weightNoise`
    /// (layer by layer, weights row-major then bias). Returns (E(W + ξ) − E(W)) / σ², with the
    /// unperturbed loss E(W) as baseline.
    private static func weightPerturbation(
        _ network: LayeredNetwork, input x: UnsafeBufferPointer<Double>, target t: UnsafeBufferPointer<Double>,
        sigma: Double, in ws: inout PassWorkspace, using rng: inout SeededGenerator
    ) -> Double {
        let e0 = network.loss(input: x, target: t, in: &ws)
        for l in 0..<network.layerCount {
            ws.weightNoise.weights[l].withUnsafeMutableBufferPointer { rng.fillGaussian($0, sd: sigma) }
            ws.weightNoise.biases[l].withUnsafeMutableBufferPointer { rng.fillGaussian($0, sd: sigma) }
        }
        return (network.loss(input: x, target: t, weightNoiseIn: &ws) - e0) / (sigma * sigma)
    }
}
