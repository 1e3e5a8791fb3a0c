"""Atom and RSS feeds: latest articles (all or per language), per person, per event, per search.

Every entry says its own language (``xml:lang`` on the Atom entry), since a
feed of all languages mixes Persian and Arabic articles; a per-language feed
is written entirely in that language, its title included.
"""

import re
from dataclasses import replace

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from articles.models import Article, Language
from entities.models import ArticleEvent, ArticlePerson, Event, Person
from search.params import InvalidParams, SearchParams
from search.service import search_queryset

FEED_SIZE = 30
# Control characters cannot be written in XML 1.0 (the feed would fail with a
# 500); agency files do carry a stray \v or \f now and then.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value):
    """``value`` without the control characters XML 1.0 cannot carry."""
    return _XML_UNSAFE.sub(" ", value) if value else value


class LanguageAtomFeed(Atom1Feed):
    """Atom with ``xml:lang`` on each entry, for feeds that mix languages."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class ArticleFeed(Feed):
    """Base for article feeds: what an entry says about an article."""

    feed_type = LanguageAtomFeed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        # Feed readers read the summary as HTML: escape the plain text.
        return escape(xml_text(Truncator(item.lead or " ".join(item.paragraphs[:1])).words(60)))

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.modified

    def item_author_name(self, item):
        # Atom wants an author per entry: the outlet, else the agency it quotes, else the portal.
        outlet = item.source or item.via
        return xml_text(outlet.name) if outlet else _("Caucasus News")

    def item_guid(self, item):
        # The short address never changes, even if the title (slug) does.
        return self.request.build_absolute_uri(reverse("articles:detail-short", kwargs={"pk": item.pk}))

    def item_extra_kwargs(self, item):
        return {"language": item.language}


class LatestArticlesFeed(ArticleFeed):
    """``/feeds/atom/`` and ``/feeds/<lang>/atom/``: the newest published articles."""

    def get_object(self, request, language=None):
        if language is not None and language not in Language.values:
            raise Http404("unknown language")
        return language

    def get_feed(self, obj, request):
        if obj is None:
            return super().get_feed(obj, request)
        with translation.override(obj):
            return super().get_feed(obj, request)

    def title(self, obj):
        if obj is None:
            return _("Caucasus News: latest articles")
        return _("Caucasus News: latest articles in %(language)s") % {"language": Language(obj).label}

    def subtitle(self, obj):
        return _("Persian and Arabic news from the Caucasus, searchable in every spelling.")

    def description(self, obj):
        return self.subtitle(obj)

    def link(self, obj):
        url = reverse("articles:list")
        return f"{url}?lang={obj}" if obj else url

    def feed_url(self, obj):
        return self.request.path

    def items(self, obj):
        articles = Article.objects.published().with_related()
        if obj:
            articles = articles.in_language(obj)
        return articles.latest_first()[:FEED_SIZE]


class LatestArticlesRssFeed(LatestArticlesFeed):
    feed_type = Rss201rev2Feed


class SearchFeed(ArticleFeed):
    """``/search/feed/?q=``: the newest articles matching a search, with its filters."""

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidParams as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request):
        # A feed follows what is new, whatever the search page sorts by.
        params = SearchParams.from_query_dict(request.GET, page_size=FEED_SIZE)
        return replace(params, q=xml_text(params.q), sort="date", page=1)

    def title(self, params):
        if params.q.strip():
            return _("Caucasus News: search for “%(query)s”") % {"query": params.q.strip()}
        return _("Caucasus News: latest articles")

    def description(self, params):
        return self.title(params)

    def link(self, params):
        return f"/search/?{self.request.GET.urlencode()}"

    def feed_url(self, params):
        return self.request.get_full_path()

    def items(self, params):
        ids = [int(result.pk) for result in search_queryset(params)[:FEED_SIZE]]
        articles = Article.objects.published().with_related().in_bulk(ids)
        return [articles[pk] for pk in ids if pk in articles]


class SearchRssFeed(SearchFeed):
    feed_type = Rss201rev2Feed


class EntityFeed(ArticleFeed):
    """``/people/<slug>/feed/`` and ``/events/<slug>/feed/``: the newest articles naming them."""

    model = None  # Person or Event
    links = None  # ArticlePerson or ArticleEvent

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj):
        return _("Caucasus News: %(name)s") % {"name": obj.name}

    def description(self, obj):
        return _("The latest articles that name %(name)s.") % {"name": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return self.request.path

    def items(self, obj):
        # the links readers see: automatic or confirmed, never rejected
        linked = self.links.objects.visible().filter(**{self.model._meta.model_name: obj}).values("article_id")
        return Article.objects.published().with_related().filter(pk__in=linked).latest_first()[:FEED_SIZE]


class PersonFeed(EntityFeed):
    model = Person
    links = ArticlePerson

    def get_object(self, request, slug):
        return get_object_or_404(Person, slug=slug, hidden=False)  # a hidden person has no public page


class PersonRssFeed(PersonFeed):
    feed_type = Rss201rev2Feed


class EventFeed(EntityFeed):
    model = Event
    links = ArticleEvent


class EventRssFeed(EventFeed):
    feed_type = Rss201rev2Feed
