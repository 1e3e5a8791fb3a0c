"""A row that already holds a date outside the portal's range is an undated article, never a 500.

Imports now reject such dates, but older rows may have them: 9999-12-31
(overflows when shown in local time) and year 1 (a BC date on PostgreSQL,
which psycopg cannot even load).  They are written here the way no form
would, with ``QuerySet.update`` or raw SQL, and every reader page, feed,
API, share image, the admin and the index commands must still answer.
"""

import datetime as dt
import io
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from articles.dates import TEHRAN
from articles.models import Article
from tests import factories
from tests.conftest import SEEDS
from tests.editors.test_admin import editor  # noqa: F401 (fixture)


def store_far_future(pk):
    Article.objects.filter(pk=pk).update(published=dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=TEHRAN))


def store_year_one(pk):
    if connection.vendor == "postgresql":
        # PostgreSQL keeps 0001-01-01 in Tehran as "0001-12-31 20:34:16+00 BC"
        Article.objects.filter(pk=pk).update(published=dt.datetime(1, 1, 1, tzinfo=TEHRAN))
        with connection.cursor() as cursor:
            cursor.execute("SELECT published::text FROM articles_article WHERE id = %s", [pk])
            assert cursor.fetchone()[0].endswith(" BC")
    else:
        # what SQLite holds for the same moment: year 0, which Python cannot read
        with connection.cursor() as cursor:
            cursor.execute("UPDATE articles_article SET published = '0000-12-31 20:34:16' WHERE id = %s", [pk])


STORED = {"9999-12-31": store_far_future, "year 1": store_year_one}


@pytest.fixture(params=list(STORED))
def odd(request, transactional_db, clean_index):
    """The seeds imported and indexed, then one Persian and one Arabic article given an odd date."""
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    articles = {a.language: a for a in Article.objects.order_by("pk")}
    for article in articles.values():
        STORED[request.param](article.pk)
    return articles


def reader_pages(article):
    return [
        "/", "/articles/", "/articles/?lang=fa", "/articles/?lang=ar", article.get_absolute_url(),
        f"/api/articles/{article.pk}/", f"/share/articles/{article.pk}.png", "/feeds/atom/", "/feeds/rss/",
        f"/feeds/{article.language}/atom/", "/sitemap.xml", "/sitemap-articles.xml",
    ]


def test_reader_pages_show_the_article_undated(client, odd):
    for language, article in odd.items():
        for path in reader_pages(article):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code in (200, 404), (path, response.status_code)
            if path.endswith("/atom/"):
                assert article.title in response.content.decode()
        assert client.get(f"/api/articles/{article.pk}/").json()["published"] is None


def test_the_index_commands_repair_and_rebuild(client, odd):
    # The index still has the old dates: check_index reports them as stale ...
    with pytest.raises(CommandError, match="drifted"):
        call_command("check_index", stdout=io.StringIO())
    call_command("check_index", "--fix", stdout=io.StringIO())
    call_command("check_index", stdout=io.StringIO())  # ... and in sync once fixed
    call_command("rebuild_index", "--noinput", stdout=io.StringIO())
    call_command("check_index", stdout=io.StringIO())
    for language, article in odd.items():
        hits = client.get("/api/search/", {"q": article.title, "sort": "date"}).json()["results"]
        assert {"id": article.pk, "published": None}.items() <= next(h for h in hits if h["id"] == article.pk).items()
        assert client.get("/search/", {"q": article.title}, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
        assert client.get("/search/feed/rss/", {"q": article.title}).status_code == 200


def test_the_admin_lists_and_opens_it(odd, editor):  # noqa: F811
    desk = Client()
    desk.force_login(editor)
    for order in ("4", "-4"):  # by publication date
        response = desk.get("/admin/articles/article/", {"o": order})
        assert response.status_code == 200
        assert all(a.title in response.content.decode() for a in odd.values())
    for article in odd.values():
        response = desk.get(f"/admin/articles/article/{article.pk}/change/")
        assert response.status_code == 200
        assert response.context["adminform"].form["published"].value() is None


@pytest.mark.parametrize("language", ["fa", "ar"])
def test_an_article_saved_with_such_a_date_is_indexed_undated(client, transactional_db, clean_index, language):
    title = {"fa": "خبر بی‌تاریخ از باکو", "ar": "خبر بلا تاريخ من باكو"}[language]
    factories.article(title=title, body=title, language=language, published=dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=TEHRAN))
    response = client.get("/search/", {"q": title}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert [h.published for h in response.context["result"].hits] == [None]
    assert client.get("/api/search/", {"q": title, "sort": "date"}).json()["results"][0]["published"] is None
    call_command("check_index", stdout=io.StringIO())
