# motcua — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help run test lint format bench bench-dossiers bench-cluster loadtest faults lighthouse messages migrations-check deploy-check clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "motcua needs Python >= 3.12 (pyenv: .python-version)")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

run: $(BIN)/.installed ## start motcua with demo data on http://127.0.0.1:$(PORT)
	DEMO=1 $(BIN)/python manage.py migrate --noinput -v 0
	DEMO=1 $(BIN)/python manage.py collectstatic --noinput -v 0
	DEMO=1 $(BIN)/python manage.py load_demo
	@echo "motcua: http://127.0.0.1:$(PORT)/  (quản trị: /quan-tri/)"
	DEMO=1 $(BIN)/python manage.py db_worker --queue-name '*' --no-reload -v 0 & worker=$$!; \
	DEMO=1 $(BIN)/python manage.py periodic & periodic=$$!; \
	metrics=$$(mktemp -d); trap 'kill $$worker $$periodic; rm -rf $$metrics' EXIT; \
	PROMETHEUS_MULTIPROC_DIR=$$metrics DEMO=1 $(BIN)/granian --interface wsgi --host 127.0.0.1 --port $(PORT) --workers 2 \
		--blocking-threads 4 --no-ws motcua.wsgi:application

test: $(BIN)/.installed-test ## run the whole test suite, browser tests included
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed-test ## ruff check and format check, the layers (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(BIN)/.installed-test ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(BIN)/.installed-test ## print search speed, page weights and document render times (see README)
	$(BIN)/python -m bench

bench-dossiers: $(BIN)/.installed-test ## 1,000,000 dossiers on PostgreSQL: queue, lists, API, lookup, statistics (BENCH_PG_URL)
	$(BIN)/python -m bench.dossiers

bench-cluster: $(BIN)/.installed-test ## 2 app nodes behind nginx, 2 workers, the scheduler, from deploy/: one state, messages sent once
	@command -v nginx >/dev/null || { echo "make bench-cluster needs Debian's nginx: apt-get install -y nginx"; exit 1; }
	$(BIN)/python tools/bench_cluster.py

$(BIN)/.installed-load: $(BIN)/.installed-test
	$(BIN)/pip install -q -e '.[load]'
	touch $@

loadtest: $(BIN)/.installed-load ## LOAD_USERS (200) people for LOAD_SECONDS (60) on a fresh stack, then check no filing or SMS was lost or doubled
	$(BIN)/python -m tools.loadtest

faults: $(BIN)/.installed-load ## the load while PostgreSQL restarts, a worker dies, SMS is down, the media volume fills (as root); same checks
	LOAD_SECONDS=$${LOAD_SECONDS:-120} $(BIN)/python -m tools.faults

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lighthouse: $(BIN)/.installed node_modules/.installed ## Lighthouse (mobile) on the public pages served as in production: performance >= 95, accessibility 100
	$(BIN)/python tools/lighthouse.py

messages: $(BIN)/.installed ## refresh and compile the English translation
	$(BIN)/python manage.py makemessages -l en --no-obsolete -i '.venv/*' -i 'staticfiles/*'
	$(BIN)/python manage.py compilemessages -l en

migrations-check: $(BIN)/.installed ## fail if a model change has no migration
	DEMO=1 $(BIN)/python manage.py makemigrations --check --dry-run

deploy-check: $(BIN)/.installed ## Django's deployment checklist under production settings
	DEBUG=0 HTTPS=1 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=dichvucong.example.vn \
	  EMAIL_HOST=smtp.example.vn SMS_PROVIDERS=esms $(BIN)/python manage.py check --deploy --fail-level WARNING

clean: ## remove the virtualenv, the database and collected files
	rm -rf $(VENV) node_modules staticfiles motcua.sqlite3* test-output
