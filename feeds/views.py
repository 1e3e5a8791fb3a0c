"""robots.txt and the OpenSearch description: how crawlers and browsers find the portal."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Crawl the reader pages, not the admin, the API or endless search pages."""
    return render(
        request, "feeds/robots.txt",
        {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


@require_safe
@cache_control(max_age=86400, public=True)
def opensearch(request):
    """The OpenSearch description a browser uses to add the portal as a search engine."""
    return render(
        request, "feeds/opensearch.xml",
        {"base_url": request.build_absolute_uri("/").rstrip("/")},
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
