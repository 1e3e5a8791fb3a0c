"""Regular expressions: exact-spelling search and the SQL/regex folding pattern."""

from __future__ import annotations

import re

from .fold import _FOLD_MAP, fold
from .tokens import _NUMBER_SEPARATORS, _WORD_CHAR, _WORD_RE, Token


def exact_tokens(text: str) -> list[Token]:
    """Words exactly as written, for exact-spelling search.

    Nothing is folded (Arabic and Persian yeh stay apart, diacritics stay);
    only Latin letters are lower-cased and the invisible joiners between
    words are kept inside the word they join.
    """
    return [Token(m.group().casefold(), m.start(), m.end(), i) for i, m in enumerate(_WORD_RE.finditer(text))]


def exact_pattern(words: list[str], *, prefix: bool = False) -> str:
    """A regular expression finding ``words`` (from ``exact_tokens``) written so, in a row.

    Each word must be a whole word of the text, as ``exact_tokens`` reads
    it (so "12" is not found inside "12.5"); anything that is not a word may
    stand between them.  With ``prefix`` the last word may go on.  Compile
    it with ``re.IGNORECASE`` (Latin letters match in either case).
    """
    before = rf"(?<!{_WORD_CHAR})(?<!\d{_NUMBER_SEPARATORS})"
    after = rf"{_WORD_CHAR}*" if prefix else rf"(?!{_WORD_CHAR})(?!{_NUMBER_SEPARATORS}\d)"
    gap = rf"(?:(?!{_WORD_CHAR})[\s\S])+"
    return before + gap.join(re.escape(w) for w in words) + after


# --- spelling-tolerant patterns ------------------------------------------------

_MARKS_CLASS = "[\u064b-\u065f\u0670\u0640\u200c\u200d]*"
_VARIANTS: dict[str, set[str]] = {}
for _src, _dst in _FOLD_MAP.items():
    if _dst and len(_dst) == 1:
        _VARIANTS.setdefault(_dst, {_dst}).add(_src)


def fold_pattern(word: str) -> str:
    """A regular expression matching every spelling of ``word`` that folds like it.

    Works in Python, SQLite's REGEXP and PostgreSQL's ``~*``, so the admin
    can search the database with the portal's folding: each letter becomes
    the class of its variants (ي ی ى ئ …) and each Latin letter of both its
    cases, and diacritics, tatweel and joiners may appear between letters.
    Case-sensitive matching is enough, and faster.
    """
    parts = []
    for ch in fold(word):
        variants = _VARIANTS.get(ch) or ({ch, ch.upper()} if ch.upper() != ch and len(ch.upper()) == 1 else None)
        parts.append("[" + "".join(sorted(variants)) + "]" if variants else re.escape(ch))
    return _MARKS_CLASS.join(parts)


