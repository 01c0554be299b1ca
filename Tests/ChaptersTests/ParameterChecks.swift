import Testing

@testable import Chapters

/// The flag that `validate()` rejects after `change` is applied to the default parameters,
/// or nil if they are accepted. Every rejection must be one line that names its flag.
func rejectedFlag<P: ChapterParameters>(_ type: P.Type, _ change: (inout P) -> Void) -> String? {
    var p = P(quick: false)
    change(&p)
    do {
        try p.validate()
        return nil
    } catch let e as ParameterError {
        #expect(e.description == "invalid value '\(e.value)' for \(e.flag): expected \(e.accepted)")
        #expect(!e.description.contains("\n"))
        return e.flag
    } catch {
        return "unexpected \(error)"
    }
}

/// The flag named by the error that parsing `arguments` gives, or nil if they are accepted.
func rejectedArguments<P: ChapterParameters>(_ type: P.Type, _ arguments: [String]) -> String? {
    do {
        _ = try P.parse(arguments, quick: false)
        return nil
    } catch let e as ParameterError {
        #expect(!e.description.contains("\n"))
        return e.flag
    } catch {
        return "unexpected \(error)"
    }
}
