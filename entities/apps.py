from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "entities"
    verbose_name = _("People and events")

    def ready(self):
        from articles import hooks, pipeline
        from search import expansion, suggest
        from search.views import PAGE_HOOKS

        from . import steps
        from .search import known_names, query_expansion, search_page_hook
        from .suggest import suggest_entities
        from .views import article_entities, article_page_entities

        # After the search index (10), before near-duplicates (30) and the page-cache stamp (90).
        pipeline.register("link", 20, steps.link, part="link")
        hooks.register(hooks.ARTICLE_PAGE, article_page_entities)
        hooks.register(hooks.ARTICLE_API, article_entities)
        suggest.register(suggest_entities)  # people and events before titles in the search box
        if search_page_hook not in PAGE_HOOKS:
            PAGE_HOOKS.insert(0, search_page_hook)  # first: a person's card above the date filter
        expansion.register(query_expansion)  # a query naming a person also finds their articles
        expansion.register_names(known_names)  # a discovered name's other spelling counts in search
