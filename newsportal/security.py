"""Content-Security-Policy for every response, and a read-only public site.

The site's pages load scripts, styles and fonts only from their own origin
and have no inline ``<script>`` or ``style=`` (the templates keep it so), so
the policy can forbid inline code outright: even if some article text ever
slipped past escaping, the browser would refuse to run it.  Django 5.2 has
no CSP support of its own (it arrives in 6.0), hence this small middleware.
"""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import reverse

DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy_header(policy):
    """Render a ``{directive: [sources]}`` mapping as a header value."""
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Add ``Content-Security-Policy`` (``settings.CONTENT_SECURITY_POLICY`` or the default)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(getattr(settings, "CONTENT_SECURITY_POLICY", None) or DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


class PublicReadOnlyMiddleware:
    """Refuse unsafe methods (POST, PUT, PATCH, DELETE) outside the admin and the language switch.

    The admin is the only way to write; enforcing that here rather than view
    by view means a new public page (a feed, a search) cannot become a write
    endpoint by accident.  ``settings.WRITABLE_URL_NAMES`` lists the URLs,
    by name, under which writes are allowed.
    """

    SAFE = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = None

    def __call__(self, request):
        if request.method not in self.SAFE and not self._writable(request.path_info):
            return HttpResponseNotAllowed(self.SAFE)
        return self.get_response(request)

    def _writable(self, path):
        if self.prefixes is None:  # the URLconf is not loaded yet when middleware is built
            names = getattr(settings, "WRITABLE_URL_NAMES", ["admin:index", "set_language"])
            self.prefixes = tuple(reverse(name) for name in names)
        return path.startswith(self.prefixes)
