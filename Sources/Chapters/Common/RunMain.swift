import ArgumentParser
import Foundation

/// Runs a command line the way every executable of the toolkit does: help goes to
/// standard output with exit 0; bad input is one line on standard error with exit 2;
/// a failed run (diverged, unwritable output) is one line with exit 1.
package func runMain(_ root: any ParsableCommand.Type, arguments: [String]? = nil) -> Never {
    let name = executableName
    let given = arguments ?? Array(CommandLine.arguments.dropFirst())
    // The help page that names the option in error: `credit td --help` for `credit td …`.
    let subcommand = given.first.flatMap { first in
        root.configuration.subcommands.first { $0.configuration.commandName == first }.map { _ in first }
    }
    let helpPage = ([name] + (subcommand.map { [$0] } ?? [])).joined(separator: " ") + " --help"
    do {
        var command = try root.parseAsRoot(arguments)
        try command.run()
        exit(0)
    } catch let failure as RunFailure {
        printError("\(name): error: \(failure.description)")
        exit(1)
    } catch {
        let code = root.exitCode(for: error)
        if code == .success {
            print(root.fullMessage(for: error))
            exit(0)
        }
        if error is ExitCode {
            exit(code.rawValue)
        }
        // Usage errors: keep only the message's first line (no usage block).
        let message =
            root.message(for: error)
            .split(separator: "\n").first.map(String.init) ?? "invalid arguments"
        printError("\(name): error: \(message) (see '\(helpPage)')")
        exit(2)
    }
}

/// The name the user typed to run this program (`ch2-td`, `credit`).
let executableName = URL(fileURLWithPath: CommandLine.arguments.first ?? "credit").lastPathComponent

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
