"""The features the person-name recogniser (``entities.names``) reads of each word.

A word's features (``word_features``) are a function of the word, where it
stands beside the word labelled and the language's files alone: its form,
stem, clitic-free form, affixes, shape, its word clusters, how often the
training text had it in a name (the names lexicon) and how often untagged news
put it where names stand.  The characters between two words give
``gap_features``; ``prepare`` adds a text's few other features (the knowledge
base's names, what stands beside a word's other occurrences), and ``sequences``
writes every feature string of every sentence as the model is trained on them.
All is computed from ``articles.text`` only, so training (``bench/train_names.py``)
and the site see the same words.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from itertools import chain, compress
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import NamedTuple

import numpy as np
import yaml

from articles.text import STOP_WORDS, Token, WordMemo, clitic_forms, stem, tokenize
from articles.text.fold import ZWNJ
from articles.text.morphology import without_and
from articles.text.titles import ROLE_WORDS
from articles.text.tokens import SENTENCE_END

from . import recurring
from .matching import Alias, Gazetteer

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
KNOWLEDGE_BASE = DATA / "knowledge_base.yaml"
# Bumped whenever a language's features change: a model trained on other
# features is another file, so an old one is never read with new features.
# Arabic's 2 added the names lexicon (``lexicon_path``), clitic-free affixes and
# the clitics of the words beside; 3 where untagged news puts a word (``name_words_path``);
# 4 the clusters of all its untagged news (``CLUSTERS_VERSIONS``) and ``_after_and``;
# 5 a second pass that reads a first's (``document_features``).
# Persian's 2 added the names lexicon, clitic-free affixes and where untagged news puts a word.
MODEL_VERSIONS = {"fa": 2, "ar": 5}
# The word clusters' own numbers (``bench/word_clusters.py``): Arabic's 2 are read from all
# of its untagged news, with a third, finer level.
CLUSTERS_VERSIONS = {"fa": 1, "ar": 2}
LANGUAGES = ("fa", "ar")


def clusters_path(language: str) -> Path:
    """The word clusters the model of ``language`` was trained with (``bench/word_clusters.py``)."""
    return DATA / f"clusters-{language}.v{CLUSTERS_VERSIONS[language]}.tsv"


def name_words_path(language: str) -> Path:
    """Where untagged news says how often each word stood where names stand (``bench/name_words.py``):
    ``word TAB times in a name's place TAB times in all``."""
    return DATA / f"namewords-{language}.v{MODEL_VERSIONS[language]}.tsv"


def lexicon_path(language: str) -> Path:
    """The names lexicon the model of ``language`` was trained with (``bench/train_names.py``):
    ``word TAB times inside a person's name TAB times in all`` of its training text."""
    return DATA / f"lexicon-{language}.v{MODEL_VERSIONS[language]}.tsv"

_QUOTES = frozenset("«»\"'“”‘’")


def sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """``(i, j)`` token ranges of the sentences: a sentence ends where the gap after a word
    holds . ! ? ؟ or a line break."""
    return _sentences(_gaps(text, tokens))


def _gaps(text: str, tokens: list[Token]) -> list[str]:
    """The characters before each word, and after the last (``Prepared.gaps``)."""
    ends = [0] + [t.end for t in tokens]
    starts = [t.start for t in tokens] + [len(text)]
    return [text[a:b] for a, b in zip(ends, starts, strict=True)]


def _sentences(gaps: list[str]) -> list[tuple[int, int]]:
    """``sentences`` from the gaps between the words: a word begins one where the gap before it ends one."""
    n = len(gaps) - 1
    if n < 1:
        return []
    starts = [0, *compress(range(1, n), map(_ends_sentence.__getitem__, gaps[1:n])), n]
    return list(zip(starts, starts[1:], strict=False))


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


_NEIGHBOUR_FLAGS = frozenset(("role", "role_clitic", "stop", "digit", "latin"))
OFFSETS = (-2, -1, 1, 2)


def word_features(word: str, offset: int, language: str) -> tuple[str, ...]:
    """The features of a word standing ``offset`` places from the word being labelled (0: itself).

    Its own: the folded form, stem, clitic-free form, affixes, shape, whether it
    is a stop, title or role word, its word clusters, how often the training
    text had it in a name (``_known``), how often untagged news put it where
    names stand (``_placed``), in Arabic both of it without a leading "and"
    (``_after_and``), and the affixes of its clitic-free form.  A word beside
    it (offset ±1) sees its form, stem, endings, those flags and its clitics, its
    clusters, ``_known``, ``_placed`` (and in Arabic ``_after_and``); two away (±2)
    its form, stem and whether it is a title.  A function of the word and the
    language's files alone, so each word's features (and weights) are worked out once.
    """
    own = _word_features(word)
    classes = _classes(word, language)
    known = _known(word, language) + _placed(word, language)
    known += _after_and(word, language) if language in AND_CLITIC_LANGUAGES else ()
    if offset == 0:
        core = own[2][5:]
        return own + classes + known + ("cp2=" + core[:2], "cs2=" + core[-2:], "cs3=" + core[-3:])
    if abs(offset) == 1:
        seen = own[:2] + own[6:8] + tuple(f for f in own[9:] if f in _NEIGHBOUR_FLAGS) + classes + known
        # "حمزة ومصطفى": a conjunction on the next word ends a name
        seen += tuple(f for f in own[9:] if f.startswith(("clitic=", "enclitic")))
    else:
        seen = own[:2] + (("role",) if "role" in own else ())
    return tuple(f"{offset}:{f}" for f in seen)


def _after_and(word: str, language: str) -> tuple[str, ...]:
    """``_known`` and ``_placed`` of ``word`` without the conjunction "و" it begins with
    ("wa+lex=all" of "ومصطفى"), where that is one of its clitic forms; else nothing.

    ANERcorp tags each name of a list joined by "و" on its own ("وجمال حمزة ومصطفى
    جعفر"): the word after the conjunction begins a name, so the one before ends one.
    """
    if not (rest := without_and(word)):
        return ()
    found = _known(rest, language) + _placed(rest, language)
    return tuple("wa+" + f for f in found)


# Languages that write "and" on the next word (Persian writes "و" apart).
AND_CLITIC_LANGUAGES = ("ar",)
_lexicons: dict[str, dict[str, tuple[int, int]]] = {}


def _lexicon(language: str) -> dict[str, tuple[int, int]]:
    """``word -> (times inside a person's name, times in all)`` of the language's training text."""
    if language not in _lexicons:
        path = lexicon_path(language)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            log.warning("names: no names lexicon at %s; names will be found less well", path)
            lines = []
        _lexicons[language] = {word: (int(inside), int(total)) for word, inside, total in (line.split("\t") for line in lines)}
    return _lexicons[language]


def use_lexicon(language: str, lexicon: dict[str, tuple[int, int]]) -> None:
    """Read words with ``lexicon`` rather than the language's file (``entities.names.use_lexicon``,
    which also drops the scores its taggers worked out with the other)."""
    _lexicons[language] = lexicon
    _known.cache_clear()


def begins_listed_name(word: str, language: str) -> bool:
    """Whether ``word``, met inside a name found, begins another name joined by "و": the word is
    "و" and a word the names lexicon has inside a name most of its times ("وصبري" in "عنان
    وصبري"), and the lexicon never had the word itself inside a name (as "وقاص" or "وايت",
    names of their own).  ANERcorp tags each name of such a list on its own; the model joins
    some of them (``entities.names`` splits them)."""
    if language not in AND_CLITIC_LANGUAGES or not (rest := without_and(word)):
        return False
    table = _lexicon(language)
    inside, total = table.get(rest, (0, 0))
    return inside >= 0.5 * total > 0 and not table.get(word, (0, 0))[0]


def _looked_up(table: dict, word: str):
    """``table``'s entry for ``word``, else for the shortest of its clitic-free forms it has (or
    None), and whether it was such a form."""
    found = table.get(word)
    if found is not None:
        return found, False
    return next((table[f] for f in sorted(clitic_forms(word), key=_shortest) if f in table), None), True


@lru_cache(maxsize=1 << 17)
def _known(word: str, language: str) -> tuple[str, ...]:
    """How often the training text had ``word`` (or, if never, its clitic-free form) inside a
    person's name: "lex=" all, most, some, few or none of its times; nothing for an unseen word."""
    found, clitic_free = _looked_up(_lexicon(language), word)
    if found is None:
        return ()
    prefix = "lexc=" if clitic_free else "lex="
    inside, total = found
    share = inside / total
    return (prefix + ("all" if share >= 0.9 else "most" if share >= 0.5 else "some" if share >= 0.2 else "few" if inside else "none"),)


@lru_cache(maxsize=2)
def _name_words(language: str) -> dict[str, tuple[int, int]]:
    path = name_words_path(language)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        log.warning("names: no name words at %s; names will be found less well", path)
        return {}
    return {word: (int(places), int(total)) for word, places, total in (line.split("\t") for line in lines)}


@lru_cache(maxsize=1 << 17)
def _placed(word: str, language: str) -> tuple[str, ...]:
    """How often untagged news put ``word`` (or, if never, its clitic-free form) where a name
    stands, after a title or beside "بن" (``bench/name_words.py``): "nw=" often, sometimes or
    seldom of its times ("nwc=" for the clitic-free form); nothing for a word never there."""
    found, clitic_free = _looked_up(_name_words(language), word)
    if found is None:
        return ()
    prefix = "nwc=" if clitic_free else "nw="
    places, total = found
    share = places / total
    return (prefix + ("often" if share >= 0.3 else "sometimes" if share >= 0.1 else "seldom"),)


@lru_cache(maxsize=2)
def _clusters(language: str) -> dict[str, tuple[str, ...]]:
    path = clusters_path(language)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        log.warning("names: no word clusters at %s; names will be found less well", path)
        return {}
    return {word: tuple(f"c{n}={c}" for n, c in enumerate(rest)) for word, *rest in (line.split("\t") for line in lines)}


@lru_cache(maxsize=1 << 17)  # asked for each of a word's five places
def _classes(word: str, language: str) -> tuple[str, ...]:
    """``_cluster`` of the language's clusters."""
    return _cluster(_clusters(language), word)


def _cluster(clusters: dict, word: str) -> tuple[str, ...]:
    """The word's clusters, or its clitic-free form's ("ولافروف" as "لافروف")."""
    found = clusters.get(word)
    if found is None:
        found = next((clusters[f] for f in sorted(clitic_forms(word), key=_shortest) if f in clusters), ("c=none",))
    return found


@lru_cache(maxsize=1 << 16)
def gap_features(gap: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """What the characters between two words tell: features for the word after them and for
    the word before (at most three punctuation marks, ¶ for a line break, and whether a quote
    is among them), and whether they are spaces within a line only."""
    marks = "".join("¶" if ch == "\n" else ch for ch in gap if not ch.isspace() or ch == "\n")[:3]
    quoted = not _QUOTES.isdisjoint(marks)
    plain = gap.isspace() and "\n" not in gap
    return ("gl=" + marks,) + (("quote_l",) if quoted else ()), ("gr=" + marks,) + (("quote_r",) if quoted else ()), plain


class Prepared(NamedTuple):
    """A text made ready for tagging: its words and sentences, and what is around the words."""

    tokens: list[Token]
    sentences: list[tuple[int, int]]
    gaps: list[str]  # gaps[k]: the characters between word k - 1 and word k (n + 1 of them)
    extra: dict[int, tuple[str, ...]]  # word index -> its few other features
    around: list[tuple[int, int, int, int, int]] = []  # each word's row of ``recurring.AROUND``


def prepare(text: str, tokens: list[Token] | None = None, language: str = "fa") -> Prepared:
    """The words and sentences of ``text`` and what each word's features need beyond the
    word and its neighbours (``word_features``): the characters between the words
    (``gap_features``), for a few words a hit of the knowledge base's names ("gaz=B"/"gaz=I")
    and a zero-width non-joiner inside them, and each word's row of what ``entities.recurring``
    reads of repeated words (``_around_row``)."""
    tokens = tokens if tokens is not None else tokenize(text)
    gaps = _gaps(text, tokens)
    extra: dict[int, tuple[str, ...]] = defaultdict(tuple)
    if ZWNJ in text:
        # a few in a text: each marks the word it stands in, if any
        starts = list(map(attrgetter("start"), tokens))
        places = ((bisect_right(starts, at) - 1, at) for at in _places(text, ZWNJ))
        for k in dict.fromkeys(k for k, at in places if k >= 0 and at < tokens[k].end):
            extra[k] += ("zwnj",)
    for k, hit in gazetteer_hits(text, tokens).items():
        extra[k] += ("gaz=" + hit,)
    around = list(map(_around[language].__getitem__, map(itemgetter(0), tokens)))  # each Token's text
    return Prepared(tokens, _sentences(gaps), gaps, dict(extra), around)


def _places(text: str, ch: str) -> Iterator[int]:
    """Where ``ch`` stands in ``text``, in order."""
    at = text.find(ch)
    while at >= 0:
        yield at
        at = text.find(ch, at + 1)


def sequences(text: str, tokens: list[Token] | None = None, language: str = "fa",
              probabilities: list[float] | None = None) -> list[tuple[list[Token], list[list[str]]]]:
    """The sentences of ``text`` as ``(tokens, features)``: every feature string of every word, as
    the model is trained on them (``find_names`` sums the same features' weights): its own and
    its neighbours' within the sentence (``word_features``), the characters on either side
    (``gap_features``), the pairs it makes with the words beside it, ``prepare``'s extras, what
    stands beside its other occurrences (``_elsewhere``) and, given a first pass's
    ``probabilities`` that each word is in a name, ``document_features`` (as a second pass sees
    the text)."""
    prepared = prepare(text, tokens, language)
    extra = defaultdict(tuple, prepared.extra)
    for k, feats in _elsewhere(prepared).items():
        extra[k] += feats
    if probabilities is not None:
        for k, feats in document_features(prepared.tokens, probabilities, repeats(prepared)).items():
            extra[k] += feats
    out = []
    for i, j in prepared.sentences:
        sentence = prepared.tokens[i:j]
        feats = []
        for k, token in enumerate(sentence):
            own = list(word_features(token.text, 0, language))
            for offset in OFFSETS:
                if 0 <= k + offset < len(sentence):
                    own += word_features(sentence[k + offset].text, offset, language)
                else:
                    own.append(f"{offset}:edge")
            own += gap_features(prepared.gaps[i + k])[0] + gap_features(prepared.gaps[i + k + 1])[1]
            if k:
                own.append("bi-=" + sentence[k - 1].text + "|" + token.text)
            if k + 1 < len(sentence):
                own.append("bi+=" + token.text + "|" + sentence[k + 1].text)
            feats.append(own + list(extra.get(i + k, ())))
        out.append((sentence, feats))
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
    mentions = _knowledge_gazetteer().find(text, tokens)
    index = {t.start: i for i, t in enumerate(tokens)} if mentions else {}
    hits = {}
    for mention in mentions:
        i = index.get(mention.start)
        if i is None:
            continue
        hits[i] = "B"
        while i + 1 < len(tokens) and tokens[i + 1].end <= mention.end:
            i += 1
            hits[i] = "I"
    return hits


def _core(word: str) -> tuple[str, bool]:
    """The word's clitic-free form, and whether it may be a name worth remembering across the text."""
    core = _word_features(word)[2][5:]
    return core, word.isalpha() and len(core) >= 3 and word not in STOP_WORDS


def _beside(word: str, language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What ``word`` tells of a word it stands before, and of one it stands after (``_elsewhere``)."""
    fine = _classes(word, language)[:2][-1]  # the second level (512), whatever finer ones a language has
    return ("dp:" + fine, *(("dp:role",) if word in ROLE_WORDS else ())), ("dn:" + fine,)


def _around_row(word: str, language: str) -> tuple[int, int, int, int, int]:
    """The word's row of ``recurring.AROUND``: its clitic-free form (``_core``, by its hash:
    compared only within a batch), whether that is worth remembering, and what the word tells
    of the words beside it (``_beside``)."""
    core, worth = _core(word)
    before, after = _beside(word, language)
    return hash(core), int(worth), recurring.context(before[0]), int(len(before) > 1), recurring.context(after[0])


# looked up for every word of every text
_around = {language: WordMemo(partial(_around_row, language=language), 1 << 17) for language in LANGUAGES}


def batch_arrays(prepared: list[Prepared]) -> tuple[np.ndarray, np.ndarray, recurring.Recurrences]:
    """The words of all ``prepared`` texts one after another: their rows of ``recurring.AROUND``,
    each one's text number, and their ``recurring.Recurrences``."""
    around = _rows(row for p in prepared for row in p.around)
    text = np.repeat(np.arange(len(prepared)), [len(p.tokens) for p in prepared])
    return around, text, recurring.recurrences(around, text)


def _rows(around: Iterable[tuple[int, int, int, int, int]]) -> np.ndarray:
    """``around``'s rows as an array (one flat pass: a batch has a quarter of a million of them)."""
    return np.fromiter(chain.from_iterable(around), dtype=np.int64).reshape(-1, len(recurring.AROUND))


def plain_gaps(gaps: list[str]) -> Callable[[np.ndarray], np.ndarray]:
    """``recurring.elsewhere``'s ``plain`` of the gaps ``gaps`` (a batch's, one text's after another's)."""
    def plain(at: np.ndarray) -> np.ndarray:
        return np.fromiter(map(_plain_gaps.__getitem__, map(gaps.__getitem__, at.tolist())), dtype=bool, count=len(at))
    return plain


def _elsewhere(prepared: Prepared) -> dict[int, tuple[str, ...]]:
    """What stands beside each word's other occurrences in the text (word index -> features):
    the clusters of the word before and after, and whether the word before is a title
    (``recurring.elsewhere``; the tagger sums their weights without these strings)."""
    around, text, found = batch_arrays([prepared])
    words, contexts = recurring.elsewhere(around, text, found, plain_gaps(prepared.gaps))
    out: dict[int, tuple[str, ...]] = defaultdict(tuple)
    for k, c in zip(words.tolist(), contexts.tolist(), strict=True):
        out[k] += (recurring.CONTEXTS[c],)
    return dict(out)


def repeats(prepared: Prepared) -> list[list[int]]:
    """The occurrences worth remembering of each clitic-free form that ``prepared``'s text has
    two or more of (what ``recurrence_features`` reads), in text order."""
    return _repeats(prepared.around)


def _repeats(around: list[tuple[int, int, int, int, int]]) -> list[list[int]]:
    rows = _rows(around)
    words, groups = recurring.repeated(recurring.recurrences(rows, np.zeros(len(rows), dtype=np.intp)))
    return [part.tolist() for part in np.split(words, np.flatnonzero(np.diff(groups)) + 1)] if len(words) else []


# The first pass's probabilities in bands: "none" below 0.1, "low", "mid" from 0.5, "hi" from 0.9.
BANDS = ("none", "low", "mid", "hi")
BAND_EDGES = (0.1, 0.5, 0.9)


def _band(probability: float) -> str:
    return BANDS[bisect_right(BAND_EDGES, probability)]


def document_features(tokens: list[Token], probabilities, repeats: list[list[int]] | None = None,
                      language: str = "ar") -> dict[int, tuple[str, ...]]:
    """What a first pass said of the words (word index -> features): how sure it was that each
    word is in a name ("p1=hi", ``BANDS``), and ``recurrence_features``.

    A second pass reads them (Krishnan and Manning 2006): a surname the first pass is sure of
    after a title ("الرئيس عبد الفتاح السيسي") tells of its bare occurrences ("وأضاف السيسي").
    ``repeats`` is ``repeats`` of the text where the caller has it (else they are read as
    ``language``'s words; only Arabic has a second pass).
    """
    out = {k: ("p1=" + _band(p),) for k, p in enumerate(probabilities)}
    if repeats is None:
        repeats = _repeats(list(map(_around[language].__getitem__, map(itemgetter(0), tokens))))
    for k, feats in recurrence_features(len(tokens), repeats, probabilities).items():
        out[k] += feats
    return out


def recurrence_features(n: int, repeats: list[list[int]], probabilities) -> dict[int, tuple[str, ...]]:
    """For the words whose clitic-free form occurs again in a text of ``n`` words (``repeats``, the
    occurrences of each such form), the highest and the mean of the first pass's ``probabilities``
    at the other occurrences ("d2max=hi", "d2mean=low"), that highest also on the words either
    side ("1:d2max=" on the word before, "-1:d2max=" after).  ``entities.names`` sums their
    weights without the strings (``_Tagger._second_pass``)."""
    out: dict[int, tuple[str, ...]] = defaultdict(tuple)
    last = n - 1
    for ks in repeats:
        found = [probabilities[k] for k in ks]
        total, top = sum(found), max(found)
        at = found.index(top)
        below = max(found[:at] + found[at + 1:])  # the highest of the others of the top one
        for i, (k, p) in enumerate(zip(ks, found, strict=True)):
            highest = _band(below if i == at else top)
            out[k] += ("d2max=" + highest, "d2mean=" + _band((total - p) / (len(ks) - 1)))
            if k:
                out[k - 1] += ("1:d2max=" + highest,)
            if k < last:
                out[k + 1] += ("-1:d2max=" + highest,)
    return dict(out)


# whether a gap is spaces within a line only (``gap_features``)
_plain_gaps = WordMemo(lambda gap: gap_features(gap)[2], 1 << 16)
# whether a gap ends a sentence (``sentences``)
_ends_sentence = WordMemo(lambda gap: not SENTENCE_END.isdisjoint(gap), 1 << 16)
