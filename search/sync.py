"""Writing rows to the search index as they are now, through Haystack.

Used by the after-commit signal processor (``search.signals``), the import
session of the Whoosh backend (``search.whoosh.bulk``) and the consistency
checker (``search.consistency``); it knows no backend's internals.
"""

from contextlib import contextmanager, nullcontext

from haystack import connections


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
            ids = [f"{model._meta.label_lower}.{pk}" for pk in sorted(gone)]
            remove_documents = getattr(backend, "remove_documents", None)
            if remove_documents is not None:
                remove_documents(ids)
            else:
                for doc_id in ids:
                    backend.remove(doc_id)


@contextmanager
def sync_turn(backend):
    """One index sync at a time, from reading the rows to writing them.

    Two editors saving the same article each re-read it after their commit;
    without turns, the earlier read could be written last and leave the index
    one edit behind.  Taking turns, whoever reads last writes last.  The
    backend keeps the turns (``sync_turn()``, across processes) and raises an
    error of its own when none comes in time; a backend without turns (a
    search cluster) writes in the order the writes arrive, and
    ``manage.py check_index --fix`` repairs what a race left behind.
    """
    turn = getattr(backend, "sync_turn", None)
    with turn() if turn is not None else nullcontext():
        yield
