# Round Trip: `make book` sets up and builds the site; `make test` checks everything.
# A fresh machine needs only python3 (and apt-get for Chromium, which `make test` installs).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HTML   := _build/html
PORT   ?= 8000
JB     := $(BIN)/jupyter-book build . --builder html -n -W --keep-going

.PHONY: help setup validate summary book rebuild serve test test-fast chromium clean

help:
	@echo "make book   - set up .venv, validate the ledger, build the site into $(HTML)"
	@echo "make test   - build, then unit, data, notebook (nbval) and browser tests"
	@echo "make serve  - preview the built site on http://127.0.0.1:$(PORT)/"
	@echo "make validate | summary | clean"

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

book: validate
	rm -rf $(HTML)  # never publish a page whose source is gone; the notebook cache survives
	$(JB)
	@echo
	@echo "The site is in $(HTML)/ — open $(HTML)/index.html, or run 'make serve' and visit http://127.0.0.1:$(PORT)/"

serve: book
	@echo "Serving $(HTML) on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(HTML) $(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)

# nbval re-runs the notebooks the build executed and compares the cells marked
# NBVAL_CHECK_OUTPUT with what the site published.
test: book chromium
	$(BIN)/python -m pytest --nbval-lax tests _build/jupyter_execute

clean:
	rm -rf _build
