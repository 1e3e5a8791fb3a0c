"""search.whoosh.bulk: a whole import indexed at once, by worker processes when it is large.

Imports go through the real command; what is searchable afterwards must be
exactly what a small import (indexed in this process) makes searchable,
whatever editors changed meanwhile and even when a worker dies.
"""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import pipeline
from articles.importer import import_session, import_stream
from articles.importreport import ImportReport
from articles.models import Article
from search.consistency import check_index
from search.params import SearchParams
from search.service import run_search
from search.whoosh import bulk
from tests import factories

WORDS_FA = ["زلزله", "کتابخانه", "بورس", "انتخابات", "نمایشگاه", "دانشگاه", "فوتبال", "مترو"]
WORDS_AR = ["الزلزال", "المكتبة", "البورصة", "الانتخابات", "المعرض", "الجامعة", "كرة", "القطار"]


def _feed(tmp_path, n):
    lines = []
    for i in range(n):
        fa = i % 2 == 0
        words = WORDS_FA if fa else WORDS_AR
        marker = f"نشان{i:03d}" if fa else f"علامة{i:03d}"
        body = " ".join(words[(i + k) % len(words)] for k in range(6))
        lines.append(json.dumps({
            "id": str(i), "title": f"{words[i % len(words)]} {marker}", "body": f"{body} {marker}.",
            "language": "fa" if fa else "ar", "source": "ایرنا" if fa else "أذرنيوز",
        }, ensure_ascii=False))
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _import(path):
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def _found(q):
    return sorted(h.id for h in run_search(SearchParams(q=q, page_size=100)).hits)


@pytest.fixture
def workers_used(monkeypatch):
    """Workers from the tenth article on; records each session that started them."""
    monkeypatch.setattr(bulk, "WORKER_THRESHOLD", 10)
    started = []
    original = bulk.IndexSession._start_workers

    def start(self):
        started.append(self)
        original(self)

    monkeypatch.setattr(bulk.IndexSession, "_start_workers", start)
    return started


@pytest.mark.slow
def test_a_large_import_is_indexed_by_workers_as_a_small_one_is_in_process(transactional_db, clean_index, tmp_path, workers_used, monkeypatch):
    feed = _feed(tmp_path, 40)
    _import(feed)
    assert workers_used, "the import should have used worker processes"
    by_workers = {q: _found(q) for q in (*WORDS_FA, *WORDS_AR, "نشان004", "علامة007")}
    assert check_index().in_sync
    assert len(clean_index.index.refresh().reader().leaf_readers()) <= bulk._workers()
    assert not [name for name in os.listdir(clean_index.path) if name.startswith("portal-build-") or name.endswith(".tmp")]

    Article.objects.all().delete()
    clean_index.clear()
    monkeypatch.setattr(bulk, "WORKER_THRESHOLD", 10**6)
    _import(feed)
    pks = dict(Article.objects.values_list("external_id", "pk"))
    # the same articles (new rows, new ids) for every query
    assert {q: len(found) for q, found in by_workers.items()} == {q: len(_found(q)) for q in by_workers}
    assert _found("نشان004") == [pks["4"]]


@pytest.mark.slow
def test_what_editors_change_during_an_import_is_indexed_as_they_left_it(transactional_db, clean_index, tmp_path, workers_used):
    feed = _feed(tmp_path, 30)
    with import_session() as writer:
        with feed.open("rb") as stream:
            import_stream(feed.name, stream, ImportReport(), writer)
        writer.flush()  # the batch has committed and gone to the workers; the import goes on
        edited, unpublished = Article.objects.order_by("pk")[:2]
        # Another process's edits: no signal reaches this one.
        Article.objects.filter(pk=edited.pk).update(title="زمین‌لرزه در کرمان", modified=timezone.now())
        Article.objects.filter(pk=unpublished.pk).update(status=Article.Status.DRAFT, modified=timezone.now())
    assert workers_used and not workers_used[0].workers  # the session finished with the import
    assert _found("کرمان") == [edited.pk]
    assert unpublished.pk not in _found(unpublished.title.split()[-1])
    assert check_index().in_sync


@pytest.mark.slow
def test_a_dead_worker_costs_time_not_articles(transactional_db, clean_index, tmp_path, workers_used):
    factories.articles(25, body="متن خبری درباره زلزله")
    pks = list(Article.objects.values_list("pk", flat=True))
    with pipeline.Run() as run:
        run.committed(pks[:15])
        session = workers_used[0]
        os.kill(session.workers[0][0].pid, signal.SIGKILL)
        run.committed(pks[15:])
    assert sorted(_found("زلزله")) == sorted(pks)
    assert check_index().in_sync


def test_an_index_an_older_version_built_is_rebuilt_by_make_run(transactional_db, clean_index, tmp_path):
    _import(_feed(tmp_path, 6))
    out = io.StringIO()
    call_command("rebuild_index", "--if-outdated", stdout=out)
    assert "up to date" in out.getvalue()
    # An index with another schema and Whoosh's own codec, as before search.whoosh.codec.
    from whoosh import fields, index

    shutil.rmtree(clean_index.path)
    os.makedirs(clean_index.path)
    old = index.create_in(clean_index.path, fields.Schema(id=fields.ID(stored=True, unique=True), text=fields.TEXT()))
    with old.writer() as writer:
        writer.add_document(id="articles.article.1", text="خبر کهنه")
    clean_index.setup_complete = False
    assert clean_index.outdated()
    out = io.StringIO()
    call_command("rebuild_index", "--if-outdated", stdout=out)
    assert "rebuilding the search index" in out.getvalue()
    assert not clean_index.outdated()
    assert _found("نشان004") == [Article.objects.get(external_id="4").pk]


def test_an_index_pickled_with_module_paths_that_are_gone_is_rebuilt(transactional_db, clean_index, tmp_path,
                                                                      monkeypatch):
    # Whoosh pickles the schema's classes by module path: an index written
    # before search/whoosh/ names search.codec and search.analysis.
    import sys
    import types

    from whoosh import analysis, fields, index

    _import(_feed(tmp_path, 4))
    old_module = types.ModuleType("search.codec")

    class OldAnalyzer(analysis.Composable):
        def __call__(self, value, **kwargs):
            return analysis.RegexTokenizer()(value, **kwargs)

    OldAnalyzer.__module__, OldAnalyzer.__qualname__ = "search.codec", "OldAnalyzer"
    old_module.OldAnalyzer = OldAnalyzer
    monkeypatch.setitem(sys.modules, "search.codec", old_module)
    shutil.rmtree(clean_index.path)
    os.makedirs(clean_index.path)
    old = index.create_in(clean_index.path, fields.Schema(id=fields.ID(stored=True, unique=True),
                                                          text=fields.TEXT(analyzer=OldAnalyzer())))
    with old.writer() as writer:
        writer.add_document(id="articles.article.1", text="خبر کهنه")
    monkeypatch.delitem(sys.modules, "search.codec")
    clean_index.setup_complete = False
    assert "No module named 'search.codec'" in clean_index.outdated()
    out = io.StringIO()
    call_command("rebuild_index", "--if-outdated", stdout=out)
    assert "rebuilding the search index: this version cannot read it" in out.getvalue()
    assert not clean_index.outdated()
    assert _found("نشان002") == [Article.objects.get(external_id="2").pk]


def _published(n, word):
    Article.objects.bulk_create([factories.article(save=False, title=f"{word} {i}", body=f"متن {word} شماره {i}") for i in range(n)])
    return sorted(Article.objects.filter(title__startswith=word).values_list("pk", flat=True))


@pytest.mark.slow
def test_an_article_sent_twice_to_the_workers_is_indexed_once(transactional_db, clean_index, workers_used):
    pks = _published(15, "زلزله")
    with pipeline.Run() as run:
        run.committed(pks)
        run.committed(pks[:5])  # written again by a later batch, unchanged
    assert workers_used
    assert clean_index.index.refresh().doc_count() == 15
    assert check_index().in_sync


def test_a_build_folder_whose_import_died_is_cleared_and_its_articles_indexed(transactional_db, clean_index):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    clean_index.setup()
    started = int(time.time()) - 5
    orphan = os.path.join(clean_index.path, f"portal-build-{dead.pid}-{started}-abc123")
    living = bulk.claim_build_folder(clean_index.path, timezone.now())  # this process's: still at work
    os.makedirs(os.path.join(orphan, "0"))
    left = _published(4, "کتابخانه")  # committed by the dead import, never indexed
    assert _found("کتابخانه") == []
    _import_nothing()
    assert sorted(_found("کتابخانه")) == left
    names = os.listdir(clean_index.path)
    assert os.path.basename(orphan) not in names and os.path.basename(living) in names
    assert check_index().in_sync
    shutil.rmtree(living)


def _import_nothing():
    pipeline.Run().finish()
