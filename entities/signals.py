"""Link saved articles once their transaction commits, all of a transaction's at once.

After commit, so the importer's per-file transactions stay as they are and a
rolled-back import leaves no links behind.  Articles written in bulk (which
send no ``post_save``) arrive through ``articles_changed``, already committed.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Article
from articles.signals import articles_changed

from .linker import process_articles


class _LinkOnCommit:
    """The articles one transaction saved, linked together once it commits."""

    def __init__(self):
        self.pks = {}

    def __call__(self):
        process_articles(list(self.pks))


@receiver(post_save, sender=Article, dispatch_uid="entities-link-article")
def link_after_commit(sender, instance, raw=False, using="default", **kwargs):
    """Link the saved article with the others of its transaction, once it commits."""
    if raw:  # loading fixtures
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        process_articles([instance.pk])
        return
    # One callback per transaction, holding its articles: a rolled-back
    # transaction (or the savepoint that registered it) drops it, and its
    # articles with it.  An article saved in a later savepoint that rolls
    # back stays in it, and is then skipped as gone (or relinked unchanged).
    pending = next((func for _, func, _ in connection.run_on_commit if isinstance(func, _LinkOnCommit)), None)
    if pending is None:
        pending = _LinkOnCommit()
        transaction.on_commit(pending, using=using)
    pending.pks[instance.pk] = None


@receiver(articles_changed, sender=Article, dispatch_uid="entities-link-changed-articles")
def link_changed_articles(sender, pks, **kwargs):
    """Link articles written in bulk, sent once their transaction has committed."""
    process_articles(list(pks))
