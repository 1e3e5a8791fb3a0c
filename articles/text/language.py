"""Which language a text is written in, and whether it is Arabic script at all."""

from __future__ import annotations

import re

from .fold import fold
from .tokens import words

_FA_LETTERS = frozenset("پچژگ")
_AR_LETTERS = frozenset("ةإأؤ")
_FA_WORDS = frozenset(fold(w) for w in "است می را این که های برای شد کرد شده هم ای".split())
_AR_WORDS = frozenset(fold(w) for w in "في من على إلى التي الذي أن عن هذا هذه وقد كما قال".split())


def detect_language(text: str) -> str | None:
    """``"fa"`` or ``"ar"`` from the letters and function words used.

    Persian-only letters (پ چ ژ گ) and Arabic-only ones (ة أ إ ؤ) count, and
    so do the commonest function words of each language, so a Persian text
    typed with Arabic ي and ك, or one stray letter, does not flip the answer.
    ``None`` when the text has no Arabic-script evidence at all.
    """
    fa = sum(ch in _FA_LETTERS for ch in text)
    ar = sum(ch in _AR_LETTERS for ch in text)
    for w in words(text[:20000]):
        if w in _FA_WORDS:
            fa += 3
        elif w in _AR_WORDS:
            ar += 3
    if fa == ar == 0:
        return None
    return "fa" if fa >= ar else "ar"


_ARABIC_SCRIPT_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def has_arabic_script(text: str) -> bool:
    """Whether ``text`` contains any Arabic-script letter."""
    return bool(_ARABIC_SCRIPT_RE.search(text))



# Letters only one of the two orthographies writes.  Persian: its own yeh and
# kaf, the four letters Arabic lacks, heh with yeh; Arabic: its yeh, kaf,
# alef maksura and teh marbuta.  Hamza forms are left out: Persian writes
# تأثیر and مسئله as well.
_PERSIAN_ONLY = frozenset("پچژگیکۀ")
_ARABIC_ONLY = frozenset("يكىة")


def query_language(text: str) -> str | None:
    """``"fa"`` or ``"ar"`` when a query uses letters of one orthography only, else None.

    A query is too short for function words to count; its letters decide.
    ``None`` (neither, or both, as in a Persian query typed with Arabic ي)
    means the query is to be read in both languages.
    """
    letters = set(text)
    fa, ar = bool(letters & _PERSIAN_ONLY), bool(letters & _ARABIC_ONLY)
    if fa == ar:
        return None
    return "fa" if fa else "ar"
