"""The Whoosh analyzer built on the portal's text module.

Whoosh pickles the schema with the index, so this class lives at module
level and holds only plain flags.  Index and query text go through the same
analysis, so a word typed with Arabic ي/ك, with diacritics, a ZWNJ or a
space finds the word however the article wrote it.
"""

from whoosh.analysis import Composable
from whoosh.analysis import Token as WhooshToken

from articles.text import analyze, term_positions


class PortalAnalyzer(Composable):
    """Folded, light-stemmed tokens without stop words (see ``articles.text.analyze``).

    Indexing asks ``term_positions`` (every term's positions at once, see
    ``search.whoosh.codec.CompactPositions``); Whoosh's own query and highlighting
    machinery calls the analyzer for a token stream.
    """

    def __init__(self, stemming=True):
        self.stemming = stemming

    def __eq__(self, other):
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def term_positions(self, value):
        """Each indexed term of ``value`` with its positions."""
        return term_positions(value, stemming=self.stemming)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        # Whoosh reuses one token object for the whole stream.
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for tok in analyze(value, stemming=self.stemming, stop_words=removestops):
            token.text = tok.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[tok.start:tok.end]
            if positions:
                token.pos = start_pos + tok.pos
            if chars:
                token.startchar = start_char + tok.start
                token.endchar = start_char + tok.end
            yield token
