""""Did you mean": a query with its unknown words replaced by close ones.

Engine-neutral: a backend gives a ``Lexicon`` of its index (how many
documents have a term, close terms, a term as some article wrote it).
The work is bounded whatever was typed: only the first ``MAX_WORDS``
unknown words are corrected, and words longer than ``MAX_WORD_CHARS``
(no real word is) are left as typed.
"""

from __future__ import annotations

from typing import Protocol

from articles.text import analyze

MAX_WORDS = 6
MAX_WORD_CHARS = 24
CANDIDATES = 5


class Lexicon(Protocol):
    def doc_frequency(self, term: str) -> int:
        """How many documents have ``term`` (an index term: folded and stemmed)."""

    def close_terms(self, term: str, maxdist: int, limit: int) -> list[str]:
        """Index terms at most ``maxdist`` edits from ``term``."""

    def written(self, term: str) -> str:
        """``term`` as an article wrote it ("" if none)."""


def suggest(lexicon: Lexicon, text: str) -> str:
    """The query with unknown words replaced by close ones ("" if none is unknown).

    Candidates are index terms (folded and stemmed); each is shown as a word
    an article really wrote, so the reader sees a word, not a stem.
    """
    pieces, last, tried = [], 0, 0
    for tok in analyze(text):
        if tok.part or tok.text.isdigit() or not 3 <= len(tok.text) <= MAX_WORD_CHARS:
            continue
        if lexicon.doc_frequency(tok.text):
            continue
        if tried >= MAX_WORDS:
            break
        tried += 1
        candidates = lexicon.close_terms(tok.text, 1 if len(tok.text) < 6 else 2, CANDIDATES)
        candidates = sorted(candidates, key=lambda t: -lexicon.doc_frequency(t))
        word = lexicon.written(candidates[0]) if candidates else ""
        if word:
            pieces.append(text[last:tok.start] + word)
            last = tok.end
    return "".join(pieces) + text[last:] if pieces else ""
