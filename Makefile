# The two commands: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test venv install clean serve sample messages bench bench-data

# Finds Python >= 3.12: $(PYTHON), then python3.x on PATH, then pyenv's versions.
define FIND_PYTHON
for c in "$${PYTHON:-}" python3.14 python3.13 python3.12 python3 \
         $$(ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  [ -n "$$c" ] || continue; \
  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$c"; exit 0; fi; \
done; exit 1
endef
export FIND_PYTHON

$(PY):
	@py=$$(bash -c "$$FIND_PYTHON") || { \
	  echo "No Python 3.12 or newer found. Install one (e.g. 'pyenv install 3.13' or 'apt-get install python3.12')"; \
	  echo "or point to it: make PYTHON=/path/to/python3.12 ..."; exit 1; }; \
	echo "Using $$py ($$($$py --version))"; \
	"$$py" -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

venv install: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	DJANGO_DEBUG=true $(PY) manage.py load_sample
	DJANGO_DEBUG=true $(PY) manage.py create_local_editor
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	TECHFLOW_TESTING=true $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	TECHFLOW_TESTING=true $(PY) -m pytest $(PYTEST_ARGS)

messages: $(STAMP)
	DJANGO_DEBUG=true $(PY) manage.py makemessages -l fr --ignore=.venv --ignore=tests --ignore=bench

# The benchmark (README, "Speed"): content once, then the run. PostgreSQL database techflow_bench by default.
BENCH_DB ?= postgresql://postgres@127.0.0.1:5432/techflow_bench
bench-data: $(STAMP)
	DATABASE_URL=$(BENCH_DB) TECHFLOW_BENCH=true DJANGO_DEBUG=true $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=$(BENCH_DB) TECHFLOW_BENCH=true DJANGO_DEBUG=true $(PY) manage.py generate_content --articles 10000

bench: $(STAMP)
	$(PY) bench/run.py --database-url $(BENCH_DB) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
