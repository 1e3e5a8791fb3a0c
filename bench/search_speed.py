"""Focused timings for the search and index work of issue 7 (quicker than ``run.py``).

    .venv/bin/python bench/search_speed.py WORKDIR [--limit 2000] [--repeats 3] [--reindex]

The first run converts ``--limit`` corpus articles and imports them in bulk
(``run.py``'s import step) into WORKDIR; later runs reuse it, so a change to
the search code is timed on the same data (``--reindex`` rebuilds the index
only, for a change to the index layout).  It prints JSON: import and
``update_index`` seconds, index size, and ``run_search`` p50/p95 for the
100 queries of ``queries.txt`` with each hit's snippet and title rendered,
as a result page does.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import run  # noqa: E402


def step_search(queries_file: str, repeats: str) -> dict:
    """``run_search`` as the result page uses it: snippets and titles rendered."""
    run._django()
    from search.query import SearchParams, run_search

    def run_one(q):
        result = run_search(SearchParams.from_query_dict({"q": q}, page_size=10))
        for hit in result.hits:
            hit.snippet, hit.title_html  # noqa: B018 - rendering is what is timed
        return result.count

    return run.timed_queries(run_one, run.read_queries(Path(queries_file)), int(repeats))


def step_reindex() -> dict:
    run._django()
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("rebuild_index", interactive=False, verbosity=0, batchsize=1000)
    return {"index_seconds": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reindex", action="store_true", help="rebuild the index of an existing WORKDIR")
    parser.add_argument("--corpora", type=Path, default=run.corpora.DEFAULT_CORPORA)
    args = parser.parse_args()
    env = run.django_env(args.workdir, "portal")
    results = {}
    if not (args.workdir / "feeds").exists():
        args.workdir.mkdir(parents=True, exist_ok=True)
        _, results["articles"] = run.corpora.write_feeds(
            args.workdir / "feeds", run.corpora.iter_articles(args.corpora, args.limit))
        run.migrate(env)
        results["import"] = run.run_step("import", str(args.workdir / "feeds"), "bulk", env=env)
    elif args.reindex:
        results["reindex"] = _child(["reindex"], env)
    results["index_mb"] = run.dir_mb(Path(env["SEARCH_INDEX_PATH"]))
    results["search"] = _child(["search", str(run.QUERIES), str(args.repeats)], env)
    print(json.dumps(results, indent=1))


def _child(args: list[str], env: dict) -> dict:
    done = subprocess.run([run.PYTHON, __file__, "_step", *args], env=env, cwd=run.ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if sys.argv[1:2] == ["_step"]:
        step = {"search": step_search, "reindex": step_reindex}[sys.argv[2]]
        print(json.dumps(step(*sys.argv[3:])))
    else:
        main()
