import Chapters

runMain(ConsolidationChapter.command)
