# Two commands for a fresh machine: `make run` and `make test`. Everything else is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
EMBEDDED := couchdb/embedded
NODE_STAMP := $(EMBEDDED)/node_modules/.installed
CLIENT := tests/client
CLIENT_STAMP := $(CLIENT)/node_modules/.installed
# The owned packages (couchdb/embedded/server/) are linked into node_modules, so only a change to
# their manifests needs a new install.
EMBEDDED_MANIFESTS := $(EMBEDDED)/package.json $(wildcard $(EMBEDDED)/server/*/package.json)
APP := app
APP_STAMP := $(APP)/node_modules/.installed
APP_BUILD := $(APP)/dist/index.html
APP_SOURCES := $(APP)/index.html $(APP)/vite.config.ts $(APP)/tsconfig.json $(APP)/src/sw.js \
	$(wildcard $(APP)/src/*.ts $(APP)/src/*.css $(APP)/src/ui/*.ts $(APP)/src/i18n/*.ts $(APP)/public/* $(APP)/print/*) \
	shared/numbering.js design_docs/schemas/business.json
CHROMIUM := /usr/bin/chromium
NOTO_DEVANAGARI := /usr/share/fonts/truetype/noto/NotoSansDevanagariUI-Regular.ttf
CADDY := /usr/bin/caddy
PYTEST_ARGS ?=

.PHONY: run test test-couchdb test-slow lint deps generate bench clean

# `make run COUCH_PORT=5985 PORT=8001` when the default ports are taken.
COUCH_PORT ?= 5984
PORT ?= 8000

run: deps
	$(PY) -m shopbill.services.ops.devrun --couch-port $(COUCH_PORT) --port $(PORT)

test: deps
	$(PY) -m pytest -rs $(PYTEST_ARGS)

# The same suite on Apache CouchDB (the production engine), started from COUCHDB_DIST
# (default ../shared/couchdb) on free ports with throwaway data dirs.
test-couchdb: deps
	SHOPBILL_TEST_ENGINE=couchdb $(PY) -m pytest -rs $(PYTEST_ARGS)

# Lint and types. mypy needs the import root `shopbill/` as a folder: a mirror of symlinks.
MYPY_ROOT := .cache/mypy-root
lint: $(PY_STAMP)
	$(VENV)/bin/ruff check services validators tests bench
	$(VENV)/bin/ruff format --check services validators tests bench
	mkdir -p $(MYPY_ROOT)/shopbill && touch $(MYPY_ROOT)/shopbill/__init__.py
	ln -sfn $(CURDIR)/services $(MYPY_ROOT)/shopbill/services
	ln -sfn $(CURDIR)/validators $(MYPY_ROOT)/shopbill/validators
	cd $(MYPY_ROOT) && $(CURDIR)/$(VENV)/bin/mypy --config-file $(CURDIR)/pyproject.toml \
		-p shopbill.services -p shopbill.validators

test-slow: deps
	$(PY) -m pytest -rs -m "slow or not slow" $(PYTEST_ARGS)

deps: $(PY_STAMP) $(NODE_STAMP) $(CLIENT_STAMP) $(APP_BUILD) $(CHROMIUM) $(NOTO_DEVANAGARI) $(CADDY)

$(PY_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# `npm ci` installs exactly the lockfile: PouchDB 9.0.0 from the registry, our packages from
# server/ (npm workspaces). Install scripts are skipped: leveldown loads its prebuilt binary at
# run time.
$(NODE_STAMP): $(EMBEDDED)/package-lock.json $(EMBEDDED_MANIFESTS)
	cd $(EMBEDDED) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# The reference sync client (real PouchDB) that the sync tests drive.
$(CLIENT_STAMP): $(CLIENT)/package-lock.json
	cd $(CLIENT) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# The shop app: exact lockfile install, then type check and static build into app/dist (served at /app/).
$(APP_STAMP): $(APP)/package-lock.json
	cd $(APP) && npm ci --no-audit --no-fund
	touch $@

$(APP_BUILD): $(APP_STAMP) $(APP_SOURCES)
	cd $(APP) && npm run build
	touch $@

# Debian's chromium for the app's browser tests (Playwright never downloads a browser), Noto
# fonts so Hindi and Tamil text renders in its screenshots, caddy to check the Caddyfile.
$(CHROMIUM) $(NOTO_DEVANAGARI) $(CADDY):
	scripts/install-apt.sh

# Benchmarks: a table on stdout, bench/results.json and the page generated from it,
# docs/benchmarks.md; QUICK=1 for small sizes.
bench: deps
	QUICK=$(QUICK) $(PY) -m bench.run
	$(PY) -m bench.report

generate: deps
	$(PY) -m shopbill.validators.generate
	$(PY) -m shopbill.services.ops.indexes

clean:
	rm -rf $(VENV) $(EMBEDDED)/node_modules $(CLIENT)/node_modules $(APP)/node_modules $(APP)/dist
