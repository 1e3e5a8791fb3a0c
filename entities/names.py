"""Find the names of people in Persian and Arabic text.

``find_names(text, language)`` tags the words of ``text`` with a linear-chain
CRF (python-crfsuite) trained on tagged news (PEYMA for Persian, ANERcorp for
Arabic; ``make ner-model`` rebuilds it with ``bench/train_names.py``, which the
site never imports) and returns each name's character span with a probability
taken from the model's marginals.  The features are ``entities.name_features``'.

Tagging sums the model's weights itself (``entities.crf``) rather than handing
crfsuite every feature string of every word: most features belong to one word
(``word_features``, as the word labelled or as a neighbour) or to the characters
between two words (``gap_features``), so their weights are summed once per word
or gap and remembered; ``find_names_in`` tags the sentences of many texts together.

Where a language's model file is missing the rules of ``entities.matching``
(unknown names after title words) stand in, with a logged warning.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from itertools import accumulate, compress, count, repeat
from operator import is_
from pathlib import Path
from typing import NamedTuple

import numpy as np

from articles.text import Token, detect_language, tokenize
from articles.text.morphology import without_and
from articles.text.names import is_ali

from . import name_features, recurring
from .crf import Model
from .matching import find_candidates
from .name_features import (
    BAND_EDGES,
    BANDS,
    DATA,
    LANGUAGES,
    MODEL_VERSIONS,
    OFFSETS,
    Prepared,
    batch_arrays,
    begins_listed_name,
    gap_features,
    plain_gaps,
    prepare,
    word_features,
)

log = logging.getLogger(__name__)

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
    return DATA / f"names-{language}.v{MODEL_VERSIONS[language]}.crfsuite"


def first_pass_path(path: Path) -> Path:
    """The first pass's model beside the model ``path`` ("names-ar.v5.crfsuite" →
    "names-ar.v5.pass1.crfsuite"); a model without one is tagged in one pass."""
    return path.with_name(path.name.removesuffix(".crfsuite") + ".pass1.crfsuite")


def use_lexicon(language: str, lexicon: dict[str, tuple[int, int]]) -> None:
    """Read words with ``lexicon`` rather than the language's file (training does, one part at a time)."""
    name_features.use_lexicon(language, lexicon)
    _local.__dict__.pop("taggers", None)  # their word scores were worked out with the other lexicon


# Words (or gaps) whose scores a tagger remembers before it forgets them and
# works them out again: a long import meets ever more words; a row is 5 x 5 floats (5 x 10
# with a first pass: 105 MB when full).  24,000 Arabic news articles have 213,000 distinct
# words: with room for 2**17 the table was emptied three times, and the recogniser cost 12%
# more (bench, ``find_names_in`` over them in batches of 500).
TABLE_ROWS = 1 << 18


class _Tagger:
    """A language's model (``entities.crf.Model``) and the summed weights of what it has met:
    each word's score for each label as the word labelled and as each neighbour, each gap's
    for the words on either side, and the word pairs the model weighs.  Where the model has a
    first pass (``first_pass_path``), that pass tags the texts first and the model reads how
    sure it was of each word's other occurrences (``name_features.document_features``); the
    first pass's weights sit beside the model's (``_Stacked``), so each word's features are
    looked up once for both."""

    def __init__(self, path: Path, language: str):
        self.model = Model(path, LABELS)
        self.language = language
        first_pass = first_pass_path(path)
        self.first = Model(first_pass, LABELS) if first_pass.is_file() else None
        self.weighed = weighed = _Stacked(self.first, self.model) if self.first is not None else self.model
        self.edges = {offset: weighed.score([f"{offset}:edge"]) for offset in OFFSETS}
        self.words = _Table(weighed, lambda word: [word_features(word, offset, language) for offset in (0, *OFFSETS)], 5)
        self.gaps = _Table(weighed, lambda gap: gap_features(gap)[:2], 2)
        pairs: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros((2, weighed.weights.shape[1])))
        for attribute, row in weighed.index.items():
            if attribute[:4] in ("bi+=", "bi-="):
                first, _bar, second = attribute[4:].partition("|")
                pairs[first, second][1 if attribute[2] == "-" else 0] = weighed.weights[row]
        self.pairs = dict(pairs)
        self.contexts = np.zeros(0, dtype=np.intp)  # ``_context_rows``
        if self.first is not None:  # the weights of "p1=" of each band, added to every word's
            self.bands = np.array([self.model.score(["p1=" + band]) for band in BANDS])
            # and of each band of recurrence_features' four, by band
            self.recurrence = np.array([[self.model.score([prefix + band]) for band in BANDS]
                                        for prefix in ("d2max=", "d2mean=", "1:d2max=", "-1:d2max=")])

    def scores(self, prepared: list[Prepared], batch: _Batch | None = None) -> np.ndarray:
        """Each word's score for each label, the words of all ``prepared`` texts one after
        another: the sums of the weights of their features (``sequences``), all texts' words
        looked up together (numpy's steps cost the same for one text as for five hundred).
        ``batch`` is ``_batch(prepared)`` where the caller has it."""
        batch = batch or _batch(prepared)
        words = [token[0] for p in prepared for token in p.tokens]  # each Token's text
        n = len(words)
        # each role's weights gathered from the table where needed, not all of them first:
        # a batch's words × roles × labels is tens of megabytes to write and read again
        at = self.words.indices(words)
        table = self.words.table
        scores = table[at, 0]
        # each word's sentence, numbered across the texts: no feature reaches past its own
        sentence = np.repeat(np.arange(sum(len(p.sentences) for p in prepared)),
                             [j - i for p in prepared for i, j in p.sentences])
        here = np.arange(n)
        for role, offset in enumerate(OFFSETS, start=1):
            there = np.clip(here + offset, 0, n - 1)
            # the neighbour's weights where it stands in the same sentence, else the edge's
            inside = (there == here + offset) & (sentence[there] == sentence)
            scores += np.where(inside[:, None], table[at[there], role], self.edges[offset])
        # a text of n words has n + 1 gaps: word k of text t has gaps k + t and k + t + 1 of all
        gaps = self.gaps.indices(batch.gaps)
        before = here + batch.text
        scores += self.gaps.table[gaps[before], 0] + self.gaps.table[gaps[before + 1], 1]
        pairs = self.pairs
        for k in compress(count(), map(pairs.__contains__, zip(words, words[1:], strict=False))):
            if sentence[k] == sentence[k + 1]:
                weights = pairs[words[k], words[k + 1]]
                scores[k] += weights[0]
                scores[k + 1] += weights[1]
        # a text's few other features are mostly its own: summed where met, not remembered
        extra = [(offset + k, feats) for p, offset in zip(prepared, _bounds(prepared), strict=False) for k, feats in p.extra.items()]
        if extra:
            where, feats = zip(*extra, strict=True)
            scores[list(where)] += self.weighed.scores(feats)
        # what stands beside the words' other occurrences, by its contexts' numbers
        at, contexts = recurring.elsewhere(batch.around, batch.text, batch.found, plain_gaps(batch.gaps))
        rows = self._context_rows()[contexts]
        known = rows >= 0
        labels = scores.shape[1]
        cells = (at[known, None] * labels + np.arange(labels)).ravel()
        scores += np.bincount(cells, self.weighed.weights[rows[known]].ravel(), minlength=scores.size).reshape(scores.shape)
        return scores

    def _context_rows(self) -> np.ndarray:
        """The row of each of ``recurring.CONTEXTS`` among the weights, or -1 where the model
        never weighed it (contexts are numbered as met, so the array grows with them)."""
        if len(self.contexts) < len(recurring.CONTEXTS):
            index = self.weighed.index
            self.contexts = np.array([index.get(name, -1) for name in recurring.CONTEXTS], dtype=np.intp)
        return self.contexts

    def probabilities(self, prepared: list[Prepared]) -> list[np.ndarray]:
        """Each word's probability of being in a name (of any label but O), for each text, by a
        model without a first pass."""
        offsets = _bounds(prepared)
        if not offsets[-1]:
            return [np.zeros(0) for _ in prepared]
        starts, lengths = _sentence_rows(prepared, offsets)
        named = 1.0 - self.model.marginals(self.scores(prepared), starts, lengths)[:, _OUTSIDE]
        return [named[a:b] for a, b in zip(offsets, offsets[1:], strict=False)]

    def find(self, texts: list[tuple[str, list[Token]]]) -> list[list[Span]]:
        """The names in each ``(text, tokens)``, all sentences of all texts decoded together."""
        prepared = [prepare(text, tokens, self.language) for text, tokens in texts]
        offsets = _bounds(prepared)
        if not offsets[-1]:
            return [[] for _ in texts]
        starts, lengths = _sentence_rows(prepared, offsets)
        batch = _batch(prepared)
        scores = self.scores(prepared, batch)
        if self.first is not None:
            scores = self._second_pass(batch, scores, starts, lengths)
        labels, marginals = self.model.decode(scores, starts, lengths, marginals_unless=_OUTSIDE)
        named = np.flatnonzero(labels != _OUTSIDE)
        found = []
        for (text, tokens), p, offset in zip(texts, prepared, offsets, strict=False):
            here = named[(named >= offset) & (named < offset + len(tokens))] - offset
            spans = []
            if here.size:  # the sentences with a name in them, in order
                firsts = [i for i, _j in p.sentences]
                for s in np.unique(np.searchsorted(firsts, here, side="right") - 1).tolist():
                    i, j = p.sentences[s]
                    tags = [LABELS[k] for k in labels[offset + i:offset + j]]
                    spans += _spans(text, tokens[i:j], tags, marginals[offset + i:offset + j].tolist(), self.language)
            found.append(spans)
        return found

    def _second_pass(self, batch: _Batch, scores, starts, lengths) -> np.ndarray:
        """The model's scores of the words (``scores``' last columns, the first pass's before them),
        with the weights of ``document_features`` of the first pass's probabilities, summed for
        all words at once: the bands of each word's own ("p1="), and ``recurrence_features``
        of the repeated words (``recurring.repeated``) and the words beside them."""
        named = 1.0 - self.first.marginals(scores[:, :len(LABELS)], starts, lengths)[:, _OUTSIDE]
        scores = scores[:, len(LABELS):] + self.bands[_bands(named)]
        at, group = recurring.repeated(batch.found)
        if not len(at):
            return scores
        counts = np.bincount(group)  # each group's words
        firsts = np.r_[0, np.cumsum(counts)[:-1]]  # each group's first row of these
        found = named[at]
        # the highest of the others: the group's highest, but at its first highest the next one
        top = np.maximum.reduceat(found, firsts)
        is_top = np.flatnonzero(found == top[group])
        first_top = is_top[np.r_[True, np.diff(group[is_top]) != 0]]
        others = found.copy()
        others[first_top] = -np.inf
        highest = np.repeat(top, counts)
        highest[first_top] = np.maximum.reduceat(others, firsts)[group[first_top]]
        # as recurrence_features sums them: one by one in text order
        mean = (np.bincount(group, weights=found)[group] - found) / (counts[group] - 1)
        highest, mean = _bands(highest), _bands(mean)
        np.add.at(scores, at, self.recurrence[0][highest] + self.recurrence[1][mean])
        text, last = batch.text, len(batch.text) - 1
        before = (at > 0) & (text[np.maximum(at - 1, 0)] == text[at])
        after = (at < last) & (text[np.minimum(at + 1, last)] == text[at])
        np.add.at(scores, at[before] - 1, self.recurrence[2][highest[before]])
        np.add.at(scores, at[after] + 1, self.recurrence[3][highest[after]])
        return scores


class _Batch(NamedTuple):
    """What the tagger reads of a batch of prepared texts as a whole, their words one after another."""

    gaps: list[str]  # every text's gaps, one text's after another's
    text: np.ndarray  # each word's text number
    around: np.ndarray  # each word's row of ``recurring.AROUND``
    found: recurring.Recurrences


def _batch(prepared: list[Prepared]) -> _Batch:
    around, text, found = batch_arrays(prepared)
    return _Batch([gap for p in prepared for gap in p.gaps], text, around, found)


def _bands(probabilities: np.ndarray) -> np.ndarray:
    """The band (an index into ``BANDS``) of each probability."""
    return np.searchsorted(BAND_EDGES, probabilities, side="right")


class _Stacked:
    """The weights of two models side by side, the first's labels' columns then the second's, by
    the features of either: what ``_Table`` and ``_Tagger`` read of a ``Model``, summed as it sums."""

    def __init__(self, first: Model, second: Model):
        self.labels = first.labels + second.labels
        self.index = dict(first.index)
        for attribute in second.index:
            self.index.setdefault(attribute, len(self.index))
        width = len(first.labels)
        self.weights = np.zeros((len(self.index), len(self.labels)))
        self.weights[:len(first.index), :width] = first.weights
        self.weights[[self.index[a] for a in second.index], width:] = second.weights

    score = Model.score
    scores = Model.scores


class _Table:
    """The scores of the keys met so far, by key: for each of a key's roles (``features(key)``
    gives the features of each), the summed weights of its features.  New keys are worked
    out together; past ``TABLE_ROWS`` keys all are forgotten and worked out again as met."""

    def __init__(self, model: Model | _Stacked, features, roles: int):
        self.model, self.features, self.roles = model, features, roles
        self.index: dict = {}
        self.table = np.zeros((1024, roles, len(model.labels)))

    def indices(self, keys: list) -> np.ndarray:
        """Where ``keys`` are in ``table``, in order (``table[indices]``: keys × roles × labels)."""
        get = self.index.get
        found = list(map(get, keys))
        if None in found:
            new = list(dict.fromkeys(compress(keys, map(is_, found, repeat(None)))))
            if self.index and len(self.index) + len(new) > TABLE_ROWS:
                self.index.clear()
                return self.indices(keys)
            self._add(new)
            found = list(map(get, keys))
        return np.array(found, dtype=np.intp)

    def _add(self, keys: list) -> None:
        first = len(self.index)
        if first + len(keys) > len(self.table):  # room for twice as many: copied seldom
            size = max(first + len(keys), min(2 * (first + len(keys)), TABLE_ROWS))
            grown = np.zeros((size, self.roles, self.table.shape[2]))
            grown[:first] = self.table[:first]
            self.table = grown
        sums = self.model.scores([feats for key in keys for feats in self.features(key)])
        self.table[first:first + len(keys)] = sums.reshape(len(keys), self.roles, self.table.shape[2])
        self.index.update(zip(keys, count(first)))


_OUTSIDE = LABELS.index("O")
_local = threading.local()  # a tagger's tables are not safe to share between threads


def _bounds(prepared: list[Prepared]) -> list[int]:
    """Where each text's words begin among the words of all, and where the last text's end."""
    return [0, *accumulate(len(p.tokens) for p in prepared)]


def _sentence_rows(prepared: list[Prepared], bounds: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's first row among the words of all texts (``bounds``), and its length."""
    starts = np.array([offset + i for p, offset in zip(prepared, bounds, strict=False) for i, _j in p.sentences])
    return starts, np.array([j - i for p in prepared for i, j in p.sentences])


def _tagger(language: str, path: Path) -> _Tagger | None:
    """The tagger of ``path`` in this thread, or None (warned once) without a model."""
    taggers = _local.__dict__.setdefault("taggers", {})
    if path not in taggers:
        if path.is_file():
            taggers[path] = _Tagger(path, language)
        else:
            log.warning("names: no model at %s; finding names after titles only (run `make ner-model`)", path)
            taggers[path] = None
    return taggers[path]


def name_probabilities(texts: list[str], language: str, *, model: Path) -> list[list[float]]:
    """Each word's (``tokenize(text)``'s) probability of being in a person's name, by the
    one-pass ``model``, for each of ``texts``: what a second pass is trained to read
    (``bench/train_names.py``)."""
    tagger = _tagger(language, model)
    prepared = [prepare(text, tokenize(text), language) for text in texts]
    return [named.tolist() for named in tagger.probabilities(prepared)]


def find_names(text: str, language: str | None = None, *, model: Path | None = None) -> list[Span]:
    """The people's names in ``text``, in order, with character offsets into it.

    ``language`` is "fa" or "ar" (detected from the text when not given; other
    text is read as Persian).  Each span's ``score`` is the lowest marginal
    probability of its words' labels.  Without a model file the rules of
    ``entities.matching.find_candidates`` answer, with score 0.5.  ``model``
    reads another model file than the language's (for measuring one).
    """
    language = language if language in LANGUAGES else (detect_language(text) or "fa")
    return find_names_in([text], language if language in LANGUAGES else "fa", model=model)[0]


def find_names_in(texts: list[str], language: str, *, model: Path | None = None,
                  tokens: list[list[Token] | None] | None = None) -> list[list[Span]]:
    """``find_names`` of each of ``texts``, all in ``language`` ("fa" or "ar"): the same
    spans, found at less cost per text than one at a time (the model's steps are taken
    for all their sentences together).  ``tokens``, when given, holds each text's
    ``tokenize(text)`` (or None) where the caller has it already, as linking does."""
    tokens = tokens if tokens is not None else [None] * len(texts)
    tokenized = [(text, found if found is not None else tokenize(text)) for text, found in zip(texts, tokens, strict=True)]
    tagger = _tagger(language, model or model_path(language))
    if tagger is None:
        return [[Span(c.start, c.end, c.name, 0.5) for c in find_candidates(text, tokens, language)]
                for text, tokens in tokenized]
    return tagger.find(tokenized)


def _spans(text: str, tokens: list[Token], labels: list[str], marginals: list[float], language: str) -> list[Span]:
    """Names from B/I/L/U/O labels: B…L or U; an unfinished run (B I O) ends at its last word,
    one without a beginning (O I L) starts at its first; a word that begins the next name of a
    list joined by "و" (``name_features.begins_listed_name``) begins a name of its own; in
    Arabic, "علي" just before a name begins it (``_begins_with_ali``)."""
    runs, start = [], None
    for k, label in enumerate(labels):
        if (label in ("B", "U") or (label in ("I", "L") and start is None)
                or (start is not None and label in ("I", "L") and begins_listed_name(tokens[k].text, language))):
            if start is not None:
                runs.append((start, k))
            start = k
        elif label == "O" and start is not None:
            runs.append((start, k))
            start = None
        if label in ("L", "U") and start is not None:
            runs.append((start, k + 1))
            start = None
    if start is not None:
        runs.append((start, len(labels)))
    out = []
    for i, j in runs:
        span = _span(text, tokens, i, j, marginals)
        if language == "ar" and _begins_with_ali(text, tokens, i, labels):
            span = span._replace(start=tokens[i - 1].start, text=text[tokens[i - 1].start:span.end])
        out.append(span)
    return out


def _begins_with_ali(text: str, tokens: list[Token], i: int, labels: list[str]) -> bool:
    """Whether the word before the name beginning at word ``i``, outside a name, is the name
    علي as ``text`` writes it (``articles.text.names.is_ali``), and the name does not begin with
    "and" (then علي ended the name before it: "لطفي علي وناصر الشنوفي").  The Arabic model's
    training text (ANERcorp) writes the preposition علي as often as the name (233 times outside
    a name, 43 inside), so the model leaves Ali out of the names he begins (علي خامنئي → خامنئي;
    568 names of the 48k corpus)."""
    if i == 0 or labels[i - 1] != "O" or without_and(tokens[i].text):
        return False
    before = tokens[i - 1]
    return (not text[before.end:tokens[i].start].strip() and (i < 2 or labels[i - 2] == "O")
            and is_ali(text[before.start:before.end], text))


def _span(text: str, tokens: list[Token], i: int, j: int, marginals: list[float]) -> Span:
    start, end = tokens[i].start, tokens[j - 1].end
    return Span(start, end, text[start:end], round(float(min(marginals[i:j])), 4))


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
