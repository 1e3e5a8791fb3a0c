from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "entities"
    verbose_name = _("People and events")

    def ready(self):
        from search import expansion
        from search.views import PAGE_HOOKS

        from . import signals  # noqa: F401
        from .search import query_expansion, search_page_hook

        if search_page_hook not in PAGE_HOOKS:
            PAGE_HOOKS.append(search_page_hook)
        expansion.register(query_expansion)
