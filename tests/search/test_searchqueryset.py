"""Haystack's SearchQuerySet on the portal's backend: every call the site uses answers
correctly, and what the backend cannot do raises a clear error."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils.encoding import iri_to_uri
from haystack.inputs import Exact
from haystack.query import SQ, SearchQuerySet

from articles.dates import TEHRAN
from articles.models import Article
from search.language import PortalQuery, parse_query
from search.whoosh.query import UnsupportedQuery
from tests import factories

NOV_2021 = dt.datetime(2021, 11, 1, 8, 30, tzinfo=dt.UTC)  # 10 آبان 1400, noon in Tehran
SEP_2023 = dt.datetime(2023, 9, 23, 12, 0, tzinfo=dt.UTC)
MAR_2022 = dt.datetime(2022, 3, 5, 6, 0, tzinfo=dt.UTC)


def make(title, body, *, language="fa", published=NOV_2021, source=None, via=None):
    return factories.article(title=title, body=body, language=language, published=published, source=source, via=via)


@pytest.fixture
def corpus(transactional_db, clean_index):
    with transaction.atomic():
        return {
            "baku": make("سفر به باکو", "وزیر امور خارجه به باکو سفر کرد.", source="ایرنا"),
            "both": make("باکو و ایروان", "گفت‌وگوی باکو و ایروان دربارهٔ صلح ادامه دارد.", published=MAR_2022),
            "phrase": make("قره باغ", "مناقشه قره باغ کوهستانی هنوز حل نشده است.", published=None),
            "arabic": make("اجتماع في باكو", "عقد الاجتماع في العاصمة الأذربيجانية باكو أمس.", language="ar",
                           published=SEP_2023, source="أذرنيوز"),
            "kaf": make("كتابخانه ملی", "كتاب‌های تازه به كتابخانه رسید."),
        }


def pks(sqs):
    return [int(r.pk) for r in sqs]


def sqs():
    return SearchQuerySet()


# --- the query language -------------------------------------------------------------


def test_words_any_of_them_more_of_them_first(corpus):
    found = pks(sqs().filter(content=PortalQuery("باکو ایروان")))
    assert found[0] == corpus["both"].pk  # has both words
    assert set(found) == {corpus[k].pk for k in ("baku", "both", "arabic")}


def test_auto_query_is_the_portal_language(corpus):
    for q in ("باکو ایروان", '"قره باغ"', "باکو -ایروان", "كتاب*"):
        assert pks(sqs().auto_query(q)) == pks(sqs().filter(content=PortalQuery(q)))
    assert set(pks(sqs().auto_query("باکو -ایروان"))) == {corpus["baku"].pk, corpus["arabic"].pk}


def test_phrase_prefix_exclusion_and_exact_spelling(corpus):
    assert pks(sqs().filter(content=PortalQuery('"قره باغ"'))) == [corpus["phrase"].pk]
    assert corpus["both"].pk not in pks(sqs().filter(content=PortalQuery("باکو -ایروان")))
    assert pks(sqs().filter(content=PortalQuery("کتاب*"))) == [corpus["kaf"].pk]  # any spelling
    assert pks(sqs().filter(content=PortalQuery("كتاب*", exact=True))) == [corpus["kaf"].pk]
    assert pks(sqs().filter(content=PortalQuery("کتاب*", exact=True))) == []  # Persian kaf, written Arabic


def test_plain_text_needs_every_word_and_exact_is_a_phrase(corpus):
    assert pks(sqs().filter(content="باکو ایروان")) == [corpus["both"].pk]
    assert pks(sqs().filter(content=Exact("کوهستانی قره"))) == []  # both words, not in this order
    assert pks(sqs().filter(content=Exact("قره باغ"))) == [corpus["phrase"].pk]


# --- filters ------------------------------------------------------------------------


def test_date_filters_find_an_indexed_article(corpus):
    # Haystack's plain whoosh backend answered 0 here: dates are columns, not terms
    assert pks(sqs().filter(published__gte=dt.date(2023, 1, 1))) == [corpus["arabic"].pk]
    assert set(pks(sqs().filter(published__lte=dt.datetime(2021, 11, 2, tzinfo=TEHRAN)))) == \
        {corpus["baku"].pk, corpus["kaf"].pk}
    assert pks(sqs().filter(published__gt=SEP_2023)) == []
    assert pks(sqs().filter(published__lt=NOV_2021)) == []
    assert pks(sqs().filter(published=SEP_2023)) == [corpus["arabic"].pk]
    in_2022 = sqs().filter(published__range=(dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
    assert pks(in_2022) == [corpus["both"].pk]
    assert pks(sqs().filter(content=PortalQuery("باکو"), published__gte=dt.date(2022, 1, 1)).order_by("published")) == \
        [corpus["both"].pk, corpus["arabic"].pk]


def test_language_source_and_their_combinations(corpus):
    assert pks(sqs().filter(content=PortalQuery("باکو"), language="ar")) == [corpus["arabic"].pk]
    assert pks(sqs().filter(source="ایرنا")) == [corpus["baku"].pk]
    either = sqs().filter(SQ(source="ایرنا") | SQ(source="أذرنيوز")).order_by("-published")
    assert pks(either) == [corpus["arabic"].pk, corpus["baku"].pk]
    assert corpus["arabic"].pk not in pks(sqs().exclude(language="ar"))
    assert pks(sqs().filter(language__in=["ar"])) == [corpus["arabic"].pk]


def test_content_among_nested_and_filters(corpus):
    nested = sqs().filter(SQ(content=PortalQuery("باکو")) & (SQ(language="ar") & SQ(source="أذرنيوز")))
    assert pks(nested) == [corpus["arabic"].pk]
    either = sqs().filter(SQ(language="ar") | SQ(source="ایرنا")).filter(content=PortalQuery("باکو"))
    assert set(pks(either)) == {corpus["arabic"].pk, corpus["baku"].pk}


def test_via_agency_is_filterable(transactional_db, clean_index):
    with transaction.atomic():
        quoted = make("دیدار در مسکو", "به نقل از ایرنا", source="آران نیوز", via="ایرنا")
    assert pks(sqs().filter(via="ایرنا")) == [quoted.pk]
    assert pks(sqs().filter(SQ(source="ایرنا") | SQ(via="ایرنا"))) == [quoted.pk]


# --- order, facets, highlighting, spelling ----------------------------------------------


def test_order_by_date_both_ways_undated_last(corpus):
    newest = pks(sqs().order_by("-published"))
    oldest = pks(sqs().order_by("published"))
    assert newest[0] == corpus["arabic"].pk and newest[-1] == corpus["phrase"].pk
    assert oldest[-1] == corpus["phrase"].pk and oldest[-2] == corpus["arabic"].pk
    assert set(oldest[:2]) == {corpus["baku"].pk, corpus["kaf"].pk}  # the same moment
    assert oldest[2] == corpus["both"].pk


def test_field_facets(corpus):
    counts = sqs().filter(content=PortalQuery("باکو")).facet("language").facet("source").facet_counts()
    assert dict(counts["fields"]["language"]) == {"fa": 2, "ar": 1}
    assert dict(counts["fields"]["source"]) == {"ایرنا": 1, "أذرنيوز": 1}


def test_date_facets_by_year_month_and_day(corpus):
    start, end = dt.datetime(2021, 1, 1, tzinfo=dt.UTC), dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    years = sqs().date_facet("published", start, end, "year").facet_counts()["dates"]["published"]
    assert [(d.year, n) for d, n in years] == [(2021, 2), (2022, 1), (2023, 1)]
    months = sqs().filter(content=PortalQuery("باکو")).date_facet(
        "published", dt.datetime(2022, 1, 1, tzinfo=dt.UTC), dt.datetime(2022, 6, 1, tzinfo=dt.UTC), "month",
    ).facet_counts()["dates"]["published"]
    assert [(d.month, n) for d, n in months] == [(1, 0), (2, 0), (3, 1), (4, 0), (5, 0)]
    days = sqs().date_facet("published", dt.datetime(2021, 11, 1, tzinfo=TEHRAN),
                            dt.datetime(2021, 11, 3, tzinfo=TEHRAN), "day").facet_counts()["dates"]["published"]
    assert [n for _, n in days] == [2, 0]


def test_query_facets_count_date_ranges(corpus):
    counts = sqs().filter(content=PortalQuery("باکو")).query_facet(
        "published", "[2021-03-20T20:30:00Z TO 2022-03-20T20:30:00Z}").query_facet(
        "published", "[2022-03-05T06:00:00Z TO 2023-09-23T12:00:00Z]").facet_counts()["queries"]
    assert counts == {"published:[2021-03-20T20:30:00Z TO 2022-03-20T20:30:00Z}": 2,  # Jalali 1400
                      "published:[2022-03-05T06:00:00Z TO 2023-09-23T12:00:00Z]": 2}  # both ends included


def test_highlight_marks_the_original_spelling(corpus):
    [arabic] = sqs().filter(content=PortalQuery("باکو"), language="ar").highlight()
    assert "<mark>باكو</mark>" in arabic.highlighted["text"][0]  # Arabic kaf, typed with Persian
    assert arabic.highlighted["title"][0] == "اجتماع في <mark>باكو</mark>"
    [plain] = sqs().filter(content=PortalQuery("باکو"), language="ar")
    assert plain.highlighted is None


def test_spelling_suggestion_is_a_real_word(corpus):
    found = sqs().filter(content=PortalQuery("کوهستانن"))
    assert found.count() == 0
    assert found.spelling_suggestion() == "کوهستانی"
    assert sqs().filter(content=PortalQuery("باکو")).spelling_suggestion() is None


def test_slices_count_and_stored_fields(corpus):
    found = sqs().filter(content=PortalQuery("باکو ایروان"))
    assert found.count() == 3 and len(found) == 3
    everything = pks(found)
    assert pks(found[1:3]) == everything[1:3]
    assert pks(sqs().filter(content=PortalQuery("باکو ایروان"))[2:10]) == everything[2:]
    [arabic] = sqs().filter(language="ar")
    assert (arabic.title, arabic.language, arabic.source) == ("اجتماع في باكو", "ar", "أذرنيوز")
    assert arabic.published == SEP_2023 and arabic.published.tzinfo is not None
    assert iri_to_uri(arabic.path) == corpus["arabic"].get_absolute_url()
    assert (arabic.app_label, arabic.model_name, int(arabic.pk)) == ("articles", "article", corpus["arabic"].pk)
    assert arabic.score == 0.0 and found[0].score > 0


def test_load_all_and_values(corpus):
    [loaded] = sqs().filter(language="ar").load_all()
    assert loaded.object == corpus["arabic"]
    assert list(sqs().filter(language="ar").values_list("title", flat=True)) == ["اجتماع في باكو"]
    assert list(sqs().filter(source="ایرنا").values("title", "source")) == [{"title": "سفر به باکو", "source": "ایرنا"}]


def test_models_and_title_filters(corpus):
    assert sqs().models(Article).count() == 5
    assert pks(sqs().filter(title="باکو ایروان")) == [corpus["both"].pk]
    assert set(pks(sqs().filter(title__startswith="باک"))) == {corpus[k].pk for k in ("baku", "both", "arabic")}


# --- what the backend does not do ----------------------------------------------------


@pytest.mark.parametrize("build", [
    lambda: sqs().more_like_this(Article(pk=1)),
    lambda: sqs().filter(title__fuzzy="باکو"),
    lambda: sqs().filter(colour="سبز"),
    lambda: sqs().filter(language__gt="ar"),
    lambda: sqs().filter(published__startswith="2021"),
    lambda: sqs().filter(published__gte="دیروز"),
    lambda: sqs().order_by("title"),
    lambda: sqs().order_by("-published", "language"),
    lambda: sqs().raw_search("title:باکو"),
    lambda: sqs().narrow("language:fa"),
    lambda: sqs().boost("باکو", 2),
    lambda: sqs().facet("title"),
    lambda: sqs().query_facet("published", "[* TO NOW]"),
    lambda: sqs().query_facet("language", "[a TO b]"),
    lambda: sqs().date_facet("published", dt.datetime(2021, 1, 1), dt.datetime(2022, 1, 1), "hour"),
    lambda: sqs().filter(SQ(content=PortalQuery("باکو")) | SQ(language="ar")),
    lambda: sqs().filter(content=PortalQuery("باکو")).filter(content=PortalQuery("ایروان")),
    lambda: sqs().filter(django_id=1),
])
def test_what_the_backend_cannot_do_raises(corpus, build):
    with pytest.raises(UnsupportedQuery):
        build().count()


# --- the same query for a Lucene-syntax engine ---------------------------------------


class _LuceneQuery:
    """What a Lucene-syntax backend's SearchQuery offers an input: ``clean()``."""

    def clean(self, word):
        for char in "\\+-&|!(){}[]^\"~*?:/":
            word = word.replace(char, "\\" + char)
        return word


def test_portal_query_as_a_lucene_query_string():
    lucene = _LuceneQuery()
    assert PortalQuery("باکو ایروان").prepare(lucene) == "باکو OR ایروان"
    assert PortalQuery('"قره باغ" باکو').prepare(lucene) == '("قره باغ") AND ("قره باغ" OR باکو)'
    assert PortalQuery("باکو -ایروان كتاب*").prepare(lucene) == "(باکو OR كتاب*) AND NOT (ایروان)"
    assert PortalQuery("باکو", exact=True).prepare(lucene) == "text.exact:باکو"
    assert PortalQuery("title:(x)").prepare(lucene) == "title\\:\\(x\\)"  # syntax is only text
    assert PortalQuery("").prepare(lucene) == "*:*"
    # another script's spelling counted in (search.other_spellings) is one more optional phrase
    assert PortalQuery("بایراموف", spelled=(("بایراموف", ("باراموف",)),)).prepare(lucene) == 'بایراموف OR "باراموف"'


def test_parse_query_reads_every_part():
    parsed = parse_query('باکو «قره باغ» -ایروان كتاب* "unclosed')
    assert parsed.text == "باکو"
    assert parsed.phrases == ("قره باغ", "unclosed")
    assert parsed.excluded == ("ایروان",) and parsed.prefixes == ("كتاب",)
