"""What a reader asked the search for, read from a request's GET parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from articles.dates import EARLIEST, LATEST, in_range, parse_date
from articles.models import Language
from articles.text import fold

from .querydates import parse_date_range

MAX_PAGE_SIZE = 100
MAX_RESULTS = 10_000  # deepest result a page may reach

SORTS = ("relevance", "date", "oldest")  # date: newest first
_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"", "0", "false", "off", "no"}


class InvalidParams(ValueError):
    """A search parameter that cannot be read; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SearchParams:
    """What a reader asked for; ``from_query_dict`` reads it from a request."""

    q: str = ""
    language: str = ""
    source: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    exact: bool = False
    page: int = 1
    page_size: int = 20

    @classmethod
    def from_query_dict(cls, data: Mapping[str, str], *, page_size: int = 20) -> SearchParams:
        """Read GET parameters (q, lang, source, from, to, sort, exact, page, page_size).

        Raises ``InvalidParams`` with a message a person can act on.
        """
        language = data.get("lang", "").strip()
        if language and language not in Language.values:
            raise InvalidParams("lang", _("lang must be one of %(choices)s") % {"choices": ", ".join(Language.values)})
        sort = data.get("sort", "").strip() or "relevance"
        if sort not in SORTS:
            raise InvalidParams("sort", _("sort must be relevance, date or oldest"))
        exact = data.get("exact", "").strip().lower()
        if exact not in _TRUE | _FALSE:
            raise InvalidParams("exact", _("exact must be 1 or 0"))
        params = cls(
            q=data.get("q", ""),
            language=language,
            source=data.get("source", "").strip()[:200],
            date_from=read_date(data, "from"),
            date_to=read_date(data, "to"),
            sort=sort,
            exact=exact in _TRUE,
            page=_read_int(data, "page", 1, 1, MAX_RESULTS),
            page_size=_read_int(data, "page_size", page_size, 1, MAX_PAGE_SIZE),
        )
        if params.date_from and params.date_to and params.date_from > params.date_to:
            raise InvalidParams("from", _("from must not be after to"))
        return params


def _read_int(data, name, default, low, high):
    value = data.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(fold(value))
    except ValueError:
        raise InvalidParams(name, _("%(name)s must be a whole number") % {"name": name}) from None
    if not low <= number <= high:
        raise InvalidParams(name, _("%(name)s must be between %(low)s and %(high)s") % {"name": name, "low": low, "high": high})
    return number


def read_date(data: Mapping[str, str], name: str) -> dt.date | None:
    """The day a ``from`` or ``to`` parameter names (None if empty).

    A named month or year ("آبان ۱۴۰۰", "سبتمبر 2023") starts on its first
    day as a "from" date and ends on its last as a "to" date.
    """
    value = data.get(name, "").strip()[:40]
    if not value:
        return None
    named = parse_date_range(value)
    if named is not None:
        day = named.start if name == "from" else named.end
    elif (parsed := parse_date(value)) is not None:
        day = parsed.value.date()
    else:
        raise InvalidParams(name, _("%(name)s must be a date such as 1400/08/10 or 2021-11-01") % {"name": name})
    if not in_range(day):  # outside it, no news is dated and the calendars disagree
        raise InvalidParams(name, _("%(name)s must be a date between %(earliest)s and %(latest)s") % {
            "name": name, "earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()})
    return day
