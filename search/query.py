"""Search the article index: parameters in, a page of results out.

``run_search(SearchParams)`` is the one entry point the search page, the
search API and feeds share.  What a reader typed is read by
``search.builder`` (the query language); ``search.whoosh.engine`` matches, counts
and ranks it over the whole index.

Other apps can add related articles to a result (see ``EXPANDERS``).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.conf import settings
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _
from haystack import connections
from whoosh import query as wq
from whoosh import scoring

from articles.dates import EARLIEST, LATEST, TEHRAN, in_range, parse_date
from articles.models import Language
from articles.querydates import parse_date_range
from articles.text import analyze, detect_language, fold

from .builder import ExactCheck, build_query, parse_query
from .highlight import QueryTerms, highlight
from .whoosh import engine

MAX_PAGE_SIZE = 100
MAX_RESULTS = 10_000  # deepest result a page may reach
EXACT_CHECKS = 2_000  # stored texts an exact-spelling search reads at most

# Ranking, tuned on bench/search_quality.py (not on the seeds); the query's
# own weights are in search.builder.
COORDINATION = 1.0  # power of the share of query words a text has
WEIGHTING = scoring.BM25F(B=0.75, K1=1.2)

SORTS = ("relevance", "date")
_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"", "0", "false", "off", "no"}


class InvalidParams(ValueError):
    """A search parameter that cannot be read; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class PageOutOfRange(LookupError):
    """The page asked for is past the last page of results."""


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
            raise InvalidParams("sort", _("sort must be relevance or date"))
        exact = data.get("exact", "").strip().lower()
        if exact not in _TRUE | _FALSE:
            raise InvalidParams("exact", _("exact must be 1 or 0"))
        params = cls(
            q=data.get("q", ""),
            language=language,
            source=data.get("source", "").strip()[:200],
            date_from=_read_date(data, "from"),
            date_to=_read_date(data, "to"),
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


def _read_date(data, name):
    value = data.get(name, "").strip()[:40]
    if not value:
        return None
    # A named month or year ("آبان ۱۴۰۰", "سبتمبر 2023") starts on its first
    # day as a "from" date and ends on its last as a "to" date.
    named = parse_date_range(value)
    if named is not None:
        day = named.start if name == "from" else named.end
    elif (parsed := parse_date(value)) is not None:
        day = parsed.value.date()
    else:
        raise InvalidParams(name, _("%(name)s must be a date such as 1400/08/10 or 2021-11-01") % {"name": name})
    if not in_range(day):
        raise InvalidParams(name, _("%(name)s must be a date between %(earliest)s and %(latest)s") % {
            "name": name, "earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()})
    return day


# --- running it ------------------------------------------------------------------


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
    content: str = field(default="", repr=False)  # lead and body, for the snippet
    terms: QueryTerms = field(default_factory=QueryTerms, repr=False)
    score: float = 0.0
    date_only: bool = True  # the index keeps the day; the article page shows the time

    @cached_property
    def snippet(self) -> str:
        """HTML: the best passage, escaped, with <mark> around matched words."""
        return highlight(self.content, self.terms)

    @cached_property
    def title_html(self) -> str:
        """HTML: the title with matched words marked."""
        return highlight(self.title, self.terms, length=None)


@dataclass
class RelatedGroup:
    """Articles another app adds to a search ("also about <person>")."""

    label: str
    hits: list[Hit]


@dataclass
class SearchResult:
    """A page of results with what a result page shows around it."""

    params: SearchParams
    count: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str = ""
    related: list[RelatedGroup] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.count, MAX_RESULTS) / self.params.page_size))


# Hooks other apps register to add related articles: each is called with the
# params and the result page and returns ``(label, [article ids])`` pairs.
EXPANDERS: list[Callable[[SearchParams, SearchResult], list[tuple[str, list[int]]]]] = []


def _filter(params: SearchParams):
    clauses = []
    if params.language:
        clauses.append(wq.Term("language", params.language))
    if params.source:
        clauses.append(wq.Term("source", params.source))
    if params.date_from or params.date_to:
        start = _utc(params.date_from) if params.date_from else None
        end = _utc(params.date_to + dt.timedelta(days=1)) - dt.timedelta(microseconds=1) if params.date_to else None
        clauses.append(wq.DateRange("published", start, end))
    return wq.And(clauses) if clauses else None


def _utc(day: dt.date) -> dt.datetime:
    # A day is a reader's day in Tehran; the index stores naive UTC.
    local = dt.datetime(day.year, day.month, day.day, tzinfo=TEHRAN)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _hit(fields, terms: QueryTerms, score=0.0) -> Hit:
    published = fields.get("published")
    return Hit(
        id=int(fields["django_id"]),
        title=fields.get("title", ""),
        path=iri_to_uri(fields.get("path", "")),
        language=fields.get("language", ""),
        published=published.replace(tzinfo=dt.UTC) if published else None,
        source=fields.get("source", ""),
        source_file=fields.get("source_file", ""),
        external_id=fields.get("external_id", ""),
        content=fields.get("content", ""),
        terms=terms,
        score=score or 0.0,
    )


FACETS = ("language", "source")


@dataclass(frozen=True)
class _Ranking:
    """What a search found, whatever page is shown: kept while the index is unchanged."""

    count: int
    facets: dict[str, list[tuple[str, int]]]
    docnums: tuple[int, ...]  # the best first, as deep as asked
    scores: tuple[float, ...]
    depth: int
    terms: QueryTerms  # what the hits' snippets mark


# A reader turning pages, or changing only the page size, must not make the
# portal read, count and rank everything again.  SEARCH_RANKINGS_KEPT (per
# process) is how many are kept; 0 keeps none (benchmarks of the search itself).
_RANKINGS: OrderedDict[tuple, _Ranking] = OrderedDict()
_RANKINGS_LOCK = threading.Lock()  # runserver and threaded workers share the module


def run_search(params: SearchParams) -> SearchResult:
    """Search published articles; raises ``PageOutOfRange`` past the last page."""
    searcher = connections["default"].get_backend().shared_searcher(WEIGHTING)
    parsed = parse_query(params.q)
    limit = min(params.page * params.page_size, MAX_RESULTS)
    key = (searcher._ix, searcher.reader().generation(), params.q, params.language, params.source,
           params.date_from, params.date_to, params.sort, params.exact)
    with _RANKINGS_LOCK:
        ranking = _RANKINGS.get(key)
    if ranking is None or ranking.depth < limit:
        ranking = _rank(searcher, params, parsed, limit)
    kept = settings.SEARCH_RANKINGS_KEPT
    if kept:
        with _RANKINGS_LOCK:
            _RANKINGS[key] = ranking
            _RANKINGS.move_to_end(key)
            while len(_RANKINGS) > kept:
                _RANKINGS.popitem(last=False)
    terms = ranking.terms
    start = (params.page - 1) * params.page_size
    if params.page > 1 and start >= min(ranking.count, MAX_RESULTS):
        raise PageOutOfRange(params.page)
    page = slice(start, start + params.page_size)
    hits = [_hit(searcher.stored_fields(d), terms, s) for d, s in zip(ranking.docnums[page], ranking.scores[page], strict=True)]
    result = SearchResult(params, ranking.count, hits, ranking.facets)
    if not params.exact and parsed.text.strip() and ranking.count < 5:
        result.suggestion = _cached_suggestion(searcher, parsed.text)
    result.related = _related(searcher, params, result, terms)
    return result


def _rank(searcher, params, parsed, depth) -> _Ranking:
    """Count, facet and rank every match (``search.whoosh.engine``) as deep as ``depth``."""
    arabic = params.language == "ar" or (params.language != "fa" and detect_language(parsed.text) == "ar")
    exact = ExactCheck.from_query(parsed) if params.exact else None
    query, terms, units = build_query(parsed, searcher.reader(), arabic=arabic, exclude=exact is None)
    if exact is not None:
        terms = exact.terms
    sort_by_date = params.sort == "date" or query is None
    if query is None:
        query = wq.Every()
    if (allowed := _filter(params)) is not None:
        query = wq.And([query, wq.ConstantScoreQuery(allowed, 0.0)])  # filters score nothing
    arrays = engine.IndexArrays.of(searcher)
    first = engine.Evaluation(arrays, WEIGHTING)
    matched, scores = first.node(query)
    if exact is not None:
        _check_exact(searcher, arrays, exact, matched, scores, by_date=sort_by_date)
    facets = {name: _facet(*arrays.codes(name), matched) for name in FACETS}
    count = int(matched.sum())
    if sort_by_date:
        docnums = engine.newest_first(arrays, matched)[:depth]
        return _Ranking(count, facets, tuple(map(int, docnums)), (0.0,) * len(docnums), depth, terms)
    factor = _coordination(first, units) if len(units) > 1 else None
    docnums, scores = engine.rank(arrays, WEIGHTING, query, matched, scores, depth, factor)
    return _Ranking(count, facets, tuple(map(int, docnums)), tuple(map(float, scores)), depth, terms)


def _check_exact(searcher, arrays, exact, matched, scores, *, by_date) -> None:
    """Keep in ``matched`` the candidates whose stored text has the exact spelling.

    Each check reads and unpacks a stored text (~0.1 ms): a common word would
    cost seconds, so only the ``EXACT_CHECKS`` candidates shown first (best
    or newest) are checked and the others dropped; such a count is a lower bound.
    """
    if int(matched.sum()) > EXACT_CHECKS:
        order = engine.newest_first(arrays, matched) if by_date else np.flatnonzero(matched)[
            np.argsort(-scores[matched], kind="stable")]
        matched[order[EXACT_CHECKS:]] = False
    for docnum in np.flatnonzero(matched):
        if not exact.matches(_stored_text(searcher, int(docnum))):
            matched[docnum] = False


def _facet(codes: np.ndarray, names: list[str], matched: np.ndarray) -> list[tuple[str, int]]:
    counts = np.bincount(codes[matched], minlength=len(names))
    return sorted(((names[c], int(n)) for c, n in enumerate(counts) if c and n), key=lambda kv: (-kv[1], kv[0]))


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


def _related(searcher, params, result, terms) -> list[RelatedGroup]:
    groups = []
    for expander in EXPANDERS:
        for label, ids in expander(params, result):
            shown = {h.id for h in result.hits}
            hits = []
            for pk in ids[:10]:
                if pk in shown:
                    continue
                fields = searcher.document(id=f"articles.article.{pk}")
                if fields:
                    hits.append(_hit(fields, terms))
            if hits:
                groups.append(RelatedGroup(label, hits))
    return groups


# "Did you mean" costs more than a search and a few-hit query is typically
# asked again (the next page, another filter): keep each answer until the
# index changes.  Keys hold the index object, so a recreated index (same
# generation numbers) never meets an old answer.
_SUGGESTIONS: dict[tuple, str] = {}
_MAX_SUGGESTIONS = 2000


def _cached_suggestion(searcher, text: str) -> str:
    key = (searcher._ix, searcher.reader().generation(), text)
    if key not in _SUGGESTIONS:
        if len(_SUGGESTIONS) >= _MAX_SUGGESTIONS:
            _SUGGESTIONS.clear()
        _SUGGESTIONS[key] = suggest(searcher, text)
    return _SUGGESTIONS[key]


# "Did you mean" is bounded whatever a reader types: at most SUGGEST_WORDS
# unknown words are looked at, none longer than SUGGEST_MAX_LETTERS, and no
# word is started once SUGGEST_SECONDS have passed.  Each word costs a few
# milliseconds: its edits at distance 1 (about 80 per letter) are looked up
# as index terms, and only a long word without any is looked up at distance 2,
# by Whoosh's corrector among the terms that share its first two letters
# (the corrector without a prefix walks the whole term list: ~0.1 s a word
# at 5,000 articles, seconds at 48,000).
SUGGEST_WORDS = 6
SUGGEST_MAX_LETTERS = 24
SUGGEST_SECONDS = 0.25
_clock = time.monotonic  # tests replace it
_LETTERS = {
    "arabic": "".join(sorted({fold(chr(c)) for c in [*range(0x621, 0x63B), *range(0x641, 0x64B), 0x67E, 0x686, 0x698, 0x6A9, 0x6AF, 0x6CC]})),
    "latin": "abcdefghijklmnopqrstuvwxyz",
}


def suggest(searcher, text: str) -> str:
    """"Did you mean": the query with unknown words replaced by close ones.

    Candidates are index terms (folded and stemmed); each is shown as a word
    an article really wrote, so the reader sees a word, not a stem.  The work
    is bounded (``SUGGEST_WORDS``, ``SUGGEST_SECONDS``).
    """
    reader = searcher.reader()
    corrector = searcher.corrector("text")
    deadline = _clock() + SUGGEST_SECONDS
    pieces, last, changed, looked_at = [], 0, False, 0
    for tok in analyze(text):
        if tok.part or tok.text.isdigit() or not 3 <= len(tok.text) <= SUGGEST_MAX_LETTERS:
            continue
        if reader.doc_frequency("text", tok.text):
            continue
        if looked_at == SUGGEST_WORDS or _clock() > deadline:
            break
        looked_at += 1
        candidates = _corrections(reader, corrector, tok.text)
        word = _surface_word(searcher, candidates[0]) if candidates else ""
        if word:
            pieces.append(text[last:tok.start] + word)
            last, changed = tok.end, True
    return "".join(pieces) + text[last:] if changed else ""


def _corrections(reader, corrector, term: str) -> list[str]:
    """Index terms one edit from ``term`` (two for a long word), the commonest first."""
    letters = _LETTERS["latin" if term.isascii() else "arabic"]
    edits = set()
    for i in range(len(term) + 1):
        head, tail = term[:i], term[i:]
        if tail:
            edits.add(head + tail[1:])
            edits.update(head + c + tail[1:] for c in letters)
        if len(tail) > 1:
            edits.add(head + tail[1] + tail[0] + tail[2:])
        edits.update(head + c + tail for c in letters)
    edits.discard(term)
    found = {t: df for t in edits if (df := reader.doc_frequency("text", t))}
    if not found and len(term) >= 6:
        found = {t: reader.doc_frequency("text", t) for t in corrector.suggest(term, limit=5, maxdist=2, prefix=2)}
    return sorted(found, key=lambda t: (-found[t], t))


def _surface_word(searcher, term: str) -> str:
    results = searcher.search(wq.Term("text", term), limit=1)
    for hit in results:
        for original in (hit.get("title", ""), hit.get("content", "")):
            for tok in analyze(original):
                if tok.text == term and not tok.part:
                    return original[tok.start:tok.end]
    return ""
