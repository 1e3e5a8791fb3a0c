from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from articles import pipeline

        from . import steps

        # First: what editors save is searchable at once, before linking runs.
        pipeline.register("index", 10, steps.index, session=steps.import_session)
