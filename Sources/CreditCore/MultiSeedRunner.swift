// Runs one experiment for many seeds, in parallel across cores, with results
// that do not depend on the order in which the seeds happened to finish.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Runs a per-seed (or per-index) computation for many seeds.
///
/// Each seed's work must depend only on its seed (build its own
/// ``SeededGenerator`` from it), so the results are identical whether the
/// seeds run serially or in parallel on any number of cores. Results come back
/// in seed order; if some seeds throw, the error of the first failing seed (in
/// seed order) is rethrown after all seeds have finished.
///
/// The API is synchronous (it blocks until every seed is done) so command-line
/// code can call it directly. A parallel run has one worker per core (``workerCount``): the
/// calling thread and workerCount − 1 threads of its own. Each worker takes the next index not
/// yet taken, so a worker that drew short jobs takes more of them and the cores stay busy to
/// the end (callers list their longest jobs first where they can). Runs nest: a run started
/// inside another run's job gets its own threads, so once the outer run's other jobs are done
/// the inner one has every core. (`DispatchQueue.concurrentPerform` divides the cores among
/// nested calls instead: inside a 2-wide outer call an inner one ran serially to the end.)
public enum MultiSeedRunner {
    /// At most this many workers in every parallel run of the process (0: no limit beyond the
    /// cores). `credit bench --workers K` sets it.
    private static let workerLimit = Atomic<Int>(0)

    /// Caps the workers of every later parallel run at `limit` (0 lifts the cap).
    public static func limitWorkers(to limit: Int) {
        workerLimit.store(max(0, limit), ordering: .relaxed)
    }

    /// The workers a parallel run uses: the cores, or fewer under ``limitWorkers(to:)``.
    public static var workerCount: Int {
        let cores = max(1, activeProcessorCount())
        let limit = workerLimit.load(ordering: .relaxed)
        return limit > 0 ? min(limit, cores) : cores
    }

    /// Calls `body(i)` for every `i` in `0..<count` and returns the results in index order.
    /// - Parameters:
    ///   - count: how many calls (seeds).
    ///   - parallel: run across cores (default) or one after another on the calling thread.
    ///   - maxWorkers: at most this many workers when parallel (default: ``workerCount``).
    ///   - body: computes the result for one index; it must not depend on the others.
    public static func map<T: Sendable>(
        count: Int, parallel: Bool = true, maxWorkers: Int? = nil,
        _ body: @Sendable (Int) throws -> T
    ) throws -> [T] {
        precondition(count >= 0, "negative seed count")
        let workers = parallel ? max(1, min(count, maxWorkers ?? workerCount)) : 1
        if workers <= 1 {
            return try (0..<count).map(body)
        }
        let slots = ResultSlots<T>(count: count)
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let work: @Sendable () -> Void = {
                while true {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < count else { return }
                    slots.store(i, Result { try body(i) })
                }
            }
            let threads = (1..<workers).map { _ in WorkerThread(work) }
            work()
            for thread in threads { thread.join() }
        }
        return try slots.collect()
    }

    /// Runs `body(seed)` for every seed and returns the results in the order of `seeds`.
    public static func run<T: Sendable>(
        seeds: [UInt64], parallel: Bool = true, maxWorkers: Int? = nil,
        _ body: @Sendable (_ seed: UInt64) throws -> T
    ) throws -> [T] {
        try map(count: seeds.count, parallel: parallel, maxWorkers: maxWorkers) { try body(seeds[$0]) }
    }

    /// The seeds `first, first + 1, …, first + count − 1`: seed k of a
    /// K-seed run is the same seed as a one-seed run started at `first + k`,
    /// so any single curve can be reproduced on its own.
    public static func seeds(first: UInt64, count: Int) -> [UInt64] {
        (0..<UInt64(max(0, count))).map { first &+ $0 }
    }

    /// Number of cores this process may run on (at least 1): on Linux the CPUs of its affinity
    /// mask, so `taskset -c 0` gives one worker, not one per core of the machine.
    public static func activeProcessorCount() -> Int {
        #if canImport(Glibc) || canImport(Musl)
        if let allowed = affinityCPUCount(), allowed > 0 { return allowed }
        return Int(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #elseif canImport(Darwin)
        return Int(max(1, sysconf(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }
}

#if canImport(Glibc) || canImport(Musl)
/// The number of CPUs in this process's affinity mask: the set bits of the hexadecimal
/// `Cpus_allowed:` line of /proc/self/status (glibc keeps `sched_getaffinity` behind
/// _GNU_SOURCE, out of Swift's reach). nil when the file cannot be read.
private func affinityCPUCount() -> Int? {
    let fd = open("/proc/self/status", O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 20 {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { break }
        bytes += chunk[0..<n]
    }
    let key = Array("Cpus_allowed:".utf8)
    guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: key) }) else { return nil }
    var count = 0
    for byte in bytes[(start + key.count)...] {
        if byte == UInt8(ascii: "\n") { break }
        if let digit = Int(String(UnicodeScalar(byte)), radix: 16) { count += digit.nonzeroBitCount }
    }
    return count
}
#endif

/// A POSIX thread running one closure; ``join()`` waits for it to return.
private final class WorkerThread {
    private var thread: pthread_t

    init(_ work: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Box(work)).toOpaque()
        #if canImport(Glibc) || canImport(Musl)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let status = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Box>.fromOpaque(context!).takeRetainedValue().work()
                return nil
            }, context)
        precondition(status == 0, "pthread_create failed (\(status))")
        #if canImport(Glibc) || canImport(Musl)
        self.thread = thread
        #else
        self.thread = thread!
        #endif
    }

    func join() { pthread_join(thread, nil) }

    private final class Box {
        let work: @Sendable () -> Void
        init(_ work: @escaping @Sendable () -> Void) { self.work = work }
    }
}

/// One write-once slot per index; each index is written by exactly one worker,
/// and all writes finish before the workers are joined, so no lock is needed.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Result<T, any Error>?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func store(_ i: Int, _ r: Result<T, any Error>) { buffer[i] = r }

    func collect() throws -> [T] {
        var out = [T]()
        out.reserveCapacity(buffer.count)
        for slot in buffer {
            guard let r = slot else { preconditionFailure("a seed produced no result") }
            out.append(try r.get())
        }
        return out
    }
}
