"""Dates read from readers and editors stay in the portal's range (``articles.dates``): a clear 400 or form error outside it."""

import pytest

from articles.models import Article
from tests.editors.test_admin import ADD_URL, article_form, desk, editor  # noqa: F401 (fixtures)

SEARCHES = ["/search/", "/api/search/", "/search/feed/", "/search/feed/rss/"]
OUTSIDE = [
    {"q": "ایران", "from": "0001-01-01"}, {"q": "ایران", "to": "9999-12-31"}, {"q": "ایران", "to": "0100-01-01"},
    {"from": "9999-12-31"}, {"q": "الرياض", "from": "1899-12-31"}, {"q": "باکو", "to": "2101-01-01"},
    {"q": "باکو", "to": "۱۴۷۹"},  # a Jalali year that ends in 2101
]


@pytest.mark.parametrize("params", OUTSIDE, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items() if k != "q"))
def test_a_filter_outside_the_range_is_a_400_with_a_message(client, seeded, params):
    field = "from" if "from" in params else "to"
    for path in SEARCHES:
        response = client.get(path, params, HTTP_ACCEPT_LANGUAGE="fa")
        assert response.status_code == 400, path
        assert "1900-01-01" in response.content.decode()
    data = client.get("/api/search/", params, HTTP_ACCEPT_LANGUAGE="ar").json()
    assert data["field"] == field
    assert data["error"] == f"يجب أن يكون {field} تاريخًا بين 1900-01-01 و2100-12-31"


@pytest.mark.parametrize("params", [{"from": "1900-01-01"}, {"to": "2100-12-31"}, {"from": "۱۲۷۹/۰۱/۰۱"}, {"to": "۱۴۷۹/۰۱/۰۱"}])
def test_the_ends_of_the_range_are_accepted(client, seeded, params):
    for path in SEARCHES:
        assert client.get(path, {"q": "لاوروف", **params}).status_code == 200, path


@pytest.mark.parametrize("typed", ["0001/01/01", "9999/12/31", "۱۱۹۹/۰۱/۰۱", "2101/01/01", "۱۴۷۹/۱۲/۲۹", "1 ژانویه 1899"])
def test_the_editor_gets_a_form_error_outside_the_range(desk, typed):  # noqa: F811
    response = desk.post(ADD_URL, article_form(published=typed))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published"]
    assert not Article.objects.exists()


def test_the_editor_is_told_the_range(desk):  # noqa: F811
    response = desk.post(ADD_URL, article_form(published="۱۴۷۹/۱۲/۲۹"), HTTP_ACCEPT_LANGUAGE="fa")
    assert response.context["adminform"].form.errors["published"] == ["تاریخ باید میان 1900-01-01 و 2100-12-31 باشد."]
