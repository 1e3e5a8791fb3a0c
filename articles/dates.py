"""Dates as Persian and Arabic news write them, in Jalali and Gregorian.

Pure Python (jdatetime and zoneinfo, no Django) so the importer, templates
and, later, the query parser share one reading of "۱۰ آبان ۱۴۰۰ - ۲۳:۵۶".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import jdatetime

from .text import fold, localize_digits, to_ascii_digits
from .text.calendar import (
    GREGORIAN_MONTHS_AR,
    GREGORIAN_MONTHS_FA,
    JALALI_MONTHS,
    TIME_AFTER_DATE,
    date_with_time,
    month_lookup,
    month_names,
)

TEHRAN = ZoneInfo("Asia/Tehran")
# A date without a zone is read in the zone its readers live in: Tehran for
# Persian agencies, UTC+3 (Riyadh, Baghdad, Cairo in summer) for Arabic ones.
DEFAULT_TIME_ZONES = {"fa": TEHRAN, "ar": ZoneInfo("Asia/Riyadh")}

# --- the one range of dates ----------------------------------------------------
# Every date the portal reads (feeds, files, the admin form, search filters)
# must fall in this range.  Outside it no news is dated, and the tools
# disagree: year 1 is stored as a BC date on PostgreSQL, year 9999 overflows
# when turned into local time, and the Jalali calendar is undefined.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
GREGORIAN_YEARS = range(EARLIEST.year, LATEST.year + 1)
JALALI_YEARS = range(1278, 1480)  # the Jalali years EARLIEST..LATEST touch


def in_range(value: dt.date | dt.datetime) -> bool:
    """Whether a date (or a moment, by its UTC day) lies in ``EARLIEST``..``LATEST``."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            # a moment a few hours from either end may not be convertible to UTC
            if not (EARLIEST < value.date() < LATEST):
                return EARLIEST <= value.date() <= LATEST and _utc_day_in_range(value)
            return True
        value = value.date()
    return EARLIEST <= value <= LATEST


def _utc_day_in_range(value: dt.datetime) -> bool:
    try:
        return EARLIEST <= value.astimezone(dt.UTC).date() <= LATEST
    except OverflowError:
        return False


def year_calendar(year: int) -> str | None:
    """``"jalali"`` or ``"gregorian"`` for a four-digit year in the portal's range, else None."""
    if year in JALALI_YEARS:
        return "jalali"
    if year in GREGORIAN_YEARS:
        return "gregorian"
    return None


@dataclass(frozen=True)
class ParsedDate:
    """A publication moment and whether only the day was known."""

    value: dt.datetime
    date_only: bool


_MONTH_ALT = "|".join(sorted((re.escape(m) for m in month_names()), key=len, reverse=True))
_NAMED_RE = re.compile(rf"(?P<d>\d{{1,2}})\s+(?P<month>{_MONTH_ALT})\s+(?P<y>\d{{4}}){TIME_AFTER_DATE}")
_NUMERIC_DMY_RE = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})[-/.](?P<m>\d{{1,2}})[-/.](?P<y>\d{{4}})(?!\d){TIME_AFTER_DATE}")
# ``fold`` lower-cases Latin letters, so the "T" and "Z" of ISO 8601 arrive as "t" and "z".
_ISO_RE = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[Tt ](?P<hh>\d{2}):(?P<mm>\d{2})(?::(?P<ss>\d{2}))?(?:\.\d+)?\s*(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?)?"
)
_JALALI_NUMERIC_RE = re.compile(rf"(?<!\d)(?P<y>1[34]\d\d)[/-](?P<m>\d{{1,2}})[/-](?P<d>\d{{1,2}})(?!\d){TIME_AFTER_DATE}")


def _aware(date: dt.date, hh: str | None, mm: str | None, tz: dt.tzinfo, ss: str | None = None) -> ParsedDate:
    if hh is None:
        return ParsedDate(dt.datetime(date.year, date.month, date.day, tzinfo=tz), True)
    return ParsedDate(dt.datetime(date.year, date.month, date.day, int(hh), int(mm), int(ss or 0), tzinfo=tz), False)


def _valid_time(m: re.Match) -> bool:
    hh = m.groupdict().get("hh")
    return hh is None or (int(hh) < 24 and int(m.group("mm")) < 60)


def parse_date(text: str, tz: dt.tzinfo = TEHRAN) -> ParsedDate | None:
    """Read the first date in ``text``: Jalali or Gregorian, any digits.

    Understands "۱۰ آبان ۱۴۰۰ - ۲۳:۵۶" (Jalali month names; Tehran time by
    default), "3 اکتبر 2020", "23-9-2023 | 15:05", "1400/08/10" and ISO 8601.
    Returns ``None`` when nothing in the text is a real date: an impossible
    day or hour is no date, never a guess.
    """
    text = fold(to_ascii_digits(text))
    for regex in (_ISO_RE, _NAMED_RE, _JALALI_NUMERIC_RE, _NUMERIC_DMY_RE):
        for m in regex.finditer(text):
            if not _valid_time(m):
                continue
            parsed = _from_match(regex, m, tz)
            if parsed is not None:
                return parsed
    return None


def _from_match(regex: re.Pattern, m: re.Match, tz: dt.tzinfo) -> ParsedDate | None:
    g = m.groupdict()
    try:
        if regex is _ISO_RE:
            if g["tz"]:
                tz = dt.UTC if g["tz"] in "Zz" else dt.datetime.strptime(g["tz"].replace(":", ""), "%z").tzinfo
            date = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
            if g["ss"] and int(g["ss"]) > 59:
                return None
            return _aware(date, g["hh"], g["mm"], tz, g["ss"])
        if regex is _NAMED_RE:
            calendar, month = month_lookup(g["month"])
            year, day = int(g["y"]), int(g["d"])
        elif regex is _JALALI_NUMERIC_RE:
            calendar, year, month, day = "jalali", int(g["y"]), int(g["m"]), int(g["d"])
        else:
            calendar, year, month, day = "gregorian", int(g["y"]), int(g["m"]), int(g["d"])
        if calendar == "jalali":
            date = jdatetime.date(year, month, day).togregorian()
        else:
            date = dt.date(year, month, day)
    except (ValueError, KeyError):
        return None
    return _aware(date, g.get("hh"), g.get("mm"), tz)


def jalali(value: dt.date | dt.datetime) -> jdatetime.date:
    """The Jalali date of a Gregorian date or (local) datetime."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return jdatetime.date.fromgregorian(date=value)


def format_jalali(value: dt.date | dt.datetime, *, with_time: bool = False, digits: str = "fa") -> str:
    """"۱۰ آبان ۱۴۰۰" (with ``with_time``: "۱۰ آبان ۱۴۰۰، ۲۳:۵۶")."""
    j = jalali(value)
    text = f"{j.day} {JALALI_MONTHS[j.month - 1]} {j.year}"
    if with_time and isinstance(value, dt.datetime):
        text = date_with_time(text, f"{value:%H:%M}")
    return localize_digits(text, digits)


def format_gregorian(value: dt.date | dt.datetime, lang: str, *, with_time: bool = False) -> str:
    """A Gregorian date with the month named in ``lang`` ("1 نوامبر 2021")."""
    months = {"fa": GREGORIAN_MONTHS_FA, "ar": GREGORIAN_MONTHS_AR}.get(lang)
    if months is None:
        text = f"{value.day} {value:%B} {value.year}"
    else:
        text = f"{value.day} {months[value.month - 1]} {value.year}"
    if with_time and isinstance(value, dt.datetime):
        text = date_with_time(text, f"{value:%H:%M}", lang)
    return localize_digits(text, lang)
