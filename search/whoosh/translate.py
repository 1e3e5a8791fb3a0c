"""The portal's query language (``search.language``) translated into Whoosh queries.

Each word is read in the query's language (``articles.text.chains``;
Persian and Arabic both when its letters do not tell) and becomes its
spellings and variants in the title and text fields (each article analysed
in its own language) and its folded, unstemmed form (which the text field
also holds, for both languages' articles);
stop words are searched but weigh little unless the query has nothing else,
neighbouring words a phrase that only ranks, phrases required, prefixes
the commonest few dozen index terms that start so, exclusions a negation;
a word no article has, among words articles have, also searches its
likeliest corrections (a typo in a question: بلجیکیا); terms and prefix
expansion are bounded.  ``build_query`` also gives the
terms to highlight and one query per word (for coordination).
"""

from __future__ import annotations

import heapq
import math
import re
import time
import weakref
from itertools import islice, pairwise

from haystack.constants import ID
from whoosh import query as wq

from articles.text import chains, fold_key, lexicon, query_language, stem_variants, tokenize, typing_edits
from articles.text.morphology import AND, ARTICLE_FORMS, ONE_LETTER_PROCLITICS
from articles.text.stopwords import STOP_AR, STOP_FA

from ..highlight import QueryTerms
from ..language import MAX_TERMS, ParsedQuery
from .engine import BonusBest, BonusPhrase

MAX_PREFIX_TERMS = 40
# Bounds of one query's expansion, whatever it asks: the index terms prefixes
# may look at and add in all, and the time after which words get no variants
# and prefixes no expansion (each index term added is evaluated over the
# whole index, so 32 prefixes of 40 terms cost seconds on a large one).
MAX_PREFIX_LOOKUPS = 4000
MAX_EXPANDED_TERMS = 160
EXPANSION_SECONDS = 0.3
_clock = time.monotonic  # tests replace it

# Ranking, tuned on bench/search_quality.py (not on the seeds).
TITLE_BOOST = 1.0
PROCLITIC_BOOST = 0.4
VARIANT_BOOST = 0.7
COMPOUND_HEAD_BOOST = 0.5
# the word as written, in either language's articles: as much as its stem (Hamshahri nDCG@10
# 0.924 -> 0.933 at 1.0 with the title's phrase and stop words below weighed up beside it)
FOLDED_BOOST = 1.0
OTHER_READING_BOOST = 0.5  # a word read in the other language than the query's letters tell
STOP_BOOST = 0.45  # a stop word among other words
IDF_POWER = 5.0  # rarity's part in a word's weight among the query's words
PAIR_BOOST = 1.0
PAIR_SLOP = 3
# the query's words, stop words too, in their order in a title: a headline typed again
# (known-item ar 0.959 -> 0.978, fa 0.976 -> 0.991; Hamshahri and qa-dev unchanged)
TITLE_PHRASE_BOOST = 2.0
TITLE_PHRASE_SLOP = 2
CORRECTION_BOOST = 0.5  # an index term one edit from a word no article has (a typo: بلجیکیا, الاظطراب)
CORRECTIONS = 3
# an Arabic present tense as the query writes it, over its other persons and its past
PRESENT_BOOST = 0.3
# the best of an Arabic word's root-mates (chains.root_stems): its broken plural, singular, masdar,
# participle (0.5 lost two known-item titles to near-duplicates, 0.3 gained less on questions)
ROOT_BOOST = 0.4
# a root-mate in more of the articles than this (and than ROOT_FEW) says little (its weight is
# low) and costs most to score
ROOT_SHARE = 0.01
ROOT_FEW = 50
# query words whose root-mates are remembered per index reader, before starting again
ROOT_WORDS_KEPT = 10000
_ROOT_STEMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # reader -> folded word -> its root-mates

_AND_RE = re.compile(rf"\s+{AND}\s+")
_STOP = {"fa": STOP_FA, "ar": STOP_AR}

# --- building the Whoosh query ----------------------------------------------------


def _any(alternatives):
    return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)


class _Builder:
    """Turns a ParsedQuery into Whoosh queries and remembers the terms used."""

    def __init__(self, reader, *, languages: tuple[str, ...] = chains.LANGUAGES):
        self.reader = reader
        self.languages = languages
        self.arabic = languages == ("ar",)
        self.budget = MAX_TERMS
        self.lookups = MAX_PREFIX_LOOKUPS
        self.expanded = MAX_EXPANDED_TERMS
        self.deadline = _clock() + EXPANSION_SECONDS
        self.terms: set[str] = set()
        self.prefixes: list[str] = []
        self.phrases: list[tuple[str, ...]] = []
        self.units = []  # one query per word or prefix
        self.stop_units = []  # stop words among other words: they rank, never match alone
        self.spelled: dict[str, tuple[str, ...]] = {}  # a word's other-script spellings (ParsedQuery.spelled)

    def _term(self, text, boost=1.0):
        self.terms.add(text)
        return wq.Or([wq.Term("text", text, boost=boost), wq.Term("title", text, boost=boost * TITLE_BOOST)])

    def _word(self, terms, folded, boost=1.0):
        """A word: its terms in the query's languages, and its folded form as written in any article."""
        alternatives = [self._term(t, boost) for t in terms]
        if len(self.languages) == 1 and folded and folded not in _STOP[self.languages[0]]:
            # the letters may mislead (Persian typed with Arabic ي/ك): the other reading, weighing less
            # (only in that language's articles: a Persian word never loses an Arabic proclitic)
            language = "fa" if self.languages[0] == "ar" else "ar"
            other = chains.stem(folded, language)
            if other not in terms:
                alternatives.append(wq.And([self._term(other, boost * OTHER_READING_BOOST),
                                            wq.ConstantScoreQuery(wq.Term("language", language), 0.0)]))
        if folded and folded not in terms:
            self.terms.add(folded)
            alternatives.append(wq.Term("text", chains.written(folded), boost=boost * FOLDED_BOOST))
        alternatives += [self._term(t, boost * PRESENT_BOOST) for t in self._presents(folded)]
        return _any(alternatives)

    def _presents(self, folded):
        """An Arabic present tense as written (~یحد), over its stem shared
        with its other persons and its past (حد): the form the query writes first."""
        if "ar" not in self.languages or not folded or chains.read_word(folded, "ar")[1]:
            return []
        found = chains.present_term(folded)
        return [found] if found else []

    def _roots(self, folded, terms):
        """The index's stems that share an Arabic word's root (حرب, محارب for حروب):
        the best of them ranks a text that has the query's other words, weighing
        less than the word itself (what its stem misses).  Not for a long word
        no text has: a foreign name (سابیلا) more likely."""
        if "ar" not in self.languages or not folded or chains.read_word(folded, "ar")[1] or chains.foreign(folded):
            return []
        # a word no article has: its root would stand for its corrections' or a name's
        if self._absent(terms, folded):
            return []
        stems = [t for t in self._root_stems(folded) if t not in terms]
        if not stems:
            return []
        # only for the best candidates (BonusBest): each term evaluated over every article
        # cost a quarter more time per search; not marked in snippets (about 1 ms more a search)
        return [BonusBest([wq.Or([wq.Term("text", t, boost=ROOT_BOOST), wq.Term("title", t, boost=ROOT_BOOST * TITLE_BOOST)])
                           for t in stems])]

    def _root_stems(self, folded):
        # remembered per reader (an index as it stands): some thirty lookups a word
        # cost a search about a millisecond, and query words repeat
        known = _ROOT_STEMS.setdefault(self.reader, {})
        found = known.get(folded)
        if found is None:
            if len(known) >= ROOT_WORDS_KEPT:
                known.clear()
            most = max(ROOT_SHARE * self.reader.doc_count(), ROOT_FEW)
            found = known[folded] = chains.root_stems(folded, lambda t: 0 < self.reader.doc_frequency("text", t) <= most)
        return found

    def analysed(self, word):
        """The distinct terms of one folded word in the query's languages, and whether it is a stop word."""
        terms, stop = [], False
        for language in self.languages:
            term, stop_here = chains.read_word(word, language)
            stop = stop or stop_here
            if term not in terms:
                terms.append(term)
        return terms, stop

    def _phrase(self, words):
        self.terms.update(words)
        if len(words) == 1:
            return self._term(words[0])
        # slop 2 lets "کتاب ها" (two positions) stand where "کتابها" has one
        return wq.Or([wq.Phrase("text", words, slop=2), wq.Phrase("title", words, slop=2, boost=TITLE_BOOST)])

    def _groups(self, text):
        """Words as (their terms, the terms of their parts, as written, start, end, folded, stop)."""
        groups = []
        for tok in tokenize(text, parts=True):
            if tok.part and groups:
                groups[-1][1].append(self.analysed(tok.text)[0][0])
            elif not tok.part:
                terms, stop = self.analysed(tok.text)
                groups.append((terms, [], text[tok.start:tok.end], tok.start, tok.end, tok.text, stop))
        for terms, parts, _w, _s, _e, folded, _stop in groups:
            if not parts and (split := lexicon.compound_parts(folded)):
                parts.extend(self.analysed(part)[0][0] for part in split)
            canonical = lexicon.compound_canonical(folded)
            if canonical and canonical not in terms:
                terms.append(canonical)
        return groups

    def words(self, text):
        """One query per word: the word, its split spelling, its bare form.

        Neighbouring words also count as a phrase, so texts where they stand
        together ("ایران خودرو", "کوی دانشگاه") rank above texts that merely
        have both, and all the words (stop words too) as a phrase in the
        title, so the headline a reader types again ranks first.
        """
        units = []
        groups = self._groups(text)[:MAX_TERMS]
        fixes = self._fixes(groups)
        only_stop = all(g[-1] for g in groups)
        before = len(self.units)
        for first, second in pairwise([g for g in groups if only_stop or not g[-1]]):
            units.append(BonusPhrase("text", [first[0][0], second[0][0]], slop=PAIR_SLOP, boost=PAIR_BOOST))
        if len(groups) > 1:
            units.append(self._title_phrase(groups))
        for i, (terms, parts, written, _start, _end, folded, stop) in enumerate(groups):
            if self.budget <= 0:
                break
            self.budget -= 1
            if stop and not only_stop:
                # among other words a stop word only ranks what they find
                self.stop_units.append(self._word(terms, folded, STOP_BOOST))
                continue
            alternatives = [self._word(terms, folded)]
            roots = self._roots(folded, terms)
            joined = terms[0]
            if len(parts) > 1:
                alternatives.append(self._phrase(parts))
            elif parts and parts[0] != joined:
                alternatives.append(self._term(parts[0]))
            if not stop and _clock() <= self.deadline:
                alternatives += self._variants(joined, written)
            alternatives += [q for q in map(self.spelling, self.spelled.get(folded, ())) if q is not None]
            # a word no article has weighs as its corrections do
            alternatives += [self._term(t, CORRECTION_BOOST) for t in fixes.get(i, ())]
            covered = _any(alternatives)
            units.append(_any(alternatives + roots))
            # a text with only the word's root-mates ranks, but does not count as having the word
            self.units.append((covered, self._idf(fixes[i][0] if i in fixes else joined)))
        self._merge_binomials(text, [g for g in groups if only_stop or not g[-1]][:len(self.units) - before], before)
        return units

    def _title_phrase(self, groups):
        """All the query's words in their order in a title (one more word between
        two: slop 2), in each of its readings (the best counts): a reader who types
        again some words of a headline she has seen finds it before a title that has
        them apart, as a near-duplicate's does."""
        readings = dict.fromkeys(tuple(g[0][min(i, len(g[0]) - 1)] for g in groups) for i in range(len(self.languages)))
        phrases = [BonusPhrase("title", list(words), slop=TITLE_PHRASE_SLOP, boost=TITLE_PHRASE_BOOST) for words in readings]
        return phrases[0] if len(phrases) == 1 else BonusBest(phrases)

    def _merge_binomials(self, text, groups, first):
        # "مرگ و میر", "نقل و انتقال": two words joined by و name one thing,
        # so for counting how many of the query's words a text has they are one.
        merged, i = self.units[:first], 0
        while i < len(groups):
            unit = self.units[first + i]
            if i + 1 < len(groups) and _AND_RE.fullmatch(text[groups[i][4]:groups[i + 1][3]]):
                other = self.units[first + i + 1]
                unit = (wq.And([unit[0], other[0]]), max(unit[1], other[1]))
                i += 1
            merged.append(unit)
            i += 1
        self.units = merged

    def _fixes(self, groups):
        """Corrections of the words no article has (a typo: بلجیکیا, الاظطراب) among
        words articles have, by group index (a query of unknown words only gets a
        did-you-mean).  A word whose best correction is a stop word (بمازا) becomes one."""
        if not CORRECTION_BOOST:
            return {}
        unknown = [not g[-1] and self._absent(g[0], g[5]) for g in groups]
        if not any(not g[-1] and not u for g, u in zip(groups, unknown, strict=True)):
            return {}
        fixes = {}
        for i, (terms, parts, written, start, end, folded, _stop) in enumerate(groups):
            if not unknown[i] or len(terms[0]) < 4 or not terms[0].isalpha() or _clock() > self.deadline:
                continue
            found, stop = self._corrections(folded)
            if stop:
                groups[i] = ([found[0]], parts, written, start, end, folded, True)
            elif found:
                fixes[i] = found
        return fixes

    def _absent(self, terms, folded):
        """Whether no article has a word as written nor any of its terms."""
        return not self.reader.doc_frequency("text", chains.written(folded)) and not any(
            self.reader.doc_frequency("text", t) for t in terms)

    def _corrections(self, word):
        """The commonest index terms of the spellings one likely typing edit from
        a folded word (بمازا: بماذا, read as ماذا), and whether the commonest is a stop word."""
        found, stops = {}, set()
        for edit in typing_edits(word):
            terms, stop = self.analysed(edit)
            if df := self.reader.doc_frequency("text", terms[0]):
                found[terms[0]] = max(df, found.get(terms[0], 0))
                if stop:
                    stops.add(terms[0])
        best = sorted(found, key=lambda t: (-found[t], t))[:CORRECTIONS]
        return best, bool(best) and best[0] in stops

    def _idf(self, term):
        # how much a word says: missing a rare word costs more than missing a common one
        df = self.reader.doc_frequency("text", term)
        return math.log(1 + (self.reader.doc_count() - df + 0.5) / (df + 0.5)) ** IDF_POWER

    def _variants(self, term, written):
        """Other index terms for the same word: an ات plural's singular, the
        word without an Arabic proclitic, the head of a rare compound."""
        found = []
        word = fold_key(written)
        for variant in stem_variants(word):
            if variant != term and self.reader.doc_frequency("text", variant):
                found.append(self._term(variant, VARIANT_BOOST))
        if self.arabic and (bare := _without_proclitic(term)):
            found.append(self._term(bare, PROCLITIC_BOOST))
        df = self.reader.doc_frequency("text", term)
        if split := self._split(word, df):
            head, tail = split
            found += [BonusPhrase("text", [head, tail], slop=PAIR_SLOP), self._term(head, COMPOUND_HEAD_BOOST)]
            if not df:
                # a word no article has may be two run together (المدینهالمنوره): its tail counts too
                found.append(self._term(tail, COMPOUND_HEAD_BOOST))
        return found

    def _split(self, word, df):
        # "همسرداری" is rare, "همسر" and "داری" are common: also look for the
        # compound written as two words, and for its head alone.
        best, best_df = None, max(df * 10, 2)
        language = self.languages[0]
        for i in range(3, len(word) - 2):
            head, tail = chains.stem(word[:i], language), chains.stem(word[i:], language)
            common = min(self.reader.doc_frequency("text", head), self.reader.doc_frequency("text", tail))
            if common > best_df:
                best, best_df = (head, tail), common
        return best

    def phrase(self, text):
        """A phrase query in each of the query's languages and as written;
        pieces of joined words keep their own positions."""
        groups = self._groups(text)
        readings = []
        for i in range(len(self.languages)):
            words = []
            for terms, parts, *_written in groups:
                words.extend(parts if len(parts) > 1 else [terms[min(i, len(terms) - 1)]])
            if words not in readings:
                readings.append(words)
        size = min(len(readings[0]), max(self.budget, 1)) if groups else 0
        self.budget -= size
        if not size:
            return None
        marked = set(self.terms)  # a phrase's words are marked only together (``phrases``)
        alternatives = [self._phrase(words[:size]) for words in readings]
        folded = [g[5] for g in groups][:size]
        self.terms = marked
        if size == 1:
            self.terms.update(readings[0][:1] + folded)
        else:
            self.phrases.extend(dict.fromkeys(tuple(w[:size]) for w in [*readings, folded]))
        written = [chains.written(w) for w in folded]
        alternatives.append(wq.Phrase("text", written, slop=2, boost=FOLDED_BOOST) if len(written) > 1
                            else wq.Term("text", written[0], boost=FOLDED_BOOST))
        self.units.append((wq.Or(alternatives), max(self._idf(w) for w in readings[0][:size])))
        return self.units[-1][0]

    def spelling(self, text):
        """Another spelling of what the query names: a phrase in either language's
        articles, or as written (not counted among the query's words)."""
        language = query_language(text)
        reader = _Builder(self.reader, languages=(language,) if language else chains.LANGUAGES)
        groups = reader._groups(text)[:MAX_TERMS]
        if not groups:
            return None
        alternatives = []
        for i in range(len(reader.languages)):
            words = [terms[min(i, len(terms) - 1)] for terms, *_rest in groups]
            alternatives.append(self._phrase(words))
        folded = [g[5] for g in groups]
        self.terms.update(folded, reader.terms)
        written = [chains.written(w) for w in folded]
        alternatives.append(wq.Phrase("text", written, slop=1) if len(written) > 1 else wq.Term("text", written[0]))
        return wq.Or(alternatives)

    def prefix(self, text):
        """The commonest index terms that start with ``text``, or None."""
        if self.budget <= 0 or self.expanded <= 0 or _clock() > self.deadline:
            return None
        self.budget -= 1
        starts = {fold_key(text)}
        starts |= {s[len(a):] for s in starts for a in ARTICLE_FORMS if s.startswith(a) and len(s) > len(a) + 2}
        found = {}
        for start in starts:
            for n, term in enumerate(self.reader.expand_prefix("text", start)):
                if n >= 2000 or self.lookups <= 0:  # enough candidates to pick the commonest from
                    break
                self.lookups -= 1
                found[term] = self.reader.doc_frequency("text", term)
        self.prefixes.extend(starts)
        if not found:
            return None
        best = sorted(found, key=found.get, reverse=True)[:min(MAX_PREFIX_TERMS, self.expanded)]
        self.expanded -= len(best)
        best = [t.decode() if isinstance(t, bytes) else t for t in best]
        self.units.append((wq.Or([self._term(t) for t in best]), self._idf(best[0])))
        return self.units[-1][0]


def _without_proclitic(word: str) -> str:
    # Arabic writes و ب ل ف onto the next word: "وقال" is "و" + "قال".
    if len(word) >= 5 and word[0] in ONE_LETTER_PROCLITICS and word.isalpha():
        return chains.stem(word[1:], "ar")
    return ""


def build_query(parsed: ParsedQuery, reader, *, languages: tuple[str, ...] = chains.LANGUAGES, exclude: bool = True):
    """The Whoosh query for a parsed query read in ``languages``, the terms to
    highlight, and the query of each word, phrase and prefix (to count how many a text has).

    With ``exclude=False`` the excluded words are left to the caller.
    """
    builder = _Builder(reader, languages=languages)
    builder.spelled = dict(parsed.spelled)
    required = [q for q in (builder.phrase(p) for p in parsed.phrases) if q is not None]
    optional = builder.words(parsed.text)
    optional += [q for q in (builder.prefix(p) for p in parsed.prefixes) if q is not None]
    units = builder.units
    excluded_builder = _Builder(reader, languages=languages)
    excluded = [q for q in (excluded_builder.phrase(text) for text in parsed.excluded) if q is not None] if exclude else []

    if optional and (parsed.also or parsed.article_ids):
        # what the query names, in other spellings or linked to its articles,
        # is as good a match as the query's own words, in every word's count
        named = [q for q in (builder.spelling(a) for a in parsed.also) if q is not None]
        if parsed.article_ids:
            named.append(wq.ConstantScoreQuery(
                wq.Or([wq.Term(ID, f"articles.article.{pk}") for pk in parsed.article_ids]), 0.0))
        optional = [wq.Or([*optional, *named])]
        units = [(wq.Or([unit, *named]), weight) for unit, weight in units]
    terms = QueryTerms(frozenset(builder.terms), tuple(builder.prefixes), phrases=tuple(builder.phrases))
    if not (required or optional):
        # nothing searchable (no query, only stop words or "*"): the latest articles
        query = wq.Every() if excluded else None
    else:
        words = wq.Or(optional) if len(optional) > 1 else (optional[0] if optional else None)
        if words is not None and builder.stop_units:
            words = wq.AndMaybe(words, wq.Or(builder.stop_units))
        if required:
            query = wq.And(required) if words is None else wq.AndMaybe(wq.And(required), words)
        else:
            query = words
    if query is not None and excluded:
        query = wq.AndNot(query, wq.Or(excluded))
    return query, terms, units


# A filter on the start of a word (``title__startswith``) expands to at most
# this many index terms, the commonest first, so a two-letter prefix costs
# as little as a long one.
MAX_EXPANSIONS = 16
MAX_SCANNED_TERMS = 400


def expand_prefixes(query, reader):
    """``query`` with each ``Prefix`` (or an ``Or`` of prefixes of one field,
    counted as one) replaced by the commonest index terms that start so."""
    prefixes = [query] if isinstance(query, wq.Prefix) else (
        list(query.subqueries) if isinstance(query, wq.Or) and query.subqueries
        and all(isinstance(q, wq.Prefix) for q in query.subqueries)
        and len({q.fieldname for q in query.subqueries}) == 1 else None)
    if prefixes is None:
        return query.apply(lambda child: expand_prefixes(child, reader)) if list(query.children()) else query
    fieldname, terms = prefixes[0].fieldname, set()
    for prefix in prefixes:
        terms.update(t.decode() if isinstance(t, bytes) else t
                     for t in islice(reader.expand_prefix(fieldname, prefix.text), MAX_SCANNED_TERMS))
    best = heapq.nlargest(MAX_EXPANSIONS, terms, key=lambda t: reader.doc_frequency(fieldname, t))
    return wq.Or([wq.Term(fieldname, t) for t in best])  # none: matches nothing
