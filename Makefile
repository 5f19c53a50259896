# Two commands do everything on a fresh machine:
#   make run   - install, build the graph from the bundled corpus (when missing or stale), open the explorer
#   make test  - install and run the whole test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= store
PORT ?= 8501

.PHONY: install run build serve test bench bench-endpoint clean

$(BIN)/pskg: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/pskg

install: $(BIN)/pskg

build: install
	$(BIN)/pskg build --store $(STORE)

# builds the store only when it is missing or older than the corpus; `make run PORT=8600`
run: install
	$(BIN)/pskg app --store $(STORE) --port $(PORT)

serve: install
	test -d $(STORE) || $(BIN)/pskg build --store $(STORE)
	$(BIN)/pskg serve --store $(STORE)

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/build_bench.py

bench-endpoint: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/endpoint_bench.py --scale 1

clean:
	rm -rf $(STORE) bench/out
