# The two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYPROJECTS := libs/pyproject.toml $(wildcard services/*/pyproject.toml) sandboxes/pyproject.toml testkit/pyproject.toml

.PHONY: run test test-fast lint typecheck unit bench soak venv clean browser

$(INSTALLED): requirements/constraints.txt requirements/runtime.txt requirements/dev.txt $(PYPROJECTS) scripts/bootstrap
	@scripts/bootstrap

venv: $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/haat up

lint: $(INSTALLED)
	$(BIN)/ruff check libs services sandboxes testkit tests bench
	$(BIN)/ruff format --check libs services sandboxes testkit tests bench

typecheck: $(INSTALLED)
	$(BIN)/mypy

# pytest exits 5 when it collected nothing: for this project that is a broken suite, not a pass.
test: lint typecheck browser
	@set +e; $(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5); the suite is broken" >&2; exit 1; fi; \
	exit $$rc

# The inner loop: domain rules and use cases on in-memory repositories, no database, broker or server
# (tests marked `fast`); seconds. `make test` runs these and everything else.
test-fast: $(INSTALLED)
	$(BIN)/python -m pytest -m fast -q $(PYTEST_ARGS)

browser:
	@scripts/install-browser

bench: $(INSTALLED)
	$(BIN)/python -m bench $(BENCH_ARGS)

# Ten minutes of load with faults (kill -9, broker and PostgreSQL restarts, marketplace misbehaviour, a
# partner's endpoint down); prints what it tried and found, exits 1 if anything was lost or doubled.
soak: $(INSTALLED)
	$(BIN)/python -m haat_testkit.resilience $(SOAK_ARGS)

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
