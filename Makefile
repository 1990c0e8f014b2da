# Amparo: `make run` serves the sample directory, `make test` proves it.
.DEFAULT_GOAL := run
.PHONY: setup setup-dev run test serve load bench backup restore messages clean

VENV := .venv
PY := $(VENV)/bin/python
# The first Python >= 3.12 on the PATH (pyenv's shim gives 3.13 through .python-version).
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.14 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
DEV_ENV := DJANGO_DEBUG=1 DJANGO_SECURE_SSL_REDIRECT=0

$(VENV)/.python-ok:
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.12 or newer was found on the PATH. Install Python 3.12+ (3.13 recommended) and run make again." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.requirements: requirements.txt $(VENV)/.python-ok
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements-dev.txt requirements.txt $(VENV)/.python-ok
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.requirements

setup: $(VENV)/.requirements
	$(DEV_ENV) $(PY) manage.py migrate --verbosity 0
	$(DEV_ENV) $(PY) manage.py load_sample_data
	$(DEV_ENV) $(PY) manage.py write_fallback_pages

# The browser checks' tools from npm (axe-core, the Nu HTML checker's vnu.jar), once per
# package-lock.json. Without npm the accessibility and HTML checks skip, saying why.
# --ignore-scripts: vnu-jar's install script would only download a Java runtime.
node_modules/.npm-ci-stamp: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-fund --no-audit --ignore-scripts && touch $@; \
	else echo "npm not found: the axe-core and Nu HTML checks will skip (install Node.js)" >&2; fi

setup-dev: $(VENV)/.requirements-dev node_modules/.npm-ci-stamp

run: setup
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: setup-dev
	$(VENV)/bin/ruff check .
	$(DEV_ENV) $(VENV)/bin/pytest

# Production settings over plain HTTP, for trying the real thing locally.
.secret_key: | $(VENV)/.python-ok
	$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

serve: setup .secret_key
	DJANGO_SECRET_KEY="$$(cat .secret_key)" DJANGO_SECURE_SSL_REDIRECT=0 \
		DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_SECRET_KEY="$$(cat .secret_key)" DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 \
		DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost \
		$(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:8000 --workers 2 --no-control-socket

# 60 s at 64 connections from wrk (Debian's package) against gunicorn with production settings.
load: setup .secret_key
	@command -v wrk >/dev/null || { echo "make load needs wrk: apt-get install -y wrk" >&2; exit 1; }
	DJANGO_SECRET_KEY="$$(cat .secret_key)" DJANGO_SECURE_SSL_REDIRECT=0 \
		DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_SECRET_KEY="$$(cat .secret_key)" $(PY) scripts/load.py

# Throughput, queries, bytes, memory and search time at 100 and 100,000 records, on SQLite
# and on PostgreSQL when DATABASE_URL names one (bench/run.py); one table, also written to
# var/bench-<time>.md. Load comes from wrk (apt-get install -y wrk); the page-cache-on runs
# need Redis (BENCH_REDIS_URL, default database 14, which it flushes).
bench: $(VENV)/.requirements
	$(PY) -m bench.run

# A complete backup in backups/amparo-<UTC time>/ of the database DATABASE_URL names.
backup: $(VENV)/.requirements
	$(DEV_ENV) $(PY) manage.py backup_data

# Restore a backup into a new, empty database: make restore FILE=backups/amparo-…
# (not after `setup`: its sample data would make the database non-empty).
restore: $(VENV)/.requirements
	@if [ -z "$(FILE)" ]; then \
		echo "Usage: make restore FILE=backups/amparo-YYYYMMDDTHHMMSSZ" >&2; exit 2; fi
	$(DEV_ENV) $(PY) manage.py migrate --verbosity 0
	$(DEV_ENV) $(PY) manage.py restore_data "$(FILE)"

# Refresh the Spanish catalogue after changing user-visible text (needs GNU gettext).
messages: setup-dev
	$(DEV_ENV) $(PY) manage.py makemessages -l es --no-location --no-obsolete \
		--ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*'
	$(DEV_ENV) $(PY) manage.py compilemessages -l es --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
