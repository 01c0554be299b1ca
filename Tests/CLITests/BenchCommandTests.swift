import Foundation
import Testing

/// `credit bench` as a user runs it. Timings are printed, never asserted; what is checked is
/// the report's shape, that its checksum is the checksum of the data the chapter writes, and
/// that the worker count does not change the result.
@Suite struct BenchCommandTests {
    /// The JSON objects `credit bench … --json` printed, one per line.
    func objects(_ outcome: Outcome) throws -> [[String: Any]] {
        try outcome.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func jsonReportsEachWorkloadAndChecksumsTheChaptersData() throws {
        let outcome = try run("credit", ["bench", "random-walk", "tau-eff", "--quick", "--repeat", "2", "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reports = try objects(outcome)
        #expect(reports.map { $0["workload"] as? String } == ["random-walk", "tau-eff"])
        for report in reports {
            for key in ["workload", "wall_s", "cpu_s", "workers", "peak_rss_mb", "checksum"] {
                #expect(report[key] != nil, "\(key) is missing from \(report)")
            }
            let wall = try #require(report["wall_s"] as? Double)
            let median = try #require(report["median_wall_s"] as? Double)
            #expect(wall > 0 && wall <= median)
            #expect((report["peak_rss_mb"] as? Double ?? 0) > 1)
            #expect((report["checksum"] as? String)?.count == 16)
        }
        try withTemporaryFolder { folder in
            let written = try run("credit", ["td", "--quick", "--figure", "random-walk", "--data", "--format", "png", "--out", folder])
            #expect(written.status == 0, "\(written.stderr)")
            let csv = try Data(contentsOf: URL(fileURLWithPath: folder + "/random-walk.csv"))
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in csv { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            #expect(reports[0]["checksum"] as? String == String(format: "%016llx", h))
        }
    }

    @Test func oneWorkerComputesWhatEveryCoreComputes() throws {
        let one = try objects(try run("credit", ["bench", "phase-diagram", "--quick", "--repeat", "1", "--json", "--workers", "1"]))
        let all = try objects(try run("credit", ["bench", "phase-diagram", "--quick", "--repeat", "1", "--json"]))
        #expect(one.first?["workers"] as? Int == 1)
        #expect(one.first?["checksum"] as? String != nil)
        #expect(one.first?["checksum"] as? String == all.first?["checksum"] as? String)
    }

    @Test(arguments: [
        (["bench", "nope"], "'nope' for <workloads>"), (["bench", "--repeat", "0"], "--repeat"),
        (["bench", "--workers", "0"], "--workers"), (["bench", "--repeat", "100000"], "--repeat"),
    ])
    func badInputIsOneLineNamingTheOption(arguments: [String], names: String) throws {
        let outcome = try run("credit", arguments)
        #expect(outcome.status == 2)
        #expect(outcome.stderrLines.count == 1 && outcome.stderr.contains(names), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func listNamesEveryWorkload() throws {
        let outcome = try run("credit", ["bench", "--list"])
        #expect(outcome.status == 0)
        for name in [
            "learning-curves", "alignment", "perturbation-scaling", "node-perturbation-bias", "random-walk",
            "consolidation-sweep", "phase-diagram", "tau-eff", "learned-gating", "two-timescales",
        ] {
            #expect(outcome.stdout.contains("\(name) ("), "\(name) is not listed")
        }
    }
}
