# Mina sidor — one target per task. `make help` lists them.
# The two that matter: `make run` (set up everything and start the portal) and `make test` (run everything).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_FOR_VENV ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# --- Set-up -----------------------------------------------------------------------------------------

$(VENV)/.installed: pyproject.toml requirements/lock.txt
	test -x $(PY) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip sync --quiet --python $(PY) requirements/lock.txt
	$(BIN)/uv pip install --quiet --python $(PY) --no-deps -e .
	mkdir -p var/db
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

.PHONY: install
install: $(VENV)/.installed assets messages ## Create the virtual environment and install everything (Python, npm, assets, translations)

.PHONY: system-deps
system-deps: ## Install the Debian packages the project needs (chromium, xmlsec1, gettext, pango, DejaVu fonts) when missing
	bash scripts/system-deps.sh

.PHONY: assets
assets: node_modules/.installed ## Build the CSS and JavaScript from the npm packages
	node scripts/build-assets.mjs

.PHONY: messages
messages: $(VENV)/.installed ## Compile the message catalogues (Swedish, English)
	$(MANAGE) compilemessages --verbosity 0

.PHONY: translations
translations: $(VENV)/.installed ## Collect new interface strings into the Swedish catalogue (then translate them)
	$(MANAGE) makemessages --locale sv --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore '*/tests/*' --ignore 'tests/*'

.PHONY: lock
lock: $(VENV)/.installed ## Re-resolve the locked Python versions after changing pyproject.toml (development and production locks)
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/lock.txt
	# A production install takes only what the portal runs on, at the development lock's versions (issue 12.6).
	$(BIN)/uv pip compile --quiet pyproject.toml --python-version 3.11 --generate-hashes -c requirements/lock.txt \
	  -o requirements/production.txt

.PHONY: migrate
migrate: install ## Migrate the portal's and the back office's databases
	mkdir -p var/db
	$(MANAGE) migrate --verbosity 0
	$(MANAGE) migrate --database backoffice --verbosity 0

.PHONY: demo-data
demo-data: migrate ## Create the demo persons and a synthetic population of 10 000 (with their statements)
	$(MANAGE) seed_demo --bankid-persons var/simulators/bankid/persons.json
	$(MANAGE) seed_population --persons 10000 --seed 1 --quiet
	$(MANAGE) console_agent K1001 --name "Kim Kundberg" > /dev/null
	$(MANAGE) console_agent K2002 --name "Sam Svarsson" > /dev/null
	$(MANAGE) seed_demo_handler

# --- Running ----------------------------------------------------------------------------------------

.PHONY: test-seal
test-seal: install ## Make the development seal of receipts (a test CA, seal and time-stamping keys) in var/test-seal/
	$(PY) -m minasidor.signing.development_seal var/test-seal

.PHONY: prod-up
prod-up: system-deps install ## Start the production stack on this machine: nginx (TLS, https://127.0.0.1:19443/), two portal instances, the back office API, workers, simulators; PostgreSQL and Redis (test-only certificates)
	$(PY) scripts/prod_stack.py up

.PHONY: prod-down
prod-down: ## Stop every process of the production stack and check that nothing is left
	$(PY) scripts/prod_stack.py down

.PHONY: prod-journey
prod-journey: system-deps install ## Start the production stack, log in through nginx on instance A, stop A, go on on B, then stop it all
	MINASIDOR_PROD_STACK=1 $(BIN)/pytest -p no:cacheprovider tests/e2e/test_production_stack.py

.PHONY: load
load: system-deps install ## Load test (locust, headless, bounded: LOAD_USERS, LOAD_SECONDS, LOAD_INSTANCES) of the login peak against the production stack with 2 then 1 instance: logins/s, polls/s, p50/p95/p99, CPU per request
	timeout 1800 $(PY) scripts/load_run.py --users $${LOAD_USERS:-30} --seconds $${LOAD_SECONDS:-60} \
	  --instances $${LOAD_INSTANCES:-2,1}

.PHONY: faults
faults: system-deps install ## The fault suite, full form: each fault of issue 21 against the production stack under load, a table of outcomes and counts
	timeout 3600 $(PY) scripts/fault_suite.py

# The stack always runs on its own PostgreSQL databases, whatever the test run's database: once per CI run is
# enough, so the PostgreSQL half (DATABASE_URL set) skips it. Bounded: each fault once, a few seconds each.
.PHONY: faults-short
faults-short: system-deps install ## The fault suite, shortened (each fault once, bounded in time; part of make test)
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "faults-short: ran in the SQLite half (the stack has its own PostgreSQL databases)"; \
	else timeout 1200 $(PY) scripts/fault_suite.py --short; fi

.PHONY: run
run: system-deps demo-data test-seal ## Set up everything and start the portal on http://127.0.0.1:8000 with its simulators
	HOST=$(HOST) PORT=$(PORT) bash scripts/run-dev.sh

# --- Checks and tests -------------------------------------------------------------------------------

.PHONY: lint
lint: install ## Lint (ruff) and check formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: format
format: install ## Format the code (ruff) and fix what the linter can fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: types
types: install ## Check types (mypy, strict, with django-stubs)
	$(BIN)/mypy src tests conftest.py $(wildcard benchmarks)

.PHONY: contracts
contracts: install ## Check the import contracts (import-linter)
	$(BIN)/lint-imports --no-cache

.PHONY: migrations-check
migrations-check: install ## Fail when a model change has no migration
	$(MANAGE) makemigrations --check --dry-run --verbosity 1

.PHONY: deploy-check
deploy-check: install ## Run Django's deployment checks against the production profile
	bash scripts/deploy-check.sh

.PHONY: audit
audit: install ## Known vulnerabilities in the locked packages (pip-audit, needs PyPI) and bandit on src/
	bash scripts/audit.sh

.PHONY: unit
unit: install ## Unit and integration tests
	$(BIN)/pytest -m "not e2e" -n 2

.PHONY: e2e
e2e: system-deps install ## Browser journeys in headless Chromium, with axe-core
	$(BIN)/pytest -m e2e

.PHONY: screenshots
screenshots: system-deps install ## Photograph the overview, forecast and Min Pension page at 375 and 1280 px into docs/screenshots/
	$(BIN)/pytest -m e2e -q tests/e2e/screenshots.py

.PHONY: test
test: system-deps install lint types contracts migrations-check deploy-check audit unit e2e faults-short ## Run everything: lint, types, contracts, migrations, unit, browser, the fault suite (short)

.PHONY: bench
bench: install ## Benchmarks: print figures and ratios (engine population forecast; BankID status polling; issue 21's peak figures in one block (poll CPU vs a bare endpoint, polls/s sustained by 2 workers, first overview); statement run; Min pension overview and forecast; PDF documents; seals and signatures; the application from signature to receipt, and the grant; My cases; the DPoP replay store; Core Web Vitals)
	$(PY) benchmarks/engine_bench.py
	$(PY) benchmarks/bankid_status_bench.py
	$(PY) benchmarks/peak_figures.py --redis redis://127.0.0.1:6379/15
	$(PY) benchmarks/statements_bench.py
	$(PY) benchmarks/pdf_bench.py
	$(PY) benchmarks/signing_bench.py
	$(PY) benchmarks/application_bench.py
	$(PY) benchmarks/cases_bench.py
	$(PY) benchmarks/dpop_proofs_bench.py
	$(BIN)/pytest -m e2e -q -s tests/e2e/web_vitals.py

.PHONY: vitals
vitals: system-deps install ## Core Web Vitals (LCP, CLS, an INP proxy) and page weights of four pages in Chromium on slow 4G (prints a table)
	$(BIN)/pytest -m e2e -q -s tests/e2e/web_vitals.py

.PHONY: clean
clean: ## Remove the virtual environment, node modules, built assets and local databases
	rm -rf $(VENV) node_modules var src/minasidor/ui/static/ui/build
	find src -name '*.mo' -delete
