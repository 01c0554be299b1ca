import Chapters

runMain(BackpropChapter.command)
