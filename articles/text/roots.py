"""Arabic roots: NLTK's ISRI stemmer (Apache-2.0), wrapped for folded words,
and the stems a root's common patterns make.

A root brings together what light stemming leaves apart: a broken plural
and its singular (حروب, حرب), a masdar or participle and its verb (استخدام,
یستخدم -> خدم; مدارس, مدرسه -> درس).  It also conflates much that is not
the same word (کتاب, مکتبه, کاتب -> کتب), so search asks for a query word's
root-mates only as weak alternatives, never in place of its stem.

Only a query's words get a root (``search.whoosh.translate``): the index
holds stems, and a root's stems are found by its patterns (``forms``) among
them.  ISRI costs about 0.1 ms a word and importing NLTK seconds and 100 MB,
which an import of tens of thousands of articles should not pay for every
distinct word it reads.
"""

from __future__ import annotations

import functools

from .fold import WordMemo, arabic_letters, fold


@functools.cache
def isri():
    """NLTK's ISRI stemmer, imported when first asked for: importing nltk takes
    seconds (the whole package), which a process that searches no Arabic need
    not pay, and a server pays once before it forks its workers."""
    from nltk.stem.isri import ISRIStemmer

    return ISRIStemmer()


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
    found = fold(isri().stem(arabic))
    return found if len(found) >= 3 else ""


_ROOTS = WordMemo(_root)


def root(word: str) -> str:
    """The ISRI root of a folded Arabic word without proclitics (مدارس -> درس;
    a word of three letters is its own), or "" where ISRI leaves fewer than three."""
    return _ROOTS[word]


# The commonest noun and verb patterns, folded and without the endings the
# light stemmer strips (ه, ات, ون, ین): the stems an index may hold for a
# root's words.  Digits stand for the root's letters in order.
_TRILITERAL = (
    "123", "1ا23", "12ا3", "12ی3", "12و3", "ا123", "ا12ا3", "م123", "م12و3", "م1ا23", "م1ا2ی3",
    "1وا23", "12ای3", "123ا", "123اء", "ت12ی3", "ت123", "ت1ا23", "ا1ت23", "ا1ت2ا3", "م1ت23",
    "ت1ا2ی3", "ان123", "ان12ا3", "است123", "است12ا3", "مست123", "م12ا3", "ا1ا23", "12اء",
)
_QUADRILITERAL = ("1234", "12ا34", "12ا3ی4", "م1234", "ت1234")


def _forms(found: str) -> tuple[str, ...]:
    patterns = {3: _TRILITERAL, 4: _QUADRILITERAL}.get(len(found), ())
    letters = dict(zip("1234", found, strict=False))
    return tuple(dict.fromkeys("".join(letters.get(c, c) for c in p) for p in patterns))


_FORMS = WordMemo(_forms)


def forms(found: str) -> tuple[str, ...]:
    """The stems the common patterns make of a root (درس: درس, دارس, دراس,
    مدرس, مدارس, تدریس, ...), real words or not: the index tells which are."""
    return _FORMS[found]
