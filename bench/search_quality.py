"""Search quality on the Hamshahri test collection: P@10, nDCG@10, MAP@100.

    .venv/bin/python bench/search_quality.py [--corpus ../shared/corpora/hamshahri] [--keep DIR]

Imports the corpus through the real importer (as a JSON Lines feed) into a
throw-away SQLite database and search index, then runs the 25 dev queries
through ``search.service.run_search`` exactly as the search page does,
typing each query as a reader on a Persian keyboard would (ي→ی, ك→ک in the
query only; the corpus keeps its Arabic letters).  ``--keep DIR`` keeps the
database and index there and reuses them on the next run, for quick
iteration on query-time ranking.
"""

import argparse
import json
import math
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "hamshahri"


def ham_feed_lines(corpus: Path):
    """One JSON Lines item per .ham file: title line, body, Solar Hijri date from the name."""
    for path in sorted(corpus.rglob("*.ham")):
        text = path.read_text("utf-8", errors="replace")
        title, _, body = text.strip().partition("\n")
        yymmdd = path.stem.split("-")[1]
        yield json.dumps({
            "id": path.stem, "title": title.strip(), "body": body.strip() or title.strip(), "language": "fa",
            "source": "همشهری", "published": f"13{yymmdd[:2]}/{yymmdd[2:4]}/{yymmdd[4:]}",
        }, ensure_ascii=False)


def setup(workdir: Path, corpus: Path):
    if open_portal(workdir):
        import_feed_lines(workdir, list(ham_feed_lines(corpus / "corpus")), "hamshahri")


def open_portal(workdir: Path) -> bool:
    """Django on a database and index in ``workdir``; True when they are new (migrated here)."""
    db = workdir / "bench.sqlite3"
    fresh = not db.exists()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["SEARCH_INDEX_PATH"] = str(workdir / "index")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsportal.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    return fresh


def import_feed_lines(workdir: Path, lines: list[str], name: str) -> None:
    """Import JSON Lines feed items through the real importer, indexing them as it goes."""
    from articles.importer import import_paths

    feeds = workdir / "feeds"
    feeds.mkdir(exist_ok=True)
    for i in range(0, len(lines), 500):
        (feeds / f"{name}-{i // 500:02d}.jsonl").write_text("\n".join(lines[i:i + 500]), encoding="utf-8")
    started = time.perf_counter()
    # Entity linking has nothing to do with search quality.
    report = import_paths([feeds], link=False)  # indexed as it is imported (search.whoosh.bulk)
    print(f"imported and indexed: {report.summary()} in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    for message in [m for f in report.files for m in f.messages][:5]:
        print("  ", message, file=sys.stderr)


def persian_keyboard(text: str) -> str:
    from articles.text import persian_letters  # after setup() put the project on the path

    return persian_letters(text).strip()


def read_qrels(corpus: Path) -> dict[str, set[str]]:
    """Query number -> the ids of the documents judged relevant."""
    qrels = defaultdict(set)
    for line in (corpus / "qrels-dev.txt").read_text().split("\n"):
        if line.strip():
            qid, doc = line.split()
            qrels[qid].add(doc)
    return qrels


def ranking_figures(ranked: list[str], relevant: set[str]) -> tuple[float, float, float]:
    """P@10, nDCG@10 and AP@100 of one ranked list of ids against the relevant ones."""
    gains = [1 if doc in relevant else 0 for doc in ranked[:100]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:10]))
    idcg = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    hits, precisions = 0, []
    for i, g in enumerate(gains):
        if g:
            hits += 1
            precisions.append(hits / (i + 1))
    ap = sum(precisions) / min(len(relevant), 100) if relevant else 0.0
    return sum(gains[:10]) / 10, dcg / idcg if idcg else 0.0, ap


def evaluate(corpus: Path, verbose: bool):
    from search.params import SearchParams
    from search.service import run_search

    qrels = read_qrels(corpus)
    p10 = ndcg10 = ap100 = 0.0
    queries = sorted((corpus / "queries").glob("*.q"), key=lambda p: int(p.stem))
    started = time.perf_counter()
    for path in queries:
        query = persian_keyboard(path.read_text("utf-8"))
        ranked = [h.external_id for h in run_search(SearchParams(q=query, page_size=100)).hits]
        p, ndcg, ap = ranking_figures(ranked, qrels[path.stem])
        p10, ndcg10, ap100 = p10 + p, ndcg10 + ndcg, ap100 + ap
        if verbose:
            print(f"{path.stem:>3} P@10 {p:.2f} nDCG@10 {ndcg:.3f} AP {ap:.3f}  {query}")
    n = len(queries)
    elapsed = time.perf_counter() - started
    print(f"{n} queries, {elapsed / n * 1000:.0f} ms/query")
    print(f"P@10 {p10 / n:.3f}  nDCG@10 {ndcg10 / n:.3f}  MAP@100 {ap100 / n:.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the database and index in this folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="figures per query")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        setup(args.keep, args.corpus)
        evaluate(args.corpus, args.verbose)
    else:
        with tempfile.TemporaryDirectory(prefix="search-quality-") as workdir:
            setup(Path(workdir), args.corpus)
            evaluate(args.corpus, args.verbose)


if __name__ == "__main__":
    main()
