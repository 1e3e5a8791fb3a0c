"""Names across scripts nobody registered: "also spelled", and what a query names kept per content stamp.

``articles.text.names.other_script_spellings`` makes the spellings, ``search.other_spellings``
looks them up among the other language's articles, ``search.service.run_search`` counts the
trusted ones in; the page and the API offer them all.
"""

import pytest
from django.core.cache import cache

from articles.text import fold
from articles.text.names import other_script_spellings, translit_key
from entities.search import known_names, query_expansion
from search.other_spellings import OtherSpelling, find, weigh
from search.params import SearchParams
from search.service import run_search
from tests.factories import article, person


@pytest.mark.parametrize(("word", "language", "other"), [
    ("بایراموف", "fa", "بيراموف"),  # a long vowel Arabic leaves out
    ("بایراموف", "fa", "باراموف"),
    ("لافروف", "ar", "لاوروف"),  # Arabic ف is Persian و (/v/)
    ("گوترش", "fa", "غوتيريش"),  # گ is غ, and two long vowels Persian leaves out
    ("پاشینیان", "fa", "باشينيان"),  # پ is ب
    ("سالزبورغ", "ar", "سالزبورگ"),
])
def test_other_script_spellings_follow_the_transliteration_rules(word, language, other):
    spellings = other_script_spellings(fold(word), language)
    assert fold(other) in spellings
    assert fold(word) not in spellings
    assert {translit_key(s) for s in spellings} == {translit_key(word)}


def test_long_vowels_drift_only_in_long_or_foreign_words():
    # in a short native word a dropped vowel makes another word: عراق / عرق (sweat), خادم / خدم (servants)
    assert "عرق" not in other_script_spellings("عراق", "ar") and "خدم" not in other_script_spellings("خادم", "ar")
    assert fold("غوتيريش") in other_script_spellings("گوترش", "fa")  # گ: a foreign name


class _Writes:
    """A lexicon of a few words, each written by one article of either language."""

    def __init__(self, *words):
        self.words = {fold(w) for w in words}

    def articles_with(self, word, language):
        return int(word in self.words)

    def articles_in(self, language):
        return 1000

    def written(self, word, language):
        return word


def test_an_arabic_word_with_the_article_is_no_foreign_name():
    lexicon = _Writes("والمطار", "ولادیمیر")
    assert find(lexicon, "والأمطار") == ()  # not والمطار (and the airport)
    assert [s.term for s in find(lexicon, "فلاديمير")] == [fold("ولادیمیر")]


def test_a_name_discovery_knows_counts_in_only_as_close_as_a_long_vowel():
    bayramov = OtherSpelling("بایراموف", "باراموف", "باراموف", "ar", 1, included=False)
    gross = OtherSpelling("جارفیس", "گروس", "گروس", "fa", 1, included=False)  # one key, two names
    assert [s.included for s in weigh((bayramov, gross), lambda spellings: {"باراموف", "گروس"})] == [True, False]


def _api(client, q, **params):
    return client.get("/api/search/", {"q": q, **params}).json()


@pytest.fixture
def articles(transactional_db, clean_index, django_capture_on_commit_callbacks):
    """Arabic articles with names Persian readers spell otherwise, a Persian one, and common words."""
    with django_capture_on_commit_callbacks(execute=True):
        made = {
            "bayramov": article(language="ar", title="أذربيجان وروسيا تبحثان الوضع في المنطقة",
                                body="بحث وزير الخارجية الأذربيجاني جيهون باراموف مع نظيره الروسي التعاون بين البلدين."),
            "helsinki": article(language="ar", title="مؤتمر دولي للطاقة",
                                body="انطلقت في هلسنكي أعمال مؤتمر دولي للطاقة المتجددة بمشاركة خمسين دولة."),
            "patagonia": article(language="ar", title="رحلة إلى الجنوب",
                                 body="تمتد باتاغونيا على مساحة واسعة من جنوب القارة وتشتهر بجبالها الجليدية."),
            "words": article(language="ar", title="اجتماع التجار", body="نشرت الصحف نص بيان صدر عن غرفة التجارة يوم الجمعة."),
            "persian": article(language="fa", title="سفر به هلسینکی",
                               body="پدر و مادر او در پایان تابستان با یک گروه به هلسینکی و پاتاگونیا سفر کردند."),
        }
    return made


def test_a_discovered_name_in_the_other_script_is_counted_in(client, articles):
    # بایراموف is nobody the knowledge base knows; discovery found the Arabic باراموف as a name
    assert "باراموف" in known_names(["باراموف"])
    data = _api(client, "بایراموف")
    assert data["count"] == 1 and data["results"][0]["id"] == articles["bayramov"].pk
    assert "<mark>باراموف</mark>" in data["results"][0]["snippet"]
    assert data["also_spelled"] == [{"word": "بایراموف", "spelling": "باراموف", "language": "ar", "articles": 1,
                                     "included": True}]
    assert data["suggestion"] is None  # not offered twice


def test_the_same_name_letter_for_letter_and_rare_is_counted_in(client, articles):
    # پ is ب and گ is غ: nothing else differs, and few articles write it
    data = _api(client, "پاتاگونیا")
    assert {h["id"] for h in data["results"]} == {articles["persian"].pk, articles["patagonia"].pk}
    assert data["also_spelled"][0]["spelling"] == "باتاغونيا" and data["also_spelled"][0]["included"]


def test_a_guess_is_offered_but_not_counted(client, articles):
    # هلسنكي drops a long vowel of هلسینکی: maybe the same city, maybe not, so only offered
    data = _api(client, "هلسینکی")
    assert [h["id"] for h in data["results"]] == [articles["persian"].pk]
    assert data["also_spelled"] == [{"word": "هلسینکی", "spelling": "هلسنكي", "language": "ar", "articles": 1,
                                     "included": False}]
    offered = _api(client, "هلسنكي")  # the link searches the other spelling
    assert [h["id"] for h in offered["results"]] == [articles["helsinki"].pk]


@pytest.mark.parametrize("word", ["پایان", "گروه"])
def test_a_common_word_pulls_in_no_arabic_word(client, articles, word):
    # by the letters پایان (end) is بيان (statement), گروه (group) غرفة (room): words, not names
    data = _api(client, word)
    assert [h["id"] for h in data["results"]] == [articles["persian"].pk]
    assert data["also_spelled"] == []


def test_a_filter_on_the_query_language_offers_nothing_from_the_other(client, articles):
    assert _api(client, "هلسینکی", lang="fa")["also_spelled"] == []
    assert _api(client, "بایراموف", lang="ar")["also_spelled"][0]["spelling"] == "باراموف"


def test_exact_spelling_looks_for_no_other(client, articles):
    data = _api(client, "بایراموف", exact="1")
    assert data["count"] == 0 and data["also_spelled"] == []


@pytest.mark.parametrize(("language", "line", "count"), [
    ("fa", "املای دیگر:", "۱ خبر"), ("ar", "يُكتب أيضًا:", "١ خبر"),
])
def test_the_page_offers_the_spelling_in_the_interface_language(client, articles, language, line, count):
    html = client.get("/search/", {"q": "هلسینکی"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    offered = html[html.index('class="search-also-spelled"'):]
    offered = offered[:offered.index("</p>")]
    assert line in offered and f"({count})" in offered
    assert 'lang="ar" dir="rtl"><bdi>هلسنكي</bdi></a>' in offered
    assert "?q=%D9%87%D9%84%D8%B3%D9%86%D9%83%D9%8A" in offered  # a link to the other spelling's results
    included = client.get("/search/", {"q": "بایراموف"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ("در همین نتایج" if language == "fa" else "ضمن هذه النتائج") in included


# --- what a query names, kept per content stamp ---------------------------------------------


@pytest.fixture
def page_cache(settings, tmp_path):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_STAMP = str(tmp_path / "content-stamp")
    cache.clear()
    yield
    cache.clear()


def test_a_repeated_query_asks_the_database_nothing(articles, page_cache, django_assert_num_queries):
    expansion = query_expansion("بایراموف")
    names = known_names(["باراموف"])
    with django_assert_num_queries(0):
        assert query_expansion("بایراموف") == expansion
        assert known_names(["باراموف"]) == names
        assert run_search(SearchParams(q="بایراموف")).count == 1


def test_an_editors_save_shows_at_once(articles, page_cache, client):
    assert not query_expansion("لاوروف")
    assert "/people/lavrov/" not in client.get("/search/", {"q": "لاوروف"}).content.decode()
    person(name_fa="سرگئی لاوروف", name_ar="سيرغي لافروف", slug="lavrov", aliases=(("fa", "لاوروف"),))
    assert "سيرغي لافروف" in query_expansion("لاوروف").spellings
    assert "/people/lavrov/" in client.get("/search/", {"q": "لاوروف"}).content.decode()
