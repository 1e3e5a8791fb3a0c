import time

from django.core.management.base import BaseCommand, CommandError

from articles.importer import import_paths, iter_files


class Command(BaseCommand):
    help = "Import agency text files (.txt) and JSON Lines feeds (.jsonl); folders are read recursively."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders")
        parser.add_argument("--quiet-files", action="store_true", help="print only totals and rejections")

    def handle(self, *args, paths, quiet_files=False, **options):
        files = list(iter_files(paths))
        if not files:
            raise CommandError("no files found in " + ", ".join(paths))
        progress = Progress(len(files))

        def report_file(file_report):
            for message in file_report.messages:
                self.stderr.write(f"rejected {message}")
            progress.add(sum(file_report.counts.values()))
            if not quiet_files:
                self.stdout.write(f"{progress.prefix()} {file_report.name}: {file_report.summary()}{progress.suffix()}")

        report = import_paths(files, progress=report_file)
        self.stdout.write(self.style.SUCCESS(f"total: {report.summary()}"))


class Progress:
    """Files done of all, items per second and the time left, for long imports."""

    def __init__(self, total_files: int):
        self.total, self.done, self.items, self.started = total_files, 0, 0, time.monotonic()

    def add(self, items: int) -> None:
        self.done += 1
        self.items += items

    def prefix(self) -> str:
        width = len(str(self.total))
        return f"[{self.done:>{width}}/{self.total}]"

    def suffix(self) -> str:
        elapsed = time.monotonic() - self.started
        # Only worth saying on a long import: a few seeds finish before it matters.
        if self.total < 10 or elapsed < 2:
            return ""
        left = elapsed / self.done * (self.total - self.done)
        rate = self.items / elapsed
        return f"  ({self.items:,} items, {rate:,.{1 if rate < 10 else 0}f}/s, about {_duration(left)} left)"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
