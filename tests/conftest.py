"""Fixtures shared by the whole suite.

Articles saved in a test reach the search index only when their transaction
commits; tests that search use ``transactional_db`` (or
``django_capture_on_commit_callbacks(execute=True)``) and ``clean_index``.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from haystack import connections

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def clean_index():
    """An empty search index before and after the test."""
    backend = connections["default"].get_backend()
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def seeded(transactional_db, clean_index):
    """The five seed articles imported through the real command (and indexed)."""
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    from articles.models import Article

    return {a.source_file: a for a in Article.objects.all()}


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium through Playwright; skipped only if chromium is absent outside CI.

    One per test module: Playwright's sync API keeps an event loop in this
    thread, so Django's ORM needs DJANGO_ALLOW_ASYNC_UNSAFE while it lives,
    and that switch must not leak into later tests or their subprocesses
    (``check --deploy`` rejects it).
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required in CI (make dev-deps installs it)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as pw:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, tmp_path):
    """A fresh browser page; screenshots go to ``screenshots/`` for people to look at."""
    context = browser.new_context(locale="fa-IR", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    path = Path(__file__).resolve().parent.parent / "screenshots"
    path.mkdir(exist_ok=True)
    return path


def pytest_sessionfinish(session, exitstatus):
    # the temporary index folder of settings_test
    from django.conf import settings

    path = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    if "newsportal-test-index-" in path:
        shutil.rmtree(path, ignore_errors=True)
