import ArgumentParser
import CreditCore

/// `ch2-td` / `credit td`: temporal credit assignment by TD learning (the review's Eqs. 2–3).
public struct TDChapter: ChapterCommand {
    public static let configuration = CommandConfiguration(
        commandName: "td",
        abstract: "Chapter 2 — temporal credit: TD learning and the dopamine reward-prediction error (Eqs. 2–3).",
        discussion: """
            Trials are discrete time steps with a cue and a later reward of size 1. The value \
            V(s) = wᵀφ(s) is learned with the TD error δ_t = r_t + γ V(s_t+1) − V(s_t) (Eq. 3) and \
            w ← w + α δ_t φ(s_t). γ = 1 reproduces the review's Eqs. 2–3 as printed.
            """)

    public static let chapterName = "td"
    public static let prose = "chapters/02-td.md"

    public static let figures = [
        FigureInfo("fig1c-temporal-credit", "schematic: which past event earns a delayed reward, and the striatum–dopamine circuit that computes δ"),
        FigureInfo("rpe-transfer", "δ moves from the reward to the cue over training (Schultz 1997; Montague et al. 1996)"),
        FigureInfo("omission-extinction", "omitting the expected reward gives a dip δ ≈ −1; repeated omission extinguishes the cue response"),
        FigureInfo("state-representation", "with time-only features δ at reward stays at ±0.5; remembering the cue lets it vanish"),
        FigureInfo("random-walk", "TD(0) vs constant-α Monte Carlo on the 5-state random walk (Sutton & Barto 2018, Fig. 6.2)"),
    ]

    @OptionGroup public var common: CommonOptions

    @Option(help: "Learning rate α of the update w ← w + α δ φ (> 0; default 0.1).")
    var alpha: Double?

    @Option(help: "Discount factor γ of Eqs. 2–3, in [0, 1] (default 1: the equations as printed).")
    var gamma: Double?

    @Option(help: "Time steps per trial, T (default 25).")
    var trialLength: Int?

    @Option(help: "Step at which the cue appears (default 5; must come before the reward).")
    var cueTime: Int?

    @Option(help: "Step at which the reward r = 1 arrives (default 15; inside the trial).")
    var rewardTime: Int?

    @Option(help: "Training trials (default 300).")
    var trials: Int?

    @Option(help: "Omission trials after training (default 150).")
    var omissionTrials: Int?

    @Option(help: "Random-walk runs averaged per curve (default 100; 20 with --quick).")
    var runs: Int?

    @Option(help: "Episodes per random-walk run (default 100).")
    var episodes: Int?

    public init() {}

    /// The experiment's parameters: defaults (or `--quick` ones) overridden by the flags given.
    var parameters: TDParameters {
        var p = TDParameters(quick: common.quick)
        p.seed = common.seed
        if let v = common.seeds { p.seeds = v }
        if let v = alpha { p.alpha = v }
        if let v = gamma { p.gamma = v }
        if let v = trialLength { p.trialLength = v }
        if let v = cueTime { p.cueTime = v }
        if let v = rewardTime { p.rewardTime = v }
        if let v = trials { p.trials = v }
        if let v = omissionTrials { p.omissionTrials = v }
        if let v = runs { p.randomWalkRuns = v }
        if let v = episodes { p.randomWalkEpisodes = v }
        return p
    }

    public func validate() throws {
        try checkParameters { try parameters.validate() }
    }

    public func produce(_ output: FigureWriter) throws {
        let p = parameters
        try output.emit("fig1c-temporal-credit", figure: TDFigures.temporalCredit())

        output.progress("RPE transfer: \(p.trials) trials")
        let rpe = try rpeTransfer(p)
        try output.emit("rpe-transfer", figure: TDFigures.rpeTransfer(rpe), data: [("", rpe.csv)])

        output.progress("omission and extinction: \(p.omissionTrials) omission trials")
        let omission = try omissionExtinction(p)
        try output.emit("omission-extinction", figure: TDFigures.omission(omission), data: [("", omission.csv)])

        output.progress("state representation: \(p.seeds) seeds")
        let states = try stateRepresentation(p)
        try output.emit(
            "state-representation", figure: TDFigures.stateRepresentation(states),
            data: [("", states.csv), ("summary", states.summaryCSV)])

        output.progress("random walk: \(p.randomWalkRuns) runs × \(p.randomWalkEpisodes) episodes")
        let walk = try randomWalk(runs: p.randomWalkRuns, episodes: p.randomWalkEpisodes, seed: p.seed)
        try output.emit("random-walk", figure: TDFigures.randomWalk(walk), data: [("", walk.csv)])
    }
}
