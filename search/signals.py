"""Keep the search index true to the database, after each commit.

Haystack's RealtimeSignalProcessor writes to the index inside the save, so
a rolled-back transaction leaves a ghost in the index and every save in a
bulk import opens its own index writer.  This processor instead remembers
which objects changed and, once the transaction commits, re-reads them:
rows that ``index_queryset()`` still selects (published articles) are
written, the others (drafts, unpublished, deleted) are removed.  All the
changes of one transaction go to the index in one writer.

Rows written in bulk send no ``post_save``; the importer announces them
with ``articles.signals.articles_changed`` after each batch commits, and
frames the import with ``import_started``/``import_finished`` so that its
batches are indexed together (``search.whoosh.bulk.IndexSession``).
"""

import logging
import threading
import time
from collections import defaultdict
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from haystack import connections
from haystack.exceptions import NotHandled
from haystack.signals import BaseSignalProcessor
from whoosh.index import LockError

from articles.signals import articles_changed, import_finished, import_started

from .whoosh.backend import WRITER_TIMEOUT
from .whoosh.bulk import IndexSession

log = logging.getLogger(__name__)

# A file beside the index (not one of Whoosh's own, which it may clean away).
SYNC_LOCK = "portal-sync.lock"


class OnCommitSignalProcessor(BaseSignalProcessor):
    """Queue index updates per transaction and apply them on commit."""

    def __init__(self, *args, **kwargs):
        self._local = threading.local()
        super().__init__(*args, **kwargs)

    def setup(self):
        post_save.connect(self.handle_save)
        post_delete.connect(self.handle_delete)
        articles_changed.connect(self.handle_changed)
        import_started.connect(self.handle_import_started)
        import_finished.connect(self.handle_import_finished)

    def teardown(self):
        post_save.disconnect(self.handle_save)
        post_delete.disconnect(self.handle_delete)
        articles_changed.disconnect(self.handle_changed)
        import_started.disconnect(self.handle_import_started)
        import_finished.disconnect(self.handle_import_finished)

    def handle_changed(self, sender, pks, **kwargs):
        """Rows written in bulk (no ``post_save``), already committed."""
        if self._indexed(sender):
            self._deliver(sender, set(pks), "default")

    def handle_import_started(self, sender, **kwargs):
        # An import within an import (none today) joins the outer one's session.
        self._local.imports = getattr(self._local, "imports", 0) + 1
        if self._local.imports == 1:
            self._local.session = IndexSession()

    def handle_import_finished(self, sender, **kwargs):
        self._local.imports = max(0, getattr(self._local, "imports", 1) - 1)
        if self._local.imports == 0:
            session, self._local.session = getattr(self._local, "session", None), None
            if session is not None:
                session.finish()

    def handle_save(self, sender, instance, **kwargs):
        self._queue(sender, instance.pk, kwargs.get("using") or "default")

    def handle_delete(self, sender, instance, **kwargs):
        self._queue(sender, instance.pk, kwargs.get("using") or "default")

    def _queue(self, model, pk, using):
        if not self._indexed(model):
            return
        pending = getattr(self._local, "pending", None)
        if pending is None:
            pending = self._local.pending = defaultdict(set)
        pending[model].add(pk)
        connection = transaction.get_connection(using)
        if not connection.in_atomic_block:
            self.flush()
        elif not any(func == self.flush for _, func, _ in connection.run_on_commit):
            # Registered once per transaction.  A rolled-back savepoint drops
            # its callback, so check again rather than trusting a flag; ids
            # queued before a rollback are re-read at flush time, harmlessly.
            transaction.on_commit(self.flush, using=using)

    def _indexed(self, model):
        try:
            self.connections["default"].get_unified_index().get_index(model)
        except NotHandled:
            return False
        return True

    def flush(self):
        """Write the queued changes to the index (called after commit)."""
        pending, self._local.pending = getattr(self._local, "pending", None) or {}, None
        for model, pks in pending.items():
            for using in self.connection_router.for_write():
                self._deliver(model, pks, using)

    def _deliver(self, model, pks, using):
        # During an import its session gathers every change (see search.whoosh.bulk).
        session = getattr(self._local, "session", None)
        if session is not None and using == session.using:
            session.add(model, pks)
            return
        try:
            apply_changes(using, model, pks)
        except Exception:
            # The database is the truth and has committed; a failed
            # index write must not turn the editor's save into an
            # error page; `manage.py check_index --fix` repairs any drift.
            log.exception("search index update failed for %s %s", model._meta.label, sorted(pks)[:20])



def apply_changes(using, model, pks):
    """Index the rows ``pks`` of ``model`` as they are now: the ones its
    search index selects are written, the others removed."""
    backend = connections[using].get_backend()
    index = connections[using].get_unified_index().get_index(model)
    with sync_turn(backend):
        present = list(index.index_queryset(using=using).filter(pk__in=pks))
        if present:
            backend.update(index, present)
        gone = set(pks) - {obj.pk for obj in present}
        if gone:
            backend.remove_documents([f"{model._meta.label_lower}.{pk}" for pk in sorted(gone)])


@contextmanager
def sync_turn(backend):
    """One index sync at a time, across processes, from reading the rows to writing them.

    Two editors saving the same article each re-read it after their commit;
    without turns, the earlier read could be written last and leave the index
    one edit behind.  Taking turns, whoever reads last writes last.
    """
    if not backend.setup_complete:
        backend.setup()
    lock = backend.storage.lock(SYNC_LOCK)
    deadline = time.monotonic() + WRITER_TIMEOUT
    while not lock.acquire(blocking=False):
        if time.monotonic() > deadline:
            raise LockError(f"no turn to update the search index within {WRITER_TIMEOUT:.0f} s")
        time.sleep(0.02)
    try:
        yield
    finally:
        lock.release()
