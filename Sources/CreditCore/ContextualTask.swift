// The contextual-credit task of Chapter 4: the same cue calls for different actions in
// different contexts (the review's Figure 1B), trained in alternating blocks.

/// K contexts, each a map from S cues to one of 2 actions.
///
/// Interpretation (stated in the chapter): context 2 is the exact opposite of context 1, so
/// every cue calls for the other action (the review's Figure 1B: same cue, different action).
/// For K > 2 the maps come in such opposite pairs: contexts 2j and 2j + 1 (0-based) are each
/// other's complement, and the pairs are distinct maps drawn without replacement, from the seed,
/// among the non-constant maps (a constant map, every cue to the same action, would need no cue
/// at all). With S cues there are 2^S − 2 non-constant maps, so at most 2^S − 2 contexts
/// (14 for S = 4).
public struct ContextualTask: Sendable, Equatable {
    /// Number of contexts K.
    public let contexts: Int
    /// Number of cues S.
    public let cues: Int
    /// Number of actions (always 2 here).
    public let actions: Int
    /// `maps[k][s]`: the correct action for cue `s` in context `k`.
    public let maps: [[Int]]

    /// The largest number of contexts the construction supports for `cues` cues.
    public static func maximumContexts(cues: Int) -> Int { (1 << cues) - 2 }

    /// A task with `contexts` maps drawn from `rng` (which it consumes) as described above.
    public init(contexts: Int, cues: Int, using rng: inout SeededGenerator) {
        precondition(cues >= 2 && cues <= 16, "cues must be in 2...16")
        precondition(
            contexts >= 1 && contexts <= Self.maximumContexts(cues: cues),
            "contexts must be in 1...\(Self.maximumContexts(cues: cues)) for \(cues) cues")
        self.contexts = contexts
        self.cues = cues
        actions = 2
        // Non-constant maps as bit patterns 1 ... 2^S − 2; keep one representative per
        // complementary pair (the one whose cue 0 goes to action 0, i.e. bit 0 clear), then
        // shuffle the pairs and flip a coin for which member comes first.
        let all = (1 << cues) - 1
        var pairs = (1..<all).filter { $0 & 1 == 0 }
        rng.shuffle(&pairs)
        var drawn: [Int] = []
        for p in pairs where drawn.count < contexts {
            let first = rng.int(below: 2) == 0 ? p : all ^ p
            drawn.append(first)
            if drawn.count < contexts { drawn.append(all ^ first) }
        }
        maps = drawn.map { bits in (0..<cues).map { (bits >> $0) & 1 } }
    }

    /// The correct action for `cue` in `context`.
    @inline(__always)
    public func action(context: Int, cue: Int) -> Int { maps[context][cue] }

    /// The context of each block for the alternating schedule of `blocks` blocks over the first
    /// `contexts` contexts: C1, C2, …, CK, C1, C2, … (0-based context indices).
    public static func blockContexts(blocks: Int, contexts: Int) -> [Int] {
        (0..<blocks).map { $0 % contexts }
    }

    /// The cues of `trials` training trials: cycles in which every cue appears once, in an order
    /// shuffled per cycle from `rng` (part 1's "cycle"); a last partial cycle is cut short.
    public func trialCues(trials: Int, using rng: inout SeededGenerator) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(trials)
        var cycle = Array(0..<cues)
        while out.count < trials {
            rng.shuffle(&cycle)
            for c in cycle where out.count < trials { out.append(c) }
        }
        return out
    }
}
