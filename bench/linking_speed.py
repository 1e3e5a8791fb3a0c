"""Entity linking and near-duplicate detection, in ms per article, in batches and one by one.

    .venv/bin/python bench/linking_speed.py [--existing 5000] [--batch 500] [--batches 3] [--single 50]
                                            [--corpora ../shared/corpora] [--dump FILE] [--keep]
                                            [--database-url postgres://…/EMPTY_DATABASE] [--language fa|ar]

In a throw-away SQLite database (``DATABASE_URL``; ``--database-url`` names
an empty one to fill instead, e.g. on PostgreSQL) and search index folder
(``SEARCH_INDEX_PATH``) it loads the knowledge base, creates ``--existing``
corpus articles with ``bulk_create`` (so no signal links them) and links them
with ``process_articles`` in batches: the timed work then meets a database
that already holds articles, links and fingerprints.  On articles it has not
seen yet, it times

* ``process_articles`` on ``--batches`` batches of ``--batch`` new articles
  (what a bulk import runs);
* the same batches again (a relink: automatic links replaced, fingerprints
  recomputed, as after ``load_knowledge_base``);
* ``process_article`` on ``--single`` new articles one at a time (an editor's save);

and prints ms/article (the median of the batches, their range; wall clock
and this process's CPU time, which other work on a busy machine disturbs
less) and the SQL statements each call ran, with the CPU the name recogniser
(``entities.names.find_names`` and ``find_names_in``), people discovery (keying, storing and
grouping the names, ``entities.people``) and the gazetteer (known people and events, candidate names:
``entities.linker.find_entities``) took of it.  ``--language`` takes only that language's
articles.  Then, for the people discovered
in all these articles: how many groups, how many joined Persian and Arabic
spellings, how many people got a page (``--min-articles``, the setting
``PEOPLE_MIN_ARTICLES``), the most-named, and ``--sample`` random groups
with both scripts to check by hand.  ``--dump FILE`` writes every
article's people, events, candidate names and near-duplicates (by corpus
id) as JSON, to compare the results of two versions of the code.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpora  # noqa: E402


def setup_django(workdir: Path, database_url: str | None = None) -> None:
    """Point Django at a fresh database (a SQLite file under ``workdir`` unless
    ``database_url`` is given) and index, migrated, with the knowledge base."""
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["SEARCH_INDEX_PATH"] = str(workdir / "index")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsportal.settings"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    from entities.knowledge import load_knowledge_base

    call_command("migrate", verbosity=0)
    load_knowledge_base(relink=False)


def create_articles(items: list[dict]) -> list[int]:
    """Published articles for corpus feed dicts, written with ``bulk_create``; their pks in order."""
    from articles.dates import DEFAULT_TIME_ZONES, parse_date
    from articles.models import Article

    rows = []
    for item in items:
        language = item["language"]
        date = parse_date(item["published"], DEFAULT_TIME_ZONES[language]) if item.get("published") else None
        rows.append(Article(
            title=(item.get("title") or "")[:500], lead=item.get("lead") or "", body=item.get("body") or "",
            language=language, status=Article.Status.PUBLISHED, published=date.value if date else None,
            external_id=str(item.get("id") or "")[:200],
        ))
    return [a.pk for a in Article.objects.bulk_create(rows, batch_size=500)]


def timed(func, *args) -> tuple[float, float, int]:
    """Seconds ``func(*args)`` took (wall clock, CPU) and the number of SQL statements it ran."""
    from django.db import connection

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start, cpu = time.perf_counter(), time.process_time()
        func(*args)
        return time.perf_counter() - start, time.process_time() - cpu, statements


def batches(pks: list[int], size: int) -> list[list[int]]:
    return [pks[i:i + size] for i in range(0, len(pks), size)]


def per_article(samples: list[tuple[float, float, int]], size: int) -> str:
    wall = [1000 * seconds / size for seconds, _, _ in samples]
    cpu = [1000 * seconds / size for _, seconds, _ in samples]
    statements = [n for _, _, n in samples]
    return (f"{statistics.median(wall):7.2f} ms/article (range {min(wall):.2f}–{max(wall):.2f}), "
            f"CPU {statistics.median(cpu):.2f} ms/article; SQL statements per call: "
            f"median {statistics.median(statements):g}, max {max(statements)}")


def dump(path: Path) -> None:
    """Each article's linked people and events, candidate names and near-duplicates, by corpus id."""
    from articles.models import Article, NearDuplicate
    from entities.models import ArticleEvent, ArticlePerson, EntityCandidate

    ids = dict(Article.objects.values_list("pk", "external_id"))
    out = {i: {"people": [], "events": [], "candidates": [], "duplicates": []} for i in ids.values()}
    for model, key, field in ((ArticlePerson, "people", "person__slug"), (ArticleEvent, "events", "event__slug")):
        for article, slug, count, positions in model.objects.values_list("article_id", field, "count", "positions"):
            out[ids[article]][key].append([slug, count, positions])
    for article, name in EntityCandidate.articles.through.objects.values_list("article_id", "entitycandidate__key"):
        out[ids[article]]["candidates"].append(name)
    for first, second, share in NearDuplicate.objects.values_list("first_id", "second_id", "containment"):
        out[ids[first]]["duplicates"].append([ids[second], round(share, 6)])
        out[ids[second]]["duplicates"].append([ids[first], round(share, 6)])
    for found in out.values():
        for value in found.values():
            value.sort()
    path.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")


class CpuClock:
    """CPU time spent in the name recogniser and in people discovery, by wrapping their functions."""

    PARTS = {"recogniser": [("entities.names", "find_names"), ("entities.names", "find_names_in")],
             "discovery": [("entities.people", "mentions_in"), ("entities.people", "store_mentions"),
                           ("entities.people", "regroup"), ("entities.people", "people_in")],
             "gazetteer": [("entities.linker", "find_entities")]}

    def __init__(self):
        import importlib

        self.spent = {}
        for part, targets in self.PARTS.items():
            for module_name, name in targets:
                module = importlib.import_module(module_name)
                setattr(module, name, self._wrap(part, getattr(module, name)))
        self.depth = 0

    def _wrap(self, part, func):
        def timed_call(*args, **kwargs):
            if self.depth:  # regroup calls itself: count the outer call only
                return func(*args, **kwargs)
            self.depth += 1
            start = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                self.depth -= 1
                self.spent[part] = self.spent.get(part, 0.0) + time.process_time() - start
        return timed_call

    def reset(self):
        self.spent = {}

    def report(self, articles: int) -> str:
        return ", ".join(f"{part} {1000 * seconds / articles:.2f}" for part, seconds in sorted(self.spent.items()))


def people_report(minimum: int, sample: int) -> None:
    """How many people discovery gathered and gave pages; a sample of Persian/Arabic merges to check by hand."""
    import random

    from django.db.models import Count, Q

    from entities.models import Person, PersonCandidate

    groups = PersonCandidate.objects.filter(article_count__gt=0)
    both = [c for c in groups.filter(article_count__gte=2) if len(c.spellings) == 2]
    counted = Person.objects.annotate(n=Count("article_links__article", distinct=True, filter=~Q(article_links__origin="rejected")))
    pages = counted.filter(gathered=True, hidden=False, n__gte=minimum)
    known = counted.filter(gathered=False, n__gt=0)
    print(f"people: {groups.count()} name groups, {len(both)} with Persian and Arabic spellings (2+ articles); "
          f"{pages.count()} gathered people with a page (>= {minimum} articles), {known.count()} known people named")
    print("most named (gathered and known):")
    for person in counted.filter(hidden=False).order_by("-n", "pk")[:20]:
        spellings = {lang: sorted(s) for c in person.candidates.all() for lang, s in c.spellings.items()}
        print(f"  {person.n:5d}  {person.name_fa} / {person.name_ar}{'' if person.gathered else ' (known)'}  {spellings}")
    print(f"{min(sample, len(both))} random groups joining Persian and Arabic spellings, to check by hand:")
    for candidate in random.Random(0).sample(both, min(sample, len(both))):
        print(f"  {candidate.article_counts}  fa {candidate.spellings['fa']}  ar {candidate.spellings['ar']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=5000, help="articles linked before the timing")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--single", type=int, default=50, help="articles linked one at a time")
    parser.add_argument("--corpora", type=Path, default=corpora.DEFAULT_CORPORA)
    parser.add_argument("--dump", type=Path, help="write the links found, as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--database-url", help="an empty database to use instead of a SQLite file (not emptied afterwards)")
    parser.add_argument("--min-articles", type=int, default=3, help="PEOPLE_MIN_ARTICLES: articles naming someone before a page")
    parser.add_argument("--sample", type=int, default=20, help="groups with both scripts printed to check by hand")
    parser.add_argument("--language", choices=("fa", "ar"), help="only this language's articles")
    args = parser.parse_args()
    os.environ["PEOPLE_MIN_ARTICLES"] = str(args.min_articles)
    if not args.corpora.exists():
        sys.exit(f"no corpora at {args.corpora}")
    workdir = Path(tempfile.mkdtemp(prefix="newsportal-linking-"))
    try:
        setup_django(workdir, args.database_url)
        from entities.steps import process_article, process_articles

        clock = CpuClock()

        wanted = args.existing + args.batches * args.batch + args.single
        items = corpora.iter_articles(args.corpora, None if args.language else wanted)
        items = list(itertools.islice((i for i in items if args.language in (None, i["language"])), wanted))
        pks = create_articles(items)
        existing, timed_pks = pks[:args.existing], pks[args.existing:]
        start = time.perf_counter()
        for chunk in batches(existing, args.batch):
            process_articles(chunk)
        fill = time.perf_counter() - start
        print(f"{len(items)} corpus articles; {len(existing)} linked first in {fill:.1f} s "
              f"({1000 * fill / max(1, len(existing)):.2f} ms/article)")
        new = batches(timed_pks[:args.batches * args.batch], args.batch)
        singles = timed_pks[args.batches * args.batch:]
        clock.reset()
        first = [timed(process_articles, chunk) for chunk in new]
        print(f"process_articles, {len(new)} batches of {args.batch} new articles:  {per_article(first, args.batch)}")
        print(f"  of which, CPU ms/article: {clock.report(len(new) * args.batch)}")
        clock.reset()
        again = [timed(process_articles, chunk) for chunk in new]
        print(f"process_articles, the same batches again:        {per_article(again, args.batch)}")
        print(f"  of which, CPU ms/article: {clock.report(len(new) * args.batch)}")
        one = [timed(process_article, pk) for pk in singles]
        print(f"process_article, {len(one)} new articles one at a time:   {per_article(one, 1)}")
        people_report(args.min_articles, args.sample)
        if args.dump:
            dump(args.dump)
    finally:
        if args.keep:
            print(f"work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
