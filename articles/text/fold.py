"""Folding: the spelling variants of one letter written as one form.

``fold`` is what two spellings of a word have in common (see the package
docstring); ``fold_key`` also drops the ZWNJ, for keys that must not depend
on how a writer joined a word; ``persian_letters`` writes the Arabic-only
letters of a Persian text as Persian ones (legacy encodings, a Persian
keyboard); ``arabic_letters`` the reverse.
"""

from __future__ import annotations

import unicodedata

ZWNJ = "\u200c"
ZWJ = "\u200d"

_FOLD_MAP = {
    # yeh variants -> Persian yeh (Lucene PersianNormalizer / ArabicNormalizer)
    "\u064a": "\u06cc",  # ي ARABIC YEH
    "\u0649": "\u06cc",  # ى ALEF MAKSURA
    "\u06d2": "\u06cc",  # ے YEH BARREE
    "\u06d0": "\u06cc",  # ې
    "\u0626": "\u06cc",  # ئ YEH WITH HAMZA: مسائل / مسایل
    # kaf variants -> keheh
    "\u0643": "\u06a9",  # ك ARABIC KAF
    "\u06aa": "\u06a9",  # ڪ SWASH KAF
    # heh variants
    "\u06c0": "\u0647",  # ۀ HEH WITH YEH ABOVE
    "\u06c1": "\u0647",  # ہ HEH GOAL
    "\u06c2": "\u0647",  # ۂ
    "\u06d5": "\u0647",  # ە AE (what NFKC leaves of ۀ)
    "\u0629": "\u0647",  # ة TEH MARBUTA
    # alef variants
    "\u0622": "\u0627",  # آ
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0671": "\u0627",  # ٱ WASLA
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    # waw with hamza
    "\u0624": "\u0648",  # ؤ
    # marks and tatweel: removed
    "\u0640": None,  # tatweel
    "\u0670": None,  # superscript alef
    "\u0674": None,  # high hamza
    ZWJ: None,
    "\u200e": None,  # LRM
    "\u200f": None,  # RLM
    "\u061c": None,  # ALM
    "\u00ad": None,  # soft hyphen
    "\u066b": ".",  # ٫ ARABIC DECIMAL SEPARATOR
    "\u066c": ",",  # ٬ ARABIC THOUSANDS SEPARATOR
}
# harakat U+064B..U+065F (fathatan .. wavy hamza below), Quranic marks
for _cp in list(range(0x064B, 0x0660)) + list(range(0x06D6, 0x06DD)) + list(range(0x06DF, 0x06E9)) + list(range(0x06EA, 0x06EE)):
    _FOLD_MAP[chr(_cp)] = None
# every decimal digit system we meet -> ASCII
for _zero in (0x0660, 0x06F0, 0x07C0, 0xFF10):
    for _i in range(10):
        _FOLD_MAP[chr(_zero + _i)] = str(_i)
_FOLD_TABLE = str.maketrans(_FOLD_MAP)

# Only the letters that differ between the Persian and Arabic orthographies;
# used to check an editor's text, not to fold it.
ARABIC_ONLY_LETTERS = {"\u064a": "\u06cc", "\u0643": "\u06a9", "\u0649": "\u06cc"}
PERSIAN_ONLY_LETTERS = {"\u06cc": "\u064a", "\u06a9": "\u0643"}


def fold(text: str) -> str:
    """Fold spelling variants to one form, keeping ZWNJ and spaces.

    The result is what two spellings of the same word have in common; it is
    lower-cased for Latin script.  It does not preserve length, so never use
    it to compute offsets into the original (``tokenize`` does that).
    """
    # NFKC matters only for presentation forms, ligatures and width variants;
    # the quick check (C, no copy) spares ordinary text the normalisation.
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_FOLD_TABLE).casefold()


class WordMemo(dict):
    """Answers of a one-word function, remembered (``memo[word]``, up to ``size`` words).

    Words follow a Zipfian law: a few thousand make up most of any text, so
    nearly every lookup hits.  A plain dict lookup (C) is several times
    cheaper than ``functools.lru_cache``'s bookkeeping on the indexing hot
    path; when the memo is full it simply starts again.
    """

    def __init__(self, function, size: int = 1 << 20):
        super().__init__()
        self.function, self.size = function, size

    def __missing__(self, word: str) -> str:
        if len(self) >= self.size:
            self.clear()
        value = self[word] = self.function(word)
        return value


def fold_key(text: str) -> str:
    """``fold`` without the ZWNJ: "می‌شود" and "میشود" give one key.

    For keys compared as wholes (month names, query words); tokens need no
    such key, ``tokenize`` already joins ZWNJ pieces.
    """
    return fold(text).replace(ZWNJ, "")


_LEGACY_LETTERS = str.maketrans(ARABIC_ONLY_LETTERS)


def persian_letters(text: str) -> str:
    """``text`` with Arabic yeh, alef maksura and kaf written as Persian ی and ک.

    What a Persian keyboard types, and what a Persian text read from
    Windows-1256 (which has no Persian yeh) meant; nothing else changes.
    """
    return text.translate(_LEGACY_LETTERS)


_ARABIC_KEYBOARD = str.maketrans(PERSIAN_ONLY_LETTERS)


def arabic_letters(text: str) -> str:
    """``text`` with Persian ی and ک written as Arabic ي and ك: what an Arabic keyboard types (and Snowball's Arabic stemmer reads)."""
    return text.translate(_ARABIC_KEYBOARD)


# ``fold`` itself also gets whole texts, which are not worth keeping.
_FOLDED = WordMemo(fold)
