"""People and events offered as a reader types in the search box (``search.suggest.SUGGESTERS``).

They match when one of their names or aliases, in any language and
spelling (the folded ``Alias.key``), has a word starting with what was
typed; there are few enough of them for an indexed database query.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import get_language

from articles.text import normalize_key
from search.suggest import MAX_ENTITIES, MAX_PREFIX_CHARS, MIN_PREFIX_CHARS, Suggestion

from .models import Alias


def suggest_entities(text: str, limit: int = MAX_ENTITIES) -> list[Suggestion]:
    """People and events with a name or alias that has a word starting with ``text``.

    Names that start so come before names with a later word that does; each
    is labelled with its name in the reader's language.
    """
    key = normalize_key(text[:MAX_PREFIX_CHARS])
    if len(key) < MIN_PREFIX_CHARS:
        return []
    aliases = (
        Alias.objects.filter(Q(key__startswith=key) | Q(key__contains=" " + key))
        .select_related("person", "event").order_by("key")[: limit * 10]
    )
    language = (get_language() or "en")[:2]
    found = {}
    for alias in sorted(aliases, key=lambda a: not a.key.startswith(key)):
        entity = alias.person or alias.event
        kind = "person" if alias.person else "event"
        found.setdefault((kind, entity.pk), Suggestion(entity.name, entity.get_absolute_url(), language, kind))
    return list(found.values())[:limit]
