"""People and event pages, their API, the knowledge base loader and query entities."""

import io
import os

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from entities.models import Event, Person
from entities.search import articles_about, entities_for_query
from tests.conftest import SEEDS


@pytest.fixture
def linked(transactional_db, clean_index):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


def test_person_page_gathers_both_languages_newest_first(linked, client):
    html = client.get("/people/sergey-lavrov/").content.decode()
    for name in ("سرگئی لاوروف", "سيرغي لافروف", "Sergey Lavrov"):
        assert name in html
    arabic, persian = linked["002"], linked["003"]  # 23 Sep 2023 and 1 Nov 2021
    assert html.index(arabic.get_absolute_url()) < html.index(persian.get_absolute_url())
    assert "/people/jeyhun-bayramov/" in html and "/people/ararat-mirzoyan/" in html  # mentioned with
    assert "/events/bayramov-lavrov-meeting-2023-09/" in html
    assert 'src="/people/sergey-lavrov/timeline.png"' in html


def test_a_role_is_written_with_the_interfaces_digits(linked, client):
    # the knowledge base writes Lavrov's Arabic role with ASCII digits ("منذ 2004")
    for path in ("/people/sergey-lavrov/", "/search/?q=" + "لافروف"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
        assert "وزير الخارجية الروسي (منذ ٢٠٠٤)" in html and "2004" not in html
    html = client.get("/people/sergey-lavrov/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "(از ۲۰۰۴)" in html


def test_a_person_named_only_in_undated_articles_has_no_empty_timeline(linked, client):
    # the seed naming دالمیرو پالومینو ارتیز carries no date: the years chart would be an empty frame
    html = client.get("/people/dalmiro-palomino-ortiz/").content.decode()
    assert "دالمیرو پالومینو ارتیز" in html and "timeline.png" not in html
    Article.objects.filter(people__slug="dalmiro-palomino-ortiz").update(published="2019-07-06T10:00:00Z")
    html = client.get("/people/dalmiro-palomino-ortiz/").content.decode()
    assert 'src="/people/dalmiro-palomino-ortiz/timeline.png"' in html


def test_event_page_has_both_calendars_relations_and_sources(linked, client):
    html = client.get("/events/khojaly-massacre/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "۲۵ فوریه ۱۹۹۲" in html and "۶ اسفند ۱۳۷۰" in html  # Gregorian and Jalali
    assert "/events/first-karabakh-war/" in html  # parent
    assert html.count(linked["000"].get_absolute_url()) == 1 and linked["001"].get_absolute_url() in html
    assert "آران نیوز" in html  # grouped under their source
    html = client.get("/events/first-karabakh-war/").content.decode()
    assert "/events/khojaly-massacre/" in html and "/events/ceasefire-1994/" in html  # children


def test_lists_are_searchable_in_any_spelling(linked, client):
    for query in ("لافروف", "لاوروف", "lavrov"):
        html = client.get("/people/", {"q": query}).content.decode()
        assert "/people/sergey-lavrov/" in html and "/people/vladimir-putin/" not in html
    html = client.get("/events/", {"q": "خوجالي"}).content.decode()
    assert "/events/khojaly-massacre/" in html and "/events/unga-78/" not in html
    assert client.get("/people/", {"page": "99"}).status_code == 404
    assert client.get("/people/", {"q": "x" * 5000}).status_code == 200


def test_article_api_lists_people_and_events(linked, client):
    data = client.get(f"/api/articles/{linked['002'].pk}/").json()
    lavrov = Person.objects.get(slug="sergey-lavrov")
    assert {"id": lavrov.pk, "url": "http://testserver/people/sergey-lavrov/",
            "names": {"fa": "سرگئی لاوروف", "ar": "سيرغي لافروف", "en": "Sergey Lavrov"}} in data["people"]
    assert {e["names"]["en"] for e in data["events"]} >= {"Trilateral statement of 10 November 2020"}


def test_person_and_event_api(linked, client):
    lavrov = Person.objects.get(slug="sergey-lavrov")
    data = client.get(f"/api/people/{lavrov.pk}/").json()
    assert data["names"]["ar"] == "سيرغي لافروف"
    assert [a["id"] for a in data["articles"]] == [linked["002"].pk, linked["003"].pk]
    war = Event.objects.get(slug="first-karabakh-war")
    data = client.get(f"/api/events/{war.pk}/").json()
    assert data["start"] == "1988-01-01" and data["start_precision"] == "year" and data["end"] == "1994-05-12"
    assert "Khojaly massacre" in {c["names"]["en"] for c in data["children"]}
    assert {a["id"] for a in data["articles"]} == {linked[s].pk for s in ("000", "001", "003", "004")}
    assert client.get("/api/people/999999/").status_code == 404
    assert client.post(f"/api/events/{war.pk}/").status_code == 405


def test_query_entities_across_languages(linked):
    for query in ("لافروف", "ولافروف", "سرگئی لاوروف", "Lavrov"):
        assert [e.slug for e in entities_for_query(query)] == ["sergey-lavrov"]
    assert entities_for_query("قره باغ") == []  # a place, not a person or event
    articles = articles_about(entities_for_query("لافروف"))
    assert {a.language for a in articles} == {"fa", "ar"}


def test_loading_twice_changes_nothing(linked):
    counts = (Person.objects.count(), Event.objects.count())
    out = io.StringIO()
    call_command("load_knowledge_base", stdout=out)
    assert (Person.objects.count(), Event.objects.count()) == counts == (10, 16)
    assert "0 articles" in out.getvalue()  # nothing linking reads changed: nothing relinked


def test_a_changed_knowledge_base_relinks_every_article(linked, tmp_path):
    from entities.knowledge import DEFAULT_PATH

    path = tmp_path / "kb.yaml"
    path.write_text(DEFAULT_PATH.read_text(encoding="utf-8").replace("لاوروف", "لاوروفی", 1), encoding="utf-8")
    out = io.StringIO()
    call_command("load_knowledge_base", str(path), stdout=out)
    assert f"{len(linked)} articles" in out.getvalue()


@pytest.mark.parametrize("content, message", [
    ("people: [", "not valid YAML"),
    ("people:\n  - slug: x\n    names: {fa: ایکس, ar: إكس}\n", "missing name in en"),
    ("events:\n  - slug: y\n    names: {fa: ی, ar: ي, en: Y}\n    start: 1992-13\n", "is not a date"),
    ("events:\n  - slug: y\n    names: {fa: ی, ar: ي, en: Y}\n    parent: nowhere\n", "unknown parent"),
])
def test_a_bad_knowledge_base_is_rejected_whole(db, tmp_path, content, message):
    path = tmp_path / "kb.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("load_knowledge_base", str(path), stdout=open(os.devnull, "w"))
    assert not Person.objects.exists() and not Event.objects.exists()


@pytest.mark.browser
def test_screenshots_of_person_event_and_share_image(linked, live_server, page, screenshot_dir):
    for path, name in (("/people/sergey-lavrov/", "person"), ("/events/khojaly-massacre/", "event"),
                       ("/people/sergey-lavrov/share.png", "share-person"),
                       (f"/share/articles/{linked['000'].pk}.png", "share-article"),
                       (linked["001"].get_absolute_url(), "article-same-story"),
                       ("/search/?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81", "search-card")):
        response = page.goto(live_server.url + path)
        assert response.status == 200
        page.screenshot(path=str(screenshot_dir / f"entities-{name}.png"), full_page=True)
    page.goto(live_server.url + "/people/sergey-lavrov/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.querySelector('img.timeline').naturalWidth") == 900


def test_search_card_shows_articles_in_both_languages(linked, rf):
    from django.template.loader import render_to_string
    from django.utils import translation

    from entities.search import search_context

    context = search_context("لافروف")
    with translation.override("en"):
        html = render_to_string("entities/includes/search_card.html", context, request=rf.get("/search/"))
    assert "Also showing articles about" in html and "/people/sergey-lavrov/" in html
    assert linked["002"].get_absolute_url() in html and linked["003"].get_absolute_url() in html
    assert search_context("باران") == {"entities": [], "entity_articles": []}


def test_admin_pages_for_editors(linked, admin_client):
    from entities.models import EntityCandidate

    EntityCandidate.objects.create(name="هاکان فیدان", key="هاکان فیدان", language="fa", title="وزیر امور خارجه")
    for path in ("/admin/entities/person/", "/admin/entities/event/", "/admin/entities/entitycandidate/",
                 "/admin/entities/articleperson/", "/admin/entities/place/",
                 f"/admin/entities/event/{Event.objects.get(slug='khojaly-massacre').pk}/change/"):
        assert admin_client.get(path).status_code == 200, path
    html = admin_client.get("/admin/entities/entitycandidate/").content.decode()
    assert "هاکان فیدان" in html


def test_search_page_shows_the_entity_card_and_its_articles(linked, client):
    # an Arabic spelling with a clitic finds the Persian article about Lavrov as well
    html = client.get("/search/", {"q": "ولافروف"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = html[html.index('class="entity-card"'):]
    assert "/people/sergey-lavrov/" in card
    assert linked["002"].get_absolute_url() in card and linked["003"].get_absolute_url() in card
    html = client.get("/search/", {"q": "قره باغ"}).content.decode()
    assert 'class="entity-card"' not in html
