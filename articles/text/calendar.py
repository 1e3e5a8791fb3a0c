"""How Persian and Arabic write dates: month names in every spelling, the time after a date.

The rules only; reading a date into a ``datetime`` (and the portal's range of
years) is ``articles.dates``, which with the search page's query dates and
the editors' date field looks month names up here.
"""

from __future__ import annotations

from .fold import fold, fold_key

JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)
GREGORIAN_MONTHS_FA = (
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
    "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
)
GREGORIAN_MONTHS_AR = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
# Levantine/Iraqi names of the same Gregorian months
GREGORIAN_MONTHS_AR_LEVANT = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)
# Other spellings writers use for Gregorian months: (name, month)
_GREGORIAN_VARIANTS = (
    ("ژوییه", 7), ("جولای", 7), ("اوت", 8), ("آگوست", 8), ("می", 5), ("ابریل", 4), ("ایار", 5), ("اغسطس", 8),
)

# folded month name -> (calendar, month number); a Jalali name wins over a Gregorian one
_MONTHS: dict[str, tuple[str, int]] = {}
for _i, _name in enumerate(JALALI_MONTHS, 1):
    _MONTHS[fold(_name)] = ("jalali", _i)
for _names in (GREGORIAN_MONTHS_FA, GREGORIAN_MONTHS_AR, GREGORIAN_MONTHS_AR_LEVANT):
    for _i, _name in enumerate(_names, 1):
        _MONTHS.setdefault(fold(_name), ("gregorian", _i))
for _variant, _i in _GREGORIAN_VARIANTS:
    _MONTHS.setdefault(fold(_variant), ("gregorian", _i))

# Around a date named in a query: "آبان‌ماه" (the month may carry ماه), "سال ۱۴۰۰"
# (the year سال), "۱۰ام آبان" (an ordinal day).
MONTH_WORD_AFTER = r"(?:[\s\u200c]*ماه)?"
YEAR_WORD_BEFORE = r"(?:سال\s+)?"
DAY_ORDINAL = r"(?:ام|م|st|nd|rd|th)?"
# "ساعت" ("hour") that may stand before a time: "۱۰ آبان ۱۴۰۰، ساعت ۲۳:۵۶"
HOUR_WORD = r"(?:ساعت\s*)?"
# The optional time after a date in an agency's text: "- ۲۳:۵۶", "| 15:05", "، ساعت 23:56"
TIME_AFTER_DATE = rf"(?:\s*[-–|،,]?\s*{HOUR_WORD}(?P<hh>\d{{1,2}}):(?P<mm>\d{{2}}))?"
# The optional time after a date an editor types: "1400/08/10 23:56", "2021-11-01T23:56:00", "…، 23:56"
TIME_TYPED = rf"(?:[\sT،,\-–]+{HOUR_WORD}(?P<hh>\d{{1,2}}):(?P<mm>\d{{2}})(?::\d{{2}})?)?"


def month_lookup(word: str) -> tuple[str, int] | None:
    """``("jalali"|"gregorian", month)`` for a month name in any spelling."""
    return _MONTHS.get(fold_key(word))


def month_names() -> tuple[str, ...]:
    """Every month name ``month_lookup`` knows, folded (for building patterns)."""
    return tuple(_MONTHS)


def date_with_time(date_text: str, time_text: str, lang: str = "fa") -> str:
    """A date followed by its time, with the comma of ``lang``: "۱۰ آبان ۱۴۰۰، ۲۳:۵۶" ("…, 23:56" in English)."""
    return f"{date_text}{'، ' if lang in ('fa', 'ar') else ', '}{time_text}"
