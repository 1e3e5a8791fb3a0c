"""Search that reads each language in its own chain (issue 13): the observed
defects, through the search page and the API, with Persian and Arabic text."""

import re

import pytest
from django.db import transaction

from articles.text import chains, fold
from tests.search.test_search import make


def api(client, q, **params):
    response = client.get("/api/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.json()


def found(client, q, **params):
    """Titles the API lists for ``q``."""
    return {hit["title"] for hit in api(client, q, page_size="50", **params)["results"]}


def page_titles(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return {hit.title for hit in response.context["result"].hits}


@pytest.fixture
def articles(transactional_db, clean_index):
    with transaction.atomic():
        made = {
            "california": make("سفر به کالیفرنیا", "وزیر خارجه امروز به کالیفرنیا رفت."),
            "parents": make("نشست والدین", "والدین دانش‌آموزان در مدرسه گرد آمدند."),
            "religion": make("آزادی دین", "دین و آزادی در این کتاب بررسی شده است."),
            "anzali": make("بندر انزلی", "کشتی‌ها در بندر انزلی پهلو گرفتند."),
            "quran": make("نزول القرآن", "أنزل الله القرآن في شهر رمضان.", language="ar"),
            "suleiman": make("زيارة سليمان", "وصل سليمان إلى العاصمة صباح اليوم.", language="ar"),
            "salim": make("خطاب سليم", "ألقى سليم كلمة في المؤتمر.", language="ar"),
            "goal": make("هدف اصلی", "هدف این طرح کاهش آلودگی هواست."),
            "year": make("گزارش سال", "این سال برای کشاورزان سخت بود."),
            "friend": make("دوست قدیمی", "او دوست خوب من است."),
            "big": make("مشروع كبير", "أعلن الوزير عن مشروع كبير في المدينة.", language="ar"),
            "hasan": make("لقاء حسن", "التقى حسن بالسفير أمس.", language="ar"),
            "ali": make("رسالة علي", "كتب علي رسالة إلى أصدقائه.", language="ar"),
            "who": make("من هو الرئيس", "سأل الصحفي من هو الرئيس الجديد.", language="ar"),
            "intl": make("نمایشگاه بین‌المللی", "نمایشگاه بین‌المللی کتاب گشایش یافت."),
            "intl_space": make("همکاری بین المللی", "همکاری بین المللی در این زمینه لازم است."),
            "intl_joined": make("دادگاه بینالمللی", "دادگاه بینالمللی رای خود را اعلام کرد."),
            "mediation": make("میانجی‌گری ترکیه", "ترکیه پیشنهاد میانجی‌گری داد."),
            "mediation_space": make("میانجی گری قطر", "قطر برای میانجی گری آماده است."),
            "talk": make("گفتگوی دو وزیر", "گفتگو درباره صلح ادامه یافت."),
            "talk_split": make("گفت و گوی سران", "گفت و گو در باکو برگزار شد."),
            "talk_zwnj": make("گفت‌وگوی تلفنی", "گفت‌وگو میان دو رئیس‌جمهور انجام شد."),
            "khajeli": make("روستای خواجه‌لی", "اهالی خواجه‌لی به خانه بازگشتند."),
        }
    return made


def test_a_persian_word_never_loses_an_arabic_proclitic(client, articles):
    assert "سفر به کالیفرنیا" in found(client, "کالیفرنیا")
    assert not found(client, "یفرنیا")
    assert found(client, "والدین") == {"نشست والدین"}
    assert found(client, "دین") == {"آزادی دین"}
    assert page_titles(client, "دین") == {"آزادی دین"}


def test_names_are_never_stemmed(client, articles):
    assert "زيارة سليمان" not in found(client, "سليم")
    assert "زيارة سليمان" in found(client, "سليمان")
    # انزلی (Anzali) is not the Arabic verb أنزل
    assert "بندر انزلی" not in found(client, "أنزل")
    assert "نزول القرآن" in found(client, "من انزل القران؟")


@pytest.mark.parametrize(("typed", "title"), [("هدفشان", "هدف اصلی"), ("سالی", "گزارش سال"), ("دوستان", "دوست قدیمی")])
def test_persian_endings_are_stripped(client, articles, typed, title):
    assert title in found(client, typed)
    assert title in page_titles(client, typed)


@pytest.mark.parametrize(("typed", "title"), [("كبيرة", "مشروع كبير"), ("وحسن", "لقاء حسن")])
def test_arabic_feminine_and_attached_forms(client, articles, typed, title):
    assert title in found(client, typed)


def test_a_query_of_stop_words_still_finds_them(client, articles):
    assert "رسالة علي" in found(client, "علي")
    assert next(iter(found(client, "من هو"))) == "من هو الرئيس" or "من هو الرئيس" in found(client, "من هو")
    assert "رسالة علي" in page_titles(client, "علي")


def test_stop_words_weigh_little_among_other_words(client, articles):
    # "من" (stop) with a content word: the content word decides the order
    results = [h["title"] for h in api(client, "من الرئيس")["results"]]
    assert results[0] == "من هو الرئيس"


@pytest.mark.parametrize("typed", ["بین‌المللی", "بین المللی", "بینالمللی"])
def test_compound_spellings_match_each_other(client, articles, typed):
    assert found(client, typed) >= {"نمایشگاه بین‌المللی", "همکاری بین المللی", "دادگاه بینالمللی"}


@pytest.mark.parametrize("typed", ["میانجی‌گری", "میانجی گری", "میانجیگری"])
def test_mediation_in_every_spelling(client, articles, typed):
    assert found(client, typed) >= {"میانجی‌گری ترکیه", "میانجی گری قطر"}


def test_two_part_spellings_are_one_word(client, articles):
    sets = [found(client, typed) for typed in ("گفتگو", "گفت و گو", "گفت‌وگو")]
    expected = {"گفتگوی دو وزیر", "گفت و گوی سران", "گفت‌وگوی تلفنی"}
    assert all(s >= expected for s in sets), sets
    assert sets[0] == sets[1] == sets[2]
    assert "روستای خواجه‌لی" in found(client, "خواجهلی")
    assert api(client, "خواجهلی")["count"] == 1


def test_the_api_counts_what_the_page_lists(client, articles):
    for q in ("دین", "بین المللی", "علي"):
        assert api(client, q, page_size="50")["count"] == len(found(client, q))


# --- the chains themselves -----------------------------------------------------------


def test_persian_chain():
    assert chains.terms("کالیفرنیا والدین انزلی", "fa") == ["کالیفرنیا", "والدین", "انزلی"]
    assert chains.terms("هدفشان سالی دوستان دانشجویان", "fa") == ["هدف", "سال", "دوست", "دانشجو"]
    stop = [t for t in chains.analyze("او به مدرسه رفت", "fa") if t.stop]
    assert [t.text for t in stop] == ["او", "به"]  # kept, flagged


def test_arabic_chain():
    assert chains.terms("كبيرة وحسن والمدرسة", "ar") == ["کبیر", "حسن", "مدرس"]
    assert chains.terms("سليمان", "ar") == ["سلیمان"]
    assert [t.stop for t in chains.analyze("علي من هو", "ar")] == [True, True, True]
    # a root (for the query only): a broken plural meets its singular, a masdar its verb
    assert chains.root(fold("الحروب")) == chains.root(fold("حرب")) == "حرب"
    assert chains.root(fold("استخدام")) == chains.root(fold("يستخدمون")) == "خدم"
    # none for a name, a stop word, a Persian word typed with Arabic letters (فينال)
    assert not any(chains.root(fold(w)) for w in ("سليمان", "عليه", "فينال"))
    assert chains.foreign(fold("سابيلا")) and not chains.foreign(fold("الحروب"))


def test_both_chains_for_a_query_that_does_not_tell():
    terms = {t.text for t in chains.analyze("والدین", None)}
    assert "والدین" in terms  # the Persian reading keeps the word whole


# --- natural queries ----------------------------------------------------------------


@pytest.fixture
def questions(transactional_db, clean_index):
    with transaction.atomic():
        made = {
            "book": make("كتاب عجائب الدنيا", "صدر كتاب معالم الدنيا السبع للمؤلف في القاهرة.", language="ar"),
            "other": make("معرض القاهرة", "افتتح معرض القاهرة للكتاب أبوابه.", language="ar"),
            "fair": make("نمایشگاه کتاب تهران", "نمایشگاه کتاب تهران امسال در مصلی برگزار شد."),
            "where": make("سفر", "نمی‌دانیم کجا رفت."),
            "conf_ar": make("مؤتمر في باكو", "عقد المؤتمر الدولي في باكو.", language="ar"),
            "conf_fa": make("مؤتمر باکو", "مؤتمر الدولی باکو در ایران هم خبر شد."),
            "belgium": make("عاصمة بلجيكا", "بروكسل هي عاصمة بلجيكا وأكبر مدنها.", language="ar"),
            "egypt": make("عاصمة مصر", "القاهرة هي عاصمة مصر وأكبر مدنها.", language="ar"),
            "turkey": make("تركيا", "تحد العراق تركيا من الشمال.", language="ar"),
            "tigris": make("دجلة", "دجلة في العراق من الشمال.", language="ar"),
            "diagnosis": make("صورة الصدر", "يعتمد تشخيص السل على صورة الصدر.", language="ar"),
            "asthma": make("الربو", "السل والربو.", language="ar"),
            "child": make("رعاية الطفل", "يحتاج الطفل إلى رعاية صحية منذ ولادته.", language="ar"),
            "toys": make("سوق الألعاب", "ألعاب الأطفال في السوق.", language="ar"),
            "elderly": make("رعاية المسنين", "رعاية كبار السن في البيت.", language="ar"),
            "schools": make("التعليم في الريف", "افتتحت ثلاث مدارس في القرى.", language="ar"),
            "villages": make("الجنوب", "القرى في الجنوب.", language="ar"),
            "music": make("مدرسة الموسيقى", "تعلم العزف على العود.", language="ar"),
        }
    return made


def test_a_quoted_title_in_a_question_does_not_have_to_match(client, questions):
    q = 'من كتب كتاب "معالم العالم السبع" ؟'
    data = api(client, q)
    assert data["phrases_dropped"] is True
    assert data["results"][0]["title"] == "كتاب عجائب الدنيا"
    response = client.get("/search/", {"q": q})
    assert response.context["result"].hits[0].title == "كتاب عجائب الدنيا"
    assert "search-notice" in response.content.decode()


def test_a_phrase_that_matches_needs_no_notice(client, questions):
    data = api(client, '"معرض القاهرة"')
    assert data["phrases_dropped"] is False
    assert [h["title"] for h in data["results"]] == ["معرض القاهرة"]
    assert "search-notice" not in client.get("/search/", {"q": '"معرض القاهرة"'}).content.decode()


def test_a_question_word_does_not_outrank_the_content_words(client, questions):
    results = [h["title"] for h in api(client, "نمایشگاه کتاب تهران کجا برگزار شد")["results"]]
    assert results[0] == "نمایشگاه کتاب تهران"
    assert "سفر" not in results  # کجا alone only ranks


def test_a_mistyped_word_among_known_ones_finds_the_word_it_is_one_edit_from(client, questions):
    # no article writes بلجيكيا: among words articles have, it searches بلجيكا
    results = [h["title"] for h in api(client, "ما هي عاصمة بلجيكيا؟")["results"]]
    assert results[0] == "عاصمة بلجيكا"
    assert [h.title for h in client.get("/search/", {"q": "عاصمة بلجيكيا"}).context["result"].hits][0] == "عاصمة بلجيكا"
    assert not found(client, "بلجيكيا")  # alone, it gets a did-you-mean instead


def test_an_arabic_verb_in_the_question_finds_its_other_person(client, questions):
    # the question writes يحده (it borders him), the article تحد (she borders)
    results = [h["title"] for h in api(client, "ما الدول التي يحدها العراق من الشمال؟")["results"]]
    assert results[0] == "تركيا"


def test_an_arabic_verb_in_the_question_finds_its_taf_il_noun(client, questions):
    # the question writes يشخص (diagnoses), the article تشخيص (diagnosis)
    results = [h["title"] for h in api(client, "كيف يشخص السل؟")["results"]]
    assert results[0] == "صورة الصدر"


def test_an_arabic_broken_plural_ranks_its_singular(client, questions):
    # the query writes أطفال (children), one article طفل (a child): they share only
    # their root, طفل, which ranks it above an article with only the other word, twice
    hits = api(client, "رعاية الأطفال")["results"]
    titles = [h["title"] for h in hits]
    assert titles.index("رعاية الطفل") < titles.index("رعاية المسنين")
    # the root-mate is not marked (marking them cost snippets about 1 ms a search); the word that matched is
    assert "<mark>الطفل</mark>" not in hits[titles.index("رعاية الطفل")]["snippet"]
    assert "<mark>" in hits[titles.index("رعاية الطفل")]["title"] + hits[titles.index("رعاية الطفل")]["snippet"]


def test_an_arabic_singular_ranks_its_broken_plural(client, questions):
    # مدرسة (a school) and مدارس (schools) share only their root, درس, which ranks
    # the article with مدارس above a shorter one with only the other word
    titles = [h["title"] for h in api(client, "مدرسة في القرى")["results"]]
    assert titles.index("التعليم في الريف") < titles.index("الجنوب")
    # a root-mate alone finds nothing: it only ranks what the query's words find
    assert [h["title"] for h in api(client, "المدرسة")["results"]] == ["مدرسة الموسيقى"]


def test_results_in_the_query_language_come_first(client, questions):
    results = [(h["title"], h["language"]) for h in api(client, "عقد المؤتمر في باكو")["results"]]
    assert results[0] == ("مؤتمر في باكو", "ar")


# --- names across scripts --------------------------------------------------------------


@pytest.fixture
def linked(transactional_db, clean_index):
    import os

    from django.core.management import call_command

    from articles.models import Article
    from tests.conftest import SEEDS

    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


@pytest.mark.parametrize(("query", "arabic_form", "persian_form"),
                         [("لافروف", "لافروف", "لاوروف"), ("لاوروف", "لافروف", "لاوروف")])
def test_a_name_finds_its_articles_in_every_language(client, linked, query, arabic_form, persian_form):
    arabic, persian = linked["002"], linked["003"]
    data = api(client, query, page_size="50")
    by_id = {hit["id"]: hit for hit in data["results"]}
    assert {arabic.pk, persian.pk} <= by_id.keys()
    assert data["count"] == len(data["results"]) >= 2
    assert {"fa", "ar"} <= data["facets"]["language"].keys()
    # marked on the form each article writes
    assert f"<mark>{arabic_form}</mark>" in by_id[arabic.pk]["snippet"] + by_id[arabic.pk]["title"]
    assert f"<mark>{persian_form}" in by_id[persian.pk]["snippet"]
    result = client.get("/search/", {"q": query}).context["result"]
    assert {arabic.pk, persian.pk} <= {hit.id for hit in result.hits}
    assert result.count >= 2


@pytest.mark.parametrize(("query", "other_form", "seeds"), [
    ("أذربيجان", "آذربایجان", ("000", "001", "003", "004")),  # Arabic typed, the Persian reports
    ("وأذربيجان", "آذربایجان", ("000", "001", "003", "004")),  # with a clitic
    ("Azerbaijan", "آذربایجان", ("000", "001", "003", "004", "002")),
    ("روسیه", "روس", ("002",)),  # Persian typed, the Arabic report (روسيا, and its الروسية)
])
def test_a_place_finds_the_articles_that_write_it_another_way(client, linked, query, other_form, seeds):
    data = api(client, query, page_size="50")
    by_id = {hit["id"]: hit for hit in data["results"]}
    assert {linked[s].pk for s in seeds} <= by_id.keys()
    assert data["count"] == len(data["results"])
    hit = by_id[linked[seeds[0]].pk]
    marked = re.findall(r"<mark>(.*?)</mark>", hit["snippet"])
    assert any(other_form in word for word in marked), marked  # marked on the form the article writes
    page = client.get("/search/", {"q": query}).context["result"]
    assert page.count == data["count"] and {linked[s].pk for s in seeds} <= {h.id for h in page.hits}


def test_a_word_that_merely_contains_a_place_name_finds_nothing_of_it(client, linked):
    # روسی ("Russian", a person's or a word's) is not روسیه: a one-word place name is matched whole
    assert api(client, "روسی")["count"] < api(client, "روسیه")["count"]


@pytest.fixture
def russia(transactional_db, clean_index):
    with transaction.atomic():
        return {
            "minister": make("سفر وزیر به روسیه", "وزیر خارجه امروز به روسیه رفت."),
            "place": make("روسیه و چین", "روسیه و چین توافق کردند؛ روسیه گاز می‌فروشد و روسیه نفت می‌خرد."),
        }


def test_a_place_written_another_way_counts_as_that_word_of_the_query_only(client, russia):
    from entities.models import Place
    from search.params import SearchParams
    from search.service import named_in

    Place.objects.create(slug="russia", name_fa="روسیه", name_ar="روسيا", name_en="Russia")
    named = named_in(SearchParams(q="الوزير روسيا"))
    # not a spelling of the whole query (as a person's name is), only of its word روسيا
    assert named.expansion.spellings == () and named.expansion.article_ids == ()
    assert [(word, set(spellings)) for word, spellings in named.included] == [
        (fold("روسيا"), {"روسیه", "روسيا", "Russia"})]
    # Arabic typed: "الوزير" is وزیر, "روسيا" is روسیه; the report with both comes first
    hits = api(client, "الوزير روسيا")["results"]
    assert [h["id"] for h in hits] == [russia["minister"].pk, russia["place"].pk]


def test_search_does_not_import_entities():
    import pathlib
    import re

    # the read path (search/suggest.py's entity suggestions predate the hook)
    for path in pathlib.Path(__file__).resolve().parents[2].joinpath("search").rglob("*.py"):
        if path.name == "suggest.py":
            continue
        assert not re.search(r"^\s*(from|import)\s+entities\b", path.read_text(encoding="utf-8"), re.M), path


# --- highlighting and did-you-mean -------------------------------------------------------


@pytest.fixture
def groups(transactional_db, clean_index):
    with transaction.atomic():
        made = {
            "minsk": make("گروه مینسک", "گروه دوستی دو کشور دیدار کرد و گروه مینسک بیانیه داد."),
            "friends": make("گروه دوستی", "گروه دوستی پارلمانی تشکیل شد."),
        }
    return made


def test_a_phrase_is_marked_whole_never_its_word_alone(client, groups):
    data = api(client, '"گروه مینسک"')
    [hit] = data["results"]
    assert "<mark>گروه مینسک</mark>" in hit["snippet"]
    assert "<mark>گروه</mark> دوستی" not in hit["snippet"]


def test_every_hit_found_on_its_text_has_a_marked_word(client, articles):
    for q in ("دوستان", "كبيرة", "بین المللی", "گفت و گو", "علي"):
        for hit in api(client, q)["results"]:
            assert "<mark>" in hit["snippet"] + hit["title"], (q, hit["title"])


def test_arabic_did_you_mean_offers_the_closest_real_word(client, linked):
    data = api(client, "أذربيحان")
    assert data["suggestion"] == "أذربيجان"


def test_an_index_of_the_language_blind_schema_is_outdated(transactional_db, clean_index):
    import io
    import os
    import shutil

    from django.core.management import call_command
    from whoosh import fields, index

    from search.whoosh.analysis import PortalAnalyzer
    from search.whoosh.codec import PortalCodec

    assert not clean_index.outdated()
    # the schema before issue 13: text and title in one analysis for both languages
    schema = {name: clean_index.schema[name] for name in clean_index.schema.names()}
    schema["text"] = fields.TEXT(analyzer=PortalAnalyzer(), phrase=True)
    schema["title"] = fields.TEXT(stored=True, analyzer=PortalAnalyzer(), phrase=True)
    shutil.rmtree(clean_index.path)
    os.makedirs(clean_index.path)
    old = index.create_in(clean_index.path, fields.Schema(**schema))
    old.writer(codec=PortalCodec()).commit()
    clean_index.setup_complete = False
    assert "fields differ" in clean_index.outdated()
    out = io.StringIO()
    call_command("rebuild_index", "--if-outdated", stdout=out)
    assert "rebuilding the search index" in out.getvalue()
    assert not clean_index.outdated()


def test_an_index_of_other_chains_is_outdated(transactional_db, clean_index):
    """An index whose text an earlier version of the chains analysed (other stems) is rebuilt."""
    import copy
    import os
    import shutil

    from whoosh import fields, index

    from search.whoosh.codec import PortalCodec

    assert not clean_index.outdated()
    schema = {name: copy.deepcopy(clean_index.schema[name]) for name in clean_index.schema.names()}
    for name in ("text", "title"):
        schema[name].analyzer.version -= 1
    shutil.rmtree(clean_index.path)
    os.makedirs(clean_index.path)
    index.create_in(clean_index.path, fields.Schema(**schema)).writer(codec=PortalCodec()).commit()
    clean_index.setup_complete = False
    assert "fields differ" in clean_index.outdated()


@pytest.fixture
def headlines(transactional_db, clean_index):
    with transaction.atomic():
        made = {
            "talks": make("جولة جديدة من محادثات السلام الليبية", "بدأت في جنيف جولة أخرى بين الأطراف.", language="ar"),
            # the same words, apart and more often, in a shorter text
            "apart": make("محادثات السلام الليبية: جولة جديدة", "جولة محادثات السلام جديدة. السلام في جولة جديدة.",
                          language="ar"),
            "kabul": make("جولة جديدة من المحادثات بين كابول وطالبان", "عقدت في الدوحة.", language="ar"),
            "king": make("وصول الملك سلمان إلى القاهرة", "بدأت اليوم زيارة رسمية.", language="ar"),
            "king_apart": make("القاهرة: سلمان يعلن وصول وفد الملك", "وصول الملك. سلمان والملك ووصول الوفد.", language="ar"),
            "fa": make("شورای شهر از برنامه های جدید خبر داد", "شورای شهر تهران امروز جلسه داشت."),
            "fa_apart": make("برنامه های جدید: شورای شهر خبر داد", "برنامه جدید شهر. شورای شهر برنامه جدید دارد."),
        }
    return made


def test_a_headline_typed_again_comes_before_a_title_with_its_words_apart(client, headlines):
    # a reader types some words of a headline she has seen, in their order, with a
    # stop word (من) and a typing variant (جديده): that title first, not one that only has them
    assert [h["title"] for h in api(client, "جولة جديده من محادثات الــسلام")["results"]][0] == \
        "جولة جديدة من محادثات السلام الليبية"


def test_an_arabic_headline_typed_on_a_persian_keyboard_comes_first(client, headlines):
    # ک leaves the query's language open: its Arabic reading (ملك without ال) makes the title's phrase
    assert [h["title"] for h in api(client, "وصول الملک سلمان")["results"]][0] == "وصول الملك سلمان إلى القاهرة"


def test_a_persian_headline_typed_again_comes_first(client, headlines):
    assert [h["title"] for h in api(client, "شورای شهر از برنامه")["results"]][0] == "شورای شهر از برنامه های جدید خبر داد"


def test_a_question_s_stop_words_rank_the_text_that_answers_it(client, transactional_db, clean_index):
    # "ما هو السرطان؟" (what is cancer?): the definition (السرطان هو ...) comes
    # before a text that names cancer more often but says nothing of what it is
    with transaction.atomic():
        make("السرطان", "السرطان هو مرض تنمو فيه خلايا الجسم نموا غير طبيعي وتنتشر في أعضاء أخرى.", language="ar")
        make("أبحاث السرطان", "مؤتمر السرطان: أطباء السرطان عرضوا أبحاث السرطان الجديدة.", language="ar")
    assert [h["title"] for h in api(client, "ما هو السرطان؟")["results"]][0] == "السرطان"
