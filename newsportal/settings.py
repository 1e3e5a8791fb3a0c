"""Settings for the news portal, read from the environment.

With nothing set, the site runs on an SQLite file and a Whoosh index inside
the project (what `make run` uses), with DEBUG off and a secret key made
for this install in var/secret_key.  Production runs settings_production
(newsportal/wsgi.py's default) and sets DATABASE_URL (PostgreSQL),
SEARCH_INDEX_PATH, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def local_secret_key(path: Path) -> str:
    """The key in ``path``, made there (readable by this user only) the first time.

    For a site run without DJANGO_SECRET_KEY (``make run``): each install gets
    its own key, kept across restarts so sessions survive, and never in git.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    new = path.with_name(f".{path.name}.{os.getpid()}")
    new.write_text(secrets.token_urlsafe(50))
    new.chmod(0o600)
    try:
        os.link(new, path)  # atomic: of two processes starting at once, one key wins
    except FileExistsError:
        pass
    finally:
        new.unlink()
    return path.read_text().strip()


# Off unless asked for: a server started without settings must never show
# tracebacks or the settings to readers (`make run DEBUG=1` turns it on).
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or local_secret_key(
    Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / "var" / "secret_key")))
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    # before haystack: its rebuild_index command replaces Haystack's
    "search",
    "haystack",
    "articles",
    "entities",
    "editors",
    "feeds",
    "pagecache",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsportal.security.ContentSecurityPolicyMiddleware",
    "newsportal.security.PublicReadOnlyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, so cached pages still get every header above
    "pagecache.middleware.PublicPageCacheMiddleware",
    # turns a locked-out sign-in into the lockout page (django-axes wants it last)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsportal.urls"
WSGI_APPLICATION = "newsportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (editors, an import) wait their turn instead of
    # failing with "database is locked": readers never block the writer
    # (WAL), and a transaction takes the write lock when it begins, so it is
    # never refused a lock it would need halfway (SQLite can only refuse
    # that upgrade at once, without waiting).  Waits up to SQLITE_TIMEOUT s.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_TIMEOUT", "20")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "search.whoosh.backend.PortalWhooshEngine",
        "PATH": os.environ.get("SEARCH_INDEX_PATH", str(BASE_DIR / "var" / "whoosh_index")),
    },
}
# Index changes are applied after the database transaction commits.
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.OnCommitSignalProcessor"
# Worker processes that build the index of a large import (search.whoosh.bulk);
# 0: one fewer than the cores (one is left for the import itself).
SEARCH_INDEX_WORKERS = int(os.environ.get("SEARCH_INDEX_WORKERS", "0"))
# From this many articles on, an import is indexed by those workers.
SEARCH_INDEX_WORKER_THRESHOLD = int(os.environ.get("SEARCH_INDEX_WORKER_THRESHOLD", "2000"))
# Searches whose counts, facets and ranking each process keeps until the
# index changes (turning pages costs one search); 0 keeps none.
SEARCH_RANKINGS_KEPT = int(os.environ.get("SEARCH_RANKINGS_KEPT", "500"))

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords
# for one account from one address, that account is locked for that address
# for LOGIN_LOCKOUT_MINUTES, even with the right password; a successful sign-in
# clears the count.  Failures are kept in the database, shared by all workers.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "editors.lockout.locked_out"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic's output, served by whitenoise in production (settings_production).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
# Outside production whitenoise also serves static/ as it is, so `make run`
# needs no collectstatic, with DEBUG on or off.
WHITENOISE_USE_FINDERS = True

# One article (an agency text file or one line of a feed) is at most this
# large; a bigger one is refused before parsing.  Feeds may be of any size:
# they are read line by line.
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", str(2 * 1024 * 1024)))
# Admin uploads: a feed or archive at most this large; uploads larger than
# IMPORT_BACKGROUND_BYTES together are imported by a process of their own
# (editors/jobs.py), their files kept in IMPORT_JOBS_DIR until it is done.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_BYTES", str(1024 * 1024)))
IMPORT_JOBS_DIR = Path(os.environ.get("IMPORT_JOBS_DIR", BASE_DIR / "var" / "imports"))

# A name the recogniser finds in at least this many articles gets a public
# person page, marked as gathered automatically (entities/people.py).
PEOPLE_MIN_ARTICLES = int(os.environ.get("PEOPLE_MIN_ARTICLES", "3"))
# Request limits: form fields (not files) may total 2.5 MB; uploads bigger
# than 2.5 MB are streamed to a temporary file rather than held in memory;
# an admin upload carries at most 100 files.  The proxy in front caps the
# whole request body (see README: production).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 100

# Public pages are cached for anonymous readers until any content changes
# (pagecache/); off unless PAGE_CACHE_SECONDS > 0 (production turns it on).
# The cache and its stamp sit beside the index, one per install, shared by
# all its gunicorn workers: a page one worker rendered serves them all.
_INDEX_PATH = HAYSTACK_CONNECTIONS["default"]["PATH"].rstrip("/")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("PAGE_CACHE_PATH", _INDEX_PATH + ".page-cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
# How long browsers may show a cached page without asking again.  With 0 they
# ask every time and get a bodiless 304 while nothing changed, so no reader
# ever sees a page older than the last save; N seconds saves those round
# trips at the price of up to N seconds of staleness after an edit.
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "0"))
PAGE_CACHE_STAMP = os.environ.get("PAGE_CACHE_STAMP", _INDEX_PATH + ".content-stamp")
# The query parameters each page reads (by URL name): the page cache keys a
# page on these alone and drops any others before the page is rendered, so
# ``?cb=1``, ``?utm_source=…`` make no new copies.  A page not named here is
# cached at its bare address only (with any parameter it is rendered afresh).
# A parameter a page starts reading must be added here, or it is ignored
# whenever the page cache is on.
_SEARCH_PARAMETERS = ("q", "lang", "source", "from", "to", "sort", "exact", "page", "page_size")
PAGE_CACHE_PARAMETERS = {
    "home": (), "articles:list": ("lang", "page"), "articles:detail": (), "articles:detail-short": (),
    "api-article": (), "article-share": (), "search:search": _SEARCH_PARAMETERS, "api-search": _SEARCH_PARAMETERS,
    "search-feed": _SEARCH_PARAMETERS, "search-feed-rss": _SEARCH_PARAMETERS, "suggest": ("q", "limit", "format"),
    "entities:people": ("q", "page", "period", "language"), "entities:events": ("q", "page"), "entities:person": (), "entities:event": (),
    "entities:person-timeline": (), "entities:person-share": (), "entities:event-share": (),
    "entities:api-person": (), "entities:api-event": (),
    "feed-atom": (), "feed-rss": (), "feed-language-atom": (), "feed-language-rss": (), "feed-person": (),
    "feed-person-rss": (), "feed-event": (), "feed-event-rss": (), "sitemap": (), "sitemap-section": ("p",),
    "robots": (), "opensearch": (),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
