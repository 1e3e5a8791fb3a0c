from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from . import duplicates, pipeline

        pipeline.connect()
        # After the index (10) and linking (20), which share the batch's rows and tokens.
        pipeline.register("deduplicate", 30, duplicates.deduplicate, part="link")
