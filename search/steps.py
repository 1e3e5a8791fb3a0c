"""The search index's step after each commit (``articles.pipeline``): ``index``.

Outside an import, a committed batch is indexed at once
(``search.sync.apply_changes``: rows ``index_queryset()`` selects are
written, the others removed).  An import's batches go to the backend's
import session when it has one (Whoosh: ``search.whoosh.bulk``), which
indexes them together and finishes with the import; a backend without one
indexes each batch as it commits.
"""

from haystack import connection_router, connections

from articles.pipeline import Batch

from .signals import apply_safely


def index(batch: Batch) -> None:
    """Write the batch's articles to the index as they are now, remove the ones gone or unpublished."""
    for using in connection_router.for_write():
        apply_safely(using, batch.model, batch.pks)


class _ImportSession:
    """The backend's import session seen as a pipeline session."""

    def __init__(self, session):
        self.session = session

    def add(self, batch: Batch) -> None:
        self.session.add(batch.model, batch.pks)

    def finish(self) -> None:
        self.session.finish()


def import_session(using: str = "default"):
    """The backend's import session for one import, or ``None`` (each batch is then indexed as it commits)."""
    start = getattr(connections[using].get_backend(), "import_session", None)
    return _ImportSession(start(using)) if start is not None else None
