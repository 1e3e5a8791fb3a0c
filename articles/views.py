"""Reader pages, the article API and an article's share image."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from . import hooks, images
from .models import Article, Language

# Drawn images (share cards, timelines) are drawn anew for each request, and a card a day old still
# serves: browsers and proxies may keep them a day.
SHARE_CACHE = "public, max-age=86400"


def readable():
    """Published articles with what their pages show, without the original bytes no page shows."""
    return Article.objects.published().with_related().defer("raw")


def rows_of(queryset, ids) -> list:
    """The rows of ``queryset`` whose ids are ``ids``, in that order.

    Looked up by primary key without an ORDER BY: given one, a database may
    walk its index for that order through the whole table to find them.
    """
    ids = list(ids)
    found = queryset.order_by().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


class IdsFirstPaginator(Paginator):
    """Pages of a long, ordered article list: a page's ids first, then its rows only.

    Sorting the whole list and skipping to a page then touch the index
    alone; the texts of the rows before the page are never read (on a 48k
    table they made each list page a sort of every article's body).  The
    list's length is counted once per content change, not on every page:
    counting 48k rows takes longer than reading a page of them.
    """

    @cached_property
    def count(self):
        return hooks.remember(f"article-count:{self.object_list.query}", self.object_list.count)

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(rows_of(self.object_list, object_list.values_list("pk", flat=True)), number, paginator)


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        latest = readable().latest_first()
        return super().get_context_data(latest=rows_of(latest, latest.values_list("pk", flat=True)[:12]), **kwargs)


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20
    paginator_class = IdsFirstPaginator

    def get_queryset(self):
        queryset = readable().latest_first()
        self.language = self.request.GET.get("lang", "")
        if self.language:
            if self.language not in Language.values:
                raise Http404("unknown language")
            queryset = queryset.in_language(self.language)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["language"] = self.language
        context["languages"] = Language.choices
        return context


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return readable()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # One canonical address per article, whatever slug the link had.
        if kwargs.get("slug") != self.object.slug:
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        return super().get_context_data(linked=hooks.collect(hooks.ARTICLE_PAGE, self.object), **kwargs)


@require_safe  # read-only: the admin is the only way to write
def article_api(request, pk):
    """``GET /api/articles/<id>/``: one published article as JSON (a JSON 404 when there is none)."""
    article = Article.objects.published().with_related().filter(pk=pk).first()
    if article is None:
        return JsonResponse({"error": "not found"}, status=404)
    return JsonResponse(article_json(request, article), json_dumps_params={"ensure_ascii": False})


def article_json(request, article):
    """The stable JSON shape of an article (other apps add to the lists)."""
    return {
        "id": article.pk,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "language": article.language,
        "published": article.published.isoformat() if article.published else None,
        "source": article.source.name if article.source else None,
        "via": article.via.name if article.via else None,
        "source_file": article.source_file,
        "external_id": article.external_id or None,
        **hooks.collect(hooks.ARTICLE_API, request, article),  # entities: people, events, near_duplicates
    }


def png_response(data: bytes) -> HttpResponse:
    """A drawn PNG as a response that browsers and proxies keep (``SHARE_CACHE``)."""
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = SHARE_CACHE
    return response


@require_safe
def article_share(request, pk):
    """``/share/articles/<id>.png``: a published article's Open Graph card (title, lead, source)."""
    article = get_object_or_404(Article.objects.published().with_related(), pk=pk)
    footer = article.source.name if article.source else _("Caucasus News")
    return png_response(images.share_image(article.title, article.lead[:160] if article.lead else "", footer))
