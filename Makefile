# yusuan: `make demo` runs the main job on the bundled fixtures; `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
CORPUS ?= ../shared/corpus/real

.PHONY: install demo test eval fixtures lint clean

$(BIN)/yusuan: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[dev,dask]"
	@touch $@

install: $(BIN)/yusuan  ## create .venv and install the project with its dev tools

# `make demo PORTAL=1` serves the fixtures as a portal on 127.0.0.1 and ingests them through
# discovery and HTTP (the real fetch path, offline).
demo: install  ## ingest the bundled fixtures into ./warehouse.duckdb and print the findings
	$(BIN)/yusuan demo $(if $(PORTAL),--portal)

test: install  ## run the test suite
	$(BIN)/python -m pytest

eval: install  ## measure extraction on the real disclosures in $(CORPUS) (not in the repo)
	$(BIN)/yusuan eval --corpus $(CORPUS)

lint: install
	$(BIN)/ruff check .

# Re-render tests/fixtures (the PDFs are committed; tests never need this).
fixtures: install
	@fc-list 2>/dev/null | grep -q "AR PL UMing" && fc-list | grep -q "WenQuanYi Zen Hei" || \
	  (apt-get update -qq && apt-get install -y -qq fonts-arphic-uming fonts-wqy-zenhei)
	@command -v soffice >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui)
	$(BIN)/python -m pip install -q -e ".[dev,fixtures]"
	$(BIN)/python tests/fixtures/builder/build.py

clean:
	rm -rf $(VENV) data reports warehouse.duckdb warehouse.duckdb.wal .pytest_cache
