# The two commands of the README: `make run` and `make test`.
# Everything else here is a step of those two, or a convenience.

PYTHON ?= $(shell sh scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup migrate data lint format messages worker clean

# Set up, load Mexico's OGP data and serve the portal at http://$(HOST):$(PORT)
run: setup migrate data
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Set up and pass the test suite (SQLite by default; PostgreSQL/Redis when
# DATABASE_URL / REDIS_URL are set, as .ci/run does).
test: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=ogp_portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
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
	rm -rf $(VENV) db.sqlite3 staticfiles
