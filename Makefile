# Two entry points, each doing all of its own set-up on a fresh Debian machine:
#   make render   renders specs/ into output/ (and the catalogue site into output/site/)
#   make test     runs the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEJAVU := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
APT_PACKAGES := graphviz fonts-dejavu-core

.PHONY: render test lint bench setup system-deps test-deps clean

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# Graphviz renders every picture and DejaVu keeps text metrics identical across machines.
system-deps:
	@if command -v dot >/dev/null 2>&1 && [ -f $(DEJAVU) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing $(APT_PACKAGES) with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	else \
		echo "diagramgen needs Graphviz and DejaVu fonts: run 'sudo apt-get install $(APT_PACKAGES)'" >&2; exit 1; \
	fi

# The tests open the HTML deck in headless Chromium; without it that one test is skipped.
test-deps:
	@if command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium with apt-get (for the HTML deck test)"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
			|| echo "could not install chromium: the HTML deck test will be skipped" >&2; \
	else \
		echo "chromium is missing, so the HTML deck test will be skipped: 'sudo apt-get install chromium'"; \
	fi

# The site first: the gallery (output/README.md) links to the pages it finds there.
render: setup
	$(BIN)/diagramgen site specs/ -o output/site -q
	$(BIN)/diagramgen render specs/ -o output/ -f svg,png,dot --gallery

test: setup test-deps
	$(BIN)/python -m ruff check diagramgen tests bench
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/python -m ruff check diagramgen tests bench
	$(BIN)/python -m ruff format --check diagramgen tests bench

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
