"""How well the portal finds people's names, on held-back tagged news.

    .venv/bin/python bench/ner_eval.py [--part test|dev] [--language fa|ar] [--corpora ../shared/corpora/ner]

On the held-back part of ``bench/ner_data``'s split (by document) of PEYMA
(Persian) and ANERcorp's train split (Arabic), four recognisers:

* **rules**: today's candidate finder, names after title words
  (``entities.matching.find_candidates``);
* **rules + KB**: those and the known names of a knowledge base (``Gazetteer``:
  folding, clitics, fuzzy matching), the knowledge base being every person
  tagged in the train part, as an editor would have added them;
* **CRF**: the trained recogniser, ``entities.names.find_names``;
* **CRF + KB**: its names and the knowledge base's where they overlap none.

Person precision, recall and F1, with exact spans (a prediction is right when
its start and end are a tagged person's) and with overlap (right when it
overlaps one; a tagged person is found when a prediction overlaps it).  Tagged
spans are moved onto word boundaries first (``ner_data.token_spans``).
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.text import tokenize  # noqa: E402
from bench.ner_data import DEFAULT_ROOT, split, token_spans  # noqa: E402
from entities.matching import Alias, Gazetteer, find_candidates  # noqa: E402
from entities.names import LANGUAGES, find_names  # noqa: E402


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def scores(predicted: list[list[tuple]], gold: list[list[tuple]]) -> dict[str, tuple[float, float, float]]:
    """``{"exact": (P, R, F1), "overlap": (P, R, F1)}`` over documents' span lists."""
    n_pred = sum(map(len, predicted))
    n_gold = sum(map(len, gold))
    exact = sum(len(set(p) & set(g)) for p, g in zip(predicted, gold, strict=True))
    right = sum(any(overlaps(s, t) for t in g) for p, g in zip(predicted, gold, strict=True) for s in p)
    found = sum(any(overlaps(s, t) for t in p) for p, g in zip(predicted, gold, strict=True) for s in g)
    return {"exact": _prf(exact, n_pred, exact, n_gold), "overlap": _prf(right, n_pred, found, n_gold)}


def _prf(right, n_pred, found, n_gold):
    precision = right / n_pred if n_pred else 0.0
    recall = found / n_gold if n_gold else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def knowledge_base(docs) -> Gazetteer:
    """The tagged person names an editor would add: a one-word name that those
    documents mostly use as an ordinary word ("على" on, "ایران") is left out."""
    tagged, total = Counter(), Counter()
    for doc in docs:
        for s, e in doc.persons:
            tagged[doc.text[s:e]] += 1
        total.update(doc.text.split())
    gazetteer = Gazetteer()
    for name, n in tagged.items():
        if " " in name or n >= total[name] / 2:
            gazetteer.add(Alias(name, name))
    return gazetteer


def _merged(first, second):
    """``first`` and those of ``second`` that overlap none of it."""
    return sorted(set(first) | {s for s in second if not any(overlaps(s, t) for t in first)})


def evaluate(language: str, parts: dict, part: str, model: Path | None = None) -> dict[str, dict]:
    docs = parts[part]
    gold = [token_spans(d.persons, tokenize(d.text)) for d in docs]
    gazetteer = knowledge_base(parts["train"])
    rules, kb, crf = [], [], []
    started = time.perf_counter()
    for doc in docs:
        rules.append([(c.start, c.end) for c in find_candidates(doc.text, language=language)])
        kb.append([(m.start, m.end) for m in gazetteer.find(doc.text)])
    rules_time = time.perf_counter() - started
    started = time.perf_counter()
    for doc in docs:
        crf.append([(s.start, s.end) for s in find_names(doc.text, language, model=model)])
    crf_time = time.perf_counter() - started
    words = sum(len(d.text.split()) for d in docs)
    print(f"{language} {part}: {len(docs)} documents, {words} words, {sum(map(len, gold))} persons; "
          f"CRF tagging {crf_time:.1f}s, rules and KB {rules_time:.1f}s", flush=True)
    return {
        "rules": scores(rules, gold),
        "rules + KB": scores([_merged(r, k) for r, k in zip(rules, kb, strict=True)], gold),
        "CRF": scores(crf, gold),
        "CRF + KB": scores([_merged(c, k) for c, k in zip(crf, kb, strict=True)], gold),
    }


def table(results: dict[str, dict[str, dict]]) -> str:
    lines = ["lang  recogniser   exact P  exact R  exact F1 | overlap P  overlap R  overlap F1"]
    for language, systems in results.items():
        for name, s in systems.items():
            (ep, er, ef), (op, orr, of) = s["exact"], s["overlap"]
            lines.append(f"{language:<5} {name:<11}  {ep:7.3f}  {er:7.3f}  {ef:8.3f} | {op:9.3f}  {orr:9.3f}  {of:10.3f}")
    return "\n".join(lines)


def score_recogniser(language: str, docs, model: Path) -> None:
    """Print the CRF's exact and overlap scores on ``docs`` (used by ``train_names.py --dev``)."""
    gold = [token_spans(d.persons, tokenize(d.text)) for d in docs]
    found = [[(s.start, s.end) for s in find_names(d.text, language, model=model)] for d in docs]
    s = scores(found, gold)
    print(f"  {language} dev: exact P/R/F1 {'/'.join(f'{x:.3f}' for x in s['exact'])}; "
          f"overlap {'/'.join(f'{x:.3f}' for x in s['overlap'])}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--part", choices=("test", "dev"), default="test")
    parser.add_argument("--language", choices=LANGUAGES, action="append")
    args = parser.parse_args()
    if not args.corpora.exists():
        sys.exit(f"no corpora at {args.corpora}")
    results = {language: evaluate(language, split(language, args.corpora), args.part) for language in args.language or LANGUAGES}
    print(table(results))


if __name__ == "__main__":
    main()
