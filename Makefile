# Two commands do everything on a fresh machine:
#   make run   - install, build the graph from the bundled corpus, open the explorer
#   make test  - install and run the whole test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= store

.PHONY: install run build test bench clean

$(BIN)/pskg: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/pskg

install: $(BIN)/pskg

build: install
	$(BIN)/pskg build --store $(STORE)

run: install
	$(BIN)/pskg app --store $(STORE) --rebuild

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/build_bench.py

clean:
	rm -rf $(STORE) bench/out
