"""Tags for what a page tells browsers and crawlers about itself."""

from urllib.parse import urlencode

from django import template

register = template.Library()

# Parameters that change what a page shows; anything else (tracking, order of
# parameters, page=1) is not part of the page's one address.
CANONICAL_PARAMS = ("q", "lang", "page")


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The absolute address of this page with only the parameters that matter.

    Views redirect other spellings of an article's address to its own, so
    the request path is already the canonical one.
    """
    request = context["request"]
    params = [(name, request.GET[name]) for name in CANONICAL_PARAMS if request.GET.get(name, "").strip()]
    params = [(name, value) for name, value in params if (name, value) != ("page", "1")]
    query = "?" + urlencode(params) if params else ""
    return request.build_absolute_uri(request.path) + query
