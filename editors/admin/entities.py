from django.contrib import admin, messages
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from editors.candidates import add_as_alias, create_person
from editors.locking import VersionedForm
from entities.linker import relink_all
from entities.models import Alias, ArticleEvent, ArticlePerson, EntityCandidate, Event, Person, Place

from .common import CheckedLookupsMixin, FoldedSearchMixin


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ("language", "text", "cues", "window")


class NameInInterfaceLanguage:
    """List columns in the editor's language: the name and role as the interface language writes them."""

    @admin.display(description=_("name"), ordering="name_fa")
    def name_display(self, entity):
        return entity.name

    @admin.display(description=_("Role"))
    def role_display(self, person):
        language = (get_language() or "fa")[:2]
        return person.roles.get(language) or person.role_en


@admin.register(Person)
class PersonAdmin(NameInInterfaceLanguage, CheckedLookupsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = VersionedForm  # a save over someone else's newer one is refused
    list_display = ("name_display", "name_en", "role_display")
    search_fields = ("name_en", "name_fa", "name_ar", "aliases__key")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [AliasInline]
    actions = ["relink"]

    @admin.action(description=_("Relink all articles"))
    def relink(self, request, queryset):
        self.message_user(request, _("%d articles relinked.") % relink_all(), messages.SUCCESS)


@admin.register(Event)
class EventAdmin(PersonAdmin):
    list_display = ("name_display", "name_en", "start", "place", "parent")
    list_filter = ("start_precision",)
    autocomplete_fields = ("participants", "parent", "place")


@admin.register(Place)
class PlaceAdmin(NameInInterfaceLanguage, CheckedLookupsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = VersionedForm
    list_display = ("name_display", "name_en", "other_names")
    search_fields = ("name_en", "name_fa", "name_ar", "other_names")


class LinkAdmin(CheckedLookupsMixin, admin.ModelAdmin):
    list_display = ("article", "count", "origin")
    list_filter = ("origin",)
    raw_id_fields = ("article",)
    actions = ["confirm", "reject"]

    @admin.action(description=_("Confirm the selected links"))
    def confirm(self, request, queryset):
        self._set_origin(request, queryset, "confirmed")

    @admin.action(description=_("Reject the selected links"))
    def reject(self, request, queryset):
        self._set_origin(request, queryset, "rejected")

    def _set_origin(self, request, queryset, origin):
        # Saved one by one so each decision is in the admin history with its editor.
        for link in queryset:
            link.origin = origin
            link.save(update_fields=["origin"])
            self.log_change(request, link, [{"changed": {"fields": ["origin"]}}])


@admin.register(ArticlePerson)
class ArticlePersonAdmin(LinkAdmin):
    list_display = ("article", "person", "count", "origin")
    raw_id_fields = ("article", "person")


@admin.register(ArticleEvent)
class ArticleEventAdmin(LinkAdmin):
    list_display = ("article", "event", "count", "origin")
    raw_id_fields = ("article", "event")


@admin.register(EntityCandidate)
class EntityCandidateAdmin(CheckedLookupsMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("name", "title", "language", "status", "created")
    list_filter = ("status", "language")
    search_fields = ("name", "key")
    filter_horizontal = ("articles",)
    actions = ["dismiss", create_person, add_as_alias]

    @admin.action(description=_("Dismiss the selected names"))
    def dismiss(self, request, queryset):
        for candidate in queryset.exclude(status=EntityCandidate.Status.DISMISSED):
            candidate.status = EntityCandidate.Status.DISMISSED
            candidate.save(update_fields=["status"])
            self.log_change(request, candidate, [{"changed": {"fields": ["status"]}}])  # in the admin history
