"""docs/opensearch-index.json: the cluster's analyzer, built from the engines' own components, doing the portal's analysis."""

import json
import re
import unicodedata
from pathlib import Path

import pytest

from articles.text import STOP_WORDS, analyze, fold

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "docs" / "opensearch-index.json"

# Built into both OpenSearch (2.x, docs.opensearch.org "Token filters",
# "Character filters", "Tokenizers") and Elasticsearch (7.x/8.x, the
# analysis-common module): no plugin (ICU, phonetic, kuromoji...) needed.
BUILTIN_TOKEN_FILTERS = {
    "apostrophe", "asciifolding", "cjk_bigram", "cjk_width", "classic", "common_grams", "decimal_digit",
    "delimited_payload", "dictionary_decompounder", "edge_ngram", "elision", "fingerprint", "flatten_graph",
    "hunspell", "hyphenation_decompounder", "keep_types", "keep", "keyword_marker", "keyword_repeat", "kstem",
    "length", "limit", "lowercase", "min_hash", "multiplexer", "ngram", "arabic_normalization",
    "german_normalization", "hindi_normalization", "indic_normalization", "sorani_normalization",
    "persian_normalization", "scandinavian_normalization", "scandinavian_folding", "serbian_normalization",
    "pattern_capture", "pattern_replace", "porter_stem", "predicate_token_filter", "remove_duplicates", "reverse",
    "shingle", "snowball", "stemmer", "stemmer_override", "stop", "synonym", "synonym_graph", "trim", "truncate",
    "unique", "uppercase", "word_delimiter", "word_delimiter_graph",
}
BUILTIN_CHAR_FILTERS = {"html_strip", "mapping", "pattern_replace"}
BUILTIN_TOKENIZERS = {
    "standard", "letter", "lowercase", "whitespace", "uax_url_email", "classic", "thai", "ngram", "edge_ngram",
    "keyword", "pattern", "simple_pattern", "simple_pattern_split", "char_group", "path_hierarchy",
}


@pytest.fixture(scope="module")
def definition():
    return json.loads(INDEX.read_text(encoding="utf-8"))


def test_the_index_definition_names_only_built_in_components(definition):
    analysis = definition["settings"]["analysis"]
    assert all(f["type"] in BUILTIN_CHAR_FILTERS for f in analysis["char_filter"].values())
    assert all(f["type"] in BUILTIN_TOKEN_FILTERS for f in analysis["filter"].values())
    for analyzer in analysis["analyzer"].values():
        assert analyzer["type"] == "custom" and analyzer["tokenizer"] in BUILTIN_TOKENIZERS
        assert all(name in analysis["char_filter"] or name in BUILTIN_CHAR_FILTERS
                   for name in analyzer.get("char_filter", []))
        assert all(name in analysis["filter"] or name in BUILTIN_TOKEN_FILTERS for name in analyzer["filter"])
    chain = analysis["analyzer"]["portal_text"]["filter"]
    assert {"arabic_normalization", "persian_normalization", "decimal_digit"} <= set(chain)
    for field in ("text", "title"):
        mapping = definition["mappings"]["properties"][field]
        assert mapping["analyzer"] == "portal_text" and mapping["fields"]["exact"]["analyzer"] == "portal_exact"


def test_scaling_doc_and_readme_point_to_the_definition():
    doc = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    assert "opensearch-index.json" in doc
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/scaling.md" in readme and "docs/opensearch-index.json" in readme


# --- the chain, played in Python --------------------------------------------------
# Java's regular expressions as Python's ``re`` reads them, and Lucene's
# Arabic and Persian normalizers as their sources describe them.

_LETTER = r"[^\W\d_]"
_MARK = "[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"
_ARABIC_NORMALIZATION = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",
                                       "\u0649": "\u064a", "\u0629": "\u0647", "\u0640": None,
                                       **{chr(c): None for c in range(0x064b, 0x0653)}})
_PERSIAN_NORMALIZATION = str.maketrans({"\u06cc": "\u064a", "\u06d2": "\u064a", "\u06a9": "\u0643",
                                        "\u06c0": "\u0647", "\u06c1": "\u0647", "\u0654": None})


def _python_pattern(java: str) -> str:
    either = f"(?:{_LETTER}|{_MARK})"
    return java.replace(r"[\p{L}\p{M}]", either).replace(r"\p{L}", _LETTER).replace(r"\p{M}", _MARK)


def _python_replacement(java: str) -> str:
    return re.sub(r"\$(\d)", r"\\g<\1>", java)


def _apply(component: dict, text: str) -> str:
    if component["type"] == "mapping":
        pairs = (line.split(" => ") for line in component["mappings"])
        return text.translate(str.maketrans(dict(pairs)))
    pattern = re.compile(_python_pattern(component["pattern"]))
    return pattern.sub(_python_replacement(component["replacement"]), text)


def _cluster_terms(definition, text: str) -> list[str]:
    analysis = definition["settings"]["analysis"]
    analyzer = analysis["analyzer"]["portal_text"]
    for name in analyzer["char_filter"]:
        text = _apply(analysis["char_filter"][name], text)
    terms = []
    for token in re.findall(r"\w+", text):  # the standard tokenizer, on the words used here
        for name in analyzer["filter"]:
            if name == "lowercase":
                token = token.lower()
            elif name == "decimal_digit":
                token = "".join(str(unicodedata.digit(c)) if unicodedata.digit(c, None) is not None else c
                                for c in token)
            elif name == "arabic_normalization":
                token = token.translate(_ARABIC_NORMALIZATION)
            elif name == "persian_normalization":
                token = token.translate(_PERSIAN_NORMALIZATION)
            elif analysis["filter"][name]["type"] == "stop":
                token = "" if token in analysis["filter"][name]["stopwords"] else token
            else:
                token = _apply(analysis["filter"][name], token)
            if not token:
                break
        if token:
            terms.append(token)
    return terms


def _portal_terms(text: str) -> list[str]:
    final = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643"})
    return [t.text.translate(final) for t in analyze(text) if not t.part]


@pytest.mark.parametrize("text", [
    "کتاب‌ها کتاب ها کتابها كتاب‌ها", "می‌شود می شود میشود مي شود", "بزرگترین شهرها و کشورهای همسایه",
    "ایرانیان در تهران و اصفهان", "میلیون‌ها دختر و دفتر", "برگزیدگان جشنواره", "روابط بین‌المللی ایران",
    "والرئيس بالعاصمة للتعاون الاقتصادي", "المحادثات مع أرمينيا", "مسائل و مسایل", "مُحَمَّد و پوتیـــن",
    "ايران مصطفى جامعة خانۀ أحمد إسلام آزادی ٱستقلال رحمٰن", "۱۴۰۰ و ٢٠٢٣ و 1400", "کردستان و آذربایجان",
    "نمایشگاه‌های کتاب", "خسارات و مطالعات", "المعلمون والمعلمين",
])
def test_the_cluster_analyzer_makes_the_portals_terms(definition, text):
    assert _cluster_terms(definition, text) == _portal_terms(text)


def test_the_stop_words_are_the_portals(definition):
    stop = definition["settings"]["analysis"]["filter"]["portal_stop"]["stopwords"]
    final = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643"})
    assert set(stop) == {fold(w).translate(final) for w in STOP_WORDS}
