# Two entry points, each making its own virtual environment (.venv) first:
#   make demo   evaluate the bundled example series with the pate command, then rank the detectors
#   make test   build the documentation site, lint and type-check, then run the whole test suite (what CI runs)
# and:
#   make docs   build the documentation site into docs/_build/html (warnings are errors)
#   make lint   ruff (lint and format check) on the code, mypy on pate/ (make test runs it too)
#   make browser  install Debian's chromium for the browser tests when absent (make test runs it too)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.demo
SPHINXOPTS ?= -W --keep-going -q

.PHONY: demo test docs lint browser clean

# The demo installs the package alone (what it shows needs no extra; about 470 MB, no
# bytecode compiled ahead: Python writes it for what the demo imports); make test adds
# the test, plot and docs tools to the same environment.
$(DEMO_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile -e .
	touch $(DEMO_STAMP)

$(STAMP): pyproject.toml $(DEMO_STAMP)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plot,docs,report]'
	touch $(STAMP)

demo: $(DEMO_STAMP)
	@echo "pate demo: two NAB series (pate/data) scored by 16 published detectors, under PATE (area"
	@echo "under the proximity-aware precision-recall curve, trapezoids as published) and PATE-F1"
	@echo "(the detections score >= 0.5). Then one leaderboard per metric (pate compare)."
	@echo "Read it knowing that PATE's trapezoids credit a score with one or two values with about"
	@echo "recall * (1 + precision) / 2: the binary detectors (twitterADVec, earthgeckoSkyline,"
	@echo "relativeEntropy) and the constant baseline 'null' top PATE here, and the warnings at the"
	@echo "end say so (pate_ap, the step rule, does not have this bias). constant = true flags 'null':"
	@echo "its scores are one value on every series, a trivial reference, not a detector."
	@echo
	$(BIN)/pate evaluate pate/data --metric pate,pate_f1 --threshold 0.5 --compare

# Sphinx (pydata theme, numpydoc, MyST, sphinx-gallery running examples/);
# no network at build time. The generated API stubs are made anew each time, so a
# name that moved or went away never leaves a stale page behind.
docs: $(STAMP)
	rm -rf docs/api/generated
	MPLBACKEND=Agg $(BIN)/python -m sphinx -b html $(SPHINXOPTS) docs docs/_build/html
	@echo "docs: open docs/_build/html/index.html"

LINTED := pate tests benchmarks examples

lint: $(STAMP)
	@status=0; \
	$(BIN)/ruff check $(LINTED) || status=1; \
	$(BIN)/ruff format --check $(LINTED) || status=1; \
	$(BIN)/mypy || status=1; \
	exit $$status

# tests/report/ open the HTML report in a real headless Chromium: Debian's package, driven by
# Playwright for Python as the system browser (a test tool's own browser download is never used).
# Installed here when absent, as root (CI) or through sudo; where that cannot be done the browser
# tests skip and say why.
browser:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	else echo "make: Debian's chromium is absent and root is needed to install it: the browser tests will skip"; exit 0; fi; \
	echo "make: installing Debian's chromium for the browser tests"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends \
		chromium fonts-liberation >/dev/null \
		|| echo "make: chromium could not be installed: the browser tests will skip"

# All run even when one fails, so one CI run reports everything.
test: $(STAMP) browser
	@status=0; \
	$(MAKE) --no-print-directory docs || status=1; \
	$(MAKE) --no-print-directory lint || status=1; \
	$(BIN)/python -m pytest || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) build *.egg-info docs/_build docs/auto_examples docs/api/generated \
		docs/api/index.rst docs/api/cli.rst docs/api/pate*.rst docs/sg_execution_times.rst examples/nab_report.html
