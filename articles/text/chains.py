"""Analysis chains per language: Persian, Arabic, or both.

``analyze(text, language)`` reads ``text`` as ``"fa"``, ``"ar"`` or, with
``None``, as both (a query whose letters do not tell, see
``language.query_language``).  Each chain folds (``fold``), finds words with
their offsets (``tokenize``), and then, in its own language:

* flags stop words instead of dropping them (``Term.stop``): they are kept
  so a query made only of them still finds something, and only rank;
* gives a compound one common term whether it is written joined, with a
  ZWNJ or with a space (بین‌المللی / بین المللی / بینالمللی), and a two-part
  spelling with و one term (گفتگو / گفت و گو / گفت‌وگو);
* stems lightly: Persian plural, yeh, possessive and comparative endings
  (never an Arabic proclitic: کالیفرنیا stays whole); Arabic proclitics
  (و ف ب ل ک ال and their combinations), feminine, plural and attached
  pronouns, and a present tense's prefix ی or ت where the past or noun
  left is known (یحده, تحد -> حد; یعتبر -> اعتبر; یقع -> وقع), the
  present as written kept beside it (``present_term``: ~یحد).  A name of
  the names lexicon is never stemmed.

A query's Arabic word also reaches the index's stems of other words with its
root (``root_stems``: الاطفال -> طفل; see ``roots``); the index holds no roots.

Endings that are often part of a word (Persian ش م ت ی, Arabic ی ک and a
proclitic without the article) are stripped only when what remains is a
known word at least as common as the whole (``lexicon.known``): هدفشان loses
شان because هدف is common, دولت keeps its ت.  The word lists are derived
from corpora by ``bench/text_lexicons.py`` (see ``data/README.md``).

The search index reads each article with its language's chain and keeps
each word as written too (``as_written``).
"""

from __future__ import annotations

from typing import NamedTuple

from . import lexicon, roots
from .fold import WordMemo
from .morphology import _AR_PREFIXES, _AR_PROCLITICS, _PROTECTED, _PROTECTED_ENDINGS
from .stopwords import STOP_AR, STOP_FA
from .tokens import indexed_tokens, tokenize

LANGUAGES = ("fa", "ar")
# Raised whenever the terms the chains give a text change (a stemming rule,
# a word list): an index built by another version is outdated, and
# ``rebuild_index --if-outdated`` rebuilds it.
VERSION = 3


class Term(NamedTuple):
    """One term of a text: ``text`` the analysed form, ``start``/``end`` offsets
    into the original text, ``pos`` counts words; ``stop`` marks a stop word
    (kept, to rank only), ``part`` a piece or an extra joined form of a compound."""

    text: str
    start: int
    end: int
    pos: int
    stop: bool = False
    part: bool = False


# --- Persian ------------------------------------------------------------------

_FA_POSSESSIVE = ("شان", "مان", "تان", "ش", "م", "ت")
# plural with a possessive after it, unambiguous whatever the stem
_FA_PLURAL_POSSESSIVE = ("هایشان", "هایمان", "هایتان", "هایش", "هایم", "هایت", "هایی", "های", "ها")
# (ending, shortest stem kept)
_FA_PLURAL = (("ترین", 3), ("تر", 3), ("ات", 3), ("ان", 3), ("ین", 4), ("ون", 4))


def _fa_stem(word: str) -> str:
    if len(word) < 3 or not word.isalpha() or word in _PROTECTED or lexicon.is_name(word):
        return word
    # an outer ending first: a possessive, or the indefinite/relational yeh
    for ending in _FA_PLURAL_POSSESSIVE:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return _fa_inner(word[: -len(ending)])
    for ending in _FA_POSSESSIVE:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 2 and lexicon.known("fa", stem, word):
            return _fa_inner(stem)
    if word.endswith("ای") and word[-3:-2] == "ه" and lexicon.known("fa", word[:-2], word):
        return word[:-2]  # خانه‌ای
    if word.endswith("ی") and not word.endswith("یی") and len(word) >= 4:
        stem = word[:-1]
        if lexicon.known("fa", stem, word) or (len(word) >= 5 and not lexicon.known("fa", word)):
            return _fa_inner(stem)
    return _fa_inner(word)


def _fa_inner(word: str) -> str:
    """The plural or comparative ending under a possessive or a yeh."""
    if word in _PROTECTED or lexicon.is_name(word):
        return word
    for ending, keep in _FA_PLURAL:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= keep:
            if ending == "ان" and stem.endswith("گ"):
                stem = stem[:-1] + "ه"  # a silent heh becomes گ before ان: نمایندگان
            elif ending == "ان" and stem.endswith("ی") and stem[-2:-1] in ("و", "ا") and len(stem) >= 4:
                stem = stem[:-1]  # a glide yeh after a vowel: دانشجویان, آقایان
            if word.endswith(_PROTECTED_ENDINGS):
                # کردستان, آذربایجان keep their ending; دوستان is دوست's plural
                return stem if lexicon.known("fa", stem, word) else word
            if lexicon.known("fa", stem) or not lexicon.known("fa", word):
                return stem
            return word
    return word


# --- Arabic -------------------------------------------------------------------

# A name after a proclitic letter is taken for the name unless the whole word is this many times as common.
NAME_PROCLITIC_RATIO = 4
# (ending, shortest stem kept, whether the stem must be a known word)
_AR_SUFFIXES = (
    ("هما", 3, False), ("کما", 3, False), ("ها", 3, False), ("هم", 3, False), ("هن", 3, False), ("کم", 3, False),
    ("نا", 3, True), ("ات", 3, False), ("ون", 3, False), ("ین", 3, False), ("یه", 3, False),
    ("ه", 3, False), ("ی", 3, True), ("ک", 3, True),
    ("ان", 3, True),  # the dual (الحربان), only where a known word remains: سکان, بیان stay
)
_AR_ARTICLE_PREFIXES = frozenset(_AR_PREFIXES)


def _ar_stem(word: str) -> str:
    return _ar_stems(word)[0]


def _ar_stems(word: str) -> tuple[str, str]:
    """A folded Arabic word's stem, and its stem with a present tense's
    prefix where the stem is the present's without it (یحدها: حد, یحد), else ""."""
    word, name = _ar_unclitic(word)
    if name:
        return word, ""
    stem = _ar_suffix(word)
    # the prefix over an object pronoun or the plural (یحدها, یدینون), or
    # under what only looked like an ending (یتکون is not یتک + ون)
    present = _ar_present(stem, word) if stem == word or word[len(stem):] in _AR_OBJECTS else stem
    if present == stem and stem != word and (whole := _ar_present(word, word)) != word:
        present = _ar_suffix(whole)
    if present == stem:
        present = _ar_masdar(stem)
    return (present, stem) if present != stem else (stem, "")


def _ar_unclitic(word: str) -> tuple[str, bool]:
    """A folded Arabic word without its proclitics, and whether it is a name (never stemmed further)."""
    if len(word) < 3 or not word.isalpha() or lexicon.is_name(word):
        return word, True
    for prefix in _AR_PROCLITICS:
        rest = word[len(prefix):]
        if not word.startswith(prefix) or len(rest) < 2:
            continue
        if lexicon.is_name(rest) and (prefix in _AR_ARTICLE_PREFIXES or _rarer(word, rest)):
            return rest, True
        # the article (with one letter before it) always goes; a bare
        # conjunction or preposition only before a known word (وزیر keeps its و)
        if prefix in _AR_ARTICLE_PREFIXES or (len(rest) >= 3 and lexicon.known("ar", rest, word)):
            return rest, False
    return word, False


def _rarer(word: str, name: str) -> bool:
    # a name after a conjunction or preposition letter (ولافروف), unless the
    # whole word is several times as common: فرقه is not ف + رقه, کندا not ک + ندا
    return lexicon.count("ar", word) <= NAME_PROCLITIC_RATIO * lexicon.count("ar", name)


# A present tense's prefix (ی he, ت she or you) goes where the past or the
# noun it makes is known: یحده, تحد -> حد; یعمل, تعمل -> عمل; یعتبر -> اعتبر
# (forms IV, VII, VIII, X write an alef the present drops); یقع, تقع -> وقع
# (a first و the present drops).  What remains must be seen at least
# 1/PRESENT_RATIO as often as the verb (تصریح is not ت + صریح), and as often
# when two letters remain.  A تفعیل noun (تقدیم, تحدید: see _ar_masdar), a word ending in ا
# or ات (یوما, تحرکات) or in a ه that is no pronoun (تجربه), a name and a
# stop word keep it.
PRESENT_RATIO = 10
# endings a present's prefix is seen over: object pronouns (یحدها) and the
# plural (یدینون), not what a verb's own letters may look like (یشارک is no یشار + ک)
_AR_OBJECTS = frozenset({"ه", "ها", "هم", "هما", "هن", "ون"})
_AR_PRESENT = ("ی", "ت")


def _ar_present(stem: str, word: str) -> str:
    """``stem`` (``word`` or its stem) without a present tense's prefix, where that is safe."""
    if (len(stem) < 3 or not stem.startswith(_AR_PRESENT) or stem.endswith("ا") or word.endswith("ات")
            or (word.endswith("ه") and not lexicon.known("ar", word[:-1]))
            or stem in STOP_AR or lexicon.is_name(stem) or (stem[0] == "ت" and len(stem) == 5 and stem[3] == "ی")):
        return stem
    rest = stem[1:]
    if len(rest) == 2:
        candidates, ratio = (rest, "و" + rest), 1
    else:
        candidates, ratio = (rest, "ا" + rest), PRESENT_RATIO
    seen = max(lexicon.count("ar", stem), lexicon.count("ar", word))
    for candidate in candidates:
        if candidate in STOP_AR:
            return stem
        if lexicon.known("ar", candidate) and lexicon.count("ar", candidate) * ratio >= seen:
            return candidate
    return stem


def _ar_masdar(stem: str) -> str:
    """A تفعیل noun's verb where it is known (تشخیص -> شخص, تاسیس -> اسس), as
    a present's: the noun as written stays beside it (``present_term``)."""
    if len(stem) != 5 or stem[0] != "ت" or stem[3] != "ی" or lexicon.is_name(stem):
        return stem
    verb = stem[1:3] + stem[4]
    if verb in STOP_AR or not lexicon.known("ar", verb) or lexicon.count("ar", verb) * PRESENT_RATIO < lexicon.count("ar", stem):
        return stem
    return verb


_AR_PRONOUNS = frozenset({"هما", "کما", "ها", "هم", "هن", "کم", "نا", "ی", "ک"})
# endings under which a teh marbuta is written ت: pronouns, the dual, the plural
_AR_AFTER_TEH = _AR_PRONOUNS | {"ه", "ین", "ان"}


def _ar_suffix(word: str, again: bool = True) -> str:
    for ending, keep, checked in _AR_SUFFIXES:
        stem = word[: -len(ending)]
        if not word.endswith(ending) or len(stem) < keep:
            continue
        if (again and ending in _AR_AFTER_TEH and stem.endswith("ت") and not stem.endswith("ات")
                and lexicon.known("ar", stem[:-1] + "ه")):
            # a teh marbuta is written ت before a pronoun or a dual or plural
            # ending: مدرستنا, عاصمته, العالمیتین -> مدرسه, عاصمه, عالمیه
            return _ar_suffix(stem[:-1] + "ه", again=False)
        if checked and not lexicon.known("ar", stem, word):
            continue
        if again and ending in _AR_PRONOUNS:
            return _ar_suffix(stem, again=False)  # a plural or feminine under the pronoun
        return stem
    return word


_AR_STEMS = WordMemo(_ar_stems).__getitem__
_STEMMERS = {"fa": WordMemo(_fa_stem).__getitem__, "ar": lambda word: _AR_STEMS(word)[0]}
_STOP = {"fa": STOP_FA, "ar": STOP_AR}


def stem(word: str, language: str) -> str:
    """The light stem of one folded word in ``"fa"`` or ``"ar"``."""
    return _STEMMERS[language](word)


# What marks an Arabic present tense as written, without its clitics and
# endings: the present's stem is the stem without its prefix (یحده, تحد and
# the past حد share حد), and this term beside it keeps the person and tense
# the query writes first (یحد) where all would otherwise weigh the same
# (``search.whoosh.translate``).
PRESENT = "~"


def present_term(word: str) -> str:
    """The index term of a folded Arabic word's present tense (or تفعیل noun)
    as written (یحدها -> ~یحد), or "" where its stem is no present's without the prefix."""
    found = _AR_STEMS(word)[1]
    return PRESENT + found if found else ""


# Letters from which a stem no text has is taken for a foreign name (``foreign``).
FOREIGN_LETTERS = 6


def _root(word: str) -> str:
    rest, name = _ar_unclitic(word)
    # a word only Persian text has is Persian typed with Arabic letters (فینال, سینمای): no Arabic root
    if name or word in STOP_AR or _attached_stop(word) or (not lexicon.count("ar", word) and lexicon.count("fa", word)):
        return ""
    stem, present = _AR_STEMS(word)
    # a present's stem is its verb already (یحدها -> حد, یستخدم -> استخدم): ISRI
    # reads no doubled or hollow root under the prefix (یحد)
    return roots.root(stem if present else rest)


_ROOTS = WordMemo(_root).__getitem__


def root(word: str) -> str:
    """A folded Arabic word's root (الحروب, حرب -> حرب; see ``roots``), or ""
    where it has none (a name, a stop word, a word of two letters)."""
    return _ROOTS(word)


def root_stems(word: str, known) -> tuple[str, ...]:
    """The light stems of other words with a folded Arabic word's root, among
    those ``known`` accepts (an index's terms): its broken plural, singular,
    masdar or participle (الاطفال -> طفل; مدرسه -> مدارس, تدریس), found by the
    root's common patterns (``roots.forms``) and kept where ISRI gives them
    the same root.  None for a word that is its own root (حرب): its stem
    already stands for it."""
    found = root(word)
    own = _AR_STEMS(word)[0]
    if not found or found == own:
        return ()
    return tuple(t for t in roots.forms(found) if t != own and known(t) and roots.root(t) == found)


def foreign(word: str) -> bool:
    """Whether a folded word is long and no text has it or its stem: a foreign
    name (سابیلا, موریتانی) more likely than an Arabic word, and its ISRI root
    some other words' (ابل)."""
    stem = _AR_STEMS(word)[0]
    return len(stem) >= FOREIGN_LETTERS and not lexicon.count("ar", word) and not lexicon.count("ar", stem)


def _present_terms(word: str, languages) -> tuple[str, ...]:
    found = "ar" in languages and word not in STOP_AR and present_term(word)
    return (found,) if found else ()


def read_word(word: str, language: str, stemmers=None) -> tuple[str, bool]:
    """One folded word's term in ``language`` and whether it is a stop word.

    A stop word is its own term (never stemmed); a word that is one under
    an Arabic proclitic or attached pronoun (بماذا, لمن, فیها, وهو) keeps its
    stem as the term but only ranks, as the stop word does.
    """
    stops = _STOP[language]
    if word in stops:
        return word, True
    term = (stemmers or _STEMMERS)[language](word)
    # only in Arabic: a Persian stem that is a stop word is a word of its own (هسته‌ای -> هست)
    return term, language == "ar" and (term in stops or _attached_stop(word))


_AR_ATTACHED = tuple(sorted(_AR_PRONOUNS | {"ه"}, key=len, reverse=True))


def _attached_stop(word: str) -> bool:
    # one proclitic letter before, or one pronoun after, a stop word: لمن, بما, فیها, علیه, منهم
    if word[:1] in "وفبلک" and word[1:] in STOP_AR:
        return True
    return any(word.endswith(p) and word[: -len(p)] in STOP_AR for p in _AR_ATTACHED)


# --- compounds -----------------------------------------------------------------


def _compounds(tokens, text: str) -> list[tuple[str, int, int, int]]:
    """Extra ``(term, start, end, pos)`` that give the spellings of a compound
    one term: its joined form for the spaced one, its parts for the joined one,
    and the و-less form of a two-part spelling with و."""
    extra = []
    whole = [t for t in tokens if not t.part]
    for i, t in enumerate(whole):
        split = lexicon.compound_parts(t.text)
        if split and not _has_parts(tokens, t):
            extra.extend((part, t.start, t.end, t.pos + k) for k, part in enumerate(split))
        canonical = lexicon.compound_canonical(t.text)
        if canonical:
            extra.append((canonical, t.start, t.end, t.pos))
        if i + 1 < len(whole) and _spaced(text, t, whole[i + 1]):
            nxt = whole[i + 1]
            joined = t.text + nxt.text
            if lexicon.compound_parts(joined):
                extra.append((joined, t.start, nxt.end, t.pos))
            if nxt.text == "و" and i + 2 < len(whole) and _spaced(text, nxt, whole[i + 2]):
                third = whole[i + 2]
                canonical = lexicon.compound_canonical(t.text + "و" + third.text)
                if canonical:
                    extra.append((canonical, t.start, third.end, t.pos))
    return extra


def _has_parts(tokens, token) -> bool:
    return any(t.part and t.pos == token.pos for t in tokens)


def _spaced(text: str, left, right) -> bool:
    gap = text[left.end:right.start]
    return 0 < len(gap) <= 2 and gap.strip(" \u00a0\u200c") == ""


# --- the chains -----------------------------------------------------------------


def analyze(text: str, language: str | None = None, *, stemmers=None, as_written=False) -> list[Term]:
    """The terms of ``text`` read as Persian (``"fa"``), Arabic (``"ar"``) or both (``None``).

    Positions count words, as ``articles.text.analyze`` does; with ``None``
    each word gives its Persian and its Arabic term where they differ, at the
    same position.  Stop words stay, flagged; names stay whole.  ``stemmers``
    (language -> a function of a folded word) replaces the light stemmers, to
    compare others with them (``bench/relevance.py``).  ``as_written`` also
    gives each word's folded, unstemmed form, marked (``written``), at the
    same position (what the index holds, see ``term_positions``).
    """
    languages = LANGUAGES if language is None else (language,)
    stemmers = {**_STEMMERS, **(stemmers or {})}
    tokens = tokenize(text, parts=True)
    raw = [(t.text, t.start, t.end, t.pos, t.part) for t in tokens]
    raw += [(term, start, end, pos, True) for term, start, end, pos in _compounds(tokens, text)]
    out: list[Term] = []
    seen: set[tuple[str, int]] = set()
    for word, start, end, pos, part in raw:
        for lang in languages:
            term, stop = read_word(word, lang, stemmers)
            if (term, pos) in seen:
                continue
            seen.add((term, pos))
            out.append(Term(term, start, end, pos, stop, part))
        for term in _present_terms(word, languages):
            if (term, pos) not in seen:
                seen.add((term, pos))
                out.append(Term(term, start, end, pos, False, True))
        if as_written and (WRITTEN + word, pos) not in seen:
            seen.add((WRITTEN + word, pos))
            out.append(Term(WRITTEN + word, start, end, pos, False, True))
    out.sort(key=lambda t: (t.pos, t.part, t.start))
    return out


def _word_terms(language: str | None):
    langs = LANGUAGES if language is None else (language,)

    def terms_of(word: str) -> tuple[str, ...]:
        found = (word if word in _STOP[lang] else _STEMMERS[lang](word) for lang in langs)
        return (*dict.fromkeys(found), *_present_terms(word, langs))

    return WordMemo(terms_of).__getitem__


# What marks a word's form as written among the terms of one field: a
# stemmed term and a written word never meet by chance (a Persian stem and
# an Arabic word spelled alike, a typo's stem and a real word).
WRITTEN = "="


def written(word: str) -> str:
    """The index term of a folded ``word`` as written (see ``term_positions``)."""
    return WRITTEN + word


def _indexed_terms(language: str | None):
    terms_of = _WORD_TERMS[language]

    def indexed(word: str) -> tuple[str, ...]:
        return (*terms_of(word), WRITTEN + word)

    return WordMemo(indexed).__getitem__


# a folded word -> its distinct terms in a chain (None: both), what ``analyze`` gives it
_WORD_TERMS = {language: _word_terms(language) for language in (*LANGUAGES, None)}
# ... and its folded form too (``as_written``)
_WORD_INDEXED = {language: _indexed_terms(language) for language in (*LANGUAGES, None)}


def _word_forms(language: str | None):
    langs = LANGUAGES if language is None else (language,)

    def forms_of(word: str) -> tuple[str, ...]:
        forms = [word, *(_STEMMERS[lang](word) for lang in langs), *(lexicon.compound_parts(word) or ())]
        canonical = lexicon.compound_canonical(word)
        if canonical:
            forms.append(canonical)
        return tuple(dict.fromkeys(forms))

    return WordMemo(forms_of).__getitem__


_WORD_FORMS = {language: _word_forms(language) for language in (*LANGUAGES, None)}


def word_forms(word: str, language: str | None = None) -> tuple[str, ...]:
    """A folded word as written, its light stem in ``language`` (both with
    None), and a compound's parts and common form: the terms an index of the
    chain and of the folded field may hold at the word's place, remembered
    (highlighting asks this for every word of a snippet)."""
    return _WORD_FORMS[language](word)


def _compound_words() -> tuple[frozenset[str], frozenset[str]]:
    # every proper beginning of a compound's joined form or of its spelling with و
    # (a word that is none of them joins no following word into a compound),
    # and every word ``_compound_terms`` has anything to do with
    parts, with_vav = lexicon._compounds()
    prefixes = frozenset(key[:i] for key in (*parts, *with_vav) for i in range(1, len(key)))
    return prefixes, prefixes | frozenset(parts) | frozenset(with_vav)


_COMPOUND_WORDS: list[tuple[frozenset[str], frozenset[str]]] = []


def term_positions(text: str, language: str | None = None, *, as_written=False) -> dict[str, list[int]]:
    """Each term ``analyze`` gives ``text`` with its distinct positions in
    ascending order: what the index stores, without a ``Term`` per word.

    The same terms as ``analyze`` (tests compare them), read from the
    remembered tokens (``tokens.indexed_tokens``) and each word's remembered
    terms; only a word that may begin a compound looks at its neighbours.
    ``as_written``: each word's folded form too, marked (``written``): one
    field holds both the language's terms and the words as written, at the
    same positions, so a phrase may mix them and BM25 weighs both against
    one length, without a second field.
    """
    terms_of = (_WORD_INDEXED if as_written else _WORD_TERMS)[language]
    tokens = indexed_tokens(text)
    positions: dict[str, list[int]] = {}
    get = positions.get
    # tokens come in order of position: a term's last position is the only possible repeat
    for word, _start, _end, pos, _part in tokens:
        for term in terms_of(word):
            found = get(term)
            if found is None:
                positions[term] = [pos]
            elif found[-1] != pos:
                found.append(pos)
    extra = _compound_terms(tokens, text)
    if extra:
        touched = set()
        for word, pos in extra:
            for term in terms_of(word):
                positions.setdefault(term, []).append(pos)
                touched.add(term)
        for term in touched:
            positions[term] = sorted(set(positions[term]))
    return positions


def _compound_terms(tokens, text: str) -> list[tuple[str, int]]:
    """``(word, pos)`` of what ``_compounds`` adds (before stemming)."""
    parts, with_vav = lexicon._compounds()
    if not _COMPOUND_WORDS:
        _COMPOUND_WORDS.append(_compound_words())
    prefixes, relevant = _COMPOUND_WORDS[0]
    extra = []
    whole = [t for t in tokens if not t[4]]
    with_parts = None
    n = len(whole)
    for i, (word, _start, end, pos, _part) in enumerate(whole):
        if word not in relevant:
            continue
        split = parts.get(word)
        if split:
            if with_parts is None:
                with_parts = {t[3] for t in tokens if t[4]}
            if pos not in with_parts:
                extra.extend((part, pos + k) for k, part in enumerate(split))
        canonical = with_vav.get(word)
        if canonical:
            extra.append((canonical, pos))
        if word in prefixes and i + 1 < n and _spaced_at(text, end, whole[i + 1][1]):
            nxt = whole[i + 1]
            if word + nxt[0] in parts:
                extra.append((word + nxt[0], pos))
            if nxt[0] == "و" and i + 2 < n and _spaced_at(text, nxt[2], whole[i + 2][1]):
                canonical = with_vav.get(word + "و" + whole[i + 2][0])
                if canonical:
                    extra.append((canonical, pos))
    return extra


def _spaced_at(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return 0 < len(gap) <= 2 and gap.strip(" \u00a0\u200c") == ""


def terms(text: str, language: str | None = None) -> list[str]:
    """The analysed forms of ``text``'s terms, in order (stop words included)."""
    return [t.text for t in analyze(text, language)]


def fold_words(text: str) -> list[str]:
    """Folded, unstemmed words with compound parts: the form shared by both languages."""
    return [t.text for t in tokenize(text, parts=True)]


__all__ = ["LANGUAGES", "PRESENT", "VERSION", "WRITTEN", "Term", "analyze", "fold_words", "foreign", "present_term",
           "read_word", "root", "root_stems", "stem", "term_positions", "terms", "word_forms", "written"]
