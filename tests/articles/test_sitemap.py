"""sitemap.xml, robots.txt, canonical links and the OpenSearch description (feeds/)."""

import os
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from entities.models import Event, Person

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OS = "{http://a9.com/-/spec/opensearch/1.1/}"


def _xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def test_sitemap_lists_every_published_article_once(seeded, client):
    draft = Article.objects.get(language="ar")
    draft.status = Article.Status.DRAFT
    draft.save()
    index = _xml(client, "/sitemap.xml")
    sections = [loc.text for loc in index.iter(f"{SM}loc")]
    assert "http://testserver/sitemap-articles.xml" in sections
    assert "http://testserver/sitemap-pages.xml" in sections
    urls = {u.find(f"{SM}loc").text: u for u in _xml(client, "/sitemap-articles.xml").findall(f"{SM}url")}
    published = Article.objects.published()
    assert set(urls) == {"http://testserver" + a.get_absolute_url() for a in published}
    assert "http://testserver" + draft.get_absolute_url() not in urls
    for article in published:
        lastmod = urls["http://testserver" + article.get_absolute_url()].find(f"{SM}lastmod").text
        # Django writes the day on the site's clock (Tehran), not UTC's
        assert lastmod == timezone.localtime(article.modified).date().isoformat()
    pages = {loc.text for loc in _xml(client, "/sitemap-pages.xml").iter(f"{SM}loc")}
    assert pages == {"http://testserver/", "http://testserver/articles/", "http://testserver/people/", "http://testserver/events/"}


@pytest.mark.django_db
def test_unknown_sitemap_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines  # the reader pages stay crawlable


@pytest.mark.django_db
def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    doc = ET.fromstring(response.content)
    assert doc.tag == f"{OS}OpenSearchDescription"
    assert 0 < len(doc.find(f"{OS}ShortName").text) <= 16
    templates = {u.get("type"): u.get("template") for u in doc.findall(f"{OS}Url")}
    assert templates["text/html"] == "http://testserver/search/?q={searchTerms}"
    assert templates["application/x-suggestions+json"] == "http://testserver/api/suggest/?q={searchTerms}&format=opensearch"
    assert templates["application/atom+xml"] == "http://testserver/search/feed/?q={searchTerms}"
    assert [lang.text for lang in doc.findall(f"{OS}Language")] == ["fa", "ar"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/articles/", "/articles/?lang=ar"])
def test_every_page_links_opensearch_feed_and_canonical(client, url):
    html = client.get(url).content.decode()
    assert '<link rel="search" type="application/opensearchdescription+xml"' in html
    assert 'href="/opensearch.xml"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert html.count('rel="canonical"') == 1


@pytest.mark.django_db
def test_canonical_keeps_only_parameters_that_change_the_page(client):
    html = client.get("/articles/", {"lang": "ar", "utm_source": "x", "page": "1"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/articles/?lang=ar">' in html


@pytest.mark.django_db
def test_not_found_page_has_no_canonical(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'rel="canonical"' not in response.content.decode()


def test_sitemap_lists_people_and_events(db, client):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    people = {loc.text for loc in _xml(client, "/sitemap-people.xml").iter(f"{SM}loc")}
    assert people == {"http://testserver" + p.get_absolute_url() for p in Person.objects.all()}
    assert "http://testserver/people/sergey-lavrov/" in people
    events = {loc.text for loc in _xml(client, "/sitemap-events.xml").iter(f"{SM}loc")}
    assert events == {"http://testserver" + e.get_absolute_url() for e in Event.objects.all()}


def test_article_page_has_one_canonical_address(seeded, client):
    article = next(a for a in seeded.values() if a.language == "ar")
    html = client.get(article.get_absolute_url(), {"utm_source": "feed"}).content.decode()
    assert html.count('rel="canonical"') == 1
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
