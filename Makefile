# The README's two commands: `make figures` and `make test`.
# Both install missing system packages first (scripts/install-deps.sh).
SWIFT ?= swift
BIN = $$($(SWIFT) build -c release --show-bin-path)

.PHONY: deps build figures solutions test lint check-figures docs book book-check clean

deps:
	@scripts/install-deps.sh

# Every executable (credit and one per chapter), in release mode.
build: deps
	$(SWIFT) build -c release

figures: build
	$(BIN)/credit all
	$(BIN)/credit solutions > /dev/null

# The worked solutions' figures (figures/solutions/) and data, with every number they state checked.
solutions: build
	$(BIN)/credit solutions

# Style, then the test suite, then a check that the committed figures are exactly what the
# code draws, then the API reference (a broken link fails it), then the book in a real browser
# (about a minute, plus Chromium's install the first time). In CI (CI=true) every compiler
# warning of the package is an error.
test: deps lint build
	$(SWIFT) test
	$(MAKE) check-figures
	$(MAKE) docs
	$(MAKE) book-check

# swift-format's rules as configured in .swift-format; any finding fails.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

check-figures: build
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/credit all --root "$$tmp" > /dev/null && \
	diff -r -x solutions "$$tmp" figures && echo "figures: every committed figure is byte-identical to a fresh run"

# The API reference of CreditCore, Plot, Diagram and Cairo as one static site in docs/
# (git-ignored); open docs/index.html through a local web server, e.g. python3 -m http.server.
docs: deps
	$(SWIFT) package --allow-writing-to-directory docs generate-documentation \
		--enable-experimental-combined-documentation --transform-for-static-hosting --warnings-as-errors \
		--target CreditCore --target Plot --target Diagram --target Cairo --output-path docs

# The chapters as an offline static HTML book in book/ (git-ignored): open book/index.html.
book: build
	$(BIN)/credit book --out book

# The book in headless Chromium (installed if missing): every page loads without a console
# error or a broken image, every chapter shows its figures; screenshots in book/screenshots/.
book-check: book
	scripts/book-check.sh book

clean:
	rm -rf .build docs book
