# rasid: two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
# the compiled build (setup.py: mypyc), apart from the editable pure-Python one
FAST     := .venv-fast
FASTSTAMP := $(FAST)/.installed
# (the web UI's static files too: the compiled build is a non-editable install that copies them)
SOURCES  := setup.py pyproject.toml $(shell find src/rasid -type f \( -name '*.py' -o -name '*.tsv' -o -name '*.yaml' -o -name '*.json' -o -name '*.md' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.geojson' -o -name '*.png' \))

.PHONY: run test test-compiled lint bench fast install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(DEVSTAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# mypyc compiles the pipeline modules (about 2 minutes); a non-editable install, so
# src/ stays pure Python and edits there need `make fast` again
$(FASTSTAMP): $(SOURCES)
	test -x $(FAST)/bin/python || $(PYTHON) -m venv $(FAST)
	$(FAST)/bin/python -m pip install -q --upgrade pip "setuptools>=77" wheel "mypy>=1.11,<3"
	RASID_COMPILE=1 $(FAST)/bin/pip install -q --no-build-isolation '.[dev]'
	$(FAST)/bin/python -c "from rasid.pipeline import compiled; assert compiled(), 'not compiled'"
	touch $@

fast: $(FASTSTAMP)

install: $(STAMP)
install-dev: $(DEVSTAMP)

## Extract events from the bundled sample articles, print them, store them, and serve the web app on them.
run: $(STAMP)
	mkdir -p out
	$(BIN)/rasid extract examples/articles --out out/events.jsonl --summary
	$(BIN)/rasid annotate examples/articles --format html --out out/annotate.html
	$(BIN)/rasid ingest examples/articles --db out/rasid.db
	@echo "events: out/events.jsonl   mentions page: out/annotate.html   store: out/rasid.db (rasid events --db out/rasid.db)"
	@echo "web app: http://127.0.0.1:8000/  (API docs: http://127.0.0.1:8000/docs; Ctrl-C stops it)"
	$(BIN)/rasid serve --db out/rasid.db --host 127.0.0.1 --port 8000

# The store's tests also run on a throw-away PostgreSQL server (tests/store_db.py), and the UI's in
# Debian's Chromium (tests/web): install them when missing and we can (root, apt-get); otherwise
# those tests say they are skipped.
test: $(DEVSTAMP)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make test: installing PostgreSQL for the store tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	      || echo "make test: could not install PostgreSQL; its tests will be skipped"; \
	  else echo "make test: no PostgreSQL server binaries; its tests will be skipped"; fi; }
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make test: installing Chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "make test: could not install Chromium; the browser tests will be skipped"; \
	  else echo "make test: no /usr/bin/chromium; the browser tests will be skipped"; fi; }
	$(BIN)/python -m pytest

## The same tests against the compiled build: both builds must give the same events.
test-compiled: $(FASTSTAMP)
	$(FAST)/bin/python -m pytest -p no:cacheprovider

lint: $(DEVSTAMP)
	$(BIN)/ruff check src tests bench tools setup.py
	$(BIN)/ruff format --check src tests bench tools setup.py

## Throughput of the pure-Python build (what `make run` uses), then of the compiled one.
bench: $(STAMP) $(FASTSTAMP)
	$(BIN)/python bench/bench_extract.py
	$(FAST)/bin/python bench/bench_extract.py

clean:
	rm -rf $(VENV) $(FAST) out build *.egg-info
