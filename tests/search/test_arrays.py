"""search.whoosh.arrays: one searcher per process, shared by its threads, replaced when the index changes."""

import gc
import os
import threading

from django.core.management import call_command
from django.db import connections as db_connections
from django.db import transaction
from haystack import connections
from whoosh.scoring import BM25F

from articles.models import Article
from articles.text import fold, stem
from search.whoosh.arrays import IndexArrays
from tests.search.test_search import make

WEIGHTING = BM25F(B=0.75, K1=1.2)


def _in_threads(count, work):
    """``work()`` run once in each of ``count`` new threads, their results in order."""
    results = [None] * count

    def run(n):
        try:
            results[n] = work()
        finally:
            db_connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _titles(searcher):
    return sorted(fields["title"] for fields in searcher.all_stored_fields())


def test_every_thread_gets_the_one_searcher_of_the_process(two_articles):
    # the backends themselves are kept: an id alone could be reused once a thread's backend is gone
    found = _in_threads(4, lambda: (connections["default"].get_backend(),
                                    connections["default"].get_backend().shared_searcher(WEIGHTING)))
    backends = {id(backend) for backend, _ in found}
    searchers = {id(searcher) for _, searcher in found}
    assert len(backends) == 4  # Haystack keeps a backend per thread ...
    assert len(searchers) == 1  # ... and they share one searcher
    assert _titles(found[0][1]) == ["اجتماع في باكو", "سفر به باکو"]


def test_a_changed_index_gets_a_new_searcher_and_the_old_one_still_reads(two_articles):
    backend = connections["default"].get_backend()
    old = backend.shared_searcher(WEIGHTING)
    assert backend.shared_searcher(WEIGHTING) is old
    baku = stem(fold("باکو"))
    old_arrays = IndexArrays.of(old)
    found = old_arrays.postings("text", baku).ids.tolist()
    assert len(found) == 2 and old_arrays._cached
    with transaction.atomic():
        make("نمایشگاه کتاب تهران", "نمایشگاه کتاب تهران امروز آغاز شد.")
    new = _in_threads(1, lambda: connections["default"].get_backend().shared_searcher(WEIGHTING))[0]
    assert new is not old and backend.shared_searcher(WEIGHTING) is new
    assert len(_titles(new)) == 3
    # Not closed under a thread still using it; its posting cache is gone, its lists read again.
    assert _titles(old) == ["اجتماع في باكو", "سفر به باکو"]
    assert not old_arrays._cached
    assert old_arrays.postings("text", baku).ids.tolist() == found


def test_a_rebuilt_index_is_never_answered_from_the_old_searcher(two_articles):
    backend = connections["default"].get_backend()
    assert len(_titles(backend.shared_searcher(WEIGHTING))) == 2
    # Unpublished without a signal, then the index is rebuilt: the same generation numbers again.
    Article.objects.filter(language="ar").update(status=Article.Status.DRAFT)
    call_command("rebuild_index", "--noinput", verbosity=0)
    searcher = _in_threads(1, lambda: connections["default"].get_backend().shared_searcher(WEIGHTING))[0]
    assert _titles(searcher) == ["سفر به باکو"]


def test_replaced_searchers_do_not_keep_their_files_open(two_articles):
    backend = connections["default"].get_backend()
    backend.shared_searcher(WEIGHTING)
    gc.collect()
    before = len(os.listdir("/proc/self/fd"))
    for n in range(12):
        with transaction.atomic():
            make(f"خبر شماره {n}", "متن خبر دربارهٔ باکو")
        backend.shared_searcher(WEIGHTING)
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) <= before + 4
