// The random-walk prediction task of Sutton & Barto (2018), Example 6.2,
// used to compare TD(0) with constant-α Monte Carlo.

/// A 1-D random walk over `stateCount` non-terminal states (A…E for 5), with a
/// terminal state at each end. Each step moves left or right with probability ½.
/// Leaving on the left gives reward `leftReward`, on the right `rightReward`;
/// all other rewards are 0.
public struct RandomWalk: Sendable, Equatable {
    /// Number of non-terminal states.
    public var stateCount: Int
    /// Index of the start state (the middle one for the textbook task).
    var start: Int
    /// Reward for leaving on the left.
    var leftReward: Double
    /// Reward for leaving on the right.
    var rightReward: Double

    /// The walk; by default Example 6.2's five states starting at C, rewards 0 (left) and 1 (right).
    public init(stateCount: Int = 5, start: Int? = nil, leftReward: Double = 0, rightReward: Double = 1) {
        precondition(stateCount >= 1, "a random walk needs at least one state")
        self.stateCount = stateCount
        self.start = start ?? stateCount / 2
        self.leftReward = leftReward
        self.rightReward = rightReward
    }

    /// One episode: the non-terminal states visited in order (starting with `start`)
    /// and the reward on termination. Each step consumes one generator word.
    public func episode(using rng: inout SeededGenerator) -> RandomWalkEpisode {
        var s = start
        var visited = [s]
        while true {
            s += rng.next() >> 63 == 0 ? -1 : 1
            if s < 0 { return RandomWalkEpisode(states: visited, finalReward: leftReward) }
            if s >= stateCount { return RandomWalkEpisode(states: visited, finalReward: rightReward) }
            visited.append(s)
        }
    }

    /// The true values under γ = 1: state i (0-based) reaches the right end with
    /// probability (i + 1)/(n + 1), so V = left + (right − left)(i + 1)/(n + 1)
    /// (1/6 … 5/6 for the textbook task).
    var trueValues: [Double] {
        (0..<stateCount).map { leftReward + (rightReward - leftReward) * Double($0 + 1) / Double(stateCount + 1) }
    }

    /// Root-mean-square error √(Σ_s (V(s) − V_true(s))² / n) over the non-terminal states.
    public func rmsError(_ values: [Double]) -> Double {
        let t = trueValues
        precondition(values.count == t.count, "value table has \(values.count) entries, walk has \(t.count) states")
        var ss = 0.0
        for i in 0..<t.count { ss += (values[i] - t[i]) * (values[i] - t[i]) }
        return (ss / Double(t.count)).squareRoot()
    }
}

/// The record of one random-walk episode.
public struct RandomWalkEpisode: Sendable, Equatable {
    /// Non-terminal states visited, in order.
    var states: [Int]
    /// Reward received on the final transition into a terminal state.
    var finalReward: Double
}

/// Tabular prediction rules on a value table (tabular = linear with one-hot features).
public enum TabularPrediction {
    /// Online TD(0) over one episode: for every transition s → s′ with reward r,
    /// V(s) ← V(s) + α [r + γ V(s′) − V(s)] (Eq. 3), with V(terminal) = 0.
    public static func tdZero(
        _ values: inout [Double], episode: RandomWalkEpisode,
        alpha: Double, gamma: Double = 1
    ) {
        let s = episode.states
        for i in 0..<s.count {
            let last = i == s.count - 1
            let r = last ? episode.finalReward : 0
            let vNext = last ? 0 : values[s[i + 1]]
            values[s[i]] += alpha * (r + gamma * vNext - values[s[i]])  // Eq. (3)
        }
    }

    /// Constant-α every-visit Monte Carlo, applied after the episode: for every
    /// visit (in order), V(s) ← V(s) + α [G − V(s)], where G is the discounted
    /// return from that visit (here the only reward is the final one, so
    /// G = γ^{steps to the end − 1} · r_final).
    public static func constantAlphaMonteCarlo(
        _ values: inout [Double], episode: RandomWalkEpisode,
        alpha: Double, gamma: Double = 1
    ) {
        let s = episode.states
        var g = episode.finalReward
        var returns = [Double](repeating: 0, count: s.count)
        for i in stride(from: s.count - 1, through: 0, by: -1) {
            returns[i] = g
            g *= gamma
        }
        for i in 0..<s.count { values[s[i]] += alpha * (returns[i] - values[s[i]]) }
    }
}
