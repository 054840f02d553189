# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
PYTEST_WORKERS ?= 2

.PHONY: help install run test test-fast lint format lock messages diagram migrate seed check-compose clean

help:
	@echo "make run    - start web (http://127.0.0.1:8000, or PORT=...), worker and beat on the embedded default"
	@echo "make test   - run the whole test suite"
	@echo "make lint   - ruff check, ruff format --check, import-linter contracts, mypy"
	@echo "make lock   - re-lock requirements/*.txt from pyproject.toml"
	@echo "make messages - update and compile the id/en translation catalogues"
	@echo "make diagram - redraw the compliance state diagram (compliance/diagrams/, needs graphviz)"

# Downloads use the machine's real clock even when make runs under Debian's faketime (as
# when checking that the tests pass years ahead): a moved clock fails every TLS certificate.
REAL_CLOCK := env -u LD_PRELOAD -u FAKETIME

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(REAL_CLOCK) $(BIN)/pip install --quiet --upgrade "pip==25.3"

# Installs exactly the locked set (hashes checked); re-runs when the lock changes.
$(VENV)/.installed: requirements/dev.txt | $(BIN)/python
	$(REAL_CLOCK) $(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_regions

# The Jambi 2017 demo and its users; a no-op once loaded (see docs/lifecycle.md).
seed: migrate
	$(BIN)/python manage.py seed_demo

# make run PORT=8101 (or PORT in the environment): the web server and the e-mail links.
PORT ?= 8000
run: seed
	@# exec: Ctrl-C reaches the process manager, not a shell that dies of it first
	PORT=$(PORT) exec $(BIN)/python -m ektp_compliance.devrun Procfile.dev

test: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	READ_DOT_ENV=0 $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Gather new strings into both catalogues, then compile them (needs GNU gettext). Translate
# the new entries in locale/*/LC_MESSAGES/django.po and run it again; the tests check both.
messages: install
	$(BIN)/python manage.py makemessages -l id -l en -e html,txt,py --no-obsolete \
		--ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

# The compliance state diagram, drawn by Graphviz's dot (apt-get install graphviz) from
# Regency's transitions into compliance/diagrams/ (committed: the app never runs dot).
diagram: install
	$(BIN)/python manage.py render_state_diagram

lock:
	$(BIN)/pip install --quiet "uv==0.13.9"
	cd requirements && ../$(BIN)/uv pip compile ../pyproject.toml --python-version 3.11 --generate-hashes -o base.txt
	cd requirements && ../$(BIN)/uv pip compile ../pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o dev.txt

check-compose:
	docker-compose -f docker-compose.yml config -q

clean:
	rm -rf $(VENV) var
