# Social Learning Suite: `make run` serves the sandbox, `make test` runs every test.
# Works without a terminal (CI=true, no standard input). Variables you may set:
#   PYTHON (python3), HOST (127.0.0.1), PORT (8000), PYTEST_ARGS, SLS_DB_TEST_NAME,
#   DUMP (a Stack Exchange site's dump folder, for the expert ranking evaluation).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
VENV := .venv
PY := $(VENV)/bin/python
DJANGO := DJANGO_SETTINGS_MODULE=sandbox.settings $(PY) -m django
PIP := PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 $(PY) -m pip install --quiet

# Debian packages are installed only when missing: as root, or through password-less sudo.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo -n)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0

SANDBOX_STAMP := $(VENV)/.sls-sandbox-installed
TEST_STAMP := $(VENV)/.sls-test-installed

.PHONY: help run sandbox test test-mariadb bench bench-ranking mariadb system-deps clean-sandbox

help:
	@echo "make run           serve the sandbox (Workbench + demo course) on http://$(HOST):$(PORT)"
	@echo "make test          run the whole test suite on SQLite (browser tests included)"
	@echo "make test-mariadb  the same suite on MariaDB at 127.0.0.1:3306 (started if needed)"
	@echo "make bench         forum (1,000 and 10,000 threads per cohort), blog (10,000 and 100,000 entries), expert finder (500 and 5,000 profiles), introductions (cohorts of 2,000; 1x and 10x) and LTI launch benchmarks, SQLite then MariaDB"
	@echo "make bench-ranking DUMP=path   the expert finder's ranking quality on a Stack Exchange site's dump (README)"
	@echo "                   on SQLite (SLS_DB=mariadb: MariaDB); make bench DUMP=path ends with it on both"
	@echo "make clean-sandbox forget the sandbox database (var/)"

# ----- environment ------------------------------------------------------------------------
$(PY):
	@if ! $(PYTHON) -c 'import ensurepip' >/dev/null 2>&1; then \
	  echo "Installing python3-venv (Python's venv needs it on Debian)"; \
	  $(APT) update && $(APT) install python3-venv; \
	fi
	$(PYTHON) -m venv $(VENV)

$(SANDBOX_STAMP): $(PY) setup.py setup.cfg requirements/base.txt requirements/lti.txt requirements/sandbox.txt
	@echo "Installing the suite and the XBlock Workbench into $(VENV)"
	$(PIP) -r requirements/sandbox.txt
	@touch $@

$(TEST_STAMP): $(SANDBOX_STAMP) requirements/test.txt | system-deps
	@echo "Installing the test tools into $(VENV)"
	$(PIP) -r requirements/test.txt
	@touch $@

# Chromium for the browser tests; gettext (msgfmt) for the catalogue tests; pkg-config and the client
# library to build mysqlclient.
system-deps:
	@need=""; \
	[ -x /usr/bin/chromium ] || need="$$need chromium"; \
	command -v msgfmt >/dev/null 2>&1 || need="$$need gettext"; \
	command -v pkg-config >/dev/null 2>&1 || need="$$need pkg-config"; \
	{ command -v pkg-config >/dev/null 2>&1 && \
	  { pkg-config --exists mysqlclient || pkg-config --exists mariadb; }; } || need="$$need default-libmysqlclient-dev"; \
	if [ -n "$$need" ]; then \
	  echo "Installing Debian packages:$$need"; \
	  $(APT) update && $(APT) install $$need; \
	fi

# ----- the sandbox ------------------------------------------------------------------------
var:
	@mkdir -p var

sandbox: $(SANDBOX_STAMP) | var
	$(DJANGO) migrate --run-syncdb --noinput -v 0
	$(DJANGO) seed_demo --base-url http://$(HOST):$(PORT)

run: sandbox
	$(DJANGO) runserver $(HOST):$(PORT)

clean-sandbox:
	rm -rf var/sandbox.sqlite3 var/djpyfs

# ----- tests ------------------------------------------------------------------------------
# Two workers (the machine's two cores); the browser tests stay together on one of them (conftest.py).
test: $(TEST_STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-mariadb: $(TEST_STAMP) mariadb
	SLS_DB=mariadb $(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The forum at 1,000 and 10,000 threads per cohort (growth per request), then the LTI launch.
BENCH_FORUM := -m bench.forum --sizes 1000,10000 --cohorts 4 --reads 60 --writes 20 --rounds 3
# The blog: 5,000 learners, 10,000 and 100,000 entries (growth per request).
BENCH_BLOG := -m bench.blog --sizes 10000,100000 --reads 60 --writes 30 --rounds 3
# The expert finder: profiles at 1x and 10x, 10 evidence records each (reduced size by default; issue 11's full
# size, 50,000 profiles and 500,000 evidence records: make bench BENCH_FINDER_SIZES=5000,50000).
BENCH_FINDER_SIZES ?= 500,5000
BENCH_FINDER := -m bench.finder --sizes $(BENCH_FINDER_SIZES) --reads 60 --rounds 3
# The introductions: cohorts of 2,000 introduced, the course at 1x and 10x (each request reads one cohort).
BENCH_INTRODUCTIONS := -m bench.introductions --per-cohort 2000 --cohorts-sizes 1,10 --reads 60 --rounds 3

bench: $(TEST_STAMP)
	$(PY) $(BENCH_FORUM)
	$(PY) $(BENCH_BLOG)
	$(PY) $(BENCH_FINDER)
	$(PY) $(BENCH_INTRODUCTIONS)
	$(PY) -m bench.lti
	$(MAKE) --no-print-directory mariadb
	SLS_DB=mariadb $(PY) $(BENCH_FORUM)
	SLS_DB=mariadb $(PY) $(BENCH_BLOG)
	SLS_DB=mariadb $(PY) $(BENCH_FINDER)
	SLS_DB=mariadb $(PY) $(BENCH_INTRODUCTIONS)
	SLS_DB=mariadb $(PY) -m bench.lti
	$(if $(DUMP),$(MAKE) --no-print-directory bench-ranking DUMP="$(DUMP)")
	$(if $(DUMP),SLS_DB=mariadb $(MAKE) --no-print-directory bench-ranking DUMP="$(DUMP)")

# The expert finder's ranking against two baselines on a real Q&A site (DUMP: the folder of its Posts.xml).
bench-ranking: $(TEST_STAMP)
	@if [ -z "$(DUMP)" ]; then echo "Give the folder of a Stack Exchange site's dump: make bench-ranking DUMP=path (see README)"; exit 2; fi
	$(PY) -m bench.finder_ranking --dump "$(DUMP)"

# MariaDB on 127.0.0.1:3306, user root with an empty password: installed and started when needed.
MARIADB_PING := $(PY) -c "import MySQLdb; MySQLdb.connect(host='127.0.0.1', port=3306, user='root', passwd='').close()"

mariadb: $(TEST_STAMP)
	@if ! $(MARIADB_PING) >/dev/null 2>&1; then \
	  [ -x /usr/sbin/mariadbd ] || { $(APT) update && $(APT) install mariadb-server; }; \
	  $(SUDO) install -d -o mysql -g mysql /run/mysqld; \
	  echo "Starting MariaDB"; \
	  $(SUDO) start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql; \
	  for i in $$(seq 1 60); do $(MARIADB_PING) >/dev/null 2>&1 && break; sleep 0.5; done; \
	  if ! $(MARIADB_PING) >/dev/null 2>&1; then \
	    echo "Letting root sign in over TCP with an empty password (test server only)"; \
	    $(SUDO) mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;" || true; \
	  fi; \
	  $(MARIADB_PING) || { echo "MariaDB does not answer on 127.0.0.1:3306 as root"; exit 1; }; \
	fi
