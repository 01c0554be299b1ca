import Chapters

runMain(CreditCommand.self)
