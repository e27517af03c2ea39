# `make` sets up .venv and builds the default guide in every layout; `make test` runs the tests.
# Prerequisites are real files, so a second `make` with nothing changed does nothing
# (and never starts Python).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
GUIDE  ?= sources/moon-race
OUT    ?= output
NAME   := $(notdir $(abspath $(GUIDE)))
# make splits names at spaces and reads a colon as a rule, so neither can be in a target's
# name: say so, rather than fail later with a puzzle ("target pattern contains no '%'").
ifneq ($(words $(GUIDE)) $(words $(OUT)),1 1)
$(error make cannot build a guide whose folder or output has a space in its path ("$(GUIDE)", "$(OUT)"): rename it, link to it from a name without one, or run .venv/bin/guide build "$(GUIDE)" directly)
endif
ifneq ($(findstring :,$(NAME)$(OUT)),)
$(error make cannot name a PDF after a folder with a colon in its name, or write it under one ($(GUIDE), $(OUT)): rename it, link to it from a name without one, or run .venv/bin/guide build directly)
endif
# Every layout: the built-in ones (inside the package, guide/builtin_layouts/) and the guide's
# own (a folder holding layout.yaml).
LAYOUTS := $(sort $(notdir $(patsubst %/layout.yaml,%,\
             $(wildcard guide/builtin_layouts/*/layout.yaml $(GUIDE)/layouts/*/layout.yaml))))
PDFS   := $(LAYOUTS:%=$(OUT)/$(NAME)-%.pdf)

# Stamp file: the environment is rebuilt only when the project's dependencies change.
INSTALLED := $(VENV)/.installed

CODE_FILES := $(wildcard guide/*.py)

.PHONY: all check test lint fuzz test-tools update-references bench docs proof messages clean distclean FORCE

all: $(PDFS)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,lint]'
	touch $@

# Each build writes PDF.d naming every file it read (guide files, the layout and what it
# extends, fonts and images), so a PDF is rebuilt only when one of its own inputs changed.
# Without that file yet, the PDF is built regardless.
.SECONDEXPANSION:
$(OUT)/$(NAME)-%.pdf: $(INSTALLED) $(CODE_FILES) $$(if $$(wildcard $$@.d),,FORCE)
	$(BIN)/guide build $(GUIDE) --layout $* -o $@ --deps

-include $(wildcard $(PDFS:%=%.d))

# Interrupted (Ctrl-C, kill) while guide runs, make would delete the target, and guide may just
# have put the finished PDF in place: the last PDF would be lost. guide itself never leaves
# half a file, so make keeps whatever is there.
.PRECIOUS: $(OUT)/$(NAME)-%.pdf $(OUT)/$(NAME)-%.pdf.d

check: $(INSTALLED)
	$(BIN)/guide check $(GUIDE)

# The tests run in one process per core (pytest-xdist): most of their time is WeasyPrint laying
# out pages on one core. worksteal keeps both busy to the end, where the slowest tests are.
# TEST_JOBS=0 runs them in this one process, as a bare `pytest` does.
TEST_JOBS ?= auto
test: $(INSTALLED) test-tools
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist worksteal

# ruff (lint, then the format check) on all the Python, and mypy on the package (configured in
# pyproject.toml). Each runs even when the one before failed, so one run shows every problem;
# `ruff format <path>` and `ruff check --fix <path>` mend most of ruff's.
LINTED := guide tests scripts bench
lint: $(INSTALLED)
	@status=0; \
	  $(BIN)/ruff check $(LINTED) || status=1; \
	  $(BIN)/ruff format --check $(LINTED) || status=1; \
	  $(BIN)/mypy guide || status=1; \
	  exit $$status

# The property tests (Hypothesis) with a fixed budget far larger than `make test`'s quick,
# derandomized one: minutes, not seconds. The profiles are in tests/hypothesis_profiles.py.
fuzz: $(INSTALLED)
	PYTHONPATH=tests $(BIN)/python -m pytest -p hypothesis_profiles --hypothesis-profile=fuzz \
	  -m hypothesis -n $(TEST_JOBS) tests/test_loading.py tests/test_mutations.py

# Contact sheets for a last look before printing: every page of every layout as a thumbnail
# with its number, in $(OUT)/proof/ (guide/proof.py). Made from the built PDFs, so whatever is
# stale is built first.
proof: $(PDFS)
	$(BIN)/guide proof $(PDFS) --into $(OUT)/proof

# The words layouts print: every message id of the built-in templates into
# guide/locales/guide.pot, merged into each language's catalogue for a translator to finish
# (tests/test_languages.py fails while one is missing or untranslated).
messages: $(INSTALLED)
	$(BIN)/python scripts/extract_messages.py

# The pictures tests/test_visual.py compares pages with: made again on purpose, after a change
# meant to show (then look at them: git diff shows which changed).
update-references: $(INSTALLED)
	$(BIN)/python tests/visual.py

# poppler-utils and qpdf, which the tests check the PDFs with, and Chromium, which opens the
# HTML preview, from the Debian archive when missing (a fresh CI machine); a no-op when there.
test-tools:
	@scripts/install-test-tools

# Speed and memory at 1×, 10× and 50× the flagship: bench/results.md and a plot. Minutes,
# not seconds, so it is not part of `make test`.
BENCH_INSTALLED := $(VENV)/.bench-installed
$(BENCH_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,lint,bench]'
	touch $@

bench: $(BENCH_INSTALLED)
	$(BIN)/python bench/run.py

# The README's pictures: the student guide's cover and one inside page, and one page of each
# layout side by side.
docs: docs/moon-race-pages.png docs/layouts.png docs/timeline.png docs/reference.md

# The reference of every key, the JSON Schemas editors check the YAML with, and what templates
# see (docs/templates.md), made from the code itself (tests/test_reference.py fails when they
# are stale).
docs/reference.md: $(INSTALLED) guide/schema.py guide/layouts.py guide/reference.py \
                   guide/context.py guide/sandbox.py
	$(BIN)/guide schema --write docs

docs/moon-race-pages.png: $(OUT)/$(NAME)-student.pdf scripts/pdf_pages_to_png.py
	$(BIN)/python scripts/pdf_pages_to_png.py $@ $<:1 $<:3

docs/layouts.png: $(PDFS) scripts/pdf_pages_to_png.py
	$(BIN)/python scripts/pdf_pages_to_png.py $@ --height 560 --labels \
	  $(OUT)/$(NAME)-student.pdf:4 $(OUT)/$(NAME)-teacher.pdf:2 \
	  $(OUT)/$(NAME)-large-print.pdf:4 $(OUT)/$(NAME)-booklet.pdf:5

# The timeline: the student's page of it, and large print's first of three.
docs/timeline.png: $(PDFS) scripts/pdf_pages_to_png.py
	$(BIN)/python scripts/pdf_pages_to_png.py $@ --height 900 --labels \
	  $(OUT)/$(NAME)-student.pdf:14 $(OUT)/$(NAME)-large-print.pdf:34

# What builds write: the PDFs and their .d rules, the contact sheets of `make proof`, and, in
# output/ whatever OUT is, the HTML previews (`guide build --html`), the render times that
# `guide build --layout all` keeps to start the slowest layout first, and the record of the
# repairs already told (told.py: after a clean, the next build tells them again).
BUILT_IN := $(sort $(OUT) output)
clean:
	rm -f $(OUT)/*.pdf $(OUT)/*.pdf.d
	rm -f $(addsuffix /*.html,$(BUILT_IN)) $(addsuffix /.*-render-seconds.json,$(BUILT_IN))
	rm -f $(addsuffix /.*-told.json,$(BUILT_IN))
	rm -rf $(OUT)/proof

distclean: clean
	rm -rf $(VENV) *.egg-info
