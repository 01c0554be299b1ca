#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The process's CPU time and peak resident memory, for `credit bench`.
enum ResourceUsage {
    /// This process's usage so far.
    private static func usage() -> rusage {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return usage
    }

    /// User plus system CPU seconds of every thread of the process so far.
    static func cpuSeconds() -> Double {
        let usage = usage()
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Starts a new peak-memory window where the system allows it (Linux: writing 5 to
    /// /proc/self/clear_refs resets VmHWM); elsewhere the peak stays the process's own.
    static func resetPeakMemory() {
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    /// Peak resident memory in MiB since the last ``resetPeakMemory()`` (Linux's VmHWM), or over
    /// the process's life (`ru_maxrss`) where /proc is not available.
    static func peakMemoryMiB() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
        {
            return kib / 1024
        }
        let usage = usage()
        #if canImport(Darwin)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        return Double(usage.ru_maxrss) / 1024
        #endif
    }
}
