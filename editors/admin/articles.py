"""The editors' desk for sources and articles (see ``editors`` for the shared pieces)."""

from django.contrib import admin, messages
from django.db import transaction
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.dates import DEFAULT_TIME_ZONES
from articles.models import Article, Source
from editors import views as desk
from editors.forms import ArticleAdminForm, SourceAdminForm, format_editor_datetime
from entities.models import ArticleEvent, ArticlePerson, Origin

from .common import (
    BodySearchMixin,
    CheckedLookupsMixin,
    DerivedRowsHiddenMixin,
    FoldedSearchMixin,
    JalaliDateFilter,
    PossibleDuplicateFilter,
)


class EntityLinkInline(admin.TabularInline):
    """People or events of an article: found by the linker, or added and confirmed by an editor."""

    extra = 0
    fields = ["origin", "count"]
    readonly_fields = ["count"]

    def get_fields(self, request, obj=None):
        return [self.entity_field, *self.fields]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # What an editor adds by hand is confirmed, so relinking never drops it.
        formset.form.base_fields["origin"].initial = Origin.CONFIRMED
        return formset


class ArticlePersonInline(EntityLinkInline):
    model = ArticlePerson
    entity_field = "person"
    autocomplete_fields = ["person"]
    verbose_name_plural = _("people named in the article")


class ArticleEventInline(EntityLinkInline):
    model = ArticleEvent
    entity_field = "event"
    autocomplete_fields = ["event"]
    verbose_name_plural = _("events the article is about")


@admin.register(Source)
class SourceAdmin(CheckedLookupsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = SourceAdminForm
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(DerivedRowsHiddenMixin, BodySearchMixin, CheckedLookupsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title_display", "language", "source", "published_display", "status", "modified_display"]
    list_display_links = ["title_display"]
    list_filter = ["status", "language", JalaliDateFilter, PossibleDuplicateFilter, ("source", admin.RelatedOnlyFieldListFilter)]
    inlines = [ArticlePersonInline, ArticleEventInline]
    list_select_related = ["source"]
    list_per_page = 50
    # Not the body by regular expression: scanning every body is ~8 times
    # slower (bench/admin_search.py); BodySearchMixin asks the search index.
    search_fields = ["title", "lead", "source__name", "external_id"]
    autocomplete_fields = ["source", "via"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview_link", "source_file", "raw_encoding", "created", "modified"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body", "language", "seen"]}),
        (_("Publication"), {"fields": ["status", "published", "source", "via", "dateline", "preview_link"]}),
        (_("Origin"), {
            "classes": ["collapse"],
            "fields": ["external_id", "url", "source_file", "raw_encoding", "created", "modified"],
        }),
    ]

    @admin.display(description=_("title"), ordering="title")
    def title_display(self, article):
        return format_html('<bdi lang="{}" dir="rtl">{}</bdi>', article.language, article.title)

    @admin.display(description=_("published"), ordering="published", empty_value=_("no date yet"))
    def published_display(self, article):
        if article.published is None:
            return None
        # on the clock readers see the article's time on (the source's)
        when = format_editor_datetime(article.published, date_only=article.date_only, tz=DEFAULT_TIME_ZONES.get(article.language))
        return format_html('<bdi dir="ltr">{}</bdi>', when)

    @admin.display(description=_("last change"), ordering="modified")
    def modified_display(self, article):
        return format_html('<bdi dir="ltr">{}</bdi>', format_editor_datetime(article.modified))

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        if not article.pk:
            return _("Save the article first.")
        url = reverse("admin:articles_article_preview", args=[article.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open the page as readers will see it"))

    def get_view_on_site_url(self, obj=None):
        # A draft has no public page yet: "view on site" opens its preview.
        if obj is not None and obj.pk and not obj.is_published:
            return reverse("admin:articles_article_preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(lambda request: desk.upload(self, request)), name="articles_article_upload"),
            path("upload/<int:pk>/", wrap(lambda request, pk: desk.upload_job(self, request, pk)), name="articles_article_upload_job"),
            path("<int:pk>/preview/", wrap(lambda request, pk: desk.preview(self, request, pk)), name="articles_article_preview"),
            path("<int:pk>/normalise/", wrap(lambda request, pk: desk.normalise(self, request, pk)), name="articles_article_normalise"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Shown, never applied: the editor decides with one click.
        desk.orthography_warning(request, obj)
        desk.duplicate_warning(request, obj)

    @admin.action(description=_("Publish the selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description=_("Unpublish the selected articles (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT)

    def _set_status(self, request, queryset, status):
        # Saved one by one, not with update(), so the search index and the
        # admin history see every change.
        changed = 0
        with transaction.atomic():
            # Locked without the change list's outer joins (PostgreSQL refuses those).
            for article in Article.objects.select_for_update().filter(pk__in=queryset.values("pk")).exclude(status=status):
                article.status = status
                article.save(update_fields=["status", "modified"])
                self.log_change(request, article, [{"changed": {"fields": ["status"]}}])
                changed += 1
        self.message_user(request, ngettext("%(count)d article changed.", "%(count)d articles changed.", changed) % {"count": changed}, messages.SUCCESS)
