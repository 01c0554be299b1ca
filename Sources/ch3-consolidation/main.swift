import Chapters

runMain(ConsolidationChapter.self)
