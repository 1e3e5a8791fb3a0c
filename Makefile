# Set-up and everyday commands.  `make run` and `make test` work on a fresh
# machine: they create .venv, install the pinned requirements, the web font
# and (for browser tests) Debian's chromium.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FONT := static/fonts/vazirmatn/Vazirmatn[wght].woff2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test deps dev-deps font chromium web-checkers migrate seed collectstatic lint messages clean bench ner-model

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

deps: $(VENV)/.installed font
dev-deps: $(VENV)/.dev-installed font chromium web-checkers

# The font comes from the npm registry package `vazirmatn`; pages stay
# readable with system fonts if npm is unavailable.
font: $(FONT)
$(FONT): package.json
	@mkdir -p static/fonts/vazirmatn
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --no-save --ignore-scripts >/dev/null && \
	  cp node_modules/vazirmatn/fonts/webfonts/Vazirmatn\[wght\].woff2 static/fonts/vazirmatn/ && \
	  cp node_modules/vazirmatn/OFL.txt static/fonts/vazirmatn/ ; \
	else echo "npm not found: using system fonts"; fi

# Accessibility and HTML validity tests: axe-core and the Nu Html Checker
# (vnu-jar) from the npm registry, pinned in package.json; vnu runs on the
# machine's Java (Debian's default-jre-headless), never a downloaded runtime,
# hence --ignore-scripts.
WEB_CHECKERS := node_modules/.web-checkers
web-checkers: $(WEB_CHECKERS)
$(WEB_CHECKERS): package.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --no-package-lock --ignore-scripts >/dev/null && touch $@; \
	else echo "npm not found: accessibility and HTML validity tests will be skipped"; fi
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "java missing: HTML validity tests will be skipped"; fi; \
	fi

# Browser tests drive Debian's chromium (never a downloaded browser).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (install Debian's chromium)"; fi; \
	fi

migrate: deps
	$(PY) manage.py migrate --noinput

# What `make run` imports: the seeds, or any files and folders named in
# ARTICLES (e.g. `make run ARTICLES=path/to/feeds`); the import prints its
# progress, indexes as it goes and links people and events.  An index an
# older version built is rebuilt first.
ARTICLES ?= seeds/
seed: migrate
	$(PY) manage.py load_knowledge_base
	$(PY) manage.py rebuild_index --if-outdated --noinput
	$(PY) manage.py import_articles $(ARTICLES) || [ $$? -eq 1 ]  # 1: some files rejected, the rest imported

# Readers get what a real site shows (DEBUG off: the localized error pages);
# `make run DEBUG=1` (or DJANGO_DEBUG=1) shows Django's debug pages instead.
# Static files come from static/ through whitenoise, a secret key for this
# install from var/secret_key (made the first time).  `make serve` only serves.
DEBUG ?= $(or $(DJANGO_DEBUG),0)
run: seed
	@$(MAKE) --no-print-directory serve

serve:
	DJANGO_DEBUG=$(DEBUG) $(PY) manage.py runserver $(HOST):$(PORT)

# Production serves hashed, gzipped copies of the static files from
# var/staticfiles (whitenoise); newsportal/gunicorn.conf.py collects them at
# every start, this by hand.  collectstatic signs nothing, so without a
# DJANGO_SECRET_KEY a placeholder satisfies the production settings.  The
# tests that run gunicorn with those settings need the copies.
collectstatic: deps
	DJANGO_SETTINGS_MODULE=newsportal.settings_production DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-collectstatic-signs-nothing} \
	  $(PY) manage.py collectstatic --noinput --verbosity 0

test: dev-deps collectstatic
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=newsportal.settings_test
	$(VENV)/bin/pytest

lint: dev-deps
	$(VENV)/bin/ruff check .

# People edit locale/*/LC_MESSAGES/django.po; the compiled .mo files are
# committed too, so `make run` and `make test` need no gettext.  After
# changing UI strings, `make messages` refreshes the .po files and
# recompiles (installing Debian's gettext when it is missing).
messages: deps
	@if ! command -v msgfmt >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "msgfmt missing: install Debian's gettext" >&2; exit 1; fi; \
	fi
	$(PY) manage.py makemessages --no-location -l fa -l ar -l en --ignore=.venv --ignore=node_modules --ignore=var --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# The person-name recogniser (entities/names.py), built again from the
# corpora in ../shared/corpora (or $$CORPORA): word clusters from untagged
# news, then the CRFs from the tagged news in ner/; writes the committed
# entities/data/clusters-{fa,ar}.v*.tsv, names-{fa,ar}.v*.crfsuite and lexicon-ar.v*.tsv
# (see entities/data/NAMES.md; about half an hour on a busy 2-core machine).
ner-model: $(VENV)/.dev-installed
	$(PY) bench/word_clusters.py
	$(PY) bench/name_words.py
	$(PY) bench/train_names.py

clean:
	rm -rf var db.sqlite3 node_modules static/fonts
