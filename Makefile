# Actualités Express — the two commands: `make run` and `make test`.
SHELL := /bin/bash
# .ci/uv finds a Python >= 3.12 and uv, getting uv first if the machine has none.
UV ?= .ci/uv
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Development runs with DEBUG on; tests and benchmarks run with the production settings, plus
# the development tools (tools/: demo, archive seeding, benchmark), which DEBUG on also loads.
DEV_ENV = DJANGO_DEBUG=1 SITE_URL=http://$(HOST):$(PORT)
TEST_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=tests-only-not-a-secret \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_DEV_TOOLS=1

.PHONY: run test lint venv migrate demo bench clean

venv: .venv/.synced
.venv/.synced: pyproject.toml uv.lock
	@echo "Environnement .venv : installation des paquets (uv sync)…"
	@$(UV) sync --frozen --quiet
	@touch $@

migrate: venv
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo

# Migrates, loads the demo, then runs the site and the worker until Ctrl-C (tools/devserver.py).
run: venv
	@$(DEV_ENV) $(PY) tools/devserver.py --host $(HOST) --port $(PORT)

test: venv
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf var/ .pytest_cache

# Load benchmark on this machine (see README "Performance"). Uses PostgreSQL when DATABASE_URL
# is set (a separate <name>_bench database), SQLite under var/ otherwise.
BENCH_ARGS ?=
bench: venv
	$(DEV_ENV) $(PY) manage.py bench $(BENCH_ARGS)
