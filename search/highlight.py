"""Snippets of the original text with the matched words marked.

The words are found with the same tokens the index uses (``articles.text``),
whose offsets point into the original text, so a word written with Arabic
ي, diacritics or a ZWNJ is marked as written.  Marks wrap whole words (or
whole ZWNJ-separated pieces), never letters inside a word, so Arabic script
keeps joining; everything else is HTML-escaped.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.text import analyze_spans, chains, exact_tokens

SNIPPET_CHARS = 280
_CONTEXT_BEFORE = 60
# A snippet is looked for in the opening of a long text only: analysing a
# whole body costs more than the rest of a search, and news puts the point
# of an article first.  The first stretch (about a hundred words: the lead)
# is enough when it has a match (998 of the 1,000 top-10 snippets of
# bench/queries.txt at 48k articles, as with 1,200 characters, at 0.4 ms
# less a search); only if not is the longer one read.
SNIPPET_FIRST_CHARS = 600
SNIPPET_SEARCH_CHARS = 3000


@dataclass(frozen=True)
class QueryTerms:
    """What to mark: index terms and term prefixes, folded or exact."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    exact: bool = False
    # phrases as index terms in order (a reading per language): marked only where they stand together
    phrases: tuple[tuple[str, ...], ...] = ()

    def matches(self, term: str) -> bool:
        return term in self.terms or (bool(self.prefixes) and term.startswith(self.prefixes))


def _spans(text: str, terms: QueryTerms, language: str | None) -> list[tuple[int, int]]:
    if terms.exact:
        tokens = [(t, start, end) for t, start, end, *_ in exact_tokens(text) if terms.matches(t)]
    else:
        tokens = _matched(text, terms, language)
        if terms.phrases:
            tokens += _phrase_spans(text, terms.phrases, language)
        tokens.sort(key=lambda s: (s[1], -s[2]))
    spans: list[tuple[int, int]] = []
    for _term, start, end in tokens:
        if spans and start < spans[-1][1]:
            # a part of a joined word already marked whole
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def _tokens(text: str, language: str | None) -> list[tuple[str, str, int, int, int, bool]]:
    """Each word of ``text`` as written (folded) and as its language's chain
    stems it (``articles.text.chains.stem``, remembered per word): what the
    index holds for it, with offsets, position and whether it is a part."""
    languages = (language,) if language else chains.LANGUAGES
    stem = chains.stem
    return [(word, stem(word, lang), start, end, pos, part)
            for word, start, end, pos, part in analyze_spans(text, stemming=False, stop_words=False)
            for lang in languages]


def _matched(text: str, terms: QueryTerms, language: str | None) -> list[tuple[str, int, int]]:
    # a word is marked when one of the terms the index has for it at its place
    # matches: its language's stem, its folded form as written, the
    # parts and common form of a compound (``chains.word_forms``, remembered)
    # (each distinct word asked once: a text repeats its words)
    forms, matches = chains.word_forms, terms.matches
    spans = analyze_spans(text, stemming=False, stop_words=False)
    marked = {word for word in {s[0] for s in spans} if any(matches(term) for term in forms(word, language))}
    return [("", start, end) for word, start, end, _pos, _part in spans if word in marked]


def _phrase_spans(text: str, phrases, language: str | None) -> list[tuple[str, int, int]]:
    """Where the words of a phrase stand together in ``text``: one span each."""
    at: dict[int, list] = {}  # word position -> [its terms, start, end]
    for word, stem, start, end, pos, part in _tokens(text, language):
        if not part:
            entry = at.setdefault(pos, [set(), start, end])
            entry[0].update((word, stem))
    found = []
    for words in phrases:
        for pos in at:
            if all(pos + k in at and word in at[pos + k][0] for k, word in enumerate(words)):
                found.append(("", at[pos][1], at[pos + len(words) - 1][2]))
    return found


def _window(text: str, spans: list[tuple[int, int]], length: int) -> tuple[int, int]:
    if len(text) <= length:
        return 0, len(text)
    best, best_count = 0, 0
    ends = [e for _, e in spans]  # ascending: spans neither overlap nor go back
    for i, (start, _) in enumerate(spans):
        count = bisect_right(ends, start + length - _CONTEXT_BEFORE, lo=i) - i
        if count > best_count:
            best, best_count = max(0, start - _CONTEXT_BEFORE), count
    # begin and end at whitespace so no word is cut in half
    if best > 0:
        space = text.find(" ", best, best + _CONTEXT_BEFORE)
        best = space + 1 if space != -1 else best
    end = min(len(text), best + length)
    if end < len(text):
        space = text.rfind(" ", best, end)
        end = space if space > best else end
    return best, end


def _opening(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)  # at a space, so the last word is not analysed cut short
    return text[:cut if cut > 0 else limit]


def highlight(text: str, terms: QueryTerms, *, length: int | None = SNIPPET_CHARS,
              language: str | None = None) -> SafeString:
    """The best passage of ``text`` (all of it if ``length`` is None) as safe HTML.

    ``text`` is read in ``language``'s chain ("fa" or "ar"; None: both), as the index read it.

    A passage is looked for in the first ``SNIPPET_FIRST_CHARS`` of a long
    text, or if they have no match, in the first ``SNIPPET_SEARCH_CHARS``.
    """
    spans = []
    if terms.terms or terms.prefixes or terms.phrases:
        limits = (None,) if length is None else (SNIPPET_FIRST_CHARS, SNIPPET_SEARCH_CHARS)
        for limit in limits:
            spans = _spans(_opening(text, limit), terms, language)
            if spans or limit is None or limit >= len(text):
                break
    start, end = (0, len(text)) if length is None else _window(text, spans, length)
    out = ["…"] if start > 0 else []
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out).replace("\n", " "))
