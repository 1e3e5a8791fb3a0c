"""Find known names, and unknown ones after a title, in Persian and Arabic text.

Pure Python on top of ``articles.text`` (no Django), so ``bench/ner_eval.py``
measures exactly what the site runs.  A ``Gazetteer`` holds the aliases of
people and events; ``find`` returns where each alias occurs:

* words are compared in their folded form and without attached clitics
  (``text.clitic_forms``: "ولافروف", "للجمعية", "پوتینی");
* a word that is not spelled like the alias may still match when the two
  differ only by transliteration drift (سالوری/سالواری, خوجالی/خواجالی,
  لاوروف/لافروف) and the alias's other words are spelled exactly
  ("دانیل انریکه سالواری", "قتل عام خواجالی"): ``similarity`` weighs
  long-vowel insertions and letters writers confuse at half an edit;
* an alias may need *cues*: groups of words of which one each must occur
  within a few words (the 1994 ceasefire is "آتش بس" near "1994").

``find_candidates`` proposes unknown names next to title words (وزیر امور
خارجه، الرئيس …) for editors to review.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from articles.text import (
    STOP_WORDS,
    ZWNJ,
    Token,
    WordMemo,
    clitic_forms,
    detect_language,
    has_article,
    stem,
    tokenize,
    words,
)
from articles.text.drift import below, neighbourhood, similarity
from articles.text.titles import (
    COUNTRIES,
    NOT_NAME,
    TITLES_AR,
    TITLES_FA,
    TITLES_FA_BARE,
    is_nisba_with_article,
)

# Chosen with bench/ner_eval.py (person names of PEYMA and ANERcorp): 0.85
# is the lowest threshold at which the linker's precision does not drop on
# either corpus (ANERcorp 0.896 at 0.85, 0.876 at 0.8; PEYMA 0.728 down to
# 0.8, 0.722 at 0.75).  Before drifted words had to sit beside exact ones,
# single words matched too and precision fell from 0.73 to 0.61 at 0.9.  The
# seeds' drifts (سالوری/سالواری 0.93, لاوروف/لافروف 0.92) are well above it.
FUZZY_THRESHOLD = 0.85
# Shorter words are too easily one edit away from another word.
FUZZY_MIN_LENGTH = 5

@dataclass(frozen=True)
class Alias:
    """One way of writing an entity's name; ``cues`` are groups of words of
    which one each must occur within ``window`` words of the alias."""

    key: object
    text: str
    cues: tuple[tuple[str, ...], ...] = ()
    window: int = 12


@dataclass(frozen=True)
class Mention:
    key: object
    start: int  # character offsets into the text
    end: int
    alias: str
    exact: bool


# Most tokens of any text are among a few thousand words (a Zipfian
# vocabulary), so what a distinct word may start or stand for is worked out
# once and remembered (as ``articles.text`` remembers folded words).  Past
# the first few thousand articles of a news corpus, 2**17 words keep about
# 97% of lookups hits (2**16: 94%); nearly all of them share ``_INERT``.
WORD_CACHE = 1 << 17


class _Word(NamedTuple):
    starts: tuple[tuple[tuple[str, ...], Alias], ...]  # aliases it may begin
    fuzzy: tuple[str, ...]  # alias words it may be a drifted spelling of


_INERT = _Word((), ())


@dataclass
class Gazetteer:
    """Aliases indexed by their first word for fast matching."""

    threshold: float = FUZZY_THRESHOLD
    _by_first: dict[str, list[tuple[tuple[str, ...], Alias]]] = field(default_factory=lambda: defaultdict(list))
    _fuzzy_index: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def __post_init__(self):
        # asked for every word of every text: a dictionary's look-up costs a fifth of lru_cache's
        self._word = WordMemo(self._lookup, WORD_CACHE)
        self._fuzzy = lru_cache(maxsize=WORD_CACHE)(self._fuzzy_words)

    def add(self, alias: Alias) -> None:
        tokens = tuple(words(alias.text))
        if not tokens or all(t in STOP_WORDS for t in tokens):
            return  # "على" is a preposition before it is a name
        for form in clitic_forms(tokens[0]):
            self._by_first[form].append((tokens, alias))
        for token in tokens:
            if len(token) >= FUZZY_MIN_LENGTH and token.isalpha():
                for key in neighbourhood(token):
                    self._fuzzy_index[key].add(token)
        self._word.clear()
        self._fuzzy.cache_clear()

    def _fuzzy_words(self, word: str) -> tuple[str, ...]:
        """Alias words within the similarity threshold of ``word``."""
        if self.threshold >= 1 or len(word) < FUZZY_MIN_LENGTH or not word.isalpha():
            return ()
        candidates = set().union(*(self._fuzzy_index.get(key, ()) for key in neighbourhood(word)))
        return tuple(
            t for t in candidates
            if abs(len(t) - len(word)) <= 2 and not below(word, t, self.threshold) and similarity(word, t) >= self.threshold
        )

    def _lookup(self, word: str) -> _Word:
        """What a folded word of a text can do: the aliases it begins spelled
        so, or else those it begins as a drifted spelling."""
        forms = clitic_forms(word)
        fuzzy = set().union(*(self._fuzzy(f) for f in forms))
        starts = [e for f in forms for e in self._by_first.get(f, ())] or [e for f in fuzzy for e in self._by_first.get(f, ())]
        return _Word(tuple(starts), tuple(fuzzy)) if starts or fuzzy else _INERT

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Mention]:
        """Every alias occurrence in ``text``; overlapping matches keep the longest."""
        tokens = tokens if tokens is not None else tokenize(text)
        word = self._word.__getitem__
        found = []
        looked = list(map(word, map(itemgetter(0), tokens)))  # each Token's text: most begin no alias
        for i in compress(range(len(tokens)), map(itemgetter(0), looked)):
            for alias_tokens, alias in looked[i].starts:
                n = len(alias_tokens)
                if i + n > len(tokens):
                    continue
                here = [tokens[i + k].text for k in range(n)]
                same = [alias_tokens[k] in _forms(here[k]) for k in range(n)]
                exact = all(same)
                # A drifted word counts only beside words spelled exactly as in
                # the alias ("دانیل انریکه سالواری"): alone, near-misses are
                # mostly other words (bench/ner_eval.py).
                if not exact and (not any(same) or not all(same[k] or alias_tokens[k] in word(here[k]).fuzzy for k in range(n))):
                    continue
                if alias.cues and not _cued(tokens, i, i + n, alias):
                    continue
                found.append((i, i + n, alias, exact))
        # longest first, then leftmost; drop matches overlapping a kept one
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken = set()
        mentions = []
        for i, j, alias, exact in found:
            if taken.isdisjoint(range(i, j)):
                taken.update(range(i, j))
                mentions.append(Mention(alias.key, tokens[i].start, tokens[j - 1].end, alias.text, exact))
        return sorted(mentions, key=lambda m: m.start)


@lru_cache(maxsize=WORD_CACHE)  # only words after one that starts an alias
def _forms(word: str) -> frozenset[str]:
    return frozenset(clitic_forms(word))


@lru_cache(maxsize=4096)
def _cue_words(cue: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(cue))


@lru_cache(maxsize=WORD_CACHE)
def _stemmed_forms(word: str) -> frozenset[str]:
    return frozenset(stem(f) for f in clitic_forms(word))


def _cued(tokens: list[Token], i: int, j: int, alias: Alias) -> bool:
    stems = [_stemmed_forms(t.text) for t in tokens[max(0, i - alias.window):j + alias.window]]
    return all(any(_phrase_in(stems, _cue_words(cue)) for cue in group) for group in alias.cues)


def _phrase_in(stems: list[frozenset[str]], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(all(phrase[k] in stems[p + k] for k in range(n)) for p in range(len(stems) - n + 1))


# --- unknown names after titles --------------------------------------------

def _title_tokens(titles):
    return sorted((tuple(words(t)) for t in titles), key=len, reverse=True)


# (titles, a name may follow, a name may precede) per language
_TITLE_RULES = {
    "fa": [(_title_tokens(TITLES_FA), True, True), (_title_tokens(TITLES_FA_BARE), False, True)],
    "ar": [(_title_tokens(TITLES_AR), True, False)],
}
# The same rules by a title's first word, in their order, so each word of a
# text is compared with the few titles it can begin.
_TITLES_BY_FIRST_WORD = {
    language: {
        first: [(t, after, before) for titles, after, before in rules for t in titles if t[0] == first]
        for first in {t[0] for titles, _, _ in rules for t in titles}
    }
    for language, rules in _TITLE_RULES.items()
}
_TITLE_WORDS = frozenset(t[0] for rules in _TITLE_RULES.values() for titles, _, _ in rules for t in titles if len(t) == 1)
_NAME_GAP = frozenset(" \u00a0" + ZWNJ)
MAX_NAME_WORDS = 3


@dataclass(frozen=True)
class Candidate:
    name: str  # as written in the text
    title: str
    start: int
    end: int


def _name_word(token: Token) -> bool:
    w = token.text
    return w.isalpha() and len(w) >= 2 and w not in STOP_WORDS and w not in NOT_NAME and w not in COUNTRIES and w not in _TITLE_WORDS


def _adjacent(text: str, left: Token, right: Token) -> bool:
    # only spaces between the words: punctuation ends a name
    return all(ch in _NAME_GAP for ch in text[left.end:right.start])


def find_candidates(text: str, tokens: list[Token] | None = None, language: str | None = None) -> list[Candidate]:
    """Unknown-name candidates next to title words, up to three words each.

    After a title ("وزير الخارجية الروسي سيرجي لافروف", "الرئيس ...", skipping
    a country or nisba adjective) and, in Persian apposition, just before it
    ("سرگئی لاوروف وزیر امور خارجه روسیه").  ``language`` ("fa" or "ar")
    picks the title list; it is detected from the text when not given.
    """
    tokens = tokens if tokens is not None else tokenize(text)
    by_first = _TITLES_BY_FIRST_WORD.get(language or detect_language(text) or "fa", _TITLES_BY_FIRST_WORD["fa"])
    n = len(tokens)
    found = {}
    i = 0
    while i < n:
        rules = by_first.get(tokens[i].text)
        match = rules and next((rule for rule in rules if tuple(x.text for x in tokens[i:i + len(rule[0])]) == rule[0]), None)
        if not match:
            i += 1
            continue
        title, after, before = match
        end = i + len(title)
        title_text = text[tokens[i].start:tokens[end - 1].end]
        if after:
            j = end
            while j < min(n, end + 2) and _adjacent(text, tokens[j - 1], tokens[j]) and (
                tokens[j].text in COUNTRIES or is_nisba_with_article(tokens[j].text)
            ):
                j += 1
            name = _run(text, tokens, j, +1)
            if name:
                found[(name[0].start, name[-1].end)] = title_text
        if before and i > 0 and _adjacent(text, tokens[i - 1], tokens[i]):
            name = _run(text, tokens, i - 1, -1)
            if name:
                found[(name[0].start, name[-1].end)] = title_text
        i = end
    return [Candidate(text[s:e], title, s, e) for (s, e), title in sorted(found.items())]


def _run(text: str, tokens: list[Token], k: int, step: int) -> list[Token]:
    if step > 0 and k < len(tokens) and has_article(tokens[k].text):
        return []  # "الرئيس المقبل", "الرئيس لمركز": an adjective or a phrase, not a name
    run = []
    while 0 <= k < len(tokens) and len(run) < MAX_NAME_WORDS and _name_word(tokens[k]):
        if run and not _adjacent(text, *((run[-1], tokens[k]) if step > 0 else (tokens[k], run[-1]))):
            break
        run.append(tokens[k])
        k += step
    if step < 0:
        run.reverse()
    # a single word is too often an ordinary noun; names have two parts
    return run if len(run) >= 2 else []
