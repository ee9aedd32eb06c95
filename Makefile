# The developer's vocabulary. `make run` and `make test` are the two commands in the README.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/wsoa_tracker
# Production runs as two roles (README: Database roles): the owner migrates, the app
# serves. PG_URL, a superuser, is used only to make them.
PG_OWNER_ROLE ?= wsoa_owner
PG_APP_ROLE ?= wsoa_app
PG_OWNER_URL ?= postgres://$(PG_OWNER_ROLE)@127.0.0.1:5432/wsoa_tracker
PG_APP_URL ?= postgres://$(PG_APP_ROLE)@127.0.0.1:5432/wsoa_tracker
DEV_ENV := DJANGO_DEBUG=1

.PHONY: install assets browser benchmark run serve migrate load-record accounts test test-sqlite test-postgres \
	identity-provider notify-stand-in \
	postgres check-migrations lint clean-db production load-test database-roles

install: $(VENV)/.installed static/build/app.css

$(VENV)/.installed: pyproject.toml
	@# WeasyPrint (the board pack PDF) needs Pango and HarfBuzz's subsetter from Debian.
	@(ldconfig -p | grep -q libpangoft2 && ldconfig -p | grep -q libharfbuzz-subset) || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
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
# role (passwords printed; refused unless DEBUG is on), and serve on 127.0.0.1:8000 with
# the job worker (manage.py qcluster) as a child process beside it; Ctrl-C stops both.
run: install migrate load-record accounts serve

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py createcachetable

load-record: install
	$(DEV_ENV) $(BIN)/python manage.py load_record

accounts: install
	$(DEV_ENV) $(BIN)/python manage.py create_local_accounts

serve: install
	$(DEV_ENV) $(BIN)/python manage.py beside_worker -- $(BIN)/python manage.py runserver 127.0.0.1:8000

# Single sign-on locally: the tests' OpenID Connect provider (tests/idp, npm's
# oidc-provider) on 127.0.0.1:9000, registered as "Sign in with the local test provider".
# Run it in a second terminal beside `make run`; Ctrl-C stops it.
identity-provider: install node_modules/.installed migrate
	$(DEV_ENV) $(BIN)/python manage.py add_local_identity_provider
	node tests/idp/server.mjs tests/idp/dev.json

# Notifications locally: the tests' GOV.UK Notify stand-in (tests/notify_stand_in.py) on
# 127.0.0.1:9100; it prints the NOTIFY_* settings that send through it (README:
# Notifications). Run it in a second terminal; Ctrl-C stops it.
notify-stand-in: install
	$(BIN)/python tests/notify_stand_in.py --port $${NOTIFY_STAND_IN_PORT:-9100}

# Production mode: gunicorn and WhiteNoise against PostgreSQL, over HTTPS with .tls/ (a
# self-signed certificate made here) unless TLS_CERT/TLS_KEY are given, or plain HTTP
# behind the council's TLS proxy with DJANGO_BEHIND_PROXY=1. Needs DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS. Makes the two database roles, migrates as the owner (which syncs
# the job runner's schedules), then loads the record (never overwriting edits) and serves
# as the app role, with the job worker (manage.py qcluster) beside gunicorn: both stop
# together.
production: install postgres database-roles
	@test -n "$$DJANGO_SECRET_KEY" || { echo "Set DJANGO_SECRET_KEY (see README: Production)"; exit 1; }
	@test -n "$$DJANGO_ALLOWED_HOSTS" || { echo "Set DJANGO_ALLOWED_HOSTS"; exit 1; }
	@test -n "$$DJANGO_BEHIND_PROXY" || test -n "$$TLS_CERT" || test -f .tls/cert.pem || \
	  (mkdir -p .tls && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
	    -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout .tls/key.pem -out .tls/cert.pem)
	$(BIN)/python manage.py collectstatic --no-input
	DATABASE_URL=$(PG_OWNER_URL) $(BIN)/python manage.py migrate --no-input
	DATABASE_URL=$(PG_OWNER_URL) $(BIN)/python manage.py createcachetable
	DATABASE_URL=$(PG_APP_URL) $(BIN)/python manage.py load_record
	DATABASE_URL=$(PG_APP_URL) $(BIN)/python manage.py prepare_board_pack
	DATABASE_URL=$(PG_APP_URL) $(BIN)/python manage.py verify_audit
	DATABASE_URL=$(PG_APP_URL) $(BIN)/python manage.py beside_worker -- $(BIN)/gunicorn -c gunicorn.conf.py

# The owner and app roles of the production database (made if missing, put right if
# not): run as the superuser PG_URL. Safe to run again.
database-roles: install postgres
	-@createdb -h 127.0.0.1 -U postgres wsoa_tracker 2>/dev/null
	DATABASE_URL=$(PG_URL) $(BIN)/python manage.py create_database_roles \
	  --owner-role $(PG_OWNER_ROLE) --app-role $(PG_APP_ROLE)

# A busy board day (locust) against production mode on this machine: USERS=50 by default.
# RAMP=10,20,40,80,160 instead steps the users up to where p95 crosses 500 ms.
USERS ?= 50
RAMP ?=
load-test: install postgres
	$(BIN)/pip install --quiet -e '.[load]'
	$(BIN)/python benchmarks/load_test.py --users $(USERS) $(if $(RAMP),--ramp $(RAMP))

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

# The board's pages (server CPU, ratios, queries, the board pack) at the record and 1x,
# 10x and 100x the WSOA, on SQLite and then on PostgreSQL (BENCHMARK_PG_URL's server: it
# makes throwaway databases there and drops them). SIZES=record,1,10 to leave 100x out.
SIZES ?= record,1,10,100
BENCHMARK_PG_URL ?= $(PG_URL)
benchmark: install postgres
	env -u DATABASE_URL DJANGO_LOG_LEVEL=WARNING $(BIN)/python -W ignore benchmarks/grid.py --sizes $(SIZES)
	DATABASE_URL=$(BENCHMARK_PG_URL) DJANGO_LOG_LEVEL=WARNING $(BIN)/python -W ignore benchmarks/grid.py --sizes $(SIZES)

check-migrations: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

lint: install
	$(BIN)/ruff check .

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
