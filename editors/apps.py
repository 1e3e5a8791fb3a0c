from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditorsConfig(AppConfig):
    name = "editors"
    verbose_name = _("Editors' desk")

    def ready(self):
        from django.contrib import admin

        from .roles import sync_editors_group

        admin.site.site_header = _("Caucasus News · editors' desk")
        admin.site.site_title = _("Editors' desk")
        admin.site.index_title = _("Articles, sources, people and events")

        # After every migrate (and every test-database flush) the Editors
        # group gets the permissions of models added since, e.g. entities.
        post_migrate.connect(sync_editors_group, dispatch_uid="editors.sync_editors_group")
