"""The search page, the search API (thin wrappers around ``search.service.run_search``)
and the suggestions API (``search.suggest``)."""

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from articles.models import Language

from .params import InvalidParams, SearchParams
from .service import PageOutOfRange, run_search
from .suggest import DEFAULT_LIMIT as SUGGEST_LIMIT
from .suggest import suggest

PAGE_SIZE = 20

# Other apps add to the search page here: each hook is called with
# (request, params, result) and returns None or (template name, context);
# the template is included above the results with that context.  The
# entities app, for example, can show a card for a person the query names.
PAGE_HOOKS = []


@require_safe
def search_page(request):
    """``/search/?q=``: results with snippets, facets, filters and pages."""
    context = {"query": request.GET.get("q", ""), "languages": Language.choices}
    try:
        params = SearchParams.from_query_dict(request.GET, page_size=PAGE_SIZE)
        # dates are counted per year (or month) of the reader's calendar
        result = run_search(params, calendar="jalali" if get_language() == "fa" else "gregorian")
    except InvalidParams as exc:
        context["error"] = str(exc)
        return render(request, "search/search.html", context, status=400)
    except PageOutOfRange:
        raise Http404(_("There is no such page of results.")) from None
    # Paginator over a lazy range: only the page numbers are needed.
    page_obj = Paginator(range(min(result.count, result.num_pages * params.page_size)), params.page_size).get_page(params.page)
    context.update(
        params=params, result=result, page_obj=page_obj,
        language_facets=[(code, Language(code).label, n) for code, n in result.facets["language"] if code in Language.values],
    )
    extras = [extra for hook in PAGE_HOOKS if (extra := hook(request, params, result))]
    for _template, extra_context in extras:
        context.update(extra_context)
    context["extra_templates"] = [template for template, _ in extras]
    return render(request, "search/search.html", context)


@require_safe
def search_api(request):
    """``GET /api/search/``: the same search as JSON (see ``hit_json`` for a result)."""
    try:
        params = SearchParams.from_query_dict(request.GET)
        result = run_search(params)
    except InvalidParams as exc:
        return JsonResponse({"error": str(exc), "field": exc.field}, status=400)
    except PageOutOfRange:
        return JsonResponse({"error": "page is past the last page of results", "field": "page"}, status=404)
    data = {
        "query": params.q,
        "count": result.count,
        "page": params.page,
        "page_size": params.page_size,
        "suggestion": result.suggestion or None,
        # the quoted phrases found nothing: these are the results for their words
        "phrases_dropped": result.phrases_dropped,
        # other scripts' spellings of the query's unknown names; "included" ones are counted in the results
        "also_spelled": [{"word": s.word, "spelling": s.spelling, "language": s.language, "articles": s.articles,
                          "included": s.included} for s in result.also_spelled],
        "results": [hit_json(request, hit) for hit in result.hits],
        "facets": {name: dict(values) for name, values in result.facets.items()},
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def hit_json(request, hit):
    """One result: ``snippet`` is HTML (escaped text, matched words in ``<mark>``)."""
    return {
        "id": hit.id,
        "url": request.build_absolute_uri(hit.path),
        "title": hit.title,
        "language": hit.language,
        "published": hit.published.isoformat() if hit.published else None,
        "source": hit.source or None,
        "source_file": hit.source_file,
        "external_id": hit.external_id or None,
        "snippet": str(hit.snippet),
    }


MAX_SUGGESTIONS = 20


@require_safe
@cache_control(max_age=60, public=True)
@vary_on_headers("Accept-Language", "Cookie")  # names are labelled in the reader's language
def suggest_api(request):
    """People, events and titles with words starting with ``q``.

    ``format=opensearch`` answers in the OpenSearch suggestions shape browsers read.
    """
    query = request.GET.get("q", "")
    limit = request.GET.get("limit", "")
    if limit:
        # isdigit() alone lets through digits int() cannot read, such as ².
        if not (limit.isascii() and limit.isdigit()) or not 1 <= int(limit) <= MAX_SUGGESTIONS:
            return JsonResponse({"error": f"limit must be a whole number from 1 to {MAX_SUGGESTIONS}"}, status=400)
    found = suggest(query, int(limit or SUGGEST_LIMIT))
    if request.GET.get("format") == "opensearch":
        return JsonResponse(
            [query, [s.label for s in found], [], [request.build_absolute_uri(s.url) for s in found]],
            safe=False, json_dumps_params={"ensure_ascii": False}, content_type="application/x-suggestions+json",
        )
    return JsonResponse(
        {"query": query, "suggestions": [
            {"label": s.label, "url": s.url, "language": s.language, "kind": s.kind} for s in found
        ]},
        json_dumps_params={"ensure_ascii": False},
    )
