"""``manage.py check_index``: drift between the database and the Whoosh index, and its repair."""

import io

import pytest
from django.core.management import CommandError, call_command
from haystack.constants import DJANGO_CT, DJANGO_ID

from articles import pipeline
from articles.models import Article
from search.consistency import check_index


def run(*args):
    out = io.StringIO()
    call_command("check_index", *args, stdout=out)
    return out.getvalue()


def stored(clean_index):
    """The index's stored documents by id, read straight from Whoosh."""
    ix = clean_index.index.refresh()
    with ix.searcher() as searcher:
        return {f"{fields[DJANGO_CT]}.{fields[DJANGO_ID]}": fields for _, fields in searcher.reader().iter_docs()}


def test_a_freshly_imported_site_is_in_sync(seeded):
    drift = check_index()
    assert drift.in_sync and drift.checked_rows == 5 and drift.indexed_documents == 5
    assert "the index matches the database" in run()


def test_drift_is_reported_then_repaired(seeded, clean_index):
    first, second, third, *_ = sorted(seeded.values(), key=lambda a: a.pk)
    # Edits that send no signal, and a lost index write: what drift looks like.
    Article.objects.filter(pk=first.pk).update(title="عنوان تازه‌ی خبر باکو")
    Article.objects.filter(pk=second.pk).update(status=Article.Status.DRAFT)
    clean_index.remove(f"articles.article.{third.pk}")

    with pytest.raises(CommandError, match="check_index --fix"):
        run()
    drift = check_index()
    assert drift.stale == [f"articles.article.{first.pk}"]
    assert drift.extra == [f"articles.article.{second.pk}"]
    assert drift.missing == [f"articles.article.{third.pk}"]

    out = run("--fix")
    assert "1 missing, 1 stale, 1 extra" in out and "repaired" in out
    assert check_index().in_sync
    documents = stored(clean_index)
    assert documents[f"articles.article.{first.pk}"]["title"] == "عنوان تازه‌ی خبر باکو"
    assert f"articles.article.{second.pk}" not in documents
    assert f"articles.article.{third.pk}" in documents
    assert "the index matches the database" in run()


def test_an_empty_index_is_rebuilt_from_the_database(seeded, clean_index):
    clean_index.clear()
    drift = check_index(fix=True)
    assert len(drift.missing) == 5 and drift.fixed
    assert len(stored(clean_index)) == 5 and check_index().in_sync


def test_documents_of_deleted_rows_are_extra(seeded, clean_index, monkeypatch):
    article = next(iter(seeded.values()))
    doc_id = f"articles.article.{article.pk}"
    # Delete the row without the index hearing of it (as a crash after commit would).
    monkeypatch.setattr(pipeline, "_steps", {})
    article.delete()
    assert check_index().extra == [doc_id]
    check_index(fix=True)
    assert doc_id not in stored(clean_index)
