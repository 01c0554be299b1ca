import Chapters

runMain(GatingChapter.self)
