"""The search page: every spelling, the query language, filters, highlighting, index sync."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article
from search import service as search_query
from search.params import SearchParams
from search.service import run_search
from tests import factories
from tests.text.test_text import FOLDING

TEHRAN_NOON = dt.datetime(2021, 11, 1, 8, 30, tzinfo=dt.UTC)  # 10 آبان 1400, noon in Tehran


def make(title, body, *, language="fa", published=TEHRAN_NOON, source=None, status=Article.Status.PUBLISHED, lead=""):
    return factories.article(title=title, body=body, lead=lead, language=language, published=published, source=source,
                             status=status)


def titles(q, **params):
    return [hit.title for hit in run_search(SearchParams(q=q, **params)).hits]


@pytest.fixture
def corpus(transactional_db, clean_index):
    with transaction.atomic():  # one index write for all of them, after the commit
        articles = {
            "baku": make("سفر به باکو", "وزیر امور خارجه به باکو سفر کرد."),
            "both": make("باکو و ایروان", "گفت‌وگوی باکو و ایروان دربارهٔ صلح ادامه دارد."),
            "phrase": make("قره باغ", "مناقشه قره باغ کوهستانی هنوز حل نشده است."),
            "apart": make("باغ وحش", "این باغ در شهر قره‌داغ است و بازدیدکنندگان زیادی دارد."),
            "arabic": make("اجتماع في باكو", "عقد الاجتماع في العاصمة الأذربيجانية باكو أمس.", language="ar",
                           published=dt.datetime(2023, 9, 23, 12, 0, tzinfo=dt.UTC), source="أذرنيوز"),
            "kaf": make("كتابخانه ملی", "كتاب‌های تازه به كتابخانه رسید."),
            "html": make("اسکریپت", "متن <script>alert(1)</script> با نشانهٔ ایران در میان."),
        }
    return articles


def test_every_folding_rule_finds_both_ways(transactional_db, clean_index):
    with transaction.atomic():
        for n, (written, typed) in enumerate(FOLDING):
            make(f"نوشته {n}", f"در این متن {written} آمده است.")
            make(f"تایپ {n}", f"در این متن {typed} آمده است.")
    failures = []
    for n, (written, typed) in enumerate(FOLDING):
        if f"نوشته {n}" not in titles(typed):
            failures.append(f"{written!r} not found by {typed!r}")
        if f"تایپ {n}" not in titles(written):
            failures.append(f"{typed!r} not found by {written!r}")
    assert not failures


@pytest.mark.parametrize("typed", ["می‌شود", "می شود", "میشود", "مي شود"])
def test_zwnj_joined_split_or_spaced_all_match(transactional_db, clean_index, typed):
    with transaction.atomic():
        make("یک", "این کار انجام می‌شود.")
        make("دو", "این کار انجام می شود.")
        make("سه", "این کار انجام میشود.")
    assert sorted(titles(typed)) == ["دو", "سه", "یک"]


def test_joined_word_found_by_its_split_spelling(transactional_db, clean_index):
    with transaction.atomic():
        make("نمایشگاه", "نمایشگاه بین‌المللی کتاب تهران گشایش یافت.")
    assert titles('"نمایشگاه بین المللی کتاب"') == ["نمایشگاه"]
    assert titles("بين‌المللي") == ["نمایشگاه"]


def test_stemming_finds_plurals_and_keeps_names(transactional_db, clean_index):
    with transaction.atomic():
        make("کتاب‌ها", "کتاب‌ها و دانشجویان.")
        make("ایران", "ایران کشوری بزرگ است.")
    assert titles("کتاب") == ["کتاب‌ها"]
    assert titles("دانشجو") == ["کتاب‌ها"]
    assert titles("ایران") == ["ایران"]
    assert titles("ایر") == []  # ایران is not stemmed to ایر


def test_plural_in_at_finds_the_singular(transactional_db, clean_index):
    with transaction.atomic():
        make("بیمه", "جبران خسارت کشاورزان")
        make("خبر دیگر", "کشاورزان در انتظار باران")
    assert titles("خسارات کشاورزان")[0] == "بیمه"


def test_rare_compound_finds_its_spaced_spelling_and_head(transactional_db, clean_index):
    with transaction.atomic():
        make("آداب", "آداب همسرداری در خانواده")
        for n in range(12):
            make(f"همسر {n}", f"همسر داری و وظایف همسر {n}")
        make("دیگر", "خانه داری و باغ داری")
    found = titles("همسرداری")
    assert set(found) == {"آداب"} | {f"همسر {n}" for n in range(12)}
    assert "دیگر" not in found


def test_more_matching_words_rank_first_never_a_silent_and(corpus):
    found = titles("باکو ایروان")
    assert found[0] == "باکو و ایروان"
    assert "سفر به باکو" in found  # has only one of the words, still found


def test_a_rare_word_outweighs_common_ones(transactional_db, clean_index):
    with transaction.atomic():
        for n in range(8):
            make(f"تصادف {n}", "علل مرگ و میر در جاده‌ها و مرگ و میر رانندگان " * 3)
        for n in range(20):
            make(f"دیگر {n}", f"خبری دیگر درباره بازار و قیمت {n}")
        make("نهنگ", "مرگ نهنگ‌ها در ساحل، خبری دیگر درباره دریا و بازار ماهی و قیمت آن")
    assert titles("علل مرگ و میر نهنگ ها")[0] == "نهنگ"


def test_phrase_needs_the_words_together(corpus):
    assert titles('"قره باغ"') == ["قره باغ"]
    assert set(titles("قره باغ")) >= {"قره باغ", "باغ وحش"}


def test_exclusion(corpus):
    found = titles("باکو -ایروان")
    assert "سفر به باکو" in found and "باکو و ایروان" not in found
    assert "قره باغ" not in titles('باغ -"قره باغ"')


def test_prefix(corpus):
    assert titles("کوهس*") == ["قره باغ"]
    assert "اجتماع في باكو" in titles("الأذربي*")


def test_exact_spelling_switch(corpus):
    assert titles("کتابخانه") == ["كتابخانه ملی"]  # folded: Persian kaf finds Arabic kaf
    assert titles("کتابخانه", exact=True) == []
    assert titles("كتابخانه", exact=True) == ["كتابخانه ملی"]


def test_exact_phrases_prefixes_and_exclusions_keep_the_spelling(corpus):
    assert titles('"به كتابخانه"', exact=True) == ["كتابخانه ملی"]
    assert titles('"به کتابخانه"', exact=True) == []  # the phrase, but Persian kaf
    assert titles("كتاب*", exact=True) == ["كتابخانه ملی"] and titles("کتاب*", exact=True) == []
    assert titles("باکو -ایروان", exact=True) == ["سفر به باکو"]
    # an exclusion in another spelling excludes nothing in exact mode
    assert set(titles("باکو -ايروان", exact=True)) == {"سفر به باکو", "باکو و ایروان"}
    result = run_search(SearchParams(q="كتابخانه", exact=True))
    assert result.count == 1 and "<mark>كتابخانه</mark>" in result.hits[0].snippet


def test_arabic_proclitic_is_an_alternative(corpus):
    assert titles("وباكو", language="ar") == ["اجتماع في باكو"]
    assert "اجتماع في باكو" in titles("وباكو في")  # an Arabic query
    assert titles("وباكو", language="fa") == []


def test_highlight_marks_the_original_spelling_and_escapes_html(corpus):
    hit = run_search(SearchParams(q="باکو")).hits
    arabic = next(h for h in hit if h.language == "ar")
    assert "<mark>باكو</mark>" in arabic.snippet  # written with Arabic kaf, typed with Persian
    html = run_search(SearchParams(q="ايران")).hits[0]
    assert "<mark>ایران</mark>" in html.snippet
    assert "&lt;script&gt;" in html.snippet and "<script>" not in html.snippet


def test_highlight_wraps_whole_joined_words(corpus):
    snippet = run_search(SearchParams(q="کتاب")).hits[0].snippet
    assert "<mark>كتاب‌های</mark>" in snippet
    assert "<mark>كتابخانه</mark>" not in snippet  # another word, never part of one


def test_filters_and_facets(corpus):
    result = run_search(SearchParams(q="باکو"))
    assert dict(result.facets["language"]) == {"fa": 2, "ar": 1}
    assert dict(result.facets["source"]) == {"أذرنيوز": 1}
    assert titles("باکو", language="ar") == ["اجتماع في باكو"]
    assert titles("باکو", source="أذرنيوز") == ["اجتماع في باكو"]
    assert titles("باکو", date_from=dt.date(2023, 1, 1)) == ["اجتماع في باكو"]
    assert "اجتماع في باكو" not in titles("باکو", date_to=dt.date(2021, 11, 1))


def test_empty_query_shows_the_latest(corpus):
    result = run_search(SearchParams())
    assert result.count == len(corpus)
    assert result.hits[0].title == "اجتماع في باكو"


def test_did_you_mean_shows_a_real_word(corpus):
    result = run_search(SearchParams(q="کوهستانن"))
    assert result.count == 0
    assert result.suggestion == "کوهستانی"


def test_expander_hook_adds_related_articles(corpus, monkeypatch):
    extra = corpus["phrase"].pk
    monkeypatch.setattr(search_query, "EXPANDERS", [lambda params, result: [("قره باغ", [extra])]])
    result = run_search(SearchParams(q="باکو"))
    assert [(g.label, [h.id for h in g.hits]) for g in result.related] == [("قره باغ", [extra])]


# --- the page ---------------------------------------------------------------------


def test_search_page_renders_results_in_their_own_direction(client, corpus):
    response = client.get("/search/", {"q": "باکو"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<li class="search-hit" lang="ar" dir="rtl">' in html
    assert "<mark>باكو</mark>" in html
    assert "search-facets" in html


@pytest.mark.parametrize("value", ["1400/08/10", "۱۴۰۰/۰۸/۱۰", "2021-11-01"])
def test_date_filter_reads_jalali_and_gregorian(client, corpus, value):
    response = client.get("/search/", {"q": "باکو", "from": value, "to": value})
    assert response.status_code == 200
    assert [h.title for h in response.context["result"].hits] == ["سفر به باکو", "باکو و ایروان"] or \
        sorted(h.title for h in response.context["result"].hits) == sorted(["سفر به باکو", "باکو و ایروان"])


@pytest.mark.parametrize("params", [{"lang": "en"}, {"sort": "random"}, {"from": "دیروز"}, {"page": "x"},
                                    {"from": "2022-01-01", "to": "2021-01-01"}, {"exact": "maybe"}])
def test_bad_parameters_are_a_400_with_a_message(client, clean_index, params, db):
    response = client.get("/search/", {"q": "باکو", **params})
    assert response.status_code == 400
    assert b'class="search-error"' in response.content


def test_page_past_the_end_is_a_404(client, corpus):
    assert client.get("/search/", {"q": "باکو", "page": "2"}).status_code == 404
    assert client.get("/search/", {"q": "باکو", "page": "1"}).status_code == 200


def test_sort_by_date(corpus):
    found = titles("باکو", sort="date")
    assert found[0] == "اجتماع في باكو"


HOSTILE = ['"باکو', 'باکو"', "(باکو", "باکو)", "[{<", "title:باکو", "published:[2020 TO", "AND", "OR", "NOT",
           "AND OR NOT", "*", "**", "*باکو", "?", "~2", "^3", "\\", "-", "--باکو", '""', "\x00\x1f\x7f باکو",
           "<script>alert(1)</script>", "&amp;", "باکو" * 1000, "ا " * 2500, "%", "' OR 1=1 --"]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_answer(client, corpus, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


# --- the index stays true ------------------------------------------------------------


def test_saved_article_is_found_at_once_and_deleted_one_is_gone(transactional_db, clean_index):
    article = make("خبر تازه", "زلزله در بم")
    assert titles("زلزله") == ["خبر تازه"]
    article.status = Article.Status.DRAFT
    article.save()
    assert titles("زلزله") == []
    article.status = Article.Status.PUBLISHED
    article.title = "خبر ویرایش‌شده"
    article.save()
    assert titles("زلزله") == ["خبر ویرایش‌شده"]
    article.delete()
    assert titles("زلزله") == []


def test_an_edited_article_replaces_its_old_version(transactional_db, clean_index):
    article = make("خبر تازه", "زلزله در بم")
    article.title = "خبر ویرایش‌شده"
    article.save()
    call_command("update_index", verbosity=0)
    assert titles("زلزله") == ["خبر ویرایش‌شده"]


def test_drafts_are_never_indexed(transactional_db, clean_index):
    make("پیش‌نویس", "زلزله در بم", status=Article.Status.DRAFT)
    assert titles("زلزله") == []
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert titles("زلزله") == []


def test_rolled_back_save_never_reaches_the_index(transactional_db, clean_index):
    with pytest.raises(RuntimeError), transaction.atomic():
        make("شبح", "زلزله در بم")
        raise RuntimeError
    assert titles("زلزله") == []


def test_rebuild_and_update_index(transactional_db, clean_index):
    make("خبر", "زلزله در بم")
    make("پیش‌نویس", "زلزله در بم", status=Article.Status.DRAFT)
    clean_index.clear()
    assert titles("زلزله") == []
    call_command("update_index", verbosity=0)
    assert titles("زلزله") == ["خبر"]
    clean_index.clear()
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert titles("زلزله") == ["خبر"]
