import sys

from django.core.management.base import BaseCommand, CommandError

from editors.jobs import run_job
from editors.models import ImportJob


class Command(BaseCommand):
    help = "Import the files of an admin upload queued as ImportJob ID (the upload starts this itself, detached)."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id, **options):
        try:
            job = run_job(job_id)
        except ImportJob.DoesNotExist:
            raise CommandError(f"no import job {job_id}") from None
        totals = ", ".join(f"{job.counts.get(o, 0)} {o}" for o in ("created", "updated", "unchanged", "rejected"))
        self.stdout.write(f"job {job.pk}: {job.status}; {totals}")
        if job.status == ImportJob.Status.FAILED:
            sys.exit(1)
