"""Large admin uploads run in a process of their own, with a report the editor can open (issue 15, finding 9)."""

import io
import json
import subprocess
import sys
import zipfile

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from editors import jobs
from editors.models import ImportJob
from tests.editors.test_admin import desk, editor  # noqa: F401  (fixtures)

UPLOAD_URL = "/admin/articles/article/upload/"
BODY = "وزیران خارجه دو کشور روز یکشنبه در باکو دیدار و درباره راه‌های ارتباطی گفت‌وگو کردند."


def feed(numbers, **extra):
    return "".join(
        json.dumps({"id": f"j-{n}", "title": f"نشست شماره {n} وزیران", "body": BODY, "language": "fa", **extra},
                   ensure_ascii=False) + "\n" for n in numbers).encode()


@pytest.fixture
def background(settings, tmp_path, monkeypatch):
    """Every upload goes to a job; the jobs started are recorded instead of run."""
    settings.IMPORT_BACKGROUND_BYTES = 0
    settings.IMPORT_JOBS_DIR = tmp_path / "imports"
    launched = []
    monkeypatch.setattr(jobs, "launch", launched.append)
    return launched


def post(client, *files):
    with_files = {"files": [SimpleUploadedFile(name, data) for name, data in files]}
    return client.post(UPLOAD_URL, with_files, HTTP_ACCEPT_LANGUAGE="en")


def test_a_large_upload_is_queued_and_its_page_follows_it(desk, editor, background, settings,  # noqa: F811
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(desk, ("a.jsonl", feed(range(30))), ("b.jsonl", feed(range(30, 40)) + b"{broken\n"))

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{UPLOAD_URL}{job.pk}/"
    assert background == [job]  # started once the job was committed
    assert (job.user, job.status, job.language) == (editor, ImportJob.Status.QUEUED, "en")
    stored = settings.IMPORT_JOBS_DIR / job.folder
    assert sorted(p.name for p in stored.iterdir()) == ["000.jsonl", "001.jsonl"]  # saved, not imported by the web
    assert not Article.objects.exists()
    waiting = desk.get(f"{UPLOAD_URL}{job.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert waiting.status_code == 200 and waiting["Refresh"] == "3"
    assert "Waiting to start" in waiting.content.decode()

    call_command("run_import_job", str(job.pk), stdout=io.StringIO())  # what the detached process runs

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.counts == {"created": 40, "updated": 0, "unchanged": 0, "rejected": 1}
    assert not stored.exists()  # the uploaded files are gone
    page = desk.get(f"{UPLOAD_URL}{job.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert not page.has_header("Refresh")
    text = page.content.decode()
    assert "Finished" in text and "b.jsonl line 11: invalid JSON" in text
    # admin history in the editor's name for every article created
    entries = LogEntry.objects.filter(user=editor, action_flag=ADDITION)
    assert entries.count() == 40
    assert entries.filter(change_message="Imported from the uploaded file a.jsonl:1.").exists()
    # the upload page lists the job
    assert f"{UPLOAD_URL}{job.pk}/" in desk.get(UPLOAD_URL).content.decode()


def test_a_job_reports_changes_and_zip_members(desk, editor, background):  # noqa: F811
    Article.objects.create(title="قدیمی", body="متن قدیمی", language="fa", import_key="feed::id:j-1", content_hash="x")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("news/feed.jsonl", feed(range(1, 4)))
        zipped.writestr(".x", b"hidden")
    post(desk, ("big.zip", archive.getvalue()), ("huge.txt", b"x" * 10))
    job = ImportJob.objects.get()

    jobs.run_job(job.pk)

    job.refresh_from_db()
    assert job.counts == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 2}
    names = [entry["name"] for entry in job.report]
    assert names == ["big.zip/news/feed.jsonl", "big.zip/.x", "huge.txt"]
    assert "hidden file" in job.report[1]["messages"][0]
    assert LogEntry.objects.filter(user=editor, action_flag=CHANGE).count() == 1
    assert LogEntry.objects.filter(user=editor, action_flag=ADDITION).count() == 2


def test_a_file_too_large_for_one_article_is_refused_unread(desk, background, settings):  # noqa: F811
    settings.IMPORT_MAX_FILE_BYTES = 1000  # a single agency file; a 19 MB .txt is refused the same way
    post(desk, ("huge.txt", ("متن " * 2000).encode()))
    job = ImportJob.objects.get()
    assert job.files[0]["refused"].startswith("too large (")
    assert not list((settings.IMPORT_JOBS_DIR / job.folder).iterdir())  # never stored
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.counts["rejected"] == 1 and not Article.objects.exists()


def test_a_job_runs_once_and_only_its_editor_sees_it(desk, editor, background, client, django_user_model):  # noqa: F811
    post(desk, ("a.jsonl", feed(range(3))))
    job = ImportJob.objects.get()
    jobs.run_job(job.pk)
    again = jobs.run_job(job.pk)  # a second start finds it done and leaves it
    assert again.status == ImportJob.Status.DONE and Article.objects.count() == 3
    other = django_user_model.objects.create_user("reza", password="x", is_staff=True)
    other.groups.set(editor.groups.all())
    client.force_login(other)
    assert client.get(f"{UPLOAD_URL}{job.pk}/").status_code == 404


def test_a_job_whose_process_died_says_so(desk, background):  # noqa: F811
    post(desk, ("a.jsonl", feed(range(3))))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING,
                                               heartbeat=timezone.now() - timezone.timedelta(minutes=10))
    page = desk.get(f"{UPLOAD_URL}{job.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Stopped unexpectedly" in page.content.decode() and not page.has_header("Refresh")


def test_a_failing_job_is_marked_failed_with_a_sentence(desk, background, monkeypatch):  # noqa: F811
    post(desk, ("a.jsonl", feed(range(3))))
    job = ImportJob.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "import_upload", broken)
    with pytest.raises(SystemExit):
        call_command("run_import_job", str(job.pk), stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "unexpected error" in job.error


def test_a_small_upload_is_still_imported_at_once(desk, settings):  # noqa: F811
    settings.IMPORT_BACKGROUND_BYTES = 10_000
    response = post(desk, ("a.jsonl", feed(range(3))))
    assert response.status_code == 200 and response.context["report"].totals["created"] == 3
    assert not ImportJob.objects.exists()


def test_launch_starts_a_detached_manage_py(settings, tmp_path, monkeypatch, db):
    settings.IMPORT_JOBS_DIR = tmp_path
    started = {}

    class FakePopen:
        def __init__(self, args, **kwargs):
            started.update(args=args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    job = ImportJob.objects.create(folder="abc")
    jobs.launch(job)
    assert started["args"][0] == sys.executable
    assert started["args"][1:] == [str(settings.BASE_DIR / "manage.py"), "run_import_job", str(job.pk)]
    assert started["start_new_session"] is True  # outside the web worker's process group
    assert started["stdin"] == subprocess.DEVNULL


@pytest.mark.django_db(transaction=True)
def test_a_job_beats_while_no_line_is_read(settings, tmp_path, monkeypatch):
    # The index commits once at the end of a large import, reading no line for a while:
    # the job must not look dead meanwhile.
    settings.IMPORT_JOBS_DIR = tmp_path
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "000.jsonl").write_bytes(feed(range(2)))
    job = ImportJob.objects.create(folder="f", files=[{"name": "a.jsonl", "stored": "000.jsonl", "size": 10}])
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.05)
    beats = []

    def slow_history(job, report):
        import time

        start = ImportJob.objects.get(pk=job.pk).heartbeat
        time.sleep(0.5)
        beats.append(ImportJob.objects.get(pk=job.pk).heartbeat > start)

    monkeypatch.setattr(jobs, "_log_history", slow_history)
    assert jobs.run_job(job.pk).status == ImportJob.Status.DONE
    assert beats == [True]
