"""Whoosh analyzers built on the portal's text module.

Whoosh pickles the schema with the index, so these classes live at module
level and hold only plain flags.  Index and query text go through the same
analyzer, so a word typed with Arabic ي/ك, with diacritics, a ZWNJ or a
space finds the word however the article wrote it.
"""

from whoosh.analysis import Composable
from whoosh.analysis import Token as WhooshToken

from articles.text import analyze, exact_tokens


class _TextModuleAnalyzer(Composable):
    """Turns the text module's tokens (text, offsets, position) into Whoosh tokens."""

    def __eq__(self, other):
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def tokens(self, value, removestops):
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        # Whoosh reuses one token object for the whole stream.
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for tok in self.tokens(value, removestops):
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


class PortalAnalyzer(_TextModuleAnalyzer):
    """Folded, light-stemmed tokens without stop words (see ``articles.text.analyze``)."""

    def __init__(self, stemming=True):
        self.stemming = stemming

    def tokens(self, value, removestops):
        return analyze(value, stemming=self.stemming, stop_words=removestops)


class ExactAnalyzer(_TextModuleAnalyzer):
    """Words exactly as written (only Latin case is ignored), for "exact spelling"."""

    def tokens(self, value, removestops):
        return exact_tokens(value)
