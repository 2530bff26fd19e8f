# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# One stamp per set of extras: `make install EXTRAS=production` installs its own set.
STAMP = $(VENV)/.installed-$(subst $(eval) ,+,$(EXTRAS))
HOST ?= 127.0.0.1
PORT ?= 8000
# The address the links of e-mails, PDFs and QR codes point at: by default the one `make run`
# serves (`make run PORT=8001` -> http://127.0.0.1:8001); a SITE_URL in the environment wins.
SITE_URL ?= http://$(HOST):$(PORT)
# Optional dependency groups of pyproject.toml to install: `make install EXTRAS=production` on a server.
EXTRAS ?= dev

.PHONY: run install migrate messages seed test test-browser lint format worker bench bench-validators \
	backup restore node-verifier axe credentials-key clean

# The code runs from this folder; only the dependencies declared in pyproject.toml are installed.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -c 'import tomllib, sys; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		extras = [d for e in sys.argv[1:] for d in p["optional-dependencies"][e]]; \
		print("\n".join(p["dependencies"] + extras))' $(EXTRAS) > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	touch $(STAMP)

install: $(STAMP)

# Compile the project's catalogue and each app's own (app/locale/), pure Python (Babel).
messages: install
	@for dir in locale */locale; do \
		[ -d "$$dir" ] || continue; \
		$(BIN)/pybabel compile --statistics -d "$$dir" -D django 2>&1 | grep -v "^compiling"; \
	done

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: migrate messages
	SITE_URL="$(SITE_URL)" $(BIN)/python manage.py seed_demo

# A development key that signs the badges (kept in var/, never committed; production sets
# CREDENTIALS_SIGNING_KEY instead, see README).
credentials-key: install
	$(BIN)/python manage.py credentials_keygen --file var/credentials-signing-key

run: seed credentials-key
	SITE_URL="$(SITE_URL)" $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Digital Bazaar's verifier, from the npm registry at the versions of the committed lock file,
# with which the tests check the signed credentials independently (skipped without npm).
NODE_VERIFIER := tests/certification/credentials/node
$(NODE_VERIFIER)/node_modules/.installed: $(NODE_VERIFIER)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(NODE_VERIFIER) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the independent credential checks will be skipped"; fi

node-verifier: $(NODE_VERIFIER)/node_modules/.installed

# axe-core, from the npm registry at the version of the committed lock file, which the browser
# tests inject into each key page (skipped without npm).
AXE := tests/browser/axe
$(AXE)/node_modules/.installed: $(AXE)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(AXE) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped"; fi

axe: $(AXE)/node_modules/.installed

# The suite runs on one pytest-xdist worker per core (TEST_WORKERS=0: in this process alone); each
# worker has its own test database and Redis databases (tests/conftest.py).
TEST_WORKERS ?= auto
test: install messages node-verifier axe
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-browser: install messages axe
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmark at national scale: builds (or reuses) the database institut_bench, serves the site
# with gunicorn, measures every main page with locust; BENCH_ARGS for options (see docs/performance.md).
bench: install messages
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Every validator, form field and pattern of the site on texts up to 1 MB: prints the slowest.
bench-validators: install
	$(BIN)/python -m benchmarks.validators $(BENCH_ARGS)

worker: install
	$(BIN)/celery -A institut worker --beat --loglevel INFO

# Backups (see the README): one dated archive of the database and the media folder into
# BACKUP_DIR; BACKUP_KEEP_DAYS=30 then deletes the archives there older than 30 days.
BACKUP_DIR ?= backups
backup: install
	$(BIN)/python manage.py backup --output-dir "$(BACKUP_DIR)" \
		$(if $(BACKUP_KEEP_DAYS),--keep-days $(BACKUP_KEEP_DAYS))

# Restore an archive into the database of DATABASE_URL, which must be empty unless FORCE=1.
restore: install
	@test -n "$(FILE)" || { echo "Say which archive: make restore FILE=$(BACKUP_DIR)/institut-YYYYMMDD-HHMMSS.tar" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)" $(if $(FORCE),--force)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
