import CreditCore

/// `ch2-td` / `credit td`: temporal credit assignment by TD learning (the review's Eqs. 2–3).
package enum TDChapter: Chapter {
    package static let number = 2
    package static let name = "td"
    package static let abstract =
        "Chapter 2 — temporal credit: TD learning and the dopamine reward-prediction error (Eqs. 2–3)."
    package static let discussion = """
        Trials are discrete time steps with a cue and a later reward of size 1. The value \
        V(s) = wᵀφ(s) is learned with the TD error δ_t = r_t + γ V(s_t+1) − V(s_t) (Eq. 3) and \
        w ← w + α δ_t φ(s_t). γ = 1 reproduces the review's Eqs. 2–3 without discounting. The reward \
        of step t is counted with the move to the next state, so V(s_t) predicts the rewards after step t \
        (V is 0 at the reward step, where Eq. 2 as printed gives 1); δ is Eq. 3 exactly.
        """

    package static let figures: [FigureInfo] = [
        .temporalCredit, .rpeTransfer, .omissionExtinction, .stateRepresentation, .randomWalk,
    ]

    package static func produce(_ p: TDParameters, _ output: FigureWriter) throws {
        try output.emit(.temporalCredit)

        try output.attempt(.rpeTransfer, progress: "RPE transfer: \(p.trials) trials") {
            let rpe = try rpeTransfer(p)
            try output.emit(
                .rpeTransfer, figure: TDFigures.rpeTransfer(rpe),
                data: [("", rpe.csv), ("value", rpe.valueCSV), ("trials", rpe.trialsCSV)])
        }

        try output.attempt(.omissionExtinction, progress: "omission and extinction: \(p.omissionTrials) omission trials") {
            let omission = try omissionExtinction(p)
            try output.emit(.omissionExtinction, figure: TDFigures.omission(omission), data: [("", omission.csv)])
        }

        try output.attempt(.stateRepresentation, progress: "state representation: \(p.seeds) seeds") {
            let states = try stateRepresentation(p)
            try output.emit(
                .stateRepresentation, figure: TDFigures.stateRepresentation(states),
                data: [("", states.csv), ("summary", states.summaryCSV)])
        }

        try output.attempt(.randomWalk, progress: "random walk: \(p.randomWalkRuns) runs × \(p.randomWalkEpisodes) episodes") {
            let walk = try randomWalk(runs: p.randomWalkRuns, episodes: p.randomWalkEpisodes, seed: p.seed)
            try output.emit(.randomWalk, figure: TDFigures.randomWalk(walk), data: [("", walk.csv)])
        }
    }
}

extension FigureInfo {
    static let temporalCredit = FigureInfo(
        "fig1c-temporal-credit",
        "schematic: the striatum–dopamine circuit that computes δ (the delayed-reward problem is Figure 1C, Chapter 1)",
        schematic: TDFigures.temporalCredit)
    static let rpeTransfer = FigureInfo(
        "rpe-transfer", "δ moves from the reward to the cue over training (Montague et al. 1996; Schultz, Dayan & Montague 1997)")
    static let omissionExtinction = FigureInfo(
        "omission-extinction",
        "omitting the expected reward gives a dip δ ≈ −1; repeated omission extinguishes the cue response")
    static let stateRepresentation = FigureInfo(
        "state-representation", "with time-only features δ at reward stays at ±0.5; remembering the cue lets it vanish")
    static let randomWalk = FigureInfo(
        "random-walk", "TD(0) vs constant-α Monte Carlo on the 5-state random walk (Sutton & Barto 2018, Fig. 6.2)")
}
