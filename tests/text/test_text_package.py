"""articles.text as a package: pure Python, one set of letter rules, and its small helpers."""

import ast
from pathlib import Path

import pytest

from articles.text import fold_key, has_article, persian_letters, query_language, stem
from articles.text.morphology import _AR_PREFIXES, _AR_PROCLITICS, without_and

PACKAGE = Path(__file__).resolve().parents[2] / "articles" / "text"


def test_the_package_imports_nothing_of_django_or_the_project():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in {"django", "haystack", "articles", "search", "entities"}, (path.name, name)


def test_fold_key_drops_the_zwnj_fold_keeps():
    assert fold_key("اردي\u200cبهشت") == "اردیبهشت"
    assert fold_key("می\u200cشود") == fold_key("ميشود")


def test_persian_letters_writes_arabic_yeh_and_kaf_as_a_persian_keyboard_does():
    assert persian_letters("كتاب علي مصطفى") == "کتاب علی مصطفی"
    assert persian_letters("مُحَمَّد ة") == "مُحَمَّد ة"  # nothing else changes


@pytest.mark.parametrize(("query", "language"), [
    ("کتاب", "fa"),  # Persian kaf
    ("گیلان", "fa"),
    ("كتاب", "ar"),  # Arabic kaf
    ("جامعة", "ar"),  # teh marbuta
    ("علي", "ar"),
    ("من انزل القران", "ar"),  # letters both write, but the article
    ("متى ولد", "ar"),  # a function word only Arabic uses
    ("التعلیم الصحی فی", "ar"),  # Arabic typed on a Persian keyboard
    ("كتاب گیلان", "fa"),  # a Persian query typed with an Arabic kaf
    ("دوشنبة راهي فرانسه", "ar"),
    ("کجا متى", None),  # evidence on both sides: read as both
    ("OSCE", None),
    ("بم", None),
])
def test_query_language_from_letters_function_words_and_the_article(query, language):
    assert query_language(query) == language


def test_one_proclitic_table_gives_the_stemmer_its_article_prefixes():
    assert set(_AR_PREFIXES) == {"وال", "بال", "فال", "کال", "لل", "ال"}
    assert set(_AR_PREFIXES) < set(_AR_PROCLITICS)
    assert has_article("الرییس") and has_article("للجمعیه") and not has_article("لافروف")
    assert stem("والمسلمین") == "مسلم"


def test_a_word_without_the_and_it_begins_with_only_where_the_rest_is_a_word():
    assert without_and("ومصطفی") == "مصطفی"
    assert without_and("وقاص") == "قاص"  # the rest may be read so; whether it is a name is the caller's
    assert without_and("ولی") == ""  # two letters would be left
    assert without_and("مصطفی") == ""
