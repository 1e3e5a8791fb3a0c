"""Suggestions as a reader types: article titles that have words starting so.

The index's term dictionary is the prefix index: the typed words are folded
and stemmed like the title field (``articles.text.analyze``), the last,
unfinished word is looked up as a prefix of title terms, and the newest
articles whose titles have every word come first.  Nothing is read from the
database, so a keystroke costs a few term lookups.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from itertools import islice

from haystack import connections
from whoosh import query as wq
from whoosh import sorting

from articles.text import analyze, stem, tokenize

MAX_PREFIX_CHARS = 100
# A lone first letter would match half the index; after a finished word it narrows.
MIN_PREFIX_CHARS = 2
# An unfinished word expands to at most this many title terms, the commonest
# first, so a two-letter prefix stays as cheap as a long one.
MAX_EXPANSIONS = 48
MAX_SCANNED_TERMS = 2000
DEFAULT_LIMIT = 8
EARLIEST = dt.datetime(1800, 1, 1)


@dataclass(frozen=True)
class Suggestion:
    """One completion: what to show, where it leads, in which language."""

    label: str
    url: str
    language: str
    kind: str = "article"


def _prefix_terms(reader, prefix: str, min_chars: int) -> list[str]:
    candidates = {prefix, stem(prefix)}  # "الانت" also as "انت": titles are indexed without ال
    terms = set()
    for candidate in candidates:
        if len(candidate) >= min_chars:
            terms.update(t.decode() if isinstance(t, bytes) else t
                         for t in islice(reader.expand_prefix("title", candidate), MAX_SCANNED_TERMS))
    return heapq.nlargest(MAX_EXPANSIONS, terms, key=lambda t: reader.doc_frequency("title", t))


def suggest_titles(text: str, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
    """Newest published articles whose title words start with what was typed.

    Every finished word must be in the title (in any spelling the analyzer
    folds together); the last word may be unfinished unless ``text`` ends
    with a space.
    """
    text = text[:MAX_PREFIX_CHARS]
    tokens = tokenize(text)
    if not tokens:
        return []
    finished, last = text, ""
    if not text[-1].isspace():
        finished, last = text[: tokens[-1].start], tokens[-1].text
    clauses = [wq.Term("title", t.text) for t in analyze(finished) if not t.part]
    backend = connections["default"].get_backend()
    with backend.searcher() as searcher:
        if last:
            expansions = _prefix_terms(searcher.reader(), last, 1 if clauses else MIN_PREFIX_CHARS)
            if not expansions:
                return []
            clauses.append(wq.Or([wq.Term("title", t) for t in expansions]))
        if not clauses:
            return []
        query = wq.And(clauses)
        # Undated articles have no date to sort by: they come after the dated ones.
        dated = wq.DateRange("published", EARLIEST, None)
        hits = list(searcher.search(query, filter=dated, limit=limit, sortedby=sorting.FieldFacet("published", reverse=True)))
        if len(hits) < limit:
            hits += searcher.search(query, mask=dated, limit=limit - len(hits))
        return [Suggestion(hit["title"], hit["path"], hit["language"]) for hit in hits]
