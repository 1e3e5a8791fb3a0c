"""docs/opensearch-index.json: the cluster's analyzers, built from the engines' own components,
doing the portal's analysis in each language (``articles.text.chains``)."""

import json
import re
import unicodedata
from pathlib import Path

import pytest

from articles.text import chains, fold, lexicon, tokenize
from articles.text.stopwords import STOP_AR, STOP_FA

ROOT = Path(__file__).resolve().parents[2]
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
    "pattern_capture", "pattern_replace", "porter_stem", "condition", "predicate_token_filter", "remove_duplicates", "reverse",
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
    for condition in (f for f in analysis["filter"].values() if f["type"] == "condition"):
        assert all(name in analysis["filter"] for name in condition["filter"])


def test_each_language_has_its_fields_and_both_share_a_folded_one(definition):
    fields = definition["mappings"]["properties"]
    for field in ("text", "title"):
        assert fields[field]["index"] is False and fields[field]["fields"]["exact"]["analyzer"] == "portal_exact"
        for language in chains.LANGUAGES:
            assert fields[f"{field}_{language}"]["analyzer"] == f"portal_{language}"
    assert fields["folded"]["analyzer"] == "portal_folded"
    analysis = definition["settings"]["analysis"]
    used = {name for analyzer in analysis["analyzer"].values() for name in analyzer["filter"]}
    used |= {name for f in analysis["filter"].values() if f["type"] == "condition" for name in f["filter"]}
    # stop words stay in the index (they only rank): nothing drops them
    assert not any(analysis["filter"].get(name, {}).get("type") == "stop" for name in used)
    # a Persian word never loses an Arabic proclitic
    assert "portal_ar_article" not in analysis["filter"]["portal_fa_stem"]["filter"]


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


_FINAL = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643"})  # the portal's letters -> the cluster's
_PORTAL = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9"})


def _marked(component: dict, token: str) -> bool:
    """Whether a keyword_marker marks ``token``: its inline words, or the names file docs/scaling.md says how to make."""
    if "keywords" in component:
        return token in component["keywords"]
    assert component["keywords_path"] == "analysis/portal-names.txt"
    return lexicon.is_name(token.translate(_PORTAL))


def _override(component: dict, token: str) -> str | None:
    """A stemmer_override's rule for ``token``: every word of a language's word list -> its chain stem."""
    language = re.fullmatch(r"analysis/portal-stems-(fa|ar)\.txt", component["rules_path"]).group(1)
    word = token.translate(_PORTAL)
    return chains.stem(word, language).translate(_FINAL) if lexicon.count(language, word) else None


def _filter(analysis: dict, name: str, token: str, keyword: bool) -> tuple[str, bool]:
    component = analysis["filter"].get(name, {"type": name})
    kind = component["type"]
    if kind == "lowercase":
        return token.lower(), keyword
    if kind == "decimal_digit":
        return "".join(str(unicodedata.digit(c)) if unicodedata.digit(c, None) is not None else c for c in token), keyword
    if kind == "arabic_normalization":
        return token.translate(_ARABIC_NORMALIZATION), keyword
    if kind == "persian_normalization":
        return token.translate(_PERSIAN_NORMALIZATION), keyword
    if kind == "keyword_marker":
        return token, keyword or _marked(component, token)
    if kind == "stemmer_override":
        stem = None if keyword else _override(component, token)
        return (token, keyword) if stem is None else (stem, True)
    if kind == "condition":  # the sub-filters only on tokens no keyword_marker or override has settled
        assert component["script"]["source"] == "token.isKeyword() == false"
        for sub in () if keyword else component["filter"]:
            token, keyword = _filter(analysis, sub, token, keyword)
        return token, keyword
    return _apply(component, token), keyword


def _cluster_terms(definition, text: str, analyzer_name: str) -> list[str]:
    analysis = definition["settings"]["analysis"]
    analyzer = analysis["analyzer"][analyzer_name]
    for name in analyzer["char_filter"]:
        text = _apply(analysis["char_filter"][name], text)
    terms = []
    for token in re.findall(r"\w+", text):  # the standard tokenizer, on the words used here
        keyword = False
        for name in analyzer["filter"]:
            token, keyword = _filter(analysis, name, token, keyword)
        terms.append(token)
    return terms


def _portal_terms(text: str, language: str | None) -> list[str]:
    if language is None:  # the folded field (the pieces of a word joined by a ZWNJ are the cluster's known difference)
        return [t.text.translate(_FINAL) for t in tokenize(text)]
    return [t.text.translate(_FINAL) for t in chains.analyze(text, language) if not t.part]


@pytest.mark.parametrize("text", [
    "کتاب‌ها کتاب ها کتابها کتابهایشان", "بزرگترین شهرها و کشورهای همسایه", "کالیفرنیا والدین دین",
    "سلیمان انزلی", "دانشجویان آقایان", "ایرانیان در تهران و اصفهان", "میلیون‌ها دختر و دفتر",
    "برگزیدگان جشنواره", "نمایشگاه‌های کتاب", "کردستان و آذربایجان", "۱۴۰۰ و ٢٠٢٣ و 1400",
    "دوستان سالی", "خسارات و مطالعات", "از این که برای", "مُحَمَّد و پوتیـــن",
])
def test_the_persian_analyzer_makes_the_persian_chains_terms(definition, text):
    assert _cluster_terms(definition, text, "portal_fa") == _portal_terms(text, "fa")


@pytest.mark.parametrize("text", [
    "والرئيس بالعاصمة الاقتصادي", "كبيرة كبير الكبيرة", "المعلمون والمعلمين", "سليمان أنزل",
    "المحادثات مع أرمينيا", "وحسن كتابه", "علي من هو", "كتابهم كتابها", "ايران مصطفى جامعة أحمد إسلام",
])
def test_the_arabic_analyzer_makes_the_arabic_chains_terms(definition, text):
    assert _cluster_terms(definition, text, "portal_ar") == _portal_terms(text, "ar")


@pytest.mark.parametrize("text", ["کتاب‌ها و الكتب", "علي من هو", "ايران مصطفى جامعة خانۀ أحمد إسلام آزادی ٱستقلال رحمٰن"])
def test_the_folded_field_keeps_every_word_as_written(definition, text):
    assert _cluster_terms(definition, text, "portal_folded") == _portal_terms(text, None)


def test_the_stop_words_are_the_portals_and_never_stemmed(definition):
    keep = definition["settings"]["analysis"]["filter"]
    assert {fold(w).translate(_FINAL) for w in STOP_FA} <= set(keep["portal_keep_fa"]["keywords"])
    assert {fold(w).translate(_FINAL) for w in STOP_AR} == set(keep["portal_keep_ar"]["keywords"])
