"""Find the names of people in Persian and Arabic text.

``find_names(text, language)`` tags the words of ``text`` with a linear-chain
CRF (python-crfsuite) trained on tagged news (PEYMA for Persian, ANERcorp for
Arabic; ``make ner-model`` rebuilds it with ``bench/train_names.py``, which the
site never imports) and returns each name's character span with a probability
taken from the model's marginals.  The features are computed here, from
``articles.text`` only, so training and the site see the same words.

Where a language's model file is missing the rules of ``entities.matching``
(unknown names after title words) stand in, with a logged warning.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from articles.text import STOP_WORDS, Token, clitic_forms, detect_language, stem, tokenize, words

from .matching import TITLES, Alias, Gazetteer, find_candidates

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
KNOWLEDGE_BASE = DATA / "knowledge_base.yaml"
# Bumped whenever the features change: a model trained on other features is
# another file, so an old one is never read with new features.
MODEL_VERSION = 1
LANGUAGES = ("fa", "ar")
# Begin, Inside, Last word of a name, a Unit (one-word name), Outside: marking
# the last word helps a linear-chain CRF find where a name ends (Ratinov and
# Roth 2009) better than B/I/O.
LABELS = ("B", "I", "L", "U", "O")


class Span(NamedTuple):
    """A name found in a text: character offsets into it, the name as written, and
    how sure the recogniser is (0-1)."""

    start: int
    end: int
    text: str
    score: float


def model_path(language: str) -> Path:
    """Where the trained model of ``language`` ("fa" or "ar") is kept."""
    return DATA / f"names-{language}.v{MODEL_VERSION}.crfsuite"


def clusters_path(language: str) -> Path:
    """The word clusters the model of ``language`` was trained with (``bench/word_clusters.py``)."""
    return DATA / f"clusters-{language}.v{MODEL_VERSION}.tsv"


# --- features ----------------------------------------------------------------

# Words that stand before or after a person's name in news: titles, ranks,
# roles and honorifics (with the title phrases of ``entities.matching``).
_ROLES = """
آقای خانم آقا دکتر مهندس استاد حجت‌الاسلام حجت‌الاسلام‌والمسلمین آیت‌الله آیت الله سردار سرلشکر سرتیپ
سرهنگ سپهبد دریادار امیر شهید مرحوم حضرت امام رهبر رئیس رییس وزیر معاون سخنگوی سخنگو نماینده سفیر
دبیرکل فرمانده مدیرعامل مدیر دبیر نخست‌وزیر رئیس‌جمهور رئیس‌جمهوری پادشاه ملکه ولیعهد شاه شیخ سرمربی
مربی بازیکن کاپیتان مهاجم هافبک دروازه‌بان خبرنگار نویسنده کارگردان بازیگر خواننده شاعر همتای نامزد
السيد السيدة الدكتور الشيخ الرئيس الملك الملكة الأمير الوزير وزير رئيس نائب السفير الأمين اللواء العميد
العقيد الفريق المشير الإمام آية الحاج المهندس الأستاذ المدرب اللاعب الكاتب الفنان المتحدث الناطق زعيم
قائد ولي السلطان المستشار النائب المبعوث نظيره المرشح
"""
ROLE_WORDS = frozenset(words(_ROLES + " ".join(TITLES)))
_QUOTES = frozenset("«»\"'“”‘’")
_SENTENCE_END = frozenset(".!?؟\n")


def _gap(text: str, start: int, end: int) -> str:
    """The punctuation between two words ("" for spaces only, ¶ for a line break), at most three marks."""
    return "".join("¶" if ch == "\n" else ch for ch in text[start:end] if not ch.isspace() or ch == "\n")[:3]


def sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """``(i, j)`` token ranges of the sentences: a sentence ends where the gap after a word
    holds . ! ? ؟ or a line break."""
    out, start = [], 0
    for i in range(len(tokens) - 1):
        if not _SENTENCE_END.isdisjoint(text[tokens[i].end:tokens[i + 1].start]):
            out.append((start, i + 1))
            start = i + 1
    if tokens:
        out.append((start, len(tokens)))
    return out


def _shortest(form: str) -> tuple[int, str]:
    return len(form), form


@lru_cache(maxsize=1 << 17)  # a Zipfian vocabulary: most words are seen again
def _word_features(word: str) -> tuple[str, ...]:
    """What the model knows of one folded word, wherever it stands."""
    forms = clitic_forms(word)
    core = min(forms, key=_shortest)  # one answer however the set is ordered (hash seeds differ)
    feats = [
        "w=" + word, "stem=" + stem(word), "core=" + core,
        "p2=" + word[:2], "p3=" + word[:3], "s2=" + word[-2:], "s3=" + word[-3:], "s4=" + word[-4:],
        "len=" + str(min(len(word), 9)),
    ]
    if not word.isalpha():
        feats.append("digit" if any(ch.isdigit() for ch in word) else "mixed")
    elif word.isascii():
        feats.append("latin")
    if word in STOP_WORDS:
        feats.append("stop")
    if word in ROLE_WORDS:
        feats.append("role")
    elif not forms.isdisjoint(ROLE_WORDS):
        feats.append("role_clitic")
    if core != word:
        feats.append("clitic=" + word[: len(word) - len(core)] if word.endswith(core) else "enclitic")
    return tuple(feats)


@lru_cache(maxsize=2)
def _clusters(language: str) -> dict[str, tuple[str, ...]]:
    path = clusters_path(language)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        log.warning("names: no word clusters at %s; names will be found less well", path)
        return {}
    return {word: tuple(f"c{n}={c}" for n, c in enumerate(rest)) for word, *rest in (line.split("\t") for line in lines)}


def _cluster(clusters: dict, word: str) -> tuple[str, ...]:
    """The word's clusters, or its clitic-free form's ("ولافروف" as "لافروف")."""
    found = clusters.get(word)
    if found is None:
        found = next((clusters[f] for f in sorted(clitic_forms(word), key=_shortest) if f in clusters), ("c=none",))
    return found


def features(text: str, tokens: list[Token], gazetteer_hits: dict[int, str] | None = None,
             language: str = "fa", bounds: tuple[int, int] | None = None) -> list[list[str]]:
    """The feature strings of each token of one sentence of ``text``.

    The word's folded form, stem, clitic-free form, affixes and shape; the
    two words either side and the pairs around it; whether a neighbour is a
    title or role word; the punctuation (quotes, commas, line breaks) on
    either side; the word clusters of it and its neighbours; and a hit of the
    knowledge base's names (``gazetteer_hits``: token index → "B" or "I").
    ``bounds`` are where the words before and after the sentence end and
    begin (the text's edges when not given).
    """
    hits = gazetteer_hits or {}
    clusters = _clusters(language)
    classes = [_cluster(clusters, t.text) for t in tokens]
    n = len(tokens)
    before, after = bounds or (0, len(text))
    out = []
    for i, token in enumerate(tokens):
        word = token.text
        feats = list(_word_features(word))
        surface = text[token.start:token.end]
        if "\u200c" in surface:
            feats.append("zwnj")
        left = _gap(text, tokens[i - 1].end if i else before, token.start)
        right = _gap(text, token.end, tokens[i + 1].start if i + 1 < n else after)
        feats += ["gl=" + left, "gr=" + right]
        if not _QUOTES.isdisjoint(left):
            feats.append("quote_l")
        if not _QUOTES.isdisjoint(right):
            feats.append("quote_r")
        for offset in (-2, -1, 1, 2):
            k = i + offset
            if not 0 <= k < n:
                feats.append(f"{offset}:edge")
                continue
            other = _word_features(tokens[k].text)
            feats += [f"{offset}:{f}" for f in other[:2]]
            if abs(offset) == 1:
                feats += [f"{offset}:{other[6]}", f"{offset}:{other[7]}"]
                feats += [f"{offset}:{f}" for f in other[9:] if f in ("role", "role_clitic", "stop", "digit", "latin")]
            elif "role" in other:
                feats.append(f"{offset}:role")
        if i:
            feats.append("bi-=" + tokens[i - 1].text + "|" + word)
        if i + 1 < n:
            feats.append("bi+=" + word + "|" + tokens[i + 1].text)
        feats += classes[i]
        for offset in (-1, 1):
            if 0 <= i + offset < n:
                feats += [f"{offset}:{c}" for c in classes[i + offset]]
        if i in hits:
            feats.append("gaz=" + hits[i])
        out.append(feats)
    return out


@lru_cache(maxsize=1)
def _knowledge_gazetteer() -> Gazetteer:
    """The people of the knowledge base file, their names and aliases in Persian and Arabic."""
    gaz = Gazetteer()
    try:
        data = yaml.safe_load(KNOWLEDGE_BASE.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        log.warning("names: cannot read %s; no knowledge-base features", KNOWLEDGE_BASE)
        return gaz
    for person in data.get("people") or []:
        names = [(person.get("names") or {}).get(lang) for lang in LANGUAGES]
        names += [a for lang in LANGUAGES for a in ((person.get("aliases") or {}).get(lang) or [])]
        for name in filter(None, names):
            gaz.add(Alias(person.get("slug"), str(name)))
    return gaz


def gazetteer_hits(text: str, tokens: list[Token]) -> dict[int, str]:
    """Token index → "B"/"I" where a name of the knowledge base stands."""
    index = {t.start: i for i, t in enumerate(tokens)}
    hits = {}
    for mention in _knowledge_gazetteer().find(text, tokens):
        i = index.get(mention.start)
        if i is None:
            continue
        hits[i] = "B"
        while i + 1 < len(tokens) and tokens[i + 1].end <= mention.end:
            i += 1
            hits[i] = "I"
    return hits


def _elsewhere(text: str, tokens: list[Token], clusters: dict) -> list[tuple[str, ...]]:
    """What stands beside each word's other occurrences in the text: the clusters of the
    word before and after, and whether the word before is a title.

    News names a person in full once ("… مدیرعامل بانک، علی جهرمی") and by the
    surname after ("جهرمی گفت"): the bare surname then carries what its full
    mention looked like.
    """
    n = len(tokens)
    cores, own = [], []
    seen: dict[str, Counter] = defaultdict(Counter)
    for k, token in enumerate(tokens):
        core = _word_features(token.text)[2][5:]
        here = set()
        if token.text.isalpha() and len(core) >= 3 and token.text not in STOP_WORDS:
            if k and text[tokens[k - 1].end:token.start].isspace() and "\n" not in text[tokens[k - 1].end:token.start]:
                before = tokens[k - 1].text
                here.add("dp:" + _cluster(clusters, before)[-1])
                if before in ROLE_WORDS:
                    here.add("dp:role")
            if k + 1 < n and text[token.end:tokens[k + 1].start].isspace() and "\n" not in text[token.end:tokens[k + 1].start]:
                here.add("dn:" + _cluster(clusters, tokens[k + 1].text)[-1])
            seen[core].update(sorted(here))  # ties of most_common keep this order: the same in every process
        cores.append(core)
        own.append(here)
    return [
        tuple(f for f, c in seen[core].most_common(8) if c > (f in mine)) if core in seen else ()
        for core, mine in zip(cores, own, strict=True)
    ]


def sequences(text: str, tokens: list[Token] | None = None, language: str = "fa") -> list[tuple[list[Token], list[list[str]]]]:
    """The sentences of ``text`` as ``(tokens, features)``, as training and tagging use them."""
    tokens = tokens if tokens is not None else tokenize(text)
    hits = gazetteer_hits(text, tokens)
    elsewhere = _elsewhere(text, tokens, _clusters(language))
    out = []
    for i, j in sentences(text, tokens):
        local = {k - i: v for k, v in hits.items() if i <= k < j}
        bounds = (tokens[i - 1].end if i else 0, tokens[j].start if j < len(tokens) else len(text))
        feats = features(text, tokens[i:j], local, language, bounds)
        for k, f in enumerate(feats):
            f += elsewhere[i + k]
        out.append((tokens[i:j], feats))
    return out


# --- tagging -----------------------------------------------------------------

_local = threading.local()  # a crfsuite Tagger is not safe to share between threads


def _tagger(language: str, path: Path):
    """The open tagger of ``path`` in this thread, or None (warned once) without a model."""
    taggers = _local.__dict__.setdefault("taggers", {})
    if path not in taggers:
        taggers[path] = _open(path)
    return taggers[path]


def _open(path: Path):
    import pycrfsuite  # only where a model is read

    if not path.is_file():
        log.warning("names: no model at %s; finding names after titles only (run `make ner-model`)", path)
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def find_names(text: str, language: str | None = None, *, model: Path | None = None) -> list[Span]:
    """The people's names in ``text``, in order, with character offsets into it.

    ``language`` is "fa" or "ar" (detected from the text when not given; other
    text is read as Persian).  Each span's ``score`` is the lowest marginal
    probability of its words' labels.  Without a model file the rules of
    ``entities.matching.find_candidates`` answer, with score 0.5.  ``model``
    reads another model file than the language's (for measuring one).
    """
    language = language if language in LANGUAGES else (detect_language(text) or "fa")
    if language not in LANGUAGES:
        language = "fa"
    tokens = tokenize(text)
    tagger = _tagger(language, model or model_path(language))
    if tagger is None:
        return [Span(c.start, c.end, c.name, 0.5) for c in find_candidates(text, tokens, language)]
    spans = []
    for sentence, feats in sequences(text, tokens, language):
        labels = tagger.tag(feats)
        marginals = [tagger.marginal(label, k) for k, label in enumerate(labels)]
        spans += _spans(text, sentence, labels, marginals)
    return spans


def _spans(text: str, tokens: list[Token], labels: list[str], marginals: list[float]) -> list[Span]:
    """Names from B/I/L/U/O labels: B…L or U; an unfinished run (B I O) ends at its last word,
    one without a beginning (O I L) starts at its first."""
    out, start = [], None
    for k, label in enumerate(labels):
        if label in ("B", "U") or (label in ("I", "L") and start is None):
            if start is not None:
                out.append(_span(text, tokens, start, k, marginals))
            start = k
        elif label == "O" and start is not None:
            out.append(_span(text, tokens, start, k, marginals))
            start = None
        if label in ("L", "U") and start is not None:
            out.append(_span(text, tokens, start, k + 1, marginals))
            start = None
    if start is not None:
        out.append(_span(text, tokens, start, len(labels), marginals))
    return out


def _span(text: str, tokens: list[Token], i: int, j: int, marginals: list[float]) -> Span:
    start, end = tokens[i].start, tokens[j - 1].end
    return Span(start, end, text[start:end], round(min(marginals[i:j]), 4))


class UnreadableFile(ValueError):
    """A file ``names_in_file`` cannot read as UTF-8 text; the message says which and why."""


def names_in_file(path: str | Path, language: str | None = None) -> list[dict]:
    """``{"file", "start", "end", "text", "score"}`` for each name in a UTF-8 text file, offsets
    into its decoded text (a byte-order mark is not text); ``language`` as ``find_names``."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UnreadableFile(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return [{"file": str(path), "start": s.start, "end": s.end, "text": s.text, "score": s.score}
            for s in find_names(text, language)]
