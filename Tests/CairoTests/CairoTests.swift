import Foundation
import Testing

@testable import Cairo
@testable import FileIO

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small drawing with paths, dashes, text with sub/superscripts and an image.
private func sample(_ c: Context) throws {
    c.paint(.white)
    c.setColor(Color(hex: 0x0072B2))
    c.setLineWidth(2)
    c.setDash([4, 2])
    c.polyline([Point(10, 10), Point(90, 50), Point(150, 20)])
    c.stroke()
    c.setDash([])
    c.rectangle(Rect(x: 20, y: 60, width: 30, height: 20))
    c.fill()
    try c.setFont(Font(size: 10))
    c.setColor(.black)
    c.drawText("τ_{eff} = γ^{k} δ r_{MD}", at: Point(60, 80))
    try c.drawImage(
        colors: [.black, .white, Color(hex: 0xE69F00), Color(hex: 0x56B4E9)], rows: 2, columns: 2,
        in: Rect(x: 150, y: 60, width: 30, height: 30))
}

private func tempFolder() throws -> String {
    let path = NSTemporaryDirectory() + "cairo-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func bigEndian32(_ bytes: [UInt8], at offset: Int) -> Int {
    bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
}

@Suite struct SurfaceTests {
    @Test(arguments: [(0.0, 10.0), (10.0, 0.0), (-5.0, 10.0), (Double.nan, 10.0), (10.0, .infinity)])
    func invalidSizeThrows(width: Double, height: Double) {
        for format in ImageFormat.allCases {
            #expect(throws: CairoError.self) { _ = try Surface(format: format, width: width, height: height) }
        }
    }

    @Test func pngHasSignatureAndScaledSize() throws {
        let bytes = try renderBytes(format: .png, width: 200, height: 100, scale: 2, draw: sample)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(bigEndian32(bytes, at: 16) == 400)  // IHDR width in pixels
        #expect(bigEndian32(bytes, at: 20) == 200)  // IHDR height
    }

    @Test func svgParsesAsXMLWithPointSize() throws {
        let bytes = try renderBytes(format: .svg, width: 200, height: 100, draw: sample)
        let parser = XMLParser(data: Data(bytes))
        #expect(parser.parse())
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("width=\"200pt\""))
        #expect(text.contains("height=\"100pt\""))
    }

    @Test func pdfHasFixedDates() throws {
        let bytes = try renderBytes(format: .pdf, width: 200, height: 100, draw: sample)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-"))
        #expect(text.contains("/CreationDate (20000101"))
        #expect(text.contains("%%EOF"))
    }

    @Test(arguments: ImageFormat.allCases)
    func rerenderIsByteIdenticalAfterOtherSurfaces(format: ImageFormat) throws {
        let first = try renderBytes(format: format, width: 200, height: 100, draw: sample)
        // Other drawings in between advance cairo's process-wide id counters.
        for _ in 0..<3 {
            _ = try renderBytes(format: .svg, width: 50, height: 50) { c in
                try sample(c)
                c.rectangle(Rect(x: 0, y: 0, width: 10, height: 10))
                c.clip()
                try c.drawImage(colors: [.black], rows: 1, columns: 1, in: Rect(x: 0, y: 0, width: 5, height: 5))
            }
        }
        let second = try renderBytes(format: format, width: 200, height: 100, draw: sample)
        #expect(first == second)
    }

    @Test func svgIDsAreRenumberedConsistently() {
        let input =
            ##"<g id="surface19"><use xlink:href="#glyph3-2"/><path clip-path="url(#clip7)"/><clipPath id="clip7"/><use href="#surface19"/><symbol id="glyph3-2"/></g>"##
        let output = String(decoding: SVGNormalizer.renumberIDs(Array(input.utf8)), as: UTF8.self)
        #expect(
            output
                == ##"<g id="surface-n0"><use xlink:href="#glyph-n0"/><path clip-path="url(#clip-n0)"/><clipPath id="clip-n0"/><use href="#surface-n0"/><symbol id="glyph-n0"/></g>"##
        )
    }
}

@Suite struct TextTests {
    @Test func missingFontIsReportedWithThePackageName() throws {
        _ = try renderBytes(format: .png, width: 10, height: 10) { c in
            let error = #expect(throws: CairoError.self) {
                try c.setFont(Font(family: "No Such Family Xyzzy", size: 10))
            }
            #expect(error?.description.contains("fonts-dejavu-core") == true)
            #expect(error?.description.contains("No Such Family Xyzzy") == true)
        }
    }

    @Test func defaultFamilyIsLoaded() throws {
        _ = try renderBytes(format: .png, width: 10, height: 10) { c in
            try c.setFont(Font(size: 12, bold: true))
            try c.setFont(Font(size: 12, italic: true))
        }
    }

    @Test func textExtentsAgreeAcrossSurfaces() throws {
        var widths: [Double] = []
        for format in ImageFormat.allCases {
            _ = try renderBytes(format: format, width: 100, height: 100, scale: 3) { c in
                try c.setFont(Font(size: 9))
                widths.append(c.measure(RichText("Reward-prediction error δ (a.u.), τ_{eff}")).width)
            }
        }
        #expect(widths.count == 3)
        #expect(widths.allSatisfy { $0 > 50 && abs($0 - widths[0]) < 1e-9 })
    }

    @Test func richTextParsesScripts() {
        let t = RichText(#"τ_{eff} + r_t + γ^k + a\_b"#)
        #expect(t.runs.map(\.text) == ["τ", "eff", " + r", "t", " + γ", "k", " + a_b"])
        #expect(t.runs.map(\.position) == [.normal, .subscripted, .normal, .subscripted, .normal, .superscripted, .normal])
        #expect(t.plain == "τeff + rt + γk + a_b")
    }

    @Test func subscriptsAreSmallerThanBaseText() throws {
        _ = try renderBytes(format: .svg, width: 10, height: 10) { c in
            try c.setFont(Font(size: 10))
            let plain = c.measure(RichText("reff")).width
            let scripted = c.measure(RichText("r_{eff}")).width
            #expect(scripted < plain * 0.9)
            #expect(scripted > plain * 0.5)
        }
    }
}

@Suite struct AtomicWriteTests {
    @Test func writesAndReplacesWithoutLeftovers() throws {
        let folder = try tempFolder()
        let path = folder + "/figure.png"
        try render(to: path, format: .png, width: 50, height: 50, draw: sample)
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        try render(to: path, format: .png, width: 60, height: 50, draw: sample)
        let second = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(first != second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["figure.png"])
    }

    @Test func failedDrawingLeavesOldFileIntact() throws {
        let folder = try tempFolder()
        let path = folder + "/figure.svg"
        try render(to: path, format: .svg, width: 50, height: 50, draw: sample)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try render(to: path, format: .svg, width: 50, height: 50) { c in
                try sample(c)
                throw Boom()
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["figure.svg"])
    }

    @Test func unwritableFolderThrowsNamingThePath() throws {
        let folder = try tempFolder()
        chmod(folder, 0o500)
        defer { chmod(folder, 0o700) }
        let path = folder + "/figure.png"
        // Root can write anywhere; the check only means something for ordinary users.
        if access(folder, W_OK) == 0 { return }
        let error = #expect(throws: FileWriteError.self) {
            try render(to: path, format: .png, width: 10, height: 10, draw: sample)
        }
        #expect(error?.description.contains(path) == true)
    }

    @Test func missingFolderThrows() throws {
        let path = "/nonexistent-\(UUID().uuidString)/figure.png"
        let error = #expect(throws: FileWriteError.self) {
            try render(to: path, format: .png, width: 10, height: 10, draw: sample)
        }
        #expect(error?.description.contains("cannot write") == true)
    }

    @Test func prepareFolderRejectsAFileInTheWay() throws {
        let folder = try tempFolder()
        let blocker = folder + "/blocker"
        try AtomicFile.write(text: "x", to: blocker)
        #expect(throws: FileWriteError.self) { try AtomicFile.prepareFolder(blocker + "/sub") }
    }
}

@Suite struct SurfaceFailureTests {
    /// A surface Cairo cannot make throws once and is released once (no double destroy, no trap).
    @Test func impossibleSurfacesThrow() {
        #expect(throws: CairoError.self) { try Surface(format: .png, width: 20_000, height: 10, scale: 3) }
        #expect(throws: CairoError.self) { try Surface(format: .png, width: 1e12, height: 10) }
        #expect(throws: CairoError.self) { try Surface(format: .svg, width: .nan, height: 10) }
        for _ in 0..<100 {
            _ = try? Surface(format: .png, width: 40_000, height: 40_000, scale: 1)
        }
    }
}
