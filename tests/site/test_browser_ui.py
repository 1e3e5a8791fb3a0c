"""Issue 17 as rendered in Debian's chromium, at 1280 and 375 px, in the Persian and Arabic interfaces.

Screenshots go to ``screenshots/ui-*.png`` for people to look at.
"""

import os
import re

import pytest
from django.core.management import call_command

from articles.models import Article
from tests import factories
from tests.conftest import SEEDS

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
DIGITS = {"fa": "۰۱۲۳۴۵۶۷۸۹", "ar": "٠١٢٣٤٥٦٧٨٩"}
EVERY = [(lang, size) for lang in ("fa", "ar") for size in VIEWPORTS]


@pytest.fixture
def linked(transactional_db, clean_index):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


@pytest.fixture
def reader(browser, request):
    """A page in the interface language ``lang`` at the viewport ``size`` (from the test's parameters)."""
    lang, size = request.node.callspec.params["lang"], request.node.callspec.params["size"]
    context = browser.new_context(locale=lang, viewport=VIEWPORTS[size], extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    yield page
    context.close()


def visit(page, live_server, url, screenshot_dir=None, name=None):
    response = page.goto(live_server.url + url)
    assert response.status == 200, url
    page.evaluate("document.fonts.ready")
    if screenshot_dir is not None:
        width = page.viewport_size["width"]
        lang = page.locator("html").get_attribute("lang")
        page.screenshot(path=str(screenshot_dir / f"ui-{name}-{lang}-{width}.png"), full_page=True)
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], url


# The horizontal extent of the first and the last character of an element's text.
EDGES = """el => {
  const text = el.firstChild;
  const box = (start) => { const r = document.createRange(); r.setStart(text, start); r.setEnd(text, start + 1);
                           const b = r.getBoundingClientRect(); return [b.left, b.right]; };
  return {first: box(0), last: box(text.length - 1), text: text.textContent};
}"""


@pytest.mark.parametrize(("lang", "size"), EVERY)
@pytest.mark.parametrize("url", ["/people/", "/events/"])
def test_article_counts_read_right(linked, reader, live_server, screenshot_dir, url, lang, size):
    visit(reader, live_server, url, screenshot_dir, url.strip("/"))
    counts = reader.locator(".meta__count")
    assert counts.count() >= 5
    for i in range(counts.count()):
        count = counts.nth(i)
        edges = count.locator("bdi").evaluate(EDGES)
        number = re.match(r"\S+", edges["text"]).group(0)
        assert all(ch in DIGITS[lang] for ch in number), edges["text"]
        # read right to left: the number is the rightmost thing of its count
        assert edges["first"][0] > edges["last"][0], edges
        meta = count.evaluate("el => el.parentElement.textContent")
        assert "·" not in meta
        # the count is set apart from what precedes it, which sits to its right
        previous = count.evaluate("el => el.previousElementSibling.getBoundingClientRect().toJSON()")
        box = count.bounding_box()
        if abs(previous["y"] - box["y"]) < 4:  # same line
            assert box["x"] + box["width"] < previous["x"]


# The rendered width of an element's text, and of the same text alone in a
# fresh element with the same font: they differ when its last letter took
# another form by joining whatever follows it.
ALONE = """el => {
  const probe = document.createElement("span");
  probe.style.cssText = "position:absolute;white-space:nowrap;font:" + getComputedStyle(el).font;
  probe.textContent = el.textContent;
  probe.lang = el.lang;
  document.body.appendChild(probe);
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = [...range.getClientRects()];
  const result = {inPlace: rects.reduce((sum, r) => sum + r.width, 0), alone: probe.getBoundingClientRect().width,
                  lines: rects.length};
  probe.remove();
  return result;
}"""


@pytest.mark.parametrize(("lang", "size"), EVERY)
# "ملل": events only (a Persian title's بین‌المللی no longer loses an Arabic article); the others: people and articles
@pytest.mark.parametrize(("query", "kinds_expected"), [("ملل", 1), ("لاورو", 2), ("میرزو", 2)])
def test_suggestion_labels_do_not_join_the_names(linked, reader, live_server, screenshot_dir, query, kinds_expected, lang, size):
    visit(reader, live_server, "/")
    reader.locator("#site-search").fill(query)
    listbox = reader.locator("#site-search-suggestions")
    listbox.wait_for()
    options = listbox.get_by_role("option")
    assert options.count() >= 2
    reader.screenshot(path=str(screenshot_dir / f"ui-suggest-{query}-{lang}-{VIEWPORTS[size]['width']}.png"))
    kinds = set()
    for i in range(options.count()):
        option = options.nth(i)
        label, kind = option.locator(".suggestions__label"), option.locator(".suggestions__kind")
        assert label.count() == 1 and kind.count() == 1  # every suggestion, articles too, says what it is
        kinds.add(kind.text_content())
        assert option.evaluate("el => getComputedStyle(el).display") == "flex"  # two boxes, shaped apart
        assert kind.get_attribute("lang") == lang and label.get_attribute("lang") in ("fa", "ar")
        widths = label.evaluate(ALONE)
        if widths["lines"] == 1:
            assert abs(widths["inPlace"] - widths["alone"]) < 0.5, (label.text_content(), widths)
        kind_box, label_box = kind.bounding_box(), label.bounding_box()
        assert kind_box["x"] + kind_box["width"] <= label_box["x"]  # the label to the left of the name (RTL)
    assert len(kinds) >= kinds_expected


@pytest.mark.parametrize(("lang", "size"), EVERY)
def test_navigation_reaches_people_and_events(linked, reader, live_server, screenshot_dir, lang, size):
    for section in ("people", "events"):
        visit(reader, live_server, "/")
        toggle = reader.locator(".menu-toggle")
        if size == "phone":
            assert toggle.is_visible()  # the sections fold behind one button on a phone
            toggle.click()
            assert toggle.get_attribute("aria-expanded") == "true"
        else:
            assert not toggle.is_visible()
        link = reader.locator(f'.site-nav a[href="/{section}/"]')
        assert link.is_visible()
        with reader.expect_navigation():
            link.click()
        assert reader.url == f"{live_server.url}/{section}/"
        if size == "phone":
            reader.locator(".menu-toggle").click()
        assert reader.locator(f'.site-nav a[href="/{section}/"]').get_attribute("aria-current") == "page"
        reader.screenshot(path=str(screenshot_dir / f"ui-nav-{section}-{lang}-{VIEWPORTS[size]['width']}.png"))
    assert reader.locator(".site-header #site-search").is_visible()


@pytest.mark.parametrize(("lang", "size"), EVERY)
@pytest.mark.parametrize("seed", ["003", "002"])
def test_article_meta_is_above_the_body(linked, reader, live_server, screenshot_dir, seed, lang, size):
    article = linked[seed]
    visit(reader, live_server, article.get_absolute_url(), screenshot_dir, f"article-{seed}")
    title, byline = reader.locator(".article__title"), reader.locator(".article__byline")
    body = reader.locator(".article__body p").first
    assert title.bounding_box()["y"] < byline.bounding_box()["y"] < body.bounding_box()["y"]
    assert reader.locator(".article__lead").bounding_box()["y"] < byline.bounding_box()["y"]
    text = byline.inner_text()
    assert (article.source or article.via).name in text and any(ch in DIGITS[lang] for ch in text)
    # the byline is in the interface language, the article in its own
    assert byline.get_attribute("lang") == lang and reader.locator("article.article").get_attribute("lang") == article.language
    # people and events are named, related articles and share links follow
    assert reader.locator(".article-facts a[href^='/people/']").count() >= 1
    assert reader.locator(".related__item").count() >= 1
    assert reader.locator(".share__links a").count() == 5


@pytest.mark.parametrize(("lang", "size"), EVERY)
def test_admin_pages_read_in_the_interface_language(linked, reader, live_server, screenshot_dir, lang, size):
    from django.contrib.auth.models import Group, User

    from editors.roles import EDITORS_GROUP
    from tests.editors.test_admin_language import english_words, entity_names

    user = User.objects.create_user("سارا", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    reader.goto(live_server.url + "/admin/login/")
    reader.fill("#id_username", "سارا")
    reader.fill("#id_password", "wrong password")
    reader.click("input[type=submit]")
    assert english_words(reader.content()) == set()  # the login error included
    reader.fill("#id_password", "a-long-editor-password")
    reader.click("input[type=submit]")
    article = linked["002"]
    allowed = entity_names()
    for name, url in (("articles", "/admin/articles/article/"), ("article", f"/admin/articles/article/{article.pk}/change/"),
                      ("delete", f"/admin/articles/article/{article.pk}/delete/"), ("people", "/admin/entities/person/"),
                      ("upload", "/admin/articles/article/upload/")):
        reader.goto(live_server.url + url)
        reader.screenshot(path=str(screenshot_dir / f"ui-admin-{name}-{lang}-{VIEWPORTS[size]['width']}.png"), full_page=True)
        assert reader.locator("html").get_attribute("dir") == "rtl"
        words = set(re.findall(r"[A-Za-z][A-Za-z’']+", reader.locator("body").inner_text()))
        assert {w for w in words if w.lower() not in ("txt", "jsonl", "zip", "json", "lines", "utf")} <= allowed, (url, words - allowed)


@pytest.mark.parametrize(("lang", "size"), EVERY)
def test_lists_with_numbered_pages_hold_up(linked, reader, live_server, screenshot_dir, lang, size):
    factories.one_an_hour(range(70), title="گزارش شماره {n} از نشست وزیران خارجه در باکو")
    visit(reader, live_server, "/articles/?page=2", screenshot_dir, "list-page-2")
    pages = reader.locator(".pagination__pages a")
    assert [pages.nth(i).inner_text() for i in range(pages.count())] == [DIGITS[lang][n] for n in (1, 2, 3, 4)]
    assert reader.locator(".pagination__pages a[aria-current=page]").inner_text() == DIGITS[lang][2]
    for i in range(pages.count()):  # every number is a target a finger can hit
        box = pages.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
    # cards are a column on a phone, a grid on a desktop
    cards = reader.locator(".card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert (first["y"] == second["y"]) == (size == "desktop")
    with reader.expect_navigation():
        pages.nth(2).click()
    assert reader.url.endswith("page=3")


@pytest.mark.parametrize(("lang", "size"), EVERY)
def test_numbered_lists_count_in_the_interface_digits(linked, reader, live_server, screenshot_dir, lang, size):
    visit(reader, live_server, "/people/sergey-lavrov/", screenshot_dir, "person")
    style = reader.locator("ol.linked-articles li").first.evaluate("el => getComputedStyle(el).listStyleType")
    assert style == {"fa": "persian", "ar": "arabic-indic"}[lang]
    # the timeline image is the reader's width at most
    assert reader.locator("img.timeline").bounding_box()["width"] <= VIEWPORTS[size]["width"]
