from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = _("Feeds and discovery")

    def ready(self):
        from articles.templatetags.querydates import search_page_hook
        from search.views import PAGE_HOOKS

        from .hooks import search_feed_link

        # Above the results: the date a query names ("آبان ۱۴۰۰") offered as a
        # filter, and a feed to follow the search.
        for hook in (search_page_hook, search_feed_link):
            if hook not in PAGE_HOOKS:
                PAGE_HOOKS.append(hook)
