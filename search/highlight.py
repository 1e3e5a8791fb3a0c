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

from articles.text import analyze, exact_tokens

SNIPPET_CHARS = 280
_CONTEXT_BEFORE = 60
# A snippet is looked for in the opening of a long text only: analysing a
# whole body costs more than the rest of a search, and news puts the point
# of an article first.
SNIPPET_SEARCH_CHARS = 3000


@dataclass(frozen=True)
class QueryTerms:
    """What to mark: index terms and term prefixes, folded or exact."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    exact: bool = False

    def matches(self, term: str) -> bool:
        return term in self.terms or (bool(self.prefixes) and term.startswith(self.prefixes))


def _spans(text: str, terms: QueryTerms) -> list[tuple[int, int]]:
    tokens = exact_tokens(text) if terms.exact else analyze(text)
    spans: list[tuple[int, int]] = []
    for tok in tokens:
        if not terms.matches(tok.text):
            continue
        if spans and tok.start < spans[-1][1]:
            # a part of a joined word already marked whole
            spans[-1] = (spans[-1][0], max(spans[-1][1], tok.end))
        else:
            spans.append((tok.start, tok.end))
    return spans


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


def highlight(text: str, terms: QueryTerms, *, length: int | None = SNIPPET_CHARS) -> SafeString:
    """The best passage of ``text`` (all of it if ``length`` is None) as safe HTML.

    A passage is looked for in the first ``SNIPPET_SEARCH_CHARS`` of a long text.
    """
    searched = text
    if length is not None and len(text) > SNIPPET_SEARCH_CHARS:
        # end at a space so the last word is not analysed cut short
        cut = text.rfind(" ", 0, SNIPPET_SEARCH_CHARS)
        searched = text[:cut if cut > 0 else SNIPPET_SEARCH_CHARS]
    spans = _spans(searched, terms) if (terms.terms or terms.prefixes) else []
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
