"""Indexing a whole import at once.

An import's committed batches go through ``articles.pipeline``, whose
``index`` step (``search.steps``) gives them to an ``IndexSession`` (the
backend's ``import_session()``) until the import ends, instead of
indexing each batch in a writer of its own (a segment per batch, merged
again and again):

* a small import (a few files) is indexed when it finishes, in one writer;
* a large one is indexed while it runs.  Each batch is read back and
  prepared here (Haystack's ``full_prepare`` needs the database) and sent
  to worker processes (``search.whoosh.writer.build_segments``) that analyse it
  and build segments in folders of their own.  When the import finishes,
  this process takes the index lock, deletes the versions the import
  replaced, moves the workers' segments in and commits once.

Nothing holds the index lock while the import runs, so an editor's save is
indexed as usual meanwhile; what editors changed or deleted while the
import ran is indexed again afterwards, since the import may have read an
older version (``_catch_up``).

A session works in a build folder in the index folder named after its
process and start (``claim_build_folder``) and removes it when it has
indexed everything.  An import killed before that leaves the folder, and
rows it committed but never indexed: the next session finds the folder
with its process gone (``orphaned_builds``), removes it and indexes again
every row saved since that session started (``_take_over``), so a re-run
of the killed import, which finds those rows "unchanged", still completes
the index.  Workers end themselves when the import dies
(``search.whoosh.writer.exit_with_parent``).
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import queue
import shutil
import tempfile
import time
from collections import defaultdict

from django.conf import settings
from django.utils import timezone
from haystack import connections
from haystack.constants import ID
from whoosh import query as wq

from ..sync import apply_changes, sync_turn
from .writer import FINISH, adopt_segments, build_segments

log = logging.getLogger(__name__)

BATCH = 500  # rows read back, prepared and sent at a time
# Below this many articles, starting worker processes costs more than it saves.
WORKER_THRESHOLD = settings.SEARCH_INDEX_WORKER_THRESHOLD
BUILD_PREFIX = "portal-build-"  # + the owner's pid and start time: see claim_build_folder
SEGMENT_DOCS = 250_000  # a worker's segment is closed at this size (memory)
RESULT_TIMEOUT = 3600.0  # a worker writing its segments that long is stuck


def _workers() -> int:
    return settings.SEARCH_INDEX_WORKERS or max(1, (os.cpu_count() or 2) - 1)


class IndexSession:
    """The index writes of one import (see the module docstring)."""

    def __init__(self, using: str = "default"):
        self.apply, self.using = apply_changes, using
        self.connection = connections[using]
        self.backend = self.connection.get_backend()
        self.started = timezone.now()
        self.pending: dict = defaultdict(set)  # model -> pks not sent to workers yet
        self.sent: dict = defaultdict(set)  # model -> pks the workers have
        self.versions: dict = {}  # (model, pk) -> the updated field's value as sent
        self.count = 0
        self.workers: list = []
        self.jobs = self.results = None
        self.replacing = False  # whether the index held documents the import may replace
        # A folder of this session's own, named after its process and start,
        # until it has indexed everything: the next session that finds it
        # with its process gone indexes again what that one may have left.
        if not self.backend.setup_complete:
            self.backend.setup()
        orphans, since = orphaned_builds(self.backend.path)
        self.folder = claim_build_folder(self.backend.path, min([self.started, *since]))
        for folder in orphans:
            shutil.rmtree(folder, ignore_errors=True)
        if since:
            self._take_over(min(since))

    def add(self, model, pks) -> None:
        """Rows of ``model`` the import wrote (or deleted), committed."""
        self.pending[model].update(pks)
        self.count += len(pks)
        if not self.workers and self.count >= WORKER_THRESHOLD:
            self._start_workers()
        if self.workers:
            self._send_pending()

    def finish(self) -> None:
        """Index everything the import wrote; never raises (the database has committed)."""
        try:
            if self.workers:
                self._commit_workers()
                self._catch_up()
            for model, pks in self.pending.items():
                if pks:
                    self.apply(self.using, model, pks)
        except Exception:
            log.exception("indexing the import failed; indexing its articles one batch at a time")
            self._stop_workers()
            for model in {*self.sent, *self.pending}:
                pks = sorted(self.sent.get(model, set()) | self.pending.get(model, set()))
                for start in range(0, len(pks), BATCH):
                    self._apply_safely(model, set(pks[start:start + BATCH]))
        finally:
            self._stop_workers()

    # --- workers ----------------------------------------------------------------

    def _take_over(self, since) -> None:
        """Index again every row saved since ``since``: a session that died may have left them unindexed."""
        unified = self.connection.get_unified_index()
        for model in unified.get_indexed_models():
            index = unified.get_index(model)
            updated = index.get_updated_field()
            rows = index.index_queryset(using=self.using)
            if updated:
                rows = rows.filter(**{f"{updated}__gte": since})
            pks = list(rows.order_by().values_list("pk", flat=True))
            log.warning("an import died before indexing; indexing %d %s saved since %s", len(pks), model._meta.label, since)
            self.add(model, pks)

    def _start_workers(self) -> None:
        index_path = self.backend.path
        context = multiprocessing.get_context("spawn")  # no database connection or lock inherited
        count = _workers()
        self.jobs = context.Queue(maxsize=2 * count)  # bounded: the import waits for slow workers
        self.results = context.Queue()
        for n in range(count):
            folder = os.path.join(self.folder, str(n))
            worker = context.Process(
                target=build_segments, args=(index_path, folder, self.jobs, self.results, SEGMENT_DOCS),
                name=f"index-worker-{n}", daemon=True,
            )
            worker.start()
            self.workers.append((worker, folder))
        self.replacing = self.backend.index.refresh().doc_count() > 0

    def _send_pending(self) -> None:
        unified = self.connection.get_unified_index()
        for model, pks in self.pending.items():
            index = unified.get_index(model)
            updated = index.get_updated_field()
            # A row sent before is not sent twice (two copies in the index):
            # if it changed since, _catch_up indexes it again.
            ordered = sorted(pks - self.sent[model])
            for start in range(0, len(ordered), BATCH):
                chunk = ordered[start:start + BATCH]
                objects = list(index.index_queryset(using=self.using).filter(pk__in=chunk))
                for obj in objects:
                    self.versions[model, obj.pk] = getattr(obj, updated) if updated else None
                docs = self.backend.documents(index, objects)
                if docs:
                    self._put(docs)
                self.sent[model].update(chunk)  # also the deleted ones: their old versions go too
            pks.clear()

    def _put(self, item) -> None:
        while True:
            try:
                self.jobs.put(item, timeout=5)
                return
            except queue.Full:
                if not all(worker.is_alive() for worker, _ in self.workers):
                    raise RuntimeError("an index worker died") from None

    def _commit_workers(self) -> None:
        with sync_turn(self.backend):
            writer = self.backend.writer()
            try:
                for _ in self.workers:
                    self._put(FINISH)
                segments = self._collect()
                if self.replacing:
                    self._delete_replaced(writer)
                for (_, folder), built in zip(self.workers, segments, strict=True):
                    adopt_segments(self.backend.path, folder, built)
                writer.commit_segments([segment for built in segments for segment in built])
            except BaseException:
                writer.cancel()
                raise
        self.backend.index = self.backend.index.refresh()

    def _collect(self) -> list[list]:
        """Each worker's segments, in the workers' order."""
        deadline = time.monotonic() + RESULT_TIMEOUT
        built = {}
        while len(built) < len(self.workers):
            try:
                status, folder, payload = self.results.get(timeout=5)
            except queue.Empty:
                if not all(worker.is_alive() for worker, _ in self.workers) or time.monotonic() > deadline:
                    raise RuntimeError("an index worker died or hung before writing its segments") from None
                continue
            if status != "ok":
                raise RuntimeError(f"an index worker failed:\n{payload}")
            built[folder] = payload
        return [built[folder] for _, folder in self.workers]

    def _delete_replaced(self, writer) -> None:
        for model, pks in self.sent.items():
            label = model._meta.label_lower
            ordered = sorted(pks)
            for start in range(0, len(ordered), BATCH):
                ids = [f"{label}.{pk}" for pk in ordered[start:start + BATCH]]
                writer.delete_by_query(wq.Or([wq.Term(ID, doc_id) for doc_id in ids]))

    def _catch_up(self) -> None:
        """Index again what changed while the import ran: rows saved since it
        started with another version than the one sent, and sent rows that are
        gone or no longer searchable."""
        unified = self.connection.get_unified_index()
        for model, pks in self.sent.items():
            index = unified.get_index(model)
            rows = index.index_queryset(using=self.using)
            stale = set()
            updated = index.get_updated_field()
            if updated:
                for pk, when in rows.filter(**{f"{updated}__gte": self.started}).values_list("pk", updated):
                    if self.versions.get((model, pk), object()) != when:
                        stale.add(pk)
            ordered = sorted(pks)
            for start in range(0, len(ordered), BATCH):
                chunk = ordered[start:start + BATCH]
                present = set(rows.filter(pk__in=chunk).values_list("pk", flat=True))
                stale.update(pk for pk in chunk if pk not in present and (model, pk) in self.versions)
            if stale:
                self._apply_safely(model, stale)

    def _apply_safely(self, model, pks) -> None:
        try:
            self.apply(self.using, model, pks)
        except Exception:
            log.exception("search index update failed for %s %s", model._meta.label, sorted(pks)[:20])

    def _stop_workers(self) -> None:
        for worker, _ in self.workers:
            worker.join(timeout=1)
            if worker.is_alive():
                worker.terminate()
                worker.join()
        self.workers = []
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def claim_build_folder(index_path: str, started) -> str:
    """A new folder for one session's workers, named after its process and the time
    from which the rows it indexes were saved (``orphaned_builds`` reads both)."""
    stamp = int(started.timestamp())  # whole seconds, rounded down
    return tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{os.getpid()}-{stamp}-", dir=index_path)


def orphaned_builds(index_path: str) -> tuple[list[str], list]:
    """Build folders whose session's process is gone, and the times their sessions started.

    A folder of an older version (no process in its name) goes once it is
    an hour old; what it held is unknown, ``check_index --fix`` repairs it.
    """
    folders, since = [], []
    for name in os.listdir(index_path):
        if not name.startswith(BUILD_PREFIX):
            continue
        folder = os.path.join(index_path, name)
        pid, stamp, *_ = [*name[len(BUILD_PREFIX):].split("-"), "", ""]
        if pid.isdigit() and stamp.isdigit():
            if _alive(int(pid)):
                continue
            since.append(dt.datetime.fromtimestamp(int(stamp), dt.UTC))
        elif time.time() - os.path.getmtime(folder) < RESULT_TIMEOUT:
            continue
        folders.append(folder)
    return folders, since


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True



def rebuild(using: str = "default", progress=None) -> int:
    """Clear the index and index every row every search index selects, in one session.

    ``progress(done, total)`` is called as rows are handed over; returns how
    many rows there were.
    """
    connection = connections[using]
    connection.get_backend().clear()
    session = IndexSession(using)
    unified = connection.get_unified_index()
    models = unified.get_indexed_models()
    total = sum(unified.get_index(m).index_queryset(using=using).count() for m in models)
    done = 0
    try:
        for model in models:
            rows = unified.get_index(model).index_queryset(using=using).order_by("pk")
            last = None
            while chunk := list((rows if last is None else rows.filter(pk__gt=last)).values_list("pk", flat=True)[:BATCH]):
                session.add(model, chunk)
                last, done = chunk[-1], done + len(chunk)
                if progress:
                    progress(done, total)
    finally:
        session.finish()
    return total
