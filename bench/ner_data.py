"""The tagged news of ``../shared/corpora/ner`` as documents, split by document.

Used by ``bench/train_names.py`` (training) and ``bench/ner_eval.py``
(measuring); never by the site.

Documents: each PEYMA file is one news item (headline, body, "انتهای پیام"),
so a file is a document.  ANERcorp's train split has no document marks: its
sentences are cut into contiguous blocks of ``ANER_BLOCK`` sentences (about
the length of one of its news articles, ~450 words).

Split, the same for both: documents in corpus order, the 9th of every ten
(index % 10 == 8) is **dev** (for choosing settings), the 10th (== 9) is
**test** (held back: only ``bench/ner_eval.py`` reads it), the rest **train**.
Spreading the held-back parts over the whole corpus keeps every period and
topic of it in each part; a document is never split between parts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

# ``../shared/corpora/ner`` beside the project, or $CORPORA/ner (as bench/corpora.py).
DEFAULT_ROOT = Path(os.environ.get("CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora")) / "ner"
ANER_BLOCK = 15
PARTS = ("train", "dev", "test")


class Document(NamedTuple):
    name: str
    text: str  # tokens joined by spaces, sentences by line breaks
    persons: list[tuple[int, int]]  # character spans of the tagged persons


def read_conll(path: Path):
    """Sentences of ``(token, tag)``; the tag is the last field (PEYMA has malformed lines),
    ``B_PER`` is read as ``B-PER``."""
    sentence = []
    for line in path.read_text(encoding="utf-8-sig", errors="replace").splitlines():
        parts = line.split()
        if not parts:
            if sentence:
                yield sentence
            sentence = []
            continue
        if len(parts) >= 2:
            sentence.append((" ".join(parts[:-1]), parts[-1].replace("_", "-")))
    if sentence:
        yield sentence


def document(name: str, sentences) -> Document:
    text, spans, current = "", [], None
    for sentence in sentences:
        for token, tag in sentence:
            if text and not text.endswith("\n"):
                text += " "
            start = len(text)
            text += token
            if tag in ("B-PER", "B-PERS") or (tag in ("I-PER", "I-PERS") and current is None):
                current = [start, len(text)]
                spans.append(current)
            elif tag in ("I-PER", "I-PERS"):
                current[1] = len(text)
            else:
                current = None
        text += "\n"
        current = None
    return Document(name, text, [tuple(s) for s in spans])


def documents(language: str, root: Path = DEFAULT_ROOT) -> list[Document]:
    """All documents of the language's corpus, in corpus order."""
    if language == "fa":
        files = sorted(p for p in (root / "peyma-fa").rglob("*") if p.is_file())
        return [document(str(f.relative_to(root)), read_conll(f)) for f in files]
    sentences = list(read_conll(root / "anercorp-ar" / "train.txt"))
    return [document(f"anercorp-ar/train.txt#{i // ANER_BLOCK}", sentences[i:i + ANER_BLOCK])
            for i in range(0, len(sentences), ANER_BLOCK)]


def part_of(index: int) -> str:
    return {8: "dev", 9: "test"}.get(index % 10, "train")


def split(language: str, root: Path = DEFAULT_ROOT) -> dict[str, list[Document]]:
    """``{"train": [...], "dev": [...], "test": [...]}`` (see the module's docstring)."""
    parts = {p: [] for p in PARTS}
    for i, doc in enumerate(documents(language, root)):
        parts[part_of(i)].append(doc)
    return parts


def token_spans(spans, tokens) -> list[tuple[int, int]]:
    """Spans moved onto word boundaries of ``tokens`` (``articles.text.tokenize``): from the
    first word a span touches to the last, so punctuation tagged inside a name ("(ره)")
    does not count against a recogniser that finds words."""
    out = []
    for s, e in spans:
        inside = [t for t in tokens if t.start < e and s < t.end]
        if inside:
            out.append((inside[0].start, inside[-1].end))
    return out


def labels(tokens, spans) -> list[str]:
    """B/I/L/U/O of each token for the (word-aligned) ``spans`` (``entities.names.LABELS``)."""
    out = ["O"] * len(tokens)
    for s, e in spans:
        inside = [k for k, t in enumerate(tokens) if s <= t.start and t.end <= e]
        if len(inside) == 1:
            out[inside[0]] = "U"
        elif inside:
            out[inside[0]] = "B"
            out[inside[-1]] = "L"
            for k in inside[1:-1]:
                out[k] = "I"
    return out
