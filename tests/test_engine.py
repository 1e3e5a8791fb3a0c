"""search.whoosh.engine: every document matched and scored exactly as Whoosh's own matchers do.

A small index of Persian and Arabic documents in the portal's schema
(several segments, some documents deleted) is searched both ways with
queries of every shape the query builder makes.
"""

import random

import numpy as np
import pytest
from whoosh import fields, index
from whoosh import query as wq
from whoosh.scoring import BM25F

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
