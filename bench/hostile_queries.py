"""Hostile searches against a real-sized index, through the search page, the API and the feed.

    .venv/bin/python bench/hostile_queries.py [--limit 5000] [--corpora PATH] [--repeats 3] [--keep] [--reuse DIR]

Imports ``--limit`` articles of the shared corpora (Persian and Arabic
interleaved; ``bench/run.py``'s bulk import step) into a throw-away SQLite
database and Whoosh index, then sends the hostile query kinds of issue 15
to ``/search/``, ``/api/search/`` and ``/search/feed/rss/`` with Django's
test client in one process (DEBUG off, every search computed: no kept
rankings, no page cache; random words are new on every request, so no
"did you mean" answer is reused).  Prints, per kind, the requests sent,
their median and slowest wall time, the slowest CPU time, the status
codes, and every 5xx.  ``--keep`` leaves the work folder; ``--reuse DIR``
measures a kept one again without importing.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import common  # noqa: E402
import corpora  # noqa: E402
import run  # noqa: E402

PATHS = ("/search/", "/api/search/", "/search/feed/rss/")
PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإآ"
TYPOS = [  # ordinary typing mistakes: a letter doubled, dropped or swapped
    "وزيرر خارجيهه السعوديهه", "وزیرر امورر خارجهه", "انتخاباتت ریاستت جمهوری", "رییس جمهورر",
    "بازارر بورسس تهران", "قیمتت نفتت", "الرياضض الاتحادد", "كرةة القدمم", "مجلسس الوزراءء",
]
COMMON = ["در", "و", "في", "من", "به", "الى", "این", "على"]


def _word(rng: random.Random, letters: str, length: int = 8) -> str:
    return "".join(rng.choice(letters) for _ in range(length))


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    return word[:i] + rng.choice((word[i] * 2, "", word[i:i + 2][::-1])) + word[i + 1:] if len(word) > 3 else word


def kinds(rng: random.Random, queries: list[str]) -> dict[str, list[dict]]:
    """Each hostile kind: a few parameter sets, new random words on every call."""
    return {
        "misspelled fa (28 random words)": [{"q": " ".join(_word(rng, PERSIAN) for _ in range(28))}],
        "misspelled ar (28 random words)": [{"q": " ".join(_word(rng, ARABIC) for _ in range(28))}],
        "misspelled long (4 x 40 letters)": [{"q": " ".join(_word(rng, PERSIAN, 40) for _ in range(4))}],
        "ordinary typos": [{"q": rng.choice(TYPOS)}, {"q": " ".join(_typo(rng, w) for w in rng.choice(queries).split())}],
        "prefixes (32 x two letters*)": [{"q": " ".join(_word(rng, PERSIAN + ARABIC, 2) + "*" for _ in range(32))},
                                         {"q": "ال* ب* م* ا* " + " ".join(f"{c}ا*" for c in ARABIC[:20])}],
        "wildcards and syntax": [{"q": q} for q in ("*", "*ا*", "?ب", "*" * 500, "(" * 300 + "باکو" + ")" * 300,
                                                    "ب~" * 300, "title:*", "\"" + "خبر " * 3000 + "\"")],
        "huge OR / long": [{"q": " OR ".join(["باکو", "تهران", "خبر", "ایران"] * 500)},
                           {"q": " ".join(f"واژه{i}" for i in range(2000))}, {"q": "خبر" * 20_000}],
        "common words, exact": [{"q": " ".join(rng.sample(COMMON, 3)), "exact": "1"}, {"q": rng.choice(COMMON), "exact": "1"}],
        "common words, deep page": [{"q": rng.choice(COMMON), "page": "500", "page_size": "20"},
                                    {"q": " ".join(COMMON), "sort": "date", "page": "100", "page_size": "100"}],
        "extreme date filters": [{"q": "ایران", "from": "0001-01-01"}, {"q": "ایران", "to": "9999-12-31"},
                                 {"q": "ایران", "to": "0100-01-01"}, {"from": "9999-12-31"},
                                 {"from": "۱/۱/۱"}, {"to": "99999/12/31"}, {"from": "1400/13/40"}],
    }


def step_measure(repeats: str, seed: str) -> dict:
    """Send every kind ``repeats`` times to every path; wall and CPU seconds per request."""
    common.django_setup()
    from django.test import Client
    from haystack import connections

    from articles.models import Article

    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fa")
    client.get("/search/", {"q": "ایران"})  # open the index once
    rng = random.Random(int(seed))
    queries = common.read_queries()
    figures: dict[str, dict] = {}
    for _ in range(int(repeats)):
        for kind, param_sets in kinds(rng, queries).items():
            entry = figures.setdefault(kind, {"wall": [], "cpu": [], "statuses": Counter(), "errors": []})
            for params in param_sets:
                for path in PATHS:
                    wall, cpu = time.perf_counter(), time.process_time()
                    response = client.get(path, params)
                    entry["wall"].append(time.perf_counter() - wall)
                    entry["cpu"].append(time.process_time() - cpu)
                    entry["statuses"][response.status_code] += 1
                    if response.status_code >= 500:
                        entry["errors"].append(f"{response.status_code} {path} {json.dumps(params, ensure_ascii=False)[:200]}")
    with connections["default"].get_backend().searcher() as searcher:
        indexed = searcher.doc_count()
    return {
        "articles": Article.objects.count(), "indexed": indexed,
        "kinds": {kind: {"requests": len(e["wall"]), "median_ms": statistics.median(e["wall"]) * 1000,
                         "slowest_ms": max(e["wall"]) * 1000, "slowest_cpu_ms": max(e["cpu"]) * 1000,
                         "statuses": dict(sorted(e["statuses"].items())), "errors": e["errors"]}
                  for kind, e in figures.items()},
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "_measure":
        print(json.dumps(step_measure(*sys.argv[2:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=5000, help="articles to import (default 5000)")
    parser.add_argument("--corpora", type=Path, default=corpora.DEFAULT_CORPORA)
    parser.add_argument("--repeats", type=int, default=3, help="passes over every kind")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--reuse", type=Path, help="a folder kept by --keep (or made by search_speed.py)")
    args = parser.parse_args()
    workdir = args.reuse or Path(tempfile.mkdtemp(prefix="newsportal-hostile-bench-"))
    env = {**common.django_env(workdir, "portal"), "SEARCH_RANKINGS_KEPT": "0", "PAGE_CACHE_SECONDS": "0",
           "DJANGO_ALLOWED_HOSTS": "testserver"}
    try:
        if not args.reuse:
            corpora.write_feeds(workdir / "feeds", corpora.iter_articles(args.corpora, args.limit))
            common.migrate(env)
            imported = run.run_step("import", str(workdir / "feeds"), "bulk", env=env)
            print(f"imported {imported['created']} articles in {imported['import_seconds']:.0f} s", flush=True)
        done = subprocess.run([common.PYTHON, __file__, "_measure", str(args.repeats), str(args.seed)], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            sys.exit(f"measuring failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if not (args.keep or args.reuse):
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"{result['articles']} articles, {result['indexed']} indexed; paths: {', '.join(PATHS)}")
    print(f"{'kind':36} {'requests':>8} {'median ms':>10} {'slowest ms':>11} {'CPU ms':>8}  statuses")
    errors = []
    for kind, k in result["kinds"].items():
        statuses = " ".join(f"{code}×{n}" for code, n in k["statuses"].items())
        print(f"{kind:36} {k['requests']:8} {k['median_ms']:10.0f} {k['slowest_ms']:11.0f} {k['slowest_cpu_ms']:8.0f}  {statuses}")
        errors += k["errors"]
    slowest = max(result["kinds"].items(), key=lambda kv: kv[1]["slowest_ms"])
    print(f"slowest request: {slowest[1]['slowest_ms']:.0f} ms ({slowest[0]}); 5xx: {len(errors)}")
    for line in errors:
        print("  " + line)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
