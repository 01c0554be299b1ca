import Cairo
import Foundation
import CreditCore
import Plot

/// Figure layouts of the TD chapter. They only draw the results they are given.
enum TDFigures {
    static let width = 520.0

    /// The within-trial time axis with the cue and reward marked.
    private static func trialAxes(_ p: TDParameters, yLabel: String, yRange: ClosedRange<Double>? = nil, legend: LegendPosition = .auto)
        -> Axes
    {
        var axes = Axes(
            xLabel: "time step in trial", yLabel: yLabel,
            xRange: 0...Double(p.trialLength - 1), yRange: yRange, legend: legend)
        axes.horizontalLine(at: 0, color: Style.mutedText.withAlpha(0.5), dash: [])
        axes.verticalLine(at: Double(p.cueTime), label: "cue")
        axes.verticalLine(at: Double(p.rewardTime), label: "reward")
        return axes
    }

    /// Shades of one colour from light (early) to full (late).
    private static func shades(_ color: Color, _ count: Int) -> [Color] {
        (0..<count).map { color.lightened(0.55 * Double(count - 1 - $0) / Double(max(1, count - 1))) }
    }

    private static func timeSteps(_ n: Int) -> [Double] { (0..<n).map(Double.init) }

    private static func parameterLine(_ p: TDParameters) -> String {
        "α = \(p.alpha.compact), γ = \(p.gamma.compact), cue at step \(p.cueTime), reward r = 1 at step \(p.rewardTime) "
            + "(k = \(p.cueRewardInterval) steps later), complete-serial-compound features"
    }

    // MARK: rpe-transfer

    static func rpeTransfer(_ r: RPETransferResult) -> Figure {
        let p = r.parameters
        let partial = p.rewardProbability < 1
        let frames = Figure.grid(width: width, height: 380, rows: 2, columns: 2, columnWeights: [1, 1.15])
        let middle = middleTrial(r)
        let shown = [1, middle, p.trials]
        var a = trialAxes(p, yLabel: "TD error δ")
        for (trial, color) in zip(shown, shades(Palette.rpe, 3)) {
            let omitted = partial && !r.rewarded[trial - 1] ? " (no reward)" : ""
            a.line(x: timeSteps(p.trialLength), y: r.delta[trial - 1], color: color, label: "trial \(trial)\(omitted)")
        }
        var b = Axes(xLabel: "time step in trial", yLabel: "trial")
        b.heatmap(
            r.delta, x: -0.5...(Double(p.trialLength) - 0.5), y: 0.5...(Double(p.trials) + 0.5),
            colorMap: .blueWhiteRed, range: -1...1, colorBarLabel: "δ")
        let gk = pow(p.gamma, Double(p.cueRewardInterval))
        let c = partial ? partialReinforcementPanel(r) : transferPanel(r, gk: gk)
        var d = trialAxes(p, yLabel: "value V(s_{t})")
        for (trial, color) in zip(shown, shades(Palette.value, 3)) {
            d.line(x: timeSteps(p.trialLength), y: r.value[trial - 1], color: color, label: "after trial \(trial)")
        }
        return Figure(
            width: width, height: 380,
            panels: [
                Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b),
                Panel("C", frame: frames[2], content: c), Panel("D", frame: frames[3], content: d),
            ],
            caption: partial
                ? partialReinforcementCaption(r)
                : """
                The reward-prediction error moves from the reward to the cue. A, δ within a trial early, midway \
                and late in training. B, δ on every trial (rows) and step (columns). C, δ at the cue rises to \
                γ^k while δ at the reward falls to 0. D, the learned value V: after training the cue state \
                predicts the whole reward (γ^{j−1} for a reward j steps away: the reward is counted with the move \
                out of its step, so V is 0 at the reward step itself), and the pre-cue state predicts nothing. \
                \(parameterLine(p)); deterministic (no randomness), \(p.trials) trials.
                """)
    }

    /// Panel C when every trial is rewarded: δ at the cue rises to γ^k, δ at the reward falls to 0.
    private static func transferPanel(_ r: RPETransferResult, gk: Double) -> Axes {
        let p = r.parameters
        var c = Axes(
            xLabel: "trial", yLabel: "TD error δ", xRange: 1...Double(p.trials), yRange: -0.05...1.05,
            legend: .hidden)
        let trials = (1...p.trials).map(Double.init)
        c.horizontalLine(at: gk, label: "γ^{k}")
        c.line(x: trials, y: r.cueDelta, color: Palette.sensory)
        c.line(x: trials, y: r.rewardDelta, color: Palette.reward)
        // Direct labels instead of a legend: the two curves fill the corners.
        let labelX = Double(p.trials) * 0.97
        c.text("at the cue", x: labelX, y: gk - 0.08, align: .right, color: Palette.sensory)
        c.text("at the reward", x: labelX, y: 0.08, align: .right, color: Palette.reward)
        return c
    }

    /// Panel C under partial reinforcement: δ at the cue settles near p γ^k, δ at the reward near
    /// 1 − p on rewarded trials and −p on unrewarded ones (each set of trials its own line).
    private static func partialReinforcementPanel(_ r: RPETransferResult) -> Axes {
        let p = r.parameters
        let q = p.rewardProbability
        var c = Axes(xLabel: "trial", yLabel: "TD error δ", xRange: 1...Double(p.trials), legend: .auto)
        c.horizontalLine(at: 0, color: Style.mutedText.withAlpha(0.5), dash: [])
        // The levels δ settles near; two that (nearly) coincide share one label.
        let cueLevel = q * pow(p.gamma, Double(p.cueRewardInterval))
        let shared = abs(cueLevel - (1 - q)) < 0.1
        c.horizontalLine(at: cueLevel, label: shared ? "pγ^{k}, 1 − p" : "pγ^{k}")
        c.horizontalLine(at: 1 - q, label: shared ? nil : "1 − p")
        c.horizontalLine(at: -q, label: "−p")
        let trials = r.rewarded.indices
        func line(_ wanted: Bool) -> (x: [Double], y: [Double]) {
            let picked = trials.filter { r.rewarded[$0] == wanted }
            return (picked.map { Double($0 + 1) }, picked.map { r.rewardDelta[$0] })
        }
        c.line(x: trials.map { Double($0 + 1) }, y: r.cueDelta, color: Palette.sensory, label: "at the cue")
        let given = line(true), omitted = line(false)
        c.line(x: given.x, y: given.y, color: Palette.reward, label: "at the reward, given")
        c.line(x: omitted.x, y: omitted.y, color: Palette.rpe, dash: [4, 2], label: "at the reward, omitted")
        return c
    }

    /// The caption of `rpe-transfer` under partial reinforcement, with the run's late averages.
    private static func partialReinforcementCaption(_ r: RPETransferResult) -> String {
        let p = r.parameters
        let q = p.rewardProbability
        let late = [
            ("on rewarded trials", r.lateRewardDelta(rewarded: true)), ("on unrewarded ones", r.lateRewardDelta(rewarded: false)),
        ]
        .compactMap { label, v in v.map { "\(label) \($0.fixed(2))" } }.joined(separator: ", ")
        return """
            Partial reinforcement: the reward arrives on a random fraction p = \(q.compact) of the trials \
            (\(r.rewarded.filter { $0 }.count) of \(p.trials), drawn with seed \(p.seed)). A, δ within a trial early, midway \
            and late in training. B, δ on every trial (rows) and step (columns). C, δ at the cue rises toward \
            pγ^k, δ at the reward falls toward 1 − p when the reward comes and −p when it does not (means over \
            the second half of training: at the cue \(r.lateCueDelta.fixed(2)); at the reward \(late)). D, the \
            learned value V: the states after the cue predict p times the reward, and keep moving with every \
            trial's outcome. \(parameterLine(p)); \(p.trials) trials.
            """
    }

    /// The first trial on which the cue's δ has reached half of its final value.
    static func middleTrial(_ r: RPETransferResult) -> Int {
        let final = r.cueDelta.last ?? 0
        let index = r.cueDelta.firstIndex { $0 >= final / 2 } ?? (r.cueDelta.count / 2)
        return min(max(index + 1, 2), max(2, r.parameters.trials - 1))
    }

    // MARK: omission-extinction

    static func omission(_ r: OmissionResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 210, rows: 1, columns: 2)
        var a = trialAxes(p, yLabel: "TD error δ", legend: .bottomLeft)
        let late = r.delta.count
        // Wide and pale underneath: it matches the first omission trial everywhere but at the reward.
        let lastTraining =
            p.rewardProbability == 1
            ? "last rewarded trial" : "last training trial (\(r.lastTrainingTrialRewarded ? "rewarded" : "no reward"))"
        a.line(
            x: timeSteps(p.trialLength), y: r.trainedDelta, color: Palette.grey.lightened(0.35), width: 4,
            label: lastTraining)
        a.line(x: timeSteps(p.trialLength), y: r.delta[0], color: Palette.rpe, label: "1st omission")
        a.line(
            x: timeSteps(p.trialLength), y: r.delta[late - 1], color: Palette.rpe.lightened(0.55), dash: [4, 2], label: "omission \(late)")
        var b = Axes(xLabel: "omission trial", yLabel: "TD error δ", xRange: 1...Double(late))
        let trials = (1...late).map(Double.init)
        // A few omission trials: one tick each, not fractions of a trial.
        if late <= 5 { b.xTicks = NiceTicks.at(trials, range: 1...Double(late)) { String(Int($0)) } }
        b.horizontalLine(at: 0, color: Style.mutedText.withAlpha(0.5), dash: [])
        b.line(x: trials, y: r.cueResponse, color: Palette.sensory, label: "δ at the cue")
        b.line(x: trials, y: r.rewardTimeDelta, color: Palette.reward, label: "δ at the expected reward time")
        // Extinction has reached the cue once its response has lost a tenth of its trained size.
        let last = r.cueResponse[late - 1].fixed(2)
        let outcome =
            r.cueResponse[late - 1] < 0.9 * r.trainedCueResponse
            ? """
            after \(late) omissions the cue evokes only δ = \(last). B, the cue response decays and the dip fades as the \
            value is unlearned.
            """
            : """
            after \(late) omission\(late == 1 ? "" : "s") the cue still evokes δ = \(last): the loss of the \
            reward has not yet travelled back to it. B, the dip shrinks while the cue response holds.
            """
        let randomness = p.rewardProbability == 1 ? "deterministic" : "rewarded trials drawn with seed \(p.seed)"
        let training =
            p.rewardProbability == 1
            ? "\(p.trials) rewarded trials"
            : "\(p.trials) training trials, each rewarded with probability p = \(p.rewardProbability.compact),"
        return Figure(
            width: width, height: 210,
            panels: [Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b)],
            caption: """
                Omission and extinction. After \(training) the reward is withheld. A, on the first \
                omission trial δ dips to \(r.firstOmissionDip.fixed(2)) at the time the reward was expected; \(outcome) \
                \(parameterLine(p)); \(randomness).
                """)
    }

    // MARK: state-representation

    static func stateRepresentation(_ r: StateRepresentationResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: 210, rows: 1, columns: 2)
        // One key for the figure, in A: both panels draw the same two cues in the same colours.
        func panel(_ coding: StateCoding, title: String) -> Axes {
            var axes = Axes(
                xLabel: "presentation of the cue", yLabel: "δ at reward time", title: title,
                yRange: -1.05...1.05, legend: coding == .timeOnly ? .topRight : .hidden)
            axes.horizontalLine(at: 0.5, label: "+½")
            axes.horizontalLine(at: -0.5, label: "−½")
            for (cue, color) in [("A", Palette.reward), ("B", Palette.blue)] {
                let s = r.series(coding, cue: cue).statistics
                axes.band(
                    x: s.x, mean: s.mean, sem: s.sem, color: color,
                    label: cue == "A" ? "cue A (rewarded)" : "cue B (unrewarded)")
            }
            return axes
        }
        let seeds = r.seedValues.count
        let fading = p.cueMemory < 1
        let held = pow(p.cueMemory, Double(p.cueRewardInterval - 1))
        let memory =
            fading
            ? """
            features that also hold which cue was seen, in a memory that fades: λ^j of the cue's identity is left \
            j steps after it (λ = \(p.cueMemory.compact), so λ^{k−1} = \(held.fixed(3)) in the state before the reward). \
            Over the second half of training δ at the reward averages \
            \(signed(r.series(.cueAndTime, cue: "A").lateMean)) on A trials and \(signed(r.series(.cueAndTime, cue: "B").lateMean)) on B trials.
            """
            : "features that also hold which cue was seen (a working memory of the cue) let δ at the reward vanish for both."
        return Figure(
            width: width, height: 210,
            panels: [
                Panel("A", frame: frames[0], content: panel(.timeOnly, title: "time since cue only")),
                Panel(
                    "B", frame: frames[1],
                    content: panel(.cueAndTime, title: fading ? "time since cue + fading cue memory" : "time since cue + cue identity")),
            ],
            caption: """
                A state that is not Markov. Cues A (always rewarded) and B (never) appear in a random order. A, \
                with features that code only the time since a cue, one value must serve both cues: it settles at \
                ½, and δ at the reward stays near +½ on A trials and −½ on B trials. B, \(memory) Mean ± SEM \
                over \(seeds) seeds (random cue orders); \(parameterLine(p)).
                """)
    }

    /// `x` with two decimals and its sign: "+0.41", "−0.41".
    private static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "−") + abs(x).fixed(2) }

    // MARK: random-walk

    static func randomWalk(_ r: RandomWalkResult) -> Figure {
        let frames = Figure.grid(width: width, height: 250, rows: 1, columns: 1)
        // Seven curves in two hues: each is named at its end, not through a legend of shades.
        var a = Axes(
            xLabel: "episodes (walks)", yLabel: "RMS error of V, averaged over states",
            xRange: 0...Double(r.episodes), yRange: 0...0.25, legend: .lineEnds)
        let episodes = (0...r.episodes).map(Double.init)
        let td = r.curves.filter { $0.method == "TD" }
        let mc = r.curves.filter { $0.method == "MC" }
        for (curve, color) in zip(td, shades(Palette.td, td.count).reversed()) {
            a.band(x: episodes, mean: curve.rms, sem: curve.sem, color: color, label: "TD(0), α = \(curve.alpha.compact)")
        }
        for (curve, color) in zip(mc, shades(Palette.monteCarlo, mc.count).reversed()) {
            a.band(x: episodes, mean: curve.rms, sem: curve.sem, color: color, dash: [4, 2], label: "MC, α = \(curve.alpha.compact)")
        }
        return Figure(
            width: width, height: 250,
            panels: [Panel(nil, frame: frames[0], content: a)],
            caption: """
                Textbook check: the 5-state random walk of Sutton & Barto (2018, Example 6.2). TD(0) (solid, blue) and \
                constant-α Monte Carlo (dashed, vermillion; each curve named at its end), γ = 1, values initialised to 0.5; RMS error of the five estimates \
                against the true values 1/6 … 5/6 after each episode, mean ± SEM over \(r.runs) runs (seed \(r.seed)). \
                TD learns faster than MC at every step size shown, as in the book's Figure 6.2.
                """)
    }
}
