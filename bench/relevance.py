"""Relevance per language: the portal against plain BM25 baselines, on three sets, in one run.

    .venv/bin/python bench/relevance.py [--corpora PATH] [--sets hamshahri,qa,known]
        [--systems portal,tantivy,whoosh,chains,chains-snowball] [--split dev|test] [--keep DIR]

Sets (all from ``../shared/corpora``, see its README):

* ``hamshahri``: the 25 dev queries typed on a Persian keyboard over the
  5,375 Hamshahri articles (P@10, nDCG@10, MAP@100);
* ``qa``: qa-dev's 783 Arabic and 800 Persian questions over all 2,710
  paragraphs together, no language filter (MRR@10, Recall@10 per language);
* ``known``: a known-item set built here with a fixed seed: 10,000
  SaudiNewsNet articles and the 1,500 Fars articles; 500 titles per
  language, a run of 3 to 5 of their words typed with realistic variation (hamza
  forms, ة/ه, ى/ي, tashkeel, tatweel, dropped or added ال and و, Persian or
  Arabic yeh and kaf, ZWNJ/space/joined, Persian digits); every article with
  the same title is relevant.  Half the queries are ``dev``, half ``test``
  (kept aside: tune on dev).

Systems, on the same documents and queries:

* ``portal``: the site as it is, each set imported through the importer into
  a throw-away SQLite database and Whoosh index and searched through
  ``search.service.run_search`` (a child process per set);
* ``tantivy``: plain tantivy BM25 over ``articles.text.fold`` (yeh, kaf,
  alef, diacritics) words;
* ``whoosh``: stock Whoosh BM25F with haystack's default analyzer
  (``StemmingAnalyzer``);
* ``chains``: tantivy BM25 over ``articles.text.chains`` terms, each article
  analysed in its language, each query in ``query_language``'s (or both);
  stop words weigh 0.1 unless the query has nothing else;
* ``chains-snowball``: the same with Snowball's Arabic stemmer in place of
  the chain's light Arabic stemmer.

The three BM25 systems index a title field and a text field (title, lead,
body), summed with equal weight (a boost of 3 on the title lowered every
system's qa MRR@10 by 0.04 to 0.06: qa paragraphs of one article share its title).  Prints one table: each figure with its ratio to tantivy (t)
and to whoosh (w).  ``--keep DIR`` keeps the portal's databases there and
reuses them (the import is the slow part).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpora  # noqa: E402
import search_quality  # noqa: E402

from articles.text import ZWNJ, arabic_letters, chains, fold, normalize_key, persian_letters, query_language, to_persian_digits  # noqa: E402

SEED = 20261206
KNOWN_ARABIC_DOCS = 10000
KNOWN_PER_LANGUAGE = 500
TITLE_BOOST = 1.0
STOP_WEIGHT = 0.1
OTHER_LANGUAGE_WEIGHT = 0.5
PLAIN_WEIGHT = 0.5
SYSTEMS = ("portal", "tantivy", "whoosh", "chains", "chains-snowball")
BASELINES = ("tantivy", "whoosh")


@dataclass
class Query:
    text: str
    relevant: set[str]
    language: str


@dataclass
class Collection:
    name: str
    docs: list[dict]  # feed items: id, title, lead, body, language, ...
    queries: list[Query]
    metrics: tuple[str, ...]
    depth: int = 10
    runs: dict = field(default_factory=dict)  # system -> ranked ids per query


# --- the sets ----------------------------------------------------------------------


def hamshahri(root: Path, split: str) -> Collection:
    corpus = root / "hamshahri"
    docs = [json.loads(line) for line in search_quality.ham_feed_lines(corpus / "corpus")]
    qrels = search_quality.read_qrels(corpus)
    queries = [
        Query(search_quality.persian_keyboard(path.read_text("utf-8")), qrels[path.stem], "fa")
        for path in sorted((corpus / "queries").glob("*.q"), key=lambda p: int(p.stem))
    ]
    return Collection("hamshahri", docs, queries, ("P@10", "nDCG@10", "MAP@100"), depth=100)


def qa(root: Path, split: str) -> Collection:
    folder = root / "qa-dev"
    docs = [json.loads(line) for line in (folder / "feed.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    queries = []
    for line in (folder / "queries-dev.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            question, relevant, language = line.split("\t")
            queries.append(Query(question, set(relevant.split(",")), language))
    return Collection("qa", docs, queries, ("MRR@10", "Recall@10"))


def known(root: Path, split: str) -> Collection:
    rng = random.Random(SEED)
    arabic = [item for item in corpora.saudinewsnet(root) if item["title"].strip()]
    arabic = rng.sample(arabic, KNOWN_ARABIC_DOCS)
    persian = [item for item in corpora.fars(root) if item["title"].strip()]
    docs = []
    for prefix, items in (("sn", arabic), ("fars", persian)):
        for i, item in enumerate(items):
            docs.append({**item, "id": f"{prefix}-{i:05d}", "url": ""})
    by_title: dict[str, set[str]] = {}
    for doc in docs:
        by_title.setdefault(normalize_key(doc["title"]), set()).add(doc["id"])
    queries = []
    for language in ("ar", "fa"):
        targets = [d for d in docs if d["language"] == language and len(d["title"].split()) >= 4]
        for doc in rng.sample(targets, KNOWN_PER_LANGUAGE):
            text = typed_title(doc["title"], language, rng)
            queries.append(Query(text, by_title[normalize_key(doc["title"])], language))
    # every other query of each language is dev, the rest test
    queries = [q for i, q in enumerate(queries) if (i % 2 == 0) == (split == "dev")]
    return Collection("known", docs, queries, ("MRR@10", "Recall@10"))


SETS = {"hamshahri": hamshahri, "qa": qa, "known": known}


# --- typing variation ----------------------------------------------------------------

_HARAKAT = "\u064e\u064f\u0650\u0651\u0652"
_JOINING = set("بتثجحخسشصضطظعغفقكلمنهيیکگپچ")


def _pick(words, rng, test):
    spots = [i for i, w in enumerate(words) if test(w)]
    return rng.choice(spots) if spots else None


def _hamza(words, rng, add=True):
    i = _pick(words, rng, lambda w: any(c in w for c in "أإآ"))
    if i is not None:
        words[i] = re.sub("[أإآ]", "ا", words[i])
        return True
    if not add:
        return False
    i = _pick(words, rng, lambda w: w.startswith("ا") and not w.startswith("ال") and len(w) > 3)
    if i is not None:
        words[i] = rng.choice("أإ") + words[i][1:]
        return True
    return False


def _swap_end(words, rng, a, b):
    i = _pick(words, rng, lambda w: w.endswith((a, b)))
    if i is None:
        return False
    w = words[i]
    words[i] = w[:-1] + (b if w.endswith(a) else a)
    return True


def _tashkeel(words, rng):
    i = _pick(words, rng, lambda w: len(w) > 2 and w.isalpha())
    if i is None:
        return False
    w = list(words[i])
    for k in sorted(rng.sample(range(len(w)), min(3, len(w))), reverse=True):
        w.insert(k + 1, rng.choice(_HARAKAT))
    words[i] = "".join(w)
    return True


def _tatweel(words, rng):
    i = _pick(words, rng, lambda w: any(a in _JOINING and b in _JOINING for a, b in zip(w, w[1:], strict=False)))
    if i is None:
        return False
    w = words[i]
    k = next(k for k in range(1, len(w)) if w[k - 1] in _JOINING and w[k] in _JOINING)
    words[i] = w[:k] + "ـ" * rng.randint(1, 3) + w[k:]
    return True


def _article(words, rng):
    if rng.random() < 0.5:
        i = _pick(words, rng, lambda w: w.startswith("ال") and len(w) > 4)
        if i is not None:
            words[i] = words[i][2:]
            return True
    i = _pick(words, rng, lambda w: not w.startswith(("ال", "و", "ب", "ل", "ك", "ف")) and len(w) > 3 and w.isalpha())
    if i is None:
        return False
    words[i] = "ال" + words[i]
    return True


def _waw(words, rng):
    i = _pick(words, rng, lambda w: w.startswith("وال") and len(w) > 5)
    if i is not None:
        words[i] = words[i][1:]
        return True
    i = _pick(words, rng, lambda w: w.startswith("ال") and len(w) > 4)
    if i is None:
        return False
    words[i] = "و" + words[i]
    return True


def _other_keyboard(words, rng, language):
    keyboard = persian_letters if language == "ar" else arabic_letters  # Arabic typed on a Persian one, and the reverse
    changed = [keyboard(w) for w in words]
    if changed == words:
        return False
    words[:] = changed
    return True


def _digits(words, rng):
    if not any(c.isdigit() for w in words for c in w):
        return False
    words[:] = [to_persian_digits(w) for w in words]
    return True


def _joiners(words, rng):
    """ZWNJ, space or joined where Persian writers differ: می شود, کتاب ها, بین المللی."""
    for i in range(len(words) - 1):
        if words[i] in ("می", "نمی") or words[i + 1] in ("ها", "های", "تر", "ترین"):
            words[i:i + 2] = [words[i] + rng.choice([ZWNJ, ""]) + words[i + 1]]
            return True
    i = _pick(words, rng, lambda w: ZWNJ in w)
    if i is not None:
        words[i] = words[i].replace(ZWNJ, rng.choice([" ", ""]))
        return True
    i = _pick(words, rng, lambda w: w.startswith(("می", "نمی")) and len(w) > 4)
    if i is None:
        return False
    cut = 3 if words[i].startswith("نمی") else 2
    words[i] = words[i][:cut] + rng.choice([ZWNJ, " "]) + words[i][cut:]
    return True


VARIATIONS = {
    "ar": [_hamza, lambda w, r: _swap_end(w, r, "ة", "ه"), lambda w, r: _swap_end(w, r, "ى", "ي"), _tashkeel,
           _tatweel, _article, _waw, lambda w, r: _other_keyboard(w, r, "ar"), _digits],
    "fa": [lambda w, r: _hamza(w, r, add=False), lambda w, r: _swap_end(w, r, "ه", "ة"), _tashkeel, _tatweel, _joiners,
           lambda w, r: _other_keyboard(w, r, "fa"), _digits],
}


def typed_title(title: str, language: str, rng: random.Random) -> str:
    """A run of 3 to 5 words of ``title`` as a reader types it again, with two to four variations."""
    words = title.split()
    length = min(len(words), rng.randint(3, 5))
    start = rng.randint(0, len(words) - length)
    words = words[start:start + length]
    if language == "fa":
        words = persian_letters(" ".join(words)).split()  # a Persian keyboard
    for variation in rng.sample(VARIATIONS[language], rng.randint(2, 4)):
        variation(words, rng)
    return " ".join(words)


# --- the systems ---------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W_]+")


def fold_terms(text: str, language: str | None = None):
    return [(w, 1.0) for w in _WORD_RE.findall(fold(text))]


def _chain_terms(stemmers=None, other: float = OTHER_LANGUAGE_WEIGHT):
    def doc_terms(text: str, language: str | None):
        return [(t.text, 1.0) for t in chains.analyze(text, language, stemmers=stemmers)]

    def query_terms(text: str, language: str | None = None):
        language = query_language(text)
        found = [(t, 1.0) for t in chains.analyze(text, language, stemmers=stemmers)]
        if language and other:
            # the other language's terms too, weighing less: a query's letters can mislead
            found += [(t, other) for t in chains.analyze(text, "ar" if language == "fa" else "fa", stemmers=stemmers)]
        content = any(not t.stop for t, _ in found)
        weights: dict[str, float] = {}
        for t, weight in found:
            weight *= STOP_WEIGHT if t.stop and content else 1.0
            weights[t.text] = max(weights.get(t.text, 0.0), weight)
        return list(weights.items())

    return doc_terms, query_terms


def _snowball_arabic():
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("arabic")
    memo: dict[str, str] = {}

    def stem(word: str) -> str:
        if word not in memo:
            memo[word] = fold(stemmer.stemWord(arabic_letters(word)))  # Snowball reads Arabic yeh and kaf
        return memo[word]

    return {"ar": stem}


class TantivyBM25:
    """BM25 over terms analysed in Python, given to tantivy split on spaces.

    With ``plain``, a third field holds the folded, unstemmed words of the
    text (``chains.fold_words``), queried with weight ``PLAIN_WEIGHT``.
    """

    def __init__(self, doc_terms, query_terms, plain: bool = False):
        self.doc_terms, self.query_terms, self.plain = doc_terms, query_terms, plain

    def index(self, docs: list[dict]) -> None:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        for name in ("title", "text", "plain") if self.plain else ("title", "text"):
            builder.add_text_field(name, tokenizer_name="whitespace")
        self.schema = builder.build()
        self.ix = tantivy.Index(self.schema)
        writer = self.ix.writer(heap_size=128_000_000, num_threads=1)
        for doc in docs:
            language = doc.get("language")
            text = "\n".join(doc.get(k) or "" for k in ("title", "lead", "body"))
            fields = {
                "id": doc["id"],
                "title": " ".join(t for t, _ in self.doc_terms(doc["title"], language)),
                "text": " ".join(t for t, _ in self.doc_terms(text, language)),
            }
            if self.plain:
                fields["plain"] = " ".join(chains.fold_words(text))
            writer.add_document(tantivy.Document(**fields))
        writer.commit()
        writer.wait_merging_threads()
        self.ix.reload()
        self.searcher = self.ix.searcher()

    def search(self, text: str, depth: int) -> list[str]:
        import tantivy

        weighted = [(name, term, weight * boost) for term, weight in self.query_terms(text)
                    for name, boost in (("title", TITLE_BOOST), ("text", 1.0))]
        if self.plain:
            weighted += [("plain", word, PLAIN_WEIGHT) for word in dict.fromkeys(chains.fold_words(text))]
        clauses = [
            (tantivy.Occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, name, term), weight))
            for name, term, weight in weighted
        ]
        if not clauses:
            return []
        hits = self.searcher.search(tantivy.Query.boolean_query(clauses), depth).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]


class WhooshStock:
    """Whoosh BM25F with haystack's default analyzer for text fields (``StemmingAnalyzer``)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def index(self, docs: list[dict]) -> None:
        from whoosh import fields, index
        from whoosh.analysis import StemmingAnalyzer

        self.analyzer = StemmingAnalyzer()
        schema = fields.Schema(id=fields.ID(stored=True, unique=True), title=fields.TEXT(analyzer=self.analyzer),
                               text=fields.TEXT(analyzer=self.analyzer))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ix = index.create_in(str(self.folder), schema)
        writer = self.ix.writer(limitmb=256)
        for doc in docs:
            text = "\n".join(doc.get(k) or "" for k in ("title", "lead", "body"))
            writer.add_document(id=doc["id"], title=doc["title"], text=text)
        writer.commit()
        self.searcher = self.ix.searcher()

    def search(self, text: str, depth: int) -> list[str]:
        from whoosh import query

        words = {t.text for t in self.analyzer(text)}
        clauses = [query.Term("title", w, boost=TITLE_BOOST) for w in words] + [query.Term("text", w) for w in words]
        if not clauses:
            return []
        return [hit["id"] for hit in self.searcher.search(query.Or(clauses), limit=depth)]


def portal_runs(collection: Collection, workdir: Path) -> list[list[str]]:
    """The portal's rankings, from a child process with its own database and index in ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "docs.jsonl").write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in collection.docs),
                                        encoding="utf-8")
    (workdir / "queries.json").write_text(json.dumps([q.text for q in collection.queries], ensure_ascii=False),
                                          encoding="utf-8")
    subprocess.run([sys.executable, __file__, "_portal", str(workdir), str(collection.depth)], check=True, cwd=ROOT)
    return json.loads((workdir / "ranked.json").read_text(encoding="utf-8"))


def _portal_child(workdir: Path, depth: int) -> None:
    if search_quality.open_portal(workdir):
        lines = (workdir / "docs.jsonl").read_text(encoding="utf-8").splitlines()
        search_quality.import_feed_lines(workdir, lines, "docs")
    from search.params import SearchParams
    from search.service import run_search

    ranked = []
    for text in json.loads((workdir / "queries.json").read_text(encoding="utf-8")):
        try:
            ranked.append([h.external_id for h in run_search(SearchParams(q=text, page_size=depth)).hits])
        except Exception as error:  # a query the portal refuses finds nothing; say so
            print(f"portal refused {text!r}: {error}", file=sys.stderr)
            ranked.append([])
    (workdir / "ranked.json").write_text(json.dumps(ranked, ensure_ascii=False), encoding="utf-8")


# --- figures -------------------------------------------------------------------------


def figures(collection: Collection, ranked: list[list[str]], language: str) -> dict[str, float]:
    rows = [(q, r) for q, r in zip(collection.queries, ranked, strict=True) if q.language == language]
    if not rows:
        return {}
    sums = dict.fromkeys(collection.metrics, 0.0)
    for q, r in rows:
        if "MRR@10" in sums:
            sums["MRR@10"] += next((1 / (i + 1) for i, doc in enumerate(r[:10]) if doc in q.relevant), 0.0)
            sums["Recall@10"] += len(q.relevant & set(r[:10])) / len(q.relevant)
        else:
            p10, ndcg10, ap100 = search_quality.ranking_figures(r, q.relevant)
            sums["P@10"] += p10
            sums["nDCG@10"] += ndcg10
            sums["MAP@100"] += ap100
    return {k: v / len(rows) for k, v in sums.items()}


def table(collections: list[Collection], systems: list[str]) -> str:
    head = f"{'set':<10}{'lang':<5}{'n':>5}  {'metric':<10}" + "".join(f"{s:>24}" for s in systems)
    lines = [head, "-" * len(head)]
    for c in collections:
        for language in ("ar", "fa"):
            n = sum(q.language == language for q in c.queries)
            per_system = {s: figures(c, c.runs[s], language) for s in systems if s in c.runs}
            if not n:
                continue
            for metric in c.metrics:
                cells = []
                for s in systems:
                    value = per_system.get(s, {}).get(metric)
                    if value is None:
                        cells.append(f"{'-':>24}")
                        continue
                    ratios = " ".join(_ratio(value, per_system.get(b, {}).get(metric), b[0]) for b in BASELINES
                                      if b != s and b in per_system)
                    cells.append(f"{value:.3f}{(' (' + ratios + ')') if ratios else ''}".rjust(24))
                lines.append(f"{c.name:<10}{language:<5}{n:>5}  {metric:<10}" + "".join(cells))
    lines.append("(t, w: ratio to tantivy+folding and to stock Whoosh in this run)")
    return "\n".join(lines)


def _ratio(value: float, base: float | None, label: str) -> str:
    if not base:
        return f"{label} -"
    return f"{label}{value / base:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=corpora.DEFAULT_CORPORA)
    parser.add_argument("--sets", default="hamshahri,qa,known")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the portal's databases in this folder")
    args = parser.parse_args()
    systems = args.systems.split(",")
    collections = []
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        for name in args.sets.split(","):
            started = time.perf_counter()
            collection = SETS[name](args.corpora, args.split)
            print(f"{name}: {len(collection.docs)} documents, {len(collection.queries)} queries", file=sys.stderr)
            for system in systems:
                began = time.perf_counter()
                if system == "portal":
                    folder = (args.keep or Path(tmp)) / f"portal-{name}"
                    collection.runs[system] = portal_runs(collection, folder)
                else:
                    engine = _engine(system, Path(tmp) / f"{system}-{name}")
                    engine.index(collection.docs)
                    collection.runs[system] = [engine.search(q.text, collection.depth) for q in collection.queries]
                print(f"  {system}: {time.perf_counter() - began:.0f}s", file=sys.stderr)
            collections.append(collection)
            print(f"  ({time.perf_counter() - started:.0f}s)", file=sys.stderr)
    print(table(collections, systems))


def _engine(system: str, folder: Path):
    if system == "tantivy":
        return TantivyBM25(fold_terms, fold_terms)
    if system == "whoosh":
        return WhooshStock(folder)
    if system == "chains":
        return TantivyBM25(*_chain_terms(), plain=True)
    if system == "chains-snowball":
        return TantivyBM25(*_chain_terms(_snowball_arabic()), plain=True)
    raise SystemExit(f"unknown system {system!r} (one of {', '.join(SYSTEMS)})")


if __name__ == "__main__":
    if sys.argv[1:2] == ["_portal"]:
        _portal_child(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
