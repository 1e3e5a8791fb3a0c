"""Near-duplicate stories found on import and shown on pages and in the API."""

import os

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.duplicates import containment, shingles, signature
from articles.models import Article, NearDuplicate
from tests import factories
from tests.conftest import SEEDS


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
        factories.article(save=False, title=a.title, lead=a.lead, body=a.body, language=a.language)
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


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="threads need a server database")
def test_linking_the_same_articles_at_once_fails_nowhere_and_stores_once(transactional_db, caplog):
    """Four processes' linkers (threads here) link the same new articles at the same moment.

    Each reads what is stored, then replaces it: without taking turns, two
    insert the same fingerprint or near-duplicate pair (IntegrityError on
    PostgreSQL) or the same band rows twice.
    """
    import threading

    from django.db import connection

    from articles.duplicates import BANDS
    from articles.models import Band, Fingerprint
    from entities.steps import process_articles

    story = "وزیر امور خارجه ایران در سفر به باکو با همتای آذربایجانی خود درباره راه‌های ارتباطی منطقه و صلح میان باکو و ایروان گفت‌وگو کرد"
    Article.objects.bulk_create([  # no signals: nobody links them yet
        Article(title=f"خبر {n}", body=f"{story} و افزود {n} {'پیشرفت' * (n % 3)}.", language="fa", slug=f"k{n}") for n in range(12)
    ])
    pks = list(Article.objects.values_list("pk", flat=True))
    start = threading.Barrier(4)

    def link():
        try:
            start.wait()
            process_articles(pks)
        finally:
            connection.close()

    with caplog.at_level("ERROR", logger="entities"):
        threads = [threading.Thread(target=link) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    assert Fingerprint.objects.count() == 12
    assert Band.objects.count() == 12 * BANDS  # not written twice
    assert NearDuplicate.objects.count() == 12 * 11 // 2  # every pair, once
