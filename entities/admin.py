from django.contrib import admin, messages
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from editors.admin import CheckedLookupsMixin, FoldedSearchMixin
from editors.candidates import add_as_alias, create_person
from editors.locking import VersionedForm

from . import people as discovery
from .linker import apply_decisions, relink_all
from .models import Alias, ArticleEvent, ArticlePerson, EntityCandidate, Event, Person, PersonCandidate, Place


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
    list_filter = ("gathered", "hidden")
    search_fields = ("name_en", "name_fa", "name_ar", "aliases__key")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [AliasInline]
    actions = ["relink", "confirm", "hide", "show"]

    @admin.action(description=_("Relink all articles"))
    def relink(self, request, queryset):
        self.message_user(request, _("%d articles relinked.") % relink_all(), messages.SUCCESS)

    @admin.action(description=_("Confirm the selected people (no longer marked as gathered automatically)"))
    def confirm(self, request, queryset):
        self._set(request, queryset, gathered=False)

    @admin.action(description=_("Hide the selected people"))
    def hide(self, request, queryset):
        self._set(request, queryset, hidden=True)

    @admin.action(description=_("Show the selected people again"))
    def show(self, request, queryset):
        self._set(request, queryset, hidden=False)

    def _set(self, request, queryset, **values):
        for person in queryset:  # one by one, so each decision is in the admin history
            for field, value in values.items():
                setattr(person, field, value)
            person.save(update_fields=list(values))
            self.log_change(request, person, [{"changed": {"fields": list(values)}}])

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # An editor's names for a gathered person stay: discovery stops renaming it.
        if change and obj.gathered and {"name_fa", "name_ar", "name_en"} & set(form.changed_data):
            discovery.record_rename(obj)


@admin.register(PersonCandidate)
class PersonCandidateAdmin(CheckedLookupsMixin, admin.ModelAdmin):
    """Names the recogniser found, grouped; editors merge and split them (decisions kept apart)."""

    list_display = ("__str__", "article_count", "article_counts", "person")
    list_select_related = ("person",)
    search_fields = ("key", "spellings")
    readonly_fields = ("key", "spellings", "article_counts", "article_count", "person")
    actions = ["merge", "split"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # discovery would make it again: merge, split or hide the person instead

    @admin.action(description=_("Merge the selected names into one person"))
    def merge(self, request, queryset):
        candidates = list(queryset.select_related("person", "own_person"))
        if len(candidates) < 2:
            self.message_user(request, _("Select at least two names to merge."), messages.WARNING)
            return
        person = discovery.merge(candidates)
        apply_decisions(discovery.candidate_keys(candidates))
        self.message_user(request, _("%(count)d names merged into %(name)s.") % {"count": len(candidates), "name": person.name}, messages.SUCCESS)

    @admin.action(description=_("Split the selected names: each spelling but the one shown is someone else"))
    def split(self, request, queryset):
        candidates = list(queryset)
        count = sum(discovery.split(candidate) for candidate in candidates)
        apply_decisions(discovery.candidate_keys(candidates))
        self.message_user(request, _("%d spellings split off.") % count, messages.SUCCESS)


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
