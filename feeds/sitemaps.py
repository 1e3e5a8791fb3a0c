"""``sitemap.xml``: the reader pages search engines should know about.

Each article lives at one address in one language; the interface language
is a cookie, not a URL, so there are no alternate-language addresses to list.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from entities.models import Event, Person


class ArticleSitemap(Sitemap):
    changefreq = "never"
    limit = 5000

    def items(self):
        return Article.objects.published().only("pk", "slug", "modified").order_by("pk")

    def lastmod(self, article):
        return article.modified


class PersonSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Person.objects.filter(hidden=False).only("slug").order_by("pk")


class EventSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Event.objects.only("slug").order_by("pk")


class PageSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return ["home", "articles:list", "entities:people", "entities:events"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "people": PersonSitemap, "events": EventSitemap}
