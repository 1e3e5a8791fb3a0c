"""Signals other apps listen to, so the articles app never imports them.

``articles_changed`` is sent once per committed batch of articles that were
written without ``Model.save()`` (the importer's bulk writes send no
``post_save``): the search index and entity linking process the whole batch
at once.  ``pks`` lists the articles created or updated; it is sent after
the transaction that wrote them has committed.

``import_started`` and ``import_finished`` frame one import (``finished``
also after a failure), so a listener may gather the import's batches and
process them together at the end, as the search index does.
"""

from django.dispatch import Signal

articles_changed = Signal()  # sender=Article, pks=list[int]
import_started = Signal()  # sender=Article
import_finished = Signal()  # sender=Article
