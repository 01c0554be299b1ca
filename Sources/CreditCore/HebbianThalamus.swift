// A Hebbian PFC→MD pathway with a winner-take-all MD: the rule of the later PFC–MD models
// (Rikhye, Gilra & Halassa 2018; Hummos et al. 2022; Zheng et al. 2024), used in Chapter 4 as the
// reward-free alternative to the basal ganglia's selection. No teacher, no reward: the MD unit
// that wins for a PFC pattern is the one whose PFC→MD weights that pattern drives most, and the
// rule makes the winner's weights from the pattern's active units stronger.
//
// Per trial, with PFC activity x (length N) and weights W (MD × N, kept in [0, 1]):
//   MD           k* = argmax_k (W x)_k                          winner-take-all, one unit on
//   traces       p ← p + (x − p)/τ_pre,  q ← q + (e_{k*} − q)/τ_post   (across trials)
//   post         q̂ = e_{argmax q}                                the trace, winner-take-all again
//   pre          p̂_j = 1[p_j > θ],  θ = mean of the lowest 80 % of the p_j   (adaptive threshold)
//   Hebb         ΔW_kj = ½ η (q̂_k − ½)(p̂_j − ½) · m_kj,  m_kj = 0.05 · 20^{q̂_k p̂_j}
//   clip         W ← min(max(W + ΔW, 0), 1)
// So the winner's weights from the pattern's active units grow fastest (m = 1), its weights from
// inactive units and the losers' weights from active units shrink 20× slower, and the losers'
// weights from inactive units grow as slowly.
//
// Interpretations: the models run in continuous time and update at every time step with traces of
// about 1000 steps; here a trial is one static step, so the traces run across trials (τ in trials)
// and η is per trial. The threshold θ and the mask m follow the public code of Zheng et al. (2024)
// (adaptive thresholding of the presynaptic traces); the rule's constants 0.5, 0.8, 0.05 are theirs.

/// PFC→MD weights learned by the Hebbian rule above, with a winner-take-all MD.
public struct HebbianMDSelector: Sendable, Equatable {
    /// PFC→MD weights W (MD units × PFC units), in [0, 1] after the first update.
    public var weights: Matrix
    /// Hebbian learning rate η (per trial).
    let eta: Double
    /// Trace time constants, in trials.
    let tauPre: Double, tauPost: Double
    /// The presynaptic (PFC) and postsynaptic (MD) traces.
    var preTrace: [Double], postTrace: [Double]
    /// The PFC units in ascending order of their pre traces, kept from trial to trial: a trial
    /// moves the traces little, so re-sorting from the last order is nearly linear.
    private var ascending: [Int]

    /// A selector with W ~ N(0, 1/(M N)) (M·N Gaussian draws from `rng`, row-major) and zero traces.
    public init(mdUnits: Int, inputs: Int, eta: Double, tauPre: Double, tauPost: Double, using rng: inout SeededGenerator) {
        precondition(mdUnits >= 1 && inputs >= 1 && tauPre >= 1 && tauPost >= 1, "Hebbian MD sizes")
        let sd = 1 / Double(mdUnits * inputs).squareRoot()
        weights = Matrix(rows: mdUnits, cols: inputs, storage: (0..<(mdUnits * inputs)).map { _ in rng.gaussian(sd: sd) })
        self.eta = eta
        self.tauPre = tauPre
        self.tauPost = tauPost
        preTrace = [Double](repeating: 0, count: inputs)
        postTrace = [Double](repeating: 0, count: mdUnits)
        ascending = Array(0..<inputs)
    }

    /// Number of MD units.
    public var mdUnits: Int { weights.rows }

    /// The winning MD unit for PFC activity `x`: argmax_k (W x)_k (ties: the lower unit).
    public func winner(_ x: [Double]) -> Int { weights.multiply(x).argmax }

    /// One trial's traces and Hebbian update, for PFC activity `x` and the MD unit `winner` that was on.
    public mutating func learn(_ x: [Double], winner: Int) {
        let n = weights.cols
        for j in 0..<n { preTrace[j] += (x[j] - preTrace[j]) / tauPre }
        for k in 0..<mdUnits { postTrace[k] += ((k == winner ? 1 : 0) - postTrace[k]) / tauPost }
        let post = postTrace.argmax  // q̂: the post trace, winner-take-all
        // θ: the lowest 80 % of the traces summed in ascending order (the sum over `sorted()`,
        // reached by an insertion sort of last trial's order).
        let pre = preTrace
        ascending.withUnsafeMutableBufferPointer { order in
            for i in 1..<n {
                let unit = order[i]
                var k = i
                while k > 0 && pre[order[k - 1]] > pre[unit] {
                    order[k] = order[k - 1]
                    k -= 1
                }
                order[k] = unit
            }
        }
        let lower = max(1, Int(0.8 * Double(n)))
        let theta = ascending.prefix(lower).reduce(0) { $0 + pre[$1] } / Double(lower)  // adaptive threshold
        // ΔW_kj takes four values, one per (q̂_k, p̂_j) ∈ {0, 1}²: each computed once.
        let (eta, units) = (eta, mdUnits)
        func change(_ q: Double, _ p: Double) -> Double {
            let mask = q * p > 0 ? 1.0 : 0.05
            return 0.5 * eta * (q - 0.5) * (p - 0.5) * mask  // Hebbian, masked
        }
        weights.withUnsafeMutableBufferPointer { w in
            for k in 0..<units {
                let q = k == post ? 1.0 : 0.0
                let (inactive, active) = (change(q, 0), change(q, 1))
                for j in 0..<n {
                    let dw = pre[j] > theta ? active : inactive
                    w[k * n + j] = min(max(w[k * n + j] + dw, 0), 1)
                }
            }
        }
    }
}
