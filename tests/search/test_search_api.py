"""GET /api/search/: the JSON shape, parameters, and 400s for bad ones."""

import pytest

from search import views as search_views
from tests.search.test_search import HOSTILE

SHAPE = {"id", "url", "title", "language", "published", "source", "source_file", "external_id", "snippet"}


def test_results_have_the_documented_shape(client, seeded):
    response = client.get("/api/search/", {"q": "لاوروف", "page_size": "2"})
    assert response.status_code == 200
    data = response.json()
    assert {"query", "count", "page", "page_size", "suggestion", "results"} <= data.keys()
    assert data["query"] == "لاوروف" and data["page"] == 1 and data["page_size"] == 2
    assert data["count"] >= 1 and 1 <= len(data["results"]) <= 2
    for hit in data["results"]:
        assert hit.keys() >= SHAPE
        assert hit["url"].startswith("http://testserver/articles/")
        assert hit["source_file"].endswith(".txt")
    assert "<mark>" in data["results"][0]["snippet"]


def test_arabic_spelling_finds_persian_text(client, seeded):
    # Typed with Arabic yeh and kaf; the article writes Persian ی and ک.
    persian = client.get("/api/search/", {"q": "سرگئي لاوروف", "lang": "fa"}).json()
    assert persian["results"][0]["source_file"] == seeded["003_840ad37251b4b345.txt"].source_file
    assert persian["results"][0]["external_id"] == "1293642"
    assert persian["results"][0]["published"].startswith("2021-11-01T20:26")


def test_filters_sort_and_pages(client, seeded):
    everything = client.get("/api/search/", {"q": "قره باغ"}).json()
    arabic = client.get("/api/search/", {"q": "قره باغ", "lang": "ar"}).json()
    assert arabic["count"] >= 1 and {h["language"] for h in arabic["results"]} == {"ar"}
    assert arabic["count"] < everything["count"]
    dated = client.get("/api/search/", {"q": "قره باغ", "sort": "date"}).json()
    assert dated["results"][0]["published"] == max(h["published"] or "" for h in dated["results"])
    first = client.get("/api/search/", {"q": "قره باغ", "page_size": "1"}).json()
    second = client.get("/api/search/", {"q": "قره باغ", "page_size": "1", "page": "2"}).json()
    assert first["results"][0]["id"] != second["results"][0]["id"]
    in_jalali = client.get("/api/search/", {"q": "قره باغ", "from": "۱۴۰۲/۰۷/۰۱", "to": "1402/07/01"}).json()
    assert [h["language"] for h in in_jalali["results"]] == ["ar"]  # 23 September 2023


def test_a_named_month_is_a_date_filter_from_its_first_to_its_last_day(client, seeded):
    aban = client.get("/api/search/", {"q": "قره باغ", "from": "آبان ۱۴۰۰", "to": "آبان ۱۴۰۰"}).json()
    assert [h["published"][:10] for h in aban["results"]] == ["2021-11-01"]  # ۱۰ آبان ۱۴۰۰
    september = client.get("/api/search/", {"q": "قره باغ", "from": "سبتمبر 2023", "to": "سبتمبر 2023"}).json()
    assert [h["language"] for h in september["results"]] == ["ar"]


def test_suggestion_is_a_word_from_the_articles(client, seeded):
    data = client.get("/api/search/", {"q": "لاورووف"}).json()
    assert data["count"] == 0
    assert data["suggestion"] == "لاوروف"


@pytest.mark.parametrize(("params", "field"), [
    ({"page_size": "101"}, "page_size"), ({"page_size": "0"}, "page_size"), ({"page": "-1"}, "page"),
    ({"page": "abc"}, "page"), ({"lang": "english"}, "lang"), ({"sort": "title"}, "sort"),
    ({"from": "not a date"}, "from"), ({"to": "1400/13/40"}, "to"), ({"exact": "2"}, "exact"),
])
def test_bad_parameters_are_400_json(client, clean_index, db, params, field):
    response = client.get("/api/search/", {"q": "باکو", **params})
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["error"]


def test_page_past_the_end(client, seeded):
    assert client.get("/api/search/", {"q": "لاوروف", "page": "50"}).status_code == 404


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries(client, seeded, q):
    response = client.get("/api/search/", {"q": q, "exact": "1"})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_page_hook_adds_to_the_search_page(client, seeded, monkeypatch):
    def hook(request, params, result):
        return "search/includes/facets.html", {"language_facets": [("xx", "HOOKED", 1)]}

    monkeypatch.setattr(search_views, "PAGE_HOOKS", [hook])
    assert "HOOKED" in client.get("/search/", {"q": "باکو"}).content.decode()
