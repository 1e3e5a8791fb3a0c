"""What of an article goes into the search index.

Searchable: ``text`` (title, lead, body, source names and dateline) and
``title``, each analysed in the article's own language and also holding its
words as written, folded and unstemmed (``LanguageAnalyzer``: the backend
tells it the ``language``).
Stored for result pages and the API, so a hit never needs its database
row: title, content (lead and body, for snippets and for checking an
exact spelling), path, language, source, the agency quoted (via), published and the import
identifiers.
"""

import datetime as dt
from urllib.parse import unquote

from haystack import indexes

from articles.models import Article
from search.whoosh.analysis import LanguageAnalyzer


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # The document field: rendered from templates/search/indexes/articles/article_text.txt
    text = indexes.CharField(document=True, use_template=True, analyzer=LanguageAnalyzer())
    title = indexes.CharField(model_attr="title", analyzer=LanguageAnalyzer())
    content = indexes.CharField(indexed=False)
    path = indexes.CharField(indexed=False)
    language = indexes.CharField(model_attr="language")
    source = indexes.CharField(default="")
    via = indexes.CharField(default="")  # the agency quoted (a source filter matches either)
    published = indexes.DateTimeField(model_attr="published", null=True)
    source_file = indexes.CharField(model_attr="source_file", indexed=False, default="")
    external_id = indexes.CharField(model_attr="external_id", indexed=False, default="")

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        """Only published articles are ever searchable (read without their original bytes)."""
        return self.get_model().objects.published().with_related().defer("raw")

    def get_updated_field(self):
        return "modified"

    def prepare_content(self, obj):
        return "\n\n".join(p for p in (obj.lead, obj.body) if p)

    def prepare_path(self, obj):
        # The path as Unicode, a third of its percent-encoded length (Hit.path
        # encodes it again); a slug has nothing to keep percent-encoded.
        return unquote(obj.get_absolute_url())

    def prepare_source(self, obj):
        return obj.source.name if obj.source else ""

    def prepare_via(self, obj):
        return obj.via.name if obj.via else ""

    def prepare_published(self, obj):
        # Whoosh compares naive datetimes: store UTC.
        if obj.published is None:
            return None
        return obj.published.astimezone(dt.UTC).replace(tzinfo=None)

    def full_prepare(self, obj):
        # An undated article has no date term at all (Whoosh cannot index None).
        return {key: value for key, value in super().full_prepare(obj).items() if value is not None}
