"""Cached public pages: served without work, never stale, never personal."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import pipeline
from articles.models import Article
from tests import factories


@pytest.fixture
def page_cache(settings, tmp_path):
    """The page cache on, in a folder of its own; yields that folder."""
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_STAMP = str(tmp_path / "content-stamp")
    settings.CACHES = {**settings.CACHES, settings.PAGE_CACHE_ALIAS: {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "pages"),
    }}
    caches["default"].clear()  # what stamp.remember kept under another test's stamp
    yield tmp_path / "pages"
    caches[settings.PAGE_CACHE_ALIAS].clear()
    caches["default"].clear()


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


@pytest.fixture
def article(seeded):
    return Article.objects.published().get(language="fa", source_file__startswith="000")


def test_second_request_is_served_from_the_cache(page_cache, article):
    client = Client()
    first, first_queries = queries_for(client, article.get_absolute_url())
    second, second_queries = queries_for(Client(), article.get_absolute_url())

    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert article.title in second.content.decode()
    # the same page, with the second reader's own token (tests/site/test_http_caching.py: the headers)
    assert second["ETag"].split("-")[0] == first["ETag"].split("-")[0]


def test_a_saved_change_shows_on_the_next_request(page_cache, article):
    url = article.get_absolute_url()
    Client().get(url)
    article.title = "عنوان تازه برای آزمون حافظه نهان"
    article.save()

    response = Client().get(url)

    assert "عنوان تازه برای آزمون حافظه نهان" in response.content.decode()


def test_each_reader_gets_their_own_working_csrf_token(page_cache, article):
    url = article.get_absolute_url()
    Client().get(url)  # cached with someone else's token
    reader = Client(enforce_csrf_checks=True)

    response, queries = queries_for(reader, url)
    token = response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    switched = reader.post("/i18n/setlang/", {"language": "ar", "next": "/", "csrfmiddlewaretoken": token})

    assert queries == 0
    assert "\x00" not in response.content.decode()
    assert "private" in response["Cache-Control"]  # the token is this reader's alone
    assert switched.status_code == 302


def test_languages_are_cached_apart(page_cache, article):
    url = article.get_absolute_url()
    persian = Client().get(url, HTTP_ACCEPT_LANGUAGE="fa")
    arabic = Client().get(url, HTTP_ACCEPT_LANGUAGE="ar")

    assert persian["Content-Language"] == "fa"
    assert arabic["Content-Language"] == "ar"


def test_signed_in_editors_and_errors_are_never_cached(page_cache, article):
    url = article.get_absolute_url()
    editor = Client()
    editor.force_login(get_user_model().objects.create_user("editor", password="x-Very-long-1"))
    editor.get(url)
    _, queries = queries_for(editor, url)
    missing = Client().get("/articles/999999/")

    assert queries > 0
    assert missing.status_code == 404
    assert not page_cache.exists() or not any(page_cache.iterdir())


def test_off_when_page_cache_seconds_is_zero(settings, article):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get(article.get_absolute_url())
    _, queries = queries_for(Client(), article.get_absolute_url())

    assert queries > 0


def test_a_batch_written_in_bulk_shows_on_the_next_request(page_cache, article):
    url = article.get_absolute_url()
    Client().get(url)
    Article.objects.filter(pk=article.pk).update(title="خبر تازه از واردکردن دسته‌ای")  # no post_save

    pipeline.committed([article.pk])  # what a bulk import does once a batch has committed

    assert "خبر تازه از واردکردن دسته‌ای" in Client().get(url).content.decode()


def test_lists_count_their_articles_once_per_content_change(page_cache, db):
    factories.articles(45)

    def counts(url):
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        return sum("COUNT(" in q["sql"] for q in queries.captured_queries)

    assert counts("/articles/") == 1
    assert counts("/articles/?page=2") == 0  # another page, rendered, the count remembered
    factories.article(title="خبر تازه")
    assert counts("/articles/?page=3") == 1
    assert "صفحه ۳ از ۳" in Client().get("/articles/?page=3").content.decode()


# --- keys: only the parameters a page reads ------------------------------------------


def cached_copies(folder):
    return len(list(folder.glob("*.djcache")))


def test_junk_parameters_make_no_new_copies(page_cache, article):
    client = Client()
    for n in range(20):
        assert client.get("/sitemap.xml", {"cb": n}).status_code == 200
        assert client.get(article.get_absolute_url(), {"cb": n, "utm_source": "خبرنامه"}).status_code == 200
    assert cached_copies(page_cache) == 2


def test_the_parameters_a_page_reads_still_count_and_junk_never_shows(page_cache, article):
    client = Client()
    for n, q in enumerate(["باکو", "لاوروف", "باکو", "الرياض"]):
        response = client.get("/search/", {"q": q, "cb": f"junk{n}", "page": "1"})
        assert response.status_code == 200
        assert "junk" not in response.content.decode()  # not in the feed link, the canonical address, the pages
    assert cached_copies(page_cache) == 3  # one per query, whatever the junk
    # the order of the parameters makes no other copy either
    client.get("/api/search/?lang=fa&q=%D8%A8%D8%A7%DA%A9%D9%88&x=1")
    client.get("/api/search/?q=%D8%A8%D8%A7%DA%A9%D9%88&y=2&lang=fa")
    assert cached_copies(page_cache) == 4
    persian = client.get("/api/search/", {"q": "قره باغ", "lang": "fa", "z": "3"}).json()
    arabic = client.get("/api/search/", {"q": "قره باغ", "lang": "ar"}).json()
    assert persian["results"] and {h["language"] for h in persian["results"]} == {"fa"}
    assert arabic["results"] and {h["language"] for h in arabic["results"]} == {"ar"}
    assert cached_copies(page_cache) == 6


def test_a_page_that_does_not_say_what_it_reads_is_cached_bare_only(page_cache, article, settings):
    settings.PAGE_CACHE_PARAMETERS = {k: v for k, v in settings.PAGE_CACHE_PARAMETERS.items() if k != "home"}
    client = Client()
    for n in range(5):
        assert client.get("/", {"cb": n}).status_code == 200
    assert cached_copies(page_cache) == 0
    client.get("/")
    assert cached_copies(page_cache) == 1
