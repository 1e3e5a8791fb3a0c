"""Suggestions as a reader types: people, events and article titles.

People and events match when one of their names or aliases, in any
language and spelling (the folded ``Alias.key``), has a word starting with
what was typed; there are few enough of them for an indexed database query.

For titles the index's term dictionary is the prefix index: the typed words are folded
and stemmed like the title field (``articles.text.analyze``), the last,
unfinished word is looked up as a prefix of title terms, and the newest
articles whose titles have every word come first.  Nothing is read from the
database, so a keystroke costs a few term lookups.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import islice

from django.db.models import Q
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language
from haystack import connections
from whoosh import query as wq

from articles.text import analyze, normalize_key, stem, tokenize
from entities.models import Alias
from search.whoosh import engine
from search.whoosh.query import WEIGHTING

MAX_PREFIX_CHARS = 100
# A lone first letter would match half the index; after a finished word it narrows.
MIN_PREFIX_CHARS = 2
# An unfinished word expands to at most this many title terms, the commonest
# first, so a two-letter prefix stays as cheap as a long one.
MAX_EXPANSIONS = 16
MAX_SCANNED_TERMS = 400
DEFAULT_LIMIT = 8
MAX_ENTITIES = 4  # the rest of the list is for titles


@dataclass(frozen=True)
class Suggestion:
    """One completion: what to show, where it leads, in which language."""

    label: str
    url: str
    language: str
    kind: str = "article"


def _searcher():
    """This thread's kept searcher on the newest index, the one searches use."""
    return connections["default"].get_backend().shared_searcher(WEIGHTING)


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
    searcher = _searcher()
    if last:
        expansions = _prefix_terms(searcher.reader(), last, 1 if clauses else MIN_PREFIX_CHARS)
        if not expansions:
            return []
        clauses.append(wq.Or([wq.Term("title", t) for t in expansions]))
    if not clauses:
        return []
    arrays = engine.IndexArrays.of(searcher)
    matched, _ = engine.Evaluation(arrays, WEIGHTING).node(wq.And(clauses))
    hits = [searcher.stored_fields(int(d)) for d in engine.newest_first(arrays, matched)[:limit]]
    return [Suggestion(hit["title"], iri_to_uri(hit["path"]), hit["language"]) for hit in hits]


def suggest_entities(text: str, limit: int = MAX_ENTITIES) -> list[Suggestion]:
    """People and events with a name or alias that has a word starting with ``text``.

    Names that start so come before names with a later word that does; each
    is labelled with its name in the reader's language.
    """
    key = normalize_key(text[:MAX_PREFIX_CHARS])
    if len(key) < MIN_PREFIX_CHARS:
        return []
    aliases = (
        Alias.objects.filter(Q(key__startswith=key) | Q(key__contains=" " + key))
        .select_related("person", "event").order_by("key")[: limit * 10]
    )
    language = (get_language() or "en")[:2]
    found = {}
    for alias in sorted(aliases, key=lambda a: not a.key.startswith(key)):
        entity = alias.person or alias.event
        kind = "person" if alias.person else "event"
        found.setdefault((kind, entity.pk), Suggestion(entity.name, entity.get_absolute_url(), language, kind))
    return list(found.values())[:limit]


def suggest(text: str, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
    """What the search box offers: people and events first, then article titles."""
    entities = suggest_entities(text, min(limit, MAX_ENTITIES))
    return entities + suggest_titles(text, limit - len(entities)) if limit > len(entities) else entities
