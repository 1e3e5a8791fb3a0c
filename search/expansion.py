"""Query expanders: what other apps know a query also means.

Search sits below the apps that know people, places and events, so it
cannot ask them; they register here instead (``entities`` does in its
``AppConfig.ready``).  An expander takes the query as typed and returns an
``Expansion``: other spellings of what it names (searched as phrases, each
a match as good as the query's own words), the ids of articles linked
to it (found whatever they write), and other spellings of single words of
the query (a place's name in the other languages: a match as good as that
word, not as the whole query).  ``expand`` merges what every expander
returns, bounded.  A name checker tells which of some spellings the apps
know as names (``known_names``: the people discovery's), so a spelling
``search.other_spellings`` found by the transliteration rules alone can be
trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_SPELLINGS = 12
MAX_ARTICLES = 500


@dataclass(frozen=True)
class Expansion:
    spellings: tuple[str, ...] = ()
    article_ids: tuple[int, ...] = ()
    # (a folded word of the query, its other spellings): each counts as that word
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __bool__(self):
        return bool(self.spellings or self.article_ids or self.words)


QUERY_EXPANDERS: list[Callable[[str], Expansion]] = []


def register(expander: Callable[[str], Expansion]) -> None:
    """Add ``expander`` once (``AppConfig.ready`` may run more than once)."""
    if expander not in QUERY_EXPANDERS:
        QUERY_EXPANDERS.append(expander)


NAME_CHECKERS: list[Callable[[list[str]], set[str]]] = []


def register_names(checker: Callable[[list[str]], set[str]]) -> None:
    """Add a name checker once: it takes folded words and returns those it knows as names."""
    if checker not in NAME_CHECKERS:
        NAME_CHECKERS.append(checker)


def known_names(spellings: list[str]) -> set[str]:
    """Which of ``spellings`` (folded words) some app knows as a name."""
    known: set[str] = set()
    for checker in NAME_CHECKERS:
        known |= checker(spellings)
    return known


def expand(query: str) -> Expansion:
    """What every registered expander adds to ``query``."""
    spellings: dict[str, None] = {}
    ids: dict[int, None] = {}
    by_word: dict[str, dict[str, None]] = {}
    for expander in QUERY_EXPANDERS:
        found = expander(query)
        spellings.update(dict.fromkeys(s for s in found.spellings if s.strip() and s.strip() != query.strip()))
        ids.update(dict.fromkeys(found.article_ids))
        for word, others in found.words:
            by_word.setdefault(word, {}).update(dict.fromkeys(s for s in others if s.strip() and s != word))
    words = tuple((word, tuple(others)[:MAX_SPELLINGS]) for word, others in by_word.items() if others)
    return Expansion(tuple(spellings)[:MAX_SPELLINGS], tuple(sorted(ids))[:MAX_ARTICLES], words)
