"""What the feeds app adds to the search page (``search.views.PAGE_HOOKS``)."""

from django.urls import reverse


def search_feed_link(request, params, result):
    """A link to follow the search as an Atom feed: same words and filters, newest first."""
    if not params.q.strip():
        return None
    query = request.GET.copy()
    for name in ("page", "page_size", "sort"):
        query.pop(name, None)
    return "feeds/search_feed_link.html", {"search_feed_url": f"{reverse('search-feed')}?{query.urlencode()}"}
