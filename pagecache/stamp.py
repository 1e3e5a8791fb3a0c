"""The content stamp: one small file that changes whenever any content does.

Every saved or deleted row (of any model but sessions and the admin log)
writes a new random stamp, now and again once the transaction commits, so a
request that cached the old row in between is retired too; so does every
committed batch of articles written in bulk (the ``stamp`` step of
``articles.pipeline``, after the index and links of the batch are written).  The
cache key of every page includes the stamp, so all gunicorn workers of the
machine see a change on their next request (reading the file costs
microseconds).  A bare ``QuerySet.update()`` sends no signal; such a change
shows once the cached copy expires (``PAGE_CACHE_SECONDS``).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_UNTRACKED_APPS = frozenset({"sessions", "admin", "contenttypes"})


def _path() -> Path:
    return Path(settings.PAGE_CACHE_STAMP)


def current() -> str:
    """The current stamp ("" before the first change)."""
    try:
        return _path().read_text(encoding="ascii")
    except OSError:
        return ""


def renew() -> None:
    """Write a new stamp, so every cached page is stale."""
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(uuid.uuid4().hex, encoding="ascii")
        partial.replace(path)  # atomic: readers never see half a stamp
    except OSError:
        pass  # a read-only disk must not turn a save into an error


def remember(key: str, compute):
    """``compute()``, kept by this process (the default cache) until the content changes.

    For figures a page would otherwise work out from a whole table on every
    view, such as the number of articles a list pages through.  Like a
    cached page, kept at most ``PAGE_CACHE_SECONDS`` for changes no signal
    tells of, and worked out every time while the page cache is off (the
    stamp moves only while it is on).
    """
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    return cache.get_or_set(f"stamped:{current()}:{hashlib.sha256(key.encode()).hexdigest()}", compute, seconds)


def content_changed(sender=None, using=None, **kwargs) -> None:
    if settings.PAGE_CACHE_SECONDS <= 0 or (sender is not None and sender._meta.app_label in _UNTRACKED_APPS):
        return
    renew()
    transaction.on_commit(renew, using=using)


def batch_committed(batch) -> None:
    """Renew the stamp once a batch of articles has gone through the other steps (step ``stamp``)."""
    if settings.PAGE_CACHE_SECONDS > 0:
        renew()


def connect() -> None:
    """Renew the stamp on every save, delete and many-to-many change."""
    for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(content_changed, dispatch_uid=f"pagecache-{name}")
