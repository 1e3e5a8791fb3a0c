"""The search the site offers: parameters in, a page of results out.

``run_search(SearchParams)`` is the one entry point the search page, the
search API and feeds share.  It asks the index through Haystack's
``SearchQuerySet`` only (``search_queryset`` builds it), so it runs the
same on the portal's Whoosh backend and on any backend that reads
``search.language.PortalQuery``.

Other apps can add related articles to a result (see ``EXPANDERS``).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, reduce

import jdatetime
from django.utils.encoding import iri_to_uri
from haystack.query import SQ, SearchQuerySet

from articles.dates import GREGORIAN_YEARS, JALALI_MONTHS, JALALI_YEARS, TEHRAN
from articles.text import words

from .expansion import Expansion, expand, known_names
from .language import PortalQuery, parse_query, without_phrases
from .other_spellings import OtherSpelling, weigh
from .params import MAX_RESULTS, SearchParams

FACETS = ("language", "source")
ORDERS = {"date": "-published", "oldest": "published"}  # relevance: the backend's own order
CALENDARS = ("jalali", "gregorian")
SUGGEST_BELOW = 5  # "did you mean" for searches finding fewer articles


class PageOutOfRange(LookupError):
    """The page asked for is past the last page of results."""


@dataclass
class Hit:
    """One article in a result list, read from the index's stored fields."""

    id: int
    title: str
    path: str
    language: str
    published: dt.datetime | None
    source: str
    source_file: str
    external_id: str
    score: float = 0.0
    highlighted: dict = field(default_factory=dict, repr=False)
    date_only: bool = True  # the index keeps the day; the article page shows the time

    @classmethod
    def of(cls, result) -> Hit:
        """The hit of a Haystack ``SearchResult``."""
        return cls(
            id=int(result.pk), title=getattr(result, "title", ""), path=iri_to_uri(getattr(result, "path", "")),
            language=getattr(result, "language", ""), published=getattr(result, "published", None),
            source=getattr(result, "source", ""), source_file=getattr(result, "source_file", ""),
            external_id=getattr(result, "external_id", ""), score=result.score or 0.0,
            highlighted=getattr(result, "highlighted", None) or {},
        )

    @property
    def snippet(self) -> str:
        """HTML: the best passage, escaped, with <mark> around matched words."""
        return self.highlighted["text"][0] if "text" in self.highlighted else ""

    @property
    def title_html(self) -> str:
        """HTML: the title with matched words marked."""
        return self.highlighted["title"][0] if "title" in self.highlighted else self.title


@dataclass
class RelatedGroup:
    """Articles another app adds to a search ("also about <person>")."""

    label: str
    hits: list[Hit]


@dataclass(frozen=True)
class DateBucket:
    """A year or a month (in a reader's calendar) and how many results fall in it."""

    calendar: str  # "jalali" or "gregorian"
    year: int
    month: int | None  # None: the whole year
    first: dt.date
    last: dt.date
    count: int

    @property
    def jalali_month(self) -> str:
        """The Jalali month's name (a Gregorian month is named by Django's date format)."""
        return JALALI_MONTHS[self.month - 1] if self.calendar == "jalali" and self.month else ""


@dataclass
class SearchResult:
    """A page of results with what a result page shows around it."""

    params: SearchParams
    count: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str = ""
    related: list[RelatedGroup] = field(default_factory=list)
    dates: list[DateBucket] = field(default_factory=list)  # years, or the months of the chosen year
    phrases_dropped: bool = False  # the phrases found nothing: these are the results for their words
    also_spelled: tuple[OtherSpelling, ...] = ()  # other scripts' spellings of its unknown names

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.count, MAX_RESULTS) / self.params.page_size))


# Hooks other apps register to add related articles: each is called with the
# params and the result page and returns ``(label, [article ids])`` pairs.
EXPANDERS: list[Callable[[SearchParams, SearchResult], list[tuple[str, list[int]]]]] = []


@dataclass(frozen=True)
class Named:
    """What a query names beyond its own words: what other apps know, other scripts' spellings."""

    expansion: Expansion = Expansion()
    spelled: tuple[OtherSpelling, ...] = ()

    @property
    def included(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``PortalQuery``'s ``spelled``: each word's spellings counted into the results (what
        the apps know a word also spells, then the other scripts' trusted spellings)."""
        by_word: dict[str, list[str]] = {word: list(others) for word, others in self.expansion.words}
        for s in self.spelled:
            if s.included:
                by_word.setdefault(s.word, []).append(s.spelling)
        return tuple((word, tuple(spellings)) for word, spellings in by_word.items())


def named_in(params: SearchParams) -> Named:
    """What ``params.q`` names: the registered expanders' answer, and the other scripts'
    spellings of its other name-like words (when the backend can look them up)."""
    if params.exact or not params.q.strip():
        return Named()
    expansion = expand(params.q)
    finder = getattr(SearchQuerySet().query.backend, "other_spellings", None)
    if finder is None:
        return Named(expansion)
    # a word the apps know is a name of theirs, not an unknown one to transliterate
    known = frozenset(w for spelling in expansion.spellings for w in words(spelling))
    known |= {word for word, _others in expansion.words}
    spelled = weigh(finder(parse_query(params.q).text, known), known_names)
    return Named(expansion, tuple(s for s in spelled if params.language in ("", s.language)))


def search_queryset(params: SearchParams, named: Named | None = None) -> SearchQuerySet:
    """The ``SearchQuerySet`` of a search: its query, filters and order (no facets or slice).

    ``named`` is what ``named_in(params)`` gives, when the caller has it already.
    """
    wanted = []
    if params.q.strip():
        # what other apps know the query names (other spellings, linked articles)
        named = named or named_in(params)
        wanted.append(SQ(content=PortalQuery(params.q, exact=params.exact, also=named.expansion.spellings,
                                             article_ids=named.expansion.article_ids, spelled=named.included)))
    if params.language:
        wanted.append(SQ(language=params.language))
    if params.source:  # the article's source or the agency it quotes
        wanted.append(SQ(source=params.source) | SQ(via=params.source))
    if params.date_from:
        wanted.append(SQ(published__gte=dt.datetime.combine(params.date_from, dt.time(), TEHRAN)))
    if params.date_to:  # a day is a reader's day in Tehran
        wanted.append(SQ(published__lte=dt.datetime.combine(params.date_to, dt.time.max, TEHRAN)))
    # One filter() and one order_by(): each call copies the whole query.
    sqs = SearchQuerySet().filter(reduce(operator.and_, wanted)) if wanted else SearchQuerySet()
    if params.sort in ORDERS:
        sqs = sqs.order_by(ORDERS[params.sort])
    return sqs


def run_search(params: SearchParams, *, calendar: str | None = None) -> SearchResult:
    """Search published articles; raises ``PageOutOfRange`` past the last page.

    With a ``calendar`` ("jalali" or "gregorian") the result counts its
    articles per year of that calendar, or per month when the dates asked
    for are one whole year.  A search whose quoted phrases find nothing
    gives the results for their words instead (``phrases_dropped``).
    """
    try:
        result = _run_search(params, calendar)
    except PageOutOfRange:
        if not _phrases_may_drop(params):
            raise
        result = None
    if result is not None and (result.count or not _phrases_may_drop(params)):
        return result
    result = _run_search(replace(params, q=without_phrases(params.q)), calendar)
    result.params, result.phrases_dropped = params, True
    return result


def _phrases_may_drop(params: SearchParams) -> bool:
    return not params.exact and bool(parse_query(params.q).phrases)


def _run_search(params: SearchParams, calendar: str | None) -> SearchResult:
    named = named_in(params)
    sqs = search_queryset(params, named)._clone()
    # Facets and highlighting added to this copy's query: a copy per call would copy the query each time.
    for name in FACETS:
        sqs.query.add_field_facet(name)
    buckets = _date_buckets(params, calendar) if calendar else ()
    # What add_query_facet() does, without looking up the field's facet name ~200
    # times: "published" has no faceted copy in the index (search.search_indexes).
    sqs.query.query_facets.extend(("published", _range_query(b.first, b.last)) for b in buckets)
    sqs.query.add_highlight()
    start = (params.page - 1) * params.page_size
    end = min(params.page * params.page_size, MAX_RESULTS)
    hits = [Hit.of(r) for r in sqs[start:max(start, end)]]
    count = sqs.count()
    if params.page > 1 and start >= min(count, MAX_RESULTS):
        raise PageOutOfRange(params.page)
    facets = sqs.facet_counts().get("fields", {})
    result = SearchResult(params, count, hits, {name: facets.get(name, []) for name in FACETS},
                          also_spelled=named.spelled)
    if buckets:
        counts = sqs.facet_counts().get("queries", {})
        result.dates = [
            DateBucket(b.calendar, b.year, b.month, b.first, b.last, n) for b in buckets
            if (n := counts.get(f"published:{_range_query(b.first, b.last)}", 0))
        ]
    text = parse_query(params.q).text
    if not params.exact and text.strip() and count < SUGGEST_BELOW:
        result.suggestion = sqs.spelling_suggestion(text) or ""
        if set(words(result.suggestion)) <= set(words(text)) | {s.term for s in named.spelled}:
            result.suggestion = ""  # the "also spelled" line offers it already
    result.related = _related(params, result)
    return result


def _year(calendar: str, year: int) -> tuple[dt.date, dt.date]:
    if calendar == "jalali":
        return jdatetime.date(year, 1, 1).togregorian(), jdatetime.date(year + 1, 1, 1).togregorian() - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month(calendar: str, year: int, month: int) -> tuple[dt.date, dt.date]:
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    if calendar == "jalali":
        first, after = jdatetime.date(year, month, 1).togregorian(), jdatetime.date(*following, 1).togregorian()
    else:
        first, after = dt.date(year, month, 1), dt.date(*following, 1)
    return first, after - dt.timedelta(days=1)


@cache
def _range_query(first: dt.date, last: dt.date) -> str:
    """Days ``first``..``last`` (a reader's days, in Tehran) as a query facet's range."""
    def utc(day):
        return dt.datetime.combine(day, dt.time(), TEHRAN).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"[{utc(first)} TO {utc(last + dt.timedelta(days=1))}}}"


@cache
def _years(calendar: str) -> tuple[DateBucket, ...]:
    years = JALALI_YEARS[1:-1] if calendar == "jalali" else GREGORIAN_YEARS
    return tuple(DateBucket(calendar, y, None, *_year(calendar, y), 0) for y in reversed(years))


def _date_buckets(params: SearchParams, calendar: str) -> tuple[DateBucket, ...]:
    """The years of ``calendar`` (newest first), or the months of the one year ``params`` asks for."""
    if calendar not in CALENDARS:
        raise ValueError(f"calendar must be one of {CALENDARS}")
    for year in _years(calendar):
        if (params.date_from, params.date_to) == (year.first, year.last):
            return tuple(DateBucket(calendar, year.year, m, *_month(calendar, year.year, m), 0) for m in range(1, 13))
    return _years(calendar)


def _related(params, result) -> list[RelatedGroup]:
    groups = []
    for expander in EXPANDERS:
        for label, ids in expander(params, result):
            shown = {h.id for h in result.hits}
            wanted = [pk for pk in ids[:10] if pk not in shown]
            if not wanted:
                continue
            found = SearchQuerySet().filter(id__in=[f"articles.article.{pk}" for pk in wanted])
            if params.q.strip():  # their snippets mark the search's words
                found = found.highlight(query=PortalQuery(params.q, exact=params.exact))
            else:
                found = found.highlight()
            by_id = {hit.id: hit for hit in map(Hit.of, found[:len(wanted)])}
            hits = [by_id[pk] for pk in wanted if pk in by_id]
            if hits:
                groups.append(RelatedGroup(label, hits))
    return groups
