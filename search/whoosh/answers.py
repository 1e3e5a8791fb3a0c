"""Answering a ``SearchQuerySet``'s plan (``search.whoosh.query``) as Haystack's backends answer ``search()``.

Every match is counted, faceted and ranked with ``search.whoosh.engine``
and the answer is kept until the index changes (``search.caches.RANKINGS``);
a slice reads its results from the kept ranking.  Scores are BM25F, each
multiplied by the share of the query's words a text has (coordination);
filters score nothing.  Results are Haystack ``SearchResult`` objects with
the stored fields; ``highlight()`` adds the portal's own snippets.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from haystack.constants import DJANGO_CT, DJANGO_ID
from haystack.models import SearchResult
from whoosh import query as wq
from whoosh import scoring

from articles.text import chains, query_language

from .. import caches, spelling
from ..highlight import QueryTerms, highlight
from ..language import ExactCheck, parse_query
from . import engine
from .query import DATE_FIELDS, FACET_FIELDS, Plan, UnsupportedQuery, content_query, index_time
from .translate import build_query, expand_prefixes

# Ranking, tuned on bench/search_quality.py (not on the seeds); the query's
# own weights are in search.whoosh.translate.
COORDINATION = 0.5  # power of the share of query words a text has (tuned on Hamshahri and qa-dev together)
# An article in another language than the query's letters tell scores this
# much less: it comes first only when it matches clearly better.
OTHER_LANGUAGE = 0.85
WEIGHTING = scoring.BM25F(B=0.75, K1=1.2)

SORTS = {"score": None, "-score": None, "-published": "newest", "published": "oldest"}
MIN_DEPTH = 100  # ranked at least this deep: turning to the next pages costs nothing more
EXACT_CHECKS = 2_000  # stored texts an exact-spelling search reads at most


@dataclass(frozen=True)
class _Ranking:
    """What a search found, whatever slice is read: kept while the index is unchanged."""

    count: int
    fields: dict[str, list[tuple[str, int]]]
    dates: dict[str, list[tuple[dt.datetime, int]]]
    ranges: dict[str, int]  # query facets: "field:[start TO end}" -> count
    docnums: tuple[int, ...]  # the best first, as deep as asked
    scores: tuple[float, ...]
    depth: int
    terms: QueryTerms  # what the hits' snippets mark


def search(backend, plan: Plan, *, start_offset=0, end_offset=None, sort_by=None, facets=None, date_facets=None,
           highlight=False, spelling_query=None, result_class=None, query_facets=None, narrow_queries=None,
           within=None, dwithin=None, distance_point=None, boost=None, models=None, fields=None, **kwargs) -> dict:
    """Answer a plan as Haystack's backends answer ``search()``: results, hits, facets, spelling."""
    if not isinstance(plan, Plan):
        raise UnsupportedQuery("the portal's backend takes no query strings; use SearchQuerySet with PortalQuery")
    if narrow_queries or within or dwithin or distance_point or boost:
        raise UnsupportedQuery("the portal's backend has no narrow(), boost() or spatial search")
    if kwargs:
        raise UnsupportedQuery(f"the portal's backend does not take {', '.join(sorted(kwargs))}")
    order = _order(sort_by or [])
    facet_fields = tuple(sorted(facets or {}))
    for name in facet_fields:
        if name not in FACET_FIELDS:
            raise UnsupportedQuery(f"the portal's backend cannot facet on {name!r}")
    date_spec = _date_spec(date_facets or {})
    range_spec = tuple(_query_facet(field, text) for field, text in query_facets or ())
    searcher = backend.shared_searcher(WEIGHTING)
    version = backend.index_version(searcher)
    end = end_offset if end_offset is not None else None
    key = (version, plan, order, facet_fields, date_spec, range_spec)
    ranking = caches.RANKINGS.get(key)
    if ranking is None or (end is None and ranking.depth < ranking.count) or (end is not None and ranking.depth < end):
        ranking = _rank(searcher, plan, order, facet_fields, date_spec, range_spec, end)
        caches.RANKINGS.put(key, ranking)
    stop = len(ranking.docnums) if end is None else min(end, len(ranking.docnums))
    page = slice(start_offset, max(start_offset, stop))
    terms = ranking.terms
    if isinstance(highlight, Mapping) and highlight.get("query") is not None:
        terms = _terms(searcher, Plan(content_query("content", "content", highlight["query"]), language=plan.language))
    result_class = result_class or SearchResult
    results = [_result(result_class, searcher.stored_fields(d), s, terms if highlight else None)
               for d, s in zip(ranking.docnums[page], ranking.scores[page], strict=True)]
    answer = {"results": results, "hits": ranking.count,
              "facets": {"fields": ranking.fields, "dates": ranking.dates, "queries": ranking.ranges}}
    if spelling_query is not None or backend.include_spelling:
        text = spelling_query if spelling_query is not None else (plan.content.parsed.text if plan.content else "")
        answer["spelling_suggestion"] = spelling_suggestion(backend, text)
    return answer


def _order(sort_by) -> str | None:
    orders = []
    for name in sort_by:
        if name not in SORTS:
            raise UnsupportedQuery(f"the portal's backend orders by {', '.join(SORTS)}, not {name!r}")
        orders.append(SORTS[name])
    if len(orders) > 1:
        raise UnsupportedQuery("the portal's backend orders by one field")
    return orders[0] if orders else None


def _date_spec(date_facets) -> tuple:
    spec = []
    for name, details in sorted(date_facets.items()):
        if name not in DATE_FIELDS:
            raise UnsupportedQuery(f"the portal's backend cannot facet dates on {name!r}")
        if details["gap_by"] not in ("year", "month", "day"):
            raise UnsupportedQuery("the portal's backend facets dates by year, month or day")
        spec.append((name, details["start_date"], details["end_date"], details["gap_by"], int(details.get("gap_amount", 1))))
    return tuple(spec)


def _terms(searcher, plan: Plan) -> QueryTerms:
    if plan.content.exact:
        return ExactCheck.from_query(plan.content.parsed).terms
    return build_query(plan.content.parsed, searcher.reader(), languages=_languages(plan))[1]


def _languages(plan: Plan) -> tuple[str, ...]:
    """The languages the query is read in: the one every result has, else the
    one its letters tell (``query_language``), else both."""
    if plan.language in chains.LANGUAGES:
        return (plan.language,)
    parsed = plan.content.parsed if plan.content else None
    text = " ".join((parsed.text, *parsed.phrases)) if parsed else ""
    language = query_language(text)
    return (language,) if language else chains.LANGUAGES


def _rank(searcher, plan: Plan, order, facet_fields, date_spec, range_spec, depth) -> _Ranking:
    """Count, facet and rank every match (``search.whoosh.engine``) as deep as ``depth`` (None: all)."""
    query, terms, units, exact = None, QueryTerms(), [], None
    if plan.content is not None:
        exact = ExactCheck.from_query(plan.content.parsed) if plan.content.exact else None
        query, terms, units = build_query(plan.content.parsed, searcher.reader(), languages=_languages(plan), exclude=exact is None)
        if exact is not None:
            terms = exact.terms
    if query is None:
        order = order or "newest"  # nothing to rank by: the latest articles
        query = wq.Every()
    if plan.filters is not None:
        filters = expand_prefixes(plan.filters, searcher.reader())
        query = wq.And([query, wq.ConstantScoreQuery(filters, 0.0)])  # filters score nothing
    arrays = engine.IndexArrays.of(searcher)
    first = engine.Evaluation(arrays, WEIGHTING)
    matched, scores = first.node(query)
    if exact is not None:
        _check_exact(searcher, arrays, exact, matched, scores, order)
    fields = {name: _facet(*arrays.codes(name), matched) for name in facet_fields}
    dates = {spec[0]: _date_facet(arrays, matched, *spec) for spec in date_spec}
    ranges = _range_facets(arrays, matched, range_spec)
    count = int(matched.sum())
    depth = count if depth is None else min(max(depth, MIN_DEPTH), count)
    if order is not None:
        docnums = _by_date(arrays, matched, newest=order == "newest")[:depth]
        return _Ranking(count, fields, dates, ranges, tuple(map(int, docnums)), (0.0,) * len(docnums), depth, terms)
    factor = _coordination(first, units) if len(units) > 1 else None
    factor = _prefer_language(arrays, plan, factor)
    docnums, scores = engine.rank(arrays, WEIGHTING, query, matched, scores, depth, factor)
    return _Ranking(count, fields, dates, ranges, tuple(map(int, docnums)), tuple(map(float, scores)), depth, terms)


def _prefer_language(arrays, plan: Plan, factor):
    """``factor`` with the articles in another language than the query's scaled by ``OTHER_LANGUAGE``."""
    if plan.content is None or plan.language or len(languages := _languages(plan)) != 1:
        return factor
    codes, names = arrays.codes("language")
    if languages[0] not in names:
        return factor
    scale = np.where(codes == names.index(languages[0]), 1.0, OTHER_LANGUAGE)
    return scale if factor is None else factor * scale


def _check_exact(searcher, arrays, exact, matched, scores, order) -> None:
    """Keep in ``matched`` the candidates whose stored text has the exact spelling.

    Each check reads and unpacks a stored text (~0.1 ms): a common word would
    cost seconds, so only the ``EXACT_CHECKS`` candidates shown first (best,
    newest or oldest) are checked and the others dropped; such a count is a lower bound.
    """
    if int(matched.sum()) > EXACT_CHECKS:
        first = (_by_date(arrays, matched, newest=order == "newest") if order is not None
                 else np.flatnonzero(matched)[np.argsort(-scores[matched], kind="stable")])
        matched[first[EXACT_CHECKS:]] = False
    for docnum in np.flatnonzero(matched):
        if not exact.matches(_stored_text(searcher, int(docnum))):
            matched[docnum] = False


def _by_date(arrays, matched, *, newest: bool) -> np.ndarray:
    if newest:
        return engine.newest_first(arrays, matched)
    # oldest first; undated ones (an editor has yet to date them) still last, the earlier document first
    docnums = np.flatnonzero(matched)
    values, present = arrays.numbers("published")
    undated = ~present[docnums]
    return docnums[np.lexsort((docnums, values[docnums], undated))]


def _facet(codes: np.ndarray, names: list[str], matched: np.ndarray) -> list[tuple[str, int]]:
    counts = np.bincount(codes[matched], minlength=len(names))
    return sorted(((names[c], int(n)) for c, n in enumerate(counts) if c and n), key=lambda kv: (-kv[1], kv[0]))


def _date_facet(arrays, matched, field, start, end, gap_by, gap_amount) -> list[tuple[dt.datetime, int]]:
    """How many matches fall in each gap from ``start`` to ``end``: (start of the gap, count)."""
    starts = []
    moment = start
    while moment < end and len(starts) < 1000:
        starts.append(moment)
        moment = _step(moment, gap_by, gap_amount)
    if not starts:
        return []
    values, present = arrays.numbers(field)
    found = np.sort(values[matched & present])
    bounds = np.array([wq.DateRange(field, index_time(s), None).start for s in [*starts, min(moment, end)]], dtype=np.uint64)
    counts = np.diff(np.searchsorted(found, bounds, side="left"))
    return [(s, int(n)) for s, n in zip(starts, counts, strict=True)]


_RANGE_RE = re.compile(r"\[(?P<start>\S+) TO (?P<end>\S+)(?P<close>[\]}])")


@lru_cache(maxsize=4096)  # a page asks the same ranges again and again
def _query_facet(field, text) -> tuple:
    """A query facet this backend counts: a date range in Lucene's syntax,
    ``[start TO end}`` (``]`` to include the end), moments in ISO 8601.
    Returns the facet's key, its field and its bounds as the engine compares them."""
    found = _RANGE_RE.fullmatch(text.strip()) if field in DATE_FIELDS else None
    try:
        start, end = (dt.datetime.fromisoformat(found[name].replace("Z", "+00:00")) for name in ("start", "end"))
    except (TypeError, ValueError):
        raise UnsupportedQuery("the portal's backend counts query facets of date ranges only: "
                               "query_facet('published', '[2021-03-21T00:00:00Z TO 2022-03-21T00:00:00Z}')") from None
    bounds = wq.DateRange(field, index_time(start), index_time(end))  # the engine's own numbers for the bounds
    return (f"{field}:{text}", field, bounds.start, bounds.end, found["close"] == "]")


def _range_facets(arrays, matched, range_spec) -> dict[str, int]:
    """Each range's count, every range of a field found with two ``searchsorted`` calls."""
    counts = {}
    for field in {spec[1] for spec in range_spec}:
        specs = [spec for spec in range_spec if spec[1] == field]
        values, present = arrays.numbers(field)
        found = np.sort(values[matched & present])
        starts = np.searchsorted(found, np.array([s[2] for s in specs], dtype=np.uint64), side="left")
        ends = np.array([s[3] for s in specs], dtype=np.uint64)
        inclusive = np.array([s[4] for s in specs], dtype=bool)
        upto = np.where(inclusive, np.searchsorted(found, ends, side="right"), np.searchsorted(found, ends, side="left"))
        counts.update(zip((s[0] for s in specs), map(int, upto - starts), strict=True))
    return counts


def _step(moment, gap_by, amount):
    if gap_by == "day":
        return moment + dt.timedelta(days=amount)
    months = moment.month - 1 + amount * (12 if gap_by == "year" else 1)
    return moment.replace(year=moment.year + months // 12, month=months % 12 + 1)


def _stored_text(searcher, docnum) -> str:
    fields = searcher.stored_fields(docnum)
    return f"{fields.get('title', '')}\n{fields.get('content', '')}"


def _coordination(evaluation, units) -> np.ndarray:
    """By how much each text's score counts: the share of the query's words it has.

    BM25 alone lets frequent words outweigh a rarer one that is missing
    ("مرگ و میر" without "نهنگ"); the score is scaled by the share of the
    query's words (phrases, prefixes) each text has, each word weighted by
    its rarity (idf).
    """
    matched = np.zeros(evaluation.width)
    for unit, weight in units:
        matched += evaluation.node(unit)[0] * weight
    total = sum(weight for _, weight in units) or 1.0
    return (matched / total) ** COORDINATION


class _Highlights(Mapping):
    """``SearchResult.highlighted``: the snippet ("text") and the title ("title"), made when read."""

    def __init__(self, fields, terms):
        self._fields, self._terms, self._made = fields, terms, {}
        self._language = fields.get("language") if fields.get("language") in chains.LANGUAGES else None

    def __getitem__(self, key):
        if key not in ("text", "title"):
            raise KeyError(key)
        if key not in self._made:
            if key == "text":
                self._made[key] = [highlight(self._fields.get("content", ""), self._terms, language=self._language)]
            else:
                self._made[key] = [highlight(self._fields.get("title", ""), self._terms, length=None,
                                             language=self._language)]
        return self._made[key]

    def __iter__(self):
        return iter(("text", "title"))

    def __len__(self):
        return 2


def _result(result_class, stored, score, terms):
    fields = dict(stored)
    app_label, model_name = fields.pop(DJANGO_CT).split(".")
    pk = fields.pop(DJANGO_ID)
    if fields.get("published") is not None:
        fields["published"] = fields["published"].replace(tzinfo=dt.UTC)
    if terms is not None:
        fields["highlighted"] = _Highlights(fields, terms)
    return result_class(app_label, model_name, pk, score or 0.0, **fields)


# --- spelling ----------------------------------------------------------------------


class _Lexicon:
    """``search.spelling.Lexicon`` over a Whoosh searcher's "text" field."""

    def __init__(self, searcher):
        self.searcher, self.reader = searcher, searcher.reader()

    def doc_frequency(self, term):
        return self.reader.doc_frequency("text", term)

    def close_terms(self, term, maxdist, limit, prefix):
        return list(self.searcher.corrector("text").suggest(term, limit=limit, maxdist=maxdist, prefix=prefix))

    def written(self, term):
        for hit in self.searcher.search(wq.Term("text", term), limit=1):
            for original in (hit.get("title", ""), hit.get("content", "")):
                for tok in chains.analyze(original, hit.get("language") or None):
                    if tok.text == term and not tok.part:
                        return original[tok.start:tok.end]
        return ""


def spelling_suggestion(backend, text: str) -> str | None:
    """"Did you mean" for the words of ``text`` (a query in the portal's language), None if nothing is unknown."""
    words = parse_query(text).text
    if not words.strip():
        return None
    searcher = backend.shared_searcher(WEIGHTING)
    key = (backend.index_version(searcher), words)
    found = caches.SUGGESTIONS.get(key)
    if found is None:
        found = spelling.suggest(_Lexicon(searcher), words)
        caches.SUGGESTIONS.put(key, found)
    return found or None
