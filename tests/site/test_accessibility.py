"""Reader pages in Chromium: axe-core finds nothing serious, keyboard and phone use work.

axe-core comes from npm (make dev-deps); the page's Content-Security-Policy
forbids inline scripts, so the browser context bypasses it for axe only.
Screenshots at desktop and phone width go to screenshots/ for people to look at.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def axe_source():
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is required in CI (make dev-deps installs it)")
        pytest.skip("axe-core is not installed (make dev-deps)")
    return AXE.read_text("utf-8")


@pytest.fixture
def open_page(browser):
    contexts = []

    def _open(url, viewport=DESKTOP, locale="fa-IR", has_touch=False):
        context = browser.new_context(locale=locale, viewport=viewport, bypass_csp=True, has_touch=has_touch)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(url)
        return page, response

    yield _open
    for context in contexts:
        context.close()


def _serious_violations(page, axe_source):
    page.evaluate(axe_source)
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})""")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def _pages(live_server):
    persian = Article.objects.published().filter(language="fa", published__isnull=False).first()
    arabic = Article.objects.published().filter(language="ar").first()
    return {
        "home": (live_server.url + "/", 200),
        "list": (live_server.url + "/articles/?lang=fa", 200),
        "article-fa": (live_server.url + persian.get_absolute_url(), 200),
        "article-ar": (live_server.url + arabic.get_absolute_url(), 200),
        "search": (live_server.url + "/search/?q=لاوروف+آبان+۱۴۰۰", 200),
        "search-dated": (live_server.url + "/search/?q=قره+باغ&from=2021-10-23&to=2023-09-30", 200),
        "person": (live_server.url + "/people/sergey-lavrov/", 200),
        "people": (live_server.url + "/people/", 200),
        "events": (live_server.url + "/events/", 200),
        "event": (live_server.url + "/events/khojaly-massacre/", 200),
        "not-found": (live_server.url + "/no-such-page/", 404),
    }


def test_no_serious_axe_violations_desktop_and_phone(seeded, live_server, open_page, axe_source, screenshot_dir):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    problems = []
    for name, (url, status) in _pages(live_server).items():
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page, response = open_page(url, viewport)
            assert response.status == status, url
            page.screenshot(path=str(screenshot_dir / f"a11y-{name}-{label}.png"), full_page=True)
            problems += [f"{name} {label}: {p}" for p in _serious_violations(page, axe_source)]
            # nothing wider than a phone: no sideways scrolling
            if label == "phone":
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name} scrolls sideways"
    assert problems == [], "\n".join(problems)


def test_skip_link_and_visible_focus(seeded, live_server, open_page):
    page, _ = open_page(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    # following the link is the browser's next task, not part of the key press: wait for it
    # (a loaded machine ran the check first); a link that goes nowhere still fails here
    page.wait_for_function("location.hash === '#main'", timeout=5000)
    assert page.url.endswith("#main")


def test_axe_reports_a_broken_page(open_page, axe_source, live_server):
    # the check above must be able to fail: an unlabelled field and an image without alt
    page, _ = open_page(live_server.url + "/no-such-page/")
    page.set_content('<html lang="fa"><body><main><img src="/x.png"><input type="text"></main></body></html>')
    problems = _serious_violations(page, axe_source)
    assert any(p.startswith("image-alt") for p in problems)
    assert any(p.startswith("label") for p in problems)


def test_phone_menu_opens_by_touch_and_keyboard(seeded, live_server, open_page, screenshot_dir):
    page, _ = open_page(live_server.url + "/", PHONE, has_touch=True)
    button = page.locator("button.menu-toggle")
    articles_link = page.locator(".site-nav a").first
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not articles_link.is_visible()
    page.screenshot(path=str(screenshot_dir / "phone-menu-closed.png"))
    button.tap()
    assert button.get_attribute("aria-expanded") == "true"
    assert articles_link.is_visible()
    page.screenshot(path=str(screenshot_dir / "phone-menu-open.png"))
    # keyboard: Escape closes and gives focus back to the button; Enter opens again
    articles_link.focus()
    page.keyboard.press("Escape")
    assert not articles_link.is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-toggle"
    page.keyboard.press("Enter")
    assert articles_link.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == articles_link.text_content()


def test_phone_menu_without_javascript_is_simply_shown(seeded, live_server, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="fa-IR")
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.locator(".site-nav a").first.is_visible()
    assert not page.locator(".menu-toggle").is_visible()
    context.close()


def test_article_prints_without_site_chrome(seeded, live_server, open_page, screenshot_dir):
    article = Article.objects.published().filter(language="fa", published__isnull=False).first()
    page, _ = open_page(live_server.url + article.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator(".article__title").is_visible()
    assert page.locator(".article-facts").is_visible()  # source and date stay on paper
    page.pdf(path=str(screenshot_dir / "article-print.pdf"))
