"""Word clusters from untagged news, a feature of the person-name recogniser.

    .venv/bin/python bench/word_clusters.py [--language fa|ar] [--out FILE]   (run by ``make ner-model``)

A few hundred tagged documents name only so many people; millions of untagged
words show which words stand where names stand.  Each frequent folded word is
described by the words just before and after it (positive PMI of the counts),
reduced to ``DIMENSIONS`` with a truncated SVD and grouped by k-means at each of
the language's sizes, coarse to fine.  ``entities.name_features`` reads the result
(``entities.name_features.clusters_path``): ``word TAB coarse TAB … TAB fine`` per line.

Text: Persian from Hamshahri and Fars News (its first 6M words), Arabic from
SaudiNewsNet and JawharaFM (``bench/corpora.py``; all 10.3M words), as ``SETTINGS``
says.  Benchmarks and training only: the site reads the written file.
"""

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from scipy.sparse import coo_matrix  # noqa: E402

from articles.text import tokenize  # noqa: E402
from bench.corpora import DEFAULT_CORPORA, ant, fars, hamshahri, saudinewsnet  # noqa: E402
from entities.name_features import clusters_path  # noqa: E402

READERS = {"fa": (hamshahri, fars), "ar": (saudinewsnet, ant)}
# Per language: the words read (None: all), the most words that get a cluster (those
# seen at least MIN_COUNT times) and the numbers of clusters, coarse to fine.  Arabic's
# v2 reads all 10.3M words and adds a finer level; it keeps 60,000 words: with all 95k
# seen 5+ times the rare ones, foreign names often, lose "no cluster", which tells of
# them (entities/data/NAMES.md).
SETTINGS = {"fa": {"max_words": 6_000_000, "vocabulary": 60_000, "sizes": (64, 512)},
            "ar": {"max_words": None, "vocabulary": 60_000, "sizes": (64, 512, 2048)}}
MIN_COUNT = 5
CONTEXTS = 3_000  # the most frequent words, as left and right neighbours
DIMENSIONS = 100
SEED = 16


def sentences(language: str, root: Path, max_words: int | None):
    """Folded words of the language's untagged articles, one list per paragraph (a word
    met again is the same string: ten million words fit in memory)."""
    seen, same = 0, {}
    for reader in READERS[language]:
        for article in reader(root):
            for part in (article["title"], article.get("lead") or "", article["body"]):
                for paragraph in part.split("\n"):
                    found = [same.setdefault(t.text, t.text) for t in tokenize(paragraph)]
                    if found:
                        seen += len(found)
                        yield found
                if max_words and seen >= max_words:
                    return


def build(language: str, root: Path) -> dict[str, tuple[int, ...]]:
    started = time.perf_counter()
    settings = SETTINGS[language]
    paragraphs = list(sentences(language, root, settings["max_words"]))
    counts = Counter(w for p in paragraphs for w in p)
    vocabulary = [w for w, n in counts.most_common(settings["vocabulary"]) if n >= MIN_COUNT]
    index = {w: i for i, w in enumerate(vocabulary)}
    context = {w: i for i, w in enumerate(vocabulary[:CONTEXTS])}
    pairs = Counter()
    for p in paragraphs:
        ids = [index.get(w, -1) for w in p]
        ctx = [context.get(w, -1) for w in p]
        for k, i in enumerate(ids):
            if i < 0:
                continue
            if k and ctx[k - 1] >= 0:
                pairs[i, ctx[k - 1]] += 1
            if k + 1 < len(p) and ctx[k + 1] >= 0:
                pairs[i, CONTEXTS + ctx[k + 1]] += 1
    print(f"  {language}: {sum(counts.values())} words, {len(vocabulary)} kept, {len(pairs)} pairs "
          f"({time.perf_counter() - started:.0f}s)", flush=True)
    rows, cols = np.array([k[0] for k in pairs]), np.array([k[1] for k in pairs])
    values = np.array(list(pairs.values()), dtype=np.float64)
    total = values.sum()
    row_sum = np.bincount(rows, weights=values, minlength=len(vocabulary))
    col_sum = np.bincount(cols, weights=values, minlength=2 * CONTEXTS)
    pmi = np.log(values * total / (row_sum[rows] * col_sum[cols]))
    keep = pmi > 0
    matrix = coo_matrix((pmi[keep], (rows[keep], cols[keep])), shape=(len(vocabulary), 2 * CONTEXTS)).tocsr()
    vectors = _svd(matrix, DIMENSIONS)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    labels = [_kmeans(vectors, size) for size in settings["sizes"]]
    print(f"  {language}: clusters in {time.perf_counter() - started:.0f}s", flush=True)
    return {w: tuple(int(lab[i]) for lab in labels) for i, w in enumerate(vocabulary)}


def _svd(matrix, k: int, oversample: int = 20, power: int = 2) -> np.ndarray:
    """The rows of ``matrix`` in its top ``k`` singular directions (U·√S), by a randomized SVD
    (Halko et al.): seconds where ARPACK's ``svds`` takes minutes on this shared machine."""
    rng = np.random.default_rng(SEED)
    q, _ = np.linalg.qr(matrix @ rng.standard_normal((matrix.shape[1], k + oversample)))
    for _ in range(power):
        q, _ = np.linalg.qr(matrix @ (matrix.T @ q))
    u, s, _ = np.linalg.svd((matrix.T @ q).T, full_matrices=False)
    return (q @ u[:, :k]) * np.sqrt(s[:k])


def _kmeans(vectors: np.ndarray, size: int, iterations: int = 15) -> np.ndarray:
    """Lloyd's k-means with distances as one matrix product (scipy's ``kmeans2`` compares
    points one by one: minutes for 60,000 words and 512 clusters)."""
    rng = np.random.default_rng(SEED)
    centres = vectors[rng.choice(len(vectors), size, replace=False)]
    for _ in range(iterations):
        label = np.argmax(vectors @ centres.T - 0.5 * (centres ** 2).sum(axis=1), axis=1)
        for c in range(size):
            members = vectors[label == c]
            if len(members):
                centres[c] = members.mean(axis=0)
    return label


def write(clusters: dict[str, tuple[int, ...]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for word in sorted(clusters):
            out.write(word + "\t" + "\t".join(map(str, clusters[word])) + "\n")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=tuple(READERS), action="append")
    parser.add_argument("--corpora", type=Path, default=Path(os.environ.get("CORPORA", DEFAULT_CORPORA)))
    parser.add_argument("--out", type=Path, help="write here rather than the recogniser's file (one language)")
    args = parser.parse_args()
    for language in args.language or READERS:
        path = write(build(language, args.corpora), args.out or clusters_path(language))
        print(f"  -> {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
