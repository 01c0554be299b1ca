import Cairo
import Foundation
import Plot

extension Schematic {
    /// A timeline on the page: the axis and one outline per event marker.
    struct TimelineGeometry {
        let y: Double
        let x0: Double
        let x1: Double
        let markers: [Outline]
        let lo: Double
        let hi: Double

        init(_ tl: Timeline, _ t: SchematicTransform) throws {
            guard tl.range.upperBound > tl.range.lowerBound, tl.length > 0 else {
                throw DiagramError.invalid("timeline needs a non-empty range and a positive length")
            }
            let o = t.point(tl.origin)
            y = o.y
            x0 = o.x
            x1 = o.x + t.length(tl.length)
            lo = tl.range.lowerBound
            hi = tl.range.upperBound
            let h = Timeline.markerHeight
            var markers: [Outline] = []
            for e in tl.events {
                let x = x0 + (e.time - lo) / (hi - lo) * (x1 - x0)
                switch e.marker {
                case .tick:
                    markers.append(.roundedRect(Rect(x: x - 0.5, y: y - 4, width: 1, height: 8), radius: 0))
                case .box(let w):
                    let wp = w / (hi - lo) * (x1 - x0)
                    markers.append(.roundedRect(Rect(x: x - wp / 2, y: y - h, width: wp, height: h), radius: 2))
                case .icon(let shape):
                    let s = Timeline.iconSize
                    markers.append(Schematic.iconOutline(shape, center: Vec(x, y - 2.5 - s / 2), size: s))
                case .span(let until):
                    let xe = x0 + (until - lo) / (hi - lo) * (x1 - x0)
                    markers.append(.roundedRect(Rect(x: min(x, xe), y: y - h, width: abs(xe - x), height: h), radius: 0))
                }
            }
            self.markers = markers
        }

        func x(_ time: Double) -> Double { x0 + (time - lo) / (hi - lo) * (x1 - x0) }

        /// A box around the axis line (for attaching connections to the timeline as a whole).
        var axisBox: Rect { Rect(x: x0, y: y - 1, width: x1 - x0, height: 2) }

        /// The credit arc from the top of one marker over to the top of another.
        func credit(_ c: TimelineCredit, events: [TimelineEvent]) throws -> ConnectionGeometry {
            guard let i = events.firstIndex(where: { $0.name == c.from }) else { throw DiagramError.unknownID(c.from) }
            guard let j = events.firstIndex(where: { $0.name == c.to }) else { throw DiagramError.unknownID(c.to) }
            let a = markers[i].boundingBox
            let b = markers[j].boundingBox
            let start = Vec(a.midX, a.minY - 1.5)
            let end = Vec(b.midX, b.minY - 1.5)
            let h = max(14, c.height * abs(end.x - start.x))
            let control = Vec((start.x + end.x) / 2, min(start.y, end.y) - 2 * h)
            let pts = quadratic(start, control, end)
            let line = Polyline(pts)
            return ConnectionGeometry(
                id: "\(c.from)→\(c.to)", points: pts.map(\.point),
                synapse: line.point(at: line.length - Schematic.synapseDistance(.excitatory, plastic: false)).point,
                kind: .excitatory, plastic: false, color: c.color)
        }
    }
}
