# The two commands a newcomer needs (see README):
#   make demo   - set up, then run the whole job on the built-in demo org and write the HTML report
#   make test   - set up, then run every test (as root, installs Debian's chromium for the browser tests if
#                 missing; as anyone else, says in one line how to get it and skips only the browser tests)
#   make notebooks - set up with JupyterLab, make the demo store if there is none, open the notebooks
# `make test TESTS=tests/report` runs part of the suite the same way.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

TESTS  ?=
FIND_CHROMIUM := $(PY) -c "from analyzer.report.browser import main; raise SystemExit(main())"
DEMO_STORE := out/demo/demo.sqlite

.PHONY: setup demo test lint bench chromium notebooks screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

demo: setup
	$(VENV)/bin/analyzer demo --out out/demo

# A browser for the browser tests: found (system, PATH, ANALYZER_CHROMIUM or Playwright's own), else
# installed from Debian when we are root with apt, else one line saying how to get it (the browser
# tests then skip with the same line); never a failure before the tests run.
chromium: setup
	@$(FIND_CHROMIUM) >/dev/null 2>&1 && exit 0; \
	if [ -z "$$ANALYZER_CHROMIUM" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else $(FIND_CHROMIUM) || true; fi

test: setup chromium
	$(PY) -m pytest -q $(TESTS)

# JupyterLab in the venv (the optional extra "notebooks"), the demo store if there is none yet, then
# the notebooks open against it (they find out/demo/demo.sqlite from any working directory).
notebooks: setup
	$(PY) -m pip install --quiet -e '.[test,notebooks]'
	@test -f $(DEMO_STORE) || $(VENV)/bin/analyzer demo --out out/demo
	ANALYZER_DEMO_STORE=$(abspath $(DEMO_STORE)) $(VENV)/bin/jupyter lab --notebook-dir=notebooks \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(JUPYTER_ARGS)

# The README's screenshots, retaken from the demo report (the team view and the demo mentor's page).
screenshots: demo chromium
	$(PY) -c "from analyzer.report import screenshot; \
	screenshot('out/demo/report.html', 'docs/report.png'); \
	screenshot('out/demo/report.html', 'docs/report-person.png', 'mlindqvist')"

lint: setup
	$(VENV)/bin/ruff check analyzer tests benchmarks
	$(VENV)/bin/mypy

bench: setup
	$(PY) benchmarks/collect_cost.py
	$(PY) benchmarks/score_speed.py
	$(PY) benchmarks/report_scale.py
	$(PY) benchmarks/uplift_validity.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
