# Two commands do all set-up on a fresh machine (python3 and make present):
#   make demo   — create .venv, install hybrid, solve the bundled quickstart example
#   make test   — create .venv, install hybrid with test extras, run the whole suite
# A release:
#   make dist   — build the sdist and wheel into dist/ and check them with twine
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DIST_STAMP := $(VENV)/.installed-dist
DEMO := examples/quickstart

.PHONY: demo test lint typecheck bench dist clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# the suite builds the wheel and checks it with twine (tests/test_release.py): the dist extra too
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	touch $@ $(STAMP) $(DIST_STAMP)

$(DIST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	touch $@ $(STAMP)

$(DEMO)/channel/noarch/repodata.json: $(STAMP) src/hybrid/devtools/demo_channel.py src/hybrid/devtools/local_channel.py
	$(BIN)/python -m hybrid.devtools.demo_channel $(DEMO)/channel

demo: $(STAMP) $(DEMO)/channel/noarch/repodata.json
	$(BIN)/hybrid solve $(DEMO)/spec.yaml -o $(DEMO)/out

test: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_all.py

dist: $(DIST_STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

clean:
	rm -rf $(VENV) $(DEMO)/channel $(DEMO)/out dist
