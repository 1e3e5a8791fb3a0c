"""The name matcher on its own: spellings, clitics, drift, cues and title words."""

import pytest

from entities.matching import FUZZY_THRESHOLD, Alias, Gazetteer, find_candidates, similarity


@pytest.mark.parametrize("a, b", [("سالوری", "سالواری"), ("خوجالی", "خواجالی"), ("لاوروف", "لافروف"), ("دالمیرو", "دالمبرو")])
def test_transliteration_drift_is_above_the_threshold(a, b):
    assert similarity(a, b) >= FUZZY_THRESHOLD


@pytest.mark.parametrize("a, b", [("لاوروف", "لاریجانی"), ("پوتین", "پروتئین"), ("میرزویان", "میرزایی"), ("سالوری", "سالاری")])
def test_different_words_are_below_it(a, b):
    assert similarity(a, b) < FUZZY_THRESHOLD


def _gazetteer(*aliases):
    gazetteer = Gazetteer()
    for alias in aliases:
        gazetteer.add(alias)
    return gazetteer


def test_spellings_and_clitics_match_with_offsets_into_the_original():
    gazetteer = _gazetteer(Alias("lavrov", "سيرغي لافروف"), Alias("lavrov", "لافروف"), Alias("lavrov", "لاوروف"),
                           Alias("unga", "الدورة 78 للجمعية العامة"))
    text = "وقال سيرغى لافروف ثم ولافروف، و«لاوروفِ» في الدورة الـ78 للجمعية العامة"
    found = [(m.key, text[m.start:m.end]) for m in gazetteer.find(text)]
    assert found == [("lavrov", "سيرغى لافروف"), ("lavrov", "ولافروف"), ("lavrov", "لاوروفِ"), ("unga", "الدورة الـ78 للجمعية العامة")]


def test_fuzzy_matches_are_marked_and_can_be_switched_off():
    alias = Alias("salaverry", "دانیل انریکه سالوری")
    text = "با رئیس پارلمان پرو دانیل انریکه سالواری دیدار کرد"
    [mention] = _gazetteer(alias).find(text)
    assert not mention.exact and text[mention.start:mention.end] == "دانیل انریکه سالواری"
    strict = Gazetteer(threshold=1.0)
    strict.add(alias)
    assert strict.find(text) == []


def test_a_gazetteer_that_forgets_its_words_finds_the_same_names(monkeypatch):
    """Past WORD_CACHE remembered words a gazetteer forgets them all and works them out again
    as met: what it finds does not change, and it keeps no more than that many."""
    from entities import matching

    gazetteer = _gazetteer(Alias("lavrov", "سيرغي لافروف"), Alias("salaverry", "دانیل انریکه سالوری"))
    texts = ["وقال سيرغى لافروف ثم ولافروف إن المحادثات مثمرة", "با رئیس پارلمان پرو دانیل انریکه سالواری دیدار کرد"]
    expected = [gazetteer.find(text) for text in texts]
    assert all(expected)
    monkeypatch.setattr(matching, "WORD_CACHE", 3)
    forgetful = _gazetteer(Alias("lavrov", "سيرغي لافروف"), Alias("salaverry", "دانیل انریکه سالوری"))
    assert [forgetful.find(text) for text in texts * 2] == expected * 2
    assert len(forgetful._word) <= 3


def test_a_drifted_word_alone_is_not_a_match():
    # beside exactly spelled words it is ("دانیل انریکه سالواری"); alone it is too often another word
    assert _gazetteer(Alias("salaverry", "سالوری")).find("سالواری گفت") == []


def test_cues_must_be_near():
    gazetteer = _gazetteer(Alias("ceasefire-1994", "آتش بس", (("1994", "ماه مه"),), window=5))
    assert gazetteer.find("در ماه مه سال ۱۹۹۴ آتش بس برقرار شد")
    assert not gazetteer.find("آتش بس در منطقه قره باغ برقرار شد و گفت و گوها ادامه یافت تا سال ۱۹۹۴")


def test_stop_words_are_never_aliases():
    assert _gazetteer(Alias("ali", "على")).find("جلس على الكرسي") == []


@pytest.mark.parametrize("text, name", [
    ("وزیر امور خارجه ترکیه هاکان فیدان به تهران آمد", "هاکان فیدان"),
    ("التقى وزير الخارجية التركي هاكان فيدان نظيره", "هاكان فيدان"),
    ("ژوزپ بورل، سخنگوی اتحادیه گفت", None),
    ("ماریا زاخارووا سخنگوی وزارت امور خارجه روسیه گفت", "ماریا زاخارووا"),
    ("قال الرئيس إن", None),
])
def test_candidates_next_to_titles(text, name):
    names = [c.name for c in find_candidates(text)]
    assert names == ([name] if name else [])
