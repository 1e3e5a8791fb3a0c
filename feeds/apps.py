from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = _("Feeds and discovery")

    def ready(self):
        from articles.templatetags.querydates import search_page_hook
        from search.views import PAGE_HOOKS

        # A date the query names ("آبان ۱۴۰۰") is offered as a filter above the results.
        if search_page_hook not in PAGE_HOOKS:
            PAGE_HOOKS.append(search_page_hook)
