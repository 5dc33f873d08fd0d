# The two commands a newcomer needs (see README):
#   make demo   - set up, then run the whole job on the built-in demo org and write the HTML report
#   make test   - set up, then run every test (installs Debian's chromium for the browser tests if missing)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup demo test lint bench chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

demo: setup
	$(VENV)/bin/analyzer demo --out out/demo

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: setup chromium
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check analyzer tests benchmarks
	$(VENV)/bin/mypy

bench: setup
	$(PY) benchmarks/collect_cost.py
	$(PY) benchmarks/score_speed.py
	$(PY) benchmarks/report_scale.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
