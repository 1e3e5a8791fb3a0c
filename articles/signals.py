"""Signals other apps listen to, so the articles app never imports them.

``articles_changed`` is sent once per committed batch of articles that were
written without ``Model.save()`` (the importer's bulk writes send no
``post_save``): the search index and entity linking process the whole batch
at once.  ``pks`` lists the articles created or updated; it is sent after
the transaction that wrote them has committed.
"""

from django.dispatch import Signal

articles_changed = Signal()  # sender=Article, pks=list[int]
