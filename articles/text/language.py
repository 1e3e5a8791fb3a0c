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



# Evidence for the language of a query, each counted once.  Strong letters
# only one orthography has; the yeh and kaf a keyboard types (weak: readers
# type Arabic on a Persian keyboard and back); function words only one
# language uses (folded; none that the other language also writes, as من،
# ما، این/اين or آن/أن, which fold alike); the Arabic article.
_FA_STRONG = frozenset("پچژگۀ")
_AR_STRONG = frozenset("ةىؤ")
_FA_KEYBOARD = frozenset("یک")
_AR_KEYBOARD = frozenset("يك")
_FA_ONLY_WORDS = frozenset(fold(w) for w in """
است هست بود شد کرد از را که با برای در تا می نمی چه چرا کجا چگونه چطور آیا کدام کی چیست کیست
""".split())
_AR_ONLY_WORDS = frozenset(fold(w) for w in """
في فى على الى إلى عن هذا هذه التي الذي الذين هو هي كان كانت ماذا متى أين كيف لماذا هل كم مع قد
""".split())
_PERSIAN_AL_WORDS = frozenset(fold(w) for w in "البته الان الگو الهام الهی".split())


def query_language(text: str) -> str | None:
    """``"fa"`` or ``"ar"`` when a query shows one language clearly, else None (read it as both).

    Letters only one orthography writes count most (پ چ ژ گ; ة ى ؤ), then
    function words only one language uses and the Arabic article; the yeh
    and kaf of a keyboard count least.  A query whose evidence is even, or
    leans by one weak sign only while the other side has some, is neither.
    """
    letters = set(text)
    folded = words(text)
    fa = 2 * bool(letters & _FA_STRONG) + bool(letters & _FA_KEYBOARD) + 2 * any(w in _FA_ONLY_WORDS for w in folded)
    ar = (2 * bool(letters & _AR_STRONG) + bool(letters & _AR_KEYBOARD) + 2 * any(w in _AR_ONLY_WORDS for w in folded)
          + any(w.startswith("ال") and len(w) > 3 and w not in _PERSIAN_AL_WORDS for w in folded))
    if fa > ar and (ar == 0 or fa - ar >= 2):
        return "fa"
    if ar > fa and (fa == 0 or ar - fa >= 2):
        return "ar"
    return None
