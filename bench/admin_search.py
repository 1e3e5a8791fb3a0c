"""How fast and how well the admin's search finds articles typed on a Persian keyboard.

    .venv/bin/python bench/admin_search.py [--limit N] [--corpora PATH] [--queries N]

Puts ``--limit`` articles of the shared corpora (Persian and Arabic
interleaved, written with Arabic ي/ك as Hamshahri and Fars are) into a
throw-away SQLite database with ``bulk_create`` (no index, no linking), then
searches the article change list for words of real titles as an editor
types them (ی/ک, no diacritics), through ``ArticleAdmin.get_search_results``:
the portal's folded search over title, lead, body and source, and Django's
default ``icontains`` over the same fields for comparison.  Prints p50/p95
in ms and how many searches found the article whose title the word came from.
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

from articles.text import persian_letters  # noqa: E402


def typed(word: str) -> str:
    """A word as a Persian keyboard writes it."""
    return persian_letters(word)


def step_measure(feeds: str, seed: str, queries: str, fields: str) -> dict:
    common.django_setup()
    from django.contrib import admin
    from django.db.models import Q
    from django.test import RequestFactory

    from articles.models import Article

    Article.objects.bulk_create(
        (Article(title=item["title"][:500], body=item["body"], lead=item.get("lead", ""), language=item["language"],
                 status="published", import_key=f"bench:{n}") for n, item in enumerate(common.iter_feed_items(Path(feeds)))),
        batch_size=1000,
    )
    model_admin = admin.site._registry[Article]
    if fields:
        model_admin.search_fields = fields.split(",")
    request = RequestFactory().get("/admin/articles/article/")
    rows = list(Article.objects.values_list("pk", "title"))
    rng = random.Random(int(seed))
    picks = []
    for pk, title in rng.sample(rows, min(int(queries), len(rows))):
        words = [w for w in title.split() if len(w) >= 4 and w.isalpha()]
        if words:
            picks.append((pk, typed(rng.choice(words))))
    fields = [f.lstrip("^=@") for f in model_admin.search_fields]

    def folded(term):
        queryset, _ = model_admin.get_search_results(request, Article.objects.all(), term)
        return queryset

    def plain(term):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": term})
        return Article.objects.filter(condition)

    result = {"articles": len(rows), "queries": len(picks), "fields": ",".join(fields)}
    for name, search in (("folded", folded), ("icontains", plain)):
        samples, hits = [], 0
        for pk, term in picks:
            start = time.perf_counter()
            # what the change list does: count, then read the first page
            search(term).count()
            ids = set(search(term).values_list("pk", flat=True)[:5000])
            samples.append(time.perf_counter() - start)
            hits += pk in ids
        result[name] = {**common.percentiles(samples), "found": hits}
    return result


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "_measure":
        print(json.dumps(step_measure(*sys.argv[2:6])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10000)
    parser.add_argument("--corpora", type=Path, default=corpora.DEFAULT_CORPORA)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--database-url", help="an empty throw-away database instead of SQLite (e.g. PostgreSQL)")
    parser.add_argument("--fields", default="", help="search these fields instead of ArticleAdmin.search_fields, e.g. title,lead")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="newsportal-admin-search-bench-"))
    try:
        feeds = workdir / "feeds"
        corpora.write_feeds(feeds, corpora.iter_articles(args.corpora, args.limit))
        env = common.django_env(workdir, "portal")
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        common.migrate(env)
        done = subprocess.run([common.PYTHON, __file__, "_measure", str(feeds), str(args.seed), str(args.queries), args.fields],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"articles: {result['articles']}, searches: {result['queries']} (a title word typed with ی/ک)"
          f" in {result['fields']}")
    for name in ("folded", "icontains"):
        r = result[name]
        print(f"{name:>9}: p50 {r['p50']:.0f} ms  p95 {r['p95']:.0f} ms  found the article {r['found']}/{result['queries']}")


if __name__ == "__main__":
    main()
