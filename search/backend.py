"""The portal's Haystack engine: Whoosh with Persian/Arabic analysis.

Per-field analyzers come from the search index (``analyzer=``); this engine
is where the portal's own query building and highlighting plug in.
"""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend


class PortalWhooshBackend(WhooshSearchBackend):
    """Whoosh backend used by the portal."""


class PortalWhooshEngine(WhooshEngine):
    backend = PortalWhooshBackend
