"""search.whoosh.engine: every document matched and scored exactly as Whoosh's own matchers do.

A small index of Persian and Arabic documents in the portal's schema
(several segments, some documents deleted) is searched both ways with
queries of every shape the query builder makes.
"""

import random
import sys
import threading

import numpy as np
import pytest
from whoosh import fields, index
from whoosh import query as wq
from whoosh.scoring import BM25F

from search.whoosh import arrays as arrays_module
from search.whoosh import engine
from search.whoosh.analysis import PortalAnalyzer
from search.whoosh.codec import CompactPositions
from search.whoosh.engine import BonusPhrase, Evaluation, IndexArrays, rank
from search.whoosh.writer import PortalWriter

WEIGHTING = BM25F(B=0.75, K1=1.2)
WORDS = ("ایران باکو ارمنستان آذربایجان وزیر امور خارجه دیدار گفتگو نمایشگاه کتاب تهران "
         "الرئيس المحادثات أرمينيا الوزير العاصمة التعاون الاقتصادي صحيفة").split()


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    analyzer = PortalAnalyzer()
    text, title = fields.TEXT(analyzer=analyzer, phrase=True), fields.TEXT(analyzer=analyzer, phrase=True, stored=True)
    text.format, title.format = CompactPositions(), CompactPositions()
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), text=text, title=title,
                           language=fields.ID(stored=True, sortable=True))
    ix = index.create_in(str(tmp_path_factory.mktemp("engine")), schema)
    rng = random.Random(5)
    for segment in range(3):
        writer = PortalWriter(ix)
        for i in range(80):
            words = [rng.choice(WORDS) for _ in range(rng.randint(3, 60))]
            writer.add_document(id=f"{segment}-{i}", text=" ".join(words), title=" ".join(words[:4]),
                                language=rng.choice(["fa", "ar"]))
        writer.commit(merge=False)
    writer = PortalWriter(ix)
    for i in range(0, 80, 7):
        writer.delete_by_term("id", f"1-{i}")
    writer.commit(merge=False)
    with ix.searcher(weighting=WEIGHTING) as s:
        assert len(s.reader().leaf_readers()) == 3 and s.reader().has_deletions()
        yield s


def _stem(word):
    return PortalAnalyzer().term_positions(word).popitem()[0]


def _queries(seed, n):
    rng = random.Random(seed)

    def term():
        return wq.Term(rng.choice(["text", "title"]), _stem(rng.choice(WORDS)), boost=rng.choice([1.0, 0.5, 2.0]))

    def phrase(cls=wq.Phrase):
        return cls("text", [_stem(rng.choice(WORDS)) for _ in range(rng.randint(2, 3))], slop=rng.choice([1, 2, 3]))

    shapes = [
        lambda: term(),
        lambda: wq.Or([term(), term(), phrase()]),
        lambda: wq.And([term(), term()]),
        lambda: wq.AndMaybe(wq.Or([term(), phrase()]), wq.Or([term(), term()])),
        lambda: wq.AndNot(wq.Or([term(), term()]), term()),
        lambda: wq.And([wq.Or([term(), term()]), wq.ConstantScoreQuery(wq.Term("language", "fa"), 0.5)]),
        lambda: wq.Or([term()], boost=3.0),
        lambda: phrase(),
    ]
    return [rng.choice(shapes)() for _ in range(n)]


def _whoosh(searcher, q):
    if isinstance(q, wq.AndNot):
        # Whoosh's AndNotMatcher lets a document through when the excluded
        # side lags behind (it compares before skipping); the engine does not.
        excluded = _whoosh(searcher, q.b)
        return {d: s for d, s in _whoosh(searcher, q.a).items() if d not in excluded}
    return {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}


@pytest.mark.parametrize("q", _queries(1, 120), ids=str)
def test_every_match_and_score_is_whooshs_own(searcher, q):
    matched, scores = Evaluation(IndexArrays.of(searcher), WEIGHTING).node(q)
    expected = _whoosh(searcher, q)
    assert set(np.flatnonzero(matched).tolist()) == set(expected)
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-6)


def test_the_best_of_alternatives_scores_each_document_by_its_best_part(searcher):
    # what search asks for an Arabic word's root-mates (search.whoosh.translate); Whoosh's
    # own DisjunctionMaxMatcher may compare parts that stand on different documents
    rng = random.Random(3)
    arrays = IndexArrays.of(searcher)
    for _ in range(20):
        parts = [wq.Term(rng.choice(["text", "title"]), _stem(rng.choice(WORDS)), boost=rng.choice([0.4, 1.0]))
                 for _ in range(rng.randint(2, 4))]
        matched, scores = Evaluation(arrays, WEIGHTING).node(wq.DisjunctionMax(parts, boost=0.5))
        each = [_whoosh(searcher, part) for part in parts]
        assert set(np.flatnonzero(matched).tolist()) == set().union(*each)
        for docnum in np.flatnonzero(matched):
            assert scores[docnum] == pytest.approx(0.5 * max(e.get(docnum, 0.0) for e in each), rel=1e-6)


def test_candidates_alone_score_as_every_document_does(searcher):
    arrays = IndexArrays.of(searcher)
    for q in _queries(2, 40):
        matched, scores = Evaluation(arrays, WEIGHTING).node(q)
        docs = np.flatnonzero(matched)[::2]
        some, some_scores = Evaluation(arrays, WEIGHTING, docs=docs).node(q)
        assert some.all() and some_scores == pytest.approx(scores[docs])


def test_bonus_phrases_only_rank_and_the_best_come_first(searcher):
    arrays = IndexArrays.of(searcher)
    a, b = _stem("وزیر"), _stem("خارجه")
    words = wq.Or([wq.Term("text", a), wq.Term("text", b)])
    plain = wq.Or([words, wq.Phrase("text", [a, b], slop=3)])
    bonus = wq.Or([words, BonusPhrase("text", [a, b], slop=3)])
    expected = sorted(_whoosh(searcher, plain).items(), key=lambda kv: (-kv[1], kv[0]))[:15]
    matched, scores = Evaluation(arrays, WEIGHTING).node(bonus)
    assert set(np.flatnonzero(matched).tolist()) == set(_whoosh(searcher, words))
    docnums, best = rank(arrays, WEIGHTING, bonus, matched, scores, 15)
    assert [(int(d), pytest.approx(s)) for d, s in zip(docnums, best, strict=True)] == expected


def test_the_candidates_cut_rescores_the_best_and_keeps_whooshs_scores(searcher, monkeypatch):
    # The corpus holds more matches than CANDIDATES: only the best of the
    # first pass are scored again with bonus phrases, with Whoosh's scores.
    monkeypatch.setattr(engine, "CANDIDATES", 12)
    arrays = IndexArrays.of(searcher)
    a, b = _stem("وزیر"), _stem("خارجه")
    words = wq.Or([wq.Term("text", a), wq.Term("text", b)])
    bonus = wq.Or([words, BonusPhrase("text", [a, b], slop=3)])
    plain = wq.Or([words, wq.Phrase("text", [a, b], slop=3)])
    first = _whoosh(searcher, words)
    final = _whoosh(searcher, plain)
    assert len(first) > 3 * engine.CANDIDATES
    matched, scores = Evaluation(arrays, WEIGHTING).node(bonus)
    for depth in (5, 12, 30):
        docnums, best = rank(arrays, WEIGHTING, bonus, matched, scores, depth)
        pool = max(depth, engine.CANDIDATES)
        cut = sorted(first.values(), reverse=True)[pool - 1]
        assert len(docnums) == depth
        assert all(first[int(d)] >= cut for d in docnums)  # only the first pass's best were rescored
        assert list(best) == sorted(best, reverse=True)
        assert list(best) == pytest.approx([final[int(d)] for d in docnums], rel=1e-6)
        # Nothing of the pool that Whoosh ranks higher is left out.
        pool_docs = [d for d, s in first.items() if s >= cut]
        assert min(best) >= max((final[d] for d in pool_docs if d not in set(docnums.tolist())), default=0) - 1e-9


def test_evicted_posting_lists_are_read_again_the_same(searcher, monkeypatch):
    monkeypatch.setattr(arrays_module, "CACHED_POSTINGS", 60)
    arrays = IndexArrays(searcher)  # a cache of its own, not the fixture's
    queries = _queries(3, 60)
    for q in queries + queries:  # the second round reads evicted lists again
        matched, scores = Evaluation(arrays, WEIGHTING).node(q)
        expected = _whoosh(searcher, q)
        assert set(np.flatnonzero(matched).tolist()) == set(expected)
        assert [scores[d] for d in expected] == pytest.approx(list(expected.values()), rel=1e-6)
        assert arrays._cached <= arrays_module.CACHED_POSTINGS or len(arrays._postings) == 1
    assert 1 <= len(arrays._postings) < len({(t.fieldname, t.text) for q in queries for t in q.leaves()
                                              if isinstance(t, wq.Term)})


def test_threads_sharing_one_searcher_get_whooshs_answers(searcher, monkeypatch):
    # What a threaded server does: one searcher, its arrays and a small
    # posting cache (evicting all the time) used by several threads at once,
    # switching as often as they can (a matcher reading its file with seek
    # and read, as Whoosh's own do, fails here).
    monkeypatch.setattr(arrays_module, "CACHED_POSTINGS", 200)
    arrays = IndexArrays(searcher)
    queries = _queries(4, 40)
    expected = [_whoosh(searcher, q) for q in queries]
    failures = []

    def work(offset):
        for n in range(len(queries)):
            i = (n + offset) % len(queries)
            try:
                matched, scores = Evaluation(arrays, WEIGHTING).node(queries[i])
            except Exception as error:  # a thread's error must fail the test
                failures.append(repr(error))
                continue
            found = {int(d): float(scores[d]) for d in np.flatnonzero(matched)}
            if found.keys() != expected[i].keys() or any(abs(found[d] - s) > 1e-6 * max(1, s)
                                                         for d, s in expected[i].items()):
                failures.append(str(queries[i]))

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    threads = [threading.Thread(target=work, args=(k * 7,)) for k in range(6)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert failures == []


@pytest.mark.parametrize("q", [
    wq.FuzzyTerm("text", _stem("باکو")),  # a Term subclass: must not be answered as a plain term
    wq.Ordered([wq.Term("text", _stem("وزیر")), wq.Term("text", _stem("خارجه"))]),
    wq.Prefix("text", "وزی"),
    wq.Or([wq.Term("text", _stem("وزیر")), wq.Term("text", _stem("باکو"))], scale=0.5),
    wq.Every("title"),
], ids=lambda q: type(q).__name__)
def test_a_query_the_engine_does_not_evaluate_raises_a_clear_error(searcher, q):
    with pytest.raises(TypeError, match=f"does not evaluate .*{type(q).__name__}"):
        Evaluation(IndexArrays.of(searcher), WEIGHTING).node(wq.And([wq.Term("language", "fa"), q]))


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    """Rare words in a few documents of several segments (wide gaps, deletions between them)."""
    analyzer = PortalAnalyzer()
    text = fields.TEXT(analyzer=analyzer, phrase=True)
    text.format = CompactPositions()
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), text=text)
    ix = index.create_in(str(tmp_path_factory.mktemp("sparse")), schema)
    rare = {(0, 3), (0, 700), (2, 1), (2, 299), (2, 300), (3, 0)}  # (segment, document)
    for segment, size in enumerate((800, 50, 400, 1)):
        writer = PortalWriter(ix)
        for i in range(size):
            words = ["ایران", "خبر"] * (1 + i % 5)
            if (segment, i) in rare:
                words[1:1] = ["زلزله", "بم"] if i % 2 else ["بم", "زلزله"]
            writer.add_document(id=f"{segment}-{i}", text=" ".join(words))
        writer.commit(merge=False)
    writer = PortalWriter(ix)
    for doc_id in ("2-1", "0-5", "2-200"):
        writer.delete_by_term("id", doc_id)
    writer.commit(merge=False)
    with ix.searcher(weighting=WEIGHTING) as s:
        assert len(s.reader().leaf_readers()) == 4 and s.reader().has_deletions()
        yield s


@pytest.mark.parametrize("make", [
    lambda t: wq.Term("text", t("زلزله")),
    lambda t: wq.Or([wq.Term("text", t("زلزله")), wq.Term("text", t("بم"))]),
    lambda t: wq.And([wq.Term("text", t("زلزله")), wq.Term("text", t("ایران"))]),
    lambda t: wq.Phrase("text", [t("زلزله"), t("بم")], slop=1),
    lambda t: wq.Phrase("text", [t("بم"), t("زلزله")], slop=1),
    lambda t: wq.AndNot(wq.Term("text", t("ایران")), wq.Term("text", t("زلزله"))),
    lambda t: wq.AndMaybe(wq.Term("text", t("خبر")), wq.Term("text", t("بم"))),
], ids=["term", "or", "and", "phrase", "phrase-reversed", "and-not", "and-maybe"])
def test_sparse_posting_lists_match_and_score_as_whoosh(sparse, make):
    def stem(word):
        return PortalAnalyzer().term_positions(word).popitem()[0]

    q = make(stem)
    matched, scores = Evaluation(IndexArrays(sparse), WEIGHTING).node(q)
    expected = _whoosh(sparse, q)
    assert expected  # the query finds something in the sparse lists
    assert set(np.flatnonzero(matched).tolist()) == set(expected)
    assert [scores[d] for d in expected] == pytest.approx(list(expected.values()), rel=1e-6)
