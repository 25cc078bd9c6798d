# One entry point for humans and CI. `make run` and `make test` are the README's two commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test check bench lock clean

$(BIN)/silkhub: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(BIN)/silkhub

## The main job on the embedded default: the Zhengzhou hub and an example quote.
run: install
	$(BIN)/silkhub network show
	$(BIN)/silkhub quote --from YIW --to MAD --ready 2025-03-03T08:00+08:00 --weight 500 --volume 2.5

## Every check CI runs: lint, format, types, the whole test suite.
test: install
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/check

bench: install
	$(BIN)/python benchmarks/routing.py

## Re-pin dependencies after editing pyproject.toml.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
