import Chapters

runMain(BackpropChapter.self)
