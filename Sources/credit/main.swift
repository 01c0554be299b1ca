import ArgumentParser
import Book
import Chapters

/// `credit`: the chapters' umbrella command, with `credit book` added here, where both the
/// chapters and the book (which reads the chapter list) are in reach.
struct Credit: ParsableCommand {
    static let configuration: CommandConfiguration = {
        var configuration = CreditCommand.configuration
        configuration.subcommands.append(BookCommand.self)
        return configuration
    }()
}

runMain(Credit.self)
