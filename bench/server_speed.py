"""The search API's latency under ``make run``'s server and under gunicorn, on one index.

    .venv/bin/python bench/server_speed.py [--articles 5000] [--repeats 3] [--workdir DIR] [--corpora PATH]

Converts ``--articles`` corpus articles to feeds and imports them (``run.py``'s
import step, indexed as it goes) into a temporary folder (or ``--workdir``,
kept and reused), then serves that database and index twice on 127.0.0.1:

* ``runserver``: Django's development server as ``make run`` starts it,
  a new thread per request;
* ``gunicorn``: the production config (``newsportal/gunicorn.conf.py``,
  sync workers).

One client asks ``/api/search/`` for each query of ``queries.txt``, one
request at a time: a first pass (the server's first searches), then
``--repeats`` timed passes.  Every search is computed (no kept rankings, no
page cache).  Prints p50/p95 in milliseconds per server, as JSON, and the
gunicorn workers' memory after those searches (``common.Gunicorn.workers_memory``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import common  # noqa: E402
import corpora  # noqa: E402
import run  # noqa: E402


class Runserver(common.Gunicorn):
    """``manage.py runserver`` (threaded, no autoreload) on 127.0.0.1, stopped on exit."""

    def __init__(self, env: dict):
        self.port = common.free_port()
        self.process = subprocess.Popen(
            [common.PYTHON, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=env, cwd=common.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )


def web_env(env: dict) -> dict:
    """Production settings over plain HTTP, every search computed."""
    return {**env, "DJANGO_SETTINGS_MODULE": "newsportal.settings_production", "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "PAGE_CACHE_SECONDS": "0", "SEARCH_RANKINGS_KEPT": "0",
            "PAGE_CACHE_STAMP": env["SEARCH_INDEX_PATH"] + ".stamp",
            "PAGE_CACHE_PATH": env["SEARCH_INDEX_PATH"] + ".pages"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--workdir", type=Path, help="keep the data here (reused when it exists)")
    parser.add_argument("--corpora", type=Path, default=corpora.DEFAULT_CORPORA)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsportal-server-speed-"))
    results = {}
    try:
        env = common.django_env(workdir, "portal")
        if not (workdir / "feeds").exists():
            workdir.mkdir(parents=True, exist_ok=True)
            _, results["articles"] = corpora.write_feeds(
                workdir / "feeds", corpora.iter_articles(args.corpora, args.articles))
            common.migrate(env)
            results["import"] = run.run_step("import", str(workdir / "feeds"), "bulk", env=env)
        paths = ["/api/search/?page_size=10&q=" + urllib.parse.quote(q) for q in common.read_queries()]
        for name, server in (("runserver", lambda: Runserver({**env, "DJANGO_DEBUG": "0"})),
                             ("gunicorn", lambda: common.Gunicorn(web_env(env), args.workers))):
            print(f"  … {name} on 127.0.0.1", flush=True)
            started = time.monotonic()
            with server() as serving:
                results[name] = common.http_latency(serving.port, paths, args.repeats)
                if name == "gunicorn":
                    results[name]["workers_memory_mb"] = serving.workers_memory()
            results[name]["seconds"] = round(time.monotonic() - started, 1)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
