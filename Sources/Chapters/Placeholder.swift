// Chapters
