# The README's two commands: `make figures` and `make test`.
# Both install missing system packages first (scripts/install-deps.sh).
SWIFT ?= swift

.PHONY: deps build figures test clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product credit

figures: build
	$$($(SWIFT) build -c release --show-bin-path)/credit all

test: deps
	$(SWIFT) test

clean:
	rm -rf .build
