""""Also spelled": a name nobody registered, found in the other script's articles.

A query word that names no known person, place or event may still be a
foreign name the other language spells its own way (بایراموف in Persian,
بيراموف or باراموف in Arabic).  ``find`` makes the spellings the
transliteration rules allow (``articles.text.names.other_script_spellings``)
and keeps those the other language's articles write.  Each is offered on the
page; it is counted into the results only when the confidence is high: it
is at most a letter longer or shorter than the word, and the people
discovery knows it as a name, or it writes the same name letter for letter
(``same_name_across_scripts``), is rare in the index, the other language's
articles never write the word as typed, and neither spelling is a word the
word lists know other than as a rare name.  A common word, a known
word with an ending (شهرهای) or an Arabic word with the article is never
looked at: پایان must not bring in the Arabic بيان.

Engine-neutral: a backend gives a ``Lexicon``.  The work is bounded: at
most ``MAX_WORDS`` words, each only within ``SECONDS`` of the start, and a
few hundred term lookups a word.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Protocol

from articles.text import CONJUNCTIONS, PREPOSITIONS, chains, has_article, lexicon, query_language, tokenize
from articles.text.names import other_script_spellings, same_name_across_scripts
from articles.text.stopwords import STOP_WORDS

MAX_WORDS = 4
MAX_LETTERS = 20
MIN_LETTERS = 4
SECONDS = 0.1
PER_WORD = 2  # spellings offered for one word, the most written first
# A word seen this often in a language's reference text is a common word of it (unless the lexicon says it is a name).
COMMON_WORD = 20
# A spelling in more than this share of the other language's articles is too common to be a name's.
RARE_SHARE = 0.02
RARE_MIN = 5
_clock = time.monotonic  # tests replace it
_PROCLITICS = frozenset((*CONJUNCTIONS, *PREPOSITIONS))


class Lexicon(Protocol):
    def articles_with(self, word: str, language: str) -> int:
        """How many articles in ``language`` write the folded ``word`` (unstemmed)."""

    def articles_in(self, language: str) -> int:
        """How many articles there are in ``language``."""

    def written(self, word: str, language: str) -> str:
        """``word`` as an article in ``language`` wrote it ("" if none)."""


@dataclass(frozen=True)
class OtherSpelling:
    """Another script's spelling of a query word, and how much it is trusted."""

    word: str  # the query word, folded
    term: str  # the spelling, folded
    spelling: str  # as an article of ``language`` writes it
    language: str  # the language of the articles that write it
    articles: int
    included: bool  # counted into the results, not only offered


def is_common(word: str, language: str) -> bool:
    """Whether a folded word is a common word of ``language`` rather than a name."""
    return not lexicon.is_name(word) and lexicon.count(language, word) >= COMMON_WORD


def is_rare_name(word: str, language: str) -> bool:
    """Whether a folded word may be a rare name: unknown to ``language``'s word list, or a name of the
    lexicon that is not common (نژاد, a name's part in احمدی‌نژاد, is too common; ولادیمیر is not)."""
    seen = lexicon.count(language, word)
    return seen < lexicon.MIN_COUNT or (lexicon.is_name(word) and seen < COMMON_WORD)


def _arabic_word(word: str) -> bool:
    """Whether a folded word has the Arabic article, after up to two proclitics (والامطار, بالعاصمه):
    an Arabic word, however it was typed, not a foreign name."""
    return any(has_article(word[i:]) and _PROCLITICS.issuperset(word[:i]) for i in range(3))


def _inflected(word: str, language: str) -> bool:
    """Whether a folded word is a known word of ``language`` with an ending or a proclitic (شهرهای, ووجدت)."""
    stem = chains.stem(word, language)
    return stem != word and lexicon.known(language, stem)


def find(lex: Lexicon, text: str, *, skip=frozenset()) -> tuple[OtherSpelling, ...]:
    """The other-script spellings the index has of the name-like words of ``text``.

    ``skip`` holds folded words not to look at (a known entity's names).
    ``included`` is set where the spelling writes the same name letter for
    letter, at most a letter longer or shorter, is rare in the index, the
    other language's articles never write the word as typed, and both words
    may be rare names (the word lists do not know them, or only as names);
    ``weigh`` adds what the people discovery knows.
    """
    deadline = _clock() + SECONDS
    found = []
    looked_at = 0
    # the whole query's language (an Arabic question typed on a Persian keyboard is Arabic), else each word's
    language = query_language(text)
    for tok in tokenize(text):
        word = tok.text
        if (word in STOP_WORDS or word in skip or not word.isalpha()
                or not MIN_LETTERS <= len(word) <= MAX_LETTERS):
            continue
        if looked_at == MAX_WORDS or _clock() > deadline:
            break
        read_as = language or query_language(text[tok.start:tok.end])
        written_in = (read_as,) if read_as else chains.LANGUAGES
        # either language's word, however the keyboard typed it (ميليارد is Persian)
        if _arabic_word(word) or any(is_common(word, lang) or _inflected(word, lang) for lang in chains.LANGUAGES):
            continue
        looked_at += 1
        counts: dict[tuple[str, str], int] = {}
        typed: dict[str, bool] = {}  # whether the other language's articles write the word as typed
        for lang in written_in:
            other = "ar" if lang == "fa" else "fa"
            typed[other] = bool(lex.articles_with(word, other))
            for spelling in other_script_spellings(word, lang):
                if is_rare_name(spelling, other) and (n := lex.articles_with(spelling, other)):
                    counts[(spelling, other)] = n
        for term, other in sorted(counts, key=lambda k: (-counts[k], k))[:PER_WORD]:
            n = counts[(term, other)]
            fa, ar = (term, word) if other == "fa" else (word, term)
            rare = n <= max(RARE_MIN, RARE_SHARE * lex.articles_in(other))
            trusted = (rare and not typed[other] and _close(word, term) and same_name_across_scripts(fa, ar)
                       and is_rare_name(word, "ar" if other == "fa" else "fa"))
            found.append(OtherSpelling(word, term, lex.written(term, other) or term, other, n, trusted))
    return tuple(found)


def _close(word: str, term: str) -> bool:
    """Whether two spellings differ in length by a letter at most: two names may share a
    transliteration key (جارفیس and گروس), so the key alone is a hint, never proof."""
    return abs(len(word) - len(term)) <= 1


def weigh(found: tuple[OtherSpelling, ...], known_names) -> tuple[OtherSpelling, ...]:
    """``found`` with the close spellings ``known_names`` (a function of folded spellings) knows as names included."""
    close = [s for s in found if not s.included and _close(s.word, s.term)]
    if not close:
        return found
    names = known_names([s.term for s in close])
    return tuple(replace(s, included=True) if s in close and s.term in names else s for s in found)
