import Chapters

runMain(GatingChapter.command)
