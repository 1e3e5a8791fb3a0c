"""Production settings: the normal settings, hardened (`manage.py check --deploy` is clean).

Run the site with ``DJANGO_SETTINGS_MODULE=newsportal.settings_production``.
DEBUG is always off here, whatever DJANGO_DEBUG says, so a production
server never shows a debug page.  Behind a TLS-terminating proxy, set:

- ``DJANGO_PROXY_SSL_HEADER=X-Forwarded-Proto`` so Django knows a request
  came in over HTTPS (only if the proxy always sets or strips that header);
- ``DJANGO_SECURE_SSL_REDIRECT=0`` if the proxy itself redirects HTTP to HTTPS;
- ``DJANGO_CSRF_TRUSTED_ORIGINS=https://news.example`` (comma-separated).

HSTS is a year with subdomains and preload; ``DJANGO_HSTS_SECONDS``,
``DJANGO_HSTS_INCLUDE_SUBDOMAINS`` and ``DJANGO_HSTS_PRELOAD`` change it.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

# A check the operator has answered on purpose is not a warning any more.
SILENCED_SYSTEM_CHECKS = []

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")  # the proxy redirects
_proxy_header = os.environ.get("DJANGO_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")

SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Anonymous readers get cached pages until the content changes (pagecache/).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))

# Static files get a content hash in their names, so whitenoise can send them
# with a ten-year, immutable max-age, and a gzip copy beside each (whitenoise's
# storage; newsportal/storage.py lets the optional web font be missing).  Both
# are made by collectstatic, which newsportal/gunicorn.conf.py runs before the
# app loads (``make collectstatic`` does the same by hand).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "newsportal.storage.ProductionStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False  # only the collected, hashed copies
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
