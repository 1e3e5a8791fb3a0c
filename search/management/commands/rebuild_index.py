"""``manage.py rebuild_index``: the whole search index again, from the database.

Haystack's command of the same name clears the index and writes it back a
batch (and a segment) at a time; this one builds it in one session of
``search.whoosh.bulk``: worker processes, one commit.  The search app is listed
before Haystack in INSTALLED_APPS so that this command is the one run.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from haystack import connections

from search.whoosh.bulk import rebuild


class Command(BaseCommand):
    help = "Clear the search index and index every published article again (in worker processes, one commit)."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask before clearing the index")
        parser.add_argument("-u", "--using", default="default", help="the Haystack connection")
        parser.add_argument("-b", "--batch-size", dest="batchsize", type=int,
                            help="accepted for Haystack's command line; batches are search.whoosh.bulk's")
        parser.add_argument("--if-outdated", action="store_true",
                            help="only if an older version built the index (what make run does after an upgrade)")

    def handle(self, *args, interactive=True, using="default", verbosity=1, if_outdated=False, **options):
        if if_outdated:
            reason = connections[using].get_backend().outdated()
            if not reason:
                if verbosity:
                    self.stdout.write("the search index is up to date")
                return
            self.stdout.write(f"rebuilding the search index: {reason}")
        elif interactive:
            answer = input("This clears the search index and builds it again from the database. Go on? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("rebuild cancelled")
        started = time.monotonic()
        last = [0.0]

        def progress(done, total):
            if verbosity and (time.monotonic() - last[0] > 2 or done == total):
                last[0] = time.monotonic()
                self.stdout.write(f"  {done:,}/{total:,} articles read")

        total = rebuild(using, progress)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"indexed {total:,} articles in {time.monotonic() - started:.0f} s"))
