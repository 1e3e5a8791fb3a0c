"""Odd but harmless requests get proper answers: HEAD like GET, junk admin filters as the admin's own error."""

import pytest
from django.test import Client

from tests.editors.test_admin import desk, editor  # noqa: F401 (fixtures)

READ_PATHS = [
    "/search/?q=قره+باغ", "/api/search/?q=قره+باغ", "/api/suggest/?q=قره", "/api/suggest/?q=أذر&format=opensearch",
    "/search/feed/?q=لاوروف", "/search/feed/rss/?q=لاوروف", "/robots.txt", "/opensearch.xml", "/", "/articles/",
]


@pytest.mark.parametrize("path", READ_PATHS)
def test_head_answers_like_get_without_a_body(seeded, path):
    client = Client()
    got, head = client.get(path), client.head(path)
    assert got.status_code == 200
    assert head.status_code == 200, path
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""


def test_head_of_a_bad_search_is_the_same_400(seeded):
    assert Client().head("/api/search/", {"q": "باکو", "from": "دیروز"}).status_code == 400


JUNK_LOOKUPS = [
    "published__year=99999", "published__year=-5", "published__gte=0001-01-01", "published__lt=99999-01-01",
    "published__month=13", "published__date=9999-12-31", "published__year__gt=10000000000",
]


@pytest.mark.parametrize("query", JUNK_LOOKUPS)
def test_junk_date_lookups_in_the_admin_list_are_its_invalid_lookup_answer(desk, query):  # noqa: F811
    response = desk.get(f"/admin/articles/article/?{query}")
    assert response.status_code in (200, 302), query
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")
        assert desk.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("path", ["/admin/entities/event/?start__year=99999", "/admin/entities/event/?end__gte=0000-01-01",
                                  "/admin/entities/articleperson/?created__year=99999"])
def test_junk_date_lookups_on_other_admin_lists(desk, path):  # noqa: F811
    assert desk.get(path).status_code in (200, 302)


def test_a_real_date_lookup_still_filters(desk, seeded):  # noqa: F811
    response = desk.get("/admin/articles/article/?published__year=2023")
    assert response.status_code == 200
    assert {a.language for a in response.context["cl"].result_list} == {"ar"}
