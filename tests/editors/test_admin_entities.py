"""Editors turn the linker's unknown names into people or aliases, in the admin."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry

from entities.models import Alias, ArticlePerson, EntityCandidate, Person
from tests import factories
from tests.editors.test_admin import desk, editor  # noqa: F401  (fixtures)

CANDIDATES = "/admin/entities/entitycandidate/"


@pytest.fixture
def candidate(db):
    article = factories.article(title="دیدار سفیر", body="سفیر جدید کشور در باکو، کامران ولی‌زاده، با وزیر خارجه دیدار کرد.")
    found = EntityCandidate.objects.create(name="کامران ولی‌زاده", key="کامران ولیزاده", language="fa", title="سفیر")
    found.articles.add(article)
    return found


def test_create_a_person_from_a_candidate(desk, editor, candidate):  # noqa: F811
    response = desk.post(CANDIDATES, {"action": "create_person", "_selected_action": [candidate.pk]}, follow=True)
    assert response.status_code == 200
    person = Person.objects.get(name_fa="کامران ولی‌زاده")
    assert person.name_ar == "كامران ولي‌زاده"  # the same name in Arabic letters
    assert person.role_fa == "سفیر"
    assert Alias.objects.filter(person=person, language="fa", text="کامران ولی‌زاده").exists()
    assert ArticlePerson.objects.filter(person=person, article__title="دیدار سفیر").exists()
    candidate.refresh_from_db()
    assert candidate.status == "added"
    assert LogEntry.objects.filter(object_id=str(person.pk), action_flag=ADDITION, user=editor).exists()
    assert f"/admin/entities/person/{person.pk}/change/" in response.content.decode()


def test_add_a_candidate_as_an_alias_of_a_known_person(desk, candidate):  # noqa: F811
    person = factories.person(name_fa="کامران ولیزاده", name_ar="كامران وليزاده", name_en="Kamran Valizadeh")
    chooser = desk.post(CANDIDATES, {"action": "add_as_alias", "_selected_action": [candidate.pk]})
    assert chooser.status_code == 200
    assert "کامران ولی‌زاده" in chooser.content.decode()
    assert b"admin-autocomplete" in chooser.content
    done = desk.post(CANDIDATES, {"action": "add_as_alias", "_selected_action": [candidate.pk], "apply": "1", "person": person.pk})
    assert done.status_code == 302
    assert list(person.aliases.values_list("text", flat=True)) == ["کامران ولی‌زاده"]
    assert ArticlePerson.objects.filter(person=person).count() == 1
    candidate.refresh_from_db()
    assert candidate.status == "added"


def test_choosing_no_person_asks_again(desk, candidate):  # noqa: F811
    response = desk.post(CANDIDATES, {"action": "add_as_alias", "_selected_action": [candidate.pk], "apply": "1", "person": "999999"})
    assert response.status_code == 200
    assert response.context["form"].errors["person"]
    assert not Alias.objects.exists()


def test_dismiss_and_search_candidates_in_any_spelling(desk, editor, candidate):  # noqa: F811
    page = desk.get(CANDIDATES, {"q": "كامران"})
    assert list(page.context["cl"].result_list) == [candidate]
    desk.post(CANDIDATES, {"action": "dismiss", "_selected_action": [candidate.pk]})
    candidate.refresh_from_db()
    assert candidate.status == "dismissed"
    assert LogEntry.objects.get(object_id=str(candidate.pk)).user == editor


def test_confirming_a_link_is_in_the_history(desk, editor, candidate):  # noqa: F811
    person = factories.person(name_fa="کامران ولیزاده", name_ar="كامران وليزاده", name_en="Kamran Valizadeh")
    link = factories.link(candidate.articles.get(), person)
    response = desk.post("/admin/entities/articleperson/", {"action": "confirm", "_selected_action": [link.pk]})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.origin == "confirmed"
    assert LogEntry.objects.filter(object_id=str(link.pk), user=editor).exists()


def test_a_save_over_someone_elses_newer_change_of_a_person_is_refused(desk):  # noqa: F811
    person = factories.person(name_fa="المار", name_ar="إلمار", name_en="Elmar")
    url = f"/admin/entities/person/{person.pk}/change/"

    def opened(**changes):
        context = desk.get(url).context
        form = context["adminform"].form
        data = {name: form[name].value() or "" for name in form.fields}
        for inline in context["inline_admin_formsets"]:
            formset = inline.formset
            data.update({f"{formset.prefix}-TOTAL_FORMS": "0", f"{formset.prefix}-INITIAL_FORMS": "0"})  # no aliases
        return {**data, **changes, "_save": "1"}

    mine, theirs = opened(role_fa="وزیر خارجه"), opened(role_fa="وزیر امور خارجه")
    assert desk.post(url, theirs).status_code == 302
    response = desk.post(url, mine)
    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.non_field_errors().as_data()] == ["stale"]
    assert "کس دیگری پس از باز کردن شما" in response.content.decode()
    person.refresh_from_db()
    assert (person.role_fa, person.version) == ("وزیر امور خارجه", 2)
