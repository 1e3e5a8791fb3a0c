"""Suggestions as you type (suggest/): GET /api/suggest/?q=."""

import os

import pytest
from django.core.management import call_command

from articles.models import Article


def _labels(client, q, **extra):
    response = client.get("/api/suggest/", {"q": q, **extra})
    assert response.status_code == 200
    return [s["label"] for s in response.json()["suggestions"]]


def test_persian_prefix_in_any_spelling(seeded, client):
    lavrov = Article.objects.get(title__contains="لاوروف")
    assert _labels(client, "لاو") == [lavrov.title]
    # سرگئی typed with Arabic yeh, then the start of the next word
    assert _labels(client, "سرگئي لا") == [lavrov.title]
    # a finished word that the title does not have
    assert _labels(client, "سرگئی قره") == []


def test_arabic_prefix_with_and_without_hamza(seeded, client):
    arabic = Article.objects.get(language="ar")
    assert arabic.title in _labels(client, "تبح")
    assert arabic.title in _labels(client, "وروسي")  # Arabic yeh, conjunction و attached
    assert arabic.title in _labels(client, "أذربيجان ور")
    assert arabic.title in _labels(client, "اذربيجان")  # hamza left off


def test_suggestions_lead_to_the_article_and_say_its_language(seeded, client):
    arabic = Article.objects.get(language="ar")
    [suggestion] = client.get("/api/suggest/", {"q": "تبحث"}).json()["suggestions"]
    assert suggestion == {"label": arabic.title, "url": arabic.get_absolute_url(), "language": "ar", "kind": "article"}


def test_newest_first_and_limit(seeded, client):
    labels = _labels(client, "آذربایجان")
    assert sorted(labels) == sorted(a.title for a in Article.objects.published() if "آذربایجان" in a.title)
    assert len(_labels(client, "آذربایجان", limit="2")) == 2
    # the dated Lavrov article before the undated visit of the minister
    labels = _labels(client, "وزی")
    assert len(labels) == 2
    assert "لاوروف" in labels[0]


def test_drafts_are_never_suggested(seeded, client):
    arabic = Article.objects.get(language="ar")
    arabic.status = Article.Status.DRAFT
    arabic.save()
    assert _labels(client, "تبح") == []


def test_opensearch_format_for_browsers(seeded, client):
    arabic = Article.objects.get(language="ar")
    response = client.get("/api/suggest/", {"q": "تبح", "format": "opensearch"})
    assert response["Content-Type"] == "application/x-suggestions+json"
    assert response.json() == ["تبح", [arabic.title], [], ["http://testserver" + arabic.get_absolute_url()]]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["", " ", "ا", "*", '"', "-", "title:", "\x00", "ک" * 5000, "<script>"])
def test_any_input_answers_200(client, clean_index, q):
    assert _labels(client, q) == []


@pytest.mark.django_db
@pytest.mark.parametrize("limit", ["0", "21", "x", "-1"])
def test_bad_limit_is_400(client, limit):
    response = client.get("/api/suggest/", {"q": "ایران", "limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json()["error"]


@pytest.mark.browser
def test_search_box_suggests_and_works_by_keyboard(seeded, live_server, page, screenshot_dir):
    lavrov = Article.objects.get(title__contains="لاوروف")
    page.goto(live_server.url + "/")
    box = page.locator("#site-search")
    assert box.get_attribute("role") == "combobox"
    box.fill("سرگئي لا")  # Arabic yeh typed, Persian title suggested
    listbox = page.locator("#site-search-suggestions")
    listbox.wait_for()
    options = listbox.get_by_role("option")
    assert [option.locator(".suggestions__label").text_content() for option in options.all()] == [lavrov.title]
    assert box.get_attribute("aria-expanded") == "true"
    assert options.first.locator(".suggestions__label").get_attribute("lang") == "fa"
    page.screenshot(path=str(screenshot_dir / "suggest-desktop.png"))
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert not listbox.is_visible()
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # reopens the same list
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + lavrov.get_absolute_url()


@pytest.mark.browser
def test_search_box_without_javascript_is_a_plain_form(seeded, live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    box = page.locator("#site-search")
    assert box.get_attribute("role") is None  # no combobox promised without the script
    box.fill("لاوروف")
    with page.expect_navigation():
        box.press("Enter")
    assert "/search/?q=" in page.url
    context.close()


@pytest.fixture
def linked(seeded):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    return seeded


def _suggestions(client, q, language="fa"):
    response = client.get("/api/suggest/", {"q": q}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()["suggestions"]


def test_people_in_any_language_and_spelling(linked, client):
    lavrov = {"label": "سرگئی لاوروف", "url": "/people/sergey-lavrov/", "language": "fa", "kind": "person"}
    assert _suggestions(client, "لاورو")[0] == lavrov
    assert _suggestions(client, "لافرو")[0] == lavrov  # typed in Arabic spelling, Persian page
    assert _suggestions(client, "سيرغي لاف")[0] == lavrov
    assert _suggestions(client, "lavr")[0] == lavrov
    arabic = _suggestions(client, "لاورو", language="ar")[0]
    assert arabic["label"] == "سيرغي لافروف" and arabic["language"] == "ar"


def test_events_and_titles_together(linked, client):
    found = _suggestions(client, "خوجا")
    assert found[0]["kind"] == "event" and found[0]["url"] == "/events/khojaly-massacre/"
    kinds = [s["kind"] for s in _suggestions(client, "لاورو")]
    assert kinds[0] == "person" and "article" in kinds  # the Lavrov article follows his name


@pytest.mark.browser
def test_people_are_suggested_in_the_search_box(linked, live_server, page, screenshot_dir):
    page.goto(live_server.url + "/")
    page.locator("#site-search").fill("لافرو")  # Arabic spelling on the Persian page
    listbox = page.locator("#site-search-suggestions")
    listbox.wait_for()
    first = listbox.get_by_role("option").first
    assert first.locator(".suggestions__label").text_content() == "سرگئی لاوروف"
    assert first.locator(".suggestions__kind").text_content()  # says it is a person
    page.screenshot(path=str(screenshot_dir / "suggest-person-desktop.png"))
    first.click()
    page.wait_for_url(live_server.url + "/people/sergey-lavrov/")
