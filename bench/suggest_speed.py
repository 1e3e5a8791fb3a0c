"""How fast suggestions answer, on a real corpus: one keystroke at a time.

    .venv/bin/python bench/suggest_speed.py [--limit N] [--corpora PATH] [--keep] [--reuse DIR]

Imports ``--limit`` articles of the shared corpora (Persian and Arabic
interleaved) through the bulk path of ``bench/run.py`` into a throw-away
SQLite database and Whoosh index, then types the first words of 300 real
titles one letter at a time (Persian typed with ی/ک, so the folding is
exercised) and times ``search.suggest.suggest`` for every prefix of
two letters or more, in-process and warm.  Prints p50/p95/max in ms and how
many prefixes found the title they were typed from.  ``--keep`` leaves the
work folder; ``--reuse DIR`` measures a kept one again without importing.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import common  # noqa: E402
import corpora  # noqa: E402
import run  # noqa: E402

from articles.text import persian_letters  # noqa: E402

TITLES = 300
WORDS_TYPED = 3


def keystrokes(title: str) -> list[str]:
    """Every prefix a reader types on the way to the first words of ``title``."""
    typed = " ".join(persian_letters(title).split()[:WORDS_TYPED])
    return [typed[:n] for n in range(2, len(typed) + 1) if not typed[n - 1].isspace()]


def step_measure(seed: str) -> dict:
    common.django_setup()
    from haystack.query import SearchQuerySet

    from search.suggest import suggest

    everything = SearchQuerySet().all()  # the titles that can be suggested
    titles = sorted(result.title for result in everything[:everything.count()])
    random.Random(int(seed)).shuffle(titles)
    samples, found, typed = [], 0, 0
    suggest("ایران")  # open the index once
    for title in titles[:TITLES]:
        prefixes = keystrokes(title)
        for prefix in prefixes:
            start = time.perf_counter()
            result = suggest(prefix)
            samples.append(time.perf_counter() - start)
        typed += 1
        found += any(s.label == title for s in result)  # after the last keystroke
    return {
        **common.percentiles(samples), "max": max(samples) * 1000, "keystrokes": len(samples),
        "titles": typed, "title_found_after_typing": found, "articles": len(titles),
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "_measure":
        print(json.dumps(step_measure(sys.argv[2])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20000)
    parser.add_argument("--corpora", type=Path, default=corpora.DEFAULT_CORPORA)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", type=Path, help="a folder kept by --keep")
    args = parser.parse_args()
    workdir = args.reuse or Path(tempfile.mkdtemp(prefix="newsportal-suggest-bench-"))
    env = common.django_env(workdir, "portal")
    try:
        if not args.reuse:
            feeds = workdir / "feeds"
            corpora.write_feeds(feeds, corpora.iter_articles(args.corpora, args.limit))
            common.migrate(env)
            imported = run.run_step("import", str(feeds), "bulk", env=env)
            print(f"articles imported: {imported['created']}  (import {imported['import_seconds']:.0f}s, "
                  f"index {imported['index_seconds']:.0f}s)")
        done = subprocess.run([common.PYTHON, __file__, "_measure", str(args.seed)], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=3600, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if not (args.keep or args.reuse):
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"articles in the index: {result['articles']}")
    print(f"keystrokes timed: {result['keystrokes']} over {result['titles']} titles")
    print(f"suggest latency:  p50 {result['p50']:.1f} ms  p95 {result['p95']:.1f} ms  max {result['max']:.1f} ms")
    print(f"typed title among the suggestions after its first {WORDS_TYPED} words: "
          f"{result['title_found_after_typing']}/{result['titles']}")


if __name__ == "__main__":
    main()
