import CCairo

/// A failure in Cairo or in the files it writes, described in one line.
enum CairoError: Error, CustomStringConvertible, Sendable {
    /// Cairo reported a status other than success while doing `operation`.
    case status(operation: String, message: String)
    /// A surface was asked for with a size that is not positive and finite.
    case invalidSize(width: Double, height: Double)
    /// The requested font face is not installed (Cairo would have used `loaded` instead);
    /// `package` is the Debian package that provides it.
    case fontMissing(requested: String, loaded: String, package: String)

    var description: String {
        switch self {
        case .status(let operation, let message):
            return "cairo failed to \(operation): \(message)"
        case .invalidSize(let width, let height):
            return "invalid surface size \(width) × \(height) pt (both must be positive and finite)"
        case .fontMissing(let requested, let loaded, let package):
            return "font '\(requested)' is not installed (Cairo found '\(loaded)' instead); "
                + "install it with: apt-get install \(package)"
        }
    }

    /// Throws if `status` is not `CAIRO_STATUS_SUCCESS`.
    static func check(_ status: cairo_status_t, _ operation: @autoclosure () -> String) throws {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        throw CairoError.status(
            operation: operation(), message: String(cString: cairo_status_to_string(status)))
    }
}
