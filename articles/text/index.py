"""The search index's analysis: folded, light-stemmed tokens without stop words.

Language-blind (one chain for both languages); ``chains`` holds the
per-language chains that are to replace it.
"""

from __future__ import annotations

from collections.abc import Iterator

from .morphology import _STEMS
from .stopwords import STOP_WORDS
from .tokens import Token, _folded_window, _Pieces, _scan, indexed_tokens


def _analyzed_tokens(tokens, stemming: bool, stop_words: bool, out: list) -> None:
    joined = None
    stop = STOP_WORDS if stop_words else frozenset()
    stems = _STEMS if stemming else None
    for word, start, end, pos, part in tokens:
        if word in stop:
            continue
        if stems is not None:
            word = stems[word]
        if part:
            if word == joined:
                continue  # "کتاب‌ها" stems to its first part: one term is enough
        else:
            joined = word
        out.append((word, start, end, pos, part))


def _analysis_window(stemming: bool, stop_words: bool):
    def window(chunk: str, offset: int, pos: int, parts: bool, out: list) -> int:
        tokens: list = []
        pos = _folded_window(chunk, offset, pos, parts, tokens)
        _analyzed_tokens(tokens, stemming, stop_words, out)
        return pos

    return window


def _analysed_word(stemming: bool, stop_words: bool):
    def word(folded: str) -> str:
        if stop_words and folded in STOP_WORDS:
            return ""
        return _STEMS[folded] if stemming else folded

    return word


_ANALYZED_PIECES = {
    (stemming, stop): _Pieces(_analysis_window(stemming, stop), True, _analysed_word(stemming, stop))
    for stemming in (True, False) for stop in (True, False)
}


def _analyzed(text: str, stemming: bool, stop_words: bool) -> list[tuple[str, int, int, int, bool]]:
    return _scan(text, True, _ANALYZED_PIECES[stemming, stop_words])


def analyze(text: str, *, stemming: bool = True, stop_words: bool = True) -> Iterator[Token]:
    """Tokens for the search index and for queries: folded, stemmed, no stop words.

    Joined words come with their parts (see ``tokenize``).  Positions count
    every word, stop words included, so phrase queries that span a dropped
    stop word still line up.
    """
    for t in _analyzed(text, stemming, stop_words):
        yield Token(*t)


def analyze_spans(text: str, *, stemming: bool = True, stop_words: bool = True) -> list[tuple[str, int, int, int, bool]]:
    """What ``analyze`` yields, as plain ``(text, start, end, pos, part)``
    tuples: for scanning long texts (highlighting) without a Token each."""
    return _analyzed(text, stemming, stop_words)


def term_positions(text: str, *, stemming: bool = True, stop_words: bool = True) -> dict[str, list[int]]:
    """Each term ``analyze`` finds in ``text`` with its positions, in order.

    What the search index stores for a text, without building a token
    object per word (indexing calls this for every article).
    """
    if not stemming and not stop_words:
        return _folded_positions(text)
    positions: dict[str, list[int]] = {}
    for word, _start, _end, pos, _part in _analyzed(text, stemming, stop_words):
        found = positions.get(word)
        if found is None:
            positions[word] = [pos]
        else:
            found.append(pos)
    return positions



def _folded_positions(text: str) -> dict[str, list[int]]:
    # The folded field's terms are the tokens every chain reads (a part that
    # is its joined word again left out, as ``_analyzed_tokens`` does): from
    # the tokens remembered for the text's other fields.
    positions: dict[str, list[int]] = {}
    get = positions.get
    joined = None
    for word, _start, _end, pos, part in indexed_tokens(text):
        if part:
            if word == joined:
                continue
        else:
            joined = word
        found = get(word)
        if found is None:
            positions[word] = [pos]
        else:
            found.append(pos)
    return positions
