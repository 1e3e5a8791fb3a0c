"""Reader pages pass the Nu Html Checker (vnu-jar from npm, on the machine's Java)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from tests import factories

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _checker():
    java = shutil.which("java")
    if java and VNU.exists():
        return [java, "-Xss4m", "-jar", str(VNU)]
    if os.environ.get("CI"):
        pytest.fail("vnu-jar and java are required in CI (make dev-deps installs them)")
    pytest.skip("the Nu Html Checker is not installed (make dev-deps)")


def reader_pages(articles):
    """Every kind of public page, with real Persian and Arabic articles on it."""
    persian = next(a for a in articles if a.language == "fa" and a.published)
    arabic = next(a for a in articles if a.language == "ar")
    return {
        "home": "/",
        "list": "/articles/",
        "list-ar": "/articles/?lang=ar&page=1",
        "article-fa": persian.get_absolute_url(),
        "article-ar": arabic.get_absolute_url(),
        "search": "/search/?q=لاوروف+آبان+۱۴۰۰",
        "search-dated": "/search/?q=قره+باغ&from=2021-10-23&to=2023-09-30",
        "people": "/people/",
        "person": "/people/sergey-lavrov/",
        "events": "/events/",
        "event": "/events/khojaly-massacre/",
        "not-found": "/no-such-page/",
    }


@pytest.mark.slow
def test_reader_pages_are_valid_html(seeded, client, tmp_path):
    checker = _checker()
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    files = {}
    for name, url in reader_pages(list(Article.objects.published())).items():
        for language in ("fa", "ar", "en"):
            client.cookies["django_language"] = language
            response = client.get(url)
            assert response.status_code == (404 if name == "not-found" else 200), url
            path = tmp_path / f"{name}-{language}.html"
            path.write_bytes(response.content)
            files[str(path)] = f"{url} ({language})"
    run = subprocess.run([*checker, "--format", "json", "--errors-only", *files], capture_output=True, text=True, timeout=120)
    messages = json.loads(run.stderr)["messages"]
    errors = [f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m['message']} [{m.get('extract', '')!r}]"
              for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors == [], "\n".join(errors)
    assert run.returncode == 0


def test_the_checker_finds_errors(tmp_path):
    # a broken page must fail, so a silent checker cannot pass the test above
    checker = _checker()
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html lang="fa"><head><title>x</title></head><body><p><div></p></body></html>', "utf-8")
    run = subprocess.run([*checker, "--format", "json", "--errors-only", str(page)], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert any(m["type"] == "error" for m in json.loads(run.stderr)["messages"])


@pytest.mark.slow
def test_numbered_pages_are_valid_html(db, client, tmp_path):
    checker = _checker()
    factories.one_an_hour(range(70))
    files = []
    for language in ("fa", "ar"):
        client.cookies["django_language"] = language
        path = tmp_path / f"list-page-2-{language}.html"
        path.write_bytes(client.get("/articles/?page=2").content)
        files.append(str(path))
    run = subprocess.run([*checker, "--format", "json", "--errors-only", *files], capture_output=True, text=True, timeout=120)
    assert [m["message"] for m in json.loads(run.stderr)["messages"]] == []
