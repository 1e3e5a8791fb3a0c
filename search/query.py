"""Search the article index: parameters in, a page of results out.

``run_search(SearchParams)`` is the one entry point the search page, the
search API and feeds share.  Whatever a person types is a valid query: the
text is read by a small parser of our own (never Whoosh's QueryParser), so
syntax characters are just text, and length, terms, prefix expansion and
search time are bounded.

The query language:

* words: any of them may match; documents with more of them rank first;
* ``"a phrase"`` must appear (also with «» or “” quotes);
* ``-word`` or ``-"a phrase"`` excludes;
* ``prefix*`` matches words that start so (the commonest few dozen);
* ``exact=True`` matches words exactly as written, without folding or
  stemming: the folded query finds the candidates and ranks them, and the
  stored text of each is checked for the spelling (``ExactCheck``).

Other apps can add related articles to a result (see ``EXPANDERS``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

import numpy as np
from django.conf import settings
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _
from haystack import connections
from whoosh import query as wq
from whoosh import scoring

from articles.dates import TEHRAN, parse_date
from articles.models import Language
from articles.querydates import parse_date_range
from articles.text import analyze, detect_language, exact_pattern, exact_tokens, fold, stem, stem_variants

from . import engine
from .engine import BonusPhrase
from .highlight import QueryTerms, highlight

MAX_QUERY_CHARS = 256
MAX_TERMS = 32
MAX_PREFIX_TERMS = 40
MAX_PAGE_SIZE = 100
MAX_RESULTS = 10_000  # deepest result a page may reach

# Ranking, tuned on bench/search_quality.py (not on the seeds).
TITLE_BOOST = 1.0
PROCLITIC_BOOST = 0.4
VARIANT_BOOST = 0.7
COMPOUND_HEAD_BOOST = 0.5
COORDINATION = 1.0  # power of the share of query words a text has
IDF_POWER = 5.0  # rarity's part in a word's weight there
PAIR_BOOST = 1.0
PAIR_SLOP = 3
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
        return named.start if name == "from" else named.end
    parsed = parse_date(value)
    if parsed is None:
        raise InvalidParams(name, _("%(name)s must be a date such as 1400/08/10 or 2021-11-01") % {"name": name})
    return parsed.value.date()


# --- reading the query --------------------------------------------------------

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"'})
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_AND_RE = re.compile(r"\s+و\s+")
_PIECE_RE = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


@dataclass
class ParsedQuery:
    """A query string read into its parts."""

    text: str = ""  # the plain words, in order, as typed
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)


def parse_query(q: str) -> ParsedQuery:
    """Split what a reader typed into words, phrases, exclusions and prefixes.

    Never fails: unbalanced quotes end at the end of the text, and any
    character the parser does not know is part of a word.
    """
    q = _CONTROL_RE.sub(" ", q[:MAX_QUERY_CHARS]).translate(_QUOTES)
    parsed = ParsedQuery()
    plain = []
    for m in _PIECE_RE.finditer(q):
        phrase, word = m.group("phrase"), m.group("word")
        if m.group("neg"):
            if phrase or (word and word.strip("-*")):
                parsed.excluded.append(phrase or word)
        elif phrase is not None:
            if phrase.strip():
                parsed.phrases.append(phrase)
        elif word.endswith("*") and len(word.rstrip("*")) >= 2 and "*" not in word.rstrip("*"):
            parsed.prefixes.append(word.rstrip("*"))
        else:
            plain.append(word)
    parsed.text = " ".join(plain)
    return parsed


# --- building the Whoosh query ----------------------------------------------------


class _Builder:
    """Turns a ParsedQuery into Whoosh queries and remembers the terms used."""

    def __init__(self, reader, *, arabic: bool):
        self.reader = reader
        self.arabic = arabic
        self.budget = MAX_TERMS
        self.terms: set[str] = set()
        self.prefixes: list[str] = []
        self.units = []  # one query per word or prefix

    def _term(self, text, boost=1.0):
        self.terms.add(text)
        return wq.Or([wq.Term("text", text, boost=boost), wq.Term("title", text, boost=boost * TITLE_BOOST)])

    def _phrase(self, words):
        self.terms.update(words)
        if len(words) == 1:
            return self._term(words[0])
        # slop 2 lets "کتاب ها" (two positions) stand where "کتابها" has one
        return wq.Or([wq.Phrase("text", words, slop=2), wq.Phrase("title", words, slop=2, boost=TITLE_BOOST)])

    def _groups(self, text):
        """Tokens grouped as (joined token, its parts)."""
        groups = []
        for tok in analyze(text):
            if tok.part and groups:
                groups[-1][1].append(tok.text)
            elif not tok.part:
                groups.append((tok.text, [], text[tok.start:tok.end], tok.start, tok.end))
        return groups

    def words(self, text):
        """One query per word: the word, its split spelling, its bare form.

        Neighbouring words also count as a phrase, so texts where they stand
        together ("ایران خودرو", "کوی دانشگاه") rank above texts that merely
        have both.
        """
        units = []
        groups = self._groups(text)[:MAX_TERMS]
        before = len(self.units)
        for first, second in pairwise(groups):
            units.append(BonusPhrase("text", [first[0], second[0]], slop=PAIR_SLOP, boost=PAIR_BOOST))
        for joined, parts, written, *_offsets in groups:
            if self.budget <= 0:
                break
            self.budget -= 1
            alternatives = [self._term(joined)]
            if len(parts) > 1:
                alternatives.append(self._phrase(parts))
            elif parts and parts[0] != joined:
                alternatives.append(self._term(parts[0]))
            alternatives += self._variants(joined, written)
            units.append(alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives))
            self.units.append((units[-1], self._idf(joined)))
        self._merge_binomials(text, groups[:len(self.units) - before], before)
        return units

    def _merge_binomials(self, text, groups, first):
        # "مرگ و میر", "نقل و انتقال": two words joined by و name one thing,
        # so for counting how many of the query's words a text has they are one.
        merged, i = self.units[:first], 0
        while i < len(groups):
            unit = self.units[first + i]
            if i + 1 < len(groups) and _AND_RE.fullmatch(text[groups[i][4]:groups[i + 1][3]]):
                other = self.units[first + i + 1]
                unit = (wq.And([unit[0], other[0]]), max(unit[1], other[1]))
                i += 1
            merged.append(unit)
            i += 1
        self.units = merged

    def _idf(self, term):
        # how much a word says: missing a rare word costs more than missing a common one
        df = self.reader.doc_frequency("text", term)
        return math.log(1 + (self.reader.doc_count() - df + 0.5) / (df + 0.5)) ** IDF_POWER

    def _variants(self, term, written):
        """Other index terms for the same word: an ات plural's singular, the
        word without an Arabic proclitic, the head of a rare compound."""
        found = []
        word = fold(written).replace("\u200c", "")
        for variant in stem_variants(word):
            if self.reader.doc_frequency("text", variant):
                found.append(self._term(variant, VARIANT_BOOST))
        if self.arabic and (bare := _without_proclitic(term)):
            found.append(self._term(bare, PROCLITIC_BOOST))
        if split := self._split(word, self.reader.doc_frequency("text", term)):
            head, tail = split
            found += [BonusPhrase("text", [head, tail], slop=PAIR_SLOP), self._term(head, COMPOUND_HEAD_BOOST)]
        return found

    def _split(self, word, df):
        # "همسرداری" is rare, "همسر" and "داری" are common: also look for the
        # compound written as two words, and for its head alone.
        best, best_df = None, max(df * 10, 2)
        for i in range(3, len(word) - 2):
            head, tail = stem(word[:i]), stem(word[i:])
            common = min(self.reader.doc_frequency("text", head), self.reader.doc_frequency("text", tail))
            if common > best_df:
                best, best_df = (head, tail), common
        return best

    def phrase(self, text):
        """A phrase query; pieces of joined words keep their own positions."""
        words = []
        for joined, parts, *_written in self._groups(text):
            words.extend(parts if len(parts) > 1 else [joined])
        words = words[: max(self.budget, 1)]
        self.budget -= len(words)
        if not words:
            return None
        self.units.append((self._phrase(words), max(self._idf(w) for w in words)))
        return self.units[-1][0]

    def prefix(self, text):
        """The commonest index terms that start with ``text``, or None."""
        if self.budget <= 0:
            return None
        self.budget -= 1
        starts = {fold(text).replace("\u200c", "")}
        starts |= {s[len(a):] for s in starts for a in ("ال", "وال", "بال") if s.startswith(a) and len(s) > len(a) + 2}
        found = {}
        for start in starts:
            for n, term in enumerate(self.reader.expand_prefix("text", start)):
                if n >= 2000:  # enough candidates to pick the commonest from
                    break
                found[term] = self.reader.doc_frequency("text", term)
        self.prefixes.extend(starts)
        if not found:
            return None
        best = sorted(found, key=found.get, reverse=True)[:MAX_PREFIX_TERMS]
        best = [t.decode() if isinstance(t, bytes) else t for t in best]
        self.units.append((wq.Or([self._term(t) for t in best]), self._idf(best[0])))
        return self.units[-1][0]


def _without_proclitic(word: str) -> str:
    # Arabic writes و ب ل ف onto the next word: "وقال" is "و" + "قال".
    if len(word) >= 5 and word[0] in "وبلف" and word.isalpha():
        return stem(word[1:])
    return ""


def build_query(parsed: ParsedQuery, reader, *, arabic: bool = False, exclude: bool = True):
    """The Whoosh query for a parsed query, the terms to highlight, and the
    query of each word, phrase and prefix (to count how many a text has).

    With ``exclude=False`` the excluded words are left to the caller.
    """
    builder = _Builder(reader, arabic=arabic)
    required = [q for q in (builder.phrase(p) for p in parsed.phrases) if q is not None]
    optional = builder.words(parsed.text)
    optional += [q for q in (builder.prefix(p) for p in parsed.prefixes) if q is not None]
    terms = QueryTerms(frozenset(builder.terms), tuple(builder.prefixes))
    units = builder.units
    excluded_builder = _Builder(reader, arabic=False)
    excluded = [q for q in (excluded_builder.phrase(text) for text in parsed.excluded) if q is not None] if exclude else []

    if not (required or optional):
        # nothing searchable (no query, only stop words or "*"): the latest articles
        query = wq.Every() if excluded else None
    else:
        words = wq.Or(optional) if len(optional) > 1 else (optional[0] if optional else None)
        if required:
            query = wq.And(required) if words is None else wq.AndMaybe(wq.And(required), words)
        else:
            query = words
    if query is not None and excluded:
        query = wq.AndNot(query, wq.Or(excluded))
    return query, terms, units


@dataclass(frozen=True)
class ExactCheck:
    """What an exact-spelling search asks of a text, checked on the text itself.

    Every phrase must be written so; when there is none, one of the words
    or prefixes must be; no excluded word or phrase may be.  Words are
    compared as ``exact_tokens`` reads them (nothing folded).
    """

    required: tuple[re.Pattern, ...] = ()
    any_of: re.Pattern | None = None
    excluded: re.Pattern | None = None
    terms: QueryTerms = field(default_factory=QueryTerms)

    @classmethod
    def from_query(cls, parsed: ParsedQuery) -> ExactCheck:
        def tokens(text):
            return [t.text for t in exact_tokens(text)][:MAX_TERMS]

        phrases = [words for words in map(tokens, parsed.phrases) if words]
        words = tokens(parsed.text)
        prefixes = [p.casefold() for p in parsed.prefixes if tokens(p)]
        optional = [exact_pattern([w]) for w in words] + [exact_pattern(tokens(p), prefix=True) for p in prefixes]
        excluded = [exact_pattern(words) for words in map(tokens, parsed.excluded) if words]
        return cls(
            required=tuple(_compile(exact_pattern(words)) for words in phrases),
            any_of=_compile("|".join(optional)) if optional and not phrases else None,
            excluded=_compile("|".join(excluded)) if excluded else None,
            terms=QueryTerms(frozenset(words).union(*phrases), tuple(prefixes), exact=True),
        )

    def matches(self, text: str) -> bool:
        """Whether ``text`` has the spellings asked for."""
        if self.any_of is not None and not self.any_of.search(text):
            return False
        if self.excluded is not None and self.excluded.search(text):
            return False
        return all(pattern.search(text) for pattern in self.required)


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


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


# A reader turning pages, or changing only the page size, must not make the
# portal count and rank everything again.  SEARCH_RANKINGS_KEPT (per
# process) is how many are kept; 0 keeps none (benchmarks of the search itself).
_RANKINGS: OrderedDict[tuple, _Ranking] = OrderedDict()


def run_search(params: SearchParams) -> SearchResult:
    """Search published articles; raises ``PageOutOfRange`` past the last page."""
    searcher = connections["default"].get_backend().shared_searcher(WEIGHTING)
    parsed = parse_query(params.q)
    arabic = params.language == "ar" or (params.language != "fa" and detect_language(parsed.text) == "ar")
    exact = ExactCheck.from_query(parsed) if params.exact else None
    query, terms, units = build_query(parsed, searcher.reader(), arabic=arabic, exclude=exact is None)
    if exact is not None:
        terms = exact.terms
    limit = min(params.page * params.page_size, MAX_RESULTS)
    depth = limit
    key = (searcher._ix, searcher.reader().generation(), params.q, params.language, params.source,
           params.date_from, params.date_to, params.sort, params.exact)
    ranking = _RANKINGS.get(key)
    if ranking is None or ranking.depth < depth:
        ranking = _rank(searcher, params, query, units, exact, depth)
    kept = settings.SEARCH_RANKINGS_KEPT
    if kept:
        _RANKINGS[key] = ranking
        _RANKINGS.move_to_end(key)
        while len(_RANKINGS) > kept:
            _RANKINGS.popitem(last=False)
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


def _rank(searcher, params, query, units, exact, depth) -> _Ranking:
    """Count, facet and rank every match (``search.engine``) as deep as ``depth``."""
    sort_by_date = params.sort == "date" or query is None
    if query is None:
        query = wq.Every()
    if (allowed := _filter(params)) is not None:
        query = wq.And([query, wq.ConstantScoreQuery(allowed, 0.0)])  # filters score nothing
    arrays = engine.IndexArrays.of(searcher)
    first = engine.Evaluation(arrays, WEIGHTING)
    matched, scores = first.node(query)
    if exact is not None:
        for docnum in np.flatnonzero(matched):
            if not exact.matches(_stored_text(searcher, int(docnum))):
                matched[docnum] = False
    facets = {name: _facet(*arrays.codes(name), matched) for name in FACETS}
    count = int(matched.sum())
    if sort_by_date:
        docnums = engine.newest_first(arrays, matched)[:depth]
        return _Ranking(count, facets, tuple(map(int, docnums)), (0.0,) * len(docnums), depth)
    factor = _coordination(first, units) if len(units) > 1 else None
    docnums, scores = engine.rank(arrays, WEIGHTING, query, matched, scores, depth, factor)
    return _Ranking(count, facets, tuple(map(int, docnums)), tuple(map(float, scores)), depth)


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


def suggest(searcher, text: str) -> str:
    """"Did you mean": the query with unknown words replaced by close ones.

    Candidates are index terms (folded and stemmed); each is shown as a word
    an article really wrote, so the reader sees a word, not a stem.
    """
    reader = searcher.reader()
    corrector = searcher.corrector("text")
    pieces, last, changed = [], 0, False
    for tok in analyze(text):
        if tok.part or tok.text.isdigit() or len(tok.text) < 3 or reader.doc_frequency("text", tok.text):
            continue
        candidates = corrector.suggest(tok.text, limit=5, maxdist=1 if len(tok.text) < 6 else 2)
        candidates = sorted(candidates, key=lambda t: -reader.doc_frequency("text", t))
        word = _surface_word(searcher, candidates[0]) if candidates else ""
        if word:
            pieces.append(text[last:tok.start] + word)
            last, changed = tok.end, True
    return "".join(pieces) + text[last:] if changed else ""


def _surface_word(searcher, term: str) -> str:
    results = searcher.search(wq.Term("text", term), limit=1)
    for hit in results:
        for original in (hit.get("title", ""), hit.get("content", "")):
            for tok in analyze(original):
                if tok.text == term and not tok.part:
                    return original[tok.start:tok.end]
    return ""
