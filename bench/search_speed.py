"""Focused timings for the search and index work of issue 7 (quicker than ``run.py``).

    .venv/bin/python bench/search_speed.py WORKDIR [--limit 2000] [--repeats 3] [--reindex]

The first run converts ``--limit`` corpus articles and imports them in bulk
(``run.py``'s import step, indexing as it goes) into WORKDIR; later runs
reuse it, so a change to the search code is timed on the same data
(``--reindex`` rebuilds the index only, for a change to the index layout).
It prints JSON: import and rebuild seconds, index size, and ``run_search``
p50/p95 for the 100 queries of ``queries.txt`` with each hit's snippet and
title rendered, as a result page does, every search computed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import common  # noqa: E402
import corpora  # noqa: E402
import run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reindex", action="store_true", help="rebuild the index of an existing WORKDIR")
    parser.add_argument("--corpora", type=Path, default=corpora.DEFAULT_CORPORA)
    args = parser.parse_args()
    env = common.django_env(args.workdir, "portal")
    results = {}
    if not (args.workdir / "feeds").exists():
        args.workdir.mkdir(parents=True, exist_ok=True)
        _, results["articles"] = corpora.write_feeds(
            args.workdir / "feeds", corpora.iter_articles(args.corpora, args.limit))
        common.migrate(env)
        results["import"] = run.run_step("import", str(args.workdir / "feeds"), "bulk", env=env)
    elif args.reindex:
        results["reindex"] = run.run_step("rebuild", env=env)
    results["index_mb"] = common.dir_mb(Path(env["SEARCH_INDEX_PATH"]))
    results["search"] = run.run_step("search", str(common.QUERIES), str(args.repeats),
                                     env={**env, "SEARCH_RANKINGS_KEPT": "0"})
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
