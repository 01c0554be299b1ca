import Chapters

runMain(ContextChapter.command)
