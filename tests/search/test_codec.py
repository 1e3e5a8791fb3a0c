"""search.whoosh.codec and search.whoosh.writer: the portal's postings read back exactly as Whoosh's own,
from segments read in place.

The same Persian and Arabic documents are indexed twice, by stock Whoosh
(W3 codec, SegmentWriter) and by the portal's writer; every posting, its
block statistics and every search must agree.
"""

import io
import mmap
import os
import pickle
import random
import threading

import pytest
from haystack import connections
from whoosh import fields, formats, index
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.scoring import BM25F

from search.whoosh.analysis import PortalAnalyzer
from search.whoosh.codec import CompactPositions, MappedStorage, PortalCodec
from search.whoosh.writer import PortalWriter
from tests.search.test_arrays import _in_threads, _titles

PARAGRAPHS = [
    "خبرگزاری ایرنا از تهران گزارش داد که نمایشگاه بین‌المللی کتاب امروز گشایش یافت.",
    "وزیر امور خارجه آذربایجان در باکو با همتای ارمنستانی خود دیدار و گفت‌وگو کرد.",
    "أعلنت وزارة الخارجية في باكو أن المحادثات مع أرمينيا ستستأنف الأسبوع المقبل.",
    "قالت صحيفة أذرنيوز إن الرئيس استقبل الوفد في العاصمة وبحث معه التعاون الاقتصادي.",
    "کتابخانه ملی ۱۲٫۵ درصد کتاب‌های تازه را در سال ۱۴۰۰ فهرست کرد.",
    "مرگ و میر نهنگ‌ها در خلیج فارس دانشمندان را نگران کرده است.",
]


def _documents(n):
    rng = random.Random(7)
    # long enough for several blocks and for positions past 255 and 65535
    docs = []
    for i in range(n):
        body = " ".join(rng.choice(PARAGRAPHS) for _ in range(rng.randint(1, 30)))
        if i == 3:
            body = " ".join([body] * 700)
        docs.append({"id": str(i), "title": rng.choice(PARAGRAPHS)[:40], "text": body})
    return docs


def _schema(positions):
    analyzer = PortalAnalyzer()
    text = fields.TEXT(analyzer=analyzer, phrase=True)
    title = fields.TEXT(analyzer=analyzer, phrase=True, stored=True, field_boost=2.0)
    text.format, title.format = positions(), positions(field_boost=2.0)
    tags = fields.KEYWORD(stored=True)
    tags.format = formats.Existence()
    return fields.Schema(id=fields.ID(stored=True, unique=True), text=text, title=title, tags=tags)


def _build(path, docs, *, portal, commits=1):
    ix = index.create_in(str(path), _schema(CompactPositions if portal else formats.Positions))
    share = -(-len(docs) // commits)
    for start in range(0, len(docs), share):
        writer = PortalWriter(ix) if portal else ix.writer()
        for doc in docs[start:start + share]:
            writer.add_document(**doc, tags=" ".join(sorted(set(doc["title"].split()))))
        writer.commit(merge=False)
    return ix


def _postings(ix):
    out = []
    with ix.reader() as reader:
        for fieldname, term in reader.all_terms():
            fmt = ix.schema[fieldname].format
            matcher = reader.postings(fieldname, term)
            while matcher.is_active():
                value = matcher.value()
                positions = fmt.decode_positions(value) if isinstance(fmt, formats.Positions) else None
                out.append((fieldname, term, matcher.id(), round(matcher.weight(), 4), positions,
                            matcher.block_max_id(), round(matcher.block_max_weight(), 4),
                            matcher.block_min_length(), matcher.block_max_length()))
                matcher.next()
            info = reader.term_info(fieldname, term)
            out.append((fieldname, term, info.doc_frequency(), round(info.weight(), 4), info.min_length(),
                        info.max_length(), round(info.max_weight(), 4), info.min_id(), info.max_id()))
    return out


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    docs = _documents(400)
    root = tmp_path_factory.mktemp("codec")
    for name in ("whoosh", "portal", "merged"):
        (root / name).mkdir()
    stock = _build(root / "whoosh", docs, portal=False)
    portal = _build(root / "portal", docs, portal=True)
    merged = _build(root / "merged", docs, portal=True, commits=3)
    PortalWriter(merged).commit(optimize=True)
    return stock, portal, merged


def test_every_posting_and_statistic_reads_back_as_whooshs_own(indexes):
    stock, portal, _ = indexes
    assert _postings(portal) == _postings(stock)


def test_segments_merged_by_the_portal_writer_lose_nothing(indexes):
    stock, _, merged = indexes
    assert len(merged.reader().leaf_readers()) == 1
    assert _postings(merged) == _postings(stock)


def test_segments_are_written_in_the_portal_codec_and_are_smaller(indexes):
    stock, portal, _ = indexes
    assert all(isinstance(s.codec(), PortalCodec) for s in portal._segments())
    size = lambda ix: sum(ix.storage.file_length(f) for f in ix.storage.list())  # noqa: E731
    assert size(portal) < 0.75 * size(stock)


@pytest.mark.parametrize("make", [
    lambda a, b: wq.Or([wq.Term("text", a), wq.Term("title", b)]),
    lambda a, b: wq.And([wq.Term("text", a), wq.Term("text", b)]),
    lambda a, b: wq.Phrase("text", [a, b], slop=2),
    lambda a, b: wq.AndNot(wq.Term("text", a), wq.Term("tags", b)),
])
def test_searches_rank_alike(indexes, make):
    stock, portal, _ = indexes
    terms = [t.decode() for f, t in stock.reader().all_terms() if f == "text"]
    rng = random.Random(3)
    with stock.searcher() as s1, portal.searcher() as s2:
        for _ in range(60):
            q = make(rng.choice(terms), rng.choice(terms))
            first = [(h.docnum, round(h.score, 4)) for h in s1.search(q, limit=15)]
            assert [(h.docnum, round(h.score, 4)) for h in s2.search(q, limit=15)] == first


def test_positions_round_trip_in_the_narrowest_width():
    fmt = CompactPositions()
    for positions in ([0], [7], [300], [70_000], [1, 2, 3], [5, 400, 70_000, 70_001]):
        value = fmt.encode(positions)
        assert fmt.decode_positions(value) == positions
        assert fmt.decode_frequency(value) == len(positions)
    assert len(fmt.encode([7])) == 2 and len(fmt.encode([300])) == 3


# --- segments read in place ---------------------------------------------------------------------


def _segments(backend):
    return [name for name in os.listdir(backend.storage.folder) if name.endswith(".seg")]


def test_segments_are_read_in_place_and_give_the_bytes_whoosh_reads(two_articles):
    backend = connections["default"].get_backend()
    assert isinstance(backend.storage, MappedStorage) and _segments(backend)
    whoosh_own = FileStorage(backend.storage.folder)
    for name in _segments(backend):
        ours, theirs = backend.storage.open_file(name), whoosh_own.open_file(name)
        try:
            size = len(ours.view)
            assert isinstance(ours.view.obj, mmap.mmap)  # the file's pages, not a copy of them
            assert ours.get(0, size) == theirs.get(0, size)
            part = ours.subset(8, 64, name="part")
            assert part.view.obj is ours.view.obj and part.get(0, 64) == theirs.get(8, 64)
            assert part.get_array(4, "i", 3).tolist() == theirs.get_array(12, "i", 3).tolist()
            assert part.get_long(0) == theirs.get_long(8)
        finally:
            theirs.close()
    searcher = backend.shared_searcher(BM25F(B=0.75, K1=1.2))
    assert _titles(searcher) == ["اجتماع في باكو", "سفر به باکو"]


def test_a_part_read_in_place_reads_in_order_as_a_file_does(tmp_path):
    data = pickle.dumps({"باکو": [1, 2, 3]}) + b"\n".join([b"first", b"x" * 5000, b"last"])
    ours = _mapped(tmp_path, data)
    theirs = io.BytesIO(data)
    assert pickle.load(ours) == pickle.load(theirs) == {"باکو": [1, 2, 3]}
    for _ in range(2):  # "first", then a line longer than one look for its end
        assert ours.readline() == theirs.readline()
    assert ours.read() == theirs.read() == b"last" and ours.read(5) == theirs.read(5) == b""
    assert ours.seek(-4, os.SEEK_END) == theirs.seek(-4, os.SEEK_END) and ours.read(2) == theirs.read(2) == b"la"
    assert ours.tell() == theirs.tell()


def test_threads_reading_one_part_at_their_own_positions_each_get_their_bytes(tmp_path):
    data = bytes(random.Random(7).randrange(256) for _ in range(1 << 16))
    shared = _mapped(tmp_path, data)

    def work():
        rng = random.Random(threading.get_ident())
        for _ in range(3000):
            at, length = rng.randrange(len(data) - 64), rng.randrange(1, 64)
            if shared.get(at, length) != data[at:at + length]:
                return False
        return True

    assert all(_in_threads(6, work))


def _mapped(folder, data: bytes):
    """A segment file holding ``data`` in ``folder``, opened as ``MappedStorage`` opens one."""
    (folder / "part.seg").write_bytes(data)
    return MappedStorage(str(folder)).open_file("part.seg")
