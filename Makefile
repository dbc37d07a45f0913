# Two commands do all set-up on a fresh machine (see README):
#   make run    install, migrate, load sample data, serve http://localhost:8000 (SQLite, tasks and
#               the beat schedule in-process)
#   make test   install and run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install install-test lint bench worker beat messages

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
	# The beat schedule runs in-process beside the server (no broker needed), stopped with it.
	# Alert mails link to the address served here.
	export SITE_URL=$${SITE_URL:-http://localhost:$(PORT)}; \
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py run_schedule & schedule=$$!; \
	trap 'kill $$schedule' EXIT INT TERM; \
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver 0.0.0.0:$(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Needs DATABASE_URL pointing to PostgreSQL (each bench makes a throwaway database of its own).
bench: install-test
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/deadline_bench.py
	$(BIN)/python bench/web_bench.py

worker: install
	$(BIN)/celery -A config worker --loglevel=info

beat: install
	$(BIN)/celery -A config beat --loglevel=info

# Refresh the Dutch catalog from the code and templates, then compile it (needs GNU gettext).
# Translate the new or changed entries in locale/nl/LC_MESSAGES/django.po, run it again, commit both files.
messages: install
	$(BIN)/python manage.py makemessages -l nl --ignore=.venv --ignore=bench --ignore=tests --ignore=fixtures --no-obsolete --add-location=file
	$(BIN)/python manage.py compilemessages --ignore=.venv
