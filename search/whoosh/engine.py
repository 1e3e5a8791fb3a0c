"""Evaluating the portal's queries over whole posting lists at once (numpy).

Whoosh's matchers walk the postings one document at a time in Python: a
common word costs tens of thousands of method calls per query, and every
match is scored to count results and facets.  Here each term's posting
list is read whole into arrays (``arrays.IndexArrays``), and a query
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

Only Whoosh's public query types are read here; what the index holds comes
from ``arrays``.  A query node of another type raises ``TypeError``.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from .arrays import IndexArrays, Postings, bm25_parameters

CANDIDATES = 1000


class BonusPhrase(wq.Phrase):
    """A phrase that only ranks: every document it matches is matched by its words anyway."""


class BonusBest(wq.DisjunctionMax):
    """The best of some alternatives, that only ranks: like a ``BonusPhrase``
    it is checked only for the best candidates, so a document it alone
    matches is not found."""


class Evaluation:
    """One query evaluated over a set of documents (all of them, or candidates).

    ``node(q)`` gives ``(matched, scores)``, boolean and float arrays over
    ``docs``; results are kept per query object (a term per field, text and
    boost), so the units of a query (which share objects with it) and the
    words of its phrases cost nothing more.
    """

    def __init__(self, arrays: IndexArrays, weighting, docs: np.ndarray | None = None, bonus: bool = False):
        self.arrays, self.weighting, self.bonus = arrays, weighting, bonus
        self.docs = arrays.all_docs if docs is None else docs
        self.dense = docs is None  # every document: arrays indexed by document number
        self.width = arrays.size if self.dense else len(docs)
        self.searcher = arrays.searcher
        self._memo: dict[int, tuple] = {}

    def node(self, q) -> tuple[np.ndarray, np.ndarray]:
        # a term by what it asks: a phrase's words and a word's alternatives ask
        # for the same terms as the query's words, each a new object
        key = (q.fieldname, q.text, q.boost) if type(q) is wq.Term else id(q)
        if key not in self._memo:
            self._memo[key] = (q, self._evaluate(q))
        return self._memo[key][1]

    def _empty(self):
        return np.zeros(self.width, dtype=bool), np.zeros(self.width)

    def _evaluate(self, q):
        # Exact types: a subclass (FuzzyTerm, Ordered, ...) means something
        # else and must not be answered as its parent.
        kind = type(q)
        if kind is wq.Term:
            return self._term(q.fieldname, q.text, q.boost)
        if kind in (BonusPhrase, BonusBest) and not self.bonus:
            return self._empty()
        if kind in (wq.Phrase, BonusPhrase):
            return self._phrase(q)
        if kind in (wq.Or, wq.And) and not getattr(q, "minmatch", 0) and getattr(q, "scale", None) is None:
            if not q.subqueries:
                return self._empty()
            if len(q.subqueries) == 1:  # Whoosh drops a one-child compound's boost
                return self.node(q.subqueries[0])
            parts = [self.node(sub) for sub in q.subqueries]
            if kind is wq.Or:
                matched = np.logical_or.reduce([m for m, _ in parts])
                scores = np.sum([s for _, s in parts], axis=0)
            else:
                matched = np.logical_and.reduce([m for m, _ in parts])
                scores = np.where(matched, np.sum([s for _, s in parts], axis=0), 0.0)
            return matched, scores * q.boost if q.boost != 1.0 else scores
        if kind in (wq.DisjunctionMax, BonusBest) and q.subqueries:
            # each document's best part: what Whoosh's DisjunctionMaxMatcher means (it ignores
            # tiebreak, and compares two parts standing on different documents: a third difference)
            parts = [self.node(sub) for sub in q.subqueries]
            matched = np.logical_or.reduce([m for m, _ in parts])
            scores = np.max([s for _, s in parts], axis=0)
            return matched, scores * q.boost if q.boost != 1.0 else scores
        if kind is wq.AndMaybe:
            (a, sa), (b, sb) = self.node(q.a), self.node(q.b)
            return a, np.where(a, sa + np.where(b, sb, 0.0), 0.0)
        if kind is wq.AndNot:
            (a, sa), (b, _) = self.node(q.a), self.node(q.b)
            matched = a & ~b
            return matched, np.where(matched, sa, 0.0)
        if kind is wq.ConstantScoreQuery:
            matched, _ = self.node(q.child)
            return matched, np.where(matched, q.score, 0.0)
        if kind in (wq.NumericRange, wq.DateRange):  # compared on the field's column
            return self._range(q)
        if kind is wq.Every and q.fieldname in (None, "*"):
            matched = self.arrays.alive.copy() if self.dense else np.ones(self.width, dtype=bool)
            return matched, np.full(self.width, float(q.boost))
        raise TypeError(f"search.whoosh.engine does not evaluate {q!r} ({kind.__name__})")

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
        b, k1 = bm25_parameters(weighting, fieldname)
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
