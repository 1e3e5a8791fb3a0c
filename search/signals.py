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
batches are indexed together when the backend offers an import session
(``import_session()``; the Whoosh backend's is ``search.whoosh.bulk``).
"""

import logging
import threading
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from haystack.exceptions import NotHandled
from haystack.signals import BaseSignalProcessor

from articles.signals import articles_changed, import_finished, import_started

from .sync import apply_changes

log = logging.getLogger(__name__)


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
            # A backend without import sessions indexes each batch as it commits.
            start = getattr(self.connections["default"].get_backend(), "import_session", None)
            self._local.session = start("default") if start is not None else None

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
