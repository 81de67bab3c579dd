# Round Trip: `make book` sets up and builds the site; `make test` checks everything.
# A fresh machine needs only python3 (and apt-get for Chromium, which `make test` installs).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HTML   := _build/html
PORT   ?= 8000
NAME   ?=
TITLE  ?=

.PHONY: help setup validate summary book serve lint chapter test chromium linkcheck bench review lock clean

help:
	@echo "make book   - set up .venv, validate the ledger, build the site into $(HTML)"
	@echo "make test   - build, then unit, data, notebook (nbval) and browser tests"
	@echo "make serve  - live preview on http://127.0.0.1:$(PORT)/, rebuilding on save"
	@echo "make chapter NAME=my-topic TITLE='My topic' - start a chapter from the template"
	@echo "make lint | validate | summary | lock | clean"

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

setup: $(VENV)/.installed

validate: setup
	$(BIN)/python -m analysis validate

summary: setup
	$(BIN)/python -m analysis summary

# tools/build.py runs `jupyter-book build . -n -W --keep-going` and keeps reports in _build/reports.
book: validate node_modules/.installed
	rm -rf $(HTML)  # never publish a page whose source is gone; the notebook cache survives
	$(BIN)/python tools/build.py
	@echo
	@echo "The site is in $(HTML)/ — open $(HTML)/index.html, or run 'make serve' and visit http://127.0.0.1:$(PORT)/"

serve: validate node_modules/.installed
	$(BIN)/python tools/serve.py --port $(PORT)

lint: setup
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

chapter: setup
	@test -n "$(NAME)" -a -n "$(TITLE)" || (echo "usage: make chapter NAME=my-topic TITLE='My topic'"; exit 2)
	$(BIN)/python tools/new_chapter.py "$(NAME)" "$(TITLE)"

# PurgeCSS for the build (it trims the themes' CSS) and axe-core for the accessibility test,
# pinned exactly in package-lock.json (`npm ci` installs exactly that; nothing runs at install time).
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium; CHROMIUM=bundled uses Playwright's own download instead.
chromium:
	@test "$(CHROMIUM)" = "bundled" || command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)

# nbval re-runs the notebooks the build executed and compares the cells marked
# NBVAL_CHECK_OUTPUT with what the site published.
test: lint book chromium node_modules/.installed
	$(BIN)/python -m pytest --nbval-lax --durations=15 tests _build/jupyter_execute

bench: setup node_modules/.installed
	$(BIN)/python tools/bench.py --markdown BENCHMARK.md --scales 1,10,30

review: book chromium
	$(BIN)/python tools/review.py

# requirements.txt is generated: edit [project] dependencies in pyproject.toml, then `make lock`
# (existing pins are kept unless they no longer fit; `make lock UPGRADE=--upgrade` moves them all).
lock: setup
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links $(UPGRADE) \
		--output-file requirements.txt pyproject.toml

linkcheck: book
	$(BIN)/jupyter-book build . --builder linkcheck

clean:
	rm -rf _build
