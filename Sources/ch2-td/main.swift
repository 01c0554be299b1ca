import Chapters

runMain(TDChapter.self)
