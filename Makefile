# Actualités Express — the two commands: `make run` and `make test`.
SHELL := /bin/bash
# This machine's pyenv offers Python 3.13 this way; elsewhere the variable is harmless.
export PYENV_VERSION ?= 3.13.0:3.11.7
UV ?= $(shell command -v uv >/dev/null 2>&1 && echo uv || echo python3 -m uv)
PY := $(UV) run --frozen python
HOST ?= 127.0.0.1
PORT ?= 8000

# Development runs with DEBUG on; tests and benchmarks run with the production settings.
DEV_ENV = DJANGO_DEBUG=1 SITE_URL=http://$(HOST):$(PORT)
TEST_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=tests-only-not-a-secret \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0

.PHONY: run test lint venv migrate demo bench clean

venv: .venv/.synced
.venv/.synced: pyproject.toml uv.lock
	$(UV) sync --frozen
	@touch $@

migrate: venv
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo

run: demo
	@echo
	@echo "  Site :           http://$(HOST):$(PORT)/"
	@echo "  Administration : http://$(HOST):$(PORT)/admin/  (identifiants ci-dessus)"
	@echo "  E-mails envoyés : fichiers dans var/mail/"
	@echo
	@trap 'kill 0' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py run_tasks_worker & \
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(TEST_ENV) $(UV) run --frozen pytest $(PYTEST_ARGS)

lint: venv
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

clean:
	rm -rf var/ .pytest_cache

# Load benchmark on this machine (see README "Performance"). Uses PostgreSQL when DATABASE_URL
# is set (a separate <name>_bench database), SQLite under var/ otherwise.
BENCH_ARGS ?=
bench: venv
	$(DEV_ENV) $(PY) manage.py bench $(BENCH_ARGS)
