"""Train the person-name recogniser of ``entities.names`` from the tagged corpora.

    .venv/bin/python bench/train_names.py [--language fa|ar] [--dev | --cv K [--errors FILE]] [--c1 X --c2 Y --iterations N] [--passes 1|2]

Without ``--dev`` it trains on the train and dev parts of ``bench/ner_data``'s
split and writes ``entities.names.model_path(language)`` (``make ner-model``).
With ``--dev`` it trains on the train part only and scores the dev part, to
choose settings; with ``--cv K`` it cross-validates over the train and dev
documents (K folds), a steadier figure than the small dev part, and ``--errors FILE``
writes each held-out document's text, tagged and found spans there (JSON lines).  The test part
is left to ``bench/ner_eval.py``.  A two-pass model (``--passes 2``, Arabic's setting)
is two files, its first pass beside it (``entities.names.first_pass_path``).
"""

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pycrfsuite  # noqa: E402

from articles.text import tokenize  # noqa: E402
from bench.ner_data import DEFAULT_ROOT, labels, split, token_spans  # noqa: E402
from entities.name_features import lexicon_path, sequences  # noqa: E402
from entities.names import LANGUAGES, first_pass_path, model_path, name_probabilities, use_lexicon  # noqa: E402

# Chosen on the dev parts (bench/train_names.py --dev) or by cross-validation (--cv 4); see entities/data/NAMES.md.
# "passes": 2 trains a first pass and a second that reads it (``entities.names.first_pass_path``).
SETTINGS = {"fa": {"c1": 0.05, "c2": 0.01, "iterations": 150, "passes": 1},
            "ar": {"c1": 0.05, "c2": 0.02, "iterations": 150, "passes": 2}}


# Parts the training documents are cut into for their names lexicon (below).
FOLDS = 5


def lexicon_of(docs) -> dict[str, tuple[int, int]]:
    """``word -> (times inside a tagged person's name, times in all)`` over ``docs``."""
    inside, total = Counter(), Counter()
    for doc in docs:
        tokens = tokenize(doc.text)
        for token, label in zip(tokens, labels(tokens, token_spans(doc.persons, tokens)), strict=True):
            total[token.text] += 1
            inside[token.text] += label != "O"
    return {word: (inside[word], n) for word, n in total.items()}


def training_sequences(docs, language, probabilities=None):
    """``(features, labels)`` per sentence, exactly as ``find_names`` sees the text.

    Each document is read with the names lexicon of the other parts only (jackknifing), as
    the model will meet text the lexicon was not made from; afterwards the lexicon of all
    ``docs`` is in use.  ``probabilities``, for a second pass, holds each document's
    first-pass probabilities (``jackknifed``).
    """
    folds = [list(range(k, len(docs), FOLDS)) for k in range(FOLDS)]
    for k, fold in enumerate(folds):
        use_lexicon(language, lexicon_of(docs[i] for j, other in enumerate(folds) if j != k for i in other))
        for i in fold:
            tokens = tokenize(docs[i].text)
            gold = token_spans(docs[i].persons, tokens)
            for sentence, feats in sequences(docs[i].text, tokens, language, probabilities and probabilities[i]):
                yield feats, labels(sentence, gold)
    use_lexicon(language, lexicon_of(docs))


def write_lexicon(language, docs) -> None:
    path = lexicon_path(language)
    rows = sorted(lexicon_of(docs).items())
    path.write_text("".join(f"{w}\t{i}\t{n}\n" for w, (i, n) in rows), encoding="utf-8")
    print(f"  names lexicon of {len(rows)} words -> {path} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)


def jackknifed(language, docs, path: Path, **settings) -> list[list[float]]:
    """Each document's first-pass probabilities that its words are in a name
    (``entities.names.name_probabilities``), from a one-pass model trained on the other
    parts of ``docs`` (``FOLDS`` of them), as the first pass will tag text it was not trained on."""
    out = [None] * len(docs)
    for k in range(FOLDS):
        held = list(range(k, len(docs), FOLDS))
        part = path.with_name(f"{path.name}.part{k}")
        train(language, [d for i, d in enumerate(docs) if i % FOLDS != k], part, **settings)
        for i, found in zip(held, name_probabilities([docs[i].text for i in held], language, model=part), strict=True):
            out[i] = found
        part.unlink()
    return out


def train(language, docs, path: Path, c1: float, c2: float, iterations: int, passes: int = 1) -> None:
    """Train a model on ``docs`` into ``path``; with ``passes`` 2 its first pass too, into
    ``first_pass_path(path)``."""
    probabilities = None
    if passes == 2:
        probabilities = jackknifed(language, docs, path, c1=c1, c2=c2, iterations=iterations)
        train(language, docs, first_pass_path(path), c1, c2, iterations)
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for feats, tags in training_sequences(docs, language, probabilities):
        trainer.append(feats, tags)
        n += len(tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    started = time.perf_counter()
    trainer.train(str(path))
    print(f"  trained on {len(docs)} documents, {n} words in {time.perf_counter() - started:.0f}s "
          f"-> {path} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)


def cross_validate(language, docs, k: int, settings: dict, errors: Path | None = None) -> None:
    """Train on all folds but one and score that one, for each of ``k`` folds of ``docs``
    (every k-th document); print the exact and overlap scores of all folds' names together.
    ``errors``, when given, gets a JSON line per document (its text, the tagged spans and the
    found ones), for reading the errors."""
    from bench.ner_eval import scores
    from entities.names import find_names

    found, gold = [], []
    for fold in range(k):
        held = docs[fold::k]
        path = Path(f"/tmp/names-{language}-cv{fold}-{os.getpid()}.crfsuite")
        train(language, [d for i, d in enumerate(docs) if i % k != fold], path, **settings)
        for doc in held:
            gold.append(token_spans(doc.persons, tokenize(doc.text)))
            found.append([(s.start, s.end) for s in find_names(doc.text, language, model=path)])
        path.unlink()
        first_pass_path(path).unlink(missing_ok=True)
    if errors:
        held = [doc for fold in range(k) for doc in docs[fold::k]]
        with errors.open("w", encoding="utf-8") as out:
            for doc, g, f in zip(held, gold, found, strict=True):
                out.write(json.dumps({"text": doc.text, "gold": g, "found": f}, ensure_ascii=False) + "\n")
    s = scores(found, gold)
    print(f"  {language} {k}-fold: exact P/R/F1 {'/'.join(f'{x:.3f}' for x in s['exact'])}; "
          f"overlap {'/'.join(f'{x:.3f}' for x in s['overlap'])}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=LANGUAGES, action="append")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--dev", action="store_true", help="train on train, score dev (nothing written)")
    parser.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation over the train and dev documents (nothing written)")
    parser.add_argument("--c1", type=float)
    parser.add_argument("--c2", type=float)
    parser.add_argument("--iterations", type=int)
    parser.add_argument("--errors", type=Path, help="with --cv: write each document's tagged and found spans here (JSON lines)")
    parser.add_argument("--passes", type=int, choices=(1, 2))
    args = parser.parse_args()
    if not args.corpora.exists():
        sys.exit(f"no corpora at {args.corpora}")
    for language in args.language or LANGUAGES:
        settings = dict(SETTINGS[language])
        settings.update({k: v for k, v in (("c1", args.c1), ("c2", args.c2), ("iterations", args.iterations), ("passes", args.passes)) if v is not None})
        parts = split(language, args.corpora)
        print(f"{language}: {settings}; documents train {len(parts['train'])}, dev {len(parts['dev'])}, "
              f"test {len(parts['test'])}", flush=True)
        if args.cv:
            cross_validate(language, parts["train"] + parts["dev"], args.cv, settings, args.errors)
        elif args.dev:
            from bench.ner_eval import score_recogniser

            path = Path(f"/tmp/names-{language}-dev-{os.getpid()}.crfsuite")
            train(language, parts["train"], path, **settings)
            score_recogniser(language, parts["dev"], path)
        else:
            train(language, parts["train"] + parts["dev"], model_path(language), **settings)
            write_lexicon(language, parts["train"] + parts["dev"])


if __name__ == "__main__":
    main()
