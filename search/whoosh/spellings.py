"""``search.other_spellings.Lexicon`` over the Whoosh index: words as written, per language.

Articles of one language writing a word are counted from the postings of
the word as written (``articles.text.chains.written``: folded, unstemmed,
in the text field of both languages) and the language column, so a lookup
costs what reading a rare term's postings costs.  Answers are kept per index version (``search.caches.SPELLINGS``).
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from articles.text import chains, tokenize

from .. import caches
from ..other_spellings import find
from .arrays import IndexArrays

FIELD = "text"


class _ScriptLexicon:
    def __init__(self, searcher):
        self.searcher, self.reader = searcher, searcher.reader()
        self.arrays = IndexArrays.of(searcher)

    def _code(self, language: str) -> int | None:
        codes, names = self.arrays.codes("language")
        return names.index(language) if language in names else None

    def articles_with(self, word: str, language: str) -> int:
        code, term = self._code(language), chains.written(word)
        if code is None or not self.reader.doc_frequency(FIELD, term):
            return 0
        ids = self.arrays.postings(FIELD, term).ids
        ids = ids[self.arrays.alive[ids]]
        return int(np.count_nonzero(self.arrays.codes("language")[0][ids] == code))

    def articles_in(self, language: str) -> int:
        code = self._code(language)
        if code is None:
            return 0
        return int(np.count_nonzero((self.arrays.codes("language")[0] == code) & self.arrays.alive))

    def written(self, word: str, language: str) -> str:
        query = wq.And([wq.Term(FIELD, chains.written(word)), wq.Term("language", language)])
        for hit in self.searcher.search(query, limit=1):
            for original in (hit.get("title", ""), hit.get("content", "")):
                for tok in tokenize(original):
                    if tok.text == word:
                        return original[tok.start:tok.end]
        return ""


def find_other_spellings(backend, searcher, text: str, skip: frozenset[str]) -> tuple:
    """``search.other_spellings.find`` on the index ``searcher`` reads, kept until the index changes."""
    key = (backend.index_version(searcher), text, skip)
    found = caches.SPELLINGS.get(key)
    if found is None:
        found = find(_ScriptLexicon(searcher), text, skip=skip)
        caches.SPELLINGS.put(key, found)
    return found
