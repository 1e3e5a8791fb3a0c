"""Morphology: the Arabic proclitics and article, Persian and Arabic suffixes.

One table of Arabic proclitics (conjunctions و ف, prepositions ب ل ک, the
article ال) gives both what the light stemmer strips (``stem``) and what
name matching tries (``clitic_forms``); ``has_article`` tells a word that
begins with the article.
"""

from __future__ import annotations

from .fold import WordMemo, fold

# --- the Arabic proclitics -------------------------------------------------

# Arabic writes a conjunction (و ف), a preposition (ب ل ک) and the article
# onto the next word: "ولافروف", "بالرئيس", "للجمعية" (ل + ال).  Folded forms.
AND = "و"  # also Persian's: "گفت و گو", a two-part word
CONJUNCTIONS = (AND, "ف")
PREPOSITIONS = ("ب", "ل", "ک")
ARTICLE = "ال"
# the article as a typed prefix may carry it: "ال", "وال", "بال" (prefix search)
ARTICLE_FORMS = (ARTICLE, AND + ARTICLE, PREPOSITIONS[0] + ARTICLE)
# one letter Arabic writes onto the next word: "وقال" is "و" + "قال"
ONE_LETTER_PROCLITICS = frozenset((*CONJUNCTIONS, *PREPOSITIONS[:2]))
_LAM_ARTICLE = "لل"  # ل + ال
# every proclitic string name matching tries, longest first
_AR_PROCLITICS = tuple(
    sorted(
        {c + p + a for c in ("", *CONJUNCTIONS) for p in ("", *PREPOSITIONS) for a in ("", ARTICLE)} - {""}
        | {c + _LAM_ARTICLE for c in ("", *CONJUNCTIONS)},
        key=len,
        reverse=True,
    )
)
# what the light stemmer strips: the article with at most one letter before it
_AR_PREFIXES = tuple(
    sorted({p + ARTICLE for p in ("", *CONJUNCTIONS, *PREPOSITIONS) if p != "ل"} | {_LAM_ARTICLE}, key=len, reverse=True)
)


def has_article(word: str) -> bool:
    """Whether a folded word begins with the Arabic article (ال، or لل after ل)."""
    return word.startswith((ARTICLE, _LAM_ARTICLE))


# --- light stemming ----------------------------------------------------------

_PROTECTED_ENDINGS = ("ستان", "جان")
# Names and common words ending in what looks like a suffix.  Folded forms.
_PROTECTED = frozenset(
    fold(w)
    for w in """
    ایران تهران اصفهان کرمان گیلان زنجان همدان لبنان یونان آلمان عمان سودان
    اردکان خراسان مازندران سمنان لرستان کردستان ژاپن میدان زمان جهان انسان
    ایروان باکو آبان آذربایجان زمستان تابستان بیابان خیابان باران مهمان
    قانون اکنون میلیون کمیسیون تلویزیون پوتین لنین
    دختر دفتر کبوتر اختر چتر بستر کمتر بهتر
    """.split()
)

# (suffix, minimum length of what remains)
_SUFFIXES = (
    ("هایی", 2),
    ("های", 2),
    ("ها", 3),
    ("ترین", 3),
    ("تر", 3),
    ("ات", 3),
    ("ان", 4),
    ("ین", 4),
    ("ون", 4),
)


def stem(word: str) -> str:
    """Light stemming of one folded word, for both Persian and Arabic.

    Strips the Arabic article with its proclitics (ال، وال، بال، فال، کال، لل)
    and Persian/Arabic plural, comparative and relational suffixes, only
    while a stem of a safe length remains; protected names are untouched.
    """
    return _STEMS[word]


def _stem(word: str) -> str:
    if len(word) < 4 or word in _PROTECTED or not word.isalpha():
        return word
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    if word in _PROTECTED or word.endswith(_PROTECTED_ENDINGS):
        return word
    for suffix, keep in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)]
            if suffix == "ان" and word.endswith("گ"):
                # a silent heh becomes گ before ان: برگزیدگان -> برگزیده
                word = word[:-1] + "ه"
            break
    # relational / indefinite yeh: ایرانی -> ایران, المللی -> الملل
    if word.endswith("ی") and len(word) >= 5 and not word.endswith("یی"):
        word = word[:-1]
    return word


_STEMS = WordMemo(_stem)


def stem_variants(word: str) -> list[str]:
    """Other stems a folded word's singular may have, for query expansion.

    A plural in ات drops the singular's ت or ه (خسارات / خسارت, مطالعات /
    مطالعه), which no suffix rule can restore; the search tries both and
    keeps those the index knows.
    """
    base = stem(word)
    if word.endswith("ات") and base == word[:-2]:
        return [base + "ت", base + "ه"]
    return []


# --- clitics, for matching names ----------------------------------------------

# Persian writes the indefinite/ezafe yeh and the plural onto a name:
# "پوتینی", "پاشینیان‌ها" (tokenized without the ZWNJ).
_FA_ENCLITICS = ("هایی", "های", "ها", "ی")
# Persian personal endings and copulas written apart ("خسته ام", "رفته اند"): endings, never a word's part
PERSONAL_ENDINGS = frozenset({"ای", "ی", "ام", "ات", "اش", "اند", "ایم", "اید"})


def clitic_forms(word: str, *, min_length: int = 3) -> set[str]:
    """A folded word and what it may be without attached clitics.

    The word itself is always included; every form without an Arabic
    proclitic (و ف ب ل ک ال and their combinations) or a Persian enclitic
    (ی ها های) is added while at least ``min_length`` letters remain.  Used
    to match a known name however it is attached; never use it to index.
    """
    return set(_CLITIC_FORMS[word] if min_length == 3 else _clitic_forms(word, min_length))


def _clitic_forms(word: str, min_length: int = 3) -> frozenset[str]:
    forms = {word}
    if not word.isalpha():
        if word[:2] == "ال" and word[2:].isdigit():  # "الـ78" -> "78"
            forms.add(word[2:])
        return frozenset(forms)
    for prefix in _AR_PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= min_length:
            forms.add(word[len(prefix):])
    for form in list(forms):
        for suffix in _FA_ENCLITICS:
            if form.endswith(suffix) and len(form) - len(suffix) >= min_length:
                forms.add(form[: -len(suffix)])
    return frozenset(forms)


# A new word is asked of by the recogniser's features and by each gazetteer: worked out once.
_CLITIC_FORMS = WordMemo(_clitic_forms, 1 << 17)


def without_and(word: str) -> str:
    """A folded word without the conjunction "و" it begins with ("ومصطفى" → "مصطفى"), where the
    rest is one of its clitic forms (``clitic_forms``: three letters or more); else ""."""
    rest = word[1:]
    return rest if word[:1] == AND and rest in clitic_forms(word) else ""
