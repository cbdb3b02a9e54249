# Safe Journey — `make run` and `make test` set up everything they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
APP_PORT ?= 8550
SYNC_PORT ?= 8600
DATA ?= var
KEYS ?= sync_server/dev_keys
# Debian packages: the browser the UI tests drive, fonts for every script, GNU gettext's msgfmt,
# nginx (a test serves the repository with sync_server/deploy/nginx.conf), PostgreSQL (the server
# tests run against SQLite and a real PostgreSQL server they start themselves).
DEBIAN_PACKAGES := chromium fonts-noto-core gettext nginx-light postgresql python3-venv
# Node and npm install the JavaScript the browser tests inject (axe-core, pinned in
# tests/e2e/package-lock.json). Checked by command: a machine may have them from another
# source (e.g. a nodejs package that bundles npm), and Debian's npm would conflict with it.
NODE_PACKAGES := nodejs npm
AXE := tests/e2e/node_modules/axe-core/axe.min.js

.PHONY: setup system-deps run test bench screenshots bundle translations clean

$(VENV)/.system-deps:
	@if ! dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBIAN_PACKAGES); \
	fi
	@if ! command -v npm >/dev/null 2>&1; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(NODE_PACKAGES); \
	fi
	@mkdir -p $(VENV) && touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.system-deps
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

$(AXE): tests/e2e/package-lock.json $(VENV)/.system-deps
	npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
	@touch $@

# Setup compiles the committed catalogs; it never rewrites them (a test checks they are current).
setup: $(VENV)/.installed $(AXE)
	@$(PY) -m app.i18n_tools compile

system-deps: $(VENV)/.system-deps

# Extract strings to translations/messages.pot, update every messages.po, compile the .mo files.
translations: $(VENV)/.installed
	@$(PY) -m app.i18n_tools extract
	@$(PY) -m app.i18n_tools update
	@$(PY) -m app.i18n_tools compile

# Signs under the root the app ships; after a key ceremony pass the online key: make bundle KEYS=DIR
bundle: $(VENV)/.installed
	$(PY) -m sync_server build-bundle --keys $(KEYS)

# Two server processes, as in production: the publisher holds the signing key (publishes the
# content staff approved, renews the timestamp; it only reads the database); `serve` serves the
# repository, the help-request API and the staff pages and holds no signing key (only the request
# key that opens requests).
run: setup
	@mkdir -p $(DATA)/sync-server && install -d -m 700 $(DATA)/sync-server/request-keys
	@# The DEVELOPMENT request key (its public half is in content/request_keys.yaml; serve finds a
	@# key by its value, whatever the file is called).
	@install -m 600 sync_server/dev_keys/request.key $(DATA)/sync-server/request-keys/development.key
	@# Once the server's store holds content its database is the truth: content/ is loaded only
	@# into an empty store (never over staff edits), and the publisher signs what staff approved.
	$(PY) -m sync_server content import --if-empty --from content --data $(DATA)/sync-server
	$(PY) -m sync_server publish --data $(DATA)/sync-server
	@$(PY) -m sync_server publisher --data $(DATA)/sync-server --interval 60 & PUBLISHER_PID=$$!; \
	  $(PY) -m sync_server serve --host 127.0.0.1 --port $(SYNC_PORT) --data $(DATA)/sync-server & \
	  SYNC_PID=$$!; trap "kill $$SYNC_PID $$PUBLISHER_PID 2>/dev/null" EXIT INT TERM; \
	  echo "Demo sync server: http://127.0.0.1:$(SYNC_PORT)/repository/"; \
	  echo "Staff pages:      http://127.0.0.1:$(SYNC_PORT)/staff/ (an account: echo PASSWORD | $(PY) -m sync_server user add --ns NP --role caseworker --email E --password-stdin --data $(DATA)/sync-server)"; \
	  echo "Safe Journey:     open http://127.0.0.1:$(APP_PORT)/ in your browser (Ctrl+C to stop)"; \
	  SAFE_JOURNEY_HOME=$(DATA)/app SAFE_JOURNEY_SERVER=http://127.0.0.1:$(SYNC_PORT)/repository/ \
	  FLET_SERVER_IP=127.0.0.1 FLET_WEB_NO_CDN=1 FLET_FORCE_WEB_SERVER=1 \
	  $(PY) -m app serve --port $(APP_PORT)

# The suite runs on every core (pytest-xdist): each worker process takes whole test files, so a
# file's module fixtures are built once, and the browser tests run one at a time on one worker
# (tests/conftest.py). `make test TEST_WORKERS=0` runs it all in one process.
TEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Benchmarks print figures (see BENCHMARKS.md); wrk and nginx are only needed here (PostgreSQL comes with setup).
# The main screens in en, ne, my, ur and id, to look at: artifacts/tour/ (not a test).
screenshots: setup
	$(PY) bench/screenshot_tour.py

bench: setup
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get install -y -qq wrk nginx-light; }
	$(PY) bench/bench_search.py
	$(PY) bench/bench_install.py
	$(PY) bench/bench_serve.py
	$(PY) bench/bench_startup.py
	$(PY) bench/bench_first_load.py
	$(PY) bench/bench_compress_once.py
	$(PY) bench/bench_privacy.py
	$(PY) bench/bench_update_bytes.py
	$(PY) bench/bench_publish.py
	$(PY) bench/bench_server_metadata.py
	$(PY) bench/bench_server_limits.py
	@if [ "$$(id -u)" = 0 ]; then $(PY) bench/bench_sync_2g.py; else echo "bench_sync_2g.py needs root (network namespace): sudo $(PY) bench/bench_sync_2g.py"; fi
	$(PY) bench/bench_background_bytes.py
	$(PY) bench/bench_intake.py
	$(PY) bench/bench_request_kills.py

clean:
	rm -rf $(DATA) artifacts
