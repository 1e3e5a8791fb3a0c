"""Security: production settings, CSP, escaping of hostile text, read-only public site, request limits."""

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from articles.models import Article, Source
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert('xss')</script>"
ATTRIBUTE = '" onmouseover="alert(1)" x="'
# Hostile text around real Persian and Arabic words, as an attacker would hide it.
HOSTILE_TITLE = f"خبر فوری {SCRIPT} درباره تهران {ATTRIBUTE}"
HOSTILE_LEAD = f"الخبر العاجل {ATTRIBUTE}<img src=x onerror=alert(2)>"
HOSTILE_BODY = f"پاراگراف اول {SCRIPT}\n\nالفقرة الثانية <iframe src=javascript:alert(3)>"
HOSTILE_SOURCE = f"خبرگزاری <b onclick=alert(4)>ایرنا</b> {ATTRIBUTE}"


def manage(*args, env=None):
    # The browser fixture's async-unsafe switch must not leak into a "production" process.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**inherited, **(env or {})},
    )


def production_env(**extra):
    env = {"DJANGO_SETTINGS_MODULE": "newsportal.settings_production", "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
    return {**env, **extra}


# --- production settings -------------------------------------------------------


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_proxy_that_redirects_itself_is_a_deliberate_choice():
    env = production_env(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_PROXY_SSL_HEADER="X-Forwarded-Proto")
    result = manage(
        "shell", "-c", "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)",
        env=env,
    )
    assert result.stdout.strip().splitlines()[-1] == "False False ('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr
    assert manage("check", "--deploy", "--fail-level", "WARNING", env=env).returncode == 0


def test_production_never_runs_with_debug_or_without_a_secret_key():
    debug_on = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=production_env(DJANGO_DEBUG="1"))
    assert debug_on.stdout.strip().splitlines()[-1] == "False", debug_on.stderr
    env = production_env(DJANGO_SECRET_KEY="")
    no_key = manage("check", env=env)
    assert no_key.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in no_key.stderr


@pytest.mark.django_db
def test_errors_show_the_site_page_not_a_debug_page(client, monkeypatch):
    assert settings.DEBUG is False
    missing = client.get("/no-such-page/<script>/")
    assert missing.status_code == 404
    assert b"URLconf" not in missing.content and b"<script>" not in missing.content

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("articles.views.HomeView.get_context_data", explode)
    client.raise_request_exception = False
    broken = client.get("/")
    assert broken.status_code == 500
    assert b"secret internals" not in broken.content and b"Traceback" not in broken.content
    assert 'lang="fa"' in broken.content.decode()


# --- hostile text is escaped everywhere ------------------------------------------


@pytest.fixture
def hostile(db):
    source = Source.objects.create(name=HOSTILE_SOURCE, name_en=f"IRNA {ATTRIBUTE}")
    return factories.article(
        title=HOSTILE_TITLE, lead=HOSTILE_LEAD, body=HOSTILE_BODY, source=source, via=source,
        dateline=f"تهران {ATTRIBUTE}", external_id=f"<b>{ATTRIBUTE}", published=timezone.now(),
    )


def assert_escaped(html):
    """No payload survives as markup, and the escaped text is really on the page."""
    for raw in ("<script>alert", "onmouseover=\"alert", "<img src=x", "<iframe", "<b onclick", "<b>"):
        assert raw not in html
    assert "&lt;script&gt;" in html or "&lt;b onclick" in html or "&quot; onmouseover=&quot;" in html


class InlineCodeFinder(HTMLParser):
    """Collects inline scripts, style elements and style/event attributes: what the CSP blocks."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if (tag == "script" and "src" not in names and dict(attrs).get("type") != "application/json") or tag == "style":
            self.found.append(tag)
        self.found += [f"{tag}[{name}]" for name in names if name == "style" or name.startswith("on")]


def inline_code(html):
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.found


def test_article_pages_escape_hostile_text(client, hostile):
    for url in ("/", reverse("articles:list"), hostile.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_escaped(html)
        assert inline_code(html) == [], url
    detail = client.get(hostile.get_absolute_url()).content.decode()
    assert "&lt;iframe src=javascript:alert(3)&gt;" in detail
    assert "خبرگزاری &lt;b onclick=alert(4)&gt;ایرنا&lt;/b&gt;" in detail


def test_api_returns_hostile_text_as_data(client, hostile):
    response = client.get(reverse("api-article", args=[hostile.pk]))
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = response.json()
    assert data["title"] == HOSTILE_TITLE and data["source"] == HOSTILE_SOURCE


def search_url():
    try:
        resolve("/search/")
    except Resolver404:
        pytest.skip("the search page is not there yet")
    return "/search/"


def test_search_page_escapes_hostile_queries(client, hostile):
    url = search_url()
    for query in (SCRIPT, ATTRIBUTE, f"تهران {SCRIPT}", "\"><svg onload=alert(1)>"):
        response = client.get(url, {"q": query})
        assert response.status_code in (200, 400), query
        html = response.content.decode()
        assert "<script>alert" not in html and "<svg onload" not in html and 'onmouseover="alert' not in html
        assert inline_code(html) == []


@pytest.mark.django_db
def test_hostile_filter_values_are_refused(client):
    assert client.get(reverse("articles:list"), {"lang": SCRIPT}).status_code == 404
    assert client.get(reverse("articles:list"), {"page": SCRIPT}).status_code == 404


# --- headers ----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_kind_of_response_carries_the_csp(client, admin_client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    for response in (client.get("/api/articles/999999/"), client.get("/missing/"), client.get("/admin/login/"),
                     admin_client.get("/admin/articles/article/add/")):
        assert response["Content-Security-Policy"] == policy
    # The admin works under the same policy: nothing inline to block.
    assert inline_code(admin_client.get("/admin/articles/article/add/").content.decode()) == []


# --- the admin is the only way to write ---------------------------------------------


def public_paths(article):
    """Every URL of the site outside the admin, with its parameters filled in."""
    values = {"int": str(article.pk), "str": article.slug, "slug": article.slug, "path": article.slug}

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if getattr(entry, "app_name", None) == "admin":
                    continue
                yield from walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                full = re.sub(r"<(?:(\w+):)?\w+>", lambda m: values[m.group(1) or "str"], prefix + route)
                if "^" not in full and "(" not in full:  # regex routes (none expected) cannot be filled in
                    yield "/" + full

    return sorted(set(walk(get_resolver().url_patterns, "")))


def test_public_urls_accept_no_writes(client, hostile):
    paths = public_paths(hostile)
    assert unquote(hostile.get_absolute_url()) in paths and "/i18n/setlang/" in paths
    before = (Article.objects.count(), Source.objects.count(), Article.objects.get().modified)
    for path in paths:
        if path == "/i18n/setlang/":
            continue  # the language switcher: sets a cookie, writes nothing
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(path, {"title": "x"})
            assert response.status_code in (403, 404, 405), (method.__name__, path, response.status_code)
    assert (Article.objects.count(), Source.objects.count(), Article.objects.get().modified) == before


def test_admin_refuses_anonymous_writes(client, hostile):
    response = client.post(f"/admin/articles/article/{hostile.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Article.objects.filter(pk=hostile.pk).exists()


# --- request size limits -------------------------------------------------------------


@pytest.mark.django_db
def test_oversized_form_bodies_are_refused(client):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    big = client.post("/i18n/setlang/", {"language": "ar", "next": "/", "junk": "ب" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    assert big.status_code == 400
    many = client.post("/i18n/setlang/", {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    assert many.status_code == 400



@pytest.fixture
def hostile_entities(hostile):
    person = factories.person(
        slug="hostile-person", name_fa=f"علی {SCRIPT}", name_ar=f"علي {ATTRIBUTE}", name_en=f"Ali {ATTRIBUTE}",
        role_fa="وزیر <img src=x onerror=alert(5)>", role_ar=f"وزير {SCRIPT}", role_en=SCRIPT,
        aliases=(("fa", f"علی‌جان {ATTRIBUTE}"),),
    )
    event = factories.event(
        slug="hostile-event", name_fa=f"نشست {SCRIPT}", name_ar=f"اجتماع {ATTRIBUTE}", name_en=f"Summit {SCRIPT}",
        description_fa="شرح <iframe src=javascript:alert(6)>", description_ar=SCRIPT, description_en=ATTRIBUTE,
        aliases=(("ar", f"قمة {SCRIPT}"),),
    )
    factories.link(hostile, person, origin="confirmed")
    factories.link(hostile, event, origin="confirmed")
    return person, event


def test_entity_names_aliases_and_descriptions_are_escaped(client, hostile, hostile_entities):
    person, event = hostile_entities
    pages = [hostile.get_absolute_url(), person.get_absolute_url(), event.get_absolute_url(),
             reverse("entities:people"), reverse("entities:events")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for raw in ("<script>alert", 'onmouseover="alert', "<img src=x", "<iframe"):
            assert raw not in html, (url, raw)
        assert inline_code(html) == [], url
    assert "&lt;script&gt;" in client.get(person.get_absolute_url()).content.decode()
    data = client.get(reverse("entities:api-person", args=[person.pk])).json()
    assert SCRIPT in json.dumps(data, ensure_ascii=False)  # data, served as JSON
    for language in ("fa", "ar"):
        query = {"q": "علی‌جان" if language == "fa" else "قمة"}
        response = client.get(search_url(), query)
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode() and 'onmouseover="alert' not in response.content.decode()


def test_every_public_page_has_the_csp_and_nothing_inline(client, hostile, hostile_entities):
    person, event = hostile_entities
    paths = public_paths(hostile) + [person.get_absolute_url(), event.get_absolute_url(), search_url() + "?q=باکو"]
    checked = 0
    for path in paths:
        response = client.get(path, follow=True)
        assert response.status_code < 500, path
        assert "Content-Security-Policy" in response, path
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert inline_code(response.content.decode()) == [], path
            checked += 1
    assert checked >= 6


@pytest.mark.django_db
def test_feeds_cannot_smuggle_script_urls():
    from articles.importer import import_bytes
    from articles.importreport import ImportReport

    line = {"title": "خبر فوری از باکو", "body": "متن کامل خبر فوری از باکو درباره نشست امروز.", "language": "fa"}
    feed = "\n".join(json.dumps({**line, "id": str(n), "url": url}, ensure_ascii=False)
                     for n, url in enumerate(["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "https://example.com/x"]))
    report = import_bytes("links.jsonl", feed.encode(), ImportReport())
    assert report.counts["created"] == 1 and report.counts["rejected"] == 2, report.messages
    assert list(Article.objects.values_list("url", flat=True)) == ["https://example.com/x"]


def test_an_upload_of_too_many_files_is_refused(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"{n}.txt", "خبر".encode()) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = admin_client.post("/admin/articles/article/upload/", {"files": files})
    assert response.status_code == 400
    assert not Article.objects.exists()
