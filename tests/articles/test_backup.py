"""Backups: the database is the truth; the index is rebuilt from it and a dump restores whole.

The procedure these tests follow is the one README's "Backups" section gives.
"""

import io
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from search.consistency import check_index
from tests import factories

# What a dump leaves out: rows every install makes for itself on migrate, and sessions.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def dump(path=None):
    out = io.StringIO()
    options = {"natural_foreign": True, "natural_primary": True, "exclude": EXCLUDE, "indent": 1}
    if path:
        call_command("dumpdata", output=str(path), **options)
        return Path(path).read_text(encoding="utf-8")
    call_command("dumpdata", stdout=out, **options)
    return out.getvalue()


def search_titles(word):
    from haystack.query import SearchQuerySet

    return {r.title for r in SearchQuerySet().models(Article).filter(content=word)}


def test_the_index_is_rebuilt_from_the_database_alone(seeded):
    title = next(a.title for a in seeded.values() if a.language == "fa")
    word = max(title.split(), key=len)
    assert title in search_titles(word)

    shutil.rmtree(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])  # the index is lost
    call_command("rebuild_index", "--noinput", stdout=io.StringIO(), stderr=io.StringIO())

    drift = check_index()
    assert drift.in_sync and drift.indexed_documents == len(seeded) == 5
    assert title in search_titles(word)


def test_a_dump_restores_into_an_empty_install(seeded, tmp_path):
    before = dump(tmp_path / "backup.json")
    raw = {a.import_key: bytes(a.raw) for a in Article.objects.all()}

    call_command("flush", "--noinput")  # an empty install: tables migrated, no rows
    assert not Article.objects.exists()
    call_command("loaddata", str(tmp_path / "backup.json"), stdout=io.StringIO())
    call_command("rebuild_index", "--noinput", stdout=io.StringIO(), stderr=io.StringIO())

    assert dump() == before
    assert {a.import_key: bytes(a.raw) for a in Article.objects.all()} == raw  # the original bytes, exactly
    assert check_index().in_sync
    # The restored install keeps working: new rows get fresh ids (sequences follow the data).
    new = factories.article(title="خبر پس از بازیابی", body="متن خبر پس از بازیابی پشتیبان.", published=timezone.now())
    assert new.pk > max(a.pk for a in seeded.values())
    assert check_index().in_sync
