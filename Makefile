# LLMFed: `make demo` plays a whole show offline; `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck contract pytest bench balance clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

# The demo keeps its database (demo.db) so `llmfed replay N --db demo.db` works afterwards;
# each run starts it afresh.
demo: $(VENV)/.installed
	rm -f demo.db demo.db-wal demo.db-shm
	$(VENV)/bin/llmfed demo --db demo.db

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy engine storage

contract: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	$(VENV)/bin/pytest

test: lint typecheck contract pytest

bench: $(STAMP)
	$(PY) bench/engine.py

balance: $(VENV)/.installed
	$(VENV)/bin/llmfed balance --matches 1000

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm
