"""``GET /api/suggest/?q=``: completions for the search box and for browsers."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from . import suggestions

MAX_LIMIT = 20


@require_safe
@cache_control(max_age=60, public=True)
@vary_on_headers("Accept-Language", "Cookie")  # names are labelled in the reader's language
def suggest(request):
    """People, events and titles with words starting with ``q``.

    ``format=opensearch`` answers in the OpenSearch suggestions shape browsers read.
    """
    query = request.GET.get("q", "")
    limit = request.GET.get("limit", "")
    if limit:
        # isdigit() alone lets through digits int() cannot read, such as ².
        if not (limit.isascii() and limit.isdigit()) or not 1 <= int(limit) <= MAX_LIMIT:
            return JsonResponse({"error": f"limit must be a whole number from 1 to {MAX_LIMIT}"}, status=400)
    found = suggestions.suggest(query, int(limit or suggestions.DEFAULT_LIMIT))
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
