# Shortcuts; the README's two commands work without make too.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test test-postgres fuzz lint bench translations

$(VENV):
	python3 -m venv $(VENV)

run: $(VENV)
	$(VENV)/bin/pip install -e . && $(VENV)/bin/matchmaker demo

test: $(VENV)
	$(VENV)/bin/pip install -e '.[test]' && $(VENV)/bin/pytest

test-postgres: $(VENV)
	MATCHMAKER_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(VENV)/bin/pytest

# Schemathesis against the served API (installs the fuzz extra; see the README's "Tests and CI")
fuzz:
	python3 .ci/fuzz_api.py

lint:
	$(VENV)/bin/ruff check .

bench:
	$(PY) bench/bench_engine.py

# After changing user-visible strings: extract, merge into nb, translate, compile.
translations:
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output \
	  --omit-header -o matchmaker/translations/messages.pot .
	$(VENV)/bin/pybabel update -i matchmaker/translations/messages.pot -d matchmaker/translations \
	  --no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d matchmaker/translations
