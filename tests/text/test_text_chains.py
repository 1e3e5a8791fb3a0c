"""articles.text.chains: Persian, Arabic and both-language analysis, with issue 13's defects."""

import pytest

from articles.text import chains, fold_key, lexicon, typing_edits
from articles.text.chains import analyze, terms


def main_terms(text, language):
    return [t.text for t in analyze(text, language) if not t.part]


def same(a, b, language):
    return main_terms(a, language) == main_terms(b, language)


@pytest.mark.parametrize(("written", "base"), [
    ("هدفشان", "هدف"),  # possessive ending
    ("سالی", "سال"),  # indefinite yeh
    ("دوستان", "دوست"),  # plural ان, though دوستان ends like کردستان
    ("کتابها", "کتاب"),
    ("کتاب‌هایشان", "کتاب"),
    ("کشورش", "کشور"),
    ("بزرگترین", "بزرگ"),
    ("نمایندگان", "نماینده"),  # a silent heh written گ before ان
    ("ایرانی", "ایران"),
])
def test_persian_endings_meet_the_word(written, base):
    assert same(written, base, "fa")


@pytest.mark.parametrize("word", ["دولت", "مردم", "سازمان", "کردستان", "آذربایجان", "تهران", "ارتش"])
def test_persian_words_that_only_look_inflected_stay_whole(word):
    assert main_terms(word, "fa") == [fold_key(word)]


@pytest.mark.parametrize("word", ["کالیفرنیا", "کالا", "بالا", "والدین", "فلسفه", "لبنان"])
def test_a_persian_word_never_loses_an_arabic_proclitic(word):
    assert main_terms(word, "fa")[0].startswith(fold_key(word[:2]))


def test_valedeyn_and_din_are_different_words_in_persian():
    assert main_terms("والدین", "fa") != main_terms("دین", "fa")


@pytest.mark.parametrize(("word", "language"), [
    ("سليمان", "ar"), ("سلیمان", "fa"), ("انزلی", "fa"), ("کالیفرنیا", "ar"), ("کالیفرنیا", None),
])
def test_names_are_never_stemmed(word, language):
    assert set(main_terms(word, language)) == {fold_key(word)}


def test_anzali_does_not_meet_the_arabic_verb():
    assert main_terms("انزلی", "fa") != main_terms("أنزل", "ar")


@pytest.mark.parametrize(("written", "base"), [
    ("كبيرة", "كبير"),  # feminine
    ("وحسن", "حسن"),  # conjunction before a name
    ("والمسلمين", "المسلمون"),  # conjunction + article, plural ين / ون
    ("بالمدرسة", "مدرسة"),
    ("فالكتاب", "كتاب"),
    ("للجمعية", "الجمعية"),  # ل + ال
    ("كتابها", "كتاب"), ("كتابهم", "كتاب"), ("كتابهما", "كتاب"), ("كتابنا", "كتاب"),  # attached pronouns
    ("مدرستنا", "مدرسة"),  # teh marbuta written ت before a pronoun
    ("معلمات", "معلمة"),  # feminine plural
    ("عاصمته", "عاصمة"),  # teh marbuta written ت before the pronoun ه
    ("الحربان", "الحرب"),  # the dual
    ("العالميتين", "العالمية"),  # teh marbuta written ت before the dual
])
def test_arabic_proclitics_and_suffixes_meet_the_word(written, base):
    assert same(written, base, "ar")


@pytest.mark.parametrize(("written", "base"), [
    ("يحده", "تحد"), ("يحدها", "تحد"),  # a present's prefix over a pronoun: the verb حدّ
    ("يعمل", "تعمل"), ("ويعمل", "عمل"),  # he / she works, and the past
    ("يعتبر", "اعتبر"), ("تستخدم", "استخدم"),  # forms VIII and X: the past writes an alef
    ("يقع", "تقع"), ("تقع", "وقع"),  # the present drops a first و
    ("يتكون", "تتكون"),  # not يتك + ون
    ("يدينون", "تدين"),
])
def test_an_arabic_present_meets_its_other_persons_and_its_past(written, base):
    assert same(written, base, "ar")


@pytest.mark.parametrize("word", ["تجربة", "يوما", "تقريبا", "تحركات", "تونس", "يوم", "تحت"])
def test_arabic_words_that_only_begin_like_a_present_keep_their_letter(word):
    # a word ending in ا, ة or ات, a name, a word too short or whose rest is no word
    assert main_terms(word, "ar")[0][0] == fold_key(word)[0]


@pytest.mark.parametrize(("noun", "verb"), [("تشخيص", "يشخص"), ("تأسيس", "أسس"), ("التصريح", "صرح")])
def test_an_arabic_taf_il_noun_meets_its_verb(noun, verb):
    assert same(noun, verb, "ar")
    assert chains.present_term(fold_key("تشخيص")) == "~تشخیص"  # the noun as written, beside the verb's stem


def test_an_arabic_present_keeps_its_person_as_an_extra_term():
    # يحدها and تحد share حد, and each keeps its own present beside it: the query's form ranks first
    assert [t.text for t in analyze("يحدها", "ar")] == ["حد", "~یحد"]
    assert [t.text for t in analyze("تحد", "ar")] == ["حد", "~تحد"]
    assert chains.present_term(fold_key("يحدها")) == "~یحد"
    assert not chains.present_term(fold_key("حدود"))  # no present
    (extra,) = [t for t in analyze("يحدها", "ar") if t.part]
    assert not extra.stop


def test_a_name_after_a_proclitic_letter_is_found_only_where_the_whole_word_is_not_far_commoner():
    assert main_terms("ولافروف", "ar") == main_terms("لافروف", "ar")  # و + a name
    # كندا is Canada, not ك + the name ندا; فرقة is a team, not ف + the city الرقة
    assert main_terms("كندا", "ar") == ["کندا"]
    assert not main_terms("فرقة", "ar")[0].startswith("رق")


def test_a_persian_word_whose_stem_is_a_stop_word_is_no_stop_word():
    (whole,) = [t for t in analyze("هسته‌ای", "fa") if not t.part]  # nuclear, not هست (is)
    assert not whole.stop


@pytest.mark.parametrize("word", ["بماذا", "لمن", "فيها", "منه", "وهو"])
def test_a_stop_word_under_a_proclitic_or_a_pronoun_only_ranks(word):
    (term,) = analyze(word, "ar")
    assert term.stop
    assert chains.read_word(fold_key(word), "ar") == (term.text, True)  # what the index holds at its place


def test_arabic_keeps_a_waw_that_belongs_to_the_word():
    assert main_terms("وزير", "ar") == ["وزیر"]


def test_stop_words_are_kept_and_flagged():
    (ali,) = analyze("علي", "ar")
    assert ali.stop and ali.text  # علي folds to the stop word على: kept, to rank only
    tokens = analyze("مرگ و میر در ایران", "fa")
    assert [(t.text, t.pos, t.stop) for t in tokens if not t.part] == [
        ("مرگ", 0, False), ("و", 1, True), ("میر", 2, False), ("در", 3, True), ("ایران", 4, False)]


@pytest.mark.parametrize("spellings", [
    ("بین\u200cالمللی", "بین المللی", "بینالمللی"),
    ("میانجی\u200cگری", "میانجی گری", "میانجیگری"),
    ("گفتگو", "گفت و گو", "گفت\u200cوگو"),
])
def test_the_spellings_of_a_compound_share_a_term_both_ways(spellings):
    sets = [set(terms(s, "fa")) - {"و"} for s in spellings]
    joined = set.intersection(*sets)
    assert joined, sets
    for s in sets:
        assert joined <= s


def test_both_languages_give_each_word_its_persian_and_arabic_term_at_one_position():
    tokens = analyze("والمسلمين", None)
    assert {t.pos for t in tokens} == {0}
    assert {t.text for t in tokens} == {main_terms("والمسلمين", "fa")[0], main_terms("والمسلمين", "ar")[0]}


def test_offsets_point_into_the_original_text():
    text = "نمایندگانِ «کالیفرنیا» والمسلمين"
    for t in analyze(text, None):
        assert text[t.start:t.end].strip()


def test_names_added_by_a_higher_layer_are_kept_whole():
    lexicon.add_names(["خوجالیان"])
    assert main_terms("خوجالیان", "fa") == ["خوجالیان"]


@pytest.mark.parametrize("language", ["fa", "ar", None])
@pytest.mark.parametrize("text", [
    "بین المللی و بین‌المللی و بینالمللی؛ گفت و گو، گفتگو و گفت‌وگو",
    "کتاب ها را می خواندند و دانشجویان آمدند. نمایندگان مجلس",
    "والدين الطلاب في المدرسة ومدرستنا، لافروف قال إن الرئيس",
    "گفت و  گو\nگفت و گو",
    "تحد العراق تركيا من الشمال ويحدها الخليج، وتقع بغداد على دجلة",
])
def test_term_positions_are_analyze_s_terms(text, language):
    # the index reads term_positions; the query and highlighting read analyze: the same terms
    expected: dict[str, set[int]] = {}
    for term in chains.analyze(text, language):
        expected.setdefault(term.text, set()).add(term.pos)
    assert chains.term_positions(text, language) == {t: sorted(p) for t, p in expected.items()}


@pytest.mark.parametrize(("typed", "meant"), [
    ("بلجیکیا", "بلجیکا"),  # a letter typed too many
    ("اظطراب", "اضطراب"),  # a letter taken for one that sounds alike
    ("ثامر", "تامر"),  # even the first
    ("لیفیربول", "لیفربول"),
    ("مسیجیه", "مسیحیه"),  # ج for ح
    ("طبق", "طبیق"),  # a long vowel left out
    ("قاءد", fold_key("قائد")),  # a hamza written on the line for one on its seat (folded ی)
])
def test_typing_edits_reach_the_word_meant(typed, meant):
    assert meant in typing_edits(typed)


def test_typing_edits_never_drop_the_first_letter():
    assert "باکو" not in typing_edits("وباکو")  # a Persian word never loses an Arabic proclitic
    assert len(typing_edits("وزارت")) < 80  # a few dozen index look-ups, not every edit's hundreds


def test_an_arabic_word_reaches_the_stems_of_its_root_among_the_index_terms():
    index = {"طفل", "کتب", "مدارس", "تدریس"}.__contains__
    assert chains.root_stems(fold_key("الأطفال"), index) == ("طفل",)  # a broken plural: its singular
    assert set(chains.root_stems(fold_key("المدرسة"), index)) == {"مدارس", "تدریس"}  # and its plural, a masdar
    assert chains.root_stems(fold_key("حرب"), lambda term: True) == ()  # its own root: the stem says it
    assert chains.root_stems(fold_key("سليمان"), lambda term: True) == ()  # a name
