import Cairo
import CreditCore
import Plot

extension Axes {
    /// A mean ± SEM band whose run may have diverged: it stops at the last point every seed
    /// reached, a × marks that point, and a note beside it and the legend say where the run
    /// diverged. `note: false` leaves the note out, for axes that name each curve at its end
    /// (``LegendPosition/lineEnds``), where the name already says it.
    mutating func band(
        _ statistics: SeedStatistics, color: Color, dash: [Double] = [], label: String?,
        divergence: DivergenceError?, note: Bool = true
    ) {
        let stop = divergence.map { " (diverged at \($0.stepName) \($0.step))" } ?? ""
        band(
            x: statistics.x, mean: statistics.mean, sem: statistics.sem, color: color, dash: dash,
            label: label.map { $0 + stop })
        if let divergence, let x = statistics.x.last, let y = statistics.mean.last {
            scatter(x: [x], y: [y], color: color, marker: .stop)
            guard note else { return }
            text(
                " \(label ?? "run") diverged at \(divergence.stepName) \(divergence.step)", x: x, y: y, align: .left,
                vertical: .bottom, color: color)
        }
    }
}

extension FigureWriter {
    /// One warning line per diverged run of a comparison whose other runs are still drawn.
    func warn(_ divergences: [DivergenceError]) {
        for d in divergences {
            printError("\(executableName): warning: \(d.description); its curve stops there")
        }
    }
}
