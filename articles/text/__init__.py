"""Persian and Arabic text processing for the whole portal.

This is the one place where the portal decides how Persian and Arabic are
written: the importer, the search analyzer, the query parser, the highlighter
and entity linking all call it, so a reader, an editor and the index agree on
what counts as "the same word".  It is pure Python with no Django imports so
benchmarks and tools can use it on its own.

Three levels of sameness:

* ``fold(text)`` maps spelling variants of one letter to one form: Arabic and
  Persian yeh and kaf, hamza carriers, teh marbuta, heh variants, diacritics,
  tatweel, presentation forms and lam-alef ligatures (NFKC), and Persian,
  Arabic-Indic and Latin digits.  At least what Lucene's ArabicNormalizer,
  PersianNormalizer, PersianCharFilter and DecimalDigitFilter do.
* ``tokenize(text)`` finds words with their character offsets into the
  *original* text.  A zero-width non-joiner joins; the detached spellings
  writers use in place of ZWNJ ("می شود", "کتاب ها") are joined too, so
  "می‌شود", "می شود" and "میشود" give the same token.
* ``stem(token)`` is a light, conservative stemmer for both languages that
  leaves names such as ایران, تهران or آذربایجان intact.

One module per job:

==================  ==========================================================
``fold``            letter folding, ``fold_key``, the letter maps
``digits``          Persian, Arabic-Indic and ASCII digits
``tokens``          the tokenizer (offsets into the original text) and its memos
``morphology``      the Arabic proclitics and article, light stemming, clitics
``stopwords``       Persian and Arabic stop words
``index``           today's language-blind analysis for the search index
``chains``          per-language analysis: ``chains.analyze(text, "fa"|"ar"|None)``
``lexicon``         the word lists the chains consult (names, compounds, counts)
``roots``           Arabic roots (NLTK's ISRI) and the stems a root's patterns make
``language``        language detection of texts and of queries
``patterns``        exact-spelling patterns, the SQL/regex folding pattern
``orthography``     the editors' orthography check
``drift``           transliteration drift between spellings of one name
``calendar``        month names in every spelling, the time written after a date
``agencies``        agency files: outlet names, header and credit lines, boilerplate
``titles``          titles a name follows or precedes, words never such a name
==================  ==========================================================
"""

from . import chains, lexicon
from .digits import localize_digits, to_arabic_digits, to_ascii_digits, to_persian_digits
from .drift import similarity, typing_edits
from .fold import (
    ARABIC_ONLY_LETTERS,
    PERSIAN_ONLY_LETTERS,
    ZWJ,
    ZWNJ,
    WordMemo,
    arabic_letters,
    fold,
    fold_key,
    persian_letters,
)
from .index import analyze, analyze_spans, term_positions
from .language import detect_language, has_arabic_script, query_language
from .morphology import ARTICLE, CONJUNCTIONS, PREPOSITIONS, clitic_forms, has_article, stem, stem_variants
from .orthography import (
    DIGIT,
    LETTER,
    SPACE,
    ZWNJ_ISSUE,
    OrthographyIssue,
    fix_orthography,
    orthography_issues,
)
from .patterns import exact_pattern, exact_tokens, fold_pattern
from .stopwords import STOP_WORDS
from .tokens import Token, _grouped, _spans, normalize_key, tokenize, words

__all__ = [
    "chains", "lexicon", "ARABIC_ONLY_LETTERS", "ARTICLE", "CONJUNCTIONS", "DIGIT", "LETTER", "PERSIAN_ONLY_LETTERS", "PREPOSITIONS",
    "SPACE", "STOP_WORDS", "ZWJ", "ZWNJ", "ZWNJ_ISSUE", "OrthographyIssue", "Token", "WordMemo", "_grouped", "_spans",
    "analyze", "analyze_spans", "arabic_letters", "clitic_forms", "detect_language", "exact_pattern", "exact_tokens", "fix_orthography",
    "fold", "fold_key", "fold_pattern", "has_arabic_script", "has_article", "localize_digits", "normalize_key",
    "orthography_issues", "persian_letters", "query_language", "similarity", "stem", "stem_variants",
    "term_positions", "to_arabic_digits", "to_ascii_digits", "to_persian_digits", "tokenize", "typing_edits", "words",
]
