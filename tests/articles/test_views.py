"""Reader pages over HTTP: language and direction, dates, 404s, error pages."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import include, path

from articles.models import Article, NearDuplicate, Source
from newsportal import views as site_views
from tests import factories
from tests.conftest import SEEDS


def failing_view(request):
    raise RuntimeError("boom")


# This module doubles as a URLconf (``pytest.mark.urls``) with a view that fails.
urlpatterns = [path("boom/", failing_view), path("api/boom/", failing_view), path("", include("newsportal.urls"))]
handler404 = site_views.page_not_found
handler500 = site_views.server_error


@pytest.fixture
def seeds(db):
    call_command("import_articles", str(SEEDS), stdout=open("/dev/null", "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


def html_tag(content):
    return re.search(r"<html[^>]*>", content.decode()).group(0)


def use_language(client, code):
    response = client.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert response.status_code == 302


# --- language and direction ------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "html", "heading"),
    [
        ("fa", '<html lang="fa" dir="rtl">', "آخرین خبرها"),
        ("ar", '<html lang="ar" dir="rtl">', "آخر الأخبار"),
        ("en", '<html lang="en" dir="ltr">', "Latest news"),
    ],
)
def test_ui_language_from_the_switcher(client, seeds, code, html, heading):
    if code != "fa":  # Persian is the default without any choice
        use_language(client, code)
    response = client.get("/")
    assert response.status_code == 200
    assert html_tag(response.content) == html
    assert f"<h1>{heading}</h1>" in response.content.decode()
    assert f'<option value="{code}" lang="{code}" selected>' in response.content.decode()


def test_home_shows_each_article_in_its_own_language(client, seeds):
    content = client.get("/").content.decode()
    for article in seeds.values():
        card = re.search(rf'<article class="card" lang="(\w+)" dir="(\w+)">\s*<h\d class="card__title"><a href="{re.escape(article.get_absolute_url())}">', content)
        assert card, article.title
        assert card.groups() == (article.language, "rtl")
    assert content.count('lang="ar" dir="rtl"') >= 1


def test_card_does_not_repeat_a_title_cut_from_the_lead(client, seeds):
    cards = client.get("/").content.decode().split('<article class="card"')
    card = next(c for c in cards if seeds["003"].get_absolute_url() in c)
    assert '<p class="card__lead">به گزارش مشرق، وزارت امور خارجه روسیه' in card
    card = next(c for c in cards if seeds["000"].get_absolute_url() in c)
    assert '<p class="card__lead">وزیر امور خارجه جمهوری آذربایجان در سفر به پرو' in card


def test_english_ui_keeps_articles_right_to_left(client, seeds):
    use_language(client, "en")
    content = client.get(seeds["002"].get_absolute_url()).content.decode()
    assert html_tag(content.encode()) == '<html lang="en" dir="ltr">'
    assert '<article class="article" lang="ar" dir="rtl">' in content
    assert "<h1 class=\"article__title\">أذربيجان وروسيا تبحثان الوضع في قره باغ</h1>" in content
    assert "23 September 2023, 15:05" in content


def test_article_page_in_the_persian_ui(client, seeds):
    article = seeds["003"]
    content = client.get(article.get_absolute_url()).content.decode()

    assert html_tag(content.encode()) == '<html lang="fa" dir="rtl">'
    assert '<article class="article" lang="fa" dir="rtl">' in content
    assert f'<h1 class="article__title">{article.title}</h1>' in content
    assert '<span class="meta__dateline"><bdi>مسکو</bdi></span>' in content
    # Jalali first, Gregorian beside it, both with Persian digits, at the source's Tehran time
    assert "۱۰ آبان ۱۴۰۰، ۲۳:۵۶ (۱ نوامبر ۲۰۲۱)" in content
    assert '<time datetime="2021-11-01T23:56:00+03:30">' in content
    assert "<bdi>مشرق</bdi> (<bdi>Mashregh News</bdi>)" in content
    assert "<bdi>ایرنا</bdi> (<bdi>IRNA</bdi>)" in content
    assert '<bdi dir="ltr">1293642</bdi>' in content
    for paragraph in article.paragraphs:
        assert f"<p>{paragraph}</p>" in content


def test_arabic_article_shows_the_time_the_source_printed(client, seeds):
    use_language(client, "ar")
    content = client.get(seeds["002"].get_absolute_url()).content.decode()
    assert html_tag(content.encode()) == '<html lang="ar" dir="rtl">'
    assert "٢٣ سبتمبر ٢٠٢٣، ١٥:٠٥" in content  # 15:05 as printed, in Arabic-Indic digits
    assert "<bdi>أذرنيوز</bdi>" in content


def test_undated_article_says_so(client, seeds):
    content = client.get(seeds["000"].get_absolute_url()).content.decode()
    assert "تاریخ نامعلوم" in content
    assert "<time" not in content.split('<article')[1].split('<section class="related"')[0]


def test_any_slug_redirects_to_the_canonical_address(client, seeds):
    article = seeds["001"]
    for wrong in (f"/articles/{article.pk}/", f"/articles/{article.pk}/wrong-slug/"):
        response = client.get(wrong)
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200


# --- list, filter and pagination ---------------------------------------------------


def test_list_filters_by_language(client, seeds):
    content = client.get("/articles/?lang=ar").content.decode()
    assert seeds["002"].title in content
    assert seeds["000"].title not in content
    assert "أذربيجان" in client.get("/articles/").content.decode()


def test_list_is_latest_first_with_undated_where_they_were_added(client, db):
    # an article without a date counts as published when it reached the portal: not buried at the end
    def article(title, published=None, added=None):
        made = factories.article(title=title, published=published)
        if added:
            Article.objects.filter(pk=made.pk).update(created=added)

    day = lambda n: dt.datetime(2024, 1, n, 12, tzinfo=dt.UTC)  # noqa: E731
    article("خبر تاریخ‌دار تازه", published=day(10))
    article("خبر بی‌تاریخ دیروز", added=day(5))
    article("خبر تاریخ‌دار کهنه", published=day(1), added=day(20))
    for url in ("/articles/", "/", "/articles/?lang=fa"):
        content = client.get(url).content.decode()
        positions = [content.index(title) for title in ("خبر تاریخ‌دار تازه", "خبر بی‌تاریخ دیروز", "خبر تاریخ‌دار کهنه")]
        assert positions == sorted(positions), url


def test_pagination(client, db):
    for day in range(1, 26):
        factories.article(title=f"خبر شماره {day}", published=dt.datetime(2024, 1, day, tzinfo=dt.UTC))
    first = client.get("/articles/").content.decode()
    assert "خبر شماره 25<" in first and "خبر شماره 5<" not in first
    assert "صفحه ۱ از ۲" in first
    second = client.get("/articles/?page=2").content.decode()
    assert "خبر شماره 5<" in second and "خبر شماره 6<" not in second
    assert 'href="?page=1"' in second
    use_language(client, "ar")
    assert "الصفحة ١ من ٢" in client.get("/articles/").content.decode()
    use_language(client, "en")
    assert "Page 1 of 2" in client.get("/articles/").content.decode()


def test_drafts_are_not_shown(client, db):
    draft = factories.article(title="پیش‌نویس محرمانه", status=Article.Status.DRAFT)
    assert client.get(f"/articles/{draft.pk}/{draft.slug}/").status_code == 404
    assert "پیش‌نویس محرمانه" not in client.get("/").content.decode()
    assert "پیش‌نویس محرمانه" not in client.get("/articles/").content.decode()


# --- 404s and error pages ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/articles/999999/",
        "/articles/999999/slug/",
        "/articles/99999999999999999999999999/",
        "/articles/0/",
        "/articles/abc/",
        "/articles/?page=99",
        "/articles/?page=0",
        "/articles/?page=-1",
        "/articles/?page=abc",
        "/articles/?page=1.5",
        "/articles/?lang=en",
        "/articles/?lang=xx",
        "/articles/?lang=%00",
        "/nothing-here/",
        "/articles/%00/",
        "/articles/1/%FF/extra/",
    ],
)
def test_bad_addresses_are_localized_404s(client, seeds, url):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert html_tag(response.content) == '<html lang="fa" dir="rtl">'
    assert "<h1>صفحه پیدا نشد</h1>" in content


def test_404_in_arabic(client, seeds):
    use_language(client, "ar")
    response = client.get("/articles/999999/")
    assert response.status_code == 404
    assert html_tag(response.content) == '<html lang="ar" dir="rtl">'
    assert "<h1>الصفحة غير موجودة</h1>" in response.content.decode()


@pytest.mark.urls("tests.articles.test_views")
@pytest.mark.parametrize(("code", "html", "heading"), [
    ("fa", '<html lang="fa" dir="rtl">', "خطایی رخ داد"),
    ("ar", '<html lang="ar" dir="rtl">', "حدث خطأ"),
    ("en", '<html lang="en" dir="ltr">', "Something went wrong"),
])
def test_500_page_is_localized(client, db, code, html, heading):
    client.raise_request_exception = False
    if code != "fa":
        use_language(client, code)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert html_tag(response.content) == html
    assert f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.urls("tests.articles.test_views")
def test_api_errors_are_json(client, db):
    client.raise_request_exception = False
    response = client.get("/api/boom/")
    assert response.status_code == 500
    assert response.json() == {"error": "server error"}


def test_bad_host_is_a_localized_400(client, db):
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert html_tag(response.content) == '<html lang="fa" dir="rtl">'
    assert "<h1>درخواست نادرست</h1>" in response.content.decode()


# --- work per page: a fixed number of queries, whatever the numbers of links and articles ----------


def persian_articles(count, **fields):
    return factories.one_an_hour(range(count), title="گزارش شماره {n} از گفت‌وگوهای باکو", bulk=True, **fields)


@pytest.mark.parametrize("links", [1, 8])
def test_article_page_queries_do_not_grow_with_its_people_events_or_same_story(client, db, django_assert_num_queries, links):
    article = factories.article(title="دیدار وزیران خارجه ایران و آذربایجان", body="وزیر امور خارجه ایران در باکو گفت.")
    for n in range(links):
        factories.link(article, factories.person(name_fa=f"وزیر {n}", name_ar=f"الوزير {n}", name_en=f"Minister {n}"))
        factories.link(article, factories.event(name_fa=f"دیدار {n}", name_ar=f"لقاء {n}", name_en=f"Meeting {n}"))
        source = Source.objects.create(name=f"خبرگزاری شماره {n}", slug=f"agency-{n}")
        other = factories.article(title=f"تکرار خبر دیدار {n}", body="همان خبر.", source=source)
        NearDuplicate.objects.create(first=article, second=other, containment=0.9)

    client.get(article.get_absolute_url())  # the process's alias gazetteer is built once, whatever ran before
    # the article; its people; its events; its same-story pairs, their articles and those articles' sources;
    # articles sharing its people, its events (none: the related rows are read only when some are found);
    # the related-words search asks entities for names across scripts (known aliases, discovered people
    # and the people whose surname a lone word may be, the places it names)
    with django_assert_num_queries(11):
        content = client.get(article.get_absolute_url()).content.decode()

    assert f"<bdi>وزیر {links - 1}</bdi>" in content and f"<bdi>دیدار {links - 1}</bdi>" in content
    assert f"(<bdi>خبرگزاری شماره {links - 1}</bdi>)" in content


@pytest.mark.parametrize("count", [25, 70])
def test_list_pages_count_once_and_read_only_their_rows(client, db, django_assert_max_num_queries, count):
    persian_articles(count)

    for url in ("/articles/", "/articles/?page=2", "/articles/?lang=fa"):
        with django_assert_max_num_queries(3) as queries:  # the count, the page's ids, its rows
            assert client.get(url).status_code == 200
        assert sum("COUNT(" in q["sql"] for q in queries.captured_queries) == 1
        assert all('"raw"' not in q["sql"] for q in queries.captured_queries)  # the original bytes stay on disk
    with django_assert_max_num_queries(2):
        assert "گزارش شماره" in client.get("/").content.decode()


@pytest.mark.parametrize("links", [2, 30])
def test_person_and_event_pages_queries_do_not_grow_with_their_articles(client, db, django_assert_num_queries, links):
    person = factories.person(name_fa="جیحون بایراموف", name_ar="جيحون بيراموف", name_en="Jeyhun Bayramov")
    event = factories.event(name_fa="گفت‌وگوهای باکو", name_ar="محادثات باكو", name_en="Baku talks")
    source = Source.objects.create(name="ایرنا", slug="irna")
    for article in persian_articles(links, source=source):
        factories.link(article, person)
        factories.link(article, event)

    # the person; their articles; who is named with them; their events; the spellings discovery grouped under them
    with django_assert_num_queries(5):
        assert "گزارش شماره 1 " in client.get(person.get_absolute_url()).content.decode()
    with django_assert_num_queries(4):  # the event; its articles; its parts; its participants
        assert "گزارش شماره 1 " in client.get(event.get_absolute_url()).content.decode()
