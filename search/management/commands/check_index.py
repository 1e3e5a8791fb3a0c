from django.core.management.base import BaseCommand, CommandError

from search.consistency import check_index

SHOWN = 20


class Command(BaseCommand):
    help = "Compare the search index with the database (missing, stale, extra documents); --fix repairs it."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="re-index missing and stale rows, delete extra documents")

    def handle(self, *args, fix=False, **options):
        drift = check_index(fix=fix)
        for kind in ("missing", "stale", "extra"):
            ids = getattr(drift, kind)
            if ids:
                more = f" … and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
                self.stdout.write(f"{kind}: {', '.join(ids[:SHOWN])}{more}")
        self.stdout.write(drift.summary())
        if drift.in_sync:
            self.stdout.write(self.style.SUCCESS("the index matches the database"))
        elif drift.fixed:
            self.stdout.write(self.style.SUCCESS("repaired: the index matches the database again"))
        else:
            raise CommandError("the index has drifted from the database; run `manage.py check_index --fix`")
