from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("feeds/atom/", feeds.LatestArticlesFeed(), name="feed-atom"),
    path("feeds/rss/", feeds.LatestArticlesRssFeed(), name="feed-rss"),
    path("feeds/<str:language>/atom/", feeds.LatestArticlesFeed(), name="feed-language-atom"),
    path("feeds/<str:language>/rss/", feeds.LatestArticlesRssFeed(), name="feed-language-rss"),
    path("people/<slug:slug>/feed/", feeds.PersonFeed(), name="feed-person"),
    path("people/<slug:slug>/feed/rss/", feeds.PersonRssFeed(), name="feed-person-rss"),
    path("events/<slug:slug>/feed/", feeds.EventFeed(), name="feed-event"),
    path("events/<slug:slug>/feed/rss/", feeds.EventRssFeed(), name="feed-event-rss"),
    path("search/feed/", feeds.SearchFeed(), name="search-feed"),
    path("search/feed/rss/", feeds.SearchRssFeed(), name="search-feed-rss"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
