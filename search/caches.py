"""Answers kept per process until the index changes: rankings, spelling suggestions, other spellings.

A reader turning pages, or changing only the page size, must not make the
portal read, count and rank everything again; "did you mean" costs more
than a search and a few-hit query is typically asked again.  Every key
starts with the index's version (``backend.index_version()``), so an answer
is never served for an index that has changed since.  Both caches are
shared by all threads of a process (one lock each).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings


class KeptAnswers:
    """A thread-safe least-recently-used map; ``size()`` (called each time) bounds it, 0 keeps nothing."""

    def __init__(self, size: Callable[[], int]):
        self._size = size
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer) -> None:
        kept = self._size()
        if not kept:
            return
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > kept:
                self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


# SEARCH_RANKINGS_KEPT searches per process (0 keeps none: benchmarks of the search itself).
RANKINGS = KeptAnswers(lambda: settings.SEARCH_RANKINGS_KEPT)
SUGGESTIONS = KeptAnswers(lambda: 2000)
# Other scripts' spellings of a query's unknown names (search.other_spellings), per query text.
SPELLINGS = KeptAnswers(lambda: 2000)
