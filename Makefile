# photosite — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AWS_PORT ?= 4566
ADDR ?= 127.0.0.1:8000

# Local mode: DEBUG on, every AWS call goes to the embedded emulator with throwaway credentials.
LOCAL_ENV := DJANGO_DEBUG=true \
	AWS_ENDPOINT_URL=http://127.0.0.1:$(AWS_PORT) \
	AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_SESSION_TOKEN= \
	PHOTOSITE_DEMO_USERS=true \
	PHOTOSITE_SITE_ORIGIN=http://$(ADDR)

.PHONY: run test lint install clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

run: install
	mkdir -p var
	$(LOCAL_ENV) $(PY) manage.py runlocal $(ADDR)

lint: install
	$(VENV)/bin/ruff check .

test: lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
