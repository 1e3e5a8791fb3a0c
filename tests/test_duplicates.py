"""Near-duplicate stories found on import and shown on pages and in the API."""

import os

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article
from entities.duplicates import containment, shingles, signature
from entities.models import NearDuplicate

from .conftest import SEEDS


@pytest.fixture
def imported(transactional_db, clean_index):
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


def _pairs():
    return {frozenset((p.first.source_file[:3], p.second.source_file[:3])) for p in NearDuplicate.objects.select_related("first", "second")}


def test_the_republished_story_is_found_on_import_and_nothing_else(imported):
    # 001 repeats almost all of 000 with more paragraphs and other spellings
    assert _pairs() == {frozenset({"000", "001"})}


def test_same_story_links_on_the_page_and_in_the_api(imported, client):
    first, second = imported["000"], imported["001"]
    page = client.get(second.get_absolute_url())
    assert page.status_code == 200
    assert f'href="{first.get_absolute_url()}" rel="related"' in page.content.decode()
    data = client.get(f"/api/articles/{first.pk}/").json()
    assert [d["id"] for d in data["near_duplicates"]] == [second.pk]
    assert data["near_duplicates"][0]["title"] == second.title
    assert client.get(f"/api/articles/{imported['002'].pk}/").json()["near_duplicates"] == []


def test_rewriting_an_article_into_another_story_drops_the_pair(imported):
    article = imported["001"]
    with transaction.atomic():
        article.body = imported["003"].body
        article.save()
    assert _pairs() == {frozenset({"001", "003"})}


def test_containment_estimate_is_close_to_the_truth():
    a = shingles(" ".join(f"واژه{i}" for i in range(300)))
    b = shingles(" ".join(f"واژه{i}" for i in range(150, 600)))
    truth = len(a & b) / min(len(a), len(b))
    assert abs(containment(signature(a), len(a), signature(b), len(b)) - truth) < 0.12


def test_a_batch_finds_pairs_within_itself_and_with_earlier_articles(imported):
    from entities.steps import process_articles

    copies = Article.objects.bulk_create([
        Article(title=a.title, lead=a.lead, body=a.body, language=a.language, status=Article.Status.PUBLISHED)
        for a in (imported["000"], imported["001"], imported["003"])
    ])
    assert not NearDuplicate.objects.filter(second__in=copies).exists()  # bulk_create links nothing
    process_articles([c.pk for c in copies])
    copy = dict(zip(("000'", "001'", "003'"), copies, strict=True))
    names = {a.pk: seed for seed, a in {**imported, **copy}.items()}
    pairs = {frozenset((names[p.first_id], names[p.second_id])) for p in NearDuplicate.objects.all()}
    # every copy with its original, the republished story with both copies of the first, within the batch too
    assert pairs == {frozenset(p) for p in [
        ("000", "001"), ("000", "000'"), ("001", "001'"), ("003", "003'"),
        ("000'", "001'"), ("000", "001'"), ("001", "000'"),
    ]}
    assert NearDuplicate.objects.get(first=imported["003"], second=copy["003'"]).containment == 1.0


def test_an_unchanged_text_keeps_its_pairs_and_a_changed_one_is_compared_again(imported):
    from entities.steps import process_articles

    process_articles([a.pk for a in imported.values()])  # nothing changed: same pairs
    assert _pairs() == {frozenset({"000", "001"})}
    Article.objects.filter(pk=imported["002"].pk).update(body=imported["000"].body)
    process_articles([imported["002"].pk])
    assert _pairs() == {frozenset(p) for p in [("000", "001"), ("000", "002"), ("001", "002")]}
