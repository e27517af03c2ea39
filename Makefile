# `make` sets up .venv and builds the default guide; `make test` runs the tests.
# Prerequisites are real files, so a second `make` with nothing changed does nothing
# (and never starts Python).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
GUIDE  ?= sources/moon-race
LAYOUT ?= student
NAME   := $(notdir $(abspath $(GUIDE)))
PDF    := output/$(NAME)-$(LAYOUT).pdf

# Stamp file: the environment is rebuilt only when the project's dependencies change.
INSTALLED := $(VENV)/.installed

GUIDE_FILES  := $(shell find $(GUIDE) -type f ! -name '.*' 2>/dev/null)
LAYOUT_FILES := $(shell find layouts -type f ! -name '.*')
CODE_FILES   := $(wildcard guide/*.py)

.PHONY: all check test docs clean distclean

all: $(PDF)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(PDF): $(INSTALLED) $(GUIDE_FILES) $(LAYOUT_FILES) $(CODE_FILES)
	$(BIN)/guide build $(GUIDE) --layout $(LAYOUT) -o $@

check: $(INSTALLED)
	$(BIN)/guide check $(GUIDE)

test: $(INSTALLED)
	$(BIN)/python -m pytest

# The README's picture of the built guide: the cover and one inside page.
docs: docs/moon-race-pages.png

docs/moon-race-pages.png: $(PDF) scripts/pdf_pages_to_png.py
	$(BIN)/python scripts/pdf_pages_to_png.py $(PDF) $@ 1,3

clean:
	rm -f output/*.pdf

distclean: clean
	rm -rf $(VENV) *.egg-info
