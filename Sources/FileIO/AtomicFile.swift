#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An error writing an output file, with the path and the reason in one line.
struct FileWriteError: Error, CustomStringConvertible, Sendable {
    let path: String
    let reason: String
    var description: String { "cannot write \(path): \(reason)" }
}

/// Writes files atomically: the bytes go to a temporary file in the target folder,
/// which is flushed to disk and then renamed over the final name, and the folder is flushed
/// too. A failure or a kill part-way never leaves a truncated file under the final name; the
/// next run into the folder removes the temporary files a killed run left.
package enum AtomicFile {
    /// Writes `bytes` to `path`, replacing any existing file in one rename. The file gets the
    /// mode an ordinary new file gets under the process's umask.
    package static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array("\(folder)/.\(url.lastPathComponent).XXXXXX\(temporarySuffix)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(temporarySuffix.utf8.count)) }
        guard fd >= 0 else { throw FileWriteError(path: path, reason: errnoText()) }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer {
            if !renamed { unlink(tempPath) }
        }
        var failure: String? = nil
        if !writeAll(bytes, to: fd) { failure = errnoText() }
        // mkstemp makes the file 0600; give it what open(…, 0666) would under the umask.
        if failure == nil && fchmod(fd, 0o666 & ~processUmask) != 0 { failure = errnoText() }
        if failure == nil && fsync(fd) != 0 { failure = errnoText() }
        if close(fd) != 0 && failure == nil { failure = errnoText() }  // closed whatever happened
        if let failure { throw FileWriteError(path: path, reason: failure) }
        guard rename(tempPath, path) == 0 else { throw FileWriteError(path: path, reason: errnoText()) }
        renamed = true
        // The rename is durable only once the folder's entry is on disk.
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
        }
    }

    /// Writes UTF-8 text to `path` atomically.
    package static func write(text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Creates `folder` (and its parents) if missing and checks that a file can be created in
    /// it, so a run fails before its long simulation, not after. The error says why (the
    /// system's reason and the part of the path it concerns).
    package static func prepareFolder(_ folder: String) throws {
        var path = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o777) != 0 && errno != EEXIST {
                let reason = errnoText()
                let which = path == folder || path == "./" + folder ? "folder" : "folder \(path)"
                throw FileWriteError(path: folder, reason: "cannot create \(which): \(reason)")
            }
        }
        var status = stat()
        guard stat(folder, &status) == 0 else { throw FileWriteError(path: folder, reason: errnoText()) }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw FileWriteError(path: folder, reason: "exists and is not a folder")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw FileWriteError(path: folder, reason: "folder is not writable: \(errnoText())")
        }
    }

    /// Takes an exclusive lock on `folder` for the rest of the process, so two runs never
    /// mix their files in one folder. If another run holds it, calls `waiting` once and waits.
    package static func lockFolder(_ folder: String, waiting: () -> Void) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw FileWriteError(path: folder, reason: "cannot open folder: \(errnoText())") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                throw FileWriteError(path: folder, reason: "cannot lock folder: \(errnoText())")
            }
            waiting()
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    throw FileWriteError(path: folder, reason: "cannot lock folder: \(errnoText())")
                }
            }
        }
        // The descriptor stays open: the lock lasts until the process ends.
    }

    /// Removes the temporary files a killed run left in `folder`: only names of the form
    /// `.<name>.XXXXXX.tmp` that ``write(_:to:)`` makes. Call it while holding the folder's lock.
    @discardableResult
    package static func removeStaleTemporaryFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let stale = names.filter(isTemporaryName)
        for name in stale { unlink("\(folder)/\(name)") }
        return stale
    }

    /// Whether `name` is one of this writer's temporary file names.
    static func isTemporaryName(_ name: String) -> Bool {
        name.range(of: #"^\..+\.[A-Za-z0-9]{6}\.tmp$"#, options: .regularExpression) != nil
    }

    private static let temporarySuffix = ".tmp"

    /// The process's umask (read once; umask can only be read by setting it).
    private static let processUmask: mode_t = {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }()

    /// Writes every byte, retrying after interruptions; false on failure (errno says why).
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return true
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
