from django.contrib import admin

from .models import Article, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "source", "published", "status"]
    list_filter = ["language", "status", "source"]
    search_fields = ["title"]
    raw_id_fields = ["source", "via"]
