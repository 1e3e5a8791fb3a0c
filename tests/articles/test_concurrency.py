"""Editors saving and deleting at once while readers search, against gunicorn.

Whoosh lets one process write at a time.  Several editor processes create,
edit and delete articles through the ORM (each save reaches the index after
its commit) while HTTP readers hit a two-worker gunicorn on loopback.  No
editor may see an error, no reader a 5xx; afterwards the search API finds
every surviving article with its last title and no deleted one, and the index
holds exactly the published articles (``check_index``).  Also here: two saves
of one article racing in one process, and the load test (32 connections).

Run as a module (``python -m tests.articles.test_concurrency editor N ROUNDS``), this
file is also the editor process.
"""

import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
EDITORS, ROUNDS, READERS = 3, 18, 3
SHARED = 3  # articles every editor edits, in turn and at once


@pytest.fixture
def site_database(tmp_path):
    """A database of its own: a fresh one on the suite's PostgreSQL, else an SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    import psycopg

    name = f"np_hardening_{secrets.token_hex(4)}"
    server = urllib.parse.urlsplit(url)
    maintenance = server._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def site_env(tmp_path, database):
    """A private install: its own database and index, production settings over plain HTTP."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "newsportal.settings_production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "SEARCH_INDEX_PATH": str(tmp_path / "index"),
        "PYTHONPATH": str(ROOT),
    }


def manage(env, *args):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port, workers=2):
    process = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning", "newsportal.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
            return process
        except OSError:  # not listening yet (URLError), or still loading (timeout)
            time.sleep(0.2)
    process.terminate()  # the arbiter stops its workers too
    process.wait(timeout=30)
    pytest.fail("gunicorn did not start: " + process.stderr.read())


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def read_continuously(base, stop, statuses, ids):
    queries = ["خبر", "همزمان", "باکو", "ویرایش", "*"]
    while not stop.is_set():
        q = urllib.parse.quote(random.choice(queries))
        paths = ["/", "/articles/", f"/search/feed/?q={q}", f"/search/?q={q}"]
        if ids:
            paths.append(f"/api/articles/{random.choice(ids)}/")
        path = random.choice(paths)
        statuses.append((path, fetch(base + path)))


def search_ids(base, word):
    """``{id: title}`` of every hit of the search API for ``word``."""
    hits, page = {}, 1
    while True:
        with urllib.request.urlopen(f"{base}/api/search/?q={urllib.parse.quote(word)}&page_size=100&page={page}") as response:
            data = json.load(response)
        hits.update((hit["id"], hit["title"]) for hit in data["results"])
        if page * data["page_size"] >= data["count"]:
            return hits
        page += 1


@pytest.mark.slow
def test_concurrent_editors_and_readers_lose_nothing(tmp_path, site_database):
    env = site_env(tmp_path, site_database)
    for args in (("migrate", "--noinput"), ("check_index", "--fix")):  # the index exists before anyone writes
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    shared = subprocess.run([PYTHON, "-m", "tests.articles.test_concurrency", "shared"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert shared.returncode == 0, shared.stderr
    port = free_port()
    server = start_gunicorn(env, port)
    base = f"http://127.0.0.1:{port}"
    stop, statuses, ids = threading.Event(), [], []
    readers = [threading.Thread(target=read_continuously, args=(base, stop, statuses, ids)) for _ in range(READERS)]
    try:
        for reader in readers:
            reader.start()
        editors = [
            subprocess.Popen([PYTHON, "-m", "tests.articles.test_concurrency", "editor", str(n), str(ROUNDS)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for n in range(EDITORS)
        ]
        results = []
        for editor in editors:
            out, err = editor.communicate(timeout=120)
            assert editor.returncode == 0, f"an editor saw an error:\n{err[-3000:]}"
            results.append(json.loads(out.splitlines()[-1]))
            ids.extend(results[-1]["alive"])
        time.sleep(1)  # readers keep going a moment after the last write
        found = {word: search_ids(base, word) for word in ("همزمان", "مشترک")}
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A worker still inside a slow request delays the graceful stop;
            # what this test proves is checked below, not how fast it stops.
            server.kill()
            server.wait(timeout=30)

    assert all(r["index_errors"] == [] for r in results), [r["index_errors"] for r in results]
    assert statuses, "the readers made no requests"
    errors = [(path, status) for path, status in statuses if status >= 500]
    assert errors == [], errors[:10]
    assert {status for path, status in statuses if path.startswith(("/articles", "/search/feed"))} == {200}

    # Readers find every surviving article, with its last title, and no deleted one.
    assert set(found["همزمان"]) == {pk for r in results for pk in r["alive"]}
    truth = subprocess.run([PYTHON, "-m", "tests.articles.test_concurrency", "truth"], cwd=ROOT, env=env, capture_output=True, text=True)
    titles = {int(pk): title for pk, title in json.loads(truth.stdout.splitlines()[-1]).items()}
    assert found["مشترک"] == {pk: title for pk, title in titles.items() if "مشترک" in title}
    assert found["همزمان"] == {pk: title for pk, title in titles.items() if "همزمان" in title}
    # The index holds exactly the published articles, as they are now.
    check = manage(env, "check_index")
    assert check.returncode == 0, check.stdout + check.stderr
    alive = sum(len(r["alive"]) for r in results) + SHARED
    assert f"{alive} rows, {alive} documents: 0 missing, 0 stale, 0 extra" in check.stdout
    assert sum(len(r["deleted"]) for r in results) == EDITORS * (ROUNDS // 3)


def load(base, paths, connections, seconds):
    """``connections`` clients, each requesting one of ``paths`` after another until the deadline."""
    deadline = time.monotonic() + seconds
    statuses = []

    def client(offset):
        for i in range(offset, offset + 10**7):
            if time.monotonic() >= deadline:
                return
            path = paths[i % len(paths)]
            try:
                statuses.append((path, fetch(base + path)))
            except OSError as exc:
                statuses.append((path, repr(exc)))

    clients = [threading.Thread(target=client, args=(n * 7,)) for n in range(connections)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    return statuses


@pytest.mark.slow
def test_load_mixed_pages_without_errors(tmp_path, site_database):
    """32 connections for LOAD_SECONDS (60 by default) on search and article pages: not one error."""
    env = site_env(tmp_path, site_database)
    for args in (("migrate", "--noinput"), ("import_articles", str(ROOT / "seeds"))):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    port = free_port()
    server = start_gunicorn(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        with urllib.request.urlopen(base + "/articles/") as response:
            articles = sorted(set(re.findall(r'href="(/articles/\d+/[^"]+)"', response.read().decode())))
        assert len(articles) == 5
        words = [urllib.parse.quote(w) for w in ("آذربایجان", "قره باغ", "أذربيجان", "باكو", "وزیر امور خارجه")]
        search = [f"/search/?q={w}" for w in words] if fetch(base + "/search/?q=x") == 200 else []
        paths = [*articles, "/", "/articles/", *[f"/search/feed/?q={w}" for w in words], *search,
                 *[f"/api/suggest/?q={w[:12]}" for w in words]]
        statuses = load(base, paths, 32, float(os.environ.get("LOAD_SECONDS", "60")))
    finally:
        server.terminate()
        server.wait(timeout=30)
    errors = [(path, status) for path, status in statuses if status != 200]
    assert len(statuses) > 100 and errors == [], (len(statuses), errors[:10])


def test_two_saves_of_one_article_index_the_last(transactional_db, clean_index, monkeypatch):
    """The first save's index write is held up until the second save has committed.

    Each save re-reads the row after its commit and writes what it read; if
    the first writer wrote last, the index would keep the older title.
    """
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article
    from search.consistency import check_index
    from tests import factories

    article = factories.article(title="عنوان نخست", body="متن خبر باکو.", published=timezone.now())
    backend_class = type(clean_index)
    original_update = backend_class.update
    first_has_read, let_first_write = threading.Event(), threading.Event()

    def held_up_update(self, index, iterable, commit=True):
        if threading.current_thread().name == "first" and not let_first_write.is_set():
            first_has_read.set()
            let_first_write.wait(10)
        return original_update(self, index, iterable, commit)

    monkeypatch.setattr(backend_class, "update", held_up_update)

    def save(title):
        try:
            Article.objects.filter(pk=article.pk).update(title=title)  # no signal: the row changes first
            Article.objects.get(pk=article.pk).save()  # the save whose commit syncs the index
        finally:
            connection.close()

    first = threading.Thread(target=save, args=("عنوان دوم",), name="first")
    second = threading.Thread(target=save, args=("عنوان سوم",), name="second")
    first.start()
    assert first_has_read.wait(10)
    second.start()
    second.join(1)  # it waits its turn (or, without turns, writes now)
    let_first_write.set()
    first.join(10)
    second.join(10)
    assert check_index().in_sync  # the index holds "عنوان سوم", the row's title


def editor(number, rounds):
    """Create, edit and delete articles; print what should be in the index."""
    import logging

    import django

    django.setup()
    from django.utils import timezone

    from articles.models import Article

    errors = []

    class Collect(logging.Handler):
        def emit(self, record):
            errors.append(record.getMessage())

    for name in ("search", "haystack"):
        logging.getLogger(name).addHandler(Collect(level=logging.ERROR))
    alive, deleted = [], []
    shared = list(Article.objects.filter(external_id="shared").values_list("pk", flat=True))
    for i in range(rounds):
        # Two editors saving the same article: the index must end with the last save.
        common = Article.objects.get(pk=shared[i % len(shared)])
        common.title = f"خبر مشترک ویراستار {number} نوبت {i}"
        common.save()
        article = Article.objects.create(
            title=f"خبر همزمان ویراستار {number} شماره {i}", body="متن خبر همزمان درباره باکو و تهران.\n\nپاراگراف دوم.",
            language="fa", status=Article.Status.PUBLISHED, published=timezone.now(),
        )
        alive.append(article.pk)
        if i % 3 == 1:
            article.title += " (ویرایش)"
            article.save()
        elif i % 3 == 2:
            victim = Article.objects.get(pk=alive.pop(-2))
            victim.delete()
            deleted.append(victim.pk)
    print(json.dumps({"alive": alive, "deleted": deleted, "index_errors": errors}))


def create_shared():
    import django

    django.setup()
    from articles.models import Article

    for n in range(SHARED):
        Article.objects.create(title=f"خبر مشترک {n}", body="متن خبر مشترک.", language="fa", external_id="shared",
                               status=Article.Status.PUBLISHED)


def print_truth():
    import django

    django.setup()
    from articles.models import Article

    print(json.dumps(dict(Article.objects.published().values_list("pk", "title")), ensure_ascii=False))


if __name__ == "__main__" and sys.argv[1:2] == ["truth"]:
    print_truth()
elif __name__ == "__main__" and sys.argv[1:2] == ["editor"]:
    editor(int(sys.argv[2]), int(sys.argv[3]))
elif __name__ == "__main__" and sys.argv[1:2] == ["shared"]:
    create_shared()
