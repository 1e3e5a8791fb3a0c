"""People discovered on import: names found, grouped across articles and scripts, given pages, edited."""

import datetime as dt
import json
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, article_text
from articles.text.names import continues_name, name_key, same_name_across_scripts, translit_key
from entities.models import ArticlePerson, NameMention, Person, PersonCandidate, PersonDecision

PEOPLE = "/admin/entities/person/"
NAMES = "/admin/entities/personcandidate/"

# Persian and Arabic reports naming the same people, each a little different.
LAVROV_FA = [
    "سرگئی لاوروف وزیر امور خارجه روسیه روز دوشنبه با آرارات میرزویان وزیر خارجه ارمنستان در مسکو دیدار کرد. لاوروف گفت که گفتگوها ادامه دارد.",
    "سرگئی لاوروف در گفتگوی تلفنی با آرارات میرزویان درباره مرزهای قفقاز جنوبی سخن گفت.",
    "آرارات میرزویان پس از سفر به مسکو گفت با سرگئی لاوروف درباره راه‌های ترانزیتی توافق کرده‌اند.",
]
LAVROV_AR = [
    "التقى وزير الخارجية الروسي سيرجي لافروف نظيره الأرميني آرارات ميرزويان في موسكو يوم الاثنين. وقال لافروف إن المحادثات ستستمر.",
    "بحث سيرجي لافروف هاتفيا مع آرارات ميرزويان الوضع على حدود جنوب القوقاز.",
    "قال آرارات ميرزويان بعد زيارته موسكو إنه اتفق مع سيرجي لافروف على طرق العبور.",
]
PUTIN_FA = [
    "ولادیمیر پوتین رئیس جمهور روسیه و نیکول پاشینیان نخست وزیر ارمنستان در کرملین گفتگو کردند.",
    "نیکول پاشینیان در سفر به سوچی با ولادیمیر پوتین درباره قره‌باغ گفتگو کرد.",
    "ولادیمیر پوتین در دیدار با نیکول پاشینیان از توافق آتش‌بس حمایت کرد.",
]
PUTIN_AR = [  # Arabic reports often name Pashinyan by his surname alone
    "أجرى الرئيس الروسي فلاديمير بوتين محادثات مع رئيس الوزراء الأرميني في الكرملين. وصرح باشينيان بأن الاتفاق سيوقع قريبا.",
    "التقى الرئيس فلاديمير بوتين رئيس الوزراء الأرميني في سوتشي لبحث ملف قره باغ. وقال باشينيان إن اللقاء كان مثمرا.",
    "أكد فلاديمير بوتين دعمه لاتفاق وقف إطلاق النار. وأعلن باشينيان عن زيارة قريبة إلى موسكو.",
]
COACH_AR = [
    "أعلن المدرب سيرجي لافروف أن اللاعب كريم بنزيما سيغيب عن المباراة وأن نغولو كانتي جاهز.",
    "قال المدرب سيرجي لافروف إن كريم بنزيما ونغولو كانتي وفابينيو تافاريس سيلعبون أمام الهلال.",
    "أشاد المدرب سيرجي لافروف بأداء فابينيو تافاريس وكريم بنزيما بعد الفوز.",
]
LARIJANI_FA = [
    "علی لاریجانی رئیس سابق مجلس در تهران با صادق لاریجانی دیدار کرد.",
    "صادق لاریجانی و علی لاریجانی در مراسم سالگرد حضور یافتند.",
    "علی لاریجانی در گفتگو با خبرنگاران از سخنان صادق لاریجانی حمایت کرد.",
]


def _items(texts, language, prefix, *, days_ago=1):
    published = (timezone.now() - dt.timedelta(days=days_ago)).isoformat()
    return [{"id": f"{prefix}-{n}", "title": f"گزارش {n}" if language == "fa" else f"تقرير {n}", "body": text,
             "language": language, "published": published, "source": "test"} for n, text in enumerate(texts)]


@pytest.fixture
def import_feed(transactional_db, clean_index, tmp_path):
    """Import feed items through ``import_articles`` (as a feed file), as often as asked."""
    def run(*groups, name="feed.jsonl"):
        path = tmp_path / name
        path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for group in groups for item in group), encoding="utf-8")
        call_command("import_articles", str(path), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    return run


def _person_named(spelling):
    return PersonCandidate.objects.get(key=translit_key(spelling)).person


def _state():
    """Everything discovery writes, to compare two runs."""
    return (
        sorted(NameMention.objects.values_list("article_id", "name_key", "translit_key", "positions")),
        sorted(PersonCandidate.objects.values_list("key", "spellings", "article_counts", "person_id")),
        sorted(Person.objects.values_list("pk", "slug", "name_fa", "name_ar", "gathered", "hidden")),
        sorted(ArticlePerson.objects.values_list("article_id", "person_id", "count", "origin")),
    )


def test_name_keys_strip_titles_and_meet_across_scripts():
    assert name_key("وزیر امور خارجه سرگئی لاوروف") == "سرگیی لاوروف"
    assert name_key("الرئيس فلاديمير بوتين") == "فلادیمیر بوتین"
    for persian, arabic in (("لاوروف", "لافروف"), ("پوتین", "بوتين"), ("پاشینیان", "باشينيان"), ("ولادیمیر", "فلاديمير"),
                            ("چرچیل", "تشرشل"), ("هاکان فیدان", "هاكان فيدان")):
        assert translit_key(persian) == translit_key(arabic), (persian, arabic)
    assert translit_key("علی لاریجانی") != translit_key("صادق لاریجانی")
    assert translit_key("سلطانی") != translit_key("سلطان")  # a final ی is a suffix, not a vowel
    # one key, but native names are spelled alike in both scripts: these are other names
    for persian, arabic in (("محمد رضا", "محمد رياض"), ("سعد عبود", "سعيد عبود"), ("حسین جلالی", "حسين جليلي")):
        assert translit_key(persian) == translit_key(arabic)
        assert not same_name_across_scripts(persian, arabic)
    for persian, arabic in (("سرگئی لاوروف", "سيرجي لافروف"), ("دونالد ترامپ", "دونالد ترامب"), ("دیک چنی", "ديك تشيني"),
                            ("فابیو کاپلو", "فابيو كابيلو"), ("پیتر پیوت", "بيتر بويت")):
        assert same_name_across_scripts(persian, arabic)
    # a vowel left out joins foreign names, never common words a tagger took for one ("flower", "saying")
    assert not same_name_across_scripts("عبدالله گل", "عبد الله قائلا")


def test_name_keys_drop_arabic_honorifics_also_after_and():
    assert name_key("ومعالي الوزير عادل الجبير") == name_key("عادل الجبير")
    assert name_key("صاحب السمو الملكي الأمير محمد بن سلمان") == name_key("محمد بن سلمان")
    assert name_key("سماحة المفتي الشيخ أحمد الخليلي") == name_key("أحمد الخليلي")
    for honorific in ("معاليه", "وسموه", "سماحته", "فخامة الرئيس", "ومستشار"):
        assert name_key(honorific) == "", honorific
    assert name_key("وليد المعلم") == "ولید المعلم"  # a name that begins with و keeps it


def test_name_keys_join_compound_names_and_drop_blessings():
    # عبد العزیز and عبدالعزیز, ابو بکر and ابوبکر are one name written apart or joined
    assert name_key("الملك سلمان بن عبد العزيز") == name_key("ملک سلمان بن عبدالعزیز") == "سلمان بن عبدالعزیز"
    assert translit_key("أبو بكر البغدادي") == translit_key("ابوبکر بغدادی")
    assert name_key("عبد الله") == "عبدالله"  # the الله of a name is not آیت‌الله's
    # the blessing after an imam's name is not part of it
    assert name_key("امام حسین (ع)") == "حسین" and name_key("علي (ع)") == "علی"
    assert name_key("آیت‌الله خمینی (ره)") == "خمینی"
    # nor the Arabic blessings after a name, nor a "son of" the tagger stopped at
    assert name_key("محمد صلى") == name_key("محمد")
    for blessing in ("تعالى", "يرحمه", "حفظهم"):
        assert name_key(blessing) == "", blessing
    assert name_key("عبدالله بن") == name_key("عبدالله")
    assert name_key("محمد بن سلمان") == "محمد بن سلمان" and name_key("بن قردان") == "بن قردان"


MACRON_AR = [
    "استقبل الرئيس الفرنسي إيمانويل ماكرون وزير الخارجية الأرميني آرارات ميرزويان في باريس.",
    "قال إيمانويل ماكرون إن فرنسا تدعم الحوار بين أرمينيا وأذربيجان.",
    "أكد إيمانويل ماكرون في اتصال مع آرارات ميرزويان دعم السلام في جنوب القوقاز.",
]


def test_a_name_only_arabic_reports_give_is_headed_in_persian_letters(import_feed, client):
    import_feed(_items(MACRON_AR, "ar", "mac"))
    macron = _person_named("إيمانويل ماكرون")
    assert macron.name_ar == "إيمانويل ماكرون"
    assert macron.name_fa == "ایمانویل ماکرون"  # no hamza seat, Persian yeh and kaf
    page = client.get(macron.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "ایمانویل ماکرون" in page


def test_spellings_in_both_scripts_are_one_person(import_feed):
    import_feed(_items(LAVROV_FA, "fa", "lf"), _items(LAVROV_AR, "ar", "la"), _items(PUTIN_FA, "fa", "pf"), _items(PUTIN_AR, "ar", "pa"))
    for persian, arabic in (("سرگئی لاوروف", "سيرجي لافروف"), ("ولادیمیر پوتین", "فلاديمير بوتين")):
        candidate = PersonCandidate.objects.get(key=translit_key(persian))
        assert persian in candidate.spellings["fa"] and arabic in candidate.spellings["ar"], candidate.spellings
        assert candidate.article_counts == {"ar": 3, "fa": 3}
        assert candidate.person.gathered and candidate.person.articles.count() == 6
    # "باشينيان" alone in Arabic is the one "نیکول پاشینیان" of the Persian reports
    pashinyan = _person_named("نیکول پاشینیان")
    assert _person_named("باشينيان") == pashinyan and pashinyan.articles.count() == 6
    assert pashinyan.name_ar == "باشينيان"
    # the surname alone ("لاوروف", "لافروف") is the same person as the full name
    lavrov = _person_named("سرگئی لاوروف")
    assert not PersonCandidate.objects.filter(key=translit_key("لاوروف")).exclude(person=lavrov).exists()
    assert Person.objects.filter(gathered=True).count() == 4  # Lavrov, Mirzoyan, Putin, Pashinyan


def test_two_people_with_one_surname_are_two(import_feed):
    import_feed(_items(LARIJANI_FA, "fa", "lr"), _items(["لاریجانی در پایان جلسه به خبرنگاران پاسخ داد."], "fa", "alone"))
    ali, sadegh = _person_named("علی لاریجانی"), _person_named("صادق لاریجانی")
    assert ali and sadegh and ali != sadegh
    assert (ali.name_fa, sadegh.name_fa) == ("علی لاریجانی", "صادق لاریجانی")
    alone = PersonCandidate.objects.filter(key=translit_key("لاریجانی")).first()
    assert alone is None or alone.person is None  # the surname alone is neither of them


SALMAN_FULL_AR = [
    "استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود وزير الخارجية الأرميني في الرياض.",
    "بعث الملك سلمان بن عبدالعزيز آل سعود برقية تهنئة إلى رئيس أذربيجان.",
    "أصدر الملك سلمان بن عبدالعزيز آل سعود أمرا ملكيا بتعيين سفير جديد في باكو.",
]
SALMAN_SHORT_AR = [
    "التقى الملك سلمان بن عبد العزيز رئيس وزراء جورجيا في جدة.",
    "وجه الملك سلمان بن عبد العزيز بإرسال مساعدات إلى المتضررين من الزلزال.",
    "أكد الملك سلمان بن عبد العزيز دعم المملكة للحوار بين أرمينيا وأذربيجان.",
]


def test_a_name_written_short_is_the_person_of_its_full_form(import_feed):
    assert continues_name("سلمان بن عبدالعزیز", "سلمان بن عبدالعزیز ال سعود")
    assert not continues_name("محمد علی", "محمد علی کلای")
    import_feed(_items(SALMAN_FULL_AR, "ar", "full"), _items(SALMAN_SHORT_AR, "ar", "short"))
    salman = _person_named("سلمان بن عبدالعزيز آل سعود")
    assert _person_named("سلمان بن عبد العزيز") == salman and salman.articles.count() == 6
    assert Person.objects.filter(gathered=True).count() == 1


def test_a_surname_alone_never_joins_across_scripts(import_feed):
    # Persian and Arabic reports naming "بارزانی" alone beside the same minister: a surname
    # names a family (Masoud or Nechirvan), so the two sides stay apart
    persian = ["آقای بارزانی پس از دیدار با سرگئی لاوروف به خبرنگاران گفت که گفتگوها ادامه دارد.",
               "آقای بارزانی پس از گفتگو با سرگئی لاوروف به خبرنگاران گفت که توافق نزدیک است.",
               "آقای بارزانی پس از نشست با سرگئی لاوروف به خبرنگاران گفت که نفت موضوع اصلی بود."]
    arabic = ["التقى بارزاني وزير الخارجية الروسي سيرجي لافروف في أربيل.",
              "قال بارزاني بعد لقائه سيرجي لافروف إن الحوار مستمر.", "بحث بارزاني مع سيرجي لافروف ملف النفط."]
    import_feed(_items(persian, "fa", "bf"), _items(arabic, "ar", "ba"))
    sides = {tuple(c.article_counts) for c in PersonCandidate.objects.filter(key__startswith=translit_key("بارزانی"))}
    assert ("fa",) in sides and ("ar",) in sides and ("ar", "fa") not in sides, sides
    lavrov = _person_named("سرگئی لاوروف")
    assert lavrov.articles.count() == 6  # the full name still joins across scripts


def test_a_surname_two_people_share_gets_no_page_of_its_own(import_feed):
    alone = ["لاریجانی در پایان جلسه به خبرنگاران پاسخ داد.", "لاریجانی در مجلس سخنرانی کرد.",
             "لاریجانی به قم سفر کرد.", "لاریجانی گفت نشست فردا برگزار می‌شود."]
    import_feed(_items(LARIJANI_FA, "fa", "lr"), _items(alone, "fa", "alone"))
    candidate = PersonCandidate.objects.get(key=translit_key("لاریجانی"))
    assert candidate.article_count == 4 and candidate.person is None
    assert Person.objects.filter(gathered=True).count() == 2  # علی and صادق لاریجانی only


def test_a_first_name_alone_gets_no_page(import_feed):
    texts = ["آقای حسن در جلسه گفت که کار ادامه دارد.", "آقای حسن در تهران گفت که کار ادامه دارد.",
             "آقای حسن در مشهد گفت که کار ادامه دارد.", "حسن روحانی به مشهد رفت."]
    import_feed(_items(texts, "fa", "ali"))
    alone = PersonCandidate.objects.get(key=translit_key("حسن"))
    assert alone.article_count == 3 and alone.person is None


def test_same_key_in_other_company_stays_apart(import_feed):
    # An Arabic "سيرجي لافروف", a football coach named beside players the Persian
    # reports never name: the key alone does not make him the minister.
    import_feed(_items(LAVROV_FA, "fa", "lf"), _items(COACH_AR, "ar", "coach"))
    persian = PersonCandidate.objects.get(key=translit_key("سرگئی لاوروف"))
    arabic = PersonCandidate.objects.get(key=translit_key("سيرجي لافروف") + "@ar")
    assert persian.person != arabic.person and "ar" not in persian.spellings


def test_sides_that_come_to_share_context_become_one_page(import_feed, client):
    import_feed(_items(LAVROV_FA, "fa", "lf"), _items(COACH_AR, "ar", "coach"))
    arabic = PersonCandidate.objects.get(key=translit_key("سيرجي لافروف") + "@ar").person
    assert arabic.articles.count() == 3
    import_feed(_items(LAVROV_FA, "fa", "lf"), _items(COACH_AR, "ar", "coach"), _items(LAVROV_AR[:1], "ar", "la"))
    persian = PersonCandidate.objects.get(key=translit_key("سرگئی لاوروف"))
    assert persian.article_counts == {"ar": 4, "fa": 3} and persian.person.articles.count() == 7
    assert not ArticlePerson.objects.filter(person=arabic).exists()  # the Arabic side's page is empty now
    assert client.get(arabic.get_absolute_url()).status_code == 404
    assert arabic.get_absolute_url() not in client.get("/people/").content.decode()


def test_a_page_appears_at_n_articles_and_not_below(import_feed, client, settings):
    settings.PEOPLE_MIN_ARTICLES = 3
    import_feed(_items(LARIJANI_FA[:2], "fa", "lr"))
    assert not Person.objects.exists()
    assert "لاریجانی" not in client.get("/people/").content.decode()
    import_feed(_items(LARIJANI_FA, "fa", "lr"))
    ali = _person_named("علی لاریجانی")
    html = client.get(ali.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Gathered automatically" in html and "علی لاریجانی" in html
    assert ali.articles.count() == 3 and all(a.get_absolute_url() in html for a in ali.articles.all())
    assert "Persian: 3 articles" in html
    assert "صادق لاریجانی" in html  # named with
    assert client.get(f"{ali.get_absolute_url()}timeline.png").status_code == 200


def test_known_people_absorb_their_spellings(import_feed):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    import_feed(_items(LAVROV_AR, "ar", "la"))
    lavrov = Person.objects.get(slug="sergey-lavrov")
    assert PersonCandidate.objects.get(key=translit_key("سيرجي لافروف")).person == lavrov
    assert not Person.objects.filter(gathered=True, name_ar__contains="لافروف").exists()
    assert lavrov.articles.count() == 3


def test_people_index_ranks_the_most_named(import_feed, client):
    import_feed(_items(LARIJANI_FA, "fa", "lr", days_ago=100), _items(PUTIN_FA, "fa", "pf"), _items(PUTIN_AR, "ar", "pa"))
    putin, ali = _person_named("ولادیمیر پوتین"), _person_named("علی لاریجانی")
    html = client.get("/people/", {"period": "all"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.index(putin.get_absolute_url()) < html.index(ali.get_absolute_url())
    putin_item = html[html.index(putin.get_absolute_url()):]
    assert putin_item[:putin_item.index("</li>")].count("6 articles") == 1
    recent = client.get("/people/", {"period": "30"}).content.decode()
    assert putin.get_absolute_url() in recent and ali.get_absolute_url() not in recent
    arabic = client.get("/people/", {"period": "all", "language": "ar"}).content.decode()
    assert putin.get_absolute_url() in arabic and ali.get_absolute_url() not in arabic


def test_searching_a_discovered_name_in_either_script_shows_its_card(import_feed, client):
    import_feed(_items(PUTIN_FA, "fa", "pf"), _items(PUTIN_AR, "ar", "pa"))
    pashinyan = _person_named("نیکول پاشینیان")
    for query in ("پاشینیان", "باشينيان", "نیکول پاشینیان"):
        html = client.get("/search/", {"q": query}).content.decode()
        card = html[html.index('class="entity-card"'):]
        assert pashinyan.get_absolute_url() in card
        assert sum(a.get_absolute_url() in card for a in pashinyan.articles.all()) >= 2


def test_a_surname_typed_alone_is_the_person_the_news_means_by_it(import_feed, client):
    # Putin is named in full in every report; a reader types his surname alone, in either script
    import_feed(_items(PUTIN_FA, "fa", "pf"), _items(PUTIN_AR, "ar", "pa"))
    putin = _person_named("ولادیمیر پوتین")
    arabic = Article.objects.filter(language="ar").values_list("pk", flat=True)
    for query in ("پوتین", "بوتين"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert putin.get_absolute_url() in html[html.index('class="entity-card"'):]
        found = {hit["id"] for hit in client.get("/api/search/", {"q": query}).json()["results"]}
        assert set(arabic) <= found  # the Arabic reports too, whatever the script typed


def test_a_surname_two_people_carry_alike_is_neither_when_typed_alone(import_feed, client):
    import_feed(_items(LARIJANI_FA, "fa", "lr"))
    html = client.get("/search/", {"q": "لاریجانی"}).content.decode()
    assert 'class="entity-card"' not in html  # علی and صادق لاریجانی are named as often


def test_a_gathered_person_has_no_english_name_until_an_editor_writes_one(import_feed, client):
    import_feed(_items(PUTIN_FA, "fa", "pf"), _items(PUTIN_AR, "ar", "pa"))
    putin = _person_named("ولادیمیر پوتین")

    def names_on_page():
        page = client.get(putin.get_absolute_url()).content.decode()
        start = page.index('class="entity-names"')
        return page[start:page.index("</dl>", start)]

    assert 'lang="en"' not in names_on_page()  # not the Persian spelling under "English"
    assert '<bdi lang="en" dir="ltr">ولادیمیر' not in client.get("/people/").content.decode()
    putin.name_en = "Vladimir Putin"
    putin.save()
    assert '<bdi lang="en" dir="ltr">Vladimir Putin</bdi>' in names_on_page()
    assert '<bdi lang="en" dir="ltr">Vladimir Putin</bdi>' in client.get("/people/").content.decode()


def test_reimport_and_relink_change_nothing(import_feed):
    import_feed(_items(LAVROV_FA, "fa", "lf"), _items(LAVROV_AR, "ar", "la"), _items(LARIJANI_FA, "fa", "lr"))
    before = _state()
    import_feed(_items(LAVROV_FA, "fa", "lf"), _items(LAVROV_AR, "ar", "la"), _items(LARIJANI_FA, "fa", "lr"))
    assert _state() == before
    call_command("relink_people", stdout=open(os.devnull, "w"))
    assert _state() == before


@pytest.fixture
def desk(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)
    return client


def test_editor_decisions_survive_a_reimport_and_relinking(import_feed, desk, client):
    feeds = (_items(LAVROV_FA, "fa", "lf"), _items(LARIJANI_FA, "fa", "lr"), _items(PUTIN_FA, "fa", "pf"))
    import_feed(*feeds)
    ali, sadegh = _person_named("علی لاریجانی"), _person_named("صادق لاریجانی")
    putin, lavrov = _person_named("ولادیمیر پوتین"), _person_named("سرگئی لاوروف")
    # merge the two Larijanis (an editor's mistake to undo later is theirs: here it is the decision)
    merged = [PersonCandidate.objects.get(key=translit_key(n)).pk for n in ("علی لاریجانی", "صادق لاریجانی")]
    assert desk.post(NAMES, {"action": "merge", "_selected_action": merged}).status_code == 302
    # hide Putin's gathered page, rename Lavrov's
    assert desk.post(PEOPLE, {"action": "hide", "_selected_action": [putin.pk]}).status_code == 302
    form = {"slug": lavrov.slug, "name_fa": "سرگئی لاوروف", "name_ar": "سيرغي لافروف", "name_en": "Sergey Lavrov",
            "role_fa": "", "role_ar": "", "role_en": "", "wikidata_id": "", "gathered": "on",
            "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000"}
    assert desk.post(f"{PEOPLE}{lavrov.pk}/change/", form).status_code == 302

    def check():
        ali_candidate = PersonCandidate.objects.get(key=translit_key("علی لاریجانی"))
        sadegh_candidate = PersonCandidate.objects.get(key=translit_key("صادق لاریجانی"))
        assert ali_candidate.person == sadegh_candidate.person
        larijani = ali_candidate.person
        assert set(larijani.articles.values_list("external_id", flat=True)) == {"lr-0", "lr-1", "lr-2"}
        assert Person.objects.get(pk=putin.pk).hidden
        assert client.get(putin.get_absolute_url()).status_code == 404
        assert client.get(f"{putin.get_absolute_url()}feed/").status_code == 404
        assert putin.get_absolute_url() not in client.get("/people/").content.decode()
        assert Person.objects.get(pk=lavrov.pk).name_en == "Sergey Lavrov"
        assert Person.objects.get(pk=lavrov.pk).name_ar == "سيرغي لافروف"

    check()
    assert PersonDecision.objects.filter(action="merge").count() == 2
    import_feed(*feeds)
    check()
    Article.objects.filter(external_id="lf-0").update(body=LAVROV_FA[0] + " لاوروف افزود که دیدار بعدی در ایروان خواهد بود.")
    call_command("relink_people", stdout=open(os.devnull, "w"))
    check()
    assert sadegh.pk != ali.pk


def test_split_separates_spellings(import_feed, desk):
    # Someone else's name sharing the key: an editor splits it off and it stays off.
    import_feed(_items(LAVROV_FA, "fa", "lf"), _items(LAVROV_AR, "ar", "la"))
    candidate = PersonCandidate.objects.get(key=translit_key("سرگئی لاوروف"))
    assert set(candidate.spellings) == {"fa", "ar"}
    assert desk.post(NAMES, {"action": "split", "_selected_action": [candidate.pk]}).status_code == 302
    candidate.refresh_from_db()
    assert list(candidate.spellings) == ["fa"]
    apart = PersonCandidate.objects.get(key="=" + name_key("سيرجي لافروف"))
    assert apart.article_count == 3
    import_feed(_items(LAVROV_FA, "fa", "lf"), _items(LAVROV_AR, "ar", "la"))
    candidate.refresh_from_db()
    assert list(candidate.spellings) == ["fa"]


@pytest.mark.browser
def test_gathered_person_page_in_the_browser(import_feed, live_server, page, screenshot_dir):
    import_feed(_items(PUTIN_FA, "fa", "pf"), _items(PUTIN_AR, "ar", "pa"))
    putin = _person_named("ولادیمیر پوتین")
    page.goto(live_server.url + putin.get_absolute_url())
    assert page.locator(".gathered-note").is_visible()
    assert page.locator(".spellings").inner_text().count("بوتين") == 1
    page.screenshot(path=str(screenshot_dir / "person-gathered.png"), full_page=True)
    page.goto(live_server.url + "/people/?period=all")
    assert page.locator(".entity-list li").first.inner_text().count("۶") >= 1
    page.screenshot(path=str(screenshot_dir / "people-most-named.png"), full_page=True)


def test_names_the_key_confuses_within_a_script_are_different_people(import_feed):
    # سعيد and الساعد share a transliteration key (it leaves out long vowels and the
    # article), but an Arabic writer spelling them differently means two people
    saeed = ["قال الوزير محمد سعيد إن الحكومة ستعلن الميزانية الأسبوع المقبل.",
             "أكد الوزير محمد سعيد أن المفاوضات مع صندوق النقد مستمرة.",
             "التقى الوزير محمد سعيد سفير اليابان في القاهرة."]
    saed = ["قال المدرب محمد الساعد إن فريقه جاهز للمباراة.",
            "أعلن المدرب محمد الساعد تشكيلة الفريق أمام الهلال.",
            "أشاد المدرب محمد الساعد بأداء اللاعبين بعد الفوز."]
    import_feed(_items(saeed, "ar", "saeed"), _items(saed, "ar", "saed"))
    minister, coach = _person_named("محمد سعيد"), PersonCandidate.objects.get(key="=محمد الساعد@ar").person
    assert minister and coach and minister != coach
    assert (minister.name_ar, coach.name_ar) == ("محمد سعيد", "محمد الساعد")
    assert minister.articles.count() == 3 and coach.articles.count() == 3
    before = _state()
    import_feed(_items(saeed, "ar", "saeed"), _items(saed, "ar", "saed"))
    assert _state() == before


def test_a_name_many_people_carry_needs_company_to_join_across_scripts(import_feed):
    # عباس is another person's first name here: "محمد عباس" of Persian and of Arabic
    # reports, with nobody named beside him on both sides, may be two men
    persian = ["محمد عباس مدیر کارخانه در اصفهان گفت تولید افزایش یافته است.",
               "محمد عباس مدیر کارخانه از صادرات جدید خبر داد.",
               "محمد عباس مدیر کارخانه گفت کارگران پاداش می‌گیرند.",
               "عباس عراقچی معاون وزیر خارجه به مسکو سفر کرد."]
    arabic = ["قال اللاعب محمد عباس إن فريقه سيفوز بالبطولة.",
              "سجل اللاعب محمد عباس هدفين في مرمى الاتحاد.",
              "غاب اللاعب محمد عباس عن التدريبات بسبب الإصابة."]
    import_feed(_items(persian, "fa", "abf"), _items(arabic, "ar", "aba"))
    sides = {tuple(c.article_counts) for c in PersonCandidate.objects.filter(key__startswith=translit_key("محمد عباس"))}
    assert ("fa",) in sides and ("ar",) in sides, sides


def test_names_kept_apart_in_each_script_do_not_meet_across_scripts(import_feed):
    # "سعيد حامد" is the rarer name of its key beside "سعيد حمد" in Arabic reports and beside
    # "سعید حمید" in Persian ones: set apart in each script, the two are not joined to each other
    persian = ["سعید حمید مدیر بانک مرکزی در تهران گفت نرخ سود ثابت می‌ماند.",
               "سعید حمید مدیر بانک مرکزی از کاهش تورم خبر داد.",
               "سعید حامد نقاش اصفهانی نمایشگاه تازه‌ای برپا کرد."]
    arabic = ["قال سعيد حمد رئيس النادي إن الفريق سيلعب في الدوري.",
              "أعلن سعيد حمد رئيس النادي عن مدرب جديد.",
              "أكد الطبيب سعيد حامد أن المستشفى جاهز."]
    import_feed(_items(persian, "fa", "hf"), _items(arabic, "ar", "ha"))
    apart = PersonCandidate.objects.filter(key__startswith="=")
    assert apart.exists(), list(PersonCandidate.objects.values_list("key", "spellings"))
    assert all(len(c.article_counts) == 1 for c in apart), list(apart.values_list("key", "article_counts"))



def test_without_company_only_a_name_spelled_apart_joins_across_scripts(import_feed):
    # an Arabic name spelled alike in both scripts may be two men (a factory manager and a footballer);
    # a foreign name each script transliterates its own way is one
    persian = ["محمد مرزبان مدیر کارخانه در اصفهان گفت تولید افزایش یافته است.",
               "محمد مرزبان مدیر کارخانه از صادرات جدید خبر داد.",
               "ویکتور اوربان نخست وزیر مجارستان در بوداپست سخنرانی کرد.",
               "ویکتور اوربان نخست وزیر مجارستان به وین سفر کرد."]
    arabic = ["قال اللاعب محمد مرزبان إن فريقه سيفوز بالبطولة.",
              "سجل اللاعب محمد مرزبان هدفين في مرمى الاتحاد.",
              "قال رئيس الوزراء المجري فيكتور أوربان إن بلاده ترفض الحصص.",
              "التقى فيكتور أوربان رئيس الوزراء المجري نظيره النمساوي."]
    import_feed(_items(persian, "fa", "df"), _items(arabic, "ar", "da"))
    sides = {tuple(c.article_counts) for c in PersonCandidate.objects.filter(key__startswith=translit_key("محمد مرزبان"))}
    assert sides == {("fa",), ("ar",)}, sides
    assert PersonCandidate.objects.get(key=translit_key("ویکتور اوربان")).article_counts == {"ar": 2, "fa": 2}


def test_a_name_shortened_at_the_front_in_one_report_is_its_full_name(import_feed):
    reports = ["قال الرئيس اليمني عبد ربه منصور هادي إن الحكومة ستعود إلى عدن. وأضاف منصور هادي أن الحوار مستمر.",
               "التقى الرئيس عبد ربه منصور هادي السفير الأمريكي. وأكد منصور هادي دعم المبادرة الخليجية.",
               "وصل الرئيس عبد ربه منصور هادي إلى الرياض. وبحث منصور هادي مع المسؤولين الوضع في اليمن."]
    import_feed(_items(reports, "ar", "hadi"))
    hadi = _person_named("عبد ربه منصور هادي")
    assert hadi.articles.count() == 3
    assert not PersonCandidate.objects.filter(key__startswith=translit_key("منصور هادي"), article_count__gt=0).exists()


ORBAN_FA = ["ویکتور اوربان نخست وزیر مجارستان در بوداپست سخنرانی کرد.",
            "ویکتور اوربان نخست وزیر مجارستان به وین سفر کرد.",
            "ویکتور اوربان نخست وزیر مجارستان گفت کشورش از مرزهایش دفاع می‌کند."]
ORBAN_AR = ["قال رئيس الوزراء المجري فيكتور أوربان إن بلاده ترفض الحصص.",
            "التقى فيكتور أوربان رئيس الوزراء المجري نظيره النمساوي.",
            "أكد فيكتور أوربان رئيس الوزراء المجري أن بلاده ستحمي حدودها."]
# beside the Egyptian footballer مصطفى محمد
ORBAN_WITH_FOOTBALLER_AR = ["قال فيكتور أوربان إن اللاعب مصطفى محمد مرحب به في المجر.",
                            "أشاد فيكتور أوربان باللاعب مصطفى محمد بعد المباراة.",
                            "التقى فيكتور أوربان اللاعب مصطفى محمد في بودابست."]


def _orban_sides():
    return {tuple(c.article_counts) for c in PersonCandidate.objects.filter(key__startswith=translit_key("ویکتور اوربان"), article_count__gt=0)}


def test_the_page_two_sides_made_is_no_company_of_theirs(import_feed):
    # Nobody beside him on either side: the two spellings of a foreign name join and get one page,
    # which every article of both sides is then linked to
    import_feed(_items(ORBAN_FA, "fa", "of"), _items(ORBAN_AR, "ar", "oa"))
    assert _orban_sides() == {("ar", "fa")}
    orban = _person_named("ویکتور اوربان")
    assert orban.articles.count() == 6
    # Later reports name him beside other people on each side, nobody in common: that page
    # of theirs, named in the articles of both, does not keep the two together
    persian = ["ویکتور اوربان نخست وزیر مجارستان با محمد جواد ظریف وزیر امور خارجه ایران دیدار کرد.",
               "ویکتور اوربان نخست وزیر مجارستان در بوداپست با محمد جواد ظریف وزیر امور خارجه ایران گفتگو کرد.",
               "ویکتور اوربان نخست وزیر مجارستان در وین با محمد جواد ظریف وزیر امور خارجه ایران دیدار کرد."]
    import_feed(_items(persian, "fa", "zf"), _items(ORBAN_WITH_FOOTBALLER_AR, "ar", "ma"))
    assert _orban_sides() == {("fa",), ("ar",)}
    arabic_side = PersonCandidate.objects.get(key=translit_key("فيكتور أوربان") + "@ar")
    assert _person_named("ویکتور اوربان") == orban and arabic_side.person != orban
    assert set(orban.articles.values_list("language", flat=True)) == {"fa"}


def test_a_piece_of_a_name_too_short_for_a_key_is_no_company(import_feed):
    # "حمید رضا" beside him in Persian reports, the businessman "أحمد رضا" in Arabic ones: both
    # end in رضا, whose key (two letters) names nobody, so the sides share nobody
    persian = ["ویکتور اوربان نخست وزیر مجارستان با حمید رضا معاون وزیر خارجه دیدار کرد.",
               "ویکتور اوربان نخست وزیر مجارستان در بوداپست با حمید رضا معاون وزیر خارجه گفتگو کرد.",
               "ویکتور اوربان نخست وزیر مجارستان در وین با حمید رضا معاون وزیر خارجه دیدار کرد."]
    arabic = ["التقى فيكتور أوربان رجل الأعمال أحمد رضا في بودابست.",
              "قال فيكتور أوربان بعد لقائه رجل الأعمال أحمد رضا إن الاستثمار سيزيد.",
              "التقى فيكتور أوربان رجل الأعمال أحمد رضا في فيينا."]
    assert len(translit_key("رضا")) < 3 and translit_key("حمید رضا").endswith(" " + translit_key("أحمد رضا").split()[-1])
    import_feed(_items(persian, "fa", "rf"), _items(arabic, "ar", "ra"))
    assert _orban_sides() == {("fa",), ("ar",)}


def test_a_first_name_alone_is_no_company(import_feed):
    # Persian reports name him beside the Afghan minister "دوست محمد", Arabic ones beside the
    # footballer "مصطفى محمد": both end in محمد, the first word of other names (محمد جواد ظریف),
    # which long lists of names share by chance; it does not make the two sides one man
    persian = ["محمد جواد ظریف وزیر امور خارجه ایران به بوداپست سفر کرد.",
               "ویکتور اوربان نخست وزیر مجارستان در بوداپست با دوست محمد وزیر خارجه افغانستان دیدار کرد.",
               "ویکتور اوربان نخست وزیر مجارستان با دوست محمد وزیر خارجه افغانستان درباره مهاجران گفتگو کرد.",
               "ویکتور اوربان نخست وزیر مجارستان در وین با دوست محمد وزیر خارجه افغانستان گفتگو کرد."]
    import_feed(_items(persian, "fa", "df"), _items(ORBAN_WITH_FOOTBALLER_AR, "ar", "ma"))
    assert _orban_sides() == {("fa",), ("ar",)}
    # the same reports with a surname in common (not a first name) are one man's
    import_feed(_items(persian, "fa", "df"), _items(ORBAN_WITH_FOOTBALLER_AR, "ar", "ma"),
                _items(["التقى فيكتور أوربان وزير الخارجية الأفغاني دوست محمد في بودابست."], "ar", "da"))
    assert _orban_sides() == {("ar", "fa")}


def test_the_reports_before_a_page_appears_are_linked_to_it(import_feed, client, settings):
    # the third report, imported alone, makes the page; the two before it get their links from
    # the spans stored when they were read
    settings.PEOPLE_MIN_ARTICLES = 3
    import_feed(_items(LARIJANI_FA[:2], "fa", "before"))
    assert not Person.objects.exists()
    import_feed(_items(LARIJANI_FA[2:], "fa", "after"), name="later.jsonl")
    ali = _person_named("علی لاریجانی")
    assert set(ali.articles.values_list("external_id", flat=True)) == {"before-0", "before-1", "after-0"}
    for link in ArticlePerson.objects.filter(person=ali, article__external_id__startswith="before-"):
        text = article_text(link.article)
        assert [text[a:b] for a, b in link.positions] == ["علی لاریجانی"]  # the stored spans of his name
    page = client.get(ali.get_absolute_url()).content.decode()
    assert all(url in page for url in _article_urls("before"))


SAEED_AR = ["قال الوزير محمد سعيد إن الحكومة ستعلن الميزانية الأسبوع المقبل.",
            "أكد الوزير محمد سعيد أن المفاوضات مع صندوق النقد مستمرة.",
            "التقى الوزير محمد سعيد سفير اليابان في القاهرة."]
SAED_AR = ["قال المدرب محمد الساعد إن فريقه جاهز للمباراة.",
           "أعلن المدرب محمد الساعد تشكيلة الفريق أمام الهلال.",
           "أشاد المدرب محمد الساعد بأداء اللاعبين بعد الفوز.",
           "انتقد المدرب محمد الساعد التحكيم بعد التعادل."]


def _article_urls(prefix):
    return {a.get_absolute_url() for a in Article.objects.filter(external_id__startswith=prefix + "-")}


def test_a_name_set_apart_later_takes_its_articles_off_the_page_it_left(import_feed, client):
    # The minister's three reports make a page; four later reports name the coach "محمد الساعد",
    # whose name shares the key and is now the commoner: the minister's name is set apart in a
    # group of its own, and his reports leave the page the key's group keeps
    import_feed(_items(SAEED_AR, "ar", "saeed"))
    first = _person_named("محمد سعيد")
    assert first.articles.count() == 3
    import_feed(_items(SAED_AR, "ar", "saed"))
    assert _person_named("محمد الساعد") == first
    minister = PersonCandidate.objects.get(key="=" + name_key("محمد سعيد") + "@ar").person
    assert minister and minister != first
    page = client.get(first.get_absolute_url()).content.decode()
    assert all(url in page for url in _article_urls("saed"))
    assert not any(url in page for url in _article_urls("saeed"))
    assert set(first.articles.values_list("external_id", flat=True)) == {f"saed-{n}" for n in range(4)}
    for article in Article.objects.filter(external_id__startswith="saeed-"):
        assert set(article.people.values_list("pk", flat=True)) == {minister.pk}
    assert ArticlePerson.objects.filter(person=minister).count() == 3


def test_a_side_that_parts_below_a_page_takes_its_articles_off_the_page(import_feed, client):
    # Two Arabic reports and three Persian ones of Orbán, nobody named beside him in the Persian
    # ones: one page for both sides.  Later Persian reports name Zarif beside him, the Arabic
    # ones the footballer: the sides part, and the Arabic side, in two reports, gets no page
    arabic = ORBAN_AR[:1] + ORBAN_WITH_FOOTBALLER_AR[:1]
    import_feed(_items(ORBAN_FA, "fa", "of"), _items(arabic, "ar", "oa"))
    assert _orban_sides() == {("ar", "fa")}
    orban = _person_named("ویکتور اوربان")
    assert orban.articles.count() == 5
    zarif = ["ویکتور اوربان نخست وزیر مجارستان با محمد جواد ظریف وزیر امور خارجه ایران دیدار کرد.",
             "ویکتور اوربان نخست وزیر مجارستان در بوداپست با محمد جواد ظریف وزیر امور خارجه ایران گفتگو کرد."]
    import_feed(_items(zarif, "fa", "zf"))
    assert _orban_sides() == {("fa",), ("ar",)}
    arabic_side = PersonCandidate.objects.get(key=translit_key("فيكتور أوربان") + "@ar")
    assert arabic_side.article_count == 2 and arabic_side.person is None
    page = client.get(orban.get_absolute_url()).content.decode()
    assert all(url in page for url in _article_urls("of") | _article_urls("zf"))
    assert not any(url in page for url in _article_urls("oa"))
    assert not ArticlePerson.objects.filter(article__external_id__startswith="oa-", person=orban).exists()


def test_a_name_two_longer_names_end_is_neither(import_feed):
    # علي عبد الله صالح, Yemen's president, and his son أحمد علي عبد الله صالح (an Arabic name
    # without بن: the son's name before his father's), named beside the same people: a name
    # ending a longer one is not that one's across reports, nor is "عبد الله صالح" alone either
    father = ["قال الرئيس علي عبد الله صالح إن الحوار مع خالد بحاح مستمر.",
              "التقى علي عبد الله صالح وفدا من صنعاء بحضور خالد بحاح.",
              "أكد علي عبد الله صالح أن خالد بحاح سيزور صنعاء."]
    son = ["قال السفير أحمد علي عبد الله صالح إن خالد بحاح مرحب به في أبوظبي.",
           "التقى أحمد علي عبد الله صالح خالد بحاح في أبوظبي.",
           "أكد أحمد علي عبد الله صالح دعمه لخالد بحاح."]
    alone = ["قال عبد الله صالح إن خالد بحاح لم يتصل به.", "اتهم عبد الله صالح خالد بحاح بالتقصير.",
             "رفض عبد الله صالح لقاء خالد بحاح."]
    import_feed(_items(father, "ar", "father"), _items(son, "ar", "son"), _items(alone, "ar", "alone"))
    father_page, son_page = _person_named("علي عبد الله صالح"), _person_named("أحمد علي عبد الله صالح")
    assert father_page and son_page and father_page != son_page
    assert _person_named("عبد الله صالح") not in (father_page, son_page)


def test_a_name_after_a_first_name_that_begins_it_may_be_a_compound_first_name(import_feed):
    # محمد علی جعفری, the Guards' commander, and علی جعفری, a football coach, both named beside
    # حسن روحانی: محمد and علی begin other names (محمد جواد ظریف, علی لاریجانی), so "محمد علی"
    # may be one first name, and the two are not joined
    commander = ["محمد علی جعفری فرمانده سپاه با حسن روحانی دیدار کرد.",
                 "محمد علی جعفری در نشست با حسن روحانی و محمد جواد ظریف شرکت کرد.",
                 "محمد علی جعفری گفت حسن روحانی از سپاه حمایت می‌کند."]
    coach = ["علی جعفری سرمربی تیم فوتبال از حسن روحانی جایزه گرفت.",
             "علی جعفری سرمربی تیم پس از دیدار با حسن روحانی به اردو رفت.",
             "علی جعفری سرمربی تیم گفت حسن روحانی و علی لاریجانی به ورزشگاه آمدند."]
    import_feed(_items(commander, "fa", "cmd"), _items(coach, "fa", "coach"))
    commander_page, coach_page = _person_named("محمد علی جعفری"), _person_named("علی جعفری")
    assert commander_page and coach_page and commander_page != coach_page
    assert set(coach_page.articles.values_list("external_id", flat=True)) == {f"coach-{n}" for n in range(3)}


def test_sides_that_meet_move_the_articles_of_the_page_left_empty(import_feed, client):
    # Only the new report is imported: the Arabic side's three earlier reports are not linked
    # again by their import, yet they leave the page their side had for the person of both
    import_feed(_items(LAVROV_FA, "fa", "lf"), _items(COACH_AR, "ar", "coach"))
    arabic = PersonCandidate.objects.get(key=translit_key("سيرجي لافروف") + "@ar").person
    import_feed(_items(LAVROV_AR[:1], "ar", "la"), name="later.jsonl")
    both = _person_named("سرگئی لاوروف")
    assert both != arabic and PersonCandidate.objects.get(key=translit_key("سرگئی لاوروف")).article_counts == {"ar": 4, "fa": 3}
    assert not ArticlePerson.objects.filter(person=arabic).exists()
    assert client.get(arabic.get_absolute_url()).status_code == 404
    page = client.get(both.get_absolute_url()).content.decode()
    assert all(url in page for url in _article_urls("coach") | _article_urls("lf") | _article_urls("la"))
