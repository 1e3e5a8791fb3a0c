"""articles.pipeline: what happens to committed articles, in order, through saves, imports and the command."""

import gc
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import pipeline
from articles.models import Article, Fingerprint
from entities.models import ArticlePerson
from search.params import SearchParams
from search.service import run_search
from tests import factories

LAVROV = "لاوروف"


def _found(q):
    return sorted(h.id for h in run_search(SearchParams(q=q, page_size=100)).hits)


def _linked(pk):
    return set(ArticlePerson.objects.filter(article_id=pk).values_list("person__slug", flat=True))


@pytest.fixture
def lavrov(transactional_db, clean_index):
    return factories.person(slug="sergey-lavrov", aliases=(("fa", LAVROV), ("ar", "لافروف")))


def test_the_apps_register_their_steps_in_order():
    assert [step.name for step in pipeline.steps()] == ["index", "link", "deduplicate", "stamp"]
    assert [step.name for step in pipeline.steps(skip={"link"})] == ["index", "stamp"]


def test_a_save_runs_after_commit_only_and_a_rollback_drops_its_article(lavrov):
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.article(body=f"{LAVROV} به ایروان سفر کرد و این سفر لغو شد.")
        raise RuntimeError("rolled back")
    with transaction.atomic():
        kept = factories.article(body=f"{LAVROV} در سفر به ایروان با همتای خود دیدار کرد.")
        assert _found("ایروان") == [] and not _linked(kept.pk)  # nothing before the commit
    assert _found("ایروان") == [kept.pk] and _linked(kept.pk) == {"sergey-lavrov"}
    assert _found("لغو") == [] and ArticlePerson.objects.count() == 1  # the rolled-back article: nowhere


def test_a_failing_step_is_logged_and_the_others_still_run(lavrov, monkeypatch, caplog):
    def broken(batch):
        raise ValueError("a bug in one step")

    monkeypatch.setitem(pipeline._steps, "broken", pipeline.Step("broken", 15, broken))
    with caplog.at_level(logging.ERROR, logger="articles.pipeline"):
        article = factories.article(body="ولافروف في موسكو التقى نظيره.", language="ar")
    assert "after-commit step 'broken' failed" in caplog.text
    assert _found("موسكو") == [article.pk] and _linked(article.pk) == {"sergey-lavrov"}


def test_the_steps_run_with_the_collector_paused_and_leave_it_as_they_found_it(lavrov, monkeypatch):
    seen = []

    def watching(batch):
        seen.append(gc.isenabled())
        raise ValueError("a failing step must not leave the collector off")

    monkeypatch.setitem(pipeline._steps, "watching", pipeline.Step("watching", 25, watching))
    assert gc.isenabled()
    article = factories.article(body=f"{LAVROV} در مسکو با خبرنگاران گفت و گو کرد.")
    assert seen == [False] and gc.isenabled()
    assert _linked(article.pk) == {"sergey-lavrov"}
    gc.disable()  # turned off by someone else: a batch does not turn it on
    try:
        pipeline.in_parts(pipeline.Batch([article.pk]), lambda part: seen.append(gc.isenabled()), "watching")
        assert seen[-1] is False and not gc.isenabled()
    finally:
        gc.enable()


def test_articles_written_in_bulk_go_through_every_step_reading_their_rows_once(lavrov):
    written = factories.articles(3, body=f"{LAVROV} وزیر امور خارجه روسیه امروز در سفری به ایروان با همتای ارمنی خود "
                                         "درباره راه‌های ارتباطی منطقه و آینده گفت و گوهای صلح دیدار و گفت و گو کرد.")
    pks = [a.pk for a in written]
    with CaptureQueriesContext(connection) as queries:
        pipeline.committed(pks)
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "articles_article"' in q["sql"]]
    # once for the index (its index_queryset), once for linking and near-duplicates together
    assert len(reads) == 2, "\n\n".join(r[-300:] for r in reads)
    assert _found("ایروان") == pks
    assert all(_linked(pk) == {"sergey-lavrov"} for pk in pks)
    assert Fingerprint.objects.filter(article_id__in=pks).count() == 3


def _feed(tmp_path, *bodies):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps({"id": str(n), "title": f"خبر {n}", "body": body, "language": "fa"},
                                         ensure_ascii=False) for n, body in enumerate(bodies)), encoding="utf-8")
    return path


def test_an_import_may_leave_linking_out(lavrov, tmp_path):
    path = _feed(tmp_path, f"{LAVROV} به ایروان سفر کرد.", f"{LAVROV} در مسکو سخن گفت.")
    call_command("import_articles", "--no-link", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    pks = sorted(Article.objects.values_list("pk", flat=True))
    assert len(_found(LAVROV)) == 2  # indexed as one session all the same
    assert not ArticlePerson.objects.exists() and not Fingerprint.objects.exists()
    Article.objects.all().delete()
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    pks = sorted(Article.objects.values_list("pk", flat=True))
    assert all(_linked(pk) == {"sergey-lavrov"} for pk in pks)


def test_an_import_inside_a_transaction_that_rolls_back_leaves_nothing_behind(lavrov, tmp_path):
    path = _feed(tmp_path, f"{LAVROV} به ایروان سفر کرد.")
    with pytest.raises(RuntimeError), transaction.atomic():
        call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        raise RuntimeError("rolled back")
    assert not Article.objects.exists() and _found(LAVROV) == [] and not ArticlePerson.objects.exists()
