# The two commands of the README: `make run` and `make test`.
# Everything else here is a step of those two, or a convenience.

PYTHON ?= $(shell sh scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PORT ?= 8001

.PHONY: run demo test setup migrate data lint format typecheck messages worker clean

# Set up, load Mexico's OGP data and serve the portal at http://$(HOST):$(PORT)
run: setup migrate data
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The real data only, whatever the shell says.
run migrate data: export PORTAL_DEMO = 0

# A demonstration with synthetic data on its own database (demo.sqlite3, or DATABASE_URL's
# database name + _demo), one account per role printed at start, at http://$(HOST):$(DEMO_PORT)
demo: export PORTAL_DEMO = 1
demo: setup
	$(BIN)/python manage.py prepare_demo --address $(HOST):$(DEMO_PORT)
	$(BIN)/python manage.py runserver $(HOST):$(DEMO_PORT)

# Set up and pass the test suite (SQLite by default; PostgreSQL/Redis when
# DATABASE_URL / REDIS_URL are set, as .ci/run does).
test: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=ogp_portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/pytest

setup: $(VENV)/.installed

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || (echo "No Python 3.12+ found" >&2; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

migrate: setup
	$(BIN)/python manage.py migrate --noinput

data: setup
	$(BIN)/python manage.py load_mexico_ogp
	$(BIN)/python manage.py recompute_indicators

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# mypy with django-stubs: strict on the modules listed in pyproject.toml, silent elsewhere.
typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

format: $(VENV)/.test-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the English catalogue after changing Spanish source strings.
messages: setup
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --no-wrap
	$(BIN)/python manage.py compilemessages -l en

worker: setup
	$(BIN)/celery -A ogp_portal worker --beat --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 demo.sqlite3 demo-media staticfiles
