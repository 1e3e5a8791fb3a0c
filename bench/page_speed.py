"""Requests/s of the public pages under gunicorn: rendered on every request and from the page cache.

    .venv/bin/python bench/page_speed.py [--articles 48000] [--seconds 5] [--repeats 3] [--connections 16]

1. Builds, once (later runs reuse it), a throw-away SQLite database of
   ``--articles`` articles from the shared corpora in ``--workdir`` (default:
   one folder per size in the temp dir): ``bulk_create`` with the fields the
   importer sets, the original line kept as ``raw`` as the importer keeps it,
   then the knowledge base, and the entity linker and near-duplicate finder
   over every article (what saving one runs after its commit), so person,
   event and article pages have their links.  No search index: these pages
   never read it.  About 15 minutes for 48k articles on 2 busy cores.
2. Serves it with gunicorn exactly as production does (``-c
   newsportal/gunicorn.conf.py``, ``--workers`` workers, production settings
   with a bench secret key, plain HTTP on 127.0.0.1 only), first with
   ``PAGE_CACHE_SECONDS=0`` (every request rendered), then with the page
   cache on (each address asked once beforehand, as readers would have).
3. Loads each page group with ``--connections`` clients for ``--seconds``,
   ``--repeats`` times, and prints the median requests/s, the errors (any
   answer but 200, and socket errors), and the server's CPU time per request
   (gunicorn's processes, from /proc: on a machine shared with other work it
   says more than requests/s, which the other work takes its share of).  The load
   generator is Debian's ``wrk`` (``apt-get install wrk``: C, so the client
   leaves the cores to the server); without it, ``bench/run.py``'s Python
   thread pool, which takes a good share of a 2-core machine itself.

Page groups (``--pages``): the article page (``--paths`` different articles
in turn), the home page, the article list (its first pages, the languages,
a middle and the last page), and the pages of the most mentioned people and
events.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpora
from common import PYTHON, ROOT, WRK, Gunicorn, get, load

SECRET = "bench-only-secret-key-" + "x" * 40


def site_env(workdir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'pages.sqlite3'}",
        "SEARCH_INDEX_PATH": str(workdir / "index"),
        "DJANGO_SETTINGS_MODULE": "newsportal.settings",
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


def build(env: dict, limit: int, corpora_root: Path) -> None:
    """Fill the empty database: articles from the corpora, the knowledge base, entity links."""
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([PYTHON, __file__, "_fill", str(limit), str(corpora_root)], env=env, cwd=ROOT, check=True)


def fill(limit: int, corpora_root: Path) -> None:
    """(In the child process.)  ``bulk_create`` the articles, then link and compare them as saving them would."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils.text import slugify

    from articles.dates import DEFAULT_TIME_ZONES, parse_date
    from articles.duplicates import update_duplicates
    from articles.models import Article, Source
    from articles.text import normalize_key
    from entities.knowledge import load_knowledge_base
    from entities.linker import link_article

    start = time.monotonic()
    sources: dict[str, Source] = {}

    def source(name: str) -> Source | None:
        key = normalize_key(name or "")
        if key and key not in sources:
            sources[key] = Source.objects.create(name=name[:200], slug=f"{slugify(name, allow_unicode=True)[:180]}-{len(sources)}")
        return sources.get(key)

    batch = []
    for item in corpora.iter_articles(corpora_root, limit):
        language = item["language"]
        date = parse_date(item["published"], DEFAULT_TIME_ZONES[language]) if item.get("published") else None
        batch.append(Article(
            title=item["title"][:500], slug=slugify(item["title"], allow_unicode=True)[:200].strip("-") or "article",
            lead=item.get("lead", ""), body=item["body"], language=language, status=Article.Status.PUBLISHED,
            published=date.value if date else None, date_only=date.date_only if date else False,
            source=source(item.get("source", "")), external_id=str(item.get("id", ""))[:200],
            url=item.get("url", "")[:1000], raw=json.dumps(item, ensure_ascii=False).encode(), raw_encoding="utf-8",
        ))
        if len(batch) == 2000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    print(f"  {Article.objects.count()} articles in {time.monotonic() - start:.0f} s", flush=True)
    load_knowledge_base(relink=False)
    with transaction.atomic():
        for article in Article.objects.iterator(chunk_size=500):  # what each save runs after its commit
            link_article(article)
            update_duplicates(article)
    print(f"  linked and compared in {time.monotonic() - start:.0f} s", flush=True)


def page_groups(env: dict, paths_per_group: int) -> dict[str, list[str]]:
    """The addresses of each page group, chosen evenly over the whole database."""
    script = """
import json
import sys
import django
django.setup()
from django.db.models import Count
from articles.models import Article
from entities.models import Event, Person
n = int(sys.argv[1])
ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
chosen = Article.objects.filter(pk__in=ids[:: max(1, len(ids) // n)][:n]).only("pk", "slug")
articles = [a.get_absolute_url() for a in chosen]
pages = max(1, len(ids) // 20)
lists = ["/articles/", "/articles/?lang=fa", "/articles/?lang=ar", *[f"/articles/?page={p}" for p in range(2, 12)],
         f"/articles/?page={pages // 2}", f"/articles/?page={pages}"]
def linked(model):
    counted = model.objects.annotate(n=Count("article_links")).filter(n__gt=0).order_by("-n")
    return [e.get_absolute_url() for e in counted[:20]]
print(json.dumps({"article": articles, "home": ["/"], "list": lists, "person": linked(Person), "event": linked(Event)}))
"""
    done = subprocess.run([PYTHON, "-c", script, str(paths_per_group)], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return {name: paths for name, paths in json.loads(done.stdout.strip().splitlines()[-1]).items() if paths}


def measure(env: dict, groups: dict[str, list[str]], args, cache_seconds: int, workdir: Path) -> dict:
    """Serve the database with gunicorn and load each page group; the medians per group."""
    mode = "cached" if cache_seconds else "uncached"
    shutil.rmtree(workdir / f"{mode}-pages", ignore_errors=True)
    web_env = {
        **env, "DJANGO_SETTINGS_MODULE": "newsportal.settings_production", "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PAGE_CACHE_SECONDS": str(cache_seconds), "PAGE_CACHE_PATH": str(workdir / f"{mode}-pages"),
        "PAGE_CACHE_STAMP": str(workdir / f"{mode}-stamp"),
    }
    figures = {}
    with Gunicorn(web_env, args.workers) as server:
        for name, paths in groups.items():
            for path in paths:  # warm: the page cache, and the database's pages in the OS cache
                status, _ = get(server.port, path)
                if status != 200:
                    raise RuntimeError(f"{path}: {status}")
            runs = [load(server, paths, args.connections, args.seconds) for _ in range(args.repeats)]
            figures[name] = {key: statistics.median(r[key] for r in runs) for key in ("rps", "cpu_ms")}
            figures[name]["errors"] = sum(r["errors"] for r in runs)
            if runs[0]["p50_ms"] is not None:
                figures[name]["p50_ms"] = statistics.median(r["p50_ms"] for r in runs)
            print(f"  {mode:8} {name:8} {figures[name]['rps']:8.1f} req/s  {figures[name]['cpu_ms']:6.2f} ms CPU/request"
                  f"  errors {figures[name]['errors']}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=48000, help="articles in the database (at most the corpora's)")
    parser.add_argument("--workdir", type=Path, help="where the database lives (reused when it is there)")
    parser.add_argument("--corpora", type=Path, default=Path(os.environ.get("CORPORA", corpora.DEFAULT_CORPORA)))
    parser.add_argument("--seconds", type=int, default=5, help="length of one load (keep it ≤ 20)")
    parser.add_argument("--repeats", type=int, default=3, help="loads per page group; the median is shown")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--paths", type=int, default=300, help="different articles the article load cycles through")
    parser.add_argument("--pages", default="article,home,list,person,event", help="page groups to load, comma-separated")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.gettempdir()) / f"newsportal-page-speed-{args.articles}"
    workdir.mkdir(parents=True, exist_ok=True)
    env = site_env(workdir)
    if not (workdir / "built").exists():
        print(f"building {args.articles} articles in {workdir}", flush=True)
        (workdir / "pages.sqlite3").unlink(missing_ok=True)
        build(env, args.articles, args.corpora)
        (workdir / "built").touch()
    groups = {name: paths for name, paths in page_groups(env, args.paths).items() if name in args.pages.split(",")}
    print(f"load: {'wrk' if WRK else 'Python threads'}, {args.connections} connections, {args.seconds:g} s × "
          f"{args.repeats}, {args.workers} gunicorn workers; load average before {os.getloadavg()[0]:.2f}", flush=True)
    results = {"uncached": measure(env, groups, args, 0, workdir), "cached": measure(env, groups, args, 60, workdir)}
    results["load_average_after"] = os.getloadavg()[0]
    print(f"{'page':10}{'uncached req/s':>16}{'cached req/s':>14}{'CPU ms/request':>20}{'errors':>8}")
    for name in groups:
        uncached, cached = results["uncached"][name], results["cached"][name]
        cpu = f"{uncached['cpu_ms']:.2f} / {cached['cpu_ms']:.2f}"
        print(f"{name:10}{uncached['rps']:16.1f}{cached['rps']:14.1f}{cpu:>20}{uncached['errors'] + cached['errors']:8d}")
    print(f"load average after {results['load_average_after']:.2f} (CPU ms/request: the server's, uncached / cached)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["_fill"]:
        fill(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
