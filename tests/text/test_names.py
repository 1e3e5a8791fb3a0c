"""The person-name recogniser (entities.names) on sentences written for these tests."""

import json
import logging
from collections import Counter
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from articles.text import tokenize, words
from articles.text.names import name_key, split_names, translit_key
from entities import name_features, names
from entities.names import Span, find_names


def _found(text, language):
    return [s.text for s in find_names(text, language)]


def test_the_models_are_committed():
    for language in names.LANGUAGES:
        assert names.model_path(language).is_file()
        assert name_features.clusters_path(language).is_file()
        assert name_features.lexicon_path(language).is_file()
        assert name_features.name_words_path(language).is_file()


def test_arabic_words_carry_what_the_training_text_said_of_them():
    """The names lexicon of the Arabic training text: a common first name is mostly in
    names, "الرئيس" never; a form the text never had falls back to the word without its
    clitic ("بمحمد" as "محمد"); an unseen word has nothing."""
    def known(word, offset=0, language="ar"):
        return {f for f in name_features.word_features(words(word)[0], offset, language) if "lex" in f}

    assert known("محمد") & {"lex=all", "lex=most"}
    assert known("الرئيس") == {"lex=none"}
    assert known("بمحمد") & {"lexc=all", "lexc=most"}
    assert known("زقزقزقة") == set()
    assert known("الرئيس", -1) == {"-1:lex=none"}


def test_persian_words_carry_what_the_training_text_and_untagged_news_said_of_them():
    """Persian has its own names lexicon (PEYMA) and its own list of where untagged news
    (Hamshahri, Fars) put a word: after an honorific ("آیت الله خامنه ای", "آقای حسن ...")."""
    def feats(word, prefix, offset=0):
        return {f for f in name_features.word_features(words(word)[0], offset, "fa") if f.split(":")[-1].startswith(prefix)}

    assert feats("لاریجانی", "lex") == {"lex=all"}
    assert feats("تهران", "lex") == {"lex=few"}
    assert feats("لاریجانی", "lex", 1) == {"1:lex=all"}
    assert feats("خامنه", "nw") == {"nw=often"}
    assert feats("حسن", "nw") == {"nw=sometimes"}
    assert feats("تهران", "nw") == set()


def test_arabic_clusters_reach_the_names_of_all_the_news():
    """Arabic's word clusters are read from all its untagged news, at three levels: a
    footballer named in its later part ("دروغبا") has clusters, as has the word with a
    clitic ("ودروغبا"); Persian keeps its two levels."""
    def clusters(word, language="ar"):
        return [f for f in name_features.word_features(words(word)[0], 0, language) if f[:1] == "c" and f[2:3] == "="]

    assert [f[:3] for f in clusters("دروغبا")] == ["c0=", "c1=", "c2="]
    assert clusters("ودروغبا") == clusters("دروغبا")
    assert [f[:3] for f in clusters("تهران", "fa")] == ["c0=", "c1="]


def test_an_arabic_word_after_and_carries_what_is_known_of_the_name_after_it():
    """"ومصطفى" is "and" and the name "مصطفى": the word, and the word before it, carry what
    the lexicon and untagged news say of "مصطفى" ("wa+"), as a name in a list ends before
    it; a word without a leading conjunction has none, nor Persian."""
    def after_and(word, offset=0, language="ar"):
        return {f for f in name_features.word_features(words(word)[0], offset, language) if "wa+" in f}

    assert after_and("ومصطفى") >= {"wa+lex=all", "wa+nw=often"}
    assert after_and("ومصطفى", -1) >= {"-1:wa+lex=all", "-1:wa+nw=often"}
    assert after_and("مصطفى") == set()
    assert after_and("وزير") == set()
    assert after_and("ومصطفى", 0, "fa") == set()


def test_a_rare_foreign_name_in_an_arabic_list_is_found_on_its_own():
    """Two footballers joined by "و", the second seen some dozens of times in all the
    untagged news (clusters v2): two names, the conjunction inside the second as ANERcorp tags it."""
    assert _found("ولم يشارك فابريغاس ودروغبا في المباراة بسبب الإصابة.", "ar") == ["فابريغاس", "ودروغبا"]


def test_arabic_words_carry_where_untagged_news_put_them():
    """Untagged Arabic news puts "محمد" after titles and beside "بن" most of its times,
    "لافروف" some ("وزير الخارجية الروسي سيرغي لافروف"), "الرئيس" never (nothing); a form
    never listed falls back to the word without its clitic."""
    def placed(word, offset=0, language="ar"):
        return {f for f in name_features.word_features(words(word)[0], offset, language) if f.split(":")[-1].startswith("nw")}

    assert placed("محمد") == {"nw=often"}
    assert placed("لافروف") == {"nw=sometimes"}
    assert placed("ولافروف") == {"nwc=sometimes"}
    assert placed("الرئيس") == set()
    assert placed("لافروف", 1) == {"1:nw=sometimes"}
    assert placed("محمد", 2) == set()


@pytest.mark.parametrize("text, language, expected", [
    # known people (in the knowledge base), after a title
    ("رئیس‌جمهور روسیه ولادیمیر پوتین روز دوشنبه در مسکو گفت که مذاکرات ادامه دارد.", "fa", ["ولادیمیر پوتین"]),
    ("وقال وزير الخارجية الروسي سيرغي لافروف في مؤتمر صحفي إن المحادثات كانت مثمرة.", "ar", ["سيرغي لافروف"]),
    # names nobody wrote into the knowledge base
    ("به گزارش خبرنگار ما، علیرضا محمدی مدیرعامل این شرکت روز گذشته از کارخانه بازدید کرد.", "fa", ["علیرضا محمدی"]),
    ("وأكد الدكتور خالد بن سعيد العتيبي أن المشروع سيكتمل العام المقبل.", "ar", ["خالد بن سعيد العتيبي"]),
])
def test_known_and_unseen_names(text, language, expected):
    assert _found(text, language) == expected


def test_offsets_and_scores():
    text = "وزير الخارجية سيرغي لافروف التقى نظيره التركي هاكان فيدان في أنقرة."
    spans = find_names(text, "ar")
    assert [s.text for s in spans] == ["سيرغي لافروف", "هاكان فيدان"]
    for span in spans:
        assert isinstance(span, Span)
        assert text[span.start:span.end] == span.text
        assert 0.5 < span.score <= 1.0


def test_names_after_titles():
    fa = "در این نشست رئیس‌جمهور مسعود پزشکیان و وزیر امور خارجه عباس عراقچی حضور داشتند."
    assert _found(fa, "fa") == ["مسعود پزشکیان", "عباس عراقچی"]
    ar = "واستقبل وزير الخارجية فيصل بن فرحان نظيره الإيراني في الرياض."
    assert _found(ar, "ar") == ["فيصل بن فرحان"]


def test_names_inside_quotes():
    fa = "این کتاب به قلم «محمود دولت‌آبادی» منتشر شده است."
    assert _found(fa, "fa") == ["محمود دولت‌آبادی"]
    ar = "وقال المتحدث إن \"أحمد الخطيب\" غادر البلاد أمس."
    assert _found(ar, "ar") == ["أحمد الخطيب"]


def test_two_adjacent_names_are_two():
    fa = "در دیدار امروز، علی لاریجانی، محمدباقر قالیباف و حسن روحانی درباره بودجه گفتگو کردند."
    assert _found(fa, "fa") == ["علی لاریجانی", "محمدباقر قالیباف", "حسن روحانی"]
    ar = "وشارك في الاجتماع محمد العلي وأحمد السالم وخالد يوسف."
    assert _found(ar, "ar") == ["محمد العلي", "وأحمد السالم", "وخالد يوسف"]


def test_ali_begins_the_name_where_the_text_writes_the_preposition_apart():
    # علي (Ali) and على (on) are one word once folded; a text writing the preposition على
    # tells them apart, so its علي before a name is the name's first word
    assert _found("وتواصل قوات المخلوع علي عبدالله صالح هجماتها على مدينة تعز.", "ar") == ["علي عبدالله صالح"]
    # where the text writes the preposition علي too, the model decides alone
    assert _found("ورد علي عبدالله صالح في المؤتمر علي الأسئلة.", "ar") == ["عبدالله صالح"]
    # علي ending a name before a list's next one stays there
    ar = "وشارك لطفي علي وناصر الشنوفي في الاجتماع على هامش القمة."
    assert _found(ar, "ar") == ["لطفي علي", "وناصر الشنوفي"]


def test_language_is_detected_when_not_given():
    assert _found("وقال الرئيس الفرنسي إيمانويل ماكرون إن بلاده ستدعم الاتفاق.", None) == ["إيمانويل ماكرون"]


def test_text_without_names():
    assert find_names("", "fa") == []
    assert find_names("قیمت نفت امروز در بازارهای جهانی افزایش یافت.", "fa") == []


def test_command_prints_one_json_object_per_name(tmp_path):
    text = "\ufeffرئیس‌جمهور روسیه ولادیمیر پوتین روز دوشنبه در مسکو گفت که مذاکرات ادامه دارد.\n"
    path = tmp_path / "خبر.txt"
    path.write_text(text, encoding="utf-8")
    other = tmp_path / "ar.txt"
    other.write_text("وقال وزير الخارجية الروسي سيرغي لافروف إن المحادثات كانت مثمرة.", encoding="utf-8")
    out = StringIO()
    call_command("find_names", str(path), str(other), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [set(r) for r in rows] == [{"file", "start", "end", "text", "score"}] * 2
    assert [(r["file"], r["text"]) for r in rows] == [(str(path), "ولادیمیر پوتین"), (str(other), "سيرغي لافروف")]
    decoded = text.removeprefix("\ufeff")
    assert decoded[rows[0]["start"]:rows[0]["end"]] == "ولادیمیر پوتین"


def test_command_language_option_and_bad_files(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("وقال وزير الخارجية الروسي سيرغي لافروف إن المحادثات كانت مثمرة.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("سلام".encode("utf-16"))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="2 of 3 files"):
        call_command("find_names", str(good), str(bad), str(tmp_path / "missing.txt"), "--language", "ar",
                     stdout=out, stderr=err)
    assert [json.loads(line)["text"] for line in out.getvalue().splitlines()] == ["سيرغي لافروف"]
    assert "bad.txt: not UTF-8" in err.getvalue()
    assert "missing.txt: No such file" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("find_names", str(good), "--language", "en")


def test_without_a_model_the_title_rules_answer_with_a_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(names, "model_path", lambda language: tmp_path / f"none-{language}.crfsuite")
    with caplog.at_level(logging.WARNING, logger="entities.names"):
        found = find_names("وقال وزير الخارجية الروسي سيرغي لافروف إن المحادثات كانت مثمرة.", "ar")
    assert [s.text for s in found] == ["سيرغي لافروف"]
    assert "no model" in caplog.text
    assert _found("سرگئی لاوروف وزیر امور خارجه روسیه امروز به تهران آمد.", "fa") == ["سرگئی لاوروف"]


@pytest.mark.parametrize("persian, arabic", [
    ("لاوروف", "لافروف"), ("پوتین", "بوتين"), ("پاشینیان", "باشينيان"),
    ("رئیس‌جمهور ولادیمیر پوتین", "الرئيس فلاديمير بوتين"), ("بشار اسد", "بشار الأسد"), ("فاطمه", "فاطمة"),
])
def test_persian_and_arabic_spellings_share_a_transliteration_key(persian, arabic):
    assert translit_key(persian) == translit_key(arabic)


def test_different_names_keep_different_keys_and_titles_go():
    assert translit_key("علی لاریجانی") != translit_key("صادق لاریجانی")
    assert name_key("وزیر امور خارجه عباس عراقچی") == "عباس عراقچی"
    assert name_key("علی لاریجانی") == "علی لاریجانی"


_SENTENCES = {
    "fa": "به گزارش خبرنگار ما، علیرضا محمدی مدیرعامل این شرکت روز گذشته از کارخانه بازدید کرد.\n"
          "در دیدار امروز، علی لاریجانی، محمدباقر قالیباف و حسن روحانی درباره بودجه گفتگو کردند. "
          "لاریجانی گفت «این بودجه» به مجلس می‌رود.",
    "ar": "وقال وزير الخارجية الروسي سيرغي لافروف في مؤتمر صحفي إن المحادثات كانت مثمرة.\n"
          "وشارك في الاجتماع محمد العلي وأحمد السالم وخالد يوسف. وأكد لافروف أن \"الاتفاق\" قريب.",
}


@pytest.mark.parametrize("language", names.LANGUAGES)
def test_summed_weights_tag_as_crfsuite_does(language):
    """find_names sums the model's weights itself: the labels and marginal probabilities
    of crfsuite's own tagger on the same feature strings (with a first pass, on those the
    second reads of crfsuite's first-pass marginals)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(names.model_path(language)))
    text = _REPEATS[language]  # names that come back, for the second pass to read
    probabilities = None
    if names.first_pass_path(names.model_path(language)).is_file():
        first = pycrfsuite.Tagger()
        first.open(str(names.first_pass_path(names.model_path(language))))
        probabilities = []
        for _sentence, feats in name_features.sequences(text, language=language):
            first.set(feats)
            probabilities += [1.0 - first.marginal("O", k) for k in range(len(feats))]
        assert any(f.startswith("d2max=hi") for _sentence, feats in name_features.sequences(text, None, language, probabilities)
                   for word in feats for f in word)
    spans = []
    for sentence, feats in name_features.sequences(text, language=language, probabilities=probabilities):
        labels = tagger.tag(feats)
        marginals = [tagger.marginal(label, k) for k, label in enumerate(labels)]
        spans += names._spans(text, sentence, labels, marginals, language)
    found = find_names(text, language)
    assert len(spans) >= 3
    assert [(s.start, s.end, s.text) for s in found] == [(s.start, s.end, s.text) for s in spans]
    assert [s.score for s in found] == pytest.approx([s.score for s in spans], abs=1e-3)


# News text where names come back: in full once, then by the surname, beside ever other words.
_REPEATS = {
    "fa": _SENTENCES["fa"] + "\n"
          "حسن روحانی رئیس جمهور امروز در جلسه هیئت دولت گفت دولت به وعده‌های خود عمل می‌کند. روحانی افزود "
          "که محمدجواد ظریف وزیر امور خارجه فردا به نیویورک می‌رود. ظریف در نیویورک با همتای خود دیدار "
          "می‌کند و روحانی نیز هفته آینده به آنجا سفر خواهد کرد. به گفته لاریجانی، مجلس از ظریف حمایت "
          "می‌کند. لاریجانی و قالیباف دیروز دیدار کردند؛ قالیباف گفت روحانی و لاریجانی هم‌نظرند. "
          "آقای روحانی، آقای ظریف و آقای لاریجانی «روحانی» را ستودند. روحانی، ظریف، لاریجانی، قالیباف.",
    "ar": _SENTENCES["ar"] + "\n"
          "وقال الرئيس عبد الفتاح السيسي إن مصر ستواصل دعم الحل السياسي. وأضاف السيسي أن وزير الخارجية "
          "سامح شكري سيتوجه إلى موسكو للقاء لافروف. والتقى شكري بلافروف العام الماضي، وقال شكري إن "
          "العلاقات متينة. وأكد لافروف وشكري والسيسي أن \"الحوار\" مستمر. السيسي، شكري، لافروف، العلي.",
}


def _elsewhere_word_by_word(tokens, gaps, language):
    """``name_features._elsewhere`` as its docstring tells it, one word after another: what the
    faster one must give."""
    cores = [name_features._core(t.text) for t in tokens]
    counts = Counter(core for core, remembered in cores if remembered)
    wanted = {core for core, n in counts.items() if n > 1 or (core, False) in cores}
    contexts = {}
    for k, (core, remembered) in enumerate(cores):
        if remembered and core in wanted:
            here = []
            if k and name_features.gap_features(gaps[k])[2]:
                here += name_features._beside(tokens[k - 1].text, language)[0]
            if k + 1 < len(tokens) and name_features.gap_features(gaps[k + 1])[2]:
                here += name_features._beside(tokens[k + 1].text, language)[1]
            contexts[k] = sorted(here)
    out = {}
    for k, (core, _remembered) in enumerate(cores):
        if core in wanted:
            seen = Counter(f for j, found in contexts.items() if cores[j][0] == core for f in found)
            feats = tuple(f for f, n in seen.most_common(8) if n > contexts.get(k, []).count(f))
            if feats:
                out[k] = feats
    return out


@pytest.mark.parametrize("language", names.LANGUAGES)
def test_what_stands_beside_other_occurrences_is_found_as_word_by_word(language):
    text = _REPEATS[language]
    prepared = name_features.prepare(text, language=language)
    found = name_features._elsewhere(prepared)
    assert len(found) >= 10
    assert found == _elsewhere_word_by_word(prepared.tokens, prepared.gaps, language)
    assert prepared.sentences == name_features.sentences(text, prepared.tokens)


@pytest.mark.parametrize("language", names.LANGUAGES)
def test_tokens_given_find_what_tokenizing_finds(language):
    """Linking hands the recogniser the tokens the gazetteer read: the same names."""
    texts = [_REPEATS[language], "", _SENTENCES[language]]
    expected = names.find_names_in(texts, language)
    assert any(expected)
    assert names.find_names_in(texts, language, tokens=[tokenize(t) for t in texts]) == expected
    assert names.find_names_in(texts, language, tokens=[None, [], tokenize(texts[2])]) == expected


def test_many_texts_at_once_as_one_at_a_time():
    texts = [_SENTENCES["fa"], "", "قیمت نفت امروز افزایش یافت.", _SENTENCES["fa"][:60]]
    assert names.find_names_in(texts, "fa") == [find_names(t, "fa") for t in texts]
    assert names.find_names_in([], "ar") == []


def test_a_tagger_that_forgets_its_words_finds_the_same_names(monkeypatch):
    """Past TABLE_ROWS remembered words (or gaps) a tagger forgets them all and works
    them out again: what it finds does not change, and it keeps no more than one call's words."""
    texts = [_SENTENCES["fa"], _SENTENCES["fa"][::-1], _SENTENCES["fa"]]
    expected = [find_names(t, "fa") for t in texts]
    monkeypatch.setattr(names, "TABLE_ROWS", 12)
    monkeypatch.setattr(names, "_local", __import__("threading").local())  # a fresh tagger
    assert [find_names(t, "fa") for t in texts] == expected
    assert names.find_names_in(texts, "fa") == expected
    tagger = names._tagger("fa", names.model_path("fa"))
    assert len(tagger.words.index) <= max(12, len({w for text in texts for w in words(text)}))


def test_a_second_pass_reads_how_sure_the_first_was_of_a_words_other_occurrences():
    text = "قال الرئيس عبد الفتاح السيسي إن مصر بخير. وأضاف السيسي أن الحوار مستمر مع السيسي."
    tokens = tokenize(text)
    sisi = tokenize("السيسي")[0].text  # as folded
    at = [k for k, t in enumerate(tokens) if t.text.endswith(sisi)]
    probabilities = [0.0] * len(tokens)
    probabilities[at[0]], probabilities[at[1]], probabilities[at[2]] = 0.97, 0.3, 0.05
    found = name_features.document_features(tokens, probabilities)
    assert found[at[0]] == ("p1=hi", "d2max=low", "d2mean=low")  # the others: 0.3 and 0.05
    assert found[at[1]] == ("p1=low", "d2max=hi", "d2mean=mid")  # 0.97 and 0.05
    assert found[at[2]] == ("p1=none", "d2max=hi", "d2mean=mid")  # 0.97 and 0.3
    # the highest of the others, on the words either side ("-1:": of the word before)
    assert found[at[0] - 1] == ("p1=none", "1:d2max=low") and found[at[0] + 1] == ("p1=none", "-1:d2max=low")
    assert found[at[1] - 1] == ("p1=none", "1:d2max=hi") and found[at[1] + 1] == ("p1=none", "-1:d2max=hi")
    assert all(found[k] == ("p1=none",) for k in range(len(tokens)) if min(abs(k - a) for a in at) > 1)  # met once


def test_the_second_pass_sums_the_weights_of_the_document_features_strings():
    """The tagger adds the weights of ``document_features`` without making its strings: the same
    sums, ties of the first pass's probabilities and a text's first and last word included."""
    path = names.model_path("ar")
    if not names.first_pass_path(path).is_file():
        pytest.skip("Arabic has no two-pass model")
    tagger = names._Tagger(path, "ar")
    texts = [_REPEATS["ar"], "السيسي السيسي", "لافروف قال لافروف. وقال لافروف"]
    prepared = [name_features.prepare(text, None, "ar") for text in texts]
    offsets = np.cumsum([0] + [len(p.tokens) for p in prepared])
    n = int(offsets[-1])
    starts = np.array([o + i for p, o in zip(prepared, offsets, strict=False) for i, _j in p.sentences])
    lengths = np.array([j - i for p in prepared for i, j in p.sentences])
    scores = np.zeros((n, 2 * len(names.LABELS)))
    random = np.random.default_rng(7)
    for trial in range(5):  # first-pass scores that give many probabilities, some of them equal
        scores[:, :len(names.LABELS)] = random.choice([-2.0, 0.0, 3.0], size=(n, len(names.LABELS))) if trial else 0.0
        named = 1.0 - tagger.first.marginals(scores[:, :len(names.LABELS)], starts, lengths)[:, names._OUTSIDE]
        found = tagger._second_pass(names._batch(prepared), scores, starts, lengths)
        for p, offset in zip(prepared, offsets, strict=False):
            features = name_features.document_features(p.tokens, named[offset:offset + len(p.tokens)].tolist())
            expected = np.array([tagger.model.score(features[k]) for k in range(len(p.tokens))])
            assert np.allclose(found[offset:offset + len(p.tokens)], expected, rtol=0, atol=1e-9)


def test_a_name_of_a_list_joined_by_and_is_a_name_of_its_own(monkeypatch):
    """ANERcorp tags "عنان" and "وصبري" of "عنان وصبري" as two names: a word "و" + a word the
    lexicon has inside names most of its times begins one, unless the lexicon had the word
    itself inside a name ("وقاص" of "سعد بن أبي وقاص")."""
    def folded(word):
        return tokenize(word)[0].text

    lexicon = {"صبري": (9, 10), "قاص": (3, 4), "وقاص": (5, 5), "عنان": (8, 8)}
    monkeypatch.setitem(name_features._lexicons, "ar", {folded(w): n for w, n in lexicon.items()})
    assert name_features.begins_listed_name(folded("وصبري"), "ar")
    assert not name_features.begins_listed_name(folded("وقاص"), "ar")  # a name of its own
    assert not name_features.begins_listed_name(folded("وصبري"), "fa")  # Persian writes "و" apart
    assert not name_features.begins_listed_name(folded("صبري"), "ar")
    tokens = tokenize("التقى عنان وصبري أمس")
    spans = names._spans("التقى عنان وصبري أمس", tokens, ["O", "B", "L", "O"], [1.0, 0.9, 0.8, 1.0], "ar")
    assert [s.text for s in spans] == ["عنان", "وصبري"]
    tokens = tokenize("سعد بن أبي وقاص")
    assert [s.text for s in names._spans("سعد بن أبي وقاص", tokens, ["B", "I", "I", "L"], [0.9] * 4, "ar")] == ["سعد بن أبي وقاص"]


def test_a_list_of_names_splits_on_either_script_s_commas_and_parentheses():
    assert split_names("خانکندی (استپاناکرت)، خواجه لی، Xocalı, خواجه لی؛ قره باغ") == [
        "خانکندی", "استپاناکرت", "خواجه لی", "Xocalı", "قره باغ"]
    assert split_names(" ، ") == []
