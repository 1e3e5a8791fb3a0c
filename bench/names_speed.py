"""The person-name recogniser's CPU time per article, on corpus articles.

    .venv/bin/python bench/names_speed.py [--articles 400] [--batch 100] [--corpora ../shared/corpora]

Reads ``--articles`` corpus articles (``bench/corpora.py``: Persian and
Arabic alternate; title, lead and body as one text) and, per language, times
``entities.names.find_names`` one article at a time and ``find_names_in`` on
batches of ``--batch`` (as discovery calls it on an import's batches).  The
first pass meets every word for the first time (the model loaded, each word's
scores worked out); the figures after it are the best of three passes over
the same articles, as a long import meets mostly words it has seen.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpora  # noqa: E402

from entities.names import LANGUAGES, find_names, find_names_in  # noqa: E402


def cpu_ms(func, count: int) -> float:
    start = time.process_time()
    func()
    return 1000 * (time.process_time() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--corpora", type=Path, default=corpora.DEFAULT_CORPORA)
    args = parser.parse_args()
    if not args.corpora.exists():
        sys.exit(f"no corpora at {args.corpora}")
    items = list(corpora.iter_articles(args.corpora, args.articles))
    for language in LANGUAGES:
        texts = ["\n\n".join(filter(None, (i.get("title"), i.get("lead"), i.get("body"))))
                 for i in items if i["language"] == language]
        batches = [texts[k:k + args.batch] for k in range(0, len(texts), args.batch)]

        def batched(batches=batches, language=language):
            for batch in batches:
                find_names_in(batch, language)

        def single(texts=texts, language=language):
            for text in texts:
                find_names(text, language)

        first = cpu_ms(batched, len(texts))
        one = min(cpu_ms(single, len(texts)) for _ in range(3))
        many = min(cpu_ms(batched, len(texts)) for _ in range(3))
        words = sum(len(t.split()) for t in texts) / max(1, len(texts))
        print(f"{language}: {len(texts)} articles, {words:.0f} words each; CPU ms/article: first pass "
              f"(batches of {args.batch}) {first:.2f}; then one at a time {one:.2f}, in batches {many:.2f}")


if __name__ == "__main__":
    main()
