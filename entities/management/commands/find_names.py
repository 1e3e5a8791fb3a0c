import json

from django.core.management.base import BaseCommand, CommandError

from entities.names import LANGUAGES, UnreadableFile, names_in_file


class Command(BaseCommand):
    help = "Print the people's names found in text files, one JSON object per name (offsets into the decoded text)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--language", choices=LANGUAGES, help="detected from each file's text when not given")

    def handle(self, *args, files, language, **options):
        failed = []
        for path in files:
            try:
                found = names_in_file(path, language)
            except UnreadableFile as exc:
                failed.append(str(exc))
                self.stderr.write(str(exc))
                continue
            for name in found:
                self.stdout.write(json.dumps(name, ensure_ascii=False))
        if failed:
            raise CommandError(f"{len(failed)} of {len(files)} files could not be read")
