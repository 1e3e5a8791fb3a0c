"""Words and tokens with offsets into the original text, and their memos.

Folding while keeping offsets: each token's ``text`` is folded, its
``start``/``end`` point into the text as written.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .fold import _FOLDED, ZWNJ

# A word: letters, digits, combining marks (harakat must not split a word),
# tatweel and the joiners.  Decimal points inside numbers stay in the word.
_WORD_CHAR = r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200c\u200d])"
_NUMBER_SEPARATORS = "[.,٫٬/]"
_WORD_RE = re.compile(rf"{_WORD_CHAR}+(?:{_NUMBER_SEPARATORS}(?=\d)\d+)*")

# Punctuation that never belongs to a word (no letters, digits, marks or
# joiners; nothing the number pattern keeps inside a word when a digit follows).
_EDGE_PUNCTUATION = "،؛؟.:;!?«»()[]{}\"'-–—…*%٪\n\r\t"
# What ends a sentence in Persian, Arabic or Latin text (a line end too), the marks together
SENTENCE_END_RE = re.compile(r"[.!?؟\n]+")
SENTENCE_END = frozenset(".!?؟\n")  # the same, a character at a time

# Detached spellings of what should be ZWNJ-joined: the verbal prefixes and
# the plural/comparative suffixes, in their folded form.
_JOIN_PREFIXES = frozenset({"می", "نمی", "همی"})
_JOIN_SUFFIXES = frozenset({"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "تر", "ترین", "تری"})


class Token(NamedTuple):
    """A word of the original text.

    ``text`` is the folded (and, from ``analyze``, stemmed) form; ``start``
    and ``end`` are offsets into the original string; ``pos`` counts words.
    ``part`` marks one piece of a joined word ("بین" and "المللی" of
    "بین‌المللی"), emitted beside the joined token so both spellings match.
    """

    text: str
    start: int
    end: int
    pos: int
    part: bool = False


def _spans(text: str) -> list[tuple[int, int, str, bool]]:
    """``(start, end, folded, joined to the next by a ZWNJ)`` of every word.

    Most words stand between plain spaces and are letters only: splitting
    on spaces and asking ``str.isalnum`` (both C) finds them several times
    faster than the word pattern, which is kept for the pieces with
    punctuation, marks, joiners or numbers in them.  The pattern's letters
    and digits are exactly what ``isalnum`` accepts, so both find the same words.
    """
    spans: list[tuple[int, int, str, bool]] = []
    offset = 0
    for piece in text.split(" "):
        if piece.isalnum():
            folded = _FOLDED[piece]
            if folded:
                spans.append((offset, offset + len(piece), folded, False))
        elif piece:
            # next commonest: a word with punctuation before or after it
            core = piece.strip(_EDGE_PUNCTUATION)
            if core.isalnum():
                folded = _FOLDED[core]
                if folded:
                    start = offset + len(piece) - len(piece.lstrip(_EDGE_PUNCTUATION))
                    spans.append((start, start + len(core), folded, False))
            else:
                _pattern_spans(piece, offset, spans)
        offset += len(piece) + 1
    return spans


def _pattern_spans(piece: str, offset: int, spans: list) -> None:
    for m in _WORD_RE.finditer(piece):
        raw = m.group()
        start = offset + m.start()
        if ZWNJ not in raw:
            folded = _FOLDED[raw]
            if folded:
                spans.append((start, start + len(raw), folded, False))
            continue
        # each ZWNJ-separated part keeps its own offsets
        first = len(spans)
        for part in raw.split(ZWNJ):
            folded = _FOLDED[part]
            if folded:
                spans.append((start, start + len(part), folded, True))
            start += len(part) + 1
        if len(spans) > first:  # where the joined word ends, so it is not run on
            spans[-1] = spans[-1][:3] + (False,)


def _joinable(text: str, left_end: int, right_start: int) -> bool:
    # Only a run of plain spaces (what a writer types instead of a ZWNJ)
    # joins; punctuation or a line break between the parts does not.
    gap = text[left_end:right_start]
    if not gap:
        return True  # a ZWNJ (already split off) joins
    return len(gap) <= 2 and gap.strip(" \u00a0") == ""


def _grouped(text: str, spans: list, parts: bool, pos: int, offset: int, out: list) -> int:
    """Join ``spans`` into tokens (ZWNJ pieces, detached prefixes and suffixes),
    append them to ``out`` (positions from ``pos``, offsets moved by ``offset``)
    and return the next position."""
    i = 0
    n = len(spans)
    while i < n:
        span = spans[i]
        if not span[3] and span[2] not in _JOIN_PREFIXES and (i + 1 == n or spans[i + 1][2] not in _JOIN_SUFFIXES):
            out.append((span[2], offset + span[0], offset + span[1], pos, False))
            pos += 1
            i += 1
            continue
        group = [span]
        # ZWNJ pieces: flag True means "joined to the next span"
        while group[-1][3] and i + 1 < n:
            i += 1
            group.append(spans[i])
        # prefix + word: "می شود" -> "میشود"
        while group[-1][2] in _JOIN_PREFIXES and i + 1 < n and _joinable(text, group[-1][1], spans[i + 1][0]):
            i += 1
            group.append(spans[i])
            while group[-1][3] and i + 1 < n:
                i += 1
                group.append(spans[i])
        # word + suffix: "کتاب ها" -> "کتابها"
        while (
            i + 1 < n
            and spans[i + 1][2] in _JOIN_SUFFIXES
            and not group[-1][2].isdigit()
            and _joinable(text, group[-1][1], spans[i + 1][0])
        ):
            i += 1
            group.append(spans[i])
        i += 1
        out.append(("".join(s[2] for s in group), offset + group[0][0], offset + group[-1][1], pos, False))
        if parts and len(group) > 1:
            out.extend((s[2], offset + s[0], offset + s[1], pos + k, True) for k, s in enumerate(group))
        pos += len(group) if parts else 1
    return pos


class _Pieces(dict):
    """The tokens of each space-separated piece of text that reads the same anywhere, remembered.

    Such a piece is *closed*: its first word is no detached suffix and its
    last no detached prefix, or punctuation shields them, so nothing joins
    across its edges and its tokens never depend on its neighbours.
    ``_scan`` takes a closed piece's tokens from here in one lookup: a str
    for one token covering the whole piece ("" for a word that gives no
    token but takes a position, as a stop word does), else ``(tokens,
    positions)`` with offsets and positions counted from the piece.  A piece
    that is not closed maps to None.  ``window`` reads text the slow way;
    ``word`` gives a lone word's token text from its folded form ("" for
    none), what ``window`` would make of it, without the detour.
    """

    def __init__(self, window, parts: bool, word, size: int = 1 << 20):
        super().__init__()
        self.window, self.parts, self.word, self.size = window, parts, word, size

    def __missing__(self, piece: str):
        if len(self) >= self.size:
            self.clear()
        value = None
        if piece.isalnum():  # the commonest piece: one word
            folded = _FOLDED[piece]
            if folded and folded not in _JOIN_PREFIXES and folded not in _JOIN_SUFFIXES:
                value = self[piece] = self.word(folded)
                return value
            closed = False
        else:
            spans = _spans(piece)
            closed = bool(piece) and (not spans or (_shielded_start(piece, spans[0]) and _shielded_end(piece, spans[-1])))
        if closed:
            tokens: list = []
            positions = self.window(piece, 0, 0, self.parts, tokens)
            if positions == 1 and not tokens:
                value = ""
            elif positions == 1 and len(tokens) == 1 and tokens[0][1:] == (0, len(piece), 0, False):
                value = tokens[0][0]
            else:
                value = (tuple(tokens), positions)
        self[piece] = value
        return value


def _shielded_start(piece: str, span) -> bool:
    # what stands before the first word blocks a join with the piece before
    return span[2] not in _JOIN_SUFFIXES or piece[:span[0]].strip(" \u00a0") != ""


def _shielded_end(piece: str, span) -> bool:
    return span[2] not in _JOIN_PREFIXES or piece[span[1]:].strip(" \u00a0") != ""


def _scan(text: str, parts: bool, pieces_memo: _Pieces) -> list[tuple[str, int, int, int, bool]]:
    """Tokens of ``text``: closed pieces (nearly all) from ``pieces_memo``,
    every run of other pieces read whole by its ``window``.

    A run begins at a piece that is not closed, or at a closed one followed
    by such a piece, and ends at two closed pieces in a row: no join ever
    crosses its edges.
    """
    pieces = text.split(" ")
    known = [pieces_memo[piece] for piece in pieces]
    out: list[tuple[str, int, int, int, bool]] = []
    n = len(pieces)
    pos = offset = i = 0
    while i < n:
        value = known[i]
        if value is not None and (i + 1 == n or known[i + 1] is not None):
            size = len(pieces[i])
            if value.__class__ is str:
                if value:
                    out.append((value, offset, offset + size, pos, False))
                pos += 1
            else:
                tokens, positions = value
                for term, start, end, at, part in tokens:
                    out.append((term, offset + start, offset + end, pos + at, part))
                pos += positions
            offset += size + 1
            i += 1
            continue
        j = i + 1
        while j < n and (known[j - 1] is None or known[j] is None):
            j += 1
        chunk = " ".join(pieces[i:j])
        pos = pieces_memo.window(chunk, offset, pos, parts, out)
        offset += len(chunk) + 1
        i = j
    return out


def _folded_window(chunk: str, offset: int, pos: int, parts: bool, out: list) -> int:
    return _grouped(chunk, _spans(chunk), parts, pos, offset, out)


_FOLDED_PIECES = {parts: _Pieces(_folded_window, parts, lambda folded: folded) for parts in (False, True)}


def _token_tuples(text: str, parts: bool) -> list[tuple[str, int, int, int, bool]]:
    """What ``tokenize`` returns, as plain tuples."""
    return _scan(text, parts, _FOLDED_PIECES[parts])


# the last text ``indexed_tokens`` read, with its tokens (one tuple: replaced at once, so threads never see a mix)
_last_indexed: tuple[str, tuple] = ("", ())


def indexed_tokens(text: str) -> tuple[tuple[str, int, int, int, bool], ...]:
    """What ``tokenize(text, parts=True)`` gives, as plain tuples, remembered
    for the last text: indexing reads one article's text for several fields
    (its language's chain, the folded field) and scans it once."""
    global _last_indexed
    last = _last_indexed
    if last[0] == text:
        return last[1]
    tokens = tuple(_token_tuples(text, True))
    _last_indexed = (text, tokens)
    return tokens


def tokenize(text: str, *, parts: bool = False) -> list[Token]:
    """Split ``text`` into folded word tokens with offsets into ``text``.

    ZWNJ-joined words become one token without the ZWNJ; a detached verbal
    prefix (می، نمی) or plural/comparative suffix (ها، های، تر، ترین) written
    with a space is joined to its word the same way.  With ``parts=True`` the
    pieces of a joined word follow it as ``part`` tokens (the first at the
    joined token's position), so "بین المللی" and "بین‌المللی" share terms.
    """
    return [Token(*t) for t in _token_tuples(text, parts)]


def words(text: str) -> list[str]:
    """The folded words of ``text`` (no stemming, stop words kept)."""
    return [t[0] for t in _token_tuples(text, False)]


def normalize_key(text: str) -> str:
    """One string for comparing names and titles: folded words, single spaces."""
    return " ".join(words(text))

