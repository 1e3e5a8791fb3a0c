"""Serve public pages to anonymous readers from a cache until the content changes.

Readers of a news site ask for the same pages over and over; rendering one
costs queries and a template, a cached copy a file read.  Every public GET
page (articles, lists, search results with their facet counts, the APIs)
is kept per address, host and language under the current content stamp
(``pagecache.stamp``), so an editor's save retires every copy at once.  The
address is the path with only the parameters the page reads
(``PAGE_CACHE_PARAMETERS``, by URL name), in one order: others are dropped
before the page is rendered, so junk such as ``?cb=123`` neither makes a new
copy nor shows up in one.  A page that does not say what it reads is cached
at its bare address only.

Nothing personal is ever cached: only requests without credentials and with
no cookie but the language and CSRF ones, and only plain 200 responses that
set no cookie.  The one personal thing on a public page, the CSRF token of
the language switcher, is cut out of the cached copy and each reader's own
token put back in on the way out.  ``PAGE_CACHE_SECONDS = 0`` (the default
outside production) turns the whole thing off.

HTTP caching rides on the same copies.  Each carries an ``ETag``: a hash of
the copy without its token, so it changes exactly when the page does, and a
browser asking again with ``If-None-Match`` gets a bodiless 304 without any
rendering while the page is unchanged, and the new page once an edit
changed it.  ``Cache-Control: max-age=PAGE_CACHE_BROWSER_SECONDS`` (0 by
default: always ask) is ``public`` for pages without a token (APIs, feeds)
and ``private`` for pages with one (every HTML page): a token is one
reader's, so only that reader's browser may keep the page, and its ETag
also names the reader's CSRF secret, so a 304 never brings back a token the
reader's cookie no longer matches (after signing in and out).  ``Vary:
Accept-Language, Cookie``: the language comes from either.  Requests with a
session (signed-in editors) are never cached anywhere: ``private, no-store``.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.http import QueryDict
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control, patch_vary_headers

from . import stamp

_PRIVATE_PREFIXES = ("/admin/", "/i18n/")
_TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
_TOKEN_SLOT = b"\x00csrf-token\x00"  # never sent: replaced before a response leaves
_DIGEST = "X-Page-Digest"  # kept on the cached copy only, never sent


def _signed_in(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.path.startswith(_PRIVATE_PREFIXES):
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
        if _signed_in(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):  # the admin sets its own; share images are the same for all
                add_never_cache_headers(response)
            return response
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not _cacheable_request(request):
            return self.get_response(request)
        if not _keep_read_parameters(request):
            return self.get_response(request)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = _key(request)
        page = cache.get(key)
        if page is None:
            page = self.get_response(request)
            if not _cacheable_response(request, page):
                return page
            _make_impersonal(page)
            cache.set(key, page, seconds)
        return _serve(request, page)


def _keep_read_parameters(request) -> bool:
    """Drop the query parameters the page does not read; False if it does not say which it reads and has some."""
    try:
        names = settings.PAGE_CACHE_PARAMETERS.get(resolve(request.path_info).view_name)
    except Resolver404:
        names = None
    if names is None:
        return not request.GET
    kept = QueryDict(mutable=True)
    for name in sorted(names):
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    query = kept.urlencode()
    if query != request.META.get("QUERY_STRING", ""):
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
    return True


def _make_impersonal(response) -> None:
    """Cut the reader's CSRF token out of ``response`` and note a digest of what is left."""
    token = _TOKEN_RE.search(response.content)
    if token:
        response.content = response.content.replace(token.group(1), _TOKEN_SLOT)
    response[_DIGEST] = hashlib.blake2b(response.content, digest_size=16).hexdigest()


def _serve(request, page):
    """``page`` (a cached copy) for this reader: a 304 if their copy is current, else with their own token."""
    personal = _TOKEN_SLOT in page.content
    digest = page[_DIGEST]
    del page[_DIGEST]
    if personal:
        if "CSRF_COOKIE" not in request.META:  # a new reader: the page gives them a secret anyway
            get_token(request)
        # Any masking of the reader's secret is a valid token: their copy stays good as long as the secret.
        secret = hashlib.blake2b(request.META["CSRF_COOKIE"].encode(), digest_size=6).hexdigest()
        etag = f'W/"{digest}-{secret}"'  # weak: readers' copies differ in the token's masking only
    else:
        etag = f'"{digest}"'
    page["ETag"] = etag
    patch_cache_control(page, max_age=settings.PAGE_CACHE_BROWSER_SECONDS, **{"private" if personal else "public": True})
    patch_vary_headers(page, ("Accept-Language", "Cookie"))
    response = get_conditional_response(request, etag=etag, response=page)
    if response is page and personal:
        page.content = page.content.replace(_TOKEN_SLOT, get_token(request).encode())
    return response


def _key(request) -> str:
    address = "\n".join((
        request.scheme, request.META.get("HTTP_HOST", ""), getattr(request, "LANGUAGE_CODE", ""),
        request.get_full_path(),
    ))
    return f"page:{stamp.current()}:{hashlib.sha256(address.encode()).hexdigest()}"
