"""The word lists the analysis chains consult: names, compounds, word counts.

Read once, lazily, from ``data/`` (committed; derived from corpora and the
knowledge base by ``bench/text_lexicons.py``, see ``data/README.md``).  All
entries are folded words.  ``add_names`` lets a higher layer (entity linking,
the knowledge base) add the names it knows at start-up without this package
importing it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .fold import fold, fold_key

DATA = Path(__file__).resolve().parent / "data"
# A stem must be seen at least this often to count as a word.
MIN_COUNT = 2

_extra_names: set[str] = set()


def _lines(name: str):
    with (DATA / name).open(encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


@cache
def _names() -> frozenset[str]:
    return frozenset(fold_key(line) for line in _lines("names.txt"))


@cache
def _counts(language: str) -> dict[str, int]:
    counts = {}
    for line in _lines(f"words-{language}.txt"):
        word, _, count = line.rpartition(" ")
        counts[word] = int(count)
    return counts


@cache
def _compounds() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """``joined -> (first, second)``, and ``first و second -> joined`` for the two-part spellings with و."""
    parts, with_vav = {}, {}
    for line in _lines("compounds.txt"):
        words = fold(line).split()
        if len(words) == 2:
            parts[words[0] + words[1]] = (words[0], words[1])
        elif len(words) == 3 and words[1] == "و":
            joined = words[0] + words[2]
            parts[joined] = (words[0], words[2])
            with_vav[words[0] + "و" + words[2]] = joined
    return parts, with_vav


def add_names(words) -> None:
    """Add names (a known person, place or outlet) that are never to be stemmed."""
    _extra_names.update(fold_key(w) for w in words)


def is_name(word: str) -> bool:
    """Whether a folded word is a name of the lexicon."""
    return word in _names() or word in _extra_names


def count(language: str, word: str) -> int:
    """How often a folded word was seen in ``language``'s reference text."""
    return _counts(language).get(word, 0)


def known(language: str, stem: str, word: str | None = None) -> bool:
    """Whether ``stem`` is a known word of ``language`` and, given ``word``,
    at least as common as ``word`` (so cutting ``word`` to it is safe)."""
    counts = _counts(language)
    seen = counts.get(stem, 0)
    return seen >= MIN_COUNT and (word is None or seen >= counts.get(word, 0))


def compound_parts(joined: str) -> tuple[str, str] | None:
    """The two parts of a known compound written joined (بینالمللی -> بین, المللی)."""
    return _compounds()[0].get(joined)


def compound_canonical(word: str) -> str | None:
    """The joined form of a two-part spelling with و (گفتوگو -> گفتگو)."""
    return _compounds()[1].get(word)
