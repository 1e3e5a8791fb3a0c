"""Atom and RSS feeds (feeds/feeds.py), parsed as a feed reader would."""

import datetime as dt
import os
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.core.management import call_command

from articles.models import Article
from entities.models import ArticlePerson, Origin
from tests.conftest import SEEDS

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _atom(client, url, data=None):
    response = client.get(url, data)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def _rss(client, url, data=None):
    response = client.get(url, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


def _entry_id(entry):
    return int(entry.find(f"{ATOM}id").text.rstrip("/").rsplit("/", 1)[1])


def _entry_ids(feed):
    return [_entry_id(e) for e in feed.findall(f"{ATOM}entry")]


def test_atom_feed_of_all_languages_marks_each_entry(seeded, client):
    feed = _atom(client, "/feeds/atom/")
    published = Article.objects.published()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == published.count() == 5
    assert feed.get(XML_LANG) == "fa"  # the feed's own words are in the reader's language
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feeds/atom/"
    by_id = {a.pk: a for a in published}
    for entry in entries:
        article = by_id[_entry_id(entry)]
        assert entry.get(XML_LANG) == article.language
        assert entry.find(f"{ATOM}title").text == article.title
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link == "http://testserver" + article.get_absolute_url()
        assert dt.datetime.fromisoformat(entry.find(f"{ATOM}updated").text) == article.modified
        pub = entry.find(f"{ATOM}published")
        if article.published:
            assert dt.datetime.fromisoformat(pub.text) == article.published
        else:
            assert pub is None
    # newest first; an undated article where it was added (articles.models.LATEST)
    dated = [by_id[pk] for pk in _entry_ids(feed) if by_id[pk].published]
    assert dated[0].title.startswith("أذربيجان وروسيا")
    # every entry has an author: the source, else the agency quoted, else the portal
    for entry in entries:
        article = by_id[_entry_id(entry)]
        expected = (article.source or article.via).name if (article.source or article.via) else "اخبار قفقاز"
        assert entry.find(f"{ATOM}author/{ATOM}name").text == expected


def test_persian_feed_is_persian_throughout(seeded, client):
    feed = _atom(client, "/feeds/fa/atom/")
    assert feed.get(XML_LANG) == "fa"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    assert {e.get(XML_LANG) for e in entries} == {"fa"}
    lavrov = next(e for e in entries if "لاوروف" in e.find(f"{ATOM}title").text)
    assert lavrov.find(f"{ATOM}author/{ATOM}name").text == "مشرق"
    assert "لاوروف" in lavrov.find(f"{ATOM}summary").text


def test_arabic_rss_feed(seeded, client):
    channel = _rss(client, "/feeds/ar/rss/")
    assert channel.find("language").text == "ar"
    assert channel.find("link").text == "http://testserver/articles/?lang=ar"
    items = channel.findall("item")
    assert len(items) == 1
    article = Article.objects.get(language="ar")
    assert items[0].find("title").text == article.title
    assert items[0].find("link").text == "http://testserver" + article.get_absolute_url()
    assert parsedate_to_datetime(items[0].find("pubDate").text) == dt.datetime(2023, 9, 23, 12, 5, tzinfo=dt.UTC)
    assert items[0].find("guid").text == f"http://testserver/articles/{article.pk}/"


def test_drafts_never_reach_a_feed(seeded, client):
    article = Article.objects.get(language="ar")
    article.status = Article.Status.DRAFT
    article.save()
    assert _rss(client, "/feeds/ar/rss/").findall("item") == []
    assert article.pk not in _entry_ids(_atom(client, "/feeds/atom/"))


@pytest.mark.django_db
def test_unknown_language_is_404(client):
    assert client.get("/feeds/xx/atom/").status_code == 404


def test_search_feed_follows_a_query_in_any_spelling(seeded, client):
    lavrov = Article.objects.get(title__contains="لاوروف")
    # typed with Arabic yeh and kaf: the search folds them
    feed = _atom(client, "/search/feed/", {"q": "سرگئي لاوروف"})
    # newest first: the Arabic article writes سيرجي لافروف, a name discovery found (also spelled)
    assert _entry_ids(feed) == [Article.objects.get(language="ar").pk, lavrov.pk]
    assert "لاوروف" in feed.find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://testserver/search/?q=")
    channel = _rss(client, "/search/feed/rss/", {"q": "تبحثان"})
    assert [i.find("title").text for i in channel.findall("item")] == [Article.objects.get(language="ar").title]


@pytest.mark.django_db
def test_search_feed_rejects_bad_parameters(client, clean_index):
    response = client.get("/search/feed/", {"q": "ایران", "lang": "xx"})
    assert response.status_code == 400
    assert "lang" in response.content.decode()


@pytest.fixture
def linked(transactional_db, clean_index):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


def test_person_feed_gathers_both_languages_newest_first(linked, client):
    arabic, persian = linked["002"], linked["003"]  # both name Sergey Lavrov
    feed = _atom(client, "/people/sergey-lavrov/feed/")
    assert _entry_ids(feed) == [arabic.pk, persian.pk]
    assert [e.get(XML_LANG) for e in feed.findall(f"{ATOM}entry")] == ["ar", "fa"]
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/people/sergey-lavrov/"
    assert "لاوروف" in feed.find(f"{ATOM}title").text  # the name in the reader's language
    channel = _rss(client, "/people/sergey-lavrov/feed/rss/")
    assert [i.find("link").text for i in channel.findall("item")] == [
        "http://testserver" + arabic.get_absolute_url(), "http://testserver" + persian.get_absolute_url()]


def test_event_feed_and_unknown_slugs(linked, client):
    feed = _atom(client, "/events/khojaly-massacre/feed/")
    assert linked["000"].pk in _entry_ids(feed)
    assert client.get("/events/no-such-event/feed/").status_code == 404
    assert client.get("/people/no-such-person/feed/rss/").status_code == 404


def test_rejected_links_leave_the_feed(linked, client):
    arabic = linked["002"]
    ArticlePerson.objects.filter(person__slug="sergey-lavrov", article=arabic).update(origin=Origin.REJECTED)
    assert arabic.pk not in _entry_ids(_atom(client, "/people/sergey-lavrov/feed/"))


def test_person_and_event_pages_announce_their_feeds(linked, client):
    html = client.get("/people/sergey-lavrov/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" title="سرگئی لاوروف" href="/people/sergey-lavrov/feed/">' in html
    html = client.get("/events/khojaly-massacre/").content.decode()
    assert 'type="application/atom+xml"' in html and 'href="/events/khojaly-massacre/feed/"' in html


def test_search_page_links_its_feed(seeded, client):
    html = client.get("/search/", {"q": "لاوروف", "lang": "fa", "page": "1", "sort": "relevance"}).content.decode()
    assert 'href="/search/feed/?q=%D9%84%D8%A7%D9%88%D8%B1%D9%88%D9%81&amp;lang=fa" type="application/atom+xml"' in html
    assert "/search/feed/" not in client.get("/search/").content.decode()  # no words, no feed to follow
