# Two commands do all set-up on a fresh machine (see README):
#   make run    install, migrate, load sample data, serve http://localhost:8000 (SQLite, tasks in-process)
#   make test   install and run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install install-test lint bench worker beat

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

run: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_sample_data
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver 0.0.0.0:$(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install-test
	$(BIN)/python bench/run_all.py

worker: install
	$(BIN)/celery -A config worker --loglevel=info

beat: install
	$(BIN)/celery -A config beat --loglevel=info
