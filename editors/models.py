"""Imports of large admin uploads, run by a process of their own (see ``editors.jobs``)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A running job writes its progress at least this often; one silent for
# longer has died (killed, or the machine restarted).
HEARTBEAT = dt.timedelta(seconds=120)


class ImportJob(models.Model):
    """One upload imported in the background: its files, its progress and its report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=10, default="fa", help_text="The editor's language: the report is in it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    folder = models.CharField(max_length=500, help_text="Where the uploaded files wait, below IMPORT_JOBS_DIR.")
    files = models.JSONField(default=list, help_text="[{name, stored, size}] in the order uploaded.")
    current = models.CharField(max_length=500, blank=True, help_text="The file being read.")
    lines = models.PositiveIntegerField(default=0, help_text="Lines of the current file read.")
    counts = models.JSONField(default=dict, help_text="created / updated / unchanged / rejected so far.")
    report = models.JSONField(default=list, help_text="One entry per file: name, counts, messages, warnings, ids.")
    error = models.TextField(blank=True)
    pid = models.IntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING) and not self.stalled

    @property
    def stalled(self):
        """A job that stopped without a word (its process was killed)."""
        last = self.heartbeat or self.created
        return self.status in (self.Status.QUEUED, self.Status.RUNNING) and timezone.now() - last > HEARTBEAT

    @property
    def total(self):
        return sum(self.counts.get(o, 0) for o in ("created", "updated", "unchanged", "rejected"))

    @property
    def rate(self):
        """Articles per second so far."""
        if not self.started:
            return 0
        seconds = ((self.finished or timezone.now()) - self.started).total_seconds()
        return round(self.total / seconds) if seconds > 0 else 0
