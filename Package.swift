// swift-tools-version: 6.2
// The credit-assignment teaching toolkit. Data flows one way:
// CreditCore (simulation) → Chapters (experiments + figure layouts) → Plot / Diagram → Cairo → files.
// Built and tested on Linux (Debian 12) only: no `platforms` are declared.
import PackageDescription

/// One thin executable per chapter (Sources/<name>/main.swift); the chapter itself is
/// registered in Sources/Chapters/Registry.swift.
let chapterExecutables = ["ch1-backprop", "ch2-td", "ch3-consolidation", "ch4-context", "ch5-gating"]

/// In CI (CI=true) every warning of the package's own targets is an error.
let strict: [SwiftSetting] = Context.environment["CI"] == nil ? [] : [.treatAllWarnings(as: .error)]

let package = Package(
    name: "CreditAssignment",
    products: (["credit"] + chapterExecutables).map { .executable(name: $0, targets: [$0]) } + [
        // The reusable layers, for a user of the toolkit; FileIO stays internal to the package.
        .library(name: "CreditCore", targets: ["CreditCore"]),
        .library(name: "Plot", targets: ["Plot"]),
        .library(name: "Diagram", targets: ["Diagram"]),
        .library(name: "Cairo", targets: ["Cairo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // YAML parsing, only for the test that reads CITATION.cff (ProjectTests).
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // `make docs`: the API reference of the library products, built by DocC.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        // `credit book`: Markdown to HTML (Ink) and the page templates (Mustache).
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Cairo's C API, found through pkg-config; Debian's libcairo2-dev provides it.
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        // zlib's deflate and CRC-32, for the PNG writer (Debian's zlib1g-dev, which libcairo2-dev pulls in).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Atomic file writes (temp file in the target folder, then rename).
        .target(name: "FileIO", swiftSettings: strict),
        // The Swift wrapper over Cairo: surfaces, drawing context, text, errors.
        .target(name: "Cairo", dependencies: ["CCairo", "CZlib", "FileIO"], swiftSettings: strict),
        // Figures made of panels: axes, ticks, lines, bands, heatmaps, legends.
        .target(name: "Plot", dependencies: ["Cairo"], swiftSettings: strict),
        // Circuit schematics: populations, synapses, brain regions, timelines.
        .target(name: "Diagram", dependencies: ["Plot", "Cairo"], swiftSettings: strict),
        // The core's widest loops in C, compiled once per vector width (see CKernels.h).
        .target(name: "CKernels"),
        // The shared simulation core: random numbers, linear algebra, learning rules, tasks, records.
        .target(name: "CreditCore", dependencies: ["CKernels"], swiftSettings: strict),
        // One folder per chapter: experiments, figure layouts and the chapter command line.
        .target(
            name: "Chapters",
            dependencies: [
                "CreditCore", "Plot", "Diagram", "FileIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The chapters as an offline static HTML book (`credit book`). It reads the chapter list
        // (figures, executables) from Chapters, so it sits above it; Chapters knows nothing of it.
        .target(
            name: "Book",
            dependencies: [
                "Chapters", "FileIO", .product(name: "Ink", package: "Ink"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "credit", dependencies: ["Chapters", "Book"], swiftSettings: strict),

        .testTarget(name: "CairoTests", dependencies: ["Cairo", "CCairo", "FileIO"], swiftSettings: strict),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "Cairo"], swiftSettings: strict),
        .testTarget(name: "DiagramTests", dependencies: ["Diagram", "Plot", "Cairo"], swiftSettings: strict),
        .testTarget(name: "CreditCoreTests", dependencies: ["CreditCore", "CKernels"], swiftSettings: strict),
        .testTarget(name: "ChaptersTests", dependencies: ["Chapters", "CreditCore", "Plot", "Diagram", "Cairo"], swiftSettings: strict),
        // The book from the real repository and from small fixtures: well-formed pages, links that resolve.
        .testTarget(name: "BookTests", dependencies: ["Book", "Chapters", .product(name: "Ink", package: "Ink")], swiftSettings: strict),
        // The repository's own metadata: CITATION.cff parses and names the review; LICENSE names its licences.
        .testTarget(name: "ProjectTests", dependencies: ["Yams"], swiftSettings: strict),
        // Runs the built executables as a user would (exit codes, messages, files, bytes).
        .testTarget(
            name: "CLITests",
            dependencies: ["Chapters", "credit"] + chapterExecutables.map { .target(name: $0) },
            swiftSettings: strict),
    ] + chapterExecutables.map { .executableTarget(name: $0, dependencies: ["Chapters"], swiftSettings: strict) },
    swiftLanguageModes: [.v6]
)
