"""How news agencies write around their stories: outlet names, header and credit lines, boilerplate.

The rules only; ``articles.parsing`` reads an agency's file with them.  The
patterns run on a stripped line (headers) or a paragraph (datelines, credits).
"""

from __future__ import annotations

import re

from .tokens import normalize_key

# Known outlets and agencies: every spelling maps to one canonical name.
# (canonical name, English name, other spellings)
KNOWN_SOURCES = (
    ("آران نیوز", "Aran News", ("خبرگزاری آران", "آران", "آران نیوز آذربایجان")),
    ("ترند", "Trend", ("خبرگزاری ترند", "ترند نیوز", "Trend")),
    ("ایرنا", "IRNA", ("خبرگزاری ایرنا", "خبرگزاری جمهوری اسلامی", "إرنا", "IRNA")),
    ("مشرق", "Mashregh News", ("مشرق نیوز", "پایگاه خبری مشرق")),
    ("أذرنيوز", "Azernews", ("آذرنیوز", "اذرنيوز", "Azernews")),
    ("ایسنا", "ISNA", ("خبرگزاری ایسنا",)),
    ("فارس", "Fars News", ("خبرگزاری فارس",)),
    ("تسنیم", "Tasnim", ("خبرگزاری تسنیم",)),
)
_SOURCE_INDEX = {normalize_key(alias): (name, en) for name, en, aliases in KNOWN_SOURCES for alias in (name, *aliases)}


def canonical_source(name: str) -> tuple[str, str]:
    """(name, English name) of an outlet, merging the spellings we know."""
    name = " ".join(name.replace('"', " ").replace("«", " ").replace("»", " ").split())
    return _SOURCE_INDEX.get(normalize_key(name), (name, ""))


# "کد خبر: ۱۲۳۴" / "رقم الخبر: 1234"
NEWS_CODE_RE = re.compile(r"^(?:کد\s*خبر|شناسه\s*خبر|رقم\s*الخبر)\s*[:：]?\s*(?P<code>[\d۰-۹٠-٩]+)\s*$")
# "تاریخ انتشار: …" / "تاريخ النشر: …"
PUBLISHED_RE = re.compile(r"^(?:تاریخ\s*انتشار|تاريخ\s*النشر|زمان\s*انتشار|نشر\s*في)\s*[:：]\s*(?P<date>.+)$")
# "منبع: …" / "المصدر: …": where the agency took the story from
SOURCE_LINE_RE = re.compile(r"^(?:منبع|المصدر)\s*[:：]\s*(?P<name>.{2,60})$")
# "خبرگزاری ایرنا" / "وكالة …" in a short line near the top: the agency
AGENCY_CREDIT_RE = re.compile(r"(?:خبرگزاری|وكالة|وکالت)\s+(?P<name>[^\s/|:،,]{2,30}(?:\s+نیوز)?)")
_BOILERPLATE = frozenset(
    normalize_key(s)
    for s in (
        "أضف تعليق", "اضف تعليقا", "شارك", "طباعة", "پایان پیام", "انتهى", "برچسبها", "برچسب ها",
        "برچسب‌ها", "کلمات کلیدی", "الكلمات المفتاحية", "اشتراک گذاری", "نظر شما", "ارسال نظر",
    )
)
# "تهران - ایرنا -" opening a paragraph: the city and the agency
DATELINE_RE = re.compile(
    r"^\s*(?P<city>[^\s\-–—:،,()]{2,20}(?:\s[^\s\-–—:،,()]{2,20})?)\s*[-–—]\s*"
    r"(?P<agency>[^\s\-–—:،,()]{2,20}(?:\s[^\s\-–—:،,()]{2,20})?)\s*[-–—]\s*"
)
# "به گزارش ایرنا به نقل از تاس،": the source and whom it quotes
REPORTED_BY_RE = re.compile(
    r"به\s+گزارش\s+(?P<source>[^:،,.\n]{2,40}?)\s*[:،,]\s*(?:به\s+نقل\s+از\s+(?P<via>[^:،,.\n]{2,40}?)\s*[:،,])?"
)
# "ذكرت وكالة «تاس»": whom an Arabic story quotes
AR_QUOTED_RE = re.compile(r"(?:نقلته|نقلت|ذكرت|أفادت|افادت|بحسب|حسب|وفق)?\s*(?:صحيفة|وكالة|موقع)\s+[\"«]?(?P<via>[^\"»\s،,.]{2,30})[\"»]?")
# The end of a sentence, before the space that follows it; a sentence's own last marks
SENTENCE_BREAK_RE = re.compile(r"(?<=[.!؟?])\s")
SENTENCE_ENDS = (".", "۔")
# Where a long sentence may be cut into a clause
CLAUSE_COMMAS = ("،", ",")


def is_boilerplate(line: str) -> bool:
    """Whether a whole line is an agency's closing or sharing boilerplate ("پایان پیام", "أضف تعليق")."""
    return normalize_key(line) in _BOILERPLATE
