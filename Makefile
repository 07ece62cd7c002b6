# eCRM developer commands.  `make help` lists them.
SHELL := /bin/bash
PYTHON ?= .venv/bin/python
# extra pytest arguments, e.g. make test PYTEST_ARGS="-k duplicate -x"
PYTEST_ARGS ?=
# bench/run.py arguments, e.g. make bench BENCH_ARGS="--customers 5000"
BENCH_ARGS ?=
TEST_PATHS = $(wildcard addons/*/tests tests)

.PHONY: help install run test test-sqlite test-postgresql test-clean clean \
	bench

help:
	@echo "make install          install or update .venv, the addons and sao (setup/install.sh)"
	@echo "make run              create/update the database and start the server (setup/run.sh)"
	@echo "make test             all tests: addons/*/tests and tests/ (SQLite unless"
	@echo "                      TRYTOND_DATABASE__URI names a PostgreSQL server)"
	@echo "make test-postgresql  the same on PostgreSQL; needs TRYTOND_DATABASE__URI=postgresql://..."
	@echo "make test-clean       forget cached test databases (var/test-cache)"
	@echo "make bench            benchmarks on SQLite and PostgreSQL, 100,000 customers;"
	@echo "                      writes bench/results/*.json (bench/README.md)"

install:
	./setup/install.sh

run:
	./setup/run.sh

$(PYTHON):
	@echo "no $(PYTHON): run ./setup/install.sh first" >&2; exit 1

test: | $(PYTHON)
	$(PYTHON) -m pytest $(TEST_PATHS) $(PYTEST_ARGS)

test-sqlite: | $(PYTHON)
	env -u TRYTOND_DATABASE__URI $(PYTHON) -m pytest $(TEST_PATHS) $(PYTEST_ARGS)

test-postgresql: | $(PYTHON)
	@case "$$TRYTOND_DATABASE__URI" in postgresql://*) ;; \
	  *) echo "make test-postgresql: set TRYTOND_DATABASE__URI=postgresql://USER[:PASSWORD]@HOST:PORT/" >&2; exit 2 ;; \
	esac
	$(PYTHON) -m pytest $(TEST_PATHS) $(PYTEST_ARGS)

bench: | $(PYTHON)
	$(PYTHON) bench/run.py $(BENCH_ARGS)

test-clean:
	rm -rf var/test-cache

clean: test-clean
	find addons tests setup -name __pycache__ -type d -prune -exec rm -rf {} +
