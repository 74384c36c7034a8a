# Everything a newcomer needs: `make serve` and `make test` set up what is missing.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
NGINX ?= /usr/sbin/nginx
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup serve build build-public check test bench chromium nginx clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (playwright cannot download its own here).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "需要 $(CHROMIUM)：请以 root 运行 make test，或先执行 apt-get install chromium"; exit 1; fi; \
	fi

# Debian's nginx for the web-server test (tests/test_nginx.py runs it on 127.0.0.1
# with the shipped config; the system service is not used) and openssl for its password file.
nginx:
	@if [ ! -x $(NGINX) ] || ! command -v openssl >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx openssl >/dev/null; \
	  else echo "需要 $(NGINX)：请以 root 运行 make test，或先执行 apt-get install nginx openssl"; exit 1; fi; \
	fi

# `casebook serve` says in Chinese when the port is taken (PORT=8001 make serve).
serve: $(STAMP)
	@$(VENV)/bin/casebook serve --port $(PORT)

build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

build-public: $(STAMP)
	CASEBOOK_PROFILE=public $(VENV)/bin/mkdocs build --strict

check: $(STAMP)
	$(VENV)/bin/casebook check

# lint-imports: the layer contracts in pyproject.toml (core, search, importer, adapters).
test: $(STAMP) chromium nginx
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -q -p no:cacheprovider

# make bench SIZES=2000,10000,50000 (default 2000,10000); BENCH_ARGS for the rest, e.g. --json FILE
bench: $(STAMP) chromium
	$(PY) scripts/bench.py $(if $(SIZES),--sizes $(SIZES)) $(BENCH_ARGS)
	$(PY) scripts/bench_build.py $(if $(SIZES),--sizes $(SIZES))

clean:
	rm -rf site .pytest_cache
