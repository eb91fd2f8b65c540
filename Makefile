# Démarche: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-sqlite test-postgres bench lint clean

setup: $(VENV)/.installed node_modules/.installed

# The service with its test tools, and the simulators' own distribution (sandbox/, never in production).
$(VENV)/.installed: pyproject.toml sandbox/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]' -e ./sandbox
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --ignore-scripts
	touch $@

demo: setup
	$(BIN)/python -m demarche.demo

# One pytest worker per core (pytest-xdist); each test has its own database, schema and Redis keys.
# TEST_WORKERS=0 runs in one process, e.g. with PYTEST_ARGS='-x tests/journey'.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS)

test-sqlite: setup
	$(PYTEST) $(PYTEST_ARGS)

# The README's test command, and what CI runs (`.ci/run`): the suite on SQLite, then on PostgreSQL.
# Where no PostgreSQL or Redis answers, the suite starts throw-away ones (tests/servers.py; the header says which).
test: test-sqlite test-postgres

# The same suite on PostgreSQL (each test in a throw-away schema of this database).
test-postgres: setup
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(PYTEST) $(PYTEST_ARGS)

# The load benchmark of the README (« Performances »): gunicorn + PostgreSQL + the simulators, on loopback.
# The processes measured run from a production install (no dev tools, as in the image): .venv-serve.
SERVE := .venv-serve

$(SERVE)/.installed: pyproject.toml
	$(PYTHON) -m venv $(SERVE)
	$(SERVE)/bin/pip install --quiet --upgrade pip
	$(SERVE)/bin/pip install --quiet -e .
	touch $@

bench: setup $(SERVE)/.installed
	$(BIN)/python -m bench --gunicorn $(SERVE)/bin/gunicorn $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check demarche sandbox tests bench gunicorn.conf.py
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) $(SERVE) node_modules instance .pytest_cache test-artifacts
