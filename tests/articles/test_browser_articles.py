"""Article pages in a real browser (Debian's chromium): direction, font, dates, narrow screens."""

from pathlib import Path

import pytest

from articles.models import Article

FONT_FILE = Path(__file__).resolve().parents[2] / "static" / "fonts" / "vazirmatn" / "Vazirmatn[wght].woff2"
PHONE = {"width": 375, "height": 812}

pytestmark = pytest.mark.browser


def open_article(page, live_server, source_file):
    article = Article.objects.get(source_file=source_file)
    response = page.goto(live_server.url + article.get_absolute_url())
    assert response.status == 200
    page.evaluate("document.fonts.ready")
    return article


def test_persian_article_reads_right_to_left_in_vazirmatn(page, live_server, seeded):
    open_article(page, live_server, "003_840ad37251b4b345.txt")

    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.locator("html").get_attribute("dir") == "rtl"
    title = page.locator("h1.article__title")
    assert title.inner_text().startswith("سرگئی لاوروف وزیر امور خارجه روسیه")
    assert title.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.locator("article.article").evaluate("el => getComputedStyle(el).direction") == "rtl"
    # the title starts at the right edge of the column, as Persian does
    box = title.bounding_box()
    column = page.locator("article.article").bounding_box()
    assert abs((box["x"] + box["width"]) - (column["x"] + column["width"])) < 2
    facts = page.locator(".article-facts").inner_text()
    assert "۱۰ آبان ۱۴۰۰، ۲۳:۵۶" in facts
    assert "۱ نوامبر ۲۰۲۱" in facts
    assert "مسکو" in facts

    if not FONT_FILE.exists():
        pytest.skip("Vazirmatn is not installed (`make font`); the page uses the system fallback")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Vazirmatn' && f.status === 'loaded').length"
    )
    assert loaded >= 1
    assert page.evaluate("document.fonts.check('16px Vazirmatn', 'سلام')")
    assert title.evaluate("el => getComputedStyle(el).fontFamily").startswith('"Vazirmatn"') or \
        title.evaluate("el => getComputedStyle(el).fontFamily").startswith("Vazirmatn")


def test_arabic_article_in_the_english_ui(page, live_server, seeded):
    page.goto(live_server.url + "/")
    page.select_option("#ui-language", "en")
    page.click(".language-switcher button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "ltr"

    open_article(page, live_server, "002_baac64db82fb31fe.txt")
    assert page.locator("html").get_attribute("lang") == "en"
    article = page.locator("article.article")
    assert article.get_attribute("lang") == "ar"
    assert article.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert "23 September 2023, 15:05" in page.locator(".article-facts").inner_text()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_pages_fit_the_screen(page, live_server, seeded, screenshot_dir, viewport):
    page.set_viewport_size(viewport)
    article = Article.objects.get(source_file="003_840ad37251b4b345.txt")
    for name, url in (("home", "/"), ("list", "/articles/"), ("article", article.get_absolute_url())):
        page.goto(live_server.url + url)
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(screenshot_dir / f"{name}-{viewport['width']}.png"), full_page=True)
        # nothing wider than the screen: no sideways scrolling on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
