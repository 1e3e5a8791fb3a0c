"""Suggestions as a reader types: people, events and article titles.

People and events come from the entities app (``entities.suggest``,
registered in ``SUGGESTERS``).

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

from django.utils.encoding import iri_to_uri
from haystack.query import SQ, SearchQuerySet

from articles.text import analyze, chains, stem, tokenize
from articles.text.morphology import CONJUNCTIONS

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
        if has_words and len(last) >= 2 and last[0] in CONJUNCTIONS:
            forms.add(last[1:])
        starts = sorted(c for c in forms if len(c) >= (1 if has_words else MIN_PREFIX_CHARS))
        if not starts:
            return []
        titles = titles.filter(reduce(operator.or_, (SQ(title__startswith=c) for c in starts)))
    elif not has_words:
        return []
    return [Suggestion(hit.title, iri_to_uri(hit.path), hit.language) for hit in titles[:limit]]


# Suggesters of things other than titles, first in the list: ``(text, limit) -> [Suggestion]``,
# registered by the apps that know them (the entities app: people and events).
SUGGESTERS: list = []


def register(suggester) -> None:
    """Offer ``suggester``'s completions before the titles (once; ``ready()`` may run twice)."""
    if suggester not in SUGGESTERS:
        SUGGESTERS.append(suggester)


def suggest(text: str, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
    """What the search box offers: people and events first (``SUGGESTERS``), then article titles."""
    entities = []
    for suggester in SUGGESTERS:
        entities += suggester(text, min(limit, MAX_ENTITIES) - len(entities))
    return entities + suggest_titles(text, limit - len(entities)) if limit > len(entities) else entities
