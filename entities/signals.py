"""Link every saved article once its transaction commits.

After commit, so the importer's per-file transactions stay as they are and a
rolled-back import leaves no links behind.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Article

from .linker import process_article


@receiver(post_save, sender=Article, dispatch_uid="entities-link-article")
def link_after_commit(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures
        return
    transaction.on_commit(partial(process_article, instance.pk), using=kwargs.get("using"))
