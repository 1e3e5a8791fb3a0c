"""What of an article goes into the search index."""

from haystack import indexes

from search.analysis import ExactAnalyzer, PortalAnalyzer

from .models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # The document field: title, lead and body, rendered from
    # templates/search/indexes/articles/article_text.txt
    text = indexes.CharField(document=True, use_template=True, analyzer=PortalAnalyzer())
    title = indexes.CharField(model_attr="title", boost=3.0, analyzer=PortalAnalyzer())
    exact = indexes.CharField(analyzer=ExactAnalyzer())
    language = indexes.CharField(model_attr="language", faceted=True)
    source = indexes.CharField(null=True, faceted=True)
    published = indexes.DateTimeField(model_attr="published", null=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        """Only published articles are ever searchable."""
        return self.get_model().objects.published().with_related()

    def prepare_exact(self, obj):
        return "\n".join((obj.title, obj.lead, obj.body))

    def prepare_source(self, obj):
        return obj.source.name if obj.source else None
