"""``GET /api/suggest/?q=``: completions for the search box and for browsers."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .suggestions import DEFAULT_LIMIT, suggest_titles

MAX_LIMIT = 20


@require_GET
@cache_control(max_age=60, public=True)
def suggest(request):
    """Titles starting with ``q``; ``format=opensearch`` answers in the OpenSearch suggestions shape."""
    query = request.GET.get("q", "")
    limit = request.GET.get("limit", "")
    if limit:
        # isdigit() alone lets through digits int() cannot read, such as ².
        if not (limit.isascii() and limit.isdigit()) or not 1 <= int(limit) <= MAX_LIMIT:
            return JsonResponse({"error": f"limit must be a whole number from 1 to {MAX_LIMIT}"}, status=400)
    suggestions = suggest_titles(query, int(limit or DEFAULT_LIMIT))
    if request.GET.get("format") == "opensearch":
        return JsonResponse(
            [query, [s.label for s in suggestions], [], [request.build_absolute_uri(s.url) for s in suggestions]],
            safe=False, json_dumps_params={"ensure_ascii": False}, content_type="application/x-suggestions+json",
        )
    return JsonResponse(
        {"query": query, "suggestions": [
            {"label": s.label, "url": s.url, "language": s.language, "kind": s.kind} for s in suggestions
        ]},
        json_dumps_params={"ensure_ascii": False},
    )
