"""Keep the search index true to the database, after each commit.

Haystack's RealtimeSignalProcessor writes to the index inside the save, so
a rolled-back transaction leaves a ghost in the index and every save in a
bulk import opens its own index writer.  Articles, the portal's indexed
model, go through ``articles.pipeline`` instead, whose ``index`` step is
``search.steps``.  This processor does the same for any other indexed model:
it remembers which objects one transaction changed and, once it commits,
re-reads them (``search.sync.apply_changes``): rows that ``index_queryset()``
still selects are written, the others removed, in one writer.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from haystack.exceptions import NotHandled
from haystack.signals import BaseSignalProcessor

from articles.pipeline import Batch

from .sync import apply_changes

log = logging.getLogger(__name__)


class _Pending:
    """The rows of one model one transaction changed, indexed once it commits."""

    def __init__(self, model, using):
        self.model, self.using, self.pks = model, using, set()

    def __call__(self):
        apply_safely(self.using, self.model, self.pks)


class OnCommitSignalProcessor(BaseSignalProcessor):
    """Queue index updates per transaction and apply them on commit (models outside the pipeline)."""

    def setup(self):
        post_save.connect(self.handle_save)
        post_delete.connect(self.handle_delete)

    def teardown(self):
        post_save.disconnect(self.handle_save)
        post_delete.disconnect(self.handle_delete)

    def handle_save(self, sender, instance, **kwargs):
        self._queue(sender, instance.pk, kwargs.get("using") or "default")

    def handle_delete(self, sender, instance, **kwargs):
        self._queue(sender, instance.pk, kwargs.get("using") or "default")

    def _queue(self, model, pk, using):
        if model is Batch.model or not self._indexed(model):
            return
        connection = transaction.get_connection(using)
        if not connection.in_atomic_block:
            for target in self.connection_router.for_write():
                apply_safely(target, model, {pk})
            return
        # One callback per model and transaction: a rolled-back transaction
        # (or the savepoint that registered it) drops it with its rows.
        pending = next((func for _, func, _ in connection.run_on_commit
                        if isinstance(func, _Pending) and func.model is model), None)
        if pending is None:
            pending = _Pending(model, using)
            transaction.on_commit(pending, using=using)
        pending.pks.add(pk)

    def _indexed(self, model):
        try:
            self.connections["default"].get_unified_index().get_index(model)
        except NotHandled:
            return False
        return True


def apply_safely(using, model, pks):
    """``apply_changes``, logging rather than raising (the database has committed)."""
    try:
        apply_changes(using, model, pks)
    except Exception:
        # A failed index write must not turn the editor's save into an
        # error page; `manage.py check_index --fix` repairs any drift.
        log.exception("search index update failed for %s %s", model._meta.label, sorted(pks)[:20])
