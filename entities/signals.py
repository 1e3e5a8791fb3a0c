"""Link saved articles once their transaction commits, all of a transaction's at once.

After commit, so the importer's per-file transactions stay as they are and a
rolled-back import leaves no links behind.  Articles written in bulk (which
send no ``post_save``) arrive through ``articles_changed``, already committed.
"""

import threading
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Article
from articles.signals import articles_changed

from .linker import process_articles

_local = threading.local()
_flushes: dict[str, partial] = {}


@receiver(post_save, sender=Article, dispatch_uid="entities-link-article")
def link_after_commit(sender, instance, raw=False, using="default", **kwargs):
    """Queue the saved article; its transaction's articles are linked together on commit."""
    if raw:  # loading fixtures
        return
    pending = _local.__dict__.setdefault("pending", {})
    pending.setdefault(using, {})[instance.pk] = None
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _flush(using)
        return
    # One callback per transaction.  A rolled-back savepoint drops its
    # callback, so look again rather than trusting a flag; articles queued
    # before a rollback are read again at flush time, harmlessly (gone ones
    # are skipped).
    flush = _flushes.setdefault(using, partial(_flush, using))
    if not any(func is flush for _, func, _ in connection.run_on_commit):
        transaction.on_commit(flush, using=using)


def _flush(using):
    pks = list(_local.__dict__.get("pending", {}).pop(using, {}))
    if pks:
        process_articles(pks)


@receiver(articles_changed, sender=Article, dispatch_uid="entities-link-changed-articles")
def link_changed_articles(sender, pks, **kwargs):
    """Link articles written in bulk, sent once their transaction has committed."""
    process_articles(list(pks))
