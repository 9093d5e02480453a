# The project's commands. `make setup` once, then `make test`; `make preview` for the plans.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# One worker per core (`auto`): the suite stays inside its time budget on a 2-core CI machine.
PYTEST_WORKERS ?= auto

.PHONY: setup test lint typecheck unit preview bench bench-preview bench-policy bench-scaling mutants drill clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

test: lint typecheck unit

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS)

preview: setup
	$(BIN)/mlops preview --stack all

bench: bench-preview bench-policy bench-scaling
	$(BIN)/python bench/drift.py
	$(BIN)/python bench/promotion.py

bench-preview: setup
	$(BIN)/python -m bench.preview

bench-policy: setup
	$(BIN)/python -m bench.policy

bench-scaling: setup
	$(BIN)/python -m bench.scaling

# The release scenarios end to end on a moto server on 127.0.0.1 (docs/releases.md).
drill: setup
	$(BIN)/mlops drill

# Mutation testing of the pure decision modules (setup.cfg [mutmut]); not part of `make test`.
# It runs in build/mutation/, a copy with the linked folders made real (see setup.cfg).
mutants: setup
	rm -rf build/mutation && mkdir -p build/mutation
	cp -rL mlops_platform tests infra setup.cfg pyproject.toml Pulumi*.yaml build/mutation/
	cd build/mutation && ../../$(BIN)/mutmut run; ../../$(BIN)/mutmut export-cicd-stats
	$(BIN)/python bench/mutation_score.py build/mutation/mutants/mutmut-cicd-stats.json

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .hypothesis
