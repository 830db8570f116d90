# Two commands do everything on a fresh machine with Python 3.11:
#   make demo   - create .venv, install, run the offline demo against the replica sites
#   make test   - create .venv, install with test extras and tools, run the tests
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ARCHIVE_DIR ?= ./data

.PHONY: demo demo2 cluster-demo test test-fast bench install clean-venv

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/archive demo --archive-dir $(ARCHIVE_DIR) --epoch 1

demo2: $(VENV)/.installed
	$(VENV)/bin/archive demo --archive-dir $(ARCHIVE_DIR) --epoch 2

cluster-demo: $(VENV)/.installed
	scripts/cluster-up.sh

test: $(VENV)/.installed
	scripts/install-test-tools.sh
	$(PY) -m pytest -q

test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not e2e and not browser and not pywb"

bench: $(VENV)/.installed
	for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done

clean-venv:
	rm -rf $(VENV)
