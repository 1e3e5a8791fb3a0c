"""The date a search names, offered and shown as a filter the reader can remove.

The search page shows it through ``search.views.PAGE_HOOKS`` (registered by
the feeds app); any other page can use ``{% date_filter %}``.  Reading
``q``, ``from`` and ``to`` from the request, ``includes/date_filter.html`` shows:

* with ``from``/``to`` set: "articles from <range>" and a link without them;
* otherwise, when ``q`` names a date ("زلزله آبان ۱۴۰۰"): a link that searches
  the other words within that date's range.
"""

import datetime as dt

from django import template
from django.utils import translation

from articles.dates import parse_date
from search.querydates import describe_range, find_date_range, parse_date_range

register = template.Library()


def _day(value: str, name: str) -> dt.date | None:
    # read as the search reads its from/to: ISO, Jalali "1400/08/10", any digits,
    # or a named month or year ("آبان ۱۴۰۰"), its first day as "from", its last as "to"
    value = value[:40]
    if not value.strip():
        return None
    named = parse_date_range(value)
    if named is not None:
        return named.start if name == "from" else named.end
    parsed = parse_date(value)
    return parsed.value.date() if parsed else None


def _link(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


def date_filter_context(request) -> dict | None:
    """``{"date_filter": …}``: the applied range with a remove link, or the range ``q`` names as an offer."""
    lang = (translation.get_language() or "fa").split("-")[0]
    start, end = _day(request.GET.get("from", ""), "from"), _day(request.GET.get("to", ""), "to")
    if start or end:
        mode = "range" if start and end else "since" if start else "until"
        return {"date_filter": {"applied": mode, "label": describe_range(start or end, end or start, lang),
                                "remove_url": _link(request, **{"from": None, "to": None})}}
    found = find_date_range(request.GET.get("q", ""))
    if found is None:
        return None
    return {"date_filter": {"offer": True, "label": found.label(lang), "matched": found.matched,
                            "apply_url": _link(request, q=found.rest, **found.params())}}


@register.inclusion_tag("includes/date_filter.html", takes_context=True)
def date_filter(context):
    """``{% date_filter %}``: the date filter of the page's request (see ``date_filter_context``)."""
    return date_filter_context(context["request"]) or {}


def search_page_hook(request, params, result):
    """``search.views.PAGE_HOOKS`` entry: the date filter above the search results."""
    found = date_filter_context(request)
    return ("includes/date_filter.html", found) if found else None
