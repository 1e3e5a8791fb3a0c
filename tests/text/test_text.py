"""articles.text: folding, tokens with offsets, stemming and stop words."""

import re

import pytest

from articles.text import (
    STOP_WORDS,
    analyze,
    exact_pattern,
    exact_tokens,
    fold,
    stem,
    stem_variants,
    term_positions,
    tokenize,
    words,
)

# (one spelling, another spelling of the same word) for each folding rule
FOLDING = [
    ("ايران", "ایران"),  # Arabic yeh
    ("مصطفى", "مصطفی"),  # alef maksura
    ("كتاب", "کتاب"),  # Arabic kaf
    ("خانۀ", "خانه"),  # heh with yeh above
    ("جامعة", "جامعه"),  # teh marbuta
    ("أحمد", "احمد"),  # alef with hamza above
    ("إسلام", "اسلام"),  # alef with hamza below
    ("آزادی", "ازادی"),  # alef with madda
    ("ٱستقلال", "استقلال"),  # alef wasla
    ("مُحَمَّد", "محمد"),  # harakat
    ("رحمٰن", "رحمن"),  # superscript alef
    ("پوتیـــن", "پوتین"),  # tatweel
    ("مسائل", "مسایل"),  # yeh with hamza
    ("ﺍﻟﺴﻼﻡ", "السلام"),  # presentation forms and the lam-alef ligature
    ("۱۴۰۰", "1400"),  # Persian digits
    ("٢٠٢٣", "2023"),  # Arabic-Indic digits
]


@pytest.mark.parametrize(("written", "typed"), FOLDING)
def test_each_folding_rule_makes_both_spellings_one_word(written, typed):
    assert written != typed
    assert words(written) == words(typed)
    assert [t.text for t in analyze(written)] == [t.text for t in analyze(typed)]


def test_fold_keeps_the_zwnj_and_lowercases_latin():
    assert fold("می\u200cشود OSCE") == "می\u200cشود osce"


@pytest.mark.parametrize("spelling", ["می\u200cشود", "می شود", "میشود", "مي شود"])
def test_zwnj_joined_split_and_spaced_verbs_are_one_token(spelling):
    assert words(spelling) == ["میشود"]


@pytest.mark.parametrize("spelling", ["کتاب\u200cها", "کتاب ها", "کتابها", "كتاب‌ها"])
def test_plural_suffix_joins_its_word(spelling):
    assert [t.text for t in analyze(spelling) if not t.part] == ["کتاب"]


def test_joined_word_comes_with_its_parts_at_their_own_offsets():
    text = "نمایشگاه بین\u200cالمللی کتاب"
    tokens = tokenize(text, parts=True)
    parts = [(t.text, text[t.start:t.end]) for t in tokens if t.part]
    assert parts == [("بین", "بین"), ("المللی", "المللی")]
    joined = next(t for t in tokens if t.text == "بینالمللی")
    assert text[joined.start:joined.end] == "بین\u200cالمللی"


def test_offsets_point_into_the_original_text_whatever_was_folded():
    text = "«سلامٌ» علیكم، مُحَمَّد در ايران"
    for token in tokenize(text):
        assert fold(text[token.start:token.end]).replace("\u200c", "") == token.text


def test_punctuation_or_a_line_break_does_not_join_a_prefix():
    assert words("می.\nشود") == ["می", "شود"]


@pytest.mark.parametrize(("word", "expected"), [
    ("کتابها", "کتاب"),
    ("بزرگترین", "بزرگ"),
    ("دانشجویان", "دانشجو"),
    ("المسلمون", "مسلم"),
    ("والمسلمین", "مسلم"),
    ("بالمدرسه", "مدرسه"),
    ("برگزیدگان", "برگزیده"),  # a silent heh written گ before the plural
    ("نمایندگان", "نماینده"),
])
def test_light_stemming_strips_affixes(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize("name", ["ایران", "تهران", "آذربایجان", "اصفهان", "کردستان", "لبنان", "پوتین", "ایروان"])
def test_stemming_leaves_names_intact(name):
    assert stem(fold(name)) == fold(name)


def test_relational_yeh_meets_the_name():
    assert stem("ایرانی") == "ایران"


def test_stop_words_are_dropped_but_keep_their_positions():
    tokens = list(analyze("مرگ و میر در ایران"))
    assert [(t.text, t.pos) for t in tokens] == [("مرگ", 0), ("میر", 2), ("ایران", 4)]
    assert {fold(w) for w in ("و", "در", "من", "في")} <= STOP_WORDS


def test_exact_tokens_keep_the_spelling():
    assert [t.text for t in exact_tokens("كتاب کتاب مُحَمَّد")] == ["كتاب", "کتاب", "مُحَمَّد"]


def test_stem_variants_offer_the_singulars_of_an_at_plural():
    assert stem_variants("خسارات") == ["خسارت", "خساره"]
    assert stem_variants("خسارت") == []


@pytest.mark.parametrize("text", ["\u200c", "\u200c سلام", "ـــ\u200c", "سلام \u200c\u200c"])
def test_stray_joiners_are_no_words(text):
    assert [t.text for t in tokenize(text)] == [w for w in ("سلام",) if w in text]


TRICKY = [
    "نمایشگاه بین\u200cالمللی کتاب‌ها و کتاب ها در «تهران»، می شود.",
    "مُحَمَّد در ايران ۱۲٫۵ درصد؛ COVID-19 (کرونا)\nمی\nشود",
    "والمسلمين في المدينة المنوّرة، 23-9-2023 | 15:05",
    "کتاب\u00a0ها  ،  ﺍﻟﺴﻼﻡ  بزرگ تر و بزرگترین",
]


@pytest.mark.parametrize("text", TRICKY)
def test_term_positions_are_what_analyze_finds(text):
    expected = {}
    for tok in analyze(text):
        expected.setdefault(tok.text, []).append(tok.pos)
    assert term_positions(text) == expected


@pytest.mark.parametrize(("words", "found"), [
    (["كتابخانه"], True),  # as written
    (["کتابخانه"], False),  # Persian kaf is another spelling
    (["12"], False),  # not inside 12.5
    (["12.5"], True),
    (["covid"], True),  # Latin in either case
    (["می\u200cشود"], True),
    (["ملی", "در"], True),  # a phrase: one word after the other
    (["كتابخانه", "در"], False),
])
def test_exact_pattern_finds_whole_words_as_written(words, found):
    text = "كتابخانه ملی در 12.5 درصد و COVID-19 می\u200cشود"
    assert bool(re.search(exact_pattern(words), text, re.IGNORECASE)) is found


# Spellings that meet every way _scan reads a piece: plain words, punctuated
# ones, detached prefixes and suffixes (also before punctuation, after a
# double space or a no-break space), ZWNJ words, numbers, stop words.
SCAN_CASES = [
    "به نظر مي رسد كه آن ها را نمی شود، و می‌شود.",
    "کتاب  ها و کتاب\u00a0ها و کتاب ها. ها می",
    "«می» شود (کتاب) ها - می - شود ۱۲ ها ۱۲٫۵ درصد",
    "بزرگ تر، بزرگ‌ترین؛ همی گفت: نمی\u200cدانم\u200c ",
    "  سلام\n\nمي\nشود\tکتاب ها  ",
    "وزیر امور خارجه آذربایجان، الرئيس والمسلمين في باكو",
]


@pytest.mark.parametrize("text", SCAN_CASES)
@pytest.mark.parametrize("parts", [False, True])
def test_remembered_pieces_read_as_the_whole_text_would(text, parts):
    from articles.text import _grouped, _spans

    expected = []
    _grouped(text, _spans(text), parts, 0, 0, expected)
    assert [tuple(t) for t in tokenize(text, parts=parts)] == expected
    assert [tuple(t) for t in tokenize(text, parts=parts)] == expected  # and again, from the memo
