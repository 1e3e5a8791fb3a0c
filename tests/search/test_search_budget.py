"""Per-word work of a search is bounded in words and time, and still useful.

"Did you mean" (``search.spelling.suggest``) corrects ordinary typos but looks
at a bounded number of words; prefix expansion (``search.whoosh.translate``) adds a
bounded number of index terms.  The budgets are checked structurally, never
by timing: the words looked at and the terms added are counted, and a
replaced clock makes each step cost (more than) the whole budget.
"""

import random

import pytest
from django.db import transaction

from search import caches, spelling
from search.params import SearchParams
from search.service import run_search
from search.whoosh import answers
from search.whoosh import translate as search_builder
from tests.search.test_search import make

CITIES = ["باکو", "ایروان", "تهران", "مسکو", "آنکارا", "تفلیس", "کابل", "دوحه", "قاهره", "بغداد"]


@pytest.fixture
def cities(transactional_db, clean_index):
    # At most four articles: any query finds fewer than five, so a suggestion is always looked for.
    with transaction.atomic():
        make("شهرها", "سفر به " + " و ".join(CITIES) + " در پاییز.")
        make("تصريح", "قال وزير خارجية السعودية إن المملكة تدعم الحوار.", language="ar")
        make("کوه‌ها", "مناطق کوهستانی آذربایجان در زمستان سرد است.")


def typed_twice(word):
    return word + word[-1]  # the last letter typed twice: one edit away


def looked_at(monkeypatch):
    """Count the unknown words ``suggest`` tries to correct."""
    calls = []
    real = spelling.corrections

    def counting(lexicon, term):
        calls.append(term)
        return real(lexicon, term)

    monkeypatch.setattr(spelling, "corrections", counting)
    return calls


def test_ordinary_arabic_typos_get_a_suggestion_through_the_api(client, cities):
    data = client.get("/api/search/", {"q": "وزيرر خارجيهه السعوديهه"}).json()
    assert data["count"] == 0
    assert data["suggestion"] == "وزير خارجية السعودية"


def test_ordinary_persian_typos_get_a_suggestion_on_the_page(client, cities):
    response = client.get("/search/", {"q": "کوهستانن آذربایجانن"})
    assert response.status_code == 200
    assert response.context["result"].suggestion == "کوهستانی آذربایجان"
    assert "کوهستانی آذربایجان" in response.content.decode()


def test_a_typo_in_the_first_letter_is_corrected(cities):
    assert run_search(SearchParams(q="ناکو")).suggestion == "باکو"


def test_a_long_word_two_edits_away_is_corrected(cities):
    assert run_search(SearchParams(q="آذربایجاننن")).suggestion == "آذربایجان"


def test_only_the_first_words_are_looked_at(client, cities, monkeypatch):
    calls = looked_at(monkeypatch)
    typed = [typed_twice(city) for city in CITIES]
    data = client.get("/api/search/", {"q": " ".join(typed)}).json()
    budget = spelling.SUGGEST_WORDS
    assert len(calls) == budget < len(CITIES)
    # the first words corrected, the rest left as the reader typed them
    assert data["suggestion"] == " ".join(CITIES[:budget] + typed[budget:])


def test_many_random_arabic_words_look_at_no_more_than_the_budget(client, cities, monkeypatch):
    calls = looked_at(monkeypatch)
    words = ["زقطغ" + "ثصضشسيبلاتنمكطظ"[i % 15] * 4 for i in range(28)]
    assert client.get("/search/", {"q": " ".join(words)}).status_code == 200
    assert len(calls) == spelling.SUGGEST_WORDS


def test_no_word_is_started_after_the_time_budget(cities, monkeypatch):
    now = [0.0]
    monkeypatch.setattr(spelling, "_clock", lambda: now[0])
    real = spelling.corrections

    def slow(lexicon, term):  # every word costs a little more than the whole budget
        now[0] += spelling.SUGGEST_SECONDS * 1.01
        return real(lexicon, term)

    monkeypatch.setattr(spelling, "corrections", slow)
    result = run_search(SearchParams(q="وزيرر خارجيهه السعوديهه"))
    assert result.suggestion == "وزير خارجيهه السعوديهه"


def test_words_too_long_to_be_typos_are_not_looked_at(cities, monkeypatch):
    calls = looked_at(monkeypatch)
    run_search(SearchParams(q="تهران" * 20 + " " + typed_twice("ایروان")))
    assert calls == [typed_twice("ایروان")]


# --- prefix expansion -------------------------------------------------------------

PREFIXES = ["با", "بر", "تا", "سر", "کا", "ما", "نو", "هم"]


@pytest.fixture
def many_words(transactional_db, clean_index):
    # 30 different words under each prefix: 240 in all, more than a query may add
    rng = random.Random(5)
    words = {p + "".join(rng.choice("پچژگلمنوسشصض") for _ in range(4)) for p in PREFIXES for _ in range(30)}
    with transaction.atomic():
        make("واژه‌ها", " ".join(sorted(words)))
    return words


@pytest.fixture
def expanded_terms(monkeypatch):
    """The index terms a query was expanded to (what its snippets mark)."""
    built = []
    real = answers.build_query

    def recording(*args, **kwargs):
        built.append(real(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(answers, "build_query", recording)

    def expand(q):
        built.clear()
        assert run_search(SearchParams(q=q)).count == 1
        return built[0][1].terms

    return expand


def test_prefixes_add_a_bounded_number_of_terms(many_words, expanded_terms):
    terms = expanded_terms(" ".join(p + "*" for p in PREFIXES))
    assert len(terms) == search_builder.MAX_EXPANDED_TERMS < len(many_words)


def test_prefixes_look_at_a_bounded_number_of_candidates(many_words, expanded_terms, monkeypatch):
    monkeypatch.setattr(search_builder, "MAX_PREFIX_LOOKUPS", 45)
    terms = expanded_terms(" ".join(p + "*" for p in PREFIXES))
    assert len(terms) == 45


def test_no_prefix_is_expanded_after_the_time_budget(many_words, expanded_terms, monkeypatch):
    now = [0.0]

    def clock():  # each look at the clock is a step that costs 60% of the budget
        now[0] += search_builder.EXPANSION_SECONDS * 0.6
        return now[0]

    monkeypatch.setattr(search_builder, "_clock", clock)
    terms = expanded_terms(" ".join(p + "*" for p in PREFIXES))
    assert terms and all(t.startswith(PREFIXES[0]) for t in terms)


# --- exact spelling: stored texts read -------------------------------------------------


@pytest.fixture
def kaf_articles(transactional_db, clean_index):
    # Six candidates for the folded word; the exact Arabic-kaf spelling in every other one, newest last.
    import datetime as dt

    with transaction.atomic():
        for day in range(1, 7):
            kaf = "ك" if day % 2 else "ک"
            make(f"خبر {day}", f"نمایشگاه {kaf}تاب در تهران", published=dt.datetime(2021, 11, day, 8, tzinfo=dt.UTC))


def test_an_exact_search_reads_a_bounded_number_of_texts(kaf_articles, monkeypatch):
    read = []
    real = answers._stored_text
    monkeypatch.setattr(answers, "_stored_text", lambda searcher, docnum: read.append(docnum) or real(searcher, docnum))
    assert run_search(SearchParams(q="كتاب", exact=True)).count == 3  # all six checked
    assert len(read) == 6
    monkeypatch.setattr(answers, "EXACT_CHECKS", 4)
    read.clear()
    result = run_search(SearchParams(q="كتاب", exact=True, sort="date"))
    assert len(read) == 4
    # the four newest candidates were checked: days 6, 5, 4, 3 hold two exact ones
    assert [h.title for h in result.hits] == ["خبر 5", "خبر 3"]
    read.clear()
    caches.RANKINGS.clear()  # the first search's ranking is kept
    assert run_search(SearchParams(q="كتاب", exact=True)).count <= 3  # by relevance: the best four
    assert len(read) == 4
