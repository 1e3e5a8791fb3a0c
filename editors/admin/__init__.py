"""The admin of every model, in one place: the editors app stands above articles and entities.

``common`` holds what every page of the admin shares (folded search, checked
lookups, the Jalali date filter, the editor's desk); ``articles`` and
``entities`` register their apps' models.
"""

from . import articles, common, entities  # noqa: F401  (registered on import)
