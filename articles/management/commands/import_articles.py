from django.core.management.base import BaseCommand, CommandError

from articles.importer import import_paths


class Command(BaseCommand):
    help = "Import agency text files (.txt) and JSON Lines feeds (.jsonl); folders are read recursively."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders")
        parser.add_argument("--quiet-files", action="store_true", help="print only totals and rejections")

    def handle(self, *args, paths, quiet_files=False, **options):
        def progress(file_report):
            for message in file_report.messages:
                self.stderr.write(f"rejected {message}")
            if not quiet_files:
                self.stdout.write(f"{file_report.name}: {file_report.summary()}")

        report = import_paths(paths, progress=progress)
        if not report.files:
            raise CommandError("no files found in " + ", ".join(paths))
        self.stdout.write(self.style.SUCCESS(f"total: {report.summary()}"))
