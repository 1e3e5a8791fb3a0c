"""The corpora as ONE JSON Lines feed, imported with one command: articles/s and peak memory.

    .venv/bin/python bench/import_feed.py [--limit N] [--corpora PATH] [--link] [--keep] [--tmp DIR]

Writes every article of the shared corpora (``bench/corpora.py``; about
48,000, 144 MB) into a single ``feed.jsonl``, then imports it in a process
of its own through what ``manage.py import_articles feed.jsonl`` runs
(``articles.importcli.run_import``: the feed streamed line by line, written
in batches, indexed as it goes by ``search.whoosh.bulk``'s worker processes) into a
temp SQLite database and a temp Whoosh index.  Entity linking is left out,
as in ``bench/run.py``'s import figure (``--link`` links as the import goes,
as ``make run`` does).  Prints the articles per second, the exit status and
the peak resident memory of the import process and of its index workers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpora  # noqa: E402
from common import django_env, migrate, peak_rss_mb  # noqa: E402


def write_feed(path: Path, articles) -> int:
    """Every article as one line of ``path``; return the count."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for item in articles:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
    return count


def step_import(feed: str, link: bool) -> dict:
    """Run in the import's own process: the command's function on the one feed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")
    import django

    django.setup()
    from articles.importcli import run_import
    from articles.models import Article

    start = time.perf_counter()
    status = run_import([feed], stdout=sys.stderr, stderr=sys.stderr, quiet_files=True, progress_seconds=30,
                        link=link)
    seconds = time.perf_counter() - start
    return {
        "status": status, "seconds": seconds, "created": Article.objects.count(),
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=Path(os.environ.get("CORPORA", corpora.DEFAULT_CORPORA)))
    parser.add_argument("--limit", type=int, help="at most this many articles (a quick run)")
    parser.add_argument("--link", action="store_true", help="link people and events as the import goes")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--tmp", type=Path, default=None, help="where the work folder goes")
    parser.add_argument("--step-import", metavar="FEED", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step_import:
        print(json.dumps(step_import(args.step_import, args.link)))
        return

    workdir = Path(tempfile.mkdtemp(prefix="newsportal-import-feed-", dir=args.tmp))
    try:
        feed = workdir / "feed.jsonl"
        count = write_feed(feed, corpora.iter_articles(args.corpora, args.limit))
        size_mb = feed.stat().st_size / 1e6
        print(f"{count:,} articles, one feed of {size_mb:,.1f} MB → {feed}", flush=True)
        env = django_env(workdir, "portal")
        migrate(env)
        command = [sys.executable, str(Path(__file__).resolve()), "--step-import", str(feed)]
        if args.link:
            command.append("--link")
        done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rate = result["created"] / result["seconds"]
        print(f"imported {result['created']:,} of {count:,} in {result['seconds']:,.1f} s: {rate:,.0f} articles/s "
              f"(goal ≥ 500){' with entity linking' if args.link else ''}; exit status {result['status']}")
        print(f"peak memory: import {result['peak_rss_mb']:,.0f} MB, its index workers {result['worker_peak_rss_mb']:,.0f} MB "
              "(goal < 1,000 MB)")
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
