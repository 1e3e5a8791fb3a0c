"""Haystack's ``SearchQuery`` for the portal's Whoosh backend: a ``SearchQuerySet`` read into a plan.

``PortalSearchQuery.build_query()`` reads the ``SearchQuerySet``'s filter
tree into a ``Plan``: the content query (``search.language.PortalQuery``,
or Haystack's ``AutoQuery``/``Exact``/plain text) and the filters as a
Whoosh query.  ``search.whoosh.answers`` answers a plan (what
``PortalWhooshBackend.search`` runs).

What this backend cannot answer (other lookups, unknown fields,
``more_like_this``, raw or narrowing query strings, query facets other than
date ranges, boosts, other orders) raises ``UnsupportedQuery``: never a
silently wrong answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from haystack.backends import SPELLING_SUGGESTION_HAS_NOT_RUN, BaseSearchQuery, SearchNode
from haystack.constants import DJANGO_CT, ID
from haystack.exceptions import SearchBackendError
from haystack.inputs import AutoQuery, BaseInput, Clean, Exact, PythonData
from whoosh import query as wq

from articles.text import chains, fold_key

from ..language import ParsedQuery, PortalQuery, parse_query

CONTENT_FIELDS = ("content", "text")  # Haystack's name for the document field, and ours
FACET_FIELDS = ("language", "source", "via", DJANGO_CT)
TEXT_FIELDS = ("title",)  # analysed fields a filter may name
DATE_FIELDS = ("published",)
RANGE_LOOKUPS = {"gt", "gte", "lt", "lte", "range", "exact", "content"}


class UnsupportedQuery(SearchBackendError):
    """A ``SearchQuerySet`` call the portal's Whoosh backend does not answer."""


@dataclass(frozen=True)
class Content:
    """The scored part of a search: a parsed query and the exact-spelling switch."""

    parsed: ParsedQuery
    exact: bool = False


@dataclass(frozen=True)
class Plan:
    """What a ``SearchQuerySet`` asks, ready for the engine (hashable: a cache key)."""

    content: Content | None = None
    filters: wq.Query | None = None
    language: str = ""  # a language every result has (chooses Arabic or Persian word variants)

    def __str__(self):
        return f"content={self.content!r} filters={self.filters!r}"


# --- from Haystack's filter tree to a plan ------------------------------------------


class PortalSearchQuery(BaseSearchQuery):
    """Builds a ``Plan`` from the filter tree instead of a query string."""

    def build_query(self) -> Plan:
        contents, filters = [], []
        for parent, child in _conjuncts(self.query_filter):
            if not isinstance(child, SearchNode) and _is_content(parent, child):
                contents.append(content_query(*self._split(parent, child)))
            else:
                filters.append(self._filter(parent, child))
        if len(contents) > 1:
            raise UnsupportedQuery("the portal's backend takes one content query per search (combine them in one PortalQuery)")
        if self.models:
            filters.append(wq.Or([wq.Term(DJANGO_CT, m._meta.label_lower) for m in sorted(self.models, key=str)]))
        if self.boost:
            raise UnsupportedQuery("the portal's backend does not boost terms (boost())")
        language = next((f.text for f in filters if isinstance(f, wq.Term) and f.fieldname == "language"), "")
        combined = None if not filters else filters[0] if len(filters) == 1 else wq.And(filters)
        return Plan(contents[0] if contents else None, combined, language)

    def _split(self, node, child):
        expression, value = child
        field, lookup = node.split_expression(expression)
        return field, lookup, value

    def _filter(self, parent, child) -> wq.Query:
        if isinstance(child, SearchNode):
            parts = [self._filter(child, c) for c in child.children]
            query = parts[0] if len(parts) == 1 else (wq.And(parts) if child.connector == SearchNode.AND else wq.Or(parts))
            return wq.AndNot(wq.Every(), query) if child.negated else query
        field, lookup, value = self._split(parent, child)
        if field in CONTENT_FIELDS:
            raise UnsupportedQuery("a content query must be one of the search's AND-ed filters (not inside OR or NOT)")
        return _field_filter(field, lookup, value)

    def build_query_fragment(self, field, filter_type, value):
        raise UnsupportedQuery("the portal's backend builds a plan, not query strings")

    def run(self, spelling_query=None, **kwargs):
        """Run the plan; a spelling suggestion is made only when asked for."""
        search_kwargs = self.build_params(spelling_query=spelling_query)
        if spelling_query is not None:
            search_kwargs["spelling_query"] = spelling_query
        search_kwargs.update(kwargs)
        results = self.backend.search(self.build_query(), **search_kwargs)
        self._results = results.get("results", [])
        self._hit_count = results.get("hits", 0)
        self._facet_counts = self.post_process_facets(results)
        if "spelling_suggestion" in results:
            self._spelling_suggestion = results["spelling_suggestion"]

    def get_spelling_suggestion(self, preferred_query=None):
        """"Did you mean" for ``preferred_query``, or for the words of the content query."""
        if self._spelling_suggestion is SPELLING_SUGGESTION_HAS_NOT_RUN:
            if preferred_query is None:
                content = self.build_query().content
                preferred_query = content.parsed.text if content else ""
            # the results, if read already, stay: only the suggestion is asked for
            self._spelling_suggestion = self.backend.spelling_suggestion(preferred_query)
        return self._spelling_suggestion

    def run_mlt(self, **kwargs):
        raise UnsupportedQuery("the portal's backend has no more_like_this()")

    def run_raw(self, **kwargs):
        raise UnsupportedQuery("the portal's backend takes no raw query strings (raw_search()); use PortalQuery")


def _conjuncts(node):
    """The parts of ``node`` that must all hold, nested ANDs flattened: (parent, child) pairs."""
    if not node:
        return
    if node.connector != SearchNode.AND or node.negated:
        yield None, node
        return
    for child in node.children:
        if isinstance(child, SearchNode) and child.connector == SearchNode.AND and not child.negated:
            yield from _conjuncts(child)
        else:
            yield node, child


def _is_content(node, child) -> bool:
    return node.split_expression(child[0])[0] in CONTENT_FIELDS


def content_query(field, lookup, value) -> Content:
    """The ``Content`` of a content filter's value (``PortalQuery``, Haystack's inputs, plain text)."""
    if lookup not in ("content", "contains", "exact"):
        raise UnsupportedQuery(f"the portal's backend cannot search {field} with __{lookup}")
    if isinstance(value, PortalQuery):
        return Content(value.parsed, value.exact)
    if isinstance(value, AutoQuery):  # words, "phrases" and -exclusions: the portal's language
        return Content(parse_query(value.query_string))
    if isinstance(value, Exact) or lookup == "exact":
        text = value.query_string if isinstance(value, BaseInput) else str(value)
        return Content(ParsedQuery(phrases=(text,)))
    if isinstance(value, BaseInput) and not isinstance(value, (Clean, PythonData)):
        raise UnsupportedQuery(f"the portal's backend does not read {type(value).__name__} inputs; use PortalQuery")
    # Haystack's plain text: every word must appear.
    text = value.query_string if isinstance(value, BaseInput) else str(value)
    return Content(ParsedQuery(phrases=tuple(text.split())))


def _field_filter(field, lookup, value) -> wq.Query:
    if isinstance(value, BaseInput):
        value = value.query_string
    if field in DATE_FIELDS:
        return _date_filter(field, lookup, value)
    if field in TEXT_FIELDS:
        return _text_filter(field, lookup, str(value))
    if field == "django_id" or field not in (ID, *FACET_FIELDS):
        raise UnsupportedQuery(f"the portal's backend cannot filter on {field!r}")
    if lookup in ("content", "exact"):
        return wq.Term(field, str(value))
    if lookup == "in":
        values = [str(v) for v in value]
        return wq.Or([wq.Term(field, v) for v in values])  # none: matches nothing
    raise UnsupportedQuery(f"the portal's backend cannot filter {field} with __{lookup}")


def _text_filter(field, lookup, value) -> wq.Query:
    if lookup in ("content", "contains"):  # every word, analysed as the field is
        # each word in either language's chain (the field holds each article's own)
        words: dict[int, set[str]] = {}
        for term in chains.analyze(value):
            if not term.part and not term.stop:
                words.setdefault(term.pos, set()).add(term.text)
        if not words:
            raise UnsupportedQuery(f"the {field} filter has no searchable word")
        return wq.And([wq.Or([wq.Term(field, t) for t in sorted(terms)]) for terms in words.values()])
    if lookup == "startswith":  # the commonest index terms starting so (search.whoosh.translate)
        return wq.Prefix(field, fold_key(value))
    raise UnsupportedQuery(f"the portal's backend cannot filter {field} with __{lookup}")


def _date_filter(field, lookup, value) -> wq.Query:
    if lookup not in RANGE_LOOKUPS:
        raise UnsupportedQuery(f"the portal's backend cannot filter {field} with __{lookup}")
    if lookup == "range":
        start, end = value
        return wq.DateRange(field, index_time(start), index_time(end))
    moment = index_time(value)
    return {
        "gt": lambda: wq.DateRange(field, moment, None, startexcl=True),
        "gte": lambda: wq.DateRange(field, moment, None),
        "lt": lambda: wq.DateRange(field, None, moment, endexcl=True),
        "lte": lambda: wq.DateRange(field, None, moment),
        "exact": lambda: wq.DateRange(field, moment, moment),
        "content": lambda: wq.DateRange(field, moment, moment),
    }[lookup]()


def index_time(value) -> dt.datetime:
    """A moment as the index stores it: naive UTC.  A date is its midnight, and a
    naive moment its time, in the current time zone (as Django reads them)."""
    if not isinstance(value, dt.datetime):
        if not isinstance(value, dt.date):
            raise UnsupportedQuery(f"a date filter takes dates or datetimes, not {type(value).__name__}")
        value = dt.datetime.combine(value, dt.time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(dt.UTC).replace(tzinfo=None)
