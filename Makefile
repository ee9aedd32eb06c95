# The developer's vocabulary. `make run` and `make test` are the two commands in the README.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/wsoa_tracker
DEV_ENV := DJANGO_DEBUG=1

.PHONY: install assets browser benchmark run serve migrate load-record accounts test test-sqlite test-postgres \
	postgres check-migrations lint clean-db

install: $(VENV)/.installed static/build/app.css

$(VENV)/.installed: pyproject.toml
	@# WeasyPrint (the board pack PDF) needs Pango from Debian.
	@ldconfig -p | grep -q libpangoft2 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# GOV.UK Frontend, compiled with the project's font settings (npm registry packages only).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: node_modules/.installed static/scss/app.scss
	npm run --silent build

# Build, migrate the SQLite database, load the real record, create one local account per
# role (passwords printed; refused unless DEBUG is on), and serve on 127.0.0.1:8000.
run: install migrate load-record accounts serve

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

load-record: install
	$(DEV_ENV) $(BIN)/python manage.py load_record

accounts: install
	$(DEV_ENV) $(BIN)/python manage.py create_local_accounts

serve: install
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Build and run the whole suite on SQLite, then on PostgreSQL.
test: install browser check-migrations lint test-sqlite test-postgres

# The end-to-end tests drive Debian's Chromium (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

# PostgreSQL runs on this machine kind; start it if it has stopped.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@pg_isready -h 127.0.0.1 -p 5432

# The grid's render time, queries and export memory at 1x, 10x and 100x the WSOA.
benchmark: install
	$(BIN)/python -W ignore benchmarks/grid.py

check-migrations: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

lint: install
	$(BIN)/ruff check .

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
