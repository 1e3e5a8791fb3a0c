"""Scale and speed benchmark: the portal against raw Whoosh and tantivy, one command.

    .venv/bin/python bench/run.py [--limit N] [--corpora PATH] [--json OUT] [--profile DIR]

Converts the shared corpora to JSONL feeds (``bench/corpora.py``), then, in
throw-away folders (a temp SQLite database and a temp Whoosh index given
to Django through ``DATABASE_URL`` and ``SEARCH_INDEX_PATH``):

1. imports a small sample through the product's importer exactly as ``make
   run`` does (indexed as it is imported, entity linking on each batch);
2. imports everything through the importer, indexed as it goes by worker
   processes (``search.whoosh.bulk``), with entity linking left for afterwards;
   links every article in the entities app's batches; rebuilds the index
   from the database (``rebuild_index``);
3. times the 100 queries of ``bench/queries.txt`` in-process (top 10 with
   snippets, warm, every search computed);
4. serves the site with gunicorn (2 workers, 127.0.0.1 only) and measures
   search latency over HTTP and requests/s of article and search pages with
   wrk (Debian's package) or a bounded Python load generator: every request
   rendered and every search computed, then with the page cache;
5. builds the same corpus with raw Whoosh (the portal's analyzer, no Django)
   and tantivy (the same folding) and times the same queries.

Each step runs in its own process (peak memory is per step) and every loop
is bounded by a count or a deadline.  Prints one table with ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpora  # noqa: E402
from common import (  # noqa: E402
    PYTHON,
    QUERIES,
    Gunicorn,
    children_peak_rss_mb,
    dir_mb,
    django_env,
    django_setup,
    get,
    http_latency,
    iter_feed_items,
    load,
    migrate,
    peak_rss_mb,
    read_queries,
    timed_queries,
)

GOALS = {  # issue 7, on the ~48k corpus
    "import_rate": (">=", 1000), "http_p50": ("<=", 10), "http_p95": ("<=", 30),
    "index_mb": ("<=", 150), "article_rps": (">=", 300), "errors": ("<=", 0),
    "link_cpu": ("<=", 3),  # issue 16: the name recogniser and people discovery
}


# --- steps run in their own process ---------------------------------------------


def step_import(feeds: str, mode: str) -> dict:
    """Import the feeds through ``import_paths``, which indexes them as it goes (``search.whoosh.bulk``).

    ``bulk`` leaves entity linking to the ``link`` step (the issue's import +
    index figure); ``realtime`` links as it imports, as ``make run`` does.
    """
    django_setup()
    from articles.importer import import_paths

    start = time.perf_counter()
    report = import_paths([feeds], link=mode != "bulk")
    seconds = time.perf_counter() - start
    totals = report.totals
    return {
        "created": totals["created"], "rejected": totals["rejected"], "import_seconds": seconds,
        "peak_rss_mb": peak_rss_mb(), "worker_peak_rss_mb": children_peak_rss_mb(),
        "rejections": [m for f in report.files for m in f.messages][:5],
    }


def step_link() -> dict:
    """Link every article to the people and events it names, in the entities app's batches,
    with the CPU per article in all (linking, then near-duplicates) and in each part that
    ``linking_speed.CpuClock`` times."""
    django_setup()
    from linking_speed import CpuClock

    from articles.models import Article
    from entities.steps import process_articles

    clock = CpuClock()
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(pks), 500):
        process_articles(pks[first:first + 500])
    per_article = {part: round(1000 * seconds / len(pks), 2) for part, seconds in sorted(clock.spent.items())}
    return {"linked": len(pks), "link_seconds": time.perf_counter() - start,
            "cpu_ms_per_article": round(1000 * (time.process_time() - cpu) / len(pks), 2),
            "parts_cpu_ms_per_article": per_article, "peak_rss_mb": peak_rss_mb()}


def step_rebuild() -> dict:
    """``rebuild_index``: the whole index again from the database."""
    django_setup()
    from search.whoosh.bulk import rebuild

    start = time.perf_counter()
    count = rebuild()
    return {"indexed": count, "rebuild_seconds": time.perf_counter() - start, "peak_rss_mb": peak_rss_mb(),
            "worker_peak_rss_mb": children_peak_rss_mb()}


def step_search(queries_file: str, repeats: str) -> dict:
    """Time the queries through ``run_search``, top 10 with snippets, every search computed
    (the environment keeps no rankings: SEARCH_RANKINGS_KEPT=0)."""
    django_setup()
    from search.params import SearchParams
    from search.service import run_search

    def run_one(q):
        result = run_search(SearchParams.from_query_dict({"q": q}, page_size=10))
        for hit in result.hits:
            hit.snippet, hit.title_html  # noqa: B018 (rendered as the page renders them)
        return result.count

    return {**timed_queries(run_one, read_queries(Path(queries_file)), int(repeats)), "via": "search.service.run_search",
            "peak_rss_mb": peak_rss_mb()}


def step_urls(count: str) -> list[str]:
    """Addresses of ``count`` published articles picked at random."""
    django_setup()
    from articles.models import Article

    return [a.get_absolute_url() for a in Article.objects.published().order_by("?")[: int(count)]]


def step_whoosh(feeds: str, index_dir: str, queries_file: str, repeats: str) -> dict:
    """Raw Whoosh: the portal's analyzer, one writer, no Django."""
    from whoosh import fields, index, qparser

    from search.whoosh.analysis import PortalAnalyzer

    analyzer = PortalAnalyzer()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=analyzer, stored=True, field_boost=3.0),
        text=fields.TEXT(analyzer=analyzer),
    )
    ix = index.create_in(index_dir, schema)
    count, start = 0, time.perf_counter()
    writer = ix.writer(limitmb=256)
    for item in iter_feed_items(Path(feeds)):
        text = "\n".join(item.get(k, "") for k in ("title", "lead", "body"))
        writer.add_document(id=str(count), title=item["title"], text=text)
        count += 1
    writer.commit()
    seconds = time.perf_counter() - start
    parser = qparser.MultifieldParser(["title", "text"], schema, group=qparser.OrGroup.factory(0.9))
    with ix.searcher() as searcher:
        def run_one(q):
            return len([hit["title"] for hit in searcher.search(parser.parse(q), limit=10)])

        result = timed_queries(run_one, read_queries(Path(queries_file)), int(repeats))
    return {**result, "created": count, "index_seconds": seconds, "index_mb": dir_mb(Path(index_dir)),
            "peak_rss_mb": peak_rss_mb()}


def step_tantivy(feeds: str, index_dir: str, queries_file: str, repeats: str) -> dict:
    """tantivy with the portal's folding (``articles.text.fold``) and its own tokenizer."""
    import tantivy

    from articles.text import fold

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True)
    builder.add_text_field("title", stored=True)
    builder.add_text_field("text")
    schema = builder.build()
    ix = tantivy.Index(schema, path=index_dir)
    count, start = 0, time.perf_counter()
    writer = ix.writer(heap_size=256_000_000)
    for item in iter_feed_items(Path(feeds)):
        text = "\n".join(item.get(k, "") for k in ("title", "lead", "body"))
        writer.add_document(tantivy.Document(id=str(count), title=fold(item["title"]), text=fold(text)))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - start
    ix.reload()
    searcher = ix.searcher()

    def run_one(q):
        query = ix.parse_query(fold(q), ["title", "text"], field_boosts={"title": 3.0})
        return len([searcher.doc(address)["title"] for _, address in searcher.search(query, 10).hits])

    result = timed_queries(run_one, read_queries(Path(queries_file)), int(repeats))
    return {**result, "created": count, "index_seconds": seconds, "index_mb": dir_mb(Path(index_dir)),
            "peak_rss_mb": peak_rss_mb()}


STEPS = {"import": step_import, "link": step_link, "rebuild": step_rebuild, "search": step_search, "urls": step_urls,
         "whoosh": step_whoosh, "tantivy": step_tantivy}


def run_step(name: str, *args: str, env: dict, profile_dir: Path | None = None, timeout: float = 4 * 3600) -> dict:
    """Run one step in a child process and return the JSON it prints last."""
    command = [PYTHON]
    if profile_dir:
        command += ["-m", "cProfile", "-o", str(profile_dir / f"{name}-{args[-1] if name == 'import' else 'run'}.prof")]
    command += [__file__, "_step", name, *args]
    print(f"  … {name} {' '.join(a for a in args if not a.startswith('/'))}", flush=True)
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"step {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- HTTP -------------------------------------------------------------------------


def search_path(port: int) -> str | None:
    """The search page if the site has one yet, else the search API, else None."""
    for path in ("/search/?q=", "/api/search/?page_size=10&q="):
        if get(port, path + urllib.parse.quote("ایران"))[0] == 200:
            return path
    return None


# --- orchestration ------------------------------------------------------------------


def http_figures(env: dict, args) -> dict:
    """The site under gunicorn: every request rendered and every search computed, then
    with the page cache and kept rankings (as in production)."""

    articles = run_step("urls", "300", env=env)
    search_paths = ["/search/?page_size=10&q=" + urllib.parse.quote(q) for q in read_queries()]
    figures = {}
    for mode, cache_seconds, rankings in (("uncached", "0", "0"), ("cached", "60", "500")):
        web_env = {**env, "DJANGO_SETTINGS_MODULE": "newsportal.settings_production", "DJANGO_DEBUG": "0",
                   "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40, "DJANGO_SECURE_SSL_REDIRECT": "0",
                   "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "PAGE_CACHE_SECONDS": cache_seconds,
                   "SEARCH_RANKINGS_KEPT": rankings, "PAGE_CACHE_STAMP": env["SEARCH_INDEX_PATH"] + f".{mode}-stamp",
                   "PAGE_CACHE_PATH": env["SEARCH_INDEX_PATH"] + f".{mode}-pages"}
        print(f"  … gunicorn ({args.workers} workers, {mode}) on 127.0.0.1", flush=True)
        with Gunicorn(web_env, args.workers) as server:
            if mode == "cached":  # readers have asked for these articles before
                for path in articles:
                    get(server.port, path)
            figures[mode] = {
                "article_page": load(server, articles, args.concurrency, round(args.seconds)),
                "search_path": "/search/",
                "search": http_latency(server.port, search_paths, args.repeats),
                "search_page": load(server, search_paths, args.concurrency, round(args.seconds)),
            }
    return figures


def benchmark(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="newsportal-bench-", dir=args.tmp))
    profile = args.profile.resolve() if args.profile else None
    if profile:
        profile.mkdir(parents=True, exist_ok=True)
    results = {"workdir": str(workdir)}
    try:
        print(f"feeds → {workdir}", flush=True)
        feeds = workdir / "feeds"
        _, results["articles_in_feeds"] = corpora.write_feeds(feeds, corpora.iter_articles(args.corpora, args.limit))
        sample = workdir / "sample"
        corpora.write_feeds(sample, corpora.iter_articles(args.corpora, min(args.realtime_sample, args.limit or 10**9)))

        env = django_env(workdir, "realtime")
        migrate(env)
        results["realtime"] = run_step("import", str(sample), "realtime", env=env, profile_dir=profile)
        _save_partial(args, results)

        env = django_env(workdir, "portal")
        migrate(env)
        results["bulk"] = run_step("import", str(feeds), "bulk", env=env, profile_dir=profile)
        results["bulk"]["index_mb"] = dir_mb(Path(env["SEARCH_INDEX_PATH"]))
        results["link"] = run_step("link", env=env, profile_dir=profile)
        results["rebuild"] = run_step("rebuild", env=env, profile_dir=profile)
        results["search"] = run_step("search", str(QUERIES), str(args.repeats),
                                     env={**env, "SEARCH_RANKINGS_KEPT": "0"}, profile_dir=profile)
        _save_partial(args, results)

        results["http"] = http_figures(env, args)
        _save_partial(args, results)
        results["whoosh"] = run_step("whoosh", str(feeds), str(_fresh(workdir / "whoosh")), str(QUERIES),
                                     str(args.repeats), env=env)
        results["tantivy"] = run_step("tantivy", str(feeds), str(_fresh(workdir / "tantivy")), str(QUERIES),
                                      str(args.repeats), env=env)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def _save_partial(args, results: dict) -> None:
    """Write the figures so far, so a long run that fails late still leaves them."""
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


def _fresh(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _ratio(value, base):
    return f"{value / base:.2f}×" if value is not None and base else "—"


def _fmt(value):
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 1 else f"{value:.2f}"


def _goal(key, value):
    if key not in GOALS or value is None:
        return ""
    op, target = GOALS[key]
    met = value >= target if op == ">=" else value <= target
    return f"{op} {target:,} {'ok' if met else 'MISSED'}"


def _get(data: dict, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _rate(data: dict, count_key: str, *seconds_keys: str):
    seconds = sum(_get(data, k) or 0 for k in seconds_keys)
    return _get(data, count_key) / seconds if data and seconds else None


def _recogniser_and_discovery(link: dict) -> float | None:
    parts = link.get("parts_cpu_ms_per_article") or {}
    return round(parts["recogniser"] + parts["discovery"], 2) if "recogniser" in parts and "discovery" in parts else None


def table(r: dict) -> str:
    """Every figure, its ratio to raw Whoosh and to tantivy, and the issue's goal (missing parts show —)."""
    bulk, realtime, search = r.get("bulk", {}), r.get("realtime", {}), r.get("search", {})
    link, rebuilt = r.get("link", {}), r.get("rebuild", {})
    whoosh, tantivy = r.get("whoosh", {}), r.get("tantivy", {})
    base_rate = (_rate(whoosh, "created", "index_seconds"), _rate(tantivy, "created", "index_seconds"))
    linked = {"created": bulk.get("created"), "seconds": (bulk.get("import_seconds") or 0) + (link.get("link_seconds") or 0)}
    rows = [
        # (label, goal key, portal, raw whoosh, tantivy)
        ("articles imported", None, bulk.get("created"), whoosh.get("created"), tantivy.get("created")),
        ("import + index (articles/s)", "import_rate", _rate(bulk, "created", "import_seconds"), *base_rate),
        ("  entity linking afterwards (articles/s)", None, _rate(link, "linked", "link_seconds"), None, None),
        ("  import + index + linking (articles/s)", None, _rate(linked, "created", "seconds") if link else None,
         *base_rate),
        ("  entity linking afterwards, CPU in all (ms/article)", None, link.get("cpu_ms_per_article"), None, None),
        ("    of which name recogniser + people discovery", "link_cpu", _recogniser_and_discovery(link), None, None),
        ("rebuild_index from the database (articles/s)", None, _rate(rebuilt, "indexed", "rebuild_seconds"), *base_rate),
        (f"import as make run does, linking included, {realtime.get('created')} articles (articles/s)", None,
         _rate(realtime, "created", "import_seconds"), *base_rate),
        ("index size (MB)", "index_mb", bulk.get("index_mb"), whoosh.get("index_mb"), tantivy.get("index_mb")),
        ("peak memory, import (MB RSS)", None, bulk.get("peak_rss_mb"), whoosh.get("peak_rss_mb"),
         tantivy.get("peak_rss_mb")),
        ("  largest index worker (MB RSS)", None, bulk.get("worker_peak_rss_mb"), None, None),
        ("search in-process p50 (ms)", None, search.get("p50"), whoosh.get("p50"), tantivy.get("p50")),
        ("search in-process p95 (ms)", None, search.get("p95"), whoosh.get("p95"), tantivy.get("p95")),
    ]
    errors = 0
    for mode, served in _http_modes(r.get("http", {})):
        path = served.get("search_path", "(no search page)")
        rows += [
            (f"search via HTTP {path}, {mode}, p50 (ms)", "http_p50", _get(served, "search", "p50"),
             whoosh.get("p50"), tantivy.get("p50")),
            (f"search via HTTP {path}, {mode}, p95 (ms)", "http_p95", _get(served, "search", "p95"),
             whoosh.get("p95"), tantivy.get("p95")),
        ]
        if mode == "page cache":
            rows += [
                ("  first request of each query (cache miss) p50 (ms)", "http_p50",
                 _get(served, "search", "first_p50"), whoosh.get("p50"), tantivy.get("p50")),
                ("  first request of each query (cache miss) p95 (ms)", "http_p95",
                 _get(served, "search", "first_p95"), whoosh.get("p95"), tantivy.get("p95")),
            ]
        rows += [
            (f"article page under load, {mode} (req/s)", "article_rps", _get(served, "article_page", "rps"), None, None),
            (f"search page under load, {mode} (req/s)", None, _get(served, "search_page", "rps"), None, None),
        ]
        errors += sum(_get(served, part, "errors") or 0 for part in ("search", "article_page", "search_page"))
    rows += [
        ("HTTP errors (all runs)", "errors", errors if r.get("http") else None, None, None),
        ("queries with no hit (of 100)", None, search.get("zero_hit_queries"), whoosh.get("zero_hit_queries"),
         tantivy.get("zero_hit_queries")),
    ]
    head = ("figure", "portal", "raw Whoosh", "tantivy", "÷ Whoosh", "÷ tantivy", "goal")
    lines = [[label, _fmt(p), _fmt(w), _fmt(t), _ratio(p, w), _ratio(p, t), _goal(key, p)]
             for label, key, p, w, t in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=True)]
    out = [" | ".join(str(x).ljust(w) for x, w in zip(head, widths, strict=True)), "-+-".join("-" * w for w in widths)]
    out += [" | ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)) for line in lines]
    out.append("")
    if search:
        out.append(f"in-process search via {search.get('via')}")
    if bulk.get("rejected"):
        out.append(f"rejected by the importer: {bulk['rejected']} (e.g. {'; '.join(bulk['rejections'][:2])})")
    return "\n".join(out)


def _http_modes(http: dict):
    if "uncached" in http or "cached" in http:
        yield from (("every request computed", http.get("uncached", {})), ("page cache", http.get("cached", {})))
    elif http:  # figures from before the page cache existed
        yield "every request rendered", http


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "_step":
        print(json.dumps(STEPS[sys.argv[2]](*sys.argv[3:])))
        return
    parser = argparse.ArgumentParser(description="Scale and speed benchmark (see the module docstring).")
    parser.add_argument("--limit", type=int, help="import at most N articles (quick runs)")
    parser.add_argument("--corpora", type=Path, default=Path(os.environ.get("CORPORA", corpora.DEFAULT_CORPORA)))
    parser.add_argument("--realtime-sample", type=int, default=300,
                        help="articles imported the make-run way, each indexed on commit (slow)")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes over the 100 queries")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent HTTP clients under load")
    parser.add_argument("--seconds", type=float, default=15, help="duration of each load test")
    parser.add_argument("--tmp", help="parent of the throw-away work folder (default: the system temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (database, indexes, feeds)")
    parser.add_argument("--json", type=Path, help="also write all figures as JSON here")
    parser.add_argument("--profile", type=Path, help="write a cProfile .prof of each step into this folder")
    parser.add_argument("--http-only", type=Path, metavar="DIR",
                        help="only the HTTP figures, on the database and index a --keep run left in DIR")
    parser.add_argument("--table", type=Path, nargs="+", metavar="JSON",
                        help="only print the table of earlier --json files (later files win)")
    args = parser.parse_args()
    if args.table:
        merged = {}
        for path in args.table:
            merged.update(json.loads(path.read_text(encoding="utf-8")))
        print(table(merged))
        return
    started = time.perf_counter()
    results = {"http": http_figures(django_env(args.http_only, "portal"), args)} if args.http_only else benchmark(args)
    results["wall_seconds"] = time.perf_counter() - started
    _save_partial(args, results)
    print()
    print(table(results))
    print(f"\nwall time {results['wall_seconds']:.0f} s")


if __name__ == "__main__":
    main()
