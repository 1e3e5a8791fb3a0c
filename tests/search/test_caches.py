"""search.caches: answers kept per index version, bounded, shared by threads."""

import threading

from search.caches import KeptAnswers


def test_least_recently_used_answers_go_first():
    kept = KeptAnswers(lambda: 2)
    kept.put(("v1", "باکو"), 1)
    kept.put(("v1", "ایروان"), 2)
    assert kept.get(("v1", "باکو")) == 1  # used again: kept
    kept.put(("v1", "تهران"), 3)
    assert kept.get(("v1", "ایروان")) is None and kept.get(("v1", "باکو")) == 1
    assert kept.get(("v2", "باکو")) is None  # another version of the index: never answered


def test_zero_keeps_nothing():
    kept = KeptAnswers(lambda: 0)
    kept.put("باکو", 1)
    assert kept.get("باکو") is None


def test_threads_share_one_bounded_cache():
    kept, errors = KeptAnswers(lambda: 50), []

    def work(n):
        try:
            for i in range(2000):
                kept.put((n, i % 80), i)
                kept.get((n, (i * 7) % 80))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(kept) == 50
