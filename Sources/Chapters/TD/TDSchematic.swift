import Diagram
import Plot

extension TDFigures {
    /// The temporal part of the review's Figure 1 and the circuit that computes δ.
    static func temporalCredit() -> Figure {
        let frames = Figure.grid(width: width, height: 200, rows: 1, columns: 2)
        return Figure(
            width: width, height: 200,
            panels: [
                Panel("A", frame: frames[0], content: DiagramExamples.temporalCredit()),
                Panel("B", frame: frames[1], content: DiagramExamples.tdCircuit()),
            ],
            caption: "placeholder")
    }
}
