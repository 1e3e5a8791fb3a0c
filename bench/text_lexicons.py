"""Derive the word lists of ``articles/text/data/`` from the shared corpora and the knowledge base.

    .venv/bin/python bench/text_lexicons.py [--corpora ../shared/corpora]

Deterministic (same corpora, same files).  Writes, all folded:

* ``words-fa.txt`` / ``words-ar.txt``: word counts (seen at least
  ``MIN_COUNT`` times) of PEYMA (Persian news) and of ANERcorp with the ANT
  corpus (Arabic news), which the chains use to check that a stem is a word;
* ``names.txt``: the words PEYMA and ANERcorp tag as a person or a place in
  most of their occurrences, with every word of the knowledge base's names,
  and ``hand-names.txt``;
* ``compounds.txt``: two-part words PEYMA writes as one token (with a ZWNJ
  or a space inside), with ``hand-compounds.txt``.

None of the evaluation sets of ``bench/relevance.py`` (Hamshahri, qa-dev,
SaudiNewsNet, Fars) is read.
"""

from __future__ import annotations

import argparse
import sys
import tarfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpora  # noqa: E402

from articles.text import ZWNJ, fold_key, words  # noqa: E402
from articles.text.morphology import _AR_PREFIXES, _AR_PROCLITICS, AND, PERSONAL_ENDINGS  # noqa: E402
from articles.text.stopwords import STOP_AR, STOP_FA  # noqa: E402
from articles.text.tokens import _JOIN_PREFIXES, _JOIN_SUFFIXES  # noqa: E402

DATA = ROOT / "articles" / "text" / "data"
KNOWLEDGE_BASE = ROOT / "entities" / "data" / "knowledge_base.yaml"
MIN_COUNT = 3
NAME_TAGS = ("PER", "LOC")
# a word is a name when tagged so at least this share of the times it occurs
NAME_SHARE = 0.6
_AFFIXES = _JOIN_PREFIXES | _JOIN_SUFFIXES | PERSONAL_ENDINGS


def peyma(root: Path):
    """``(token, tag)`` of PEYMA (300K: tab and B_PER; 600K: space and B-PER)."""
    for path in sorted((root / "ner" / "peyma-fa").rglob("*")):
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if not line:
                continue
            token, sep, tag = line.rpartition("\t") if "\t" in line else line.rpartition(" ")
            if sep:
                yield token.strip(), tag.strip().replace("_", "-")


def anercorp(root: Path):
    for line in (root / "ner" / "anercorp-ar" / "train.txt").read_text(encoding="utf-8").splitlines():
        token, _, tag = line.strip().rpartition(" ")
        if token:
            yield token, tag.replace("PERS", "PER")


def ant(root: Path):
    """The text of every ANT article (not an evaluation set)."""
    with tarfile.open(root / "ant-corpus-ar.tar.gz") as archive:
        for member in archive:
            if member.isfile():
                yield archive.extractfile(member).read().decode("utf-8", errors="replace")


def tagged_counts(pairs, counts: Counter, names: Counter, compounds: Counter | None) -> None:
    for token, tag in pairs:
        pieces = words(token)
        counts.update(pieces)
        if tag[2:] in NAME_TAGS:
            names.update(pieces)
        if compounds is not None:
            _compound(token, compounds)


def _compound(token: str, compounds: Counter) -> None:
    parts = [fold_key(p) for p in token.replace(ZWNJ, " ").split()]
    if len(parts) == 2 and parts[1][:1] == AND and len(parts[1]) >= 3:
        parts = [parts[0], AND, parts[1][1:]]  # "گفت‌وگو": a two-part spelling with و
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[1] != AND):
        return
    content = [p for p in parts if p != AND]
    if all(len(p) >= 2 and p.isalpha() and p not in _AFFIXES for p in content):
        compounds[" ".join(parts)] += 1


def _bare(name: str, names: set[str], counts: Counter) -> str:
    """A name without the proclitics Arabic writes on it: the chains strip
    the article before they look a word up (الریاض, بالریاض -> ریاض), and a
    conjunction or preposition where the rest is a name or a commoner word
    (لروسیا -> روسیا, but لبنان stays)."""
    for prefix in _AR_PROCLITICS:
        rest = name[len(prefix):]
        if not name.startswith(prefix) or len(rest) < 3:
            continue
        if prefix in _AR_PREFIXES or rest in names or counts[rest] >= max(MIN_COUNT, counts[name]):
            return rest
    return name


def _tagged_names(counts: Counter, tagged: Counter, stop: frozenset) -> set[str]:
    return {w for w, n in tagged.items() if n >= 2 and n >= NAME_SHARE * counts[w] and len(w) >= 3 and w not in stop}


def knowledge_base_words() -> tuple[set[str], set[str]]:
    """The words of the Persian (and English) and of the Arabic names of people and places."""
    data = yaml.safe_load(KNOWLEDGE_BASE.read_text(encoding="utf-8"))
    found = {"fa": set(), "ar": set()}
    for kind in ("places", "people"):  # events are named by ordinary words
        for entry in data.get(kind) or []:
            texts = [(lang, text) for lang, text in (entry.get("names") or {}).items()]
            texts += [(lang, text) for lang, aliases in (entry.get("aliases") or {}).items() for text in aliases]
            for lang, text in texts:
                found["ar" if lang == "ar" else "fa"].update(w for w in words(str(text)) if len(w) >= 3 and w.isalpha())
    return found["fa"], found["ar"]


def _hand_list(name: str) -> list[str]:
    """The lines of a list kept by hand in ``DATA`` (``#`` lines are comments)."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def write(path: Path, header: str, lines) -> int:
    lines = list(lines)
    path.write_text(header + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=corpora.DEFAULT_CORPORA)
    args = parser.parse_args()
    fa, fa_names, compounds = Counter(), Counter(), Counter()
    tagged_counts(peyma(args.corpora), fa, fa_names, compounds)
    ar, ar_names = Counter(), Counter()
    tagged_counts(anercorp(args.corpora), ar, ar_names, None)
    for text in ant(args.corpora):
        ar.update(words(text))

    fa_kb, ar_kb = knowledge_base_words()
    names = fa_kb | {fold_key(w) for w in _hand_list("hand-names.txt")} | _tagged_names(fa, fa_names, STOP_FA)
    # Arabic names without the proclitics written on them; Persian ones as they are (کالیفرنیا)
    arabic = ar_kb | _tagged_names(ar, ar_names, STOP_AR)
    names |= {_bare(w, arabic, ar) for w in arabic}
    compound_lines = {c for c, n in compounds.items() if n >= 2} | {" ".join(fold_key(w) for w in line.split())
                                                                   for line in _hand_list("hand-compounds.txt")}
    DATA.mkdir(exist_ok=True)
    source = "# Derived by bench/text_lexicons.py; do not edit by hand (see README.md here).\n"
    for language, counts in (("fa", fa), ("ar", ar)):
        kept = sorted((w for w, n in counts.items() if n >= MIN_COUNT and w.isalpha()), key=lambda w: (-counts[w], w))
        print(f"words-{language}.txt:", write(DATA / f"words-{language}.txt", source, (f"{w} {counts[w]}" for w in kept)))
    print("names.txt:", write(DATA / "names.txt", source, sorted(names)))
    print("compounds.txt:", write(DATA / "compounds.txt", source, sorted(compound_lines)))


if __name__ == "__main__":
    main()
