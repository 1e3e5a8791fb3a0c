"""Several processes writing one SQLite database at once: they wait their turn, none fails.

Each writer process edits a shared article inside a transaction (read,
then write: what the admin's change form does), creates articles and
deletes some.  Without WAL, ``BEGIN IMMEDIATE`` and a busy timeout SQLite
refuses such writers at once with "database is locked".

Run as a module (``python -m tests.articles.test_sqlite_writers writer N ROUNDS``),
this file is also the writer process.
"""

import json
import subprocess
import sys

import pytest

from tests.articles.test_concurrency import PYTHON, ROOT, manage, site_env

WRITERS, ROUNDS = 4, 15


@pytest.mark.slow
def test_concurrent_writers_on_sqlite_never_see_database_is_locked(tmp_path):
    env = site_env(tmp_path, f"sqlite:///{tmp_path / 'site.sqlite3'}")
    result = manage(env, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    writers = [
        subprocess.Popen([PYTHON, "-m", "tests.articles.test_sqlite_writers", "writer", str(n), str(ROUNDS)],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(WRITERS)
    ]
    reports = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err[-3000:]
        reports.append(json.loads(out.splitlines()[-1]))
    assert [failure for report in reports for failure in report["failures"]] == []
    assert {report["journal_mode"] for report in reports} == {"wal"}
    count = manage(env, "shell", "-c", "from articles.models import Article; print(Article.objects.count())")
    assert int(count.stdout.splitlines()[-1]) == 1 + WRITERS * (ROUNDS - ROUNDS // 3)


def writer(number, rounds):
    """Write ``rounds`` times; print the failures (there should be none) and the journal mode."""
    import django

    django.setup()
    from django.db import connection, transaction

    from articles.models import Article

    with transaction.atomic():
        shared, _ = Article.objects.get_or_create(external_id="shared", defaults={"title": "خبر مشترک", "body": "متن.", "language": "fa"})
    failures, mine = [], []
    for i in range(rounds):
        try:
            with transaction.atomic():
                article = Article.objects.get(pk=shared.pk)
                article.title = f"خبر مشترک ویراستار {number} نوبت {i}"
                article.save()
            mine.append(Article.objects.create(title=f"خبر {number}-{i}", body="متن خبر درباره باکو.", language="fa").pk)
            if i % 3 == 2:
                Article.objects.get(pk=mine.pop(0)).delete()
        except Exception as exc:  # what an editor would have seen as a 500
            failures.append(f"{type(exc).__name__}: {exc}")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    print(json.dumps({"failures": failures, "journal_mode": journal_mode}))


if __name__ == "__main__" and sys.argv[1:2] == ["writer"]:
    writer(int(sys.argv[2]), int(sys.argv[3]))
