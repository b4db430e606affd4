# Two commands on a fresh machine: `make demo` and `make test`.
# `make demo` installs only what kansen needs to run; `make test`, `make lint` and `make bench`
# add the test and benchmark tools on top (each install is remembered by a stamp file).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# uv (from PyPI) installs the same packages several times faster than pip (measured: 39 s
# against 5 min 44 s on a busy 2-core machine); pip stays the fallback wherever uv cannot.
install = ($(PIP) uv && $(BIN)/uv pip install --quiet --python $(BIN)/python $(1)) || $(PIP) $(1)
RUN := $(VENV)/.installed-run
DEV := $(VENV)/.installed-dev
BENCH := $(VENV)/.installed-bench
# In a variable: a comma written in $(call …)'s arguments would split them.
TEST_EXTRAS := ".[dev,bench]"

.PHONY: demo test lint bench translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN): $(BIN)/python pyproject.toml setup.py
	$(call install,-e .)
	touch $(RUN)

# The suite runs the benchmarks once in miniature (tests/test_benchmarks_smoke.py), so the
# test tools come with the benchmarks' references (DuckDB).
$(DEV): $(RUN)
	$(call install,-e $(TEST_EXTRAS))
	touch $(DEV)

$(BENCH): $(DEV)
	touch $(BENCH)

demo: $(RUN)
	rm -rf demo-campaign
	$(BIN)/kansen demo demo-campaign

# On every core, a test file per worker at a time (its module fixtures built once); the
# workers share one demo (tests/conftest.py).
test: $(DEV)
	$(BIN)/python -m pytest -n auto --dist loadfile

lint: $(DEV)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(BENCH)
	$(BIN)/python benchmarks/run_all.py

# After editing a .po file in src/kansen_cli/locale/nl/: compile the catalogue kansen reads,
# and list the messages that still have no Dutch translation (the suite fails on them too).
translations: $(RUN)
	$(BIN)/python -m kansen_cli.i18n_catalog compile
	$(BIN)/python -m kansen_cli.i18n_catalog missing

clean:
	rm -rf $(VENV) demo-campaign .pytest_cache .mypy_cache .ruff_cache
