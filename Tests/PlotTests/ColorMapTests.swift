import Cairo
import Testing

@testable import Plot

private func hex(_ c: Color) -> UInt32 {
    func b(_ v: Double) -> UInt32 { UInt32((v * 255).rounded()) }
    return b(c.red) << 16 | b(c.green) << 8 | b(c.blue)
}

@Test func viridisEndpointsAndMiddleMatchMatplotlib() {
    #expect(hex(ColorMap.viridis.color(at: 0)) == 0x440154)
    #expect(hex(ColorMap.viridis.color(at: 1)) == 0xFDE725)
    // Entry 128 of matplotlib's table is #21918C; t = 0.5 falls just before it.
    let mid = ColorMap.viridis.color(at: 128.0 / 255)
    #expect(abs(mid.red * 255 - 0x21) < 1.5 && abs(mid.green * 255 - 0x91) < 1.5 && abs(mid.blue * 255 - 0x8C) < 1.5)
    #expect(ColorMap.viridis.anchors.count >= 16)
    #expect(hex(ColorMap.viridis.color(at: -3)) == 0x440154 && hex(ColorMap.viridis.color(at: 7)) == 0xFDE725)
}

@Test func viridisBrightensMonotonically() {
    func luma(_ c: Color) -> Double { 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue }
    let samples = (0...50).map { luma(ColorMap.viridis.color(at: Double($0) / 50)) }
    #expect(zip(samples, samples.dropFirst()).allSatisfy { $0 < $1 })
}

@Test func divergingMapIsWhiteAtZeroAndCentresTheRange() {
    let m = ColorMap.blueWhiteRed
    let centre = m.color(at: 0.5)
    #expect(centre.red > 0.95 && centre.green > 0.95 && centre.blue > 0.95)
    #expect(m.color(at: 0).blue > m.color(at: 0).red)
    #expect(m.color(at: 1).red > m.color(at: 1).blue)
    let h = Heatmap([[-0.2, 1.0]], x: 0...1, y: 0...1, colorMap: m)
    #expect(h.colorRange == -1.0...1.0)
    #expect(h.colorPosition(0) == 0.5)
    #expect(m.color(at: .nan).alpha == 0)
}

@Test func logColourScaleSpansPositiveValues() {
    let h = Heatmap([[0, 1, 10, 100]], x: 0...4, y: 0...1, logColor: true)
    #expect(h.colorRange == 1.0...100.0)
    #expect(h.colorPosition(10) == 0.5)
    #expect(h.color(for: 0).alpha == 0)
}
