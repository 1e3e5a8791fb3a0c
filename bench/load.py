"""Bounded load test on loopback: mixed search and article pages, counting errors (issue 8).

    .venv/bin/python bench/load.py [--seconds 60] [--connections 32] [--workers 2] [--feeds DIR]

Imports the seeds (and any JSONL feeds given, e.g. from ``bench/corpora.py``)
into a throw-away SQLite database and Whoosh index, serves them with
gunicorn (the project's config, 127.0.0.1 only) and runs ``--connections``
clients cycling through article pages, lists, the API, search feeds,
suggestions and the search page (if the site has one) until the deadline.
Prints requests/s and errors (any answer but 200).  The suite's slow test
``tests/articles/test_concurrency.py::test_load_mixed_pages_without_errors`` asserts
the same zero errors; this script gives the figures.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

from common import PYTHON, ROOT, Gunicorn, django_env, get, http_load, migrate

WORDS = ["آذربایجان", "قره باغ", "أذربيجان", "باكو", "وزیر امور خارجه", "ایران", "روسيا"]


def paths_to_load(port: int) -> list[str]:
    _, body = get(port, "/articles/")
    articles = sorted(set(re.findall(r'href="(/articles/\d+/[^"]+)"', body.decode())))
    api = [re.sub(r"^/articles/(\d+)/.*", r"/api/articles/\1/", a) for a in articles]
    words = [urllib.parse.quote(w) for w in WORDS]
    search = [f"/search/?q={w}" for w in words] if get(port, "/search/?q=x")[0] == 200 else []
    return [*articles, *api, "/", "/articles/", *search, *[f"/search/feed/?q={w}" for w in words],
            *[f"/api/suggest/?q={w[:12]}" for w in words]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--feeds", help="folder of JSONL feeds to import as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsportal-load-") as workdir:
        env = {**django_env(Path(workdir), "load"), "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "load-test-" + "x" * 50}
        migrate(env)
        sources = [str(ROOT / "seeds"), *([args.feeds] if args.feeds else [])]
        subprocess.run([PYTHON, "manage.py", "import_articles", "--quiet-files", *sources],
                       env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        with Gunicorn(env, args.workers) as server:
            paths = paths_to_load(server.port)
            result = http_load(server.port, paths, args.connections, args.seconds)
    print(f"{args.connections} connections, {args.seconds:.0f} s, {args.workers} gunicorn workers, "
          f"{len(paths)} distinct URLs: {result['requests']} requests, {result['rps']:.1f} requests/s, "
          f"{result['errors']} errors")


if __name__ == "__main__":
    main()
