# Build the gallery and run its tests. Each target sets up what it needs:
# a virtual environment in $(VENV) made from requirements.txt, created on first
# use and reused (re-installed only when requirements.txt changes).
#
#   make html        build the site into _build/html (runs every changed example)
#   make html-noplot build the pages without running the examples (fast draft)
#   make test        build the site, then run the test suite
#   make clean       remove the built site and the generated gallery
#   make bench       time a clean build, rebuilds, examples; sizes; Lighthouse
#                    scores (tools/bench.py; Lighthouse needs Node.js)
#   make lighthouse  only the Lighthouse scores, of the site in _build/html
#   make versions    build every release tag and the main branch into
#                    $(BUILDDIR)/versions/<version>/ plus stable/ (tools/build_versions.py)
#   make help        list the targets

PYTHON     ?= python3
VENV       ?= .venv
BUILDDIR   ?= _build
SPHINXOPTS ?= -W --keep-going

BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed-requirements.txt
SPHINXBUILD := $(BIN)/sphinx-build
# conf.py is at the top level, the pages in docs/
SPHINX      := $(SPHINXBUILD) -c . -d $(BUILDDIR)/doctrees

.DEFAULT_GOAL := help
.PHONY: help venv html html-noplot test clean versions bench lighthouse

help:
	@echo "make html         build the site into $(BUILDDIR)/html"
	@echo "make html-noplot  build the pages without running the examples"
	@echo "make test         build the site and run the tests"
	@echo "make clean        remove build output"
	@echo "make versions     build all release tags + main into $(BUILDDIR)/versions (VERSIONS_SPHINXOPTS=... adds Sphinx options)"
	@echo "make bench        benchmark the build against its budgets (BENCH_JSON=docs/_static/bench.json publishes it)"
	@echo "make lighthouse   build, then score the pages with Lighthouse (needs Node.js; BENCH_JSON=... as for bench)"
	@echo "make venv         only create/update the environment in $(VENV)"

venv: $(STAMP)

# The environment is (re)built when requirements.txt is newer than the copy
# installed last time. A half-finished install leaves no stamp, so the next
# run simply installs again.
#
# requirements.txt is a complete lock (generated from requirements.in, see its
# first lines): every package with its exact version and sha256 hashes. pip
# runs in hash-checking mode, so a file whose hash is not in the lock stops the
# install. Dependencies are NOT skipped (no --no-deps): pip still resolves them,
# and in hash-checking mode a dependency missing from the lock is an error, so
# an incomplete lock fails here instead of pip fetching an unpinned package.
# --only-binary: every locked package has wheels for Linux, macOS and Windows
# on Python 3.11-3.13, so no package's build code runs at install time.
PIP_INSTALL := -m pip install --disable-pip-version-check -q \
               --require-hashes --only-binary=:all: -r requirements.txt
$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' was not found. Install Python 3.11 (python.org or your" >&2; \
	  echo "       package manager), or name one: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' || { \
	  echo "error: $(PYTHON) is not Python 3.11 to 3.13, which the lock (TensorFlow 2.21," >&2; \
	  echo "       NumPy 2.4, Sphinx 9) needs. Name one: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "error: '$(PYTHON) -m venv' failed. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2; \
	  rm -rf $(VENV); exit 1; }
	$(BIN)/python $(PIP_INSTALL)
	@cp requirements.txt $(STAMP)

html: $(STAMP)
	$(SPHINX) -b html docs $(BUILDDIR)/html $(SPHINXOPTS)
	@echo "Built: $(BUILDDIR)/html/index.html  (view: $(BIN)/python -m http.server -d $(BUILDDIR)/html 8000)"

html-noplot: $(STAMP)
	$(SPHINX) -b html docs $(BUILDDIR)/html $(SPHINXOPTS) -D plot_gallery=0

# Every release tag and the main branch, each with its own pinned requirements
# (this venv when identical, else a cached one in .venvs/), into one tree with
# stable/, a root redirect and switcher.json. Needs a clone with its tags.
VERSIONS_SPHINXOPTS ?=
versions: $(STAMP)
	$(BIN)/python tools/build_versions.py --out $(BUILDDIR)/versions --venv $(VENV) -- $(VERSIONS_SPHINXOPTS)

# The tests run in $(PYTEST_WORKERS) processes (pytest-xdist); each test file
# stays in one process (--dist loadfile), so a file's expensive fixtures, such
# as the second clean build of tests/test_determinism.py, are made once.
# PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2
test: html
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile tests

# Not a test: builds a temporary copy of the project four times (clean, no
# change, one example edited, one example added) and prints each figure next to its budget. The
# figures go to $(BENCH_JSON); BENCH_JSON=docs/_static/bench.json updates the
# ones the "how this site is built" page shows (commit that file).
BENCH_JSON ?= $(BUILDDIR)/bench.json
bench: $(STAMP)
	$(BIN)/python tools/bench.py --venv $(VENV) --json $(BENCH_JSON)

# Lighthouse alone (mobile mode, pages served gzip-compressed from 127.0.0.1),
# on this tree's build: updates only the "lighthouse" entry of $(BENCH_JSON).
# Lighthouse itself (Node.js) is installed with npm on first use, into
# ~/.cache/lstm-io/ ($$LSTM_LIGHTHOUSE_DIR); nothing else needs Node.
lighthouse: html
	$(BIN)/python tools/bench.py --only lighthouse --json $(BENCH_JSON)

clean:
	rm -rf $(BUILDDIR) docs/auto_examples docs/sg_execution_times.rst
