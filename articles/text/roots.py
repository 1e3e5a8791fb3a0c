"""Arabic roots: NLTK's ISRI stemmer (Apache-2.0), wrapped for folded words.

A root brings together what light stemming leaves apart: a broken plural
and its singular (حروب, حرب), a masdar or participle and its verb (استخدام,
یستخدم -> خدم; مدارس, مدرسه -> درس).  It also conflates much that is not
the same word (کتاب, مکتبه, کاتب -> کتب), so the chains give it only as a
weak extra term (``chains.ROOT``), never in place of the stem.
"""

from __future__ import annotations

from .fold import _WordMemo, arabic_letters, fold

_ISRI = []


def _isri():
    # imported when a word first needs its root: importing nltk takes seconds
    # (the whole package), which a process that reads no Arabic need not pay
    if not _ISRI:
        from nltk.stem.isri import ISRIStemmer

        _ISRI.append(ISRIStemmer())
    return _ISRI[0]


def _root(word: str) -> str:
    if len(word) < 3 or not word.isalpha():
        return ""
    # ISRI reads Arabic letters and keeps a hamza as a letter of the root:
    # a final ء is the plural's (فعلاء: وزراء -> وزر), a ی between ا and the
    # last letter was the plural's ئ before folding (فعائل: رسایل -> رسائل)
    word = word.removesuffix("ء")
    if len(word) >= 5 and word[-3:-1] == "ای":
        word = word[:-2] + "ئ" + word[-1]
    # folding wrote ة as ه, and a final ه is far more often ة in a stem (the pronoun is stripped before)
    arabic = arabic_letters(word[:-1] + "ة" if word.endswith("ه") else word)
    found = fold(_isri().stem(arabic))
    return found if len(found) >= 3 else ""


_ROOTS = _WordMemo(_root)


def root(word: str) -> str:
    """The ISRI root of a folded Arabic word without proclitics (مدارس -> درس;
    a word of three letters is its own), or "" where ISRI leaves fewer than three."""
    return _ROOTS[word]
