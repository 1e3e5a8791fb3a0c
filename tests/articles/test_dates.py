"""Reading and writing dates the way Persian and Arabic news write them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from articles.dates import TEHRAN, format_gregorian, format_jalali, parse_date

RIYADH = ZoneInfo("Asia/Riyadh")


@pytest.mark.parametrize(
    ("text", "tz", "expected", "date_only"),
    [
        # Jalali, Persian digits, as in seed 003: 10 Aban 1400 is 1 November 2021
        ("۱۰ آبان ۱۴۰۰ - ۲۳:۵۶", TEHRAN, dt.datetime(2021, 11, 1, 23, 56, tzinfo=TEHRAN), False),
        ("تاریخ انتشار: ۱۰ آبان ۱۴۰۰", TEHRAN, dt.datetime(2021, 11, 1, tzinfo=TEHRAN), True),
        # the first day of the Jalali year is Nowruz: 20 March in 2024
        ("۱ فروردین ۱۴۰۳ ساعت ۰۸:۳۰", TEHRAN, dt.datetime(2024, 3, 20, 8, 30, tzinfo=TEHRAN), False),
        ("1400/08/10", TEHRAN, dt.datetime(2021, 11, 1, tzinfo=TEHRAN), True),
        # Arabic-style day-month-year with the time after a bar, as in seed 002
        ("عرب وعالم23-9-2023 | 15:05", RIYADH, dt.datetime(2023, 9, 23, 15, 5, tzinfo=RIYADH), False),
        ("٢٣-٩-٢٠٢٣ | ١٥:٠٥", RIYADH, dt.datetime(2023, 9, 23, 15, 5, tzinfo=RIYADH), False),
        ("10 نوفمبر 2020", RIYADH, dt.datetime(2020, 11, 10, tzinfo=RIYADH), True),
        ("۲۵ فوریه ۱۹۹۲", TEHRAN, dt.datetime(1992, 2, 25, tzinfo=TEHRAN), True),
        ("3 تشرين الأول 2020", RIYADH, dt.datetime(2020, 10, 3, tzinfo=RIYADH), True),
        # ISO 8601 keeps its own offset and seconds
        ("2023-09-23T15:05:30+03:00", TEHRAN, dt.datetime(2023, 9, 23, 12, 5, 30, tzinfo=dt.UTC), False),
        ("2021-11-01T20:26:00Z", TEHRAN, dt.datetime(2021, 11, 1, 20, 26, tzinfo=dt.UTC), False),
        ("2021-11-01", TEHRAN, dt.datetime(2021, 11, 1, tzinfo=TEHRAN), True),
    ],
)
def test_parse_date(text, tz, expected, date_only):
    parsed = parse_date(text, tz)
    assert parsed is not None
    assert parsed.value == expected
    assert parsed.value.utcoffset() is not None
    assert parsed.date_only is date_only


@pytest.mark.parametrize(
    "text",
    [
        "",
        "هیچ تاریخی در این متن نیست",
        "۳۲ آبان ۱۴۰۰",  # no 32nd day
        "30 اسفند 1402",  # 1402 is not a leap year in the Jalali calendar
        "31-9-2023",  # September has 30 days
        "2023-02-29",
        "23-9-2023 | 25:05",  # an impossible hour is no time; the date alone is not guessed either
        "کد خبر 1293642",
    ],
)
def test_no_date_is_never_a_guess(text):
    assert parse_date(text) is None


def test_jalali_leap_day_is_a_date():
    assert parse_date("30 اسفند 1403").value.date() == dt.date(2025, 3, 20)


def test_format_jalali_with_persian_digits():
    moment = dt.datetime(2021, 11, 1, 23, 56, tzinfo=TEHRAN)
    assert format_jalali(moment) == "۱۰ آبان ۱۴۰۰"
    assert format_jalali(moment, with_time=True) == "۱۰ آبان ۱۴۰۰، ۲۳:۵۶"
    assert format_jalali(moment, digits="en") == "10 آبان 1400"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fa", "۲۳ سپتامبر ۲۰۲۳، ۱۵:۰۵"),
        ("ar", "٢٣ سبتمبر ٢٠٢٣، ١٥:٠٥"),
        ("en", "23 September 2023, 15:05"),
    ],
)
def test_format_gregorian_in_each_language(lang, expected):
    moment = dt.datetime(2023, 9, 23, 15, 5, tzinfo=RIYADH)
    assert format_gregorian(moment, lang, with_time=True) == expected
