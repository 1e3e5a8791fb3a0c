"""Snippets of the original text with the matched words marked.

The words are found with the same tokens the index uses (``articles.text``),
whose offsets point into the original text, so a word written with Arabic
ي, diacritics or a ZWNJ is marked as written.  Marks wrap whole words (or
whole ZWNJ-separated pieces), never letters inside a word, so Arabic script
keeps joining; everything else is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.text import analyze, exact_tokens

SNIPPET_CHARS = 280
_CONTEXT_BEFORE = 60


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
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + length - _CONTEXT_BEFORE)
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
    """The best passage of ``text`` (all of it if ``length`` is None) as safe HTML."""
    spans = _spans(text, terms) if (terms.terms or terms.prefixes) else []
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
