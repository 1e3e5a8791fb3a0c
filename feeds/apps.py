from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = _("Feeds and discovery")

    def ready(self):
        from search.views import PAGE_HOOKS

        from .hooks import search_feed_link

        # Above the results, after the date filter (search's own): a feed to follow the search.
        if search_feed_link not in PAGE_HOOKS:
            PAGE_HOOKS.append(search_feed_link)
