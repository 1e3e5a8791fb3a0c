import sys

from django.core.management.base import BaseCommand

from articles.importcli import run_import


class Command(BaseCommand):
    help = (
        "Import agency text files (.txt) and JSON Lines feeds (.jsonl); folders are read recursively, "
        "- reads a feed from standard input. Exit status: 0 all imported, 1 some items rejected, "
        "3 nothing imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders, or - for standard input")
        parser.add_argument("--quiet-files", action="store_true", help="print only totals and rejections")
        parser.add_argument("--stdin-name", default="stdin.jsonl",
                            help="name of standard input; its suffix says what it is (default: stdin.jsonl)")
        parser.add_argument("--no-link", action="store_true",
                            help="leave linking people and events (and near-duplicates) to a later load_knowledge_base")

    def handle(self, *args, paths, quiet_files=False, stdin_name="stdin.jsonl", no_link=False, **options):
        status = run_import(paths, stdout=self.stdout, stderr=self.stderr, quiet_files=quiet_files,
                            stdin_name=stdin_name, link=not no_link)
        if status:
            sys.exit(status)
