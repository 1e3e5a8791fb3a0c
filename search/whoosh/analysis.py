"""The Whoosh analyzers built on the portal's text package.

Whoosh pickles the schema with the index, so these classes live at module
level and hold only plain flags.  Index and query text go through the same
analysis, so a word typed with Arabic ي/ك, with diacritics, a ZWNJ or a
space finds the word however the article wrote it.

``LanguageAnalyzer`` reads each article in its own language
(``articles.text.chains``): Whoosh gives an analyzer the value alone, so the
backend puts the article's language in front of the value
(``with_language``) and stores the value without it.  Each word is also
indexed as written (folded, unstemmed) where that differs from its terms,
at the same position: a word typed in the other language's spelling or
stemmed otherwise still meets the article's own word, and a phrase may mix
both.  ``PortalAnalyzer`` is the language-blind analysis of the first
schema: indexes built before issue 13 pickled it, and reading their schema
(to find them outdated) needs the class.
"""

from whoosh.analysis import Composable
from whoosh.analysis import Token as WhooshToken

from articles.text import analyze, chains, term_positions

# A private-use character pair around the language code: no text has them.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"


def with_language(value: str, language: str) -> str:
    """``value`` marked to be read as ``language`` ("fa" or "ar") by ``LanguageAnalyzer``."""
    if language not in chains.LANGUAGES:
        return value
    return f"{_MARK_OPEN}{language}{_MARK_CLOSE}{value}"


def read_language(value: str) -> tuple[str | None, str]:
    """The language ``with_language`` put in front of ``value`` (None: both) and the text."""
    if value.startswith(_MARK_OPEN):
        end = value.find(_MARK_CLOSE, 1)
        if end != -1:
            return value[1:end], value[end + 1:]
    return None, value


class TermPositions(dict):
    """Terms and their positions, and the text's ``length`` in words: what
    BM25 weighs a match against.  Counting the words kept as written as well
    would make a text longer the more of its words a stemmer changes.  The
    portal's writer (``search.whoosh.writer``) reads it."""

    length: int = 0


def language_terms(text: str, language: str | None) -> TermPositions:
    """Each term of ``text`` in ``language``'s chain (both with None) and each
    word as written, with their positions."""
    terms = TermPositions(chains.term_positions(text, language, as_written=True))
    terms.length = max((p[-1] for p in terms.values()), default=-1) + 1
    return terms


class LanguageAnalyzer(Composable):
    """Each text in its own language's chain (folded, stop words kept, light
    stemming) and its words as written.

    The language comes from the value (``with_language``); an unmarked value
    (a query) is read in both languages.
    """

    def __init__(self):
        # pickled with the schema: an index of other chains reads as outdated
        self.version = chains.VERSION

    def __eq__(self, other):
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def term_positions(self, value):
        """Each indexed term of ``value`` with its positions."""
        language, text = read_language(value)
        return language_terms(text, language)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        language, text = read_language(value)
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        offset = start_char + len(value) - len(text)
        yield from _stream(token, chains.analyze(text, language, as_written=True), text, keeporiginal, start_pos, offset)


class PortalAnalyzer(Composable):
    """Folded tokens (see ``articles.text.analyze``), light-stemmed and without
    stop words unless told otherwise.

    Indexing asks ``term_positions`` (every term's positions at once, see
    ``search.whoosh.codec.CompactPositions``); Whoosh's own query and highlighting
    machinery calls the analyzer for a token stream.
    """

    def __init__(self, stemming=True, stop_words=True):
        self.stemming = stemming
        self.stop_words = stop_words

    def __eq__(self, other):
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __setstate__(self, state):
        # an index pickled before ``stop_words`` existed
        self.__dict__.update({"stop_words": True, **state})

    def term_positions(self, value):
        """Each indexed term of ``value`` with its positions."""
        return term_positions(value, stemming=self.stemming, stop_words=self.stop_words)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = analyze(value, stemming=self.stemming, stop_words=removestops and self.stop_words)
        yield from _stream(token, terms, value, keeporiginal, start_pos, start_char)


def _stream(token, terms, text, keeporiginal, start_pos, start_char):
    """Whoosh's token stream of ``terms`` (text, start, end, pos) found in ``text``.

    Whoosh reuses one token object for the whole stream.
    """
    for term in terms:
        token.text = term.text
        token.boost = 1.0
        token.stopped = False
        if keeporiginal:
            token.original = text[term.start:term.end]
        if token.positions:
            token.pos = start_pos + term.pos
        if token.chars:
            token.startchar = start_char + term.start
            token.endchar = start_char + term.end
        yield token
