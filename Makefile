# The two commands: `make run` and `make test`. Both work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
LOCALES := ar bn ckb fa gu pa pl ro ti ur
STAMP := $(VENV)/.installed
# Two test processes by default (CI has two cores); Redis tests share one worker.
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: run test install translations translations-compile lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations-compile

## Compile the UI catalogues (.mo files are built, never committed).
translations-compile: $(STAMP)
	$(BIN)/pybabel compile --statistics -d translations 2>&1 | grep -v '^compiling' || true

## Extract strings into messages.pot, update every catalogue, compile.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs ".* .venv" -k _l -k lazy_gettext -k ngettext:1,2 \
		--no-location --sort-output --omit-header -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(MAKE) translations-compile

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo ""
	@echo "Serving on http://127.0.0.1:5000 (press Ctrl+C to stop)."
	@echo "(The demo sign-ins are listed above. Staff accounts ask for a two-factor code:"
	@echo " run '.venv/bin/flask --app wsgi demo-code EMAIL' in another terminal to get one.)"
	@echo ""
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy citizen/selection
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/selection.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find translations -name '*.mo' -delete
