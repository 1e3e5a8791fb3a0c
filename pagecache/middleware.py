"""Serve public pages to anonymous readers from a cache until the content changes.

Readers of a news site ask for the same pages over and over; rendering one
costs queries and a template, a cached copy a dictionary look-up.  Every
public GET page (articles, lists, search results with their facet counts,
the APIs) is kept per address, host and language under the current content
stamp (``pagecache.stamp``) and sent with ``Cache-Control: max-age=
PAGE_CACHE_SECONDS`` so browsers (and, for pages without a form, proxies)
may reuse it as long.

Nothing personal is ever cached: only requests without credentials and with
no cookie but the language and CSRF ones, and only plain 200 responses that
set no cookie.  The one personal thing on a public page, the CSRF token of
the language switcher, is cut out of the cached copy and each reader's own
token put back in on the way out.  ``PAGE_CACHE_SECONDS = 0`` (the default
outside production) turns the whole thing off.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control

from . import stamp

_PRIVATE_PREFIXES = ("/admin/", "/i18n/")
_TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
_TOKEN_SLOT = b"\x00csrf-token\x00"  # never sent: replaced before a response leaves


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.path.startswith(_PRIVATE_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return set(request.COOKIES) <= {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def _cacheable_response(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.modified)
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


class PublicPageCacheMiddleware:
    """Last in ``MIDDLEWARE``, so the other middleware still add their headers to cached pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not _cacheable_request(request):
            return self.get_response(request)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = _key(request)
        response = cache.get(key)
        if response is not None:
            if _TOKEN_SLOT in response.content:
                response.content = response.content.replace(_TOKEN_SLOT, get_token(request).encode())
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            _store(cache, key, response, seconds)
        return response


def _store(cache, key, response, seconds) -> None:
    content = response.content
    token = _TOKEN_RE.search(content)
    # A page with a reader's token may stay in that reader's browser only.
    patch_cache_control(response, max_age=seconds, **({"private": True} if token else {"public": True}))
    if token:
        response.content = content.replace(token.group(1), _TOKEN_SLOT)
    cache.set(key, response, seconds)
    response.content = content


def _key(request) -> str:
    address = "\n".join((
        request.scheme, request.META.get("HTTP_HOST", ""), getattr(request, "LANGUAGE_CODE", ""),
        request.get_full_path(),
    ))
    return f"page:{stamp.current()}:{hashlib.sha256(address.encode()).hexdigest()}"
