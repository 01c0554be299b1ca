import Chapters

runMain(TDChapter.command)
