"""Compare the search index with the database, and repair the difference.

The database is the truth; the index is derived from it and can drift when
an index write was lost (a crash between commit and index update, a lock
held too long, an edit made with ``QuerySet.update()``, which sends no
signal).  ``check_index`` reads every document the index holds and every
row each search index selects (``index_queryset()``: the published
articles) and reports:

- missing: rows with no document;
- stale: documents whose stored fields differ from what the row would be
  indexed as now (the title, content, dates, source the index would write);
- extra: documents with no row to show (deleted or unpublished articles).

``fix=True`` re-indexes the missing and stale rows and deletes the extras.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from haystack import connections
from haystack.exceptions import NotHandled
from haystack.query import SearchQuerySet
from haystack.utils import get_identifier

from .sync import sync_turn

BATCH = 500


@dataclass
class IndexDrift:
    """What differs between the database and the index (document ids, ``app.model.pk``)."""

    checked_rows: int = 0
    indexed_documents: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    fixed: bool = False

    @property
    def in_sync(self) -> bool:
        return not (self.missing or self.stale or self.extra)

    def summary(self) -> str:
        return (
            f"{self.checked_rows} rows, {self.indexed_documents} documents: "
            f"{len(self.missing)} missing, {len(self.stale)} stale, {len(self.extra)} extra"
        )


def _comparable(value):
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)  # as the search index prepares it
    return value


def _stored_documents(using) -> dict[str, dict]:
    """Every document of the index with its stored fields, by id (``app.model.pk``)."""
    everything = SearchQuerySet(using=using).all()
    found = {}
    for start in range(0, everything.count(), BATCH * 10):
        for result in everything[start:start + BATCH * 10]:
            found[f"{result.app_label}.{result.model_name}.{result.pk}"] = result.get_additional_fields()
    return found


def check_index(*, fix: bool = False, using: str = "default") -> IndexDrift:
    """Compare every search index of connection ``using`` with the database; repair it if ``fix``."""
    connection = connections[using]
    backend = connection.get_backend()
    unified = connection.get_unified_index()
    documents = _stored_documents(using)
    drift = IndexDrift(indexed_documents=len(documents))
    to_index = []  # (search index, [objects])
    seen = set()
    for model in unified.get_indexed_models():
        index = unified.get_index(model)
        compared = [spec.index_fieldname for spec in index.fields.values() if spec.stored and not spec.document]
        outdated = []
        for obj in index.index_queryset(using=using).order_by("pk").iterator(chunk_size=BATCH):
            drift.checked_rows += 1
            doc_id = get_identifier(obj)
            seen.add(doc_id)
            stored = documents.get(doc_id)
            if stored is None:
                drift.missing.append(doc_id)
                outdated.append(obj)
                continue
            prepared = index.full_prepare(obj)
            if any(_comparable(prepared.get(name)) != _comparable(stored.get(name)) for name in compared):
                drift.stale.append(doc_id)
                outdated.append(obj)
        if outdated:
            to_index.append((index, outdated))
    drift.extra = sorted(set(documents) - seen)
    if fix and not drift.in_sync:
        _repair(backend, unified, to_index, drift.extra)
        drift.fixed = True
    return drift


def _repair(backend, unified, to_index, extra):
    # In the index sync's turn, with the rows read again: an edit committed
    # since the check must not be overwritten by what the check read.
    with sync_turn(backend):
        for index, objects in to_index:
            pks = [obj.pk for obj in objects]
            for start in range(0, len(pks), BATCH):
                fresh = list(index.index_queryset().filter(pk__in=pks[start:start + BATCH]))
                if fresh:
                    backend.update(index, fresh)
        gone = [doc_id for doc_id in extra if not _indexable_now(unified, doc_id)]
        if gone:
            backend.remove_documents(gone)


def _indexable_now(unified, doc_id):
    try:
        app_label, model_name, pk = doc_id.split(".", 2)
        index = unified.get_index(apps.get_model(app_label, model_name))
        return index.index_queryset().filter(pk=pk).exists()
    except (LookupError, NotHandled, ValueError):
        return False
