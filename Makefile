# The two commands of the README: `make site` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP_FLAGS ?= -q --disable-pip-version-check

.PHONY: site test check lint serve bench golden fuzz clean

$(VENV)/.site: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.lint: pyproject.toml $(VENV)/.site
	$(PY) -m pip install $(PIP_FLAGS) -e '.[lint]'
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.site
	$(PY) -m pip install $(PIP_FLAGS) -e '.[test]'
	touch $@ $(VENV)/.lint  # the test extra includes the lint extra

site: $(VENV)/.site  ## install, then build the shipped catalog into site/
	$(PY) -m generator build

check: $(VENV)/.site  ## validate the catalog and openapi.yaml
	$(PY) -m generator check

lint: $(VENV)/.lint  ## install the linters, then run ruff (lint and format), mypy and the layering contract
	$(VENV)/bin/ruff check generator
	$(VENV)/bin/ruff format --check generator
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

serve: $(VENV)/.site  ## build, serve on localhost and rebuild on changes
	$(PY) -m generator serve

test: $(VENV)/.test  ## install test deps (Debian's chromium, nginx and Caddy when missing, the examples' npm packages), run every test
	bash scripts/install-chromium.sh
	bash scripts/install-proxies.sh
	if command -v npm >/dev/null; then npm ci --prefix tests/js --no-audit --no-fund --loglevel=error; fi
	$(PY) -m pytest

golden: $(VENV)/.test  ## rebuild tests/golden/catalog and rewrite its expected output in tests/golden/expected
	$(PY) -m tests.golden

fuzz: $(VENV)/.test  ## mutate the catalog and specs at random, 10,000 inputs through `check`; prints what it found
	EMPIRIOLABS_FUZZ=fuzz $(PY) -m pytest -q -p no:cacheprovider tests/test_fuzz.py

bench: $(VENV)/.site  ## build synthetic catalogs of 79, 1,000 and 10,000 models against the naive layout
	$(PY) -m bench.run --sizes 79,1000,10000 --naive-sizes 79,1000 --skewed-sizes 1000,10000

clean:
	rm -rf $(VENV) site .site-* test-artifacts
