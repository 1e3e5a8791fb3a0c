"""A large import killed with SIGKILL while its index workers run, then run again.

The killed import's worker processes and multiprocessing's resource tracker
leave on their own (they would wait for ever on a pipe otherwise), the next
import clears the build folder the dead one left in the index folder, and
the re-run, which finds the dead run's articles "unchanged", still makes
every one of them searchable (``search.whoosh.bulk``: a session takes over what a
dead one may have left unindexed).
"""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.articles.test_concurrency import PYTHON, ROOT, manage, site_database, site_env  # noqa: F401

ARTICLES = 2500  # five of the importer's batches
SEARCH = """
from search.params import SearchParams
from search.service import run_search
print(run_search(SearchParams(q="آزمایشی")).count)
"""


def write_feed(path):
    with path.open("w", encoding="utf-8") as feed:
        for n in range(ARTICLES):
            feed.write(json.dumps({
                "id": str(n), "title": f"خبر آزمایشی شماره {n}", "language": "fa",
                "body": f"متن خبر آزمایشی {n} درباره باکو و تهران.",
            }, ensure_ascii=False) + "\n")


def children_of(pid):
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def running(pid):
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def build_folders(index):
    return [name for name in os.listdir(index) if name.startswith("portal-build-")] if index.exists() else []


@pytest.mark.slow
def test_a_killed_import_leaves_nothing_behind_and_its_rerun_indexes_everything(tmp_path, site_database):  # noqa: F811
    env = {**site_env(tmp_path, site_database), "SEARCH_INDEX_WORKER_THRESHOLD": "100", "SEARCH_INDEX_WORKERS": "2"}
    index = Path(env["SEARCH_INDEX_PATH"])
    feed = tmp_path / "feed.jsonl"
    write_feed(feed)
    result = manage(env, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr

    importer = subprocess.Popen([PYTHON, "manage.py", "import_articles", str(feed)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    # Workers build in numbered folders inside the session's: they are running.
    while not any((index / name / "0").exists() for name in build_folders(index)):
        assert importer.poll() is None and time.monotonic() < deadline, importer.stderr.read()
        time.sleep(0.02)
    left = children_of(importer.pid)
    importer.kill()
    importer.wait()
    assert len(left) >= 3  # two workers and the resource tracker

    deadline = time.monotonic() + 15
    while [pid for pid in left if running(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in left if running(pid)] == []
    assert build_folders(index)  # the dead run's, until the next import starts

    rerun = manage(env, "import_articles", str(feed))
    assert rerun.returncode == 0, rerun.stderr
    assert "unchanged" in rerun.stdout  # what the killed run committed
    assert build_folders(index) == []
    check = manage(env, "check_index")
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"{ARTICLES} rows, {ARTICLES} documents: 0 missing, 0 stale, 0 extra" in check.stdout
    found = manage(env, "shell", "-c", SEARCH)
    assert found.stdout.splitlines()[-1] == str(ARTICLES), found.stderr
