"""What readers and editors read, over HTTP: numbers, navigation, article pages, lists (issue 17).

The same items are checked as rendered in tests/site/test_browser_ui.py.
"""

import os
import re
from urllib.parse import quote

import pytest
from django.core.management import call_command
from PIL import ImageDraw

from articles.models import Article
from tests import factories
from tests.conftest import SEEDS

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


@pytest.fixture
def linked(transactional_db, clean_index):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


@pytest.mark.parametrize("lang", ["fa", "ar"])
@pytest.mark.parametrize("url", ["/people/", "/events/"])
def test_list_counts_are_isolated_and_not_beside_a_dot(linked, client, url, lang):
    main = main_of(client.get(url, HTTP_ACCEPT_LANGUAGE=lang))
    counts = re.findall(r'<span class="meta__count"><bdi>([^<]*)</bdi></span>', main)
    assert counts, main
    digits = PERSIAN_DIGITS if lang == "fa" else ARABIC_DIGITS
    for count in counts:
        assert count.strip()[0] in digits  # the number opens the isolated count
    # a middle dot beside a Persian digit reads as a Persian zero: none in the lists
    assert "·" not in main


def test_article_lines_of_a_person_have_no_dot_before_the_date(linked, client):
    main = main_of(client.get("/people/sergey-lavrov/", HTTP_ACCEPT_LANGUAGE="fa"))
    assert "<time" in main and "·" not in main


def test_numbered_lists_count_in_the_interface_digits(client):
    css = (SEEDS.parent / "static" / "css" / "site.css").read_text()
    assert re.search(r'html\[lang="fa"\]\)? ol \{ list-style-type: persian; \}', css)
    assert re.search(r'html\[lang="ar"\]\)? ol \{ list-style-type: arabic-indic; \}', css)


@pytest.mark.parametrize(("lang", "digits"), [("fa", PERSIAN_DIGITS), ("ar", ARABIC_DIGITS)])
def test_timeline_bars_are_labelled_in_the_reader_digits(linked, client, monkeypatch, lang, digits):
    drawn = []
    original = ImageDraw.ImageDraw.text

    def spy(self, xy, text, *args, **kwargs):
        drawn.append(text)
        return original(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", spy)
    response = client.get("/people/sergey-lavrov/timeline.png", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    numbers = [text for text in drawn if re.fullmatch(r"[\d٠-٩۰-۹]+", text)]
    assert numbers  # years and counts
    assert all(ch in digits for text in numbers for ch in text), numbers


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_header_names_every_section(linked, client, lang):
    html = client.get("/people/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    nav = html[html.index('<nav class="site-nav"'):html.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)"', nav)
    assert links == ["/articles/", "/articles/?lang=fa", "/articles/?lang=ar", "/people/", "/events/"]
    assert re.search(r'<a href="/people/" aria-current="page">', nav)  # where the reader is
    assert 'role="search"' in html[html.index("<header"):html.index("</header>")]
    assert not re.search(r">[^<]*[A-Za-z]{3,}[^<]*</a>", nav)  # all in the interface language


def test_article_page_byline_is_above_the_body(linked, client):
    article = linked["003"]
    html = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    title, lead = html.index('class="article__title"'), html.index('class="article__lead"')
    byline, body = html.index("article__byline"), html.index('class="article__body"')
    assert title < lead < byline < body
    line = html[byline:body]
    for shown in ("<bdi>مشرق</bdi>", "<bdi>ایرنا</bdi>", "<bdi>مسکو</bdi>", "۱۰ آبان ۱۴۰۰، ۲۳:۵۶ (۱ نوامبر ۲۰۲۱)"):
        assert shown in line  # source, via, dateline, both calendars


def test_article_page_lists_related_articles_and_share_links(linked, client):
    article = linked["003"]  # Lavrov and Mirzoyan
    html = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    related = html[html.index('<section class="related"'):]
    related = related[:related.index("</section>")]
    urls = re.findall(r'<a href="(/articles/[^"]+)"', related)
    assert article.get_absolute_url() not in urls
    # the Arabic article naming Lavrov too comes first: shared people before shared words
    assert urls[0] == linked["002"].get_absolute_url()
    assert len(urls) >= 2
    absolute = quote(f"http://testserver{article.get_absolute_url()}", safe="")
    assert f"https://t.me/share/url?url={absolute}" in html
    assert "mailto:?subject=" in html


def test_related_by_words_ignores_search_syntax(linked):
    from entities.related import title_query

    assert title_query('«قره باغ» -ارمنستان "صلح" پو*') == "قره باغ ارمنستان صلح پو"


def test_page_numbers_show_both_ends_and_the_neighbourhood():
    from django.core.paginator import Paginator

    from articles.templatetags.portal import page_numbers

    pages = Paginator(range(200), 10)  # 20 pages
    assert page_numbers(pages.page(1)) == [1, 2, 3, None, 20]
    assert page_numbers(pages.page(10)) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert page_numbers(pages.page(4)) == [1, 2, 3, 4, 5, 6, None, 20]  # no gap for one page
    assert page_numbers(Paginator(range(20), 10).page(2)) == [1, 2]


@pytest.mark.parametrize(("lang", "digits"), [("fa", PERSIAN_DIGITS), ("ar", ARABIC_DIGITS)])
def test_lists_have_numbered_pages(db, client, lang, digits):
    factories.one_an_hour(range(1, 90))
    html = client.get("/articles/?lang=fa&page=3", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    nav = html[html.index('<nav class="pagination"'):]
    nav = nav[:nav.index("</nav>")]
    links = re.findall(r'<a (?:aria-current="page" )?href="\?lang=fa&amp;page=(\d+)"[^>]*>([^<]+)</a>', nav)
    assert [int(page) for page, _ in links] == [1, 2, 3, 4, 5]
    assert [text for _, text in links] == [digits[1], digits[2], digits[3], digits[4], digits[5]]
    assert 'aria-current="page" href="?lang=fa&amp;page=3"' in nav
    assert 'rel="prev"' in nav and 'rel="next"' in nav


def test_related_by_words_asks_for_the_title_longest_words():
    from entities.related import subject_query

    assert subject_query("دیدار وزیر امور خارجه جمهوری آذربایجان از پرو") == "دیدار وزیر خارجه جمهوری آذربایجان"
