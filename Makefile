# One entry point for humans and CI. `make run` and `make test` are the README's two commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test check bench lock clean postgres

$(BIN)/silkhub: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(BIN)/silkhub

## The main job: the hub's API server on the embedded default (SQLite in ./silkhub-data and
## the Zhengzhou network) at http://127.0.0.1:8000; the first start prints a demo API key.
run: install
	$(BIN)/silkhub serve

## PostgreSQL for the integration tests: Debian's package, installed once (a no-op after).
## Where it cannot be installed, its tests are skipped locally and fail in CI (CI=true).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "--- installing PostgreSQL (Debian package postgresql) for the integration tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  ( $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql ) >/dev/null \
	  || echo "--- could not install PostgreSQL: its tests will be skipped (failed in CI)"; \
	fi

## Every check CI runs: lint, format, types, the whole test suite.
test: install postgres
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/check

bench: install
	$(BIN)/python benchmarks/routing.py
	$(BIN)/python benchmarks/api.py
	$(BIN)/python benchmarks/customs.py
	$(BIN)/python benchmarks/terminal.py

## Re-pin dependencies after editing pyproject.toml.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
