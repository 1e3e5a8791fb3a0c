"""Error pages in the reader's language, in the site's layout."""

from django.http import JsonResponse
from django.shortcuts import render


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "not found"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered with the request so the page keeps its language and
    # direction; the template itself queries nothing.
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "server error"}, status=500)
    return render(request, "500.html", status=500)
