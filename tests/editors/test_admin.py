"""The editors' desk through the admin, as a member of the Editors group."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.test import Client

from articles.models import Article, Source
from editors.roles import EDITORS_GROUP
from tests import factories

TEHRAN = ZoneInfo("Asia/Tehran")
ADD_URL = "/admin/articles/article/add/"

TITLE = "نقش میانجی‌گری ایران در مذاکرات باکو و ایروان"
BODY = "وزیر امور خارجه ایران گفت تهران آماده میانجی‌گری میان باکو و ایروان است.\n\nاین سفر دو روز طول می‌کشد."


@pytest.fixture
def editor(db):
    user = User.objects.create_user("sara", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def article_form(**changes):
    data = {
        "title": TITLE, "slug": "", "lead": "", "body": BODY, "language": "", "status": "published",
        "published": "۱۴۰۰/۰۸/۱۰ ۲۳:۵۶", "source": "", "via": "", "dateline": "", "external_id": "", "url": "",
        "_save": "1",
    }
    for prefix in ("articleperson_set", "articleevent_set"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def change_form(desk, article, **changes):
    """What the change page of ``article`` would post, with ``changes``."""
    context = desk.get(f"/admin/articles/article/{article.pk}/change/").context
    form = context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["published"] = form.fields["published"].widget.format_value(form["published"].value()) or ""
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for f in formset.forms:
            data.update({f.add_prefix(name): f[name].value() or "" for name in f.fields})
    data.update(changes, _save="1")
    return data


def add_article(desk, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(ADD_URL, article_form(**changes))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return Article.objects.latest("id")


def listed(response):
    """Titles of the articles on an admin change list page."""
    return {article.title for article in response.context["cl"].result_list}


# Tests that search commit for real (transactional_db): the index is written
# after the commit, as on the live site.
def found(text):
    """Ids of the articles the public search API finds for ``text``."""
    response = Client().get("/api/search/", {"q": text})
    assert response.status_code == 200
    return {hit["id"] for hit in response.json()["results"]}


def test_editors_group_gets_articles_but_not_accounts(db):
    codenames = set(Group.objects.get(name=EDITORS_GROUP).permissions.values_list("content_type__app_label", "codename"))
    assert {("articles", "add_article"), ("articles", "change_article"), ("articles", "delete_article"),
            ("articles", "change_source")} <= codenames
    assert not {app for app, _ in codenames} & {"auth", "admin", "sessions", "contenttypes"}


def test_an_editor_cannot_open_user_administration(desk):
    assert desk.get("/admin/auth/user/").status_code == 403
    assert desk.get("/admin/auth/group/").status_code == 403
    index = desk.get("/admin/")
    assert index.status_code == 200
    assert b"/admin/auth/user/" not in index.content
    assert b"/admin/articles/article/" in index.content


def test_the_admin_is_persian_and_right_to_left(desk):
    response = desk.get(ADD_URL)
    assert b'<html lang="fa" dir="rtl">' in response.content
    assert b"admin/css/rtl.css" in response.content
    assert "ذخیره".encode() in response.content  # "Save": Django's own Persian translation is active


def test_add_a_persian_article_with_a_jalali_date_is_public_at_once(transactional_db, desk, editor, clean_index, django_capture_on_commit_callbacks):
    article = add_article(desk, django_capture_on_commit_callbacks)
    assert article.language == "fa"  # detected
    assert article.published == dt.datetime(2021, 11, 1, 23, 56, tzinfo=TEHRAN)
    assert article.date_only is False
    assert article.slug == "نقش-میانجیگری-ایران-در-مذاکرات-باکو-و-ایروان"

    api = desk.get(f"/api/articles/{article.pk}/").json()
    assert api["title"] == TITLE
    assert dt.datetime.fromisoformat(api["published"]) == dt.datetime(2021, 11, 1, 20, 26, tzinfo=dt.UTC)
    assert article.pk in found("میانجیگری ایروان")
    page = Client().get("/search/", {"q": "ميانجيگري"})  # typed with Arabic ي
    assert article.get_absolute_url() in page.content.decode()

    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert (entry.user, entry.action_flag) == (editor, ADDITION)


def test_the_form_shows_the_date_in_jalali_and_keeps_date_only(desk, django_capture_on_commit_callbacks):
    article = add_article(desk, django_capture_on_commit_callbacks, published="1403/1/1")
    assert article.published == dt.datetime(2024, 3, 20, tzinfo=TEHRAN)
    assert article.date_only is True
    page = desk.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'value="۱۴۰۳/۰۱/۰۱"' in page


@pytest.mark.parametrize("typed, expected", [
    ("۱۰ آبان ۱۴۰۰ ۲۳:۵۶", dt.datetime(2021, 11, 1, 23, 56, tzinfo=TEHRAN)),
    ("2021-11-01 23:56", dt.datetime(2021, 11, 1, 23, 56, tzinfo=TEHRAN)),
    ("١٤٠٠/٨/١٠", dt.datetime(2021, 11, 1, tzinfo=TEHRAN)),
])
def test_other_ways_of_typing_the_date(desk, django_capture_on_commit_callbacks, typed, expected):
    assert add_article(desk, django_capture_on_commit_callbacks, published=typed).published == expected


@pytest.mark.parametrize("typed", ["۱۴۰۰/۱۳/۰۱", "۱۴۰۰/۰۸/۱۰ ۲۵:۰۰", "دیروز", "0900/01/01", "۱۴۰۰/۱۲/۳۰", "۱۰ اکتبر ۱۴۰۰", "1 آبان 2021"])
def test_an_impossible_date_is_a_form_error_and_nothing_is_saved(desk, typed):
    # 1400 is not a Jalali leap year: Esfand has 29 days.
    response = desk.post(ADD_URL, article_form(published=typed))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published"]
    assert not Article.objects.exists()


def test_a_text_without_persian_or_arabic_needs_a_language(desk):
    response = desk.post(ADD_URL, article_form(title="Breaking news", body="Only English here."))
    assert response.status_code == 200
    assert "language" in response.context["adminform"].form.errors


def test_correcting_a_title_replaces_it_in_search(transactional_db, desk, clean_index, django_capture_on_commit_callbacks):
    article = add_article(desk, django_capture_on_commit_callbacks, title="سفر لاوروف به تهران", body="وزیر خارجه روسیه به تهران سفر کرد.")
    assert article.pk in found("لاوروف")
    data = change_form(desk, article, title="سفر پوتین به تهران")
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    assert article.pk not in found("لاوروف")
    assert article.pk in found("پوتین")
    assert desk.get(f"/api/articles/{article.pk}/").json()["title"] == "سفر پوتین به تهران"
    assert Article.objects.get(pk=article.pk).published == article.published  # untouched by the round trip


def test_unpublishing_removes_it_from_the_api_search_and_lists(transactional_db, desk, clean_index, django_capture_on_commit_callbacks):
    article = add_article(desk, django_capture_on_commit_callbacks)
    assert article.pk in found("میانجیگری")
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post("/admin/articles/article/", {"action": "unpublish", "_selected_action": [article.pk]})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == "draft"
    assert desk.get(f"/api/articles/{article.pk}/").status_code == 404
    assert article.pk not in found("میانجیگری")
    assert TITLE not in desk.get("/articles/").content.decode()
    assert LogEntry.objects.filter(object_id=str(article.pk), action_flag=CHANGE).exists()


def test_a_draft_has_a_preview_for_staff_only(desk, client, django_capture_on_commit_callbacks):
    article = add_article(desk, django_capture_on_commit_callbacks, status="draft")
    preview = desk.get(f"/admin/articles/article/{article.pk}/preview/")
    assert preview.status_code == 200
    assert TITLE in preview.content.decode()
    assert preview["X-Robots-Tag"] == "noindex"
    assert desk.get(article.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(f"/admin/articles/article/{article.pk}/preview/").status_code == 302  # to the login page


def test_admin_search_folds_spellings(desk, django_capture_on_commit_callbacks):
    add_article(desk, django_capture_on_commit_callbacks, title="نقش میانجیگری ایران")
    add_article(desk, django_capture_on_commit_callbacks, title="قمة الرياض", body="قال وزير الخارجية إن القمة ناجحة.", published="")
    assert listed(desk.get("/admin/articles/article/", {"q": "ميانجيگري"})) == {"نقش میانجیگری ایران"}
    # teh marbuta and yeh as typed on a Persian keyboard
    assert listed(desk.get("/admin/articles/article/", {"q": "قمه الریاض"})) == {"قمة الرياض"}


def test_filter_articles_without_a_date(desk, django_capture_on_commit_callbacks):
    add_article(desk, django_capture_on_commit_callbacks, title="خبر بی‌تاریخ", published="")
    add_article(desk, django_capture_on_commit_callbacks, title="خبر با تاریخ")
    assert listed(desk.get("/admin/articles/article/", {"published_in": "none"})) == {"خبر بی‌تاریخ"}


def test_sources_are_searched_and_prepopulated(desk):
    Source.objects.create(name="خبرگزاری ایرنا", name_en="IRNA")
    assert "خبرگزاری ایرنا" in desk.get("/admin/articles/source/", {"q": "خبرگزاري ايرنا"}).content.decode()
    assert [str(s) for s in desk.get("/admin/articles/source/", {"q": "irna"}).context["cl"].result_list] == ["خبرگزاری ایرنا"]
    response = desk.post("/admin/articles/source/add/", {"name": "وكالة الأنباء العراقية", "name_en": "", "slug": "وكالة-الأنباء-العراقية"})
    assert response.status_code == 302
    assert Source.objects.get(slug="وكالة-الأنباء-العراقية").key


STORY = (
    "وزیر امور خارجه جمهوری آذربایجان در سفر به پرو از مواضع مقامات این کشور درباره مناقشه قره باغ قدردانی کرد. "
    "به گزارش آران نیوز به نقل از ترند، الدار ممدیاراف وزیر امور خارجه جمهوری آذربایجان در جریان سفر کاری خود "
    "به پرو با رئیس پارلمان این کشور دیدار کرد. در این دیدار طرفین درباره گسترش روابط دو کشور گفتگو کردند."
)


def test_saving_the_same_story_again_warns_and_links_to_it(desk, django_capture_on_commit_callbacks):
    first = add_article(desk, django_capture_on_commit_callbacks, title="دیدار ممدیاراف در پرو", body=STORY)
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(ADD_URL, article_form(title="سفر وزیر خارجه آذربایجان به پرو", body=STORY + " این سفر سه روز طول می‌کشد."), follow=True)
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert f'/admin/articles/article/{first.pk}/change/' in warnings[0] and "دیدار ممدیاراف در پرو" in warnings[0]
    second = Article.objects.latest("id")
    assert listed(desk.get("/admin/articles/article/", {"duplicate": "yes"})) == {first.title, second.title}
    add_article(desk, django_capture_on_commit_callbacks, title="خبری دیگر", body="قیمت نفت امروز افزایش یافت.")
    assert listed(desk.get("/admin/articles/article/", {"duplicate": "no"})) == {"خبری دیگر"}


def test_an_editor_adds_a_person_to_an_article(desk, django_capture_on_commit_callbacks):
    from entities.models import ArticlePerson

    person = factories.person(name_fa="علی آزمایشی", name_ar="علي التجريبي", name_en="Ali Test")
    article = add_article(desk, django_capture_on_commit_callbacks)
    found_person = desk.get("/admin/autocomplete/", {
        "term": "علي آزمایشی", "app_label": "entities", "model_name": "articleperson", "field_name": "person",
    }).json()
    assert [r["id"] for r in found_person["results"]] == [str(person.pk)]
    data = change_form(desk, article)
    prefix = "articleperson_set"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update({f"{prefix}-TOTAL_FORMS": str(total + 1), f"{prefix}-{total}-person": person.pk, f"{prefix}-{total}-origin": "confirmed"})
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    link = ArticlePerson.objects.get(article=article, person=person)
    assert link.origin == "confirmed"  # kept by the linker although the text never names him
    assert [p["id"] for p in desk.get(f"/api/articles/{article.pk}/").json()["people"]] == [person.pk]


def test_a_place_an_editor_adds_is_searchable_at_once_in_every_spelling(transactional_db, desk, clean_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = factories.article(language="ar", title="زيارة إلى يريفان", body="وصل الوفد إلى يريفان صباح اليوم.")
    assert report.pk not in found("ایروان")  # Persian typed: the Arabic report writes يريفان
    form = desk.get("/admin/entities/place/add/")
    assert "جست‌وجو مکان را با هر یک از این‌ها" in form.content.decode()  # the other names' help, in Persian
    posted = desk.post("/admin/entities/place/add/", {
        "slug": "yerevan", "name_fa": "ایروان", "name_ar": "يريفان", "name_en": "Yerevan", "other_names": "یروان",
        "_save": "1",
    })
    assert posted.status_code == 302
    assert report.pk in found("ایروان") and report.pk in found("یروان") and report.pk in found("Yerevan")


def test_the_arabic_admin_is_right_to_left_with_gregorian_dates(desk, django_capture_on_commit_callbacks):
    article = add_article(desk, django_capture_on_commit_callbacks)
    desk.cookies["django_language"] = "ar"
    page = desk.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert 'value="٢٠٢١/١١/٠١ ٢٣:٥٦"' in page  # the same moment, Gregorian, Arabic-Indic digits
    data = change_form(desk, article)
    assert data["published"] == "٢٠٢١/١١/٠١ ٢٣:٥٦"
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    assert Article.objects.get(pk=article.pk).published == article.published


def test_a_save_over_someone_elses_newer_change_is_refused(desk, django_capture_on_commit_callbacks):
    article = add_article(desk, django_capture_on_commit_callbacks)
    mine = change_form(desk, article, title="عنوان من")
    theirs = change_form(desk, article, title="عنوان همکار")
    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(f"/admin/articles/article/{article.pk}/change/", theirs).status_code == 302
    response = desk.post(f"/admin/articles/article/{article.pk}/change/", mine)
    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.non_field_errors().as_data()] == ["stale"]
    assert Article.objects.get(pk=article.pk).title == "عنوان همکار"


def test_a_save_over_an_import_that_updated_the_article_meanwhile_is_refused(desk, tmp_path):
    import io
    import json

    from django.core.management import call_command

    feed = tmp_path / "feed.jsonl"

    def import_title(title):
        feed.write_text(json.dumps({"id": "a1", "title": title, "body": BODY, "language": "fa"}, ensure_ascii=False), encoding="utf-8")
        call_command("import_articles", str(feed), stdout=io.StringIO(), stderr=io.StringIO())

    import_title("عنوان نخست خبرگزاری")
    article = Article.objects.get()
    mine = change_form(desk, article, lead="لید ویراستار")
    import_title("عنوان اصلاح‌شده خبرگزاری")  # the agency corrected its title meanwhile
    response = desk.post(f"/admin/articles/article/{article.pk}/change/", mine)
    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.non_field_errors().as_data()] == ["stale"]
    assert "کس دیگری پس از باز کردن شما این خبر را ذخیره کرده است" in response.content.decode()
    assert Article.objects.get().title == "عنوان اصلاح‌شده خبرگزاری"


def test_deleting_removes_it_from_the_api_and_search(transactional_db, desk, editor, clean_index, django_capture_on_commit_callbacks):
    article = add_article(desk, django_capture_on_commit_callbacks)
    assert article.pk in found("میانجیگری")
    response = desk.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert desk.get(f"/api/articles/{article.pk}/").status_code == 404
    assert article.pk not in found("میانجیگری")
    assert LogEntry.objects.filter(object_id=str(article.pk), user=editor).count() == 2  # added, deleted


@pytest.mark.parametrize("query", ["(ایران*", "a\\b[", "۱۴۰۰", "ي " * 50, "x" * 5000, "'; drop table --"])
def test_admin_search_takes_any_input(desk, django_capture_on_commit_callbacks, query):
    add_article(desk, django_capture_on_commit_callbacks, title="خبر ۱۴۰۰ (ایران*)")
    response = desk.get("/admin/articles/article/", {"q": query})
    assert response.status_code == 200
    assert listed(response) <= {"خبر ۱۴۰۰ (ایران*)"}
    assert listed(desk.get("/admin/articles/article/", {"q": "1400"})) == {"خبر ۱۴۰۰ (ایران*)"}


def test_jalali_date_filter(desk, django_capture_on_commit_callbacks):
    import jdatetime
    from django.utils import timezone

    today = jdatetime.date.fromgregorian(date=timezone.localdate())
    add_article(desk, django_capture_on_commit_callbacks, title="خبر امروز", published=f"{today.year}/{today.month}/{today.day} 00:05")
    add_article(desk, django_capture_on_commit_callbacks, title="خبر پارسال", published=f"{today.year - 1}/12/29")
    changelist = desk.get("/admin/articles/article/", {"published_in": "month"})
    assert listed(changelist) == {"خبر امروز"}
    assert jdatetime.date.j_months_fa[today.month - 1] in changelist.content.decode()  # "This month (آذر)"
    assert listed(desk.get("/admin/articles/article/", {"published_in": "today"})) == {"خبر امروز"}
    assert listed(desk.get("/admin/articles/article/", {"published_in": "year"})) == {"خبر امروز"}
    assert listed(desk.get("/admin/articles/article/", {"published_in": "bogus"})) == {"خبر امروز", "خبر پارسال"}


def test_a_source_in_another_spelling_is_a_form_error_not_a_crash(desk):
    Source.objects.create(name="ایرنا", name_en="IRNA")
    response = desk.post("/admin/articles/source/add/", {"name": "ايرنا", "name_en": "", "slug": "irna-2"})
    assert response.status_code == 200
    assert "ایرنا" in str(response.context["adminform"].form.errors["name"])
    assert Source.objects.count() == 1
