"""The search page's filters through HTTP: the agency quoted, oldest first, the date facet,
date placeholders in the interface's calendar, and an applied named date you can remove."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Q

from articles.models import Article
from tests import factories

NOV_2021 = dt.datetime(2021, 11, 1, 8, 30, tzinfo=dt.UTC)  # 10 آبان 1400
APR_2021 = dt.datetime(2021, 4, 10, 8, 30, tzinfo=dt.UTC)  # 21 فروردین 1400
MAR_2021 = dt.datetime(2021, 3, 10, 8, 30, tzinfo=dt.UTC)  # 19 اسفند 1399
SEP_2023 = dt.datetime(2023, 9, 23, 12, 0, tzinfo=dt.UTC)


def make(title, *, language="fa", published=NOV_2021, source=None, via=None):
    return factories.article(title=title, body=f"{title}. خبر باکو", language=language, published=published, source=source, via=via)


@pytest.fixture
def corpus(transactional_db, clean_index):
    with transaction.atomic():
        return {
            "nov": make("دیدار در آبان", source="ایرنا"),
            "apr": make("دیدار در فروردین", published=APR_2021, source="آران نیوز", via="ایرنا"),
            "mar": make("دیدار در اسفند", published=MAR_2021),
            "arabic": make("لقاء في باكو", language="ar", published=SEP_2023, source="أذرنيوز"),
            "undated": make("دیدار بی‌تاریخ", published=None),
        }


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def page(client, language="fa", **params):
    response = client.get("/search/", params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_source_finds_the_articles_quoting_the_agency_too(client, corpus):
    assert set(api(client, source="ایرنا")) == {corpus["nov"].pk, corpus["apr"].pk}
    assert api(client, source="آران نیوز") == [corpus["apr"].pk]


def test_seeds_quoted_from_irna_are_found_by_source(client, seeded):
    quoting = Article.objects.filter(Q(source__name="ایرنا") | Q(via__name="ایرنا"))
    assert quoting.filter(via__name="ایرنا").exists()  # the seed that quotes IRNA
    assert set(api(client, source="ایرنا")) == set(quoting.values_list("pk", flat=True))


def test_oldest_first_leaves_the_undated_last(client, corpus):
    assert api(client, sort="oldest") == [corpus[k].pk for k in ("mar", "apr", "nov", "arabic", "undated")]
    assert api(client, sort="date")[:2] == [corpus["arabic"].pk, corpus["nov"].pk]
    response = client.get("/api/search/", {"sort": "random"})
    assert response.status_code == 400 and response.json()["field"] == "sort"
    assert 'value="oldest" selected' in page(client, sort="oldest")


def test_date_facet_counts_jalali_years_then_months_in_persian(client, corpus):
    html = page(client)
    # 1400 began on 21 March 2021: April and November are in it, 10 March is 1399
    assert '<a href="?from=1400&amp;to=1400">۱۴۰۰</a> <span class="count">۲</span>' in html
    assert '<a href="?from=1399&amp;to=1399">۱۳۹۹</a> <span class="count">۱</span>' in html
    assert '<a href="?from=1402&amp;to=1402">۱۴۰۲</a> <span class="count">۱</span>' in html
    months = page(client, **{"from": "1400", "to": "1400"})
    assert '<a href="?from=2021-10-23&amp;to=2021-11-21">آبان</a> <span class="count">۱</span>' in months
    assert ">فروردین</a> <span class=\"count\">۱</span>" in months
    assert ">اسفند</a>" not in months  # no article in it
    assert api(client, **{"from": "2021-10-23", "to": "2021-11-21"}) == [corpus["nov"].pk]


def test_date_facet_counts_gregorian_years_then_months_in_arabic(client, corpus):
    html = page(client, "ar")
    assert '<a href="?from=2021&amp;to=2021">٢٠٢١</a> <span class="count">٣</span>' in html
    assert '<a href="?from=2023&amp;to=2023">٢٠٢٣</a> <span class="count">١</span>' in html
    months = page(client, "ar", **{"from": "2021", "to": "2021"})
    assert '<a href="?from=2021-11-01&amp;to=2021-11-30">' in months
    assert "<a href=\"?from=2021-03-01&amp;to=2021-03-31\">" in months


def test_date_placeholders_agree_with_the_interface(client, transactional_db, clean_index):
    persian = page(client, "fa")
    assert 'placeholder="۱۴۰۰/۰۸/۱۰"' in persian and "2021-11-01" not in persian
    arabic = page(client, "ar")
    assert "۱۴۰۰" not in arabic and 'placeholder="٢٠٢١-١١-٠١"' in arabic
    english = page(client, "en")
    assert 'placeholder="2021-11-01"' in english and "۱۴۰۰" not in english


def test_a_named_month_is_shown_applied_and_removable(client, corpus):
    html = page(client, q="دیدار", **{"from": "آبان ۱۴۰۰", "to": "آبان ۱۴۰۰"})
    assert 'class="date-filter"' in html and "آبان" in html
    assert 'class="date-filter__remove" href="?q=%D8%AF%DB%8C%D8%AF%D8%A7%D8%B1"' in html
    assert "</mark> در آبان</a>" in html and "در فروردین" not in html
    since = page(client, **{"from": "آبان ۱۴۰۰"})
    assert 'class="date-filter__remove"' in since
