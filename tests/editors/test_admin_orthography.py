"""The orthography check on save: shown as a warning, applied only with one click."""

import os
import threading
from itertools import pairwise

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.text import fix_orthography, orthography_issues
from editors.orthography import article_issues, describe
from tests.editors.test_admin import ADD_URL, article_form, desk, editor  # noqa: F401  (fixtures)

ZWNJ = "\u200c"
# Typed on an Arabic keyboard layout: Arabic yeh and kaf, Arabic-Indic
# digits among Persian ones, a doubled ZWNJ, a ZWNJ before a space, a
# doubled space and a space before the Persian comma.
PERSIAN_TYPED = f"وزير خارجه ايران روز ۱۰ آبان در ساعت ۲٣ گفت{ZWNJ} كه  کتاب{ZWNJ}{ZWNJ}ها ، منتشر شد."
PERSIAN_FIXED = f"وزیر خارجه ایران روز ۱۰ آبان در ساعت ۲۳ گفت که کتاب{ZWNJ}ها، منتشر شد."


def test_persian_issues_are_found_where_they_are():
    issues = orthography_issues(PERSIAN_TYPED, "fa")
    assert [(i.kind, i.found, i.replacement) for i in issues] == [
        ("letter", "ي", "ی"), ("letter", "ي", "ی"), ("digit", "٣", "۳"), ("zwnj", f"{ZWNJ} ", " "),
        ("letter", "ك", "ک"), ("space", "  ", " "), ("zwnj", ZWNJ * 2, ZWNJ), ("space", " ", ""),
    ]
    assert all(PERSIAN_TYPED[i.start:i.end] == i.found for i in issues)
    assert fix_orthography(PERSIAN_TYPED, "fa") == PERSIAN_FIXED


def test_arabic_text_typed_on_a_persian_keyboard():
    typed = "قال وزیر الخارجیة علی هامش المؤتمر إنه سیعود إلی بغداد یوم ۱۲ کانون الثانی."
    assert fix_orthography(typed, "ar") == "قال وزير الخارجية على هامش المؤتمر إنه سيعود إلى بغداد يوم ١٢ كانون الثاني."


def test_latin_words_and_consistent_text_are_left_alone():
    assert orthography_issues("واکسن COVID-19 در سال ۱۴۰۰ به ایران رسید.", "fa") == []
    assert orthography_issues("قال الوزير إن 25 شخصا وصلوا في 2023.", "ar") == []
    # a ZWNJ between two letters is how Persian is written
    assert orthography_issues(f"می{ZWNJ}شود و کتاب{ZWNJ}ها", "fa") == []


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("بکيیكکىة ا،.؟\n12۱۲١٢aZ") + [ZWNJ]), max_size=30), st.sampled_from(["fa", "ar"]))
def test_fixing_changes_only_what_is_flagged_and_leaves_nothing_to_flag(text, language):
    issues = orthography_issues(text, language)
    fixed = fix_orthography(text, language)
    assert all(a.end <= b.start for a, b in pairwise(issues))  # no overlaps
    assert all(x.found != x.replacement for x in issues)  # each one a real change
    assert len(fixed) == len(text) - sum(len(x.found) - len(x.replacement) for x in issues)
    assert orthography_issues(fixed, language) == []


@pytest.fixture
def typed_article(desk, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(ADD_URL, article_form(title="سفر وزير خارجه", body=PERSIAN_TYPED), follow=True)
    return Article.objects.get(), response


def test_the_warning_shows_the_findings_and_changes_nothing(typed_article):
    article, response = typed_article
    assert article.body == PERSIAN_TYPED  # never silently
    assert article.title == "سفر وزير خارجه"
    page = response.content.decode()
    assert "ي ← ی" in page and "وزير" in page
    assert f'action="/admin/articles/article/{article.pk}/normalise/"' in page
    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1


def test_normalise_fixes_exactly_the_flagged_characters(desk, editor, typed_article):  # noqa: F811
    article, _ = typed_article
    response = desk.post(f"/admin/articles/article/{article.pk}/normalise/", {"modified": article.modified.isoformat()}, follow=True)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.body == PERSIAN_FIXED
    assert article.title == "سفر وزیر خارجه"
    assert orthography_issues(article.body, "fa") == []
    entry = LogEntry.objects.filter(object_id=str(article.pk), action_flag=CHANGE).get()
    assert entry.user == editor
    assert "متن" in entry.change_message  # the field's name in the editor's language
    # the address made from the title as typed gets the fixed letters too
    assert article.slug == "سفر-وزیر-خارجه"
    assert desk.get(f"/articles/{article.pk}/سفر-وزير-خارجه/").status_code == 301


def test_normalise_refuses_when_the_article_changed_since(desk, typed_article):  # noqa: F811
    article, _ = typed_article
    response = desk.post(f"/admin/articles/article/{article.pk}/normalise/", {"modified": "2020-01-01T00:00:00+00:00"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    article.refresh_from_db()
    assert article.body == PERSIAN_TYPED


def test_normalise_is_post_only(desk, typed_article):  # noqa: F811
    article, _ = typed_article
    assert desk.get(f"/admin/articles/article/{article.pk}/normalise/").status_code == 405


def test_a_clean_article_gets_no_warning(desk):  # noqa: F811
    response = desk.post(ADD_URL, article_form(), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="threads need a server database")
def test_an_edit_saved_while_normalising_is_not_overwritten(transactional_db, editor, monkeypatch):  # noqa: F811
    """An editor saves the article while a colleague's "normalise" is under way: one of
    them is told, neither change is silently lost."""
    from django.db import connection
    from django.test import Client

    from editors import views
    from tests.editors.test_admin import change_form

    colleague, me = Client(), Client()
    colleague.force_login(editor)
    me.force_login(editor)
    response = me.post(ADD_URL, article_form(title="سفر وزير خارجه", body=PERSIAN_TYPED))
    assert response.status_code == 302
    article = Article.objects.get()
    mine = change_form(me, article, title="عنوان تازه ویراستار")
    checked, go_on = threading.Event(), threading.Event()
    original = views.normalise_article

    def slow_normalise(found):  # the colleague's request, between its check and its save
        checked.set()
        go_on.wait(10)
        return original(found)

    monkeypatch.setattr(views, "normalise_article", slow_normalise)
    answers = {}

    def post(name, client, path, data):
        try:
            answers[name] = client.post(path, data)
        finally:
            connection.close()

    normalising = threading.Thread(target=post, args=("normalise", colleague, f"/admin/articles/article/{article.pk}/normalise/",
                                                      {"modified": article.modified.isoformat()}))
    saving = threading.Thread(target=post, args=("save", me, f"/admin/articles/article/{article.pk}/change/", mine))
    normalising.start()
    assert checked.wait(10)
    saving.start()
    saving.join(1)  # waits for the normalising to end (or, unlocked, saves now)
    go_on.set()
    normalising.join(10)
    saving.join(10)
    article.refresh_from_db()
    if answers["save"].status_code == 302:  # saved: the normalising must not have written over it
        assert article.title == "عنوان تازه ویراستار"
    else:
        assert [e.code for e in answers["save"].context["adminform"].form.non_field_errors().as_data()] == ["stale"]
        assert article.body == PERSIAN_FIXED


def test_the_findings_are_listed_with_the_editors_comma():
    article = Article(title="سفر وزير خارجه", body="كتاب  وزير", language="fa")
    with translation.override("fa"):
        assert describe(article, article_issues(article))[1].startswith("متن: ك ← ک ×1 (كتاب)، ي ← ی ×1 (وزير)، ")
    with translation.override("en"):
        assert describe(article, article_issues(article))[1].startswith("Body: ك → ک ×1 (كتاب), ي → ی ×1 (وزير), ")
