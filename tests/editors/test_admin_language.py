"""The editors' desk reads in Persian (and Arabic) throughout: no English words on the pages editors use (issue 17)."""

import io
import os
import re
import zipfile
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from articles.models import Article
from editors.roles import EDITORS_GROUP
from entities.models import Person
from tests.conftest import SEEDS

# Latin words an editor may rightly see: names of formats and things, the English names of entities.
ALLOWED = {"txt", "jsonl", "lines", "nul", "zip", "json", "utf", "id", "url", "wikidata", "sara", "ok", "bom", "mb", "kb", "jpg"}


class _Text(HTMLParser):
    """The visible text of a page and the attributes a person reads (title, placeholder, aria-label, value of buttons)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._hidden = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden:
            self._hidden[-1][1] += tag == self._hidden[-1][0]
            return
        if "hidden" in (attrs.get("class") or "").split() or "hidden" in attrs:
            self._hidden.append([tag, 1])  # a hidden row (the admin's hidden fields): nobody reads it
            return
        if tag in ("script", "style", "textarea", "select", "code"):
            self._skip += 1
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self._hidden:
            if tag == self._hidden[-1][0]:
                self._hidden[-1][1] -= 1
                if not self._hidden[-1][1]:
                    self._hidden.pop()
            return
        if tag in ("script", "style", "textarea", "select", "code"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip and not self._hidden:
            self.parts.append(data)


def english_words(html: str, allowed=()) -> set[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    words = set(re.findall(r"[A-Za-z][A-Za-z’']{1,}", text))
    return {w for w in words if w.lower() not in ALLOWED and w not in allowed}


@pytest.fixture
def desk(client, transactional_db, clean_index):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    user = User.objects.create_user("sara", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(user)
    return client


def entity_names():
    """English names of people, places and events, and outlets' English names: data, not interface."""
    from articles.models import Source
    from entities.models import Event, Place

    names = set()
    for model in (Person, Event, Place, Source):
        for value in model.objects.values_list("name_en", flat=True):
            names.update(re.findall(r"[A-Za-z][A-Za-z’']+", value or ""))
    for slug in Source.objects.values_list("slug", flat=True):
        names.update(re.findall(r"[A-Za-z]+", slug))
    for article in Article.objects.all():
        names.update(re.findall(r"[A-Za-z][A-Za-z’']+", f"{article.title} {article.lead} {article.body} {article.source_file} {article.url}"))
    return names


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_admin_pages_have_no_english(desk, lang):
    desk.cookies.load({"django_language": lang})
    article = Article.objects.get(source_file__startswith="003")
    allowed = entity_names()
    pages = {
        "index": "/admin/",
        "articles": "/admin/articles/article/",
        "articles-search": "/admin/articles/article/?q=لاوروف",
        "article": f"/admin/articles/article/{article.pk}/change/",
        "add": "/admin/articles/article/add/",
        "delete": f"/admin/articles/article/{article.pk}/delete/",
        "upload": "/admin/articles/article/upload/",
        "people": "/admin/entities/person/",
        "events": "/admin/entities/event/",
        "person-links": "/admin/entities/articleperson/",
        "event-links": "/admin/entities/articleevent/",
        "candidates": "/admin/entities/entitycandidate/",
        "sources": "/admin/articles/source/",
    }
    problems = {}
    for name, url in pages.items():
        response = desk.get(url)
        assert response.status_code == 200, url
        found = english_words(response.content.decode(), allowed)
        if found:
            problems[name] = sorted(found)
    # a form with errors and an upload with rejections
    response = desk.post("/admin/articles/article/add/", {"title": "", "body": "", "_save": "1",
                         "articleperson_set-TOTAL_FORMS": "0", "articleperson_set-INITIAL_FORMS": "0",
                         "articleevent_set-TOTAL_FORMS": "0", "articleevent_set-INITIAL_FORMS": "0"})
    found = english_words(response.content.decode(), allowed)
    if found:
        problems["add-errors"] = sorted(found)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../evil.txt", "x")
        z.writestr("inner.zip", "x")
    files = [
        ("empty.txt", b""), ("binary.txt", b"\x00\x01\x02\xff" * 50), ("bad.zip", b"not a zip"),
        ("evil.zip", archive.getvalue()), ("feed.jsonl", b'{"title": 1}\n'),
    ]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = desk.post("/admin/articles/article/upload/", {"files": [SimpleUploadedFile(n, c) for n, c in files]})
    found = english_words(response.content.decode(), allowed | {"evil", "empty", "binary", "bad", "feed", "inner"})
    if found:
        problems["upload-report"] = sorted(found)
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_admin_search_finds_words_of_the_body_in_any_spelling(desk):
    # "ممدياراف" (Arabic yeh) and "كشور" (Arabic kaf): one in the body of seed 001, neither in its title or lead
    seed = Article.objects.get(source_file__startswith="001")
    assert "ممدیاراف" in seed.body and "ممدیاراف" not in seed.title + seed.lead
    response = desk.get("/admin/articles/article/", {"q": "ممدياراف كشور"})
    found = {article.pk for article in response.context["cl"].result_list}
    assert seed.pk in found
    # every word must be there: a word no article has finds nothing
    response = desk.get("/admin/articles/article/", {"q": "ممدياراف زنجبیلستان"})
    assert list(response.context["cl"].result_list) == []
    # titles are still searched as before, drafts included
    seed.status = Article.Status.DRAFT
    seed.save()
    response = desk.get("/admin/articles/article/", {"q": seed.title.split()[0]})
    assert seed.pk in {article.pk for article in response.context["cl"].result_list}


def test_admin_shows_times_on_the_clock_readers_see(desk):
    arabic = Article.objects.get(source_file__startswith="002")  # "23-9-2023 | 15:05", UTC+3
    published = arabic.published
    desk.cookies.load({"django_language": "ar"})
    listing = desk.get("/admin/articles/article/").content.decode()
    assert "٢٠٢٣/٠٩/٢٣ ١٥:٠٥" in listing and "١٥:٣٥" not in listing
    form = desk.get(f"/admin/articles/article/{arabic.pk}/change/").context["adminform"].form
    assert form["published"].value() == published
    assert "١٥:٠٥" in str(form["published"])  # the text box
    desk.cookies.load({"django_language": "fa"})
    assert "۱۴۰۲/۰۷/۰۱ ۱۵:۰۵" in desk.get("/admin/articles/article/").content.decode()


def test_a_time_typed_for_an_arabic_article_is_on_its_clock(desk):
    from tests.editors.test_admin import article_form

    data = article_form(title="قمة في الرياض", body="قال وزير الخارجية إن القمة ناجحة وإن الوفود ستعود غدا.",
                        published="2024/03/05 10:30", language="")  # detected as Arabic
    response = desk.post("/admin/articles/article/add/", data)
    assert response.status_code == 302
    article = Article.objects.get(title="قمة في الرياض")
    assert article.language == "ar"
    import datetime as dt
    assert article.published == dt.datetime(2024, 3, 5, 7, 30, tzinfo=dt.UTC)  # 10:30 at UTC+3
    # saved again unchanged, it stays
    from tests.editors.test_admin import change_form
    assert desk.post(f"/admin/articles/article/{article.pk}/change/", change_form(desk, article)).status_code == 302
    article.refresh_from_db()
    assert article.published == dt.datetime(2024, 3, 5, 7, 30, tzinfo=dt.UTC)


def test_admin_counts_are_in_the_interface_digits(desk):
    article = Article.objects.get(source_file__startswith="003")
    listing = desk.get("/admin/articles/article/", {"q": "لاوروف"}).content.decode()
    assert re.search(r"\b[0-9]+ (خبر|result)", listing) is None
    assert re.search(r"[۰-۹]+ نتیجه", listing) or re.search(r"[۰-۹]+ خبر", listing)
    delete = desk.get(f"/admin/articles/article/{article.pk}/delete/").content.decode()
    summary = delete[delete.index("<h2>"):delete.index("</ul>", delete.index("<h2>"))]
    assert re.search(r": [0-9]", summary) is None and re.search(r": [۰-۹]", summary)
    assert f"{article.pk} →" not in delete  # the links name the article in Persian digits too


@pytest.mark.parametrize(("lang", "name"), [("fa", "سرگئی لاوروف"), ("ar", "سيرغي لافروف")])
def test_entity_names_in_lists_are_in_the_interface_language(desk, lang, name):
    desk.cookies.load({"django_language": lang})
    links = desk.get("/admin/entities/articleperson/").content.decode()
    assert name in links and "Sergey Lavrov" not in links
    people = desk.get("/admin/entities/person/").content.decode()
    assert re.search(rf'<th class="field-name_display"><a [^>]*>{name}</a>', people)


@pytest.mark.parametrize(("lang", "example"), [("fa", "۱۴۰۰/۰۸/۱۰ ۲۳:۵۶"), ("ar", "٢٠٢١/١١/٠١ ٢٣:٥٦"), ("en", "1400/08/10 23:56")])
def test_a_date_the_form_cannot_read_is_explained_with_an_example_in_the_editors_digits(lang, example):
    import datetime as dt

    from django.utils import translation

    from editors.forms import parse_editor_datetime

    with translation.override(lang), pytest.raises(ValueError, match=example):
        parse_editor_datetime("فردا صبح", dt.UTC)
