"""Dates named in search queries (search/querydates.py)."""

import datetime as dt
from urllib.parse import unquote_plus

import pytest
from django.template import Context, Template
from django.utils import translation

from search.querydates import describe_range, find_date_range, parse_date_range

D = dt.date


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        # Jalali month and day, Persian digits
        ("آبان ۱۴۰۰", D(2021, 10, 23), D(2021, 11, 21)),
        ("۱۰ آبان ۱۴۰۰", D(2021, 11, 1), D(2021, 11, 1)),
        ("آبان‌ماه ۱۴۰۰", D(2021, 10, 23), D(2021, 11, 21)),
        ("اسفند ۱۴۰۲", D(2024, 2, 20), D(2024, 3, 19)),
        ("۳۰ اسفند ۱۳۹۹", D(2021, 3, 20), D(2021, 3, 20)),  # 1399 is a leap year
        ("1400/8/10", D(2021, 11, 1), D(2021, 11, 1)),
        # Gregorian months in Persian, Arabic and Levantine Arabic
        ("نوامبر ۲۰۲۰", D(2020, 11, 1), D(2020, 11, 30)),
        ("فوریه ۲۰۲۴", D(2024, 2, 1), D(2024, 2, 29)),
        ("سبتمبر 2023", D(2023, 9, 1), D(2023, 9, 30)),
        ("٢٣ سبتمبر ٢٠٢٣", D(2023, 9, 23), D(2023, 9, 23)),
        ("أيلول/سبتمبر 2023", D(2023, 9, 1), D(2023, 9, 30)),
        ("تشرين الأول ٢٠٢٣", D(2023, 10, 1), D(2023, 10, 31)),
        ("ايلول 2023", D(2023, 9, 1), D(2023, 9, 30)),  # hamza dropped, as typed
        ("ديسمبر 2023", D(2023, 12, 1), D(2023, 12, 31)),
        # numeric dates
        ("23-9-2023", D(2023, 9, 23), D(2023, 9, 23)),
        ("٢٣/٩/٢٠٢٣", D(2023, 9, 23), D(2023, 9, 23)),
        ("2023-09-23", D(2023, 9, 23), D(2023, 9, 23)),
        # years alone, in all three digit systems
        ("1992", D(1992, 1, 1), D(1992, 12, 31)),
        ("١٩٩٢", D(1992, 1, 1), D(1992, 12, 31)),
        ("۱۳۹۹", D(2020, 3, 20), D(2021, 3, 20)),
        ("سال ۱۴۰۰", D(2021, 3, 21), D(2022, 3, 20)),
    ],
)
def test_dates_in_every_calendar_and_digit_system(query, start, end):
    found = find_date_range(query)
    assert found is not None, query
    assert (found.start, found.end) == (start, end)
    assert found.rest == ""
    assert parse_date_range(query) == found


@pytest.mark.parametrize(
    "query",
    [
        "۳۰ اسفند ۱۴۰۰",  # 1400 is not a leap year
        "۳۱ مهر ۱۴۰۰",  # the second half of the Jalali year has 30-day months
        "31-9-2023",
        "30 فبراير 2024",
        "1400/13/01",
        "آبان 2021",  # a Jalali month with a Gregorian year
        "سبتمبر 1400",
    ],
)
def test_impossible_dates_name_nothing(query):
    assert find_date_range(query) is None


@pytest.mark.parametrize(
    "query",
    ["قطعنامه ۵۹۸", "1,500 نفر", "۱۲۰۰۰ تومان", "کد 1750", "G2020", "ساعت 10:2020", "پلاک ۲۰۲۰۱", "ایران", ""],
)
def test_numbers_that_are_not_dates_stay_text(query):
    assert find_date_range(query) is None


def test_date_words_are_taken_out_of_the_text_query():
    found = find_date_range("زلزله آبان‌ماه ۱۴۰۰ کرمان")
    assert found.matched == "آبان\u200cماه ۱۴۰۰"
    assert found.rest == "زلزله کرمان"
    assert found.params() == {"from": "2021-10-23", "to": "2021-11-21"}
    # a filter field accepts only a date, not a query with other words
    assert parse_date_range("زلزله آبان ۱۴۰۰") is None


def test_arabic_query_with_arabic_letters_and_diacritics():
    found = find_date_range("الانتخابات في أَيْلُول 2023")
    assert (found.start, found.end) == (D(2023, 9, 1), D(2023, 9, 30))
    assert found.rest == "الانتخابات في"


def test_labels_in_the_readers_calendar_and_digits():
    start, end = D(2021, 10, 23), D(2021, 11, 21)
    assert describe_range(start, end, "fa") == "۱ آبان – ۳۰ آبان ۱۴۰۰ (۲۳ اکتبر – ۲۱ نوامبر ۲۰۲۱)"
    assert describe_range(start, end, "ar") == "٢٣ أكتوبر – ٢١ نوفمبر ٢٠٢١"
    assert describe_range(start, end, "en") == "23 Oct – 21 Nov 2021"
    assert describe_range(D(2020, 3, 20), D(2021, 3, 20), "en") == "20 Mar 2020 – 20 Mar 2021"
    assert describe_range(D(2021, 11, 1), D(2021, 11, 1), "fa") == "۱۰ آبان ۱۴۰۰ (۱ نوامبر ۲۰۲۱)"


# --- offered and applied on a search page ({% date_filter %}) --------------------

def _render_filter(rf, params, language="fa"):
    request = rf.get("/search/", params)
    with translation.override(language):
        html = Template("{% load querydates %}{% date_filter %}").render(Context({"request": request}))
    return unquote_plus(html.replace("&amp;", "&"))


def test_search_naming_a_month_offers_its_range(rf):
    html = _render_filter(rf, {"q": "زلزله آبان‌ماه ۱۴۰۰", "page": "3"})
    assert 'href="?q=زلزله&from=2021-10-23&to=2021-11-21"' in html
    assert "۱ آبان – ۳۰ آبان ۱۴۰۰ (۲۳ اکتبر – ۲۱ نوامبر ۲۰۲۱)" in html
    assert "<bdi>آبان\u200cماه ۱۴۰۰</bdi>" in html


def test_applied_range_is_shown_and_removable(rf):
    html = _render_filter(rf, {"q": "زلزله", "from": "2023-09-01", "to": "2023-09-30"}, language="ar")
    assert "١ سبتمبر – ٣٠ سبتمبر ٢٠٢٣" in html
    assert 'href="?q=زلزله"' in html
    # a Jalali date typed into the filter reads the same way
    html = _render_filter(rf, {"q": "", "from": "1400/08/01"})
    assert "۱ آبان ۱۴۰۰ (۲۳ اکتبر ۲۰۲۱)" in html


@pytest.mark.parametrize("q", ["قطعنامه ۵۹۸", "۳۰ اسفند ۱۴۰۰", ""])
def test_nothing_offered_without_a_real_date(rf, q):
    assert _render_filter(rf, {"q": q}).strip() == ""


def test_search_page_offers_then_applies_the_date(seeded, client):
    lavrov = next(a for a in seeded.values() if "لاوروف" in a.title).get_absolute_url()
    html = unquote_plus(client.get("/search/", {"q": "لاوروف آبان ۱۴۰۰"}).content.decode().replace("&amp;", "&"))
    assert 'href="?q=لاوروف&from=2021-10-23&to=2021-11-21"' in html
    html = client.get("/search/", {"q": "لاوروف", "from": "2021-10-23", "to": "2021-11-21"}).content.decode()
    assert "۱ آبان – ۳۰ آبان ۱۴۰۰" in html
    assert lavrov in html  # published 10 Aban 1400: inside the range
    html = client.get("/search/", {"q": "لاوروف", "from": "2023-09-01", "to": "2023-09-30"}).content.decode()
    assert lavrov not in html
    assert 'class="date-filter__remove" href="?q=%D9%84%D8%A7%D9%88%D8%B1%D9%88%D9%81"' in html
