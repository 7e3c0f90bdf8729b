# Two commands on a fresh machine: `make demo` and `make test` (each sets itself up first).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DLX := $(VENV)/bin/dlx
STAMP := $(VENV)/.installed
# Which TensorFlow build .venv holds on Linux x86_64: cpu (the default) or gpu (`make gpu`); remembered in .venv.
BUILD_FILE := $(VENV)/.tensorflow-build
BUILD = $(shell cat $(BUILD_FILE) 2>/dev/null || echo cpu)

.PHONY: setup gpu cpu demo test test-slow smoke clean

# The two builds overwrite each other's files: when the other one is there, both go before the chosen one installs.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	if [ "$(BUILD)" = gpu ]; then other=tensorflow-cpu; else other=tensorflow; fi; \
	if [ "$$(uname -s)-$$(uname -m)" = Linux-x86_64 ] && $(PY) -m pip show --quiet $$other >/dev/null 2>&1; then \
	  $(PY) -m pip uninstall --quiet --yes tensorflow tensorflow-cpu; fi
	$(PY) -m pip install --quiet -e ".[$(BUILD),test]"
	touch $(STAMP)

setup: $(STAMP)

gpu:  # TensorFlow's CUDA build and NVIDIA's libraries from PyPI (Linux x86_64 with an NVIDIA driver)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	echo gpu > $(BUILD_FILE)
	rm -f $(STAMP)
	$(MAKE) setup

cpu:  # back to the CPU build
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	echo cpu > $(BUILD_FILE)
	rm -f $(STAMP)
	$(MAKE) setup

demo: setup
	$(DLX) run day4.transformer

# Two workers (pytest-xdist) on 2 cores: most tests are small smoke runs whose time is Python, not TensorFlow's
# threads. Measured beside a full-budget training job that kept both cores busy: 9.2 min without the enja tests,
# 12.5 min with them (948 tests). On idle cores: 6.9 min for 950 tests, where one process took 11.8 min; 9.0 min
# for 957 tests on 2026-12-07.
test: setup
	$(PY) -m pytest -q -n auto --maxprocesses 4

test-slow: setup
	$(PY) -m pytest -q -m slow

smoke: setup
	$(DLX) run --all --budget smoke

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
