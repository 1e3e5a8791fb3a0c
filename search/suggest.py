"""Suggestions as a reader types: people, events and article titles.

People and events match when one of their names or aliases, in any
language and spelling (the folded ``Alias.key``), has a word starting with
what was typed; there are few enough of them for an indexed database query.

Titles come from the search index through ``SearchQuerySet``: every
finished word must be in the title (``filter(title=...)``, analysed as the
title field is), the last, unfinished word starts a title word
(``filter(title__startswith=...)``, the commonest few title terms that
start so, also without an Arabic ال), newest first.  Nothing is read from
the database, so a keystroke costs a few term lookups.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language
from haystack.query import SQ, SearchQuerySet

from articles.text import analyze, chains, normalize_key, stem, tokenize
from entities.models import Alias

MAX_PREFIX_CHARS = 100
# A lone first letter would match half the index; after a finished word it narrows.
MIN_PREFIX_CHARS = 2
DEFAULT_LIMIT = 8
MAX_ENTITIES = 4  # the rest of the list is for titles


@dataclass(frozen=True)
class Suggestion:
    """One completion: what to show, where it leads, in which language."""

    label: str
    url: str
    language: str
    kind: str = "article"


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
    titles = SearchQuerySet().order_by("-published")
    has_words = any(not t.part for t in analyze(finished))
    if has_words:
        titles = titles.filter(title=finished)
    if last:
        # "الانت" also as "انت": titles are indexed without ال
        # titles are indexed in their language's chain: without a conjunction before a known word
        forms = {last, stem(last), *(chains.stem(last, language) for language in chains.LANGUAGES)}
        if has_words and len(last) >= 2 and last[0] in "وف":
            forms.add(last[1:])
        starts = sorted(c for c in forms if len(c) >= (1 if has_words else MIN_PREFIX_CHARS))
        if not starts:
            return []
        titles = titles.filter(reduce(operator.or_, (SQ(title__startswith=c) for c in starts)))
    elif not has_words:
        return []
    return [Suggestion(hit.title, iri_to_uri(hit.path), hit.language) for hit in titles[:limit]]


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
