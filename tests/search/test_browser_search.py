"""Searching in a real browser (Debian's chromium): highlighted results, right to left."""

import pytest

from tests.search.test_search_spellings import articles  # noqa: F401  (the articles the "also spelled" tests search)

pytestmark = pytest.mark.browser


def test_search_shows_highlighted_results_right_to_left(page, live_server, seeded, screenshot_dir):
    page.goto(live_server.url + "/")
    # typed as a reader with an Arabic keyboard layout would: ي and ك
    page.fill("#site-search", "لاوروف باكو")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=*")

    hits = page.locator(".search-hit")
    assert hits.count() >= 2
    first = hits.first
    assert first.get_attribute("dir") == "rtl"
    assert first.evaluate("el => getComputedStyle(el).direction") == "rtl"
    marks = page.locator(".search-hit mark")
    assert marks.count() >= 2
    assert {m.strip() for m in marks.all_inner_texts()} <= {"لاوروف", "باکو", "باكو", "لافروف"}
    # the snippet starts at the right edge of its column, as Persian and Arabic do
    snippet = first.locator(".search-hit__snippet")
    box, column = snippet.bounding_box(), first.bounding_box()
    assert abs((box["x"] + box["width"]) - (column["x"] + column["width"])) < 2
    assert "search-count" in page.content()
    page.screenshot(path=str(screenshot_dir / "search-results.png"), full_page=True)


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize(("lang", "line", "count", "included"), [
    ("fa", "املای دیگر:", "۱ خبر", "در همین نتایج"), ("ar", "يُكتب أيضًا:", "١ خبر", "ضمن هذه النتائج"),
])
def test_also_spelled_line_reads_right_to_left(browser, live_server, screenshot_dir, lang, line, count, included):
    context = browser.new_context(locale=lang, viewport={"width": 1280, "height": 900},
                                  extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=هلسینکی")
    offered = page.locator(".search-also-spelled")
    assert offered.inner_text().startswith(line) and f"({count})" in offered.inner_text()
    assert offered.evaluate("el => getComputedStyle(el).direction") == "rtl"
    link = offered.locator("a")
    assert link.inner_text() == "هلسنكي"
    page.screenshot(path=str(screenshot_dir / f"search-also-spelled-{lang}.png"), full_page=True)
    link.click()
    page.wait_for_url("**/search/?q=*")
    assert page.locator(".search-hit").count() == 1
    # a spelling discovery knows as a name is counted in, and the line says so
    page.goto(live_server.url + "/search/?q=بایراموف")
    assert page.locator(".search-hit mark").first.inner_text() == "باراموف"
    assert included in page.locator(".search-also-spelled").inner_text()
    page.screenshot(path=str(screenshot_dir / f"search-also-spelled-included-{lang}.png"), full_page=True)
    context.close()
