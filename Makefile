# Two commands on a fresh machine: `make demo` and `make test` (each sets itself up first).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DLX := $(VENV)/bin/dlx
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-slow smoke clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(DLX) run day4.transformer

test: setup
	$(PY) -m pytest -q

test-slow: setup
	$(PY) -m pytest -q -m slow

smoke: setup
	$(DLX) run --all --budget smoke

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
