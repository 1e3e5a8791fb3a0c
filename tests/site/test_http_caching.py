"""HTTP caching of public pages: Cache-Control, ETag, Vary and 304s, never stale, never shared when personal.

Through the test client with the page cache on (``page_cache``), as in
production; and production's static files as whitenoise serves them.
"""

import datetime as dt
import gc
import gzip
import re
import runpy
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.editors.test_admin import change_form
from tests.site.test_pagecache import page_cache  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("page_cache")

PERSIAN_TITLE = "دیدار وزیران خارجه ایران و آذربایجان در باکو"
PERSIAN_BODY = (
    "وزیر امور خارجه ایران روز دوشنبه در باکو با همتای آذربایجانی خود دیدار و گفت‌وگو کرد.\n\n"
    "دو طرف درباره راه‌های ارتباطی منطقه و همکاری‌های اقتصادی رایزنی کردند."
)
ARABIC_TITLE = "أذربيجان وروسيا تبحثان الوضع في قره باغ"
ARABIC_BODY = "بحث وزيرا خارجية أذربيجان وروسيا في موسكو الوضع في منطقة قره باغ.\n\nوأكد الجانبان أهمية الحوار."


@pytest.fixture
def persian(db):
    return factories.article(title=PERSIAN_TITLE, body=PERSIAN_BODY, published=dt.datetime(2021, 11, 1, 20, 26, tzinfo=dt.UTC))


@pytest.fixture
def arabic(db):
    return factories.article(title=ARABIC_TITLE, body=ARABIC_BODY, language="ar",
                             published=dt.datetime(2023, 9, 23, 12, 5, tzinfo=dt.UTC))


def directives(response) -> set[str]:
    return {d.strip() for d in response["Cache-Control"].split(",")}


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response["Vary"].split(",")}


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


# --- headers ---------------------------------------------------------------------------


def test_an_html_page_is_for_the_readers_browser_only_and_always_revalidated(persian):
    response = Client().get(persian.get_absolute_url())

    assert response.status_code == 200
    assert PERSIAN_TITLE in response.content.decode()
    # The page holds the reader's CSRF token (the language switcher), so no shared cache may keep it.
    assert {"private", "max-age=0"} <= directives(response)
    assert "public" not in directives(response)
    assert re.fullmatch(r'W/"[0-9a-f]{32}-[0-9a-f]{12}"', response["ETag"])
    assert {"accept-language", "cookie"} <= vary(response)
    assert not response.has_header("X-Page-Digest")  # the cached copy's note to itself


def test_a_page_without_a_token_may_be_kept_by_shared_caches(arabic):
    response = Client().get(f"/api/articles/{arabic.pk}/")

    assert response.status_code == 200
    assert response.json()["title"] == ARABIC_TITLE
    assert {"public", "max-age=0"} <= directives(response)
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert {"accept-language", "cookie"} <= vary(response)


def test_browsers_may_keep_pages_longer_when_the_site_allows_it(settings, persian):
    settings.PAGE_CACHE_BROWSER_SECONDS = 30

    assert "max-age=30" in directives(Client().get(persian.get_absolute_url()))


def test_no_caching_headers_when_the_page_cache_is_off(settings, persian):
    settings.PAGE_CACHE_SECONDS = 0
    response = Client().get(persian.get_absolute_url())

    assert not response.has_header("ETag")
    assert not response.has_header("Cache-Control")


# --- conditional requests ------------------------------------------------------------------


def test_a_current_copy_is_answered_304_without_rendering(persian):
    reader = Client()
    first = reader.get(persian.get_absolute_url())

    second, queries = queries_for(reader, persian.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 304
    assert second.content == b""
    assert queries == 0
    assert second["ETag"] == first["ETag"]
    assert {"private", "max-age=0"} <= directives(second)
    assert "csrftoken" not in second.cookies  # nothing to renew: the reader keeps their copy


def test_any_reader_revalidates_a_public_page(arabic):
    url = f"/api/articles/{arabic.pk}/"
    etag = Client().get(url)["ETag"]

    response, queries = queries_for(Client(), url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert queries == 0


def test_an_admin_edit_gives_the_next_reader_a_fresh_200(admin_client, persian):
    reader = Client()
    url = persian.get_absolute_url()
    old = reader.get(url)

    saved = admin_client.post(
        f"/admin/articles/article/{persian.pk}/change/",
        change_form(admin_client, persian, title="دیدار دوباره وزیران خارجه در باکو", slug=persian.slug),
    )
    fresh = reader.get(url, HTTP_IF_NONE_MATCH=old["ETag"])

    assert saved.status_code == 302
    assert fresh.status_code == 200
    assert "دیدار دوباره وزیران خارجه در باکو" in fresh.content.decode()
    assert fresh["ETag"] != old["ETag"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304


def test_a_page_an_edit_left_alone_still_revalidates(persian, arabic):
    reader = Client()
    url = persian.get_absolute_url()
    etag = reader.get(url)["ETag"]

    arabic.title = "عنوان جديد لخبر آخر"
    arabic.save()  # a new stamp: every cached copy is retired and rendered again
    response, queries = queries_for(reader, url, HTTP_IF_NONE_MATCH=etag)

    assert queries > 0  # rendered again…
    assert response.status_code == 304  # …into the same page


def test_a_copy_whose_token_is_no_longer_the_readers_is_never_revalidated(persian):
    reader = Client(enforce_csrf_checks=True)
    url = persian.get_absolute_url()
    old = reader.get(url)
    reader.cookies["csrftoken"] = "N" * 32  # a new secret, as signing in to the admin and out gives

    response = reader.get(url, HTTP_IF_NONE_MATCH=old["ETag"])
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', response.content.decode()).group(1)
    switched = reader.post("/i18n/setlang/", {"language": "ar", "next": url, "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert response["ETag"] != old["ETag"]
    assert switched.status_code == 302  # the page's token works with the reader's cookie


def test_languages_have_their_own_etags(persian):
    url = persian.get_absolute_url()
    reader = Client()
    persian_ui = reader.get(url, HTTP_ACCEPT_LANGUAGE="fa")

    arabic_ui = reader.get(url, HTTP_ACCEPT_LANGUAGE="ar", HTTP_IF_NONE_MATCH=persian_ui["ETag"])

    assert arabic_ui.status_code == 200
    assert '<html lang="ar" dir="rtl">' in arabic_ui.content.decode()
    assert arabic_ui["Content-Language"] == "ar"


# --- editors and the admin --------------------------------------------------------------------


def test_signed_in_editors_get_pages_no_cache_keeps(admin_client, persian):
    url = persian.get_absolute_url()
    etag = Client().get(url)["ETag"]

    response = admin_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
    assert "public" not in directives(response)
    assert not response.has_header("ETag")


def test_the_admin_is_never_cached(admin_client, db):
    for response in (admin_client.get("/admin/"), Client().get("/admin/login/")):
        assert response.status_code == 200
        assert {"private", "no-store"} <= directives(response)


# --- production static files -------------------------------------------------------------------


PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "newsportal.storage.ProductionStaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path):
    """Production's static storage, collected into a folder of its own."""
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=PRODUCTION_STORAGES, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path / "static"


def test_static_files_have_hashed_names_and_are_kept_for_good(collected, persian):
    page = Client().get(persian.get_absolute_url()).content.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)

    response = Client().get(stylesheet, HTTP_ACCEPT_ENCODING="gzip")
    body = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert {"public", "immutable", "max-age=315360000"} <= directives(response)
    assert response["Content-Encoding"] == "gzip"
    assert b"font-family" in gzip.decompress(body)
    assert (collected / "staticfiles.json").exists()


def test_production_static_files_do_not_need_the_optional_web_font(settings, tmp_path):
    without_font = tmp_path / "static"
    shutil.copytree(settings.STATICFILES_DIRS[0], without_font, ignore=shutil.ignore_patterns("fonts"))

    with override_settings(STATICFILES_DIRS=[without_font], STATIC_ROOT=tmp_path / "out", STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)  # would raise: the stylesheet names the font

    [stylesheet] = (tmp_path / "out" / "css").glob("site.*.css")
    assert 'url("../fonts/vazirmatn/Vazirmatn[wght].woff2")' in stylesheet.read_text()  # left as written


# --- gunicorn -----------------------------------------------------------------------------------


def test_every_gunicorn_setting_can_come_from_the_environment(monkeypatch):
    overrides = {
        "GUNICORN_BIND": "127.0.0.1:9999", "GUNICORN_WORKERS": "3", "GUNICORN_WORKER_CLASS": "gthread",
        "GUNICORN_THREADS": "4", "GUNICORN_PRELOAD": "0", "GUNICORN_TIMEOUT": "11", "GUNICORN_GRACEFUL_TIMEOUT": "7",
        "GUNICORN_KEEPALIVE": "9", "GUNICORN_MAX_REQUESTS": "123", "GUNICORN_MAX_REQUESTS_JITTER": "12",
        "GUNICORN_WORKER_TMP_DIR": "/tmp", "GUNICORN_CONTROL_SOCKET": "1", "GUNICORN_COLLECTSTATIC": "0",
    }
    for name, value in overrides.items():
        monkeypatch.setenv(name, value)

    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "newsportal" / "gunicorn.conf.py"))

    assert (config["bind"], config["workers"], config["worker_class"], config["threads"]) == ("127.0.0.1:9999", 3, "gthread", 4)
    assert (config["preload_app"], config["timeout"], config["graceful_timeout"], config["keepalive"]) == (False, 11, 7, 9)
    assert (config["max_requests"], config["max_requests_jitter"], config["worker_tmp_dir"]) == (123, 12, "/tmp")
    assert config["control_socket_disable"] is False


def test_the_master_freezes_what_it_loaded_before_each_fork(monkeypatch):
    monkeypatch.setenv("GUNICORN_COLLECTSTATIC", "0")
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "newsportal" / "gunicorn.conf.py"))
    loaded = {"مسکو": ["لاوروف", "لافروف"]}  # an object the master holds when it forks
    assert gc.is_tracked(loaded) and gc.get_freeze_count() == 0
    try:
        config["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
        # frozen: in none of the generations the collector walks
        assert not any(obj is loaded for generation in range(3) for obj in gc.get_objects(generation))
    finally:
        gc.unfreeze()
