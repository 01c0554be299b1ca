import Cairo
import CreditCore
import Foundation
import Plot

extension FigureInfo {
    static let twoTimescales = FigureInfo(
        "two-timescales",
        "unsignalled context switches: a fast corticothalamic variable on slow cortical weights recovers in a few trials; "
            + "the single-timescale network relearns and forgets the other context")
}

/// The layout of the two-timescales figure. It only draws the result it is given.
enum ContextTimescalesFigure {
    static let width = 520.0
    static let height = 560.0

    static let twoColor = Palette.thalamus
    static let singleColor = Palette.cortex
    static let oracleColor = Palette.black
    /// "MD as is" in C: a light grey, so that under deuteranopia it stays lighter than the
    /// thalamus green of "best MD unit" (Palette.grey and that green both turn mid grey).
    static let mdAsIsColor = Palette.grey.lightened(0.4)

    static func color(_ m: TimescaleModel) -> Color {
        switch m {
        case .twoTimescale, .twoTimescaleFrozen: twoColor
        case .singleTuned: singleColor
        case .singleSameRate: singleColor.lightened(0.45)
        case .oracle: oracleColor
        }
    }

    static func dash(_ m: TimescaleModel) -> [Double] {
        switch m {
        case .twoTimescaleFrozen: [4, 2]
        case .singleSameRate: [2, 2]
        case .oracle: [1.5, 1.5]
        default: []
        }
    }

    static func label(_ m: TimescaleModel, _ r: TwoTimescaleResult) -> String {
        let p = r.parameters
        switch m {
        case .twoTimescale: return "two timescales"
        case .twoTimescaleFrozen: return "two timescales, cortex frozen"
        case .singleTuned: return "single timescale, η_{slow} = \(r.tunedRate.compact) (tuned)"
        case .singleSameRate: return "single timescale, η_{slow} = \(p.etaSlow.compact)"
        case .oracle: return "oracle (told the context)"
        }
    }

    static func shortLabel(_ m: TimescaleModel, _ r: TwoTimescaleResult) -> String {
        switch m {
        case .singleTuned: "single, η_{slow} = \(r.tunedRate.compact)"
        case .singleSameRate: "single, η_{slow} = \(r.parameters.etaSlow.compact)"
        case .oracle: "oracle"
        default: "two timescales"
        }
    }

    static func figure(_ r: TwoTimescaleResult) -> Figure {
        let p = r.parameters
        let frames = Figure.grid(width: width, height: height, rows: 3, columns: 2, columnWeights: [1.35, 1])
        let bottom = Rect(
            x: frames[4].x, y: frames[4].y, width: frames[5].x + frames[5].width - frames[4].x, height: frames[4].height)
        var a = Axes(
            xLabel: "trials after an unsignalled switch", yLabel: "P(error)", yRange: 0...1.05, legend: .topRight)
        a.horizontalLine(at: 0.5, label: "chance")
        for m in [TimescaleModel.singleSameRate, .singleTuned, .twoTimescaleFrozen, .twoTimescale, .oracle] {
            let s = r.errorCurve(m)
            a.band(x: s.x, mean: s.mean, sem: s.sem, color: color(m), dash: dash(m), label: label(m, r))
        }

        var b = Axes(
            xLabel: "trials after an unsignalled switch", yLabel: "P(new context's MD unit selected)", yRange: 0...1.05,
            legend: .bottomRight)
        b.horizontalLine(at: 1 / Double(p.mdUnits), label: "chance")
        for m in [TimescaleModel.twoTimescaleFrozen, .twoTimescale] {
            let s = r.newUnitCurve(m)
            b.band(
                x: s.x, mean: s.mean, sem: s.sem, color: color(m), dash: dash(m),
                label: m == .twoTimescale ? "cortex learning" : "cortex frozen")
        }

        let barModels: [TimescaleModel] = [.twoTimescale, .singleTuned, .singleSameRate, .oracle]
        let own = barModels.map { r.summary($0) { $0.otherContextOwnMD } }
        let best = barModels.map { r.summary($0) { $0.otherContextBestMD } }
        var c = Axes(yLabel: "P(error) on the other context", yRange: 0...1.05, legend: .outsideRight)
        c.bars(
            categories: ["two", "single", "single η_{slow} = \(p.etaSlow.compact)", "oracle"],
            values: [own.map(\.mean), best.map(\.mean)], errors: [own.map(\.sem), best.map(\.sem)],
            colors: [mdAsIsColor, twoColor], labels: ["MD as is", "best MD unit"])
        c.horizontalLine(at: 0.5, label: "chance")

        // D: the fast variable over the first test blocks of the first seed.
        // The hidden context as two grey lanes outside the trace's range (±2 z_max): top = context 1,
        // bottom = context 2, each lane named beside one of its segments.
        let lane = 2.6 * p.zMax
        var d = Axes(
            xLabel: "test trial (seed \(r.seedValues.first ?? 0))", yLabel: "z_{c1} − z_{other} (fast variable)",
            yRange: -(10.0 / 3 * p.zMax)...(10.0 / 3 * p.zMax), legend: .hidden)
        if let first = r.seeds(.twoTimescale).first {
            var x: [Double] = [], z: [Double] = []
            var laneX: [Double] = [], lane1: [Double] = [], lane2: [Double] = []
            var n = 0
            // Signed so that up favours the MD unit that context 1 settled on.
            let sign: Double = first.contextUnits[0] == 0 ? 1 : -1
            for sw in first.switches where n < 300 {
                for v in sw.driveTrace {
                    x.append(Double(n))
                    z.append(sign * v)
                    // Each trial's lane covers n − ½ … n + ½, so one-trial blocks still show.
                    laneX += [max(0, Double(n) - 0.5), Double(n) + 0.5]
                    lane1 += sw.context == 0 ? [lane, lane] : [.nan, .nan]
                    lane2 += sw.context == 0 ? [.nan, .nan] : [-lane, -lane]
                    n += 1
                }
            }
            d.line(x: laneX, y: lane1, color: Palette.grey, width: 2)
            d.line(x: laneX, y: lane2, color: Palette.grey, width: 2)
            d.line(x: x, y: z, color: twoColor, label: "drive toward context 1's MD unit")
            d.text("context 1", x: 0, y: lane + 0.15 * p.zMax, align: .left, vertical: .bottom, color: Style.mutedText)
            d.text("context 2", x: Double(n), y: -lane - 0.15 * p.zMax, align: .right, vertical: .top, color: Style.mutedText)
        }

        // E: learning across blocks (the slow timescale).
        var e = Axes(
            xLabel: "training blocks", yLabel: "P(error), first 10 trials of a block", yRange: 0...1.05, legend: .outsideRight)
        e.horizontalLine(at: 0.5, label: "chance")
        for m in [TimescaleModel.singleSameRate, .singleTuned, .twoTimescale, .oracle] {
            let s = r.trainingCurve(m)
            e.band(x: s.x, mean: s.mean, sem: s.sem, color: color(m), dash: dash(m), label: shortLabel(m, r))
        }

        let two = r.summary(.twoTimescale) { Double($0.recoveryTrials) }
        let frozen = r.summary(.twoTimescaleFrozen) { Double($0.recoveryTrials) }
        let single = r.summary(.singleTuned) { Double($0.recoveryTrials) }
        let same = r.summary(.singleSameRate) { Double($0.recoveryTrials) }
        let decoding = r.summary(.twoTimescale) { $0.mdDecoding }
        let claims = CaptionClaims(r, keptBy: barModels.indices.filter { best[$0].mean < p.criterion }.map { barModels[$0] })
        return Figure(
            width: width, height: height,
            panels: [
                Panel("A", frame: frames[0], content: a), Panel("B", frame: frames[1], content: b),
                Panel("C", frame: frames[2], content: c), Panel("D", frame: frames[3], content: d),
                Panel("E", frame: bottom, content: e),
            ],
            caption: """
                Two timescales against one, after training on \(p.trainingBlocks) blocks whose context switches \
                without a signal (geometric lengths, mean \(p.meanBlock.compact) trials; \(p.cues) cues whose two \
                actions reverse between contexts). A, P(error) after a switch: the two-timescale network (fast \
                corticothalamic drive, η_{z} = \(p.etaFast.compact), on slow cortical weights, η_{slow} = \
                \(p.etaSlow.compact)) falls below \(p.criterion.compact) after \(two.mean.fixed(1)) ± \
                \(two.sem.fixed(1)) trials, \(frozen.mean.fixed(1)) ± \(frozen.sem.fixed(1)) with the cortex \
                frozen; the single-timescale network (same circuit, η_{z} = 0) after \(single.mean.fixed(1)) ± \
                \(single.sem.fixed(1)) with its η_{slow} tuned over \(p.singleRates.count) rates, \(same.mean.fixed(1)) \
                ± \(same.sem.fixed(1)) at η_{slow} = \(p.etaSlow.compact). Oracle: MD clamped to the context. B, the \
                fast variable \(claims.switching) (it picks the context's unit on \
                \((100 * decoding.mean).fixed(0)) % of trials from trial \(p.settleTrials) on). C, at the end of a \
                block, P(error) on the other context with MD where it is (grey) and with the best MD unit \
                (green): \(claims.kept). D, the fast variable (green: the \
                corticothalamic drive of the MD unit context 1 settled on minus the other's) through the first test \
                blocks of one seed; grey lanes mark the hidden context (top: context 1, bottom: context 2). \
                \(claims.crossing) E, training: P(error) in the first 10 trials of each block, in bins of \
                \(trainingBin) blocks; \(claims.advantage). Mean ± SEM over \
                \(r.seedValues.count) seeds; \(p.mdUnits) MD units × \(p.unitsPerGroup) PFC units, γ = \
                \(p.gain.compact), θ = \(p.inhibition.compact).
                """)
    }
}

/// The caption's statements about the two-timescale figure that depend on the run, each worded
/// from the measures so that it stays true under any flags (a large γ, for one, lets the slow
/// weights relearn after every switch and the fast variable lose the context).
private struct CaptionClaims {
    /// Panel B: how reliably the fast variable settles on the context's MD unit.
    var switching: String
    /// Panel C: which models keep the other context's map (P(error) below the criterion with the best MD unit).
    var kept: String
    /// Panel D: when MD switches after a switch of the context.
    var crossing: String
    /// Panel E: from which block on the two-timescale network learns faster than the tuned single one.
    var advantage: String

    init(_ r: TwoTimescaleResult, keptBy keepers: [TimescaleModel]) {
        let p = r.parameters
        let decoding = r.summary(.twoTimescale) { $0.mdDecoding }.mean
        switching =
            decoding >= 0.95
            ? "switches MD units within a few trials" : "tracks the context only in part"
        switch keepers {
        case [.twoTimescale, .oracle]: kept = "only the two-timescale network and the oracle keep the other map"
        case [.oracle]:
            kept = "only the oracle keeps the other map (P(error) below \(p.criterion.compact) with the best MD unit)"
        case []: kept = "none keeps the other map (P(error) at least \(p.criterion.compact) even with the best MD unit)"
        default:
            let names = keepers.map { ContextTimescalesFigure.shortLabel($0, r) }.joined(separator: ", ")
            kept = "P(error) below \(p.criterion.compact) with the best MD unit, the other map kept, for: \(names)"
        }
        let recovery = r.summary(.twoTimescale) { Double($0.recoveryTrials) }.mean
        crossing =
            recovery <= 3
            ? "It crosses zero, and MD switches, after one or two errors, then saturates more slowly."
            : "MD switches where it crosses zero; the network takes \(recovery.fixed(1)) trials to recover."
        // The first bin from which the two-timescale curve stays below the tuned single-timescale
        // one by more than the two SEMs together.
        let two = r.trainingCurve(.twoTimescale), single = r.trainingCurve(.singleTuned)
        let ahead = (0..<min(two.x.count, single.x.count)).map {
            two.mean[$0] + two.sem[$0] < single.mean[$0] - single.sem[$0]
        }
        if let first = ahead.indices.first(where: { k in ahead[k...].allSatisfy { $0 } }) {
            advantage =
                "the two-timescale network is ahead of the tuned single-timescale one from block "
                + "\(Int(two.x[first])) on, as its slow weights learn one map per MD unit"
        } else {
            advantage = "the two-timescale network does not stay ahead of the tuned single-timescale one by more than the SEMs"
        }
    }
}
