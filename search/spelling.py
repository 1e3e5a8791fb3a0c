""""Did you mean": a query with its unknown words replaced by close ones.

Engine-neutral: a backend gives a ``Lexicon`` of its index (how many
documents have a term, terms two edits away, a term as some article wrote
it).  The work is bounded whatever a reader types: at most
``SUGGEST_WORDS`` unknown words are looked at, none longer than
``SUGGEST_MAX_LETTERS``, and no word is started once ``SUGGEST_SECONDS``
have passed.  Each word costs a few milliseconds: its edits at distance 1
(about 80 per letter) are looked up as index terms, and only a long word
without any is looked up at distance 2, among the terms that share its
first two letters (a walk of the whole term list costs ~0.1 s a word at
5,000 articles, seconds at 48,000).
"""

from __future__ import annotations

import time
from typing import Protocol

from articles.text import chains, fold, query_language, tokenize
from articles.text.stopwords import STOP_WORDS

SUGGEST_WORDS = 6
SUGGEST_MAX_LETTERS = 24
SUGGEST_SECONDS = 0.25
_clock = time.monotonic  # tests replace it
_LETTERS = {
    "arabic": "".join(sorted({fold(chr(c)) for c in [*range(0x621, 0x63B), *range(0x641, 0x64B), 0x67E, 0x686, 0x698, 0x6A9, 0x6AF, 0x6CC]})),
    "latin": "abcdefghijklmnopqrstuvwxyz",
}


class Lexicon(Protocol):
    def doc_frequency(self, term: str) -> int:
        """How many documents have ``term`` (an index term: folded and stemmed)."""

    def close_terms(self, term: str, maxdist: int, limit: int, prefix: int) -> list[str]:
        """Index terms at most ``maxdist`` edits from ``term`` that share its first ``prefix`` letters."""

    def written(self, term: str) -> str:
        """``term`` as an article wrote it ("" if none)."""


def suggest(lexicon: Lexicon, text: str) -> str:
    """The query with unknown words replaced by close ones ("" if none is unknown).

    Candidates are index terms (folded and stemmed); each is shown as a word
    an article really wrote, so the reader sees a word, not a stem.
    """
    deadline = _clock() + SUGGEST_SECONDS
    pieces, last, looked_at = [], 0, 0
    language = query_language(text)
    languages = (language,) if language else chains.LANGUAGES
    for tok in tokenize(text):
        if tok.text in STOP_WORDS or tok.text.isdigit() or not 3 <= len(tok.text) <= SUGGEST_MAX_LETTERS:
            continue
        # index terms are each article's language's stems
        terms = list(dict.fromkeys(chains.stem(tok.text, lang) for lang in languages))
        if any(lexicon.doc_frequency(term) for term in terms):
            continue
        if looked_at == SUGGEST_WORDS or _clock() > deadline:
            break
        looked_at += 1
        candidates = corrections(lexicon, terms[0])
        word = lexicon.written(candidates[0]) if candidates else ""
        if word:
            pieces.append(text[last:tok.start] + word)
            last = tok.end
    return "".join(pieces) + text[last:] if pieces else ""


def corrections(lexicon: Lexicon, term: str) -> list[str]:
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
    found = {t: df for t in edits if (df := lexicon.doc_frequency(t))}
    if not found and len(term) >= 6:
        found = {t: lexicon.doc_frequency(t) for t in lexicon.close_terms(term, maxdist=2, limit=5, prefix=2)}
    return sorted(found, key=lambda t: (-found[t], t))
