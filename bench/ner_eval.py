"""How many real person mentions the entity linker and candidate finder catch.

    .venv/bin/python bench/ner_eval.py [--corpora ../shared/corpora/ner] [--limit N]

On PEYMA (Persian) and ANERcorp (Arabic, train split), documents are split
in two by position: the person names tagged in the first half become the
knowledge base (one alias per distinct name, as an editor would add them),
and the second half is searched with ``entities.matching`` exactly as the
site runs it: known names (folding, clitics, fuzzy matching at each
threshold) plus unknown names after title words.  A predicted span is
correct when it overlaps a tagged person; a tagged person is found when a
prediction overlaps it.  Prints precision, recall and F1 per threshold, for
the linker alone, the candidate finder alone and both together, and how
many of the found persons were only found through fuzzy matching.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from entities.matching import Alias, Gazetteer, find_candidates  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpora" / "ner"
THRESHOLDS = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7)


def read_conll(path: Path):
    """Sentences of ``(token, tag)``; the tag is the last field (PEYMA has malformed lines)."""
    sentence = []
    for line in path.read_text(encoding="utf-8-sig", errors="replace").splitlines():
        line = line.strip()
        if not line:
            if sentence:
                yield sentence
            sentence = []
            continue
        parts = line.split()
        if len(parts) < 2:
            continue
        sentence.append((" ".join(parts[:-1]), parts[-1].replace("_", "-")))
    if sentence:
        yield sentence


def document(sentences):
    """``(text, person spans)`` with tokens joined by spaces, sentences by newlines."""
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
    return text, [tuple(s) for s in spans]


def corpus_documents(name: str, root: Path, limit: int | None):
    if name == "PEYMA (fa)":
        files = sorted((root / "peyma-fa").rglob("*"))
        docs = [document(read_conll(f)) for f in files if f.is_file()]
    else:
        sentences = list(read_conll(root / "anercorp-ar" / "train.txt"))
        docs = [document(sentences[i:i + 20]) for i in range(0, len(sentences), 20)]
    return docs[:limit] if limit else docs


def knowledge_base(docs):
    """The tagged person names an editor would add: a one-word name that the
    same half mostly uses as an ordinary word ("على" on, "ایران") is left out."""
    tagged, total = Counter(), Counter()
    for text, spans in docs:
        for s, e in spans:
            tagged[text[s:e]] += 1
        total.update(text.split())
    return {name for name, n in tagged.items() if " " in name or n >= total[name] / 2}


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def evaluate(name, docs):
    language = "fa" if "fa" in name else "ar"
    kb_docs, test_docs = docs[: len(docs) // 2], docs[len(docs) // 2:]
    names = knowledge_base(kb_docs)
    gold = [(i, s) for i, (_, spans) in enumerate(test_docs) for s in spans]
    print(f"\n{name}: {len(docs)} documents; knowledge base of {len(names)} names from the first half; "
          f"{len(gold)} person mentions in the second half")
    candidates = [(i, (c.start, c.end)) for i, (text, _) in enumerate(test_docs) for c in find_candidates(text, language=language)]
    p, r, f = score_all(candidates, gold)
    print(f"  candidate finder alone: {len(candidates)} spans, precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")
    print("  threshold  linker P / R / F1          linker+candidates P / R / F1   found only by fuzzy")
    exact_found = None
    for threshold in THRESHOLDS:
        started = time.perf_counter()
        gazetteer = Gazetteer(threshold=threshold)
        for alias in names:
            gazetteer.add(Alias(alias, alias))
        linked = [(i, (m.start, m.end)) for i, (text, _) in enumerate(test_docs) for m in gazetteer.find(text)]
        found = {g for g in gold if any(d == g[0] and overlaps(s, g[1]) for d, s in linked)}
        exact_found = found if exact_found is None else exact_found
        lp, lr, lf = score_all(linked, gold)
        cp, cr, cf = score_all(linked + candidates, gold)
        print(f"  {threshold:<9}  {lp:.3f} / {lr:.3f} / {lf:.3f}      {cp:.3f} / {cr:.3f} / {cf:.3f}"
              f"          {len(found - exact_found):>5}   ({time.perf_counter() - started:.1f}s)")


def score_all(predicted, gold):
    by_doc_pred, by_doc_gold = {}, {}
    for d, s in predicted:
        by_doc_pred.setdefault(d, []).append(s)
    for d, s in gold:
        by_doc_gold.setdefault(d, []).append(s)
    tp_pred = found = 0
    for d in set(by_doc_pred) | set(by_doc_gold):
        preds, golds = by_doc_pred.get(d, []), by_doc_gold.get(d, [])
        tp_pred += sum(any(overlaps(p, g) for g in golds) for p in preds)
        found += sum(any(overlaps(p, g) for p in preds) for g in golds)
    precision = tp_pred / len(predicted) if predicted else 0.0
    recall = found / len(gold) if gold else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, help="documents per corpus (for a quick run)")
    args = parser.parse_args()
    if not args.corpora.exists():
        sys.exit(f"no corpora at {args.corpora}")
    for name in ("PEYMA (fa)", "ANERcorp (ar)"):
        evaluate(name, corpus_documents(name, args.corpora, args.limit))


if __name__ == "__main__":
    main()
