"""Whoosh analyzers built on the portal's text module.

Whoosh pickles the schema with the index, so these classes live at module
level and hold only plain flags.  Index and query text go through the same
analyzer, so a word typed with Arabic ي/ك, with diacritics, a ZWNJ or a
space finds the word however the article wrote it.
"""

from whoosh.analysis import Composable
from whoosh.analysis import Token as WhooshToken

from articles.text import analyze, exact_tokens


class PortalAnalyzer(Composable):
    """Folded, light-stemmed tokens without stop words (see ``articles.text.analyze``)."""

    def __init__(self, stemming=True):
        self.stemming = stemming

    def __eq__(self, other):
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
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


class ExactAnalyzer(Composable):
    """Words exactly as written (only Latin case is ignored), for "exact spelling"."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for tok in exact_tokens(value):
            token.text = tok.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = tok.text
            if positions:
                token.pos = start_pos + tok.pos
            if chars:
                token.startchar = start_char + tok.start
                token.endchar = start_char + tok.end
            yield token
