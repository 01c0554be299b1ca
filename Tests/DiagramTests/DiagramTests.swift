import Foundation
import Testing

@testable import Cairo
@testable import Diagram
@testable import Plot

// MARK: Helpers

/// Resolves `schematic` for `frame` on a scratch SVG surface.
private func layout(_ schematic: Schematic, frame: Rect) throws -> SchematicLayout {
    var result: SchematicLayout?
    _ = try renderBytes(format: .svg, width: frame.maxX + 20, height: frame.maxY + 20) {
        result = try schematic.layout(in: $0, frame: frame)
    }
    return try #require(result)
}

extension Schematic {
    fileprivate func layout(in context: Context, frame: Rect) throws -> SchematicLayout {
        try layout(in: frame, context: context)
    }
}

/// Renders `schematic` alone on a white page with the panel at `frame`.
private func render(
    _ schematic: Schematic, format: ImageFormat, frame: Rect = Rect(x: 10, y: 10, width: 200, height: 120),
    clipToFrame: Bool = false
) throws -> [UInt8] {
    try renderBytes(format: format, width: frame.maxX + 10, height: frame.maxY + 10) { c in
        c.paint(.white)
        if clipToFrame {
            c.rectangle(frame)
            c.clip()
        }
        try schematic.draw(in: c, frame: frame)
    }
}

private func svgText(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// A schematic with one element of every kind, connected every way.
private func everything() -> Schematic {
    Schematic(
        width: 120, height: 130,
        elements: [
            .region("ctx", .cortex, Rect(x: 4, y: 4, width: 40, height: 30)),
            .region("thal", .thalamus, Rect(x: 70, y: 4, width: 40, height: 22), label: "MD", placement: .above, dashed: true),
            .population("pfc", .cortex, center: Point(24, 22), width: 26, height: 10, kind: .excitatory, count: 4, label: "PFC"),
            .population(
                "bg", .basalGanglia, center: Point(90, 50), width: 22, height: 10, kind: .inhibitory, label: "BG", placement: .right),
            .population("mix", .generic(Palette.yellow, name: "mix"), center: Point(60, 60), width: 16, height: 8, kind: .mixed),
            .neuron("pyr", .cortex, at: Point(20, 60), size: 8, label: "pyramidal", placement: .left),
            .neuron("inh", .thalamus, at: Point(40, 70), size: 6, kind: .inhibitory, label: "interneuron", placement: .right),
            .icon(.star, at: Point(110, 70), size: 7, color: BrainArea.reward.color, id: "star", label: "reward"),
            .icon(.square, at: Point(60, 40), size: 5, color: BrainArea.sensory.color, filled: false, id: "sq"),
            .icon(.triangle, at: Point(50, 10), size: 5, color: BrainArea.sensory.color, id: "tri"),
            .icon(.diamond, at: Point(60, 10), size: 5, color: BrainArea.sensory.color),
            .icon(.circle, at: Point(70, 35), size: 4, color: BrainArea.sensory.color),
            .icon(.drop, at: Point(110, 40), size: 6, color: BrainArea.reward.color, id: "drop"),
            .icon(.cross, at: Point(100, 32), size: 4, color: Palette.vermillion),
            .connection("pfc", "thal", id: "ct", plastic: true, label: "W_{ct}", bend: 0.2),
            .connection("thal", "pfc", .modulatory, label: "r_{MD}", bend: 0.2),
            .connection("bg", "thal", .inhibitory, id: "gate"),
            .connection("star", .synapse("ct"), .modulatory, label: "δ"),
            .connection(.point(Point(2, 76)), "pyr", label: "x"),
            .connection("pyr", "inh", .excitatory),
            .connection("inh", "pyr", .inhibitory, bend: 0.4),
            .connection(.side("ctx", .bottom, offset: 0.3), .side("mix", .left), .excitatory),
            .connection("sq", "tri", .excitatory),
            .connection("drop", "bg", .excitatory),
            .loop(on: "pfc", side: .top, label: "J", size: 10),
            .loop(on: "bg", side: .bottom, .inhibitory, plastic: true),
            .label("free text τ_{eff}", at: Point(60, 76), halo: true),
            .timeline(
                Schematic.Timeline(
                    id: "tl", origin: Point(4, 100), length: 100, range: 0...4,
                    events: [
                        .init("c", at: 0.5, marker: .icon(.circle), label: "cue", color: BrainArea.sensory.color),
                        .init("a", at: 1.5, marker: .box(width: 0.4), label: "a", caption: "act"),
                        .init("d", at: 2, marker: .span(until: 3), label: "delay"),
                        .init("r", at: 3.5, marker: .tick, label: "reward"),
                    ],
                    credits: [.init(from: "r", to: "a")])),
            .legend(at: Point(4, 112)),
        ])
}

// MARK: Fit

@Suite struct FitTests {
    @Test func wideSpaceIsLetterboxedVertically() {
        let t = SchematicTransform.fitting(width: 100, height: 50, into: Rect(x: 10, y: 20, width: 300, height: 300))
        #expect(t.scale == 3)
        let box = t.rect(Rect(x: 0, y: 0, width: 100, height: 50))
        #expect(box == Rect(x: 10, y: 95, width: 300, height: 150))
    }

    @Test func tallSpaceIsLetterboxedHorizontally() {
        let t = SchematicTransform.fitting(width: 40, height: 80, into: Rect(x: 0, y: 0, width: 200, height: 100))
        #expect(t.scale == 1.25)
        let box = t.rect(Rect(x: 0, y: 0, width: 40, height: 80))
        #expect(box.midX == 100 && box.minY == 0 && box.maxY == 100)
        #expect(abs(box.width / box.height - 0.5) < 1e-12)
        // A schematic point maps linearly.
        #expect(t.point(Point(40, 80)) == Point(125, 100))
        #expect(t.length(8) == 10)
    }

    @Test func textThatWouldStickOutShrinksTheFitUntilTheDrawingIsInside() throws {
        // Labels above the top edge and left of the left edge of the space.
        let s = Schematic(
            width: 100, height: 50,
            elements: [
                .region("a", .cortex, Rect(x: 0, y: 0, width: 40, height: 50), label: "Prefrontal cortex", placement: .above),
                .neuron("n", .thalamus, at: Point(95, 25), size: 10, label: "MD thalamus", placement: .right),
            ])
        let frame = Rect(x: 30, y: 30, width: 200, height: 100)
        let l = try layout(s, frame: frame)
        #expect(frame.inset(by: s.padding).contains(l.bounds, tolerance: 0.01))
        #expect(l.transform.scale < s.fit(into: frame).scale)
        // Nothing to stick out: the plain fit is kept.
        let plain = Schematic(width: 100, height: 50, elements: [.region("a", .cortex, Rect(x: 10, y: 10, width: 80, height: 30))])
        let pl = try layout(plain, frame: frame)
        #expect(pl.transform == plain.fit(into: frame.inset(by: plain.padding)))
    }

    @Test func drawingStaysInsideThePanelFrame() throws {
        // Clipping to the frame changes nothing if nothing is drawn outside it.
        let frame = Rect(x: 20, y: 16, width: 180, height: 130)
        for s in [everything(), DiagramExamples.workingMemoryGating(), DiagramExamples.temporalCredit()] {
            let free = try render(s, format: .png, frame: frame)
            let clipped = try render(s, format: .png, frame: frame, clipToFrame: true)
            let same = free == clipped
            #expect(same, "ink outside the frame")
            let bounds = try layout(s, frame: frame).bounds
            #expect(frame.contains(bounds), "\(bounds) not in \(frame)")
        }
    }
}

// MARK: Attachment geometry

@Suite struct AttachmentTests {
    let frame = Rect(x: 0, y: 0, width: 360, height: 260)

    @Test func connectionsStartAndEndOnTheBoundaries() throws {
        let s = everything()
        let l = try layout(s, frame: frame)
        var checked = 0
        for element in s.elements {
            guard case .connection(let c) = element.content else { continue }
            let g = l.connections[checked]  // connections precede the loops in `everything()`
            func check(_ end: Schematic.Endpoint, _ p: Point) throws {
                switch end {
                case .element(let id):
                    let o = try #require(l.outline(id))
                    #expect(o.isOnBoundary(p, tolerance: 1e-6), "\(id) at \(p)")
                case .side(let id, _, _):
                    #expect(try #require(l.outline(id)).isOnBoundary(p, tolerance: 1e-6))
                case .synapse(let id):
                    let target = try #require(l.connection(id))
                    let d = hypot(p.x - target.synapse.x, p.y - target.synapse.y)
                    #expect(abs(d - (Schematic.plasticRadius + 1.2)) < 1e-6)
                case .point(let q):
                    #expect(p == l.transform.point(q))
                }
            }
            try check(c.from, g.start)
            try check(c.to, g.end)
            checked += 1
        }
        #expect(checked == 10)
    }

    @Test func straightConnectionsAimAtTheOtherCentre() throws {
        let s = Schematic(
            width: 100, height: 100,
            elements: [
                .region("box", .cortex, Rect(x: 10, y: 10, width: 30, height: 20), cornerRadius: 6),
                .population("pop", .thalamus, center: Point(70, 50), width: 20, height: 10),
                .neuron("tri", .cortex, at: Point(80, 20), size: 12),
                .connection("box", "pop", id: "diag"),
                .connection("pop", "tri", id: "up"),
            ])
        let l = try layout(s, frame: Rect(x: 0, y: 0, width: 200, height: 200))
        let diag = try #require(l.connection("diag"))
        let box = try #require(l.outline("box"))
        let pop = try #require(l.outline("pop"))
        // Endpoints lie on the segment between the two centres.
        func collinear(_ a: Point, _ b: Point, _ p: Point) -> Bool {
            abs((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)) < 1e-6
        }
        #expect(collinear(box.center, pop.center, diag.start) && collinear(box.center, pop.center, diag.end))
        #expect(box.isOnBoundary(diag.start) && pop.isOnBoundary(diag.end))
        // The diagonal leaves the box through its rounded corner, not the sharp one.
        let r = box.boundingBox
        #expect(diag.start.x < r.maxX - 1e-6 && diag.start.y < r.maxY - 1e-6)
        #expect(diag.start.x > r.maxX - 12 && diag.start.y > r.maxY - 12)
        let up = try #require(l.connection("up"))
        #expect(try #require(l.outline("tri")).isOnBoundary(up.end))
        #expect(pop.isOnBoundary(up.start))
    }

    @Test func outlinesRayCastExactly() {
        let ellipse = Schematic.Outline.ellipse(Rect(x: 0, y: 0, width: 40, height: 20))
        #expect(ellipse.boundaryPoint(toward: Point(100, 10)) == Point(40, 10))
        #expect(ellipse.boundaryPoint(toward: Point(20, -50)) == Point(20, 0))
        let p = ellipse.boundaryPoint(toward: Point(33, 3))
        #expect(ellipse.isOnBoundary(p))
        let rect = Schematic.Outline.roundedRect(Rect(x: 0, y: 0, width: 20, height: 10), radius: 0)
        #expect(rect.boundaryPoint(toward: Point(10, 100)) == Point(10, 10))
        let tri = Schematic.Outline.polygon([Point(0, -2), Point(2, 1), Point(-2, 1)], center: Point(0, 0))
        #expect(tri.boundaryPoint(toward: Point(0, 5)) == Point(0, 1))
        #expect(!tri.isOnBoundary(Point(0, 0)))
    }

    @Test func loopsLeaveAndReenterTheSameSide() throws {
        let s = Schematic(
            width: 60, height: 60,
            elements: [
                .population("pfc", .cortex, center: Point(30, 40), width: 30, height: 12),
                .loop(on: "pfc", side: .top, id: "rec", label: "J"),
                .neuron("n", .thalamus, at: Point(10, 10), size: 6),
                .loop(on: "n", side: .right, .inhibitory, id: "self"),
            ])
        let l = try layout(s, frame: Rect(x: 0, y: 0, width: 240, height: 240))
        let rec = try #require(l.connection("rec"))
        let pfc = try #require(l.outline("pfc"))
        #expect(pfc.isOnBoundary(rec.start) && pfc.isOnBoundary(rec.end))
        #expect(rec.start.x < pfc.center.x && rec.end.x > pfc.center.x)
        #expect(rec.points.allSatisfy { $0.y <= pfc.center.y })
        #expect(rec.points.map(\.y).min()! < pfc.boundingBox.minY - 10)
        let me = try #require(l.connection("self"))
        let n = try #require(l.outline("n"))
        #expect(n.isOnBoundary(me.start) && n.isOnBoundary(me.end))
        #expect(me.points.map(\.x).max()! > n.boundingBox.maxX + 6)
        #expect(me.points.allSatisfy { $0.x >= n.center.x })
    }

    @Test func synapseMarkerSitsJustBeforeTheArrowhead() throws {
        let l = try layout(DiagramExamples.workingMemoryGating(), frame: Rect(x: 0, y: 0, width: 300, height: 260))
        let w = try #require(l.connection("cs"))
        let expected = Schematic.synapseDistance(.excitatory, plastic: true)
        #expect(abs(hypot(w.end.x - w.synapse.x, w.end.y - w.synapse.y) - expected) < 1e-6)
        #expect(w.plastic && w.color == BrainArea.cortex.color)
    }

    @Test func timelineEventsSitAtTheirTimesAndCreditEndsOnTheTargetMarker() throws {
        let l = try layout(DiagramExamples.temporalCredit(), frame: Rect(x: 0, y: 0, width: 300, height: 150))
        let t = l.transform
        let x0 = t.point(Point(2, 28)).x
        let len = t.length(86)
        let cue = try #require(l.outline("trial.cue")).boundingBox
        let a2 = try #require(l.outline("trial.a2")).boundingBox
        let reward = try #require(l.outline("trial.reward")).boundingBox
        #expect(abs(cue.midX - (x0 + 0.1 * len)) < 1e-9)
        #expect(abs(a2.midX - (x0 + 0.5 * len)) < 1e-9)
        let credit = try #require(l.credits.first)
        #expect(abs(credit.start.x - reward.midX) < 1e-9 && credit.start.y < reward.minY)
        #expect(abs(credit.end.x - a2.midX) < 1e-9 && abs(credit.end.y - (a2.minY - 1.5)) < 1e-9)
        // The arc rises above both markers.
        #expect(credit.points.map(\.y).min()! < a2.minY - 14)
    }
}

// MARK: Rendering

@Suite struct RenderTests {
    static let singles: [(String, Schematic.Element)] = [
        ("region", .region("r", .basalGanglia, Rect(x: 5, y: 5, width: 50, height: 30))),
        ("population", .population("p", .thalamus, center: Point(30, 20), width: 30, height: 12, kind: .inhibitory)),
        ("neuron", .neuron("n", .cortex, at: Point(30, 20), size: 10, label: "n")),
        ("icon", .icon(.star, at: Point(30, 20), size: 10, color: BrainArea.reward.color, label: "r")),
        ("connection", .connection(.point(Point(5, 5)), .point(Point(55, 35)), .inhibitory, plastic: true, label: "w", bend: 0.3)),
        ("label", .label("V(s_t) r^{2}", at: Point(30, 20), halo: true)),
        (
            "legend",
            .legend(
                at: Point(5, 5),
                entries: [
                    .synapse(.excitatory), .synapse(.inhibitory), .synapse(.modulatory), .plastic, .neuron(.excitatory),
                    .neuron(.inhibitory), .area(.dopamine, "VTA"), .credit,
                ])
        ),
        ("timeline", .timeline(Schematic.Timeline(origin: Point(5, 30), length: 45, events: [.init("c", at: 0.2, marker: .icon(.drop))]))),
    ]

    @Test(arguments: 0..<singles.count)
    func everyElementTypeRendersToPNGAndSVG(_ i: Int) throws {
        let (name, element) = Self.singles[i]
        let s = Schematic(width: 60, height: 40, elements: [element])
        let png = try render(s, format: .png)
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "\(name)")
        let svg = svgText(try render(s, format: .svg))
        #expect(svg.contains("<path"), "\(name) drew no paths")
    }

    @Test func loopRendersToo() throws {
        let s = Schematic(
            width: 60, height: 40,
            elements: [.population("p", .cortex, center: Point(30, 28), width: 24, height: 10), .loop(on: "p", label: "J")])
        #expect(svgText(try render(s, format: .svg)).contains("<path"))
    }

    @Test func renderingIsByteIdenticalTwice() throws {
        for format in [ImageFormat.png, .svg] {
            let a = try render(everything(), format: format)
            let b = try render(everything(), format: format)
            #expect(a == b, "\(format)")
            let fa = try DiagramExamples.demoFigure().bytes(format: format)
            let fb = try DiagramExamples.demoFigure().bytes(format: format)
            #expect(fa == fb, "figure \(format)")
        }
    }

    @Test func demoLabelsDoNotCollideWithEachOtherOrWithLines() throws {
        for s in [DiagramExamples.temporalCredit(), DiagramExamples.workingMemoryGating()] {
            let l = try layout(s, frame: Rect(x: 0, y: 0, width: 220, height: 170))
            let c = l.labelCollisions
            #expect(c.texts == 0 && c.lines == 0)
        }
        // The check does see a label below a population whose output runs straight down,
        // and two labels on top of each other.
        let bad = Schematic(
            width: 60, height: 60,
            elements: [
                .population("a", .cortex, center: Point(30, 10), width: 20, height: 8, label: "value V"),
                .neuron("b", .dopamine, at: Point(30, 50), size: 6),
                .connection("a", "b"),
                .label("one", at: Point(10, 30)), .label("two", at: Point(11, 30)),
            ])
        let c = try layout(bad, frame: Rect(x: 0, y: 0, width: 200, height: 200)).labelCollisions
        #expect(c.texts == 1 && c.lines == 1)
    }

    /// Writes the demo figure when DIAGRAM_DEMO names a base path (e.g. /tmp/diagram-demo).
    @Test func demoFigure() throws {
        let figure = DiagramExamples.demoFigure()
        #expect(try figure.bytes(format: .png).count > 1000)
        if let base = ProcessInfo.processInfo.environment["DIAGRAM_DEMO"] {
            try figure.write(to: base, formats: [.png, .svg])
        }
    }
}

// MARK: Errors and conventions

@Suite struct ModelTests {
    @Test func unknownAndDuplicateIDsAreReported() throws {
        let frame = Rect(x: 0, y: 0, width: 100, height: 100)
        let unknown = Schematic(width: 10, height: 10, elements: [.neuron("a", .cortex, at: Point(5, 5)), .connection("a", "b")])
        #expect(throws: DiagramError.unknownID("b")) { try layout(unknown, frame: frame) }
        let twice = Schematic(
            width: 10, height: 10, elements: [.neuron("a", .cortex, at: Point(2, 2)), .neuron("a", .thalamus, at: Point(8, 8))])
        #expect(throws: DiagramError.duplicateID("a")) { try layout(twice, frame: frame) }
        let early = Schematic(
            width: 10, height: 10,
            elements: [
                .neuron("a", .cortex, at: Point(2, 2)), .neuron("b", .cortex, at: Point(8, 8)),
                .connection("a", .synapse("ab")), .connection("a", "b", id: "ab"),
            ])
        #expect(throws: DiagramError.synapseNotDrawnYet("ab")) { try layout(early, frame: frame) }
        #expect(DiagramError.unknownID("b").description.contains("'b'"))
    }

    @Test func automaticLegendListsOnlyTheConventionsUsed() {
        #expect(
            DiagramExamples.workingMemoryGating().usedConventions == [
                .synapse(.excitatory), .synapse(.inhibitory), .synapse(.modulatory), .plastic, .neuron(.excitatory),
                .neuron(.inhibitory),
            ])
        #expect(DiagramExamples.temporalCredit().usedConventions == [.credit])
        let s = Schematic(width: 10, height: 10, elements: [.loop(on: "x", .inhibitory)])
        #expect(s.usedConventions == [.synapse(.inhibitory)])
    }

    @Test func areasKeepTheirPaletteColours() {
        #expect(BrainArea.cortex.color == Palette.blue)
        #expect(BrainArea.thalamus.color == Palette.bluishGreen)
        #expect(BrainArea.basalGanglia.color == Palette.vermillion)
        #expect(BrainArea.dopamine.color == Palette.reddishPurple)
        #expect(BrainArea.sensory.color == Palette.skyBlue)
        #expect(BrainArea.output.color == Palette.black)
        #expect(BrainArea.reward.color == Palette.orange)
    }
}
