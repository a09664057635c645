# Agora: `make run` serves the site on a fresh clone, `make test` runs every test.
# Needs only Python 3.11+; everything else is installed into .venv from the lock files.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
WORKERS ?= 2
SEED_USERS ?= 200
# Test processes (pytest-xdist); 0 runs in this process. On 2 shared cores -n 2 measured no faster
# (2m53 vs 2m49 for 176 tests), so one process is the default: `make test TEST_WORKERS=2` to try.
TEST_WORKERS ?= 0
UV_VERSION ?= 0.13.9

# Embedded profile with debug pages unless the caller says otherwise.
AGORA_DEBUG ?= 1
export AGORA_DEBUG

BIN := $(VENV)/bin
UV := $(BIN)/uv
AGORA := $(BIN)/agora

.PHONY: run serve install install-dev install-clients migrate seed static test lint format typecheck check clean help

help:
	@echo "make run        install, migrate, seed demo data, collect static files, serve on :$(PORT)"
	@echo "make test       install dev tools and run the whole test suite"
	@echo "make lint       ruff check + ruff format --check + import rules (lint-imports)"
	@echo "make format     ruff format + ruff check --fix (FILES=agora/<app> to limit)"
	@echo "make typecheck  mypy on agora/"
	@echo "make check      lint + typecheck + test"

run: install migrate seed static serve

# --- environment ---------------------------------------------------------------------------------
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Agora needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# `uv pip install -r` (not `sync`) so that run and test share one venv without removing each
# other's packages, nor uv itself. The stamps make a second `make run` skip the install.
$(VENV)/.installed-run: requirements.lock pyproject.toml | $(UV)
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --config-setting editable_mode=compat -e .
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed-run
	$(UV) pip install --quiet --python $(BIN)/python -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

# masto.js for the Mastodon-client tests (agora/api/tests/test_mastodon_clients.py), from the npm lock;
# without npm that test is skipped (CI installs it).
CLIENTS := agora/api/tests/clients
install-clients: $(CLIENTS)/node_modules/.package-lock.json
$(CLIENTS)/node_modules/.package-lock.json: $(CLIENTS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix $(CLIENTS) --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the masto.js test will be skipped"; fi

# --- the site ------------------------------------------------------------------------------------
migrate: install
	$(AGORA) migrate --no-input -v 0
	@# settings.py asks for WAL in init_command; check SQLite really took it (PostgreSQL: nothing to do).
	@$(AGORA) shell -v 0 -c "from django.db import connection as c; c.ensure_connection(); \
	mode = c.cursor().execute('PRAGMA journal_mode').fetchone()[0] if c.vendor == 'sqlite' else ''; \
	assert c.vendor != 'sqlite' or mode == 'wal', f'SQLite journal_mode is {mode}, expected wal'; \
	print('database:', c.vendor, mode)"

seed: install
	$(AGORA) seed --users $(SEED_USERS)

static: install
	$(AGORA) collectstatic --no-input -v 0

serve: install
	$(AGORA) serve --port $(PORT) --workers $(WORKERS)

# --- checks --------------------------------------------------------------------------------------
# pytest exits 5 when it collects nothing (an empty -k selection): not a failure.
test: install-dev
ifeq ($(TEST_WORKERS),0)
	$(BIN)/pytest -q $(PYTEST_ARGS) || [ $$? -eq 5 ]
else
	$(BIN)/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS) || [ $$? -eq 5 ]
endif

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

FILES ?= .
format: install-dev
	$(BIN)/ruff format $(FILES)
	$(BIN)/ruff check --fix $(FILES)

typecheck: install-dev
	$(BIN)/mypy agora

check: lint typecheck test

clean:
	rm -rf var/static .mypy_cache .ruff_cache
