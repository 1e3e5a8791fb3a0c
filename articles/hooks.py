"""What higher apps add to the articles app's pages, registered in their ``AppConfig.ready``.

The articles app is the ground floor and imports none of them: the entities
app adds the people, events and same-story articles of an article (page and
API), the page cache keeps the article lists' counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (article) -> dict: what an article page lists beside the text (its template's ``linked``)
ARTICLE_PAGE: list[Callable[[Any], dict]] = []
# (request, article) -> dict: fields the article API adds after its own
ARTICLE_API: list[Callable[[Any, Any], dict]] = []

_keepers: list[Callable[[str, Callable[[], Any]], Any]] = []


def register(hooks: list, hook: Callable) -> None:
    """Add ``hook`` to ``hooks`` once (``ready()`` may run twice)."""
    if hook not in hooks:
        hooks.append(hook)


def collect(hooks: list, *args) -> dict:
    """Every hook's dict, merged in the order they were registered."""
    merged: dict = {}
    for hook in hooks:
        merged.update(hook(*args))
    return merged


def keep_with(keeper: Callable[[str, Callable[[], Any]], Any]) -> None:
    """Keep figures such as a list's count with ``keeper(key, compute)`` (the page cache's ``remember``)."""
    _keepers[:] = [keeper]


def remember(key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept by the registered keeper until the content changes (worked out each time without one)."""
    return _keepers[0](key, compute) if _keepers else compute()
