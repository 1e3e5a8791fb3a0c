"""Searching in a real browser (Debian's chromium): highlighted results, right to left."""

import pytest

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
