from django.core.management.base import BaseCommand, CommandError

from entities.knowledge import DEFAULT_PATH, KnowledgeBaseError, load_knowledge_base


class Command(BaseCommand):
    help = "Load people, places and events from the knowledge base file and relink all articles."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, path, **options):
        try:
            counts = load_knowledge_base(path)
        except KnowledgeBaseError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(", ".join(f"{n} {kind}" for kind, n in counts.items()))
