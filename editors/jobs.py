"""Large admin uploads, imported by a process of their own so no web worker timeout can cut them.

The upload view saves the files under ``IMPORT_JOBS_DIR`` (streamed to disk,
never read into memory), creates an ``ImportJob`` and, once that is
committed, starts ``manage.py run_import_job ID`` detached from the web
worker (``launch``).  That process (``run_job``) imports the files through
the one importer, writes its progress to the row every second, then the
per-file report and the admin history of every article it created or
changed, and removes the files.  The editor watches the job's page.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.importer import import_session
from articles.importreport import FileReport, ImportReport
from articles.models import Article

from .models import ImportJob
from .uploads import import_upload, refuse, upload_problem

log = logging.getLogger(__name__)

# What the report keeps of each file: enough to act on, bounded in size.
REPORT_MESSAGES = 500
REPORT_LINKS = 20
PROGRESS_SECONDS = 1.0
HEARTBEAT_SECONDS = 20.0  # well within models.HEARTBEAT


def create_job(user, uploaded_files, language: str) -> ImportJob:
    """Save the uploaded files in a folder of their own and queue a job for them."""
    folder = Path(settings.IMPORT_JOBS_DIR) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    files = []
    for number, uploaded in enumerate(uploaded_files):
        if problem := upload_problem(uploaded.name, uploaded.size):  # reported, never stored
            files.append({"name": uploaded.name, "refused": problem, "size": uploaded.size})
            continue
        # Never a path from the upload: a number and the suffix only.
        stored = f"{number:03d}{PurePosixPath(uploaded.name).suffix.lower()[:10]}"
        with open(folder / stored, "wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        files.append({"name": uploaded.name, "stored": stored, "size": uploaded.size})
    return ImportJob.objects.create(user=user, language=language, folder=folder.name, files=files)


def launch(job: ImportJob) -> None:
    """Start ``manage.py run_import_job`` for ``job``, detached: it outlives the request and its worker."""
    log_path = Path(settings.IMPORT_JOBS_DIR) / f"{job.folder}.log"
    with open(log_path, "ab") as output:
        subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py, no shell)
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "run_import_job", str(job.pk)],
            cwd=settings.BASE_DIR, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True, close_fds=True,
        )


class _Progress:
    """Writes how far the job has come to its row, at most once a second."""

    def __init__(self, job: ImportJob, report: ImportReport):
        self.job, self.report, self.last = job, report, 0.0

    def line(self, file_report: FileReport) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_SECONDS:
            self.last = now
            self.save(file_report)

    def save(self, file_report: FileReport | None = None) -> None:
        job = self.job
        if file_report is not None:
            job.current, job.lines = file_report.name[:500], file_report.lines
        job.counts = self.report.totals
        job.heartbeat = timezone.now()
        job.save(update_fields=["current", "lines", "counts", "heartbeat"])


def run_job(job_id: int) -> ImportJob:
    """Import the files of a queued job (what ``manage.py run_import_job`` does); return the finished job."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportJob.Status.QUEUED:  # started twice: the first one runs it
            return job
        job.status, job.started, job.heartbeat, job.pid = ImportJob.Status.RUNNING, timezone.now(), timezone.now(), os.getpid()
        job.save()
    folder = Path(settings.IMPORT_JOBS_DIR) / job.folder
    report = ImportReport()
    progress = _Progress(job, report)
    alive = _Heartbeat(job.pk)
    alive.start()
    try:
        with translation.override(job.language):
            with import_session() as writer:
                for entry in job.files:
                    if "refused" in entry:
                        refuse(entry["name"], entry["refused"], report)
                        continue
                    progress.save(FileReport(entry["name"]))
                    with open(folder / entry["stored"], "rb") as stream:
                        import_upload(entry["name"], _Sized(stream, entry["size"]), report, writer, on_line=progress.line)
                    progress.save()
            _log_history(job, report)
            job.status = ImportJob.Status.DONE
    except Exception:
        log.exception("import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        with translation.override(job.language):
            job.error = _("The import stopped because of an unexpected error; what was imported before it is kept. "
                          "The details are in the server log.")
    finally:
        alive.stop()
        job.counts, job.report = report.totals, [_file_entry(f) for f in report.files]
        job.finished = job.heartbeat = timezone.now()
        job.save()
        shutil.rmtree(folder, ignore_errors=True)
        if job.status == ImportJob.Status.DONE:
            Path(f"{folder}.log").unlink(missing_ok=True)
    return job


class _Heartbeat(threading.Thread):
    """Says the job is alive every ``HEARTBEAT_SECONDS``, also while no line is read (the index commits at the end)."""

    def __init__(self, job_id: int):
        super().__init__(daemon=True)
        self.job_id, self.stopped = job_id, threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                try:
                    ImportJob.objects.filter(pk=self.job_id).update(heartbeat=timezone.now())
                except DatabaseError:  # the import holds the database; the next beat will do
                    log.warning("import job %s: heartbeat skipped", self.job_id, exc_info=True)
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join()


class _Sized:
    """A stored upload with its size, as the importer reads an uploaded file."""

    def __init__(self, stream, size):
        self.stream, self.size = stream, size

    def read(self, *args):
        return self.stream.read(*args)

    def seek(self, *args):
        return self.stream.seek(*args)

    def tell(self):
        return self.stream.tell()

    def seekable(self):
        return True


def _file_entry(file_report: FileReport) -> dict:
    def bounded(messages):
        if len(messages) <= REPORT_MESSAGES:
            return list(messages)
        more = len(messages) - REPORT_MESSAGES
        return [*messages[:REPORT_MESSAGES], _("… and %(count)s more") % {"count": f"{more:,}"}]

    return {
        "name": file_report.name, "counts": dict(file_report.counts), "messages": bounded(file_report.messages),
        "warnings": bounded(file_report.warnings), "article_ids": file_report.article_ids[:REPORT_LINKS],
    }


def _log_history(job: ImportJob, report: ImportReport) -> None:
    """Admin history in the editor's name: an addition for each article created, a change for each updated."""
    if job.user_id is None:
        return
    content_type = ContentType.objects.get_for_model(Article)
    ids = sorted({pk for file_report in report.files for pk in file_report.article_ids})
    for start in range(0, len(ids), 500):
        articles = Article.objects.filter(pk__in=ids[start:start + 500], modified__gte=job.started)
        LogEntry.objects.bulk_create([
            LogEntry(
                user_id=job.user_id, content_type_id=content_type.pk, object_id=str(article.pk),
                object_repr=str(article)[:200], action_flag=ADDITION if article.created >= job.started else CHANGE,
                change_message=_("Imported from the uploaded file %(name)s.") % {"name": article.source_file},
            )
            for article in articles.only("pk", "title", "created", "source_file")
        ])
