// Structural credit assignment in the core: the network, Eq. (1) against finite
// differences, and the four rules that avoid weight transport.
import Testing
@testable import CreditCore

/// `count` samples of a random task for an `inputs` → `outputs` network.
private func randomData(_ count: Int, inputs: Int, outputs: Int, using rng: inout SeededGenerator) -> Dataset {
    var local = rng
    let d = Dataset(count: count, inputSize: inputs, targetSize: outputs) { _ in
        ([Double].gaussian(count: inputs, sd: 1, using: &local), [Double].gaussian(count: outputs, sd: 1, using: &local))
    }
    rng = local
    return d
}

@Suite("Layered network and credit rules")
struct CreditRuleTests {
    // MARK: Network

    @Test func forwardPassByHand() {
        // 2 → 2 (tanh) → 1, weights chosen so every number is easy to follow.
        let net = LayeredNetwork(
            weights: [Matrix([[1, -1], [0.5, 2]]), Matrix([[2, -3]])],
            biases: [[0, 0.5], [1]], nonlinearity: .tanh)
        let x = [1.0, 0.5]
        let pass = net.forward(x)
        let a1 = [0.5, 0.5 + 1 + 0.5]
        #expect(pass.preActivations[0] == a1)
        #expect(pass.activations[0] == x)
        let h1 = a1.map { Nonlinearity.tanh.value($0) }
        #expect(pass.activations[1] == h1)
        let y = 2 * h1[0] - 3 * h1[1] + 1
        #expect(abs(pass.output[0] - y) < 1e-15)
        #expect(abs(net.loss(input: x, target: [0.25]) - 0.5 * (y - 0.25) * (y - 0.25)) < 1e-15)
        #expect(net.sizes == [2, 2, 1] && net.layerCount == 2)
        #expect(net.weightCount == 6 && net.parameterCount == 9)
        // Backprop by hand: e_2 = y − t, e_1 = (W_2ᵀ e_2) ∘ tanh′(a_1).
        let g = net.gradient(input: x, target: [0.25])
        let e2 = y - 0.25
        let e1 = [2 * e2 * (1 - h1[0] * h1[0]), -3 * e2 * (1 - h1[1] * h1[1])]
        #expect(abs(g.biases[1][0] - e2) < 1e-15)
        #expect(g.weights[1].storage.subtracting(h1.scaled(e2)).maxAbs < 1e-15)
        #expect(g.biases[0].subtracting(e1).maxAbs < 1e-15)
        #expect(abs(g.weights[0][1, 1] - e1[1] * x[1]) < 1e-15)
    }

    @Test func randomInitIsSeededAndScaled() {
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let n1 = LayeredNetwork(sizes: [400, 300, 2], nonlinearity: .tanh, weightScale: 2, using: &a)
        let n2 = LayeredNetwork(sizes: [400, 300, 2], nonlinearity: .tanh, weightScale: 2, using: &b)
        #expect(n1 == n2)
        let sd = MeanSEM(n1.weights[0].storage).sd
        #expect(abs(sd - 2 / 20.0) < 0.002)  // 2 / √400
        #expect(n1.biases.allSatisfy { $0.allSatisfy { $0 == 0 } })
    }

    /// The cheap bound the step-size sweep uses to skip test sets lies above the test loss for
    /// every nonlinearity, from small weights to saturating ones, with biases; it is exact for a
    /// network whose output is its bias, opposite the one target and infinite when a weight is not finite.
    @Test(arguments: Nonlinearity.allCases)
    func lossBoundLiesAboveTheLoss(f: Nonlinearity) {
        var rng = SeededGenerator(seed: 9)
        for scale in [0.1, 1, 10, 1000] {
            var net = LayeredNetwork(sizes: [4, 6, 5, 3], nonlinearity: f, weightScale: scale, using: &rng)
            for l in 0..<net.layerCount {
                net.biases[l] = [Double].gaussian(count: net.biases[l].count, sd: scale, using: &rng)
            }
            let data = randomData(20, inputs: 4, outputs: 3, using: &rng)
            let (loss, bound) = (net.meanLoss(on: data), net.lossBound(on: data))
            #expect(loss <= bound && bound.isFinite, "\(f) at scale \(scale): loss \(loss), bound \(bound)")
        }
        var silent = LayeredNetwork(sizes: [2, 3, 1], nonlinearity: f, using: &rng)
        silent.weights[1] = Matrix(rows: 1, cols: 3)
        silent.biases[1] = [-2]  // y = −2 against t = 3: ½(2 + 3)², the bound's worst case
        let one = Dataset(inputs: Matrix(rows: 1, cols: 2, repeating: 1), targets: Matrix(rows: 1, cols: 1, repeating: 3))
        #expect(silent.meanLoss(on: one) == 12.5 && silent.lossBound(on: one) == 12.5)
        silent.weights[0][0, 1] = .nan
        #expect(silent.lossBound(on: one) == .infinity)
        silent.weights[0][0, 1] = -.infinity
        #expect(silent.lossBound(on: one) == .infinity)
    }

    // MARK: Eq. (1) against finite differences

    @Test(arguments: Nonlinearity.allCases)
    func backpropMatchesFiniteDifferences(f: Nonlinearity) {
        var rng = SeededGenerator(seed: 42)
        var checked = 0
        for _ in 0..<200 where checked < 3 {
            // Two hidden layers, so the recursion e_i = (W_{i+1}ᵀ e_{i+1}) ∘ f′(a_i) runs twice.
            let net = LayeredNetwork(sizes: [4, 5, 3, 2], nonlinearity: f, using: &rng)
            var withBias = net
            for l in 0..<withBias.layerCount {
                withBias.biases[l] = [Double].gaussian(count: withBias.biases[l].count, sd: 0.3, using: &rng)
            }
            let data = randomData(3, inputs: 4, outputs: 2, using: &rng)
            let r = gradientCheck(withBias, on: data)
            // relu has a kink at 0: use only draws where no pre-activation is within 1e-4 of it.
            if f == .relu && r.closestPreActivationToZero < 1e-4 { continue }
            #expect(r.weightErrors.count == 3 && r.biasErrors.count == 3)
            #expect(r.maxRelativeError < 1e-6, "\(f): weights \(r.weightErrors), biases \(r.biasErrors)")
            checked += 1
        }
        #expect(checked == 3)
    }

    @Test func gradientCheckCatchesAWrongGradient() {
        var rng = SeededGenerator(seed: 5)
        let net = LayeredNetwork(sizes: [4, 6, 3], nonlinearity: .tanh, using: &rng)
        let data = randomData(4, inputs: 4, outputs: 3, using: &rng)
        // Feedback alignment's direction is not the gradient: the check must say so.
        let fa = CreditRule.make(.fa, for: net, sigma: 0, using: &rng)
        let g = fa.gradientEstimate(net, on: data, using: &rng)
        let r = gradientCheck(net, on: data, gradient: g)
        #expect(r.weightErrors[0] > 0.1)
        #expect(r.weightErrors[1] < 1e-6)  // the output layer's update is the true gradient under FA
        var wrong = net.gradient(on: data)
        wrong.weights[1][flat: 0] += 1e-3
        #expect(gradientCheck(net, on: data, gradient: wrong).weightErrors[1] > 1e-5)
    }

    @Test func gradientCheckReportsNaN() {
        var rng = SeededGenerator(seed: 5)
        let net = LayeredNetwork(sizes: [4, 6, 3], nonlinearity: .relu, using: &rng)
        let data = randomData(4, inputs: 4, outputs: 3, using: &rng)
        // A NaN in the last layer's bias must not be skipped by the max over layers.
        var broken = net.gradient(on: data)
        broken.biases[1][0] = .nan
        let r = gradientCheck(net, on: data, gradient: broken)
        #expect(r.biasErrors[1].isNaN)
        #expect(r.maxRelativeError.isNaN)
        #expect(!(r.maxRelativeError < 1e-6))
        // A NaN input makes the pre-activations NaN: the distance to relu's kink is NaN, not ∞.
        var nanData = data
        nanData.inputs[0, 0] = .nan
        #expect(gradientCheck(net, on: nanData).closestPreActivationToZero.isNaN)
    }

    // MARK: Feedback alignment

    @Test func feedbackAlignmentWithTransposedWeightsIsBackprop() {
        var rng = SeededGenerator(seed: 9)
        let net = LayeredNetwork(sizes: [5, 7, 6, 3], nonlinearity: .sigmoid, using: &rng)
        let transported = CreditRule.feedbackAlignment(feedback: [net.weights[1].transposed, net.weights[2].transposed])
        let data = randomData(6, inputs: 5, outputs: 3, using: &rng)
        for k in 0..<data.count {
            let bp = CreditRule.backprop.gradientEstimate(net, input: data.input(k), target: data.target(k), using: &rng)
            let fa = transported.gradientEstimate(net, input: data.input(k), target: data.target(k), using: &rng)
            #expect(fa == bp)  // bit for bit
        }
        #expect(transported.gradientEstimate(net, on: data, using: &rng) == net.gradient(on: data))
        // With one hidden layer DFA is FA: B_1 = W_2ᵀ gives backprop too.
        let shallow = LayeredNetwork(sizes: [5, 7, 3], nonlinearity: .tanh, using: &rng)
        let direct = CreditRule.directFeedbackAlignment(feedback: [shallow.weights[1].transposed])
        #expect(direct.gradientEstimate(shallow, on: data, using: &rng) == shallow.gradient(on: data))
        // A random B does not.
        let random = CreditRule.make(.fa, for: net, sigma: 0, using: &rng)
        #expect(random.gradientEstimate(net, on: data, using: &rng) != net.gradient(on: data))
    }

    /// DFA must hand the output error to *every* hidden layer, the lower one included.
    /// With one hidden layer DFA is FA, so this needs two: each hidden layer's update is
    /// compared with e_i = (B_i e_L) ∘ f′(a_i) worked out by hand, and in a linear network
    /// DFA with B_1 = (W_3 W_2)ᵀ, B_2 = W_3ᵀ must give backprop's update on every layer.
    @Test func directFeedbackAlignmentReachesTheLowerHiddenLayer() {
        var rng = SeededGenerator(seed: 31)
        let net = LayeredNetwork(sizes: [4, 6, 5, 3], nonlinearity: .tanh, using: &rng)
        guard case .directFeedbackAlignment(let b) = CreditRule.make(.dfa, for: net, sigma: 0, using: &rng) else {
            Issue.record("wrong rule")
            return
        }
        let x = [0.4, -0.3, 0.9, -1.1], t = [0.5, -0.2, 0.1]
        let pass = net.forward(x)
        let outputError = pass.output.subtracting(t)  // e_L = y − t
        let g = CreditRule.directFeedbackAlignment(feedback: b).gradientEstimate(net, input: x, target: t, using: &rng)
        for l in 0..<2 {
            let e = b[l].multiply(outputError).hadamard(Nonlinearity.tanh.derivative(pass.preActivations[l]))
            var expected = Matrix(rows: e.count, cols: pass.activations[l].count)
            expected.addOuter(1, e, pass.activations[l])  // ΔW_i ∝ e_i h_{i−1}ᵀ
            #expect(g.biases[l].subtracting(e).maxAbs < 1e-12, "hidden layer \(l + 1)")
            #expect(g.weights[l].storage.subtracting(expected.storage).maxAbs < 1e-12, "hidden layer \(l + 1)")
            #expect(g.weights[l].frobeniusNorm > 0.01, "hidden layer \(l + 1) receives no error")
        }
        // Linear network: the direct pathways that equal the products of transposes are backprop.
        let linear = LayeredNetwork(sizes: [4, 6, 5, 3], nonlinearity: .identity, using: &rng)
        let exact = CreditRule.directFeedbackAlignment(feedback: [
            linear.weights[2].multiply(linear.weights[1]).transposed, linear.weights[2].transposed,
        ])
        let dfa = exact.gradientEstimate(linear, input: x, target: t, using: &rng)
        let bp = linear.gradient(input: x, target: t)
        for l in 0..<3 {
            #expect(dfa.layer(l).subtracting(bp.layer(l)).maxAbs < 1e-12 * max(1, bp.layer(l).maxAbs), "layer \(l + 1)")
        }
    }

    @Test func feedbackMatricesHaveTheStatedShapesAndScale() {
        var rng = SeededGenerator(seed: 2)
        let net = LayeredNetwork(sizes: [10, 300, 200, 50], nonlinearity: .tanh, using: &rng)
        guard case .feedbackAlignment(let b) = CreditRule.make(.fa, for: net, sigma: 0, using: &rng),
            case .directFeedbackAlignment(let d) = CreditRule.make(.dfa, for: net, sigma: 0, using: &rng)
        else {
            Issue.record("wrong rule")
            return
        }
        #expect(b.map { [$0.rows, $0.cols] } == [[300, 200], [200, 50]])  // B_{i+1} is n_i × n_{i+1}
        #expect(d.map { [$0.rows, $0.cols] } == [[300, 50], [200, 50]])  // B_i is n_i × n_L
        #expect(abs(MeanSEM(b[0].storage).sd - 1 / 300.0.squareRoot()) < 0.002)  // N(0, 1/n_i)
        #expect(abs(MeanSEM(d[1].storage).sd - 1 / 200.0.squareRoot()) < 0.002)
        // So the feedback keeps the error's size: ‖B e‖ ≈ ‖e‖.
        let e = [Double].gaussian(count: 50, sd: 1, using: &rng)
        #expect(abs(b[1].multiply(e).norm / e.norm - 1) < 0.15)
        #expect(abs(d[0].multiply(e).norm / e.norm - 1) < 0.15)
    }

    /// `--feedback`'s kinds of B: each made as ``FeedbackKind`` says, from the same Gaussian draw
    /// where there is one, so the default (`gaussian`) is the draw the figures were made with.
    @Test func feedbackKindsMakeTheStatedMatrices() {
        var rng = SeededGenerator(seed: 4)
        let net = LayeredNetwork(sizes: [10, 300, 200, 50], nonlinearity: .tanh, using: &rng)
        func made(_ kind: FeedbackKind, sparsity: Double = 0.9) -> [Matrix] {
            var r = SeededGenerator(seed: 77)
            guard case .feedbackAlignment(let b) = CreditRule.make(.fa, for: net, sigma: 0, feedback: kind, sparsity: sparsity, using: &r)
            else { return [] }
            return b
        }
        var r = SeededGenerator(seed: 77)
        let gaussian = CreditRule.randomFeedback(for: net, using: &r)
        #expect(made(.gaussian) == gaussian)
        // Sign: ±1/√n_i with the Gaussian draw's signs.
        for (s, g) in zip(made(.sign), gaussian) {
            let size = 1 / Double(g.rows).squareRoot()
            #expect(zip(s.storage, g.storage).allSatisfy { $0 == ($1 < 0 ? -size : size) })
        }
        // Sparse: about 90 % zeros, the rest the Gaussian entries times 1/√0.1, so ‖B e‖ keeps its size.
        let sparse = made(.sparse)
        for (s, g) in zip(sparse, gaussian) {
            let zeros = Double(s.storage.filter { $0 == 0 }.count) / Double(s.storage.count)
            #expect(abs(zeros - 0.9) < 0.01, "\(zeros) of the entries are zero")
            #expect(zip(s.storage, g.storage).allSatisfy { $0 == 0 || abs($0 - $1 / 0.1.squareRoot()) < 1e-12 })
        }
        let e = [Double].gaussian(count: 50, sd: 1, using: &rng)
        #expect(abs(sparse[1].multiply(e).norm / e.norm - 1) < 0.15)
        #expect(made(.sparse, sparsity: 0) == gaussian)
        // The transposes copy the forward weights and draw nothing.
        #expect(made(.initialTranspose) == [net.weights[1].transposed, net.weights[2].transposed])
        #expect(made(.transpose) == made(.initialTranspose))
        #expect(CreditRule.transportedFeedback(for: net) == .feedbackAlignment(feedback: made(.transpose)))
        #expect(FeedbackKind.allCases.filter(\.tracksForwardWeights) == [.transpose])
    }

    // MARK: Perturbation: unbiased estimates

    /// An estimate written into a used gradient through a used workspace is the fresh estimate,
    /// bit for bit, for every rule (what the perturbation figures rely on to reuse them).
    @Test(arguments: CreditRuleKind.allCases)
    func estimateIntoReusedStorageIsTheFreshEstimate(kind: CreditRuleKind) {
        var rng = SeededGenerator(seed: 23)
        let net = LayeredNetwork(sizes: [3, 4, 2], nonlinearity: .tanh, using: &rng)
        let rule = CreditRule.make(kind, for: net, sigma: 0.1, using: &rng)
        var ws = PassWorkspace(net), g = NetworkGradient(zeroLike: net)
        var fresh = rng, reused = rng
        for k in 0..<3 {
            let x = [0.5, -1, 0.8].map { $0 * Double(k + 1) }, t = [1.0, -0.5]
            let expected = rule.gradientEstimate(net, input: x, target: t, using: &fresh)
            rule.estimate(net, input: x, target: t, into: &g, workspace: &ws, using: &reused)
            #expect(g.flattened.map(\.bitPattern) == expected.flattened.map(\.bitPattern), "\(kind), estimate \(k)")
        }
    }

    /// A running sum of estimates built in place is, bit for bit, the sum of fresh estimates.
    @Test(arguments: CreditRuleKind.allCases)
    func addEstimateIsTheSumOfFreshEstimates(kind: CreditRuleKind) {
        var rng = SeededGenerator(seed: 29)
        let net = LayeredNetwork(sizes: [3, 4, 2], nonlinearity: .tanh, using: &rng)
        let rule = CreditRule.make(kind, for: net, sigma: 0.1, using: &rng)
        var ws = PassWorkspace(net)
        var (inPlace, expected) = (NetworkGradient(zeroLike: net), NetworkGradient(zeroLike: net))
        var fresh = rng, reused = rng
        for k in 0..<20 {
            let x = [0.5, -1, 0.8].map { $0 * Double(k % 4 + 1) }, t = [1.0, -0.5 * Double(k % 3)]
            expected.add(rule.gradientEstimate(net, input: x, target: t, using: &fresh))
            rule.addEstimate(net, input: x, target: t, to: &inPlace, workspace: &ws, using: &reused)
        }
        #expect(inPlace.flattened.map(\.bitPattern) == expected.flattened.map(\.bitPattern), "\(kind)")
    }

    @Test(arguments: [CreditRuleKind.np, .wp])
    func perturbationEstimateAveragesToTheGradient(kind: CreditRuleKind) {
        var rng = SeededGenerator(seed: 17)
        var net = LayeredNetwork(sizes: [3, 4, 2], nonlinearity: .tanh, using: &rng)
        net.biases[0] = [0.1, -0.2, 0.3, 0]
        let x = [0.5, -1, 0.8], t = [1.0, -0.5]
        let truth = net.gradient(input: x, target: t)
        let rule = CreditRule.make(kind, for: net, sigma: 1e-3, using: &rng)
        var mean = NetworkGradient(zeroLike: net)
        let n = 20_000
        for _ in 0..<n { mean.add(rule.gradientEstimate(net, input: x, target: t, using: &rng), scale: 1 / Double(n)) }
        // Relative error of the mean ≈ √((N + 1) / n): 0.02 for NP (N = 6 units), 0.04 for WP (N = 26).
        let relative = mean.flattened.subtracting(truth.flattened).norm / truth.norm
        #expect(relative < 0.1, "\(kind): relative error \(relative)")
        #expect(mean.cosineSimilarity(truth) > 0.99)
        // A single estimate is far from the gradient's direction.
        let one = rule.gradientEstimate(net, input: x, target: t, using: &rng)
        #expect(one.cosineSimilarity(truth) < 0.9)
    }

    @Test func nodePerturbationSendsOnlyAScalar() {
        // Every layer's NP estimate is a multiple of ξ_i h_{i−1}ᵀ with one shared factor.
        var rng = SeededGenerator(seed: 4)
        let net = LayeredNetwork(sizes: [3, 4, 2], nonlinearity: .tanh, using: &rng)
        let x = [0.3, 0.1, -0.7], t = [0.2, 0.4]
        var a = SeededGenerator(seed: 99), b = SeededGenerator(seed: 99)
        let g = CreditRule.nodePerturbationEstimate(net, input: x, target: t, sigma: 1e-3, using: &a)
        let noise = [[Double].gaussian(count: 4, sd: 1e-3, using: &b), [Double].gaussian(count: 2, sd: 1e-3, using: &b)]
        let factor = g.biases[1][0] / noise[1][0]
        #expect(g.biases[0].subtracting(noise[0].scaled(factor)).maxAbs < 1e-9 * abs(factor))
        let h1 = net.forward(x).activations[1]
        var expected = Matrix(rows: 2, cols: 4)
        expected.addOuter(factor, noise[1], h1)
        #expect(g.weights[1].storage.subtracting(expected.storage).maxAbs < 1e-9 * abs(factor))
        #expect(CreditRule.nodePerturbation(sigma: 1).perturbationDimension(of: net) == 6)
        #expect(CreditRule.weightPerturbation(sigma: 1).perturbationDimension(of: net) == 26)
        #expect(CreditRule.backprop.perturbationDimension(of: net) == 0)
    }

    // MARK: Every rule learns

    @Test(arguments: CreditRuleKind.allCases)
    func lossDecreasesUnderEveryRule(kind: CreditRuleKind) {
        // A trivial problem: t = x₁ − x₂ from a 2–4–4–1 tanh network.
        var rng = SeededGenerator(seed: 8)
        var net = LayeredNetwork(sizes: [2, 4, 4, 1], nonlinearity: .tanh, using: &rng)
        let data = Dataset(count: 50, inputSize: 2, targetSize: 1) { _ in
            let x = [Double].gaussian(count: 2, sd: 1, using: &rng)
            return (x, [x[0] - x[1]])
        }
        let rule = CreditRule.make(kind, for: net, sigma: 1e-3, using: &rng)
        let eta = kind.isPerturbation ? 0.05 / Double(rule.perturbationDimension(of: net) + 2) : 0.05
        let before = net.meanLoss(on: data)
        for step in 0..<3000 {
            let k = step % data.count
            rule.train(&net, input: data.input(k), target: data.target(k), learningRate: eta, using: &rng)
        }
        let after = net.meanLoss(on: data)
        #expect(after < 0.2 * before, "\(kind): \(before) → \(after)")
        #expect(net.isFinite)
    }

    @Test func miniBatchTrainingDescends() {
        var rng = SeededGenerator(seed: 12)
        var net = LayeredNetwork(sizes: [3, 8, 2], nonlinearity: .softplus, using: &rng)
        let data = randomData(20, inputs: 3, outputs: 2, using: &rng)
        let before = net.meanLoss(on: data)
        for _ in 0..<200 { CreditRule.backprop.train(&net, on: data, learningRate: 0.05, using: &rng) }
        #expect(net.meanLoss(on: data) < 0.8 * before)
    }

    @Test func trainingIsDeterministic() {
        func run(_ seed: UInt64, _ kind: CreditRuleKind) -> LayeredNetwork {
            var rng = SeededGenerator(seed: seed)
            var net = LayeredNetwork(sizes: [3, 5, 2], nonlinearity: .tanh, using: &rng)
            let rule = CreditRule.make(kind, for: net, sigma: 1e-2, using: &rng)
            for _ in 0..<100 {
                let x = [Double].gaussian(count: 3, sd: 1, using: &rng)
                rule.train(&net, input: x, target: [x[0], -x[1]], learningRate: 0.01, using: &rng)
            }
            return net
        }
        for kind in CreditRuleKind.allCases {
            #expect(run(1, kind) == run(1, kind), "\(kind)")
            #expect(run(1, kind) != run(2, kind), "\(kind)")
        }
    }

    // MARK: Helpers

    @Test func anglesAndCosines() {
        #expect(abs([1.0, 0].angleDegrees([0, 3]) - 90) < 1e-12)
        #expect([2.0, 2].angleDegrees([1, 1]) < 1e-5)  // acos near 1 amplifies rounding
        #expect(abs([1.0, 0].angleDegrees([-1, 0]) - 180) < 1e-12)
        #expect(abs([1.0, 0].angleDegrees([1, 1]) - 45) < 1e-12)
        #expect([1.0, 0].cosineSimilarity([0, 0]).isNaN)
        // The clamp to [−1, 1] must not turn NaN into 1 (an angle of 0°).
        #expect([1.0, 0].cosineSimilarity([.nan, 1]).isNaN)
        #expect([1.0, 0].angleDegrees([.infinity, 1]).isNaN)
        let a = Matrix([[1, 0], [0, 1]]), b = Matrix([[0, 1], [1, 0]])
        #expect(abs(a.angleDegrees(b) - 90) < 1e-12)
        #expect(abs(a.cosineSimilarity(a.scaled(3)) - 1) < 1e-15)
        let g = NetworkGradient(weights: [Matrix([[1, 2]])], biases: [[3]])
        #expect(g.flattened == [1, 2, 3])
        #expect(g.layer(0) == [1, 2, 3])
        #expect(abs(g.norm - 14.0.squareRoot()) < 1e-15)
    }

    @Test func leastSquaresRecoversAnAffineMap() {
        var rng = SeededGenerator(seed: 21)
        let a = Matrix.gaussian(rows: 2, cols: 3, sd: 1, using: &rng)
        let c = [0.5, -1.5]
        let data = Dataset(count: 40, inputSize: 3, targetSize: 2) { _ in
            let x = [Double].gaussian(count: 3, sd: 1, using: &rng)
            return (x, a.multiply(x).adding(c))
        }
        let fit = LinearModel.fit(data)
        #expect(fit.weights.storage.subtracting(a.storage).maxAbs < 1e-8)
        #expect(fit.bias.subtracting(c).maxAbs < 1e-8)
        #expect(fit.meanLoss(on: data) < 1e-16)
        // XOR: no affine map does better than the mean.
        let xor = Dataset(inputs: Matrix([[-1, -1], [-1, 1], [1, -1], [1, 1]]), targets: Matrix([[1], [-1], [-1], [1]]))
        let x = LinearModel.fit(xor)
        #expect(abs(x.meanLoss(on: xor) - 0.5) < 1e-8)
        #expect(Matrix.choleskySolve(Matrix([[1, 2], [2, 1]]), Matrix([[1], [1]])) == nil)  // indefinite
        let s = Matrix.choleskySolve(Matrix([[4, 2], [2, 3]]), Matrix([[2], [1]]))!
        #expect(abs(s[0, 0] - 0.5) < 1e-15 && abs(s[1, 0]) < 1e-15)
    }
}
