"""The portal's query language, independent of any search engine.

Whatever a person types is a valid query: the text is read by a small
parser of our own (never an engine's query parser), so syntax characters
are just text, and length and terms are bounded.

* words: any of them may match; documents with more of them rank first;
* ``"a phrase"`` must appear (also with «» or “” quotes);
* ``-word`` or ``-"a phrase"`` excludes;
* ``prefix*`` matches words that start so;
* exact spelling (``ExactCheck``): the folded query finds the candidates
  and ranks them, and the stored text of each is checked for the spelling.

``PortalQuery`` carries such a query through Haystack:
``SearchQuerySet().filter(content=PortalQuery(q, exact=False))``.  The
portal's Whoosh backend evaluates the parsed query itself
(``search.whoosh.query``); a Lucene-syntax backend (Elasticsearch,
OpenSearch) gets ``prepare()``'s query string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from haystack.inputs import BaseInput

from articles.text import exact_pattern, exact_tokens

from .highlight import QueryTerms

MAX_QUERY_CHARS = 256
MAX_TERMS = 32

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"'})
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PIECE_RE = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class ParsedQuery:
    """A query string read into its parts."""

    text: str = ""  # the plain words, in order, as typed
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # other spellings of what the query names (``search.expansion``)
    article_ids: tuple[int, ...] = ()  # articles linked to what it names
    # a word's other-script spellings that count as the word (``search.other_spellings``): (folded word, spellings)
    spelled: tuple[tuple[str, tuple[str, ...]], ...] = ()


def parse_query(q: str) -> ParsedQuery:
    """Split what a reader typed into words, phrases, exclusions and prefixes.

    Never fails: unbalanced quotes end at the end of the text, and any
    character the parser does not know is part of a word.
    """
    q = _CONTROL_RE.sub(" ", q[:MAX_QUERY_CHARS]).translate(_QUOTES)
    plain, phrases, excluded, prefixes = [], [], [], []
    for m in _PIECE_RE.finditer(q):
        phrase, word = m.group("phrase"), m.group("word")
        if m.group("neg"):
            if phrase or (word and word.strip("-*")):
                excluded.append(phrase or word)
        elif phrase is not None:
            if phrase.strip():
                phrases.append(phrase)
        elif word.endswith("*") and len(word.rstrip("*")) >= 2 and "*" not in word.rstrip("*"):
            prefixes.append(word.rstrip("*"))
        else:
            plain.append(word)
    return ParsedQuery(" ".join(plain), tuple(phrases), tuple(excluded), tuple(prefixes))


def without_phrases(q: str) -> str:
    """``q`` with its phrases read as plain words (excluded phrases and prefixes kept).

    What a search falls back to when its phrases find nothing: the words
    still rank the texts where they stand together first.
    """
    parsed = parse_query(q)
    words = [parsed.text, *parsed.phrases, *(f"{p}*" for p in parsed.prefixes)]
    words += [f'-"{e}"' if " " in e else f"-{e}" for e in parsed.excluded]
    return " ".join(w for w in words if w.strip())


class PortalQuery(BaseInput):
    """A query in the portal's language, for ``filter(content=...)`` or ``auto_query``.

    ``exact=True`` matches the spelling as written (nothing folded).
    """

    input_type_name = "portal"
    post_process = False  # prepare() gives the whole query; no word splitting by Haystack

    def __init__(self, query_string: str, *, exact: bool = False, also: tuple[str, ...] = (),
                 article_ids: tuple[int, ...] = (), spelled: tuple[tuple[str, tuple[str, ...]], ...] = (), **kwargs):
        super().__init__(query_string, exact=exact, **kwargs)
        self.exact = exact
        self.also, self.article_ids, self.spelled = tuple(also), tuple(article_ids), tuple(spelled)

    @property
    def parsed(self) -> ParsedQuery:
        parsed = parse_query(self.query_string)
        if self.also or self.article_ids or self.spelled:
            parsed = replace(parsed, also=self.also, article_ids=self.article_ids, spelled=self.spelled)
        return parsed

    # Lucene's query_string syntax (Elasticsearch, OpenSearch through Haystack).
    # Exact spelling searches a sub-field analysed without folding (docs/scaling.md).
    EXACT_FIELD = "text.exact"

    def prepare(self, query_obj) -> str:
        """The query as a Lucene query string: required phrases, optional words
        and prefixes (any may match, more rank higher), excluded words."""
        parsed = self.parsed
        scope = f"{self.EXACT_FIELD}:" if self.exact else ""

        def quoted(text):
            return scope + '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

        required = [quoted(p.strip()) for p in parsed.phrases if p.strip()]
        optional = [scope + query_obj.clean(w) for w in parsed.text.split()][:MAX_TERMS]
        optional += [scope + query_obj.clean(p) + "*" for p in parsed.prefixes]
        optional += [quoted(s) for _word, spellings in parsed.spelled for s in spellings]
        excluded = [quoted(e) if " " in e else scope + query_obj.clean(e) for e in parsed.excluded]
        if required:
            query = " AND ".join(required)
            if optional:  # optional words only rank among what the phrases found
                query = f"({query}) AND ({query} OR {' OR '.join(optional)})"
        elif optional:
            optional += [quoted(a) for a in parsed.also]
            query = " OR ".join(optional)
        else:
            query = "*:*"
        if excluded:
            query = f"({query}) AND NOT ({' OR '.join(excluded)})"
        return query


@dataclass(frozen=True)
class ExactCheck:
    """What an exact-spelling search asks of a text, checked on the text itself.

    Every phrase must be written so; when there is none, one of the words
    or prefixes must be; no excluded word or phrase may be.  Words are
    compared as ``exact_tokens`` reads them (nothing folded).
    """

    required: tuple[re.Pattern, ...] = ()
    any_of: re.Pattern | None = None
    excluded: re.Pattern | None = None
    terms: QueryTerms = field(default_factory=QueryTerms)

    @classmethod
    def from_query(cls, parsed: ParsedQuery) -> ExactCheck:
        def tokens(text):
            return [t.text for t in exact_tokens(text)][:MAX_TERMS]

        phrases = [words for words in map(tokens, parsed.phrases) if words]
        words = tokens(parsed.text)
        prefixes = [p.casefold() for p in parsed.prefixes if tokens(p)]
        optional = [exact_pattern([w]) for w in words] + [exact_pattern(tokens(p), prefix=True) for p in prefixes]
        excluded = [exact_pattern(words) for words in map(tokens, parsed.excluded) if words]
        return cls(
            required=tuple(_compile(exact_pattern(words)) for words in phrases),
            any_of=_compile("|".join(optional)) if optional and not phrases else None,
            excluded=_compile("|".join(excluded)) if excluded else None,
            terms=QueryTerms(frozenset(words).union(*phrases), tuple(prefixes), exact=True),
        )

    def matches(self, text: str) -> bool:
        """Whether ``text`` has the spellings asked for."""
        if self.any_of is not None and not self.any_of.search(text):
            return False
        if self.excluded is not None and self.excluded.search(text):
            return False
        return all(pattern.search(text) for pattern in self.required)


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)
