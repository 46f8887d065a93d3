# Two entry points, each doing all of its own set-up on a fresh Debian machine:
#   make render   renders specs/ into output/ (and the catalogue site into output/site/)
#   make test     runs the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEJAVU := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
APT_PACKAGES := graphviz fonts-dejavu-core
DRAWIO_PACKAGE := docusaurus-plugin-drawio@0.4.0
DRAWIO_VIEWER := .cache/drawio/node_modules/docusaurus-plugin-drawio/viewer.min.js

.PHONY: render test lint bench setup system-deps test-deps clean

# Bytecode written once here: where PYTHONDONTWRITEBYTECODE is set (CI images, sandboxes),
# Python never writes it and compiles every module again at each start (0.48 s for the
# whole package; about 0.2 s of a `notes` run). Up to date, this takes a few milliseconds.
# Then the spec validator is stored in the per-user cache (diagramgen/spec/prebuilt.py),
# so that the first command is as quick as the next ones; a no-op when it is there.
setup: $(STAMP) system-deps
	@$(BIN)/python -m compileall -q diagramgen >/dev/null
	@$(BIN)/python -c "from diagramgen.spec.prebuilt import warm; warm()"

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

# The tests open the HTML deck and draw.io's viewer in headless Chromium; without Chromium
# (or npm, for the viewer) those tests are skipped.
test-deps:
	@if command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium with apt-get (for the HTML deck test)"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
			|| echo "could not install chromium: the HTML deck test will be skipped" >&2; \
	else \
		echo "chromium is missing, so the HTML deck test will be skipped: 'sudo apt-get install chromium'"; \
	fi
	@# draw.io's own viewer (viewer.min.js ships in this npm package), for the draw.io test.
	@if [ -f $(DRAWIO_VIEWER) ]; then exit 0; fi; \
	if command -v npm >/dev/null 2>&1; then \
		npm install --prefix .cache/drawio --no-audit --no-fund $(DRAWIO_PACKAGE) >/dev/null \
			|| echo "could not install $(DRAWIO_PACKAGE): the draw.io viewer test will be skipped" >&2; \
	else \
		echo "npm is missing, so the draw.io viewer test will be skipped: 'sudo apt-get install npm'"; \
	fi

# One process, one layout per view: the catalogue site (output/site/) is built from the
# SVGs this render draws (or finds up to date), then the gallery links to both.
render: setup
	$(BIN)/diagramgen render specs/ -o output/ -f svg,png,dot --site --gallery

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
