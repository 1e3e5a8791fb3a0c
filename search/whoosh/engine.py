"""Evaluating the portal's queries over whole posting lists at once (numpy).

Whoosh's matchers walk the postings one document at a time in Python: a
common word costs tens of thousands of method calls per query, and every
match is scored to count results and facets.  Here each term's posting
list is read whole (``PortalLeafMatcher.blocks``) into arrays, and a query
is evaluated on arrays with an entry per document: which documents each
node matches and their score.  Scores are Whoosh's own: BM25F as its
``BM25FScorer`` computes it, combined as its matchers combine them (sums
for Or and And, the optional side added for AndMaybe, a phrase scoring the
sum of its words, filters scoring a constant).  Two differences, on
purpose: a filter's constant of 0 adds nothing here, where Whoosh's
``ListMatcher`` takes a zero weight for "none given" and adds 1; and an
excluded word always excludes, where Whoosh's ``AndNotMatcher`` lets a
document through when the excluded side lags behind.

Positions are decoded only where a phrase is checked.  A ``BonusPhrase``
(two neighbouring query words, a compound's head and tail) never decides
what matches, since its words match anyway, so it is checked only for the
best candidates: ``evaluate`` first scores every document without bonus
phrases, then scores the ``CANDIDATES`` best again with them.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

CANDIDATES = 1000
# Posting arrays kept between queries, counted in postings (8 bytes each:
# a 32-bit document number and weight; about 64 MB a process).
CACHED_POSTINGS = 8_000_000

_DTYPES = {"B": "<u1", "H": "<u2", "I": "<u4", "f": "<f4"}
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class OutdatedIndex(RuntimeError):
    """The index has segments this version cannot read (see ``backend.outdated``)."""


class BonusPhrase(wq.Phrase):
    """A phrase that only ranks: every document it matches is matched by its words anyway."""


class Postings:
    """One term's postings over the whole index: document numbers (sorted) and weights."""

    __slots__ = ("ids", "weights", "_values", "_offsets", "_blob", "size")

    def __init__(self, ids, weights, values):
        self.ids, self.weights, self._values = ids, weights, values
        self._offsets = self._blob = None
        self.size = len(ids)

    def positions(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions of the postings at ``indices`` (``CompactPositions``), decoded at once.

        Returns ``(owner, position)`` arrays: for every position, which of
        ``indices`` it belongs to.  Each value is a type letter and deltas
        of that width; values of one width are cut out, read and summed up
        together.
        """
        if self._blob is None:
            lengths = np.concatenate([np.frombuffer(data, dtype=_DTYPES[code]) for code, data, _ in self._values])
            self._offsets = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
            self._blob = np.frombuffer(b"".join(values for _, _, values in self._values), dtype=np.uint8)
        starts, ends = self._offsets[indices], self._offsets[indices + 1]
        kinds = self._blob[starts]
        owners, positions = [], []
        for letter, dtype in _POSITION_WIDTHS:
            chosen = np.flatnonzero(kinds == letter)
            if not len(chosen):
                continue
            first, sizes = starts[chosen] + 1, ends[chosen] - starts[chosen] - 1
            shift = np.repeat(first - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
            deltas = self._blob[np.arange(int(sizes.sum())) + shift].view(dtype).astype(np.int64)
            counts = sizes // np.dtype(dtype).itemsize
            running = np.cumsum(deltas)
            value_starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            positions.append(running - np.repeat(running[value_starts] - deltas[value_starts], counts))
            owners.append(np.repeat(chosen, counts))
        if not owners:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(owners), np.concatenate(positions)


_POSITION_WIDTHS = ((ord("B"), "<u1"), (ord("H"), "<u2"), (ord("I"), "<u4"))


_EMPTY = Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32), [])


class IndexArrays:
    """What the engine keeps of one searcher: which documents are live, field
    lengths, column values, and the posting arrays of recent terms."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self.alive = np.ones(self.size, dtype=bool)
        for reader, offset in self.leaves:
            deleted = list(reader.segment().deleted_docs()) if reader.has_deletions() else []
            if deleted:
                self.alive[np.array(deleted, dtype=np.int64) + offset] = False
        self.all_docs = np.flatnonzero(self.alive)
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[tuple, np.ndarray] = {}
        self._postings: OrderedDict = OrderedDict()
        self._cached = 0

    @staticmethod
    def of(searcher) -> IndexArrays:
        """The arrays of ``searcher``, made once per searcher (a new one when the index changed)."""
        arrays = getattr(searcher, "_portal_arrays", None)
        if arrays is None:
            arrays = searcher._portal_arrays = IndexArrays(searcher)
        return arrays

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length in ``fieldname`` as Whoosh's scorer sees it (1 if unknown)."""
        if fieldname not in self._lengths:
            parts = []
            for reader, _ in self.leaves:
                column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
                count = reader.doc_count_all()
                raw = np.zeros(count, dtype=np.uint8)
                if column is not None:
                    loaded = np.frombuffer(bytes(column.load()), dtype=np.uint8)[:count]
                    raw[:len(loaded)] = loaded
                parts.append(np.where(raw > 0, _LENGTHS[raw], 1.0))
            self._lengths[fieldname] = np.concatenate(parts) if parts else np.zeros(0)
        return self._lengths[fieldname]

    def column(self, fieldname: str, *, raw: bool = False) -> np.ndarray:
        """Each document's value of a sortable field (an object array), or as stored if ``raw``."""
        key = (fieldname, raw)
        if key not in self._columns:
            values = []
            for reader, _ in self.leaves:
                count = reader.doc_count_all()
                if reader.has_column(fieldname):
                    values.extend(reader.column_reader(fieldname, translate=not raw))
                else:
                    values.extend([None] * count)
            self._columns[key] = np.array(values, dtype=object)
        return self._columns[key]

    def codes(self, fieldname: str) -> tuple[np.ndarray, list[str]]:
        """A text column as small numbers: each document's code, and the value of each code
        (code 0 is "no value"), so that a facet is counted with one ``bincount``."""
        key = (fieldname, "codes")
        if key not in self._columns:
            names, index = [""], {}
            codes = np.zeros(self.size, dtype=np.int32)
            for docnum, value in enumerate(self.column(fieldname)):
                if value:
                    code = index.get(value)
                    if code is None:
                        code = index[value] = len(names)
                        names.append(value)
                    codes[docnum] = code
            self._columns[key] = (codes, names)
        return self._columns[key]

    def numbers(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """A numeric or date column as unsigned numbers, and which documents have a value."""
        key = (fieldname, "numbers")
        if key not in self._columns:
            raw = self.column(fieldname, raw=True)
            default = self.searcher.schema[fieldname].column_type._default
            present = np.array([v is not None and v != default for v in raw], dtype=bool)
            numbers = np.array([v if ok else 0 for v, ok in zip(raw, present, strict=True)], dtype=np.uint64)
            self._columns[key] = (numbers, present)
        return self._columns[key]

    def postings(self, fieldname: str, term: str) -> Postings:
        """A term's postings in every segment, in document order (cached)."""
        key = (fieldname, term)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        found = self._read(fieldname, term)
        self._postings[key] = found
        self._cached += found.size
        while self._cached > CACHED_POSTINGS and len(self._postings) > 1:
            _, old = self._postings.popitem(last=False)
            self._cached -= old.size
        return found

    def _read(self, fieldname: str, term: str) -> Postings:
        field = self.searcher.schema[fieldname] if fieldname in self.searcher.schema else None
        if field is None:
            return _EMPTY
        tbytes = field.to_bytes(term)
        ids, weights, values = [], [], []
        for reader, offset in self.leaves:
            if (fieldname, tbytes) not in reader:
                continue
            leaf = reader.postings(fieldname, tbytes)
            while not hasattr(leaf, "blocks"):  # deletions wrap the segment's matcher
                if not hasattr(leaf, "child"):
                    raise OutdatedIndex("the search index was built by an older version: run manage.py rebuild_index")
                leaf = leaf.child
            previous = 0
            for last, id_code, deltas, weight_code, block_weights, value_code, lengths, block_values in leaf.blocks():
                block_ids = np.cumsum(np.frombuffer(deltas, dtype=_DTYPES[id_code]), dtype=np.int64) + previous
                ids.append(block_ids + offset)
                if weight_code == "1":
                    weights.append(np.ones(len(block_ids), dtype=np.float32))
                else:
                    weights.append(np.frombuffer(block_weights, dtype=_DTYPES[weight_code]).astype(np.float32))
                if value_code != "0":
                    values.append((value_code, lengths, block_values))
                previous = last
        if not ids:
            return _EMPTY
        return Postings(np.concatenate(ids).astype(np.int32), np.concatenate(weights), values)


class Evaluation:
    """One query evaluated over a set of documents (all of them, or candidates).

    ``node(q)`` gives ``(matched, scores)``, boolean and float arrays over
    ``docs``; results are kept per query object, so the units of a query
    (which share objects with it) cost nothing more.
    """

    def __init__(self, arrays: IndexArrays, weighting, docs: np.ndarray | None = None, bonus: bool = False):
        self.arrays, self.weighting, self.bonus = arrays, weighting, bonus
        self.docs = arrays.all_docs if docs is None else docs
        self.dense = docs is None  # every document: arrays indexed by document number
        self.width = arrays.size if self.dense else len(docs)
        self.searcher = arrays.searcher
        self._memo: dict[int, tuple] = {}

    def node(self, q) -> tuple[np.ndarray, np.ndarray]:
        key = id(q)
        if key not in self._memo:
            self._memo[key] = (q, self._evaluate(q))
        return self._memo[key][1]

    def _empty(self):
        return np.zeros(self.width, dtype=bool), np.zeros(self.width)

    def _evaluate(self, q):
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text, q.boost)
        if isinstance(q, BonusPhrase) and not self.bonus:
            return self._empty()
        if isinstance(q, wq.Phrase):
            return self._phrase(q)
        if isinstance(q, (wq.Or, wq.And)):
            if not q.subqueries:
                return self._empty()
            if len(q.subqueries) == 1:  # Whoosh drops a one-child compound's boost
                return self.node(q.subqueries[0])
            parts = [self.node(sub) for sub in q.subqueries]
            if isinstance(q, wq.Or):
                matched = np.logical_or.reduce([m for m, _ in parts])
                scores = np.sum([s for _, s in parts], axis=0)
            else:
                matched = np.logical_and.reduce([m for m, _ in parts])
                scores = np.where(matched, np.sum([s for _, s in parts], axis=0), 0.0)
            return matched, scores * q.boost if q.boost != 1.0 else scores
        if isinstance(q, wq.AndMaybe):
            (a, sa), (b, sb) = self.node(q.a), self.node(q.b)
            return a, np.where(a, sa + np.where(b, sb, 0.0), 0.0)
        if isinstance(q, wq.AndNot):
            (a, sa), (b, _) = self.node(q.a), self.node(q.b)
            matched = a & ~b
            return matched, np.where(matched, sa, 0.0)
        if isinstance(q, wq.ConstantScoreQuery):
            matched, _ = self.node(q.child)
            return matched, np.where(matched, q.score, 0.0)
        if isinstance(q, wq.NumericRange):  # and DateRange: compared on the field's column
            return self._range(q)
        if isinstance(q, wq.Every):
            matched = self.arrays.alive.copy() if self.dense else np.ones(self.width, dtype=bool)
            return matched, np.full(self.width, float(q.boost))
        raise TypeError(f"search.whoosh.engine does not evaluate {type(q).__name__} queries")

    def _locate(self, postings: Postings):
        """Where the evaluated documents stand in ``postings``: (found mask, index of each found)."""
        if self.dense:
            matched = np.zeros(self.width, dtype=bool)
            matched[postings.ids] = True
            return matched & self.arrays.alive, None
        where = np.searchsorted(postings.ids, self.docs)
        inside = where < postings.size
        found = np.zeros(self.width, dtype=bool)
        found[inside] = postings.ids[where[inside]] == self.docs[inside]
        return found, where

    def _term(self, fieldname, text, boost):
        postings = self.arrays.postings(fieldname, text)
        if not postings.size:
            return self._empty()
        found, where = self._locate(postings)
        scores = np.zeros(self.width)
        field = self.searcher.schema[fieldname]
        if self.dense:
            ids, tf = postings.ids, postings.weights.astype(np.float64)  # scored in doubles, as Whoosh
        else:
            ids, tf = self.docs[found], postings.weights[where[found]].astype(np.float64)
        if field.scorable:
            term_scores = self._bm25(fieldname, text, ids, tf)
        else:  # Whoosh scores an unscorable field's posting by its weight
            term_scores = tf
        if self.dense:
            scores[ids] = term_scores * boost
            scores[~self.arrays.alive] = 0.0
        else:
            scores[found] = term_scores * boost
        return found, scores

    def _bm25(self, fieldname, text, ids, tf):
        searcher, weighting = self.searcher, self.weighting
        idf = searcher.idf(fieldname, text)
        avgfl = searcher.avg_field_length(fieldname) or 1
        b = weighting._field_B.get(fieldname, weighting.B)
        k1 = weighting.K1
        lengths = self.arrays.lengths(fieldname)[ids]
        return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / avgfl)))

    def _phrase(self, q):
        words = list(q.words)
        terms = [self.node(wq.Term(q.fieldname, w)) for w in words]  # not memoised: new objects
        matched = np.logical_and.reduce([m for m, _ in terms])
        candidates = np.flatnonzero(matched)
        if not len(candidates):
            return self._empty()
        docnums = candidates if self.dense else self.docs[candidates]
        found = [self.arrays.postings(q.fieldname, w) for w in words]
        lists = [p.positions(np.searchsorted(p.ids, docnums)) for p in found]
        matched[:] = False
        matched[candidates[_chained(lists, q.slop)]] = True
        scores = np.where(matched, np.sum([s for _, s in terms], axis=0), 0.0)
        return matched, scores * q.boost if q.boost != 1.0 else scores

    def _range(self, q):
        values, present = self.arrays.numbers(q.fieldname)
        if not self.dense:
            values, present = values[self.docs], present[self.docs]
        matched = present.copy()
        if q.start is not None:
            matched &= values > q.start if q.startexcl else values >= q.start
        if q.end is not None:
            matched &= values < q.end if q.endexcl else values <= q.end
        if self.dense:
            matched &= self.arrays.alive
        return matched, np.where(matched, float(q.boost), 0.0)


def _chained(lists, slop: int) -> np.ndarray:
    """Which owners have one position of each list following the last one
    found by 1 to ``slop`` words, in order: what Whoosh's ordered
    ``SpanNear2`` with ``mindist=1`` accepts.  ``lists`` are ``(owner,
    position)`` arrays, one per word; owner and position make one sortable
    key, spaced so that no reach crosses into another owner."""
    spacing = max(int(positions.max(initial=0)) for _, positions in lists) + slop + 2
    ends = np.unique(lists[0][0] * spacing + lists[0][1])
    for owners, positions in lists[1:]:
        keys = owners * spacing + positions
        at = np.searchsorted(ends, keys - slop)
        reached = at < len(ends)
        reached[reached] = ends[at[reached]] <= keys[reached] - 1
        ends = np.unique(keys[reached])
        if not len(ends):
            break
    return np.unique(ends // spacing)


def rank(arrays: IndexArrays, weighting, query, matched: np.ndarray, scores: np.ndarray, depth: int,
         factor: np.ndarray | None = None):
    """The ``depth`` best of the ``matched`` documents, bonus phrases counted.

    ``matched`` and ``scores`` come from an ``Evaluation`` of ``query`` over
    every document (bonus phrases left out); ``factor`` (by document number)
    scales each score for the ranking.  The ``CANDIDATES`` best (or
    ``depth``, if more) are scored again with bonus phrases.  Returns
    ``(document numbers, their scores unscaled)``, best first; ties keep
    document order, as Whoosh does.
    """
    docs = np.flatnonzero(matched)
    pool = max(depth, CANDIDATES)
    if len(docs) > pool:
        first = scores[docs] if factor is None else scores[docs] * factor[docs]
        docs = np.sort(docs[np.argpartition(-first, pool - 1)[:pool]])
    final = Evaluation(arrays, weighting, docs=docs, bonus=True).node(query)[1]
    ranked = final if factor is None else final * factor[docs]
    order = np.lexsort((docs, -ranked))[:depth]
    return docs[order], final[order]


def newest_first(arrays: IndexArrays, matched: np.ndarray) -> np.ndarray:
    """The matched document numbers, newest ``published`` first; undated ones
    (an editor has yet to date them) last, the later document first."""
    docnums = np.flatnonzero(matched)
    values, present = arrays.numbers("published")
    keys = np.where(present[docnums], values[docnums].astype(np.int64), -1)
    return docnums[np.lexsort((-docnums, -keys))]
