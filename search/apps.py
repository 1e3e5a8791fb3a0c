from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from articles import pipeline

        from . import steps
        from .templatetags.querydates import search_page_hook
        from .views import PAGE_HOOKS

        # First: what editors save is searchable at once, before linking runs.
        pipeline.register("index", 10, steps.index, session=steps.import_session)
        # Above the results: the date a query names ("۱۰ آبان ۱۴۰۰") offered as a filter.
        if search_page_hook not in PAGE_HOOKS:
            PAGE_HOOKS.append(search_page_hook)
