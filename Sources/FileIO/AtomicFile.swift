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
/// which is flushed to disk and then renamed over the final name. A failure or a
/// kill part-way never leaves a truncated file under the final name.
package enum AtomicFile {
    /// Writes `bytes` to `path`, replacing any existing file in one rename.
    package static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array("\(folder)/.\(url.lastPathComponent).XXXXXX.tmp".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else { throw FileWriteError(path: path, reason: errnoText()) }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        var written = 0
        let writeFailed: Bool = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                written += n
            }
            return false
        }
        if writeFailed {
            let reason = errnoText()
            close(fd)
            throw FileWriteError(path: path, reason: reason)
        }
        // Readable by everyone like an ordinary output file (mkstemp makes it 0600).
        fchmod(fd, 0o644)
        if fsync(fd) != 0 || close(fd) != 0 {
            throw FileWriteError(path: path, reason: errnoText())
        }
        guard rename(tempPath, path) == 0 else {
            throw FileWriteError(path: path, reason: errnoText())
        }
        ok = true
    }

    /// Writes UTF-8 text to `path` atomically.
    package static func write(text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Creates `folder` (and its parents) if missing and checks that a file can be
    /// created in it, so a run fails before its long simulation, not after.
    package static func prepareFolder(_ folder: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: folder, reason: "cannot create folder")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw FileWriteError(path: folder, reason: "folder is not writable")
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
