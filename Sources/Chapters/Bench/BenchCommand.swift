import ArgumentParser
import CreditCore
import Foundation

/// `credit bench`: times the chapters' heavy experiments without rendering, so a change to the
/// core can be measured, and shows a checksum of each result, so a faster version can be seen
/// to compute the same thing. Prints timings only; no test asserts a time.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the chapters' heavy experiments (no figures) and checksum their results.",
        discussion: """
            Runs each named workload (all if none is named) at the chapter's default parameters, \
            --repeat times, and prints per workload: the best and median wall seconds, the CPU \
            seconds (user + system, median), the workers, the peak resident memory in MiB and the \
            FNV-1a checksum of the CSV data the chapter writes with --data. Workloads: \
            \(BenchWorkload.all.map(\.name).joined(separator: ", ")).
            """)

    @Argument(help: "Workloads to run (default: all); 'credit bench --list' names them.")
    var workloads: [String] = []

    @Option(help: "Runs of each workload (1 to \(Self.maxRepeat)); the best and the median are reported.")
    var `repeat` = 3

    @Option(help: "At most this many worker threads (1 to \(Self.maxWorkers); default: every core).")
    var workers: Int?

    @Flag(help: "Print one JSON object per workload (keys workload, wall_s, cpu_s, workers, peak_rss_mb, checksum, …).")
    var json = false

    @Flag(help: "Use each chapter's --quick parameters instead of its defaults.")
    var quick = false

    @Flag(help: "Name every workload and what it computes, then stop.")
    var list = false

    static let maxRepeat = 50
    static let maxWorkers = 256

    func validate() throws {
        if let unknown = workloads.first(where: { BenchWorkload.named($0) == nil }) {
            throw ValidationError(
                "invalid value '\(unknown)' for <workloads>: expected one of \(BenchWorkload.all.map(\.name).joined(separator: ", "))")
        }
        if !(1...Self.maxRepeat).contains(`repeat`) {
            throw ValidationError("invalid value '\(`repeat`)' for --repeat: expected 1 to \(Self.maxRepeat) runs")
        }
        if let workers, !(1...Self.maxWorkers).contains(workers) {
            throw ValidationError("invalid value '\(workers)' for --workers: expected 1 to \(Self.maxWorkers) workers")
        }
    }

    func run() throws {
        if list {
            for w in BenchWorkload.all { print("\(w.name) (\(w.chapter)): \(w.summary)") }
            return
        }
        MultiSeedRunner.limitWorkers(to: workers ?? 0)
        defer { MultiSeedRunner.limitWorkers(to: 0) }
        let chosen = workloads.isEmpty ? BenchWorkload.all : workloads.compactMap(BenchWorkload.named)
        if !json {
            FileHandle.standardOutput.write(Data((BenchMeasurement.header + "\n").utf8))
        }
        for workload in chosen {
            let m = try BenchMeasurement(workload, quick: quick, repeats: `repeat`)
            // Unbuffered, so each line shows as soon as its workload is done, even through a pipe.
            FileHandle.standardOutput.write(Data(((json ? m.json : m.row) + "\n").utf8))
        }
    }
}

/// The timings of one workload over its repeated runs.
struct BenchMeasurement {
    let workload: BenchWorkload
    let wall: [Double]
    let cpu: [Double]
    let workers: Int
    let peakMiB: Double
    let checksum: String

    /// Runs `workload` `repeats` times after its set-up; every run must give the same data.
    init(_ workload: BenchWorkload, quick: Bool, repeats: Int) throws {
        self.workload = workload
        let run = try workload.prepare(quick)
        var wall: [Double] = []
        var cpu: [Double] = []
        var peak = 0.0
        var checksum: String?
        for _ in 0..<repeats {
            ResourceUsage.resetPeakMemory()
            let cpuStart = ResourceUsage.cpuSeconds()
            let start = ContinuousClock.now
            let tables = try run()
            let elapsed = ContinuousClock.now - start
            cpu.append(ResourceUsage.cpuSeconds() - cpuStart)
            wall.append(elapsed.seconds)
            peak = max(peak, ResourceUsage.peakMemoryMiB())
            let sum = fnv1a64(tables.map(\.text).joined())
            if let checksum, checksum != sum {
                throw RunFailure("bench: \(workload.name) gave different data on two runs (\(checksum), \(sum)): it is not deterministic")
            }
            checksum = sum
        }
        self.wall = wall
        self.cpu = cpu
        workers = MultiSeedRunner.workerCount
        peakMiB = peak
        self.checksum = checksum ?? ""
    }

    static let header = [
        "workload".padding(toLength: 24, withPad: " ", startingAt: 0), "best_s", "median_s", "cpu_s", "workers",
        "peak_MiB", "checksum",
    ].joined(separator: "  ")

    var row: String {
        [
            workload.name.padding(toLength: 24, withPad: " ", startingAt: 0), String(format: "%6.3f", wall.min()!),
            String(format: "%8.3f", wall.median), String(format: "%5.2f", cpu.median), String(format: "%7d", workers),
            String(format: "%8.1f", peakMiB), checksum,
        ].joined(separator: "  ")
    }

    /// One JSON object; `wall_s` is the best run, `cpu_s` the median.
    var json: String {
        """
        {"workload": "\(workload.name)", "chapter": "\(workload.chapter)", "wall_s": \(fixed(wall.min()!)), \
        "median_wall_s": \(fixed(wall.median)), "cpu_s": \(fixed(cpu.median)), "workers": \(workers), \
        "peak_rss_mb": \(String(format: "%.1f", peakMiB)), "repeat": \(wall.count), "checksum": "\(checksum)"}
        """
    }

    private func fixed(_ x: Double) -> String { String(format: "%.4f", x) }
}

/// The 64-bit FNV-1a hash of `text`'s UTF-8 bytes, as 16 hexadecimal digits.
func fnv1a64(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
