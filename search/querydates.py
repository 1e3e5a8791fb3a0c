"""Dates named in a search query: "آبان ۱۴۰۰", "سبتمبر 2023", "23-9-2023", "1992".

Pure Python (no Django) on top of ``articles.dates`` (month names, Jalali
conversion) and ``articles.text`` (folding, digits).  ``find_date_range``
reads a query and returns the day range it names, the words that named it
and the rest of the query, so the search page can offer the range as a
filter; ``parse_date_range`` reads what a reader typed into a date filter.

A number is a year only when it stands alone and is a year of the portal's
range (``articles.dates.year_calendar``: Jalali 1278-1479, Gregorian
1900-2100); "۵۹۸" or "1,500" stay text.  An
impossible date ("۳۰ اسفند ۱۴۰۰", "31-9-2023") names no range at all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import jdatetime

from articles.dates import (
    GREGORIAN_MONTHS_AR,
    GREGORIAN_MONTHS_FA,
    JALALI_MONTHS,
    jalali,
    month_lookup,
    month_names,
    year_calendar,
)
from articles.text import fold, localize_digits, to_ascii_digits
from articles.text.calendar import DAY_ORDINAL, MONTH_WORD_AFTER, YEAR_WORD_BEFORE

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class DateRange:
    """Days ``start`` to ``end`` (both included) named by ``matched`` in a query.

    ``rest`` is the query without those words: what is left to search as text.
    """

    start: dt.date
    end: dt.date
    matched: str = ""
    rest: str = ""

    def params(self) -> dict[str, str]:
        """The range as the search page's ``from``/``to`` parameters (ISO dates)."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    def label(self, lang: str) -> str:
        """The range for a reader of ``lang`` ("۱ آبان – ۳۰ آبان ۱۴۰۰ (۲۳ اکتبر – ۲۱ نوامبر ۲۰۲۱)")."""
        return describe_range(self.start, self.end, lang)


# --- reading -------------------------------------------------------------------

def _month_alternation() -> str:
    names = sorted(month_names(), key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)


_MONTH = _month_alternation()
# "آبان‌ماه", "أيلول/سبتمبر": a month may carry ماه or a second name.
_MONTH_WORD = rf"(?P<month>{_MONTH})(?:\s*/\s*(?:{_MONTH}))?{MONTH_WORD_AFTER}"
_BEFORE = r"(?<![\w.,/:\-#])"
_AFTER = r"(?!\w|[.,/:\-]\d)"
_YEAR = rf"{YEAR_WORD_BEFORE}(?P<y>\d{{4}})"

_DAY_MONTH_YEAR = re.compile(rf"{_BEFORE}(?P<d>\d{{1,2}}){DAY_ORDINAL}\s+{_MONTH_WORD}\s+{_YEAR}{_AFTER}")
_MONTH_YEAR = re.compile(rf"(?<![^\W\d_]){_MONTH_WORD}\s+{_YEAR}{_AFTER}")
_NUMERIC = re.compile(rf"{_BEFORE}(?P<a>\d{{1,4}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep)(?P<c>\d{{1,4}}){_AFTER}")
_YEAR_ALONE = re.compile(rf"{_BEFORE}{_YEAR}{_AFTER}")
_PATTERNS = (_DAY_MONTH_YEAR, _NUMERIC, _MONTH_YEAR, _YEAR_ALONE)


def _normalized(text: str) -> tuple[str, list[int]]:
    """``text`` folded with ASCII digits, and for each character its index in ``text``."""
    chars, index = [], []
    for i, ch in enumerate(text):
        for out in to_ascii_digits(fold(ch)):
            chars.append(out)
            index.append(i)
    return "".join(chars), index


def _day(calendar: str, year: int, month: int, day: int) -> dt.date:
    if calendar == "jalali":
        return jdatetime.date(year, month, day).togregorian()
    return dt.date(year, month, day)


def _month_range(calendar: str, year: int, month: int) -> tuple[dt.date, dt.date]:
    first = _day(calendar, year, month, 1)
    if month == 12:
        following = _day(calendar, year + 1, 1, 1)
    else:
        following = _day(calendar, year, month + 1, 1)
    return first, following - dt.timedelta(days=1)


def _range_from(regex: re.Pattern, m: re.Match) -> tuple[dt.date, dt.date] | None:
    """The days a match names, or ``None`` when it names no real date."""
    g = m.groupdict()
    try:
        if regex is _NUMERIC:
            a, b, c = g["a"], int(g["b"]), g["c"]
            if len(a) == 4 and len(c) <= 2:
                year, month, day = int(a), b, int(c)
            elif len(c) == 4 and len(a) <= 2:
                year, month, day = int(c), b, int(a)
            else:
                return None
            calendar = year_calendar(year)
            if calendar is None:
                return None
            date = _day(calendar, year, month, day)
            return date, date
        year = int(g["y"])
        if regex is _YEAR_ALONE:
            calendar = year_calendar(year)
            if calendar is None:
                return None
            return _day(calendar, year, 1, 1), _day(calendar, year + 1, 1, 1) - dt.timedelta(days=1)
        calendar, month = month_lookup(g["month"])
        # A Jalali month with a Gregorian year (or the reverse) is no date.
        if year_calendar(year) != calendar:
            return None
        if regex is _DAY_MONTH_YEAR:
            date = _day(calendar, year, month, int(g["d"]))
            return date, date
        return _month_range(calendar, year, month)
    except (ValueError, TypeError, OverflowError):
        return None


def find_date_range(query: str) -> DateRange | None:
    """The first date, month or year named in a search query, or ``None``.

    Jalali and Gregorian month names in Persian and Arabic (with the
    Levantine names), digits of any script, "day month year", "month year",
    numeric dates (``23-9-2023``, ``1400/8/10``) and a year standing alone.
    Words that look like a date but are not one ("۳۰ اسفند ۱۴۰۰" in a
    non-leap year) name nothing, and their numbers are not read as a year.
    """
    text, index = _normalized(query)
    for regex in _PATTERNS:
        for m in regex.finditer(text):
            found = _range_from(regex, m)
            start, end = index[m.start()], index[m.end() - 1] + 1
            if found is None:
                # Mask the rejected words so a later pattern cannot read
                # "1400" out of an impossible "30 اسفند 1400".
                text = text[: m.start()] + "#" * (m.end() - m.start()) + text[m.end():]
                continue
            rest = " ".join((query[:start] + " " + query[end:]).split())
            return DateRange(found[0], found[1], query[start:end], rest)
    return None


def parse_date_range(text: str) -> DateRange | None:
    """A date filter's value: the range when the whole text names one date, month or year."""
    found = find_date_range(text)
    if found is None or found.rest:
        return None
    return found


# --- writing -------------------------------------------------------------------

def _gregorian_day(day: dt.date, lang: str, with_year: bool) -> str:
    months = {"fa": GREGORIAN_MONTHS_FA, "ar": GREGORIAN_MONTHS_AR}.get(lang, _EN_MONTHS)
    text = f"{day.day} {months[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def _jalali_day(day: dt.date, with_year: bool) -> str:
    j = jalali(day)
    text = f"{j.day} {JALALI_MONTHS[j.month - 1]}"
    return f"{text} {j.year}" if with_year else text


def _span(start: dt.date, end: dt.date, write, year_of) -> str:
    if start == end:
        return write(start, True)
    return f"{write(start, year_of(start) != year_of(end))} – {write(end, True)}"


def describe_range(start: dt.date, end: dt.date, lang: str) -> str:
    """Days ``start``–``end`` in the reader's calendar, month names and digits.

    Persian readers get the Jalali days with the Gregorian ones in brackets,
    as article dates are shown; Arabic and English readers get Gregorian.
    """
    gregorian = _span(start, end, lambda d, y: _gregorian_day(d, lang, y), lambda d: d.year)
    if lang == "fa":
        text = f"{_span(start, end, _jalali_day, lambda d: jalali(d).year)} ({gregorian})"
    else:
        text = gregorian
    return localize_digits(text, lang)
