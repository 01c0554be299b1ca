#!/usr/bin/env bash
# The book in a real browser: serves book/ on 127.0.0.1, loads every page in headless Chromium
# through its DevTools protocol, fails on a console error, a file that does not load, a broken
# image (naturalWidth 0) or a page missing one of its figures, and saves a screenshot of every
# page into book/screenshots/. Installs Chromium and Debian's Python with its websocket client
# if they are missing (scripts/install-deps.sh). Usage: scripts/book-check.sh [BOOK_FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
book=${1:-book}
if [[ ! -f "$book/manifest.json" ]]; then
  echo "book-check: $book/manifest.json is missing; run 'make book' first" >&2
  exit 1
fi
# Debian's own python3 (not one earlier on PATH), which sees Debian's python3-websocket.
scripts/install-deps.sh chromium python3 python3-websocket fonts-dejavu-core fonts-dejavu-extra
exec /usr/bin/python3 scripts/book-check.py "$book"
