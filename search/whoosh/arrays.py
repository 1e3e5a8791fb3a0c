"""The reader side of the portal's Whoosh index: one kept searcher per
process and the arrays the engine evaluates queries on.

``kept_searcher`` gives every thread of a process the same searcher on the
newest index, so a threaded server (``runserver``, gthread workers) pays
for opening it and warming its caches once, not once per thread.
``IndexArrays`` holds what the engine reads of that searcher (live
documents, field lengths, columns, recent posting lists), safe to share
between threads.

Whoosh's reader internals are reached here and nowhere else on the reading
side: the field-length columns of W3 (``_perdoc._cached_reader``,
``LENGTHS_COLUMN``), a column type's ``_default``, BM25F's per-field B
(``_field_B``), the TOC's file name (``TOC._filename``), and the matcher a
segment with deletions wraps around ``PortalLeafMatcher``.  The posting
format itself is ``postings``'s.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict

import numpy as np
from haystack.exceptions import SearchBackendError
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.index import TOC
from whoosh.util.numeric import byte_to_length

from . import postings as fmt

# Posting arrays kept between queries, counted in postings (8 bytes each:
# a 32-bit document number and weight; about 64 MB a process).
CACHED_POSTINGS = 8_000_000

_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class OutdatedIndex(SearchBackendError):
    """The index was written by a version of the portal this one cannot read (see ``backend.outdated``)."""


# --- the kept searcher ---------------------------------------------------------

_kept: dict[tuple, tuple] = {}  # (folder, index name, weighting) -> (stamp, searcher)
_kept_lock = threading.Lock()


def _stamp(index) -> tuple | None:
    """What identifies the newest generation of ``index`` on disk: its number
    and its TOC file's identity (a cleared and rebuilt index starts its
    numbers again), or None while a writer replaces it."""
    generation = index.latest_generation()
    if not hasattr(index.storage, "folder"):  # an index in memory: nothing else replaces it
        return (generation,)
    try:
        info = os.stat(os.path.join(index.storage.folder, TOC._filename(index.indexname, generation)))
    except FileNotFoundError:
        return None
    return generation, info.st_ino, info.st_mtime_ns


def kept_searcher(index, weighting, open_searcher):
    """The process's searcher on the newest generation of ``index`` with ``weighting``.

    Shared by every thread and never closed: when the index changes, the
    next caller opens a new one (one at a time, under a lock) and the old
    one is dropped; its files close when the last thread using it lets it
    go (the garbage collector), so no search ever finds it closed under it.
    ``open_searcher()`` opens a searcher on the newest index.
    """
    key = (getattr(index.storage, "folder", id(index.storage)), index.indexname, weighting)
    kept = _kept.get(key)
    stamp = _stamp(index)
    if kept is not None and stamp is not None and kept[0] == stamp:
        return kept[1]
    with _kept_lock:
        kept = _kept.get(key)
        stamp = _stamp(index)
        if kept is not None and stamp is not None and kept[0] == stamp:
            return kept[1]
        for attempt in range(10):
            try:
                fresh = open_searcher()
                break
            except OSError:  # a writer is replacing the segments just read of
                if attempt == 9:
                    raise
                time.sleep(0.05)
        # Stamped with the generation it opened: a change meanwhile is seen next time.
        opened = fresh.reader().generation()
        _kept[key] = ((stamp if stamp is not None and stamp[0] == opened else None), fresh)
        if kept is not None:
            # Its posting cache (up to CACHED_POSTINGS) goes now, not when the
            # garbage collector finds the searcher; a search still on it reads
            # the lists it needs again.
            old_arrays = getattr(kept[1], "_portal_arrays", None)
            if old_arrays is not None:
                old_arrays.drop_postings()
        return fresh


def forget_searchers(folder: str) -> None:
    """Drop the kept searchers of the index in ``folder`` (it was deleted)."""
    with _kept_lock:
        for key in [key for key in _kept if key[0] == folder]:
            del _kept[key]


def bm25_parameters(weighting, fieldname: str) -> tuple[float, float]:
    """BM25F's ``(B, K1)`` for a field."""
    return weighting._field_B.get(fieldname, weighting.B), weighting.K1


# --- arrays --------------------------------------------------------------------

class Postings:
    """One term's postings over the whole index: document numbers (sorted) and weights."""

    __slots__ = ("ids", "weights", "_parts", "_table", "size")

    def __init__(self, ids, weights, parts):
        self.ids, self.weights, self._parts = ids, weights, parts
        self._table = None
        self.size = len(ids)

    def positions(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions of the postings at ``indices``, as ``(owner, position)``
        arrays (see ``postings.positions_at``)."""
        table = self._table
        if table is None:  # made once; a race makes it twice, harmlessly
            table = self._table = fmt.value_table(self._parts)
        return fmt.positions_at(*table, indices)


_EMPTY = Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32), [])


class IndexArrays:
    """What the engine keeps of one searcher: which documents are live, field
    lengths, column values, and the posting arrays of recent terms.

    Shared by the threads that share the searcher: the arrays are made once
    and only read afterwards (two threads may both make one, and one wins),
    and the cache of posting lists is changed under a lock.
    """

    def __init__(self, searcher):
        self.searcher = searcher
        self.schema = searcher.schema
        self.size = searcher.doc_count_all()
        self.leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self.alive = np.ones(self.size, dtype=bool)
        for reader, offset in self.leaves:
            deleted = list(reader.segment().deleted_docs()) if reader.has_deletions() else []
            if deleted:
                self.alive[np.array(deleted, dtype=np.int64) + offset] = False
        self.all_docs = np.flatnonzero(self.alive)
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[tuple, object] = {}
        self._postings: OrderedDict = OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()

    _made = threading.Lock()

    @staticmethod
    def of(searcher) -> IndexArrays:
        """The arrays of ``searcher``, made once per searcher (a new one when the index changed)."""
        arrays = getattr(searcher, "_portal_arrays", None)
        if arrays is None:
            with IndexArrays._made:
                arrays = getattr(searcher, "_portal_arrays", None)
                if arrays is None:
                    arrays = searcher._portal_arrays = IndexArrays(searcher)
        return arrays

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length in ``fieldname`` as Whoosh's scorer sees it (1 if unknown)."""
        found = self._lengths.get(fieldname)
        if found is None:
            parts = []
            for reader, _ in self.leaves:
                column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
                count = reader.doc_count_all()
                raw = np.zeros(count, dtype=np.uint8)
                if column is not None:
                    loaded = np.frombuffer(bytes(column.load()), dtype=np.uint8)[:count]
                    raw[:len(loaded)] = loaded
                parts.append(np.where(raw > 0, _LENGTHS[raw], 1.0))
            found = self._lengths.setdefault(fieldname, np.concatenate(parts) if parts else np.zeros(0))
        return found

    def column(self, fieldname: str, *, raw: bool = False) -> np.ndarray:
        """Each document's value of a sortable field (an object array), or as stored if ``raw``."""
        key = (fieldname, raw)
        found = self._columns.get(key)
        if found is None:
            values = []
            for reader, _ in self.leaves:
                count = reader.doc_count_all()
                if reader.has_column(fieldname):
                    values.extend(reader.column_reader(fieldname, translate=not raw))
                else:
                    values.extend([None] * count)
            found = self._columns.setdefault(key, np.array(values, dtype=object))
        return found

    def codes(self, fieldname: str) -> tuple[np.ndarray, list[str]]:
        """A text column as small numbers: each document's code, and the value of each code
        (code 0 is "no value"), so that a facet is counted with one ``bincount``."""
        key = (fieldname, "codes")
        found = self._columns.get(key)
        if found is None:
            names, index = [""], {}
            codes = np.zeros(self.size, dtype=np.int32)
            for docnum, value in enumerate(self.column(fieldname)):
                if value:
                    code = index.get(value)
                    if code is None:
                        code = index[value] = len(names)
                        names.append(value)
                    codes[docnum] = code
            found = self._columns.setdefault(key, (codes, names))
        return found

    def numbers(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """A numeric or date column as unsigned numbers, and which documents have a value."""
        key = (fieldname, "numbers")
        found = self._columns.get(key)
        if found is None:
            raw = self.column(fieldname, raw=True)
            default = self.schema[fieldname].column_type._default
            present = np.array([v is not None and v != default for v in raw], dtype=bool)
            numbers = np.array([v if ok else 0 for v, ok in zip(raw, present, strict=True)], dtype=np.uint64)
            found = self._columns.setdefault(key, (numbers, present))
        return found

    def postings(self, fieldname: str, term: str) -> Postings:
        """A term's postings in every segment, in document order (cached)."""
        key = (fieldname, term)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        found = self._read(fieldname, term)  # outside the lock: other terms need not wait
        with self._lock:
            if key not in self._postings:
                self._postings[key] = found
                self._cached += found.size
                while self._cached > CACHED_POSTINGS and len(self._postings) > 1:
                    _, old = self._postings.popitem(last=False)
                    self._cached -= old.size
        return found

    def drop_postings(self) -> None:
        """Forget the cached posting lists (the searcher was replaced)."""
        with self._lock:
            self._postings.clear()
            self._cached = 0

    def _read(self, fieldname: str, term: str) -> Postings:
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None:
            return _EMPTY
        tbytes = field.to_bytes(term)
        ids, weights, values = [], [], []
        for reader, offset in self.leaves:
            if (fieldname, tbytes) not in reader:
                continue
            leaf = reader.postings(fieldname, tbytes)
            while not hasattr(leaf, "list_bytes"):  # deletions wrap the segment's matcher
                if not hasattr(leaf, "child"):
                    raise OutdatedIndex("the search index was built by an older version: run manage.py rebuild_index")
                leaf = leaf.child
            leaf_ids, leaf_weights, leaf_values = fmt.read_list(leaf.list_bytes())
            ids.append(leaf_ids + offset)
            weights.append(leaf_weights)
            values.extend(leaf_values)
        if not ids:
            return _EMPTY
        return Postings(np.concatenate(ids).astype(np.int32), np.concatenate(weights), values)
