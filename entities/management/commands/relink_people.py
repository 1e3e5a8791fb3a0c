"""``manage.py relink_people``: find and group the people of every article again (after retraining the recogniser)."""

from django.core.management.base import BaseCommand

from entities.linker import relink_all


class Command(BaseCommand):
    help = "Link every article again: known people, events and the people the name recogniser finds."

    def handle(self, *args, **options):
        self.stdout.write(f"{relink_all()} articles relinked.")
