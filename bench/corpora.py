"""Turn the shared research corpora into JSON Lines feeds the importer reads.

Benchmarks only: the corpora live outside the project (``../shared/corpora``,
see its README) and are never committed or read by the site.  Each reader
yields plain dicts with the feed fields of ``articles.importer``
(``title, body, lead, language, published, source, url, id``); ``write_feeds``
writes them in files small enough for ``IMPORT_MAX_FILE_BYTES``.

    python bench/corpora.py OUT_DIR [--corpora PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import os
import re
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

DEFAULT_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

# Hamshahri lines are hard-wrapped at about 80 columns; a shorter line ends a paragraph.
_WRAP_WIDTH = 70


def _unwrap(lines: list[str]) -> str:
    paragraphs, current = [], []
    for line in lines:
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line)
        if len(line) < _WRAP_WIDTH:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def hamshahri(root: Path) -> Iterator[dict]:
    """Hamshahri ``HAM2-YYMMDD-NNN.ham``: title on line 1, Solar Hijri date 13YY/MM/DD in the name."""
    for path in sorted((root / "hamshahri" / "corpus").rglob("*.ham")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) < 2:
            continue
        yymmdd = path.stem.split("-")[1]
        yield {
            "id": path.stem, "title": lines[0].strip(), "body": _unwrap(lines[1:]), "language": "fa",
            "published": f"13{yymmdd[:2]}/{yymmdd[2:4]}/{yymmdd[4:6]}", "source": "همشهری",
        }


def fars(root: Path) -> Iterator[dict]:
    """Fars News JSON lists; ``paragraphs`` is a list (or a Python list written as a string), no date."""
    for path in sorted((root / "fars").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            paragraphs = item.get("paragraphs") or []
            if isinstance(paragraphs, str):
                try:
                    paragraphs = ast.literal_eval(paragraphs)
                except (ValueError, SyntaxError):
                    paragraphs = [paragraphs]
            source = "ورزش سه" if path.name.startswith("varzesh3") else "خبرگزاری فارس"
            yield {
                "id": item.get("link") or "", "title": item.get("title", ""), "lead": item.get("abstract", ""),
                "body": "\n\n".join(str(p).strip() for p in paragraphs if str(p).strip()), "language": "fa",
                "source": source, "url": item.get("link", ""),
            }


def saudinewsnet(root: Path) -> Iterator[dict]:
    """SaudiNewsNet: one JSON list per daily zip; empty bodies are skipped."""
    for path in sorted((root / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for item in json.loads(archive.read(name)):
                    if not (item.get("content") or "").strip():
                        continue
                    yield {
                        "id": item.get("url", ""), "title": item.get("title", ""), "body": item["content"],
                        "language": "ar", "published": item.get("date_extracted", ""),
                        "source": item.get("source", ""), "url": item.get("url", ""),
                    }


_TAG_RE = {tag: re.compile(rf"<{tag}>(.*?)</{tag}>", re.S) for tag in ("DOCNO", "URL", "TITLE", "TIME", "ABSTRACT", "TEXT", "SRC")}


def ant(root: Path) -> Iterator[dict]:
    """ANT corpus (JawharaFM): TREC-like tagged files in one tar.gz, not valid XML."""
    with tarfile.open(root / "ant-corpus-ar.tar.gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            text = archive.extractfile(member).read().decode("utf-8", errors="replace")
            field = {tag: (m.group(1).strip() if (m := rx.search(text)) else "") for tag, rx in _TAG_RE.items()}
            if not field["TEXT"] or not field["TITLE"]:
                continue
            yield {
                "id": field["DOCNO"], "title": field["TITLE"], "lead": field["ABSTRACT"], "body": field["TEXT"],
                "language": "ar", "published": field["TIME"], "source": field["SRC"] or "Jawhara FM",
                "url": field["URL"],
            }


READERS = {"hamshahri": hamshahri, "fars": fars, "saudinewsnet": saudinewsnet, "ant": ant}


def iter_articles(root: Path = DEFAULT_CORPORA, limit: int | None = None) -> Iterator[dict]:
    """All corpora interleaved (Persian and Arabic alternate), at most ``limit`` articles.

    Interleaving keeps a ``--limit`` run representative of both languages.
    """
    streams = [reader(root) for reader in READERS.values()]
    merged = (item for group in itertools.zip_longest(*streams) for item in group if item is not None)
    return itertools.islice(merged, limit)


def write_feeds(out_dir: Path, articles: Iterator[dict], per_file: int = 1000) -> tuple[list[Path], int]:
    """Write ``articles`` as ``feed-NNNN.jsonl`` files of ``per_file`` lines; return the files and the count."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths, count = [], 0
    articles = iter(articles)
    for number in itertools.count():
        chunk = list(itertools.islice(articles, per_file))
        if not chunk:
            break
        path = out_dir / f"feed-{number:04d}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for item in chunk:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
        paths.append(path)
        count += len(chunk)
    return paths, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--corpora", type=Path, default=Path(os.environ.get("CORPORA", DEFAULT_CORPORA)))
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    paths, count = write_feeds(args.out_dir, iter_articles(args.corpora, args.limit))
    print(f"{count} articles in {len(paths)} feeds under {args.out_dir}")


if __name__ == "__main__":
    main()
