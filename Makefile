# gxnb: `make demo` and `make test` work on a fresh machine (they set themselves up first).
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup demo test bench clean

setup: $(VENV)/.installed
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-ocr.sh $(BIN)/python

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,demo]'
	touch $@

demo: setup
	$(BIN)/scrapy demo

test: setup
	$(BIN)/pytest -q -n auto --maxprocesses 4

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf output/gxnb.sqlite output/raw output/exports
