"""Writing an import's items to the database: in batches, idempotent, each outcome reported.

An item whose content hash is stored under its key already is left alone
(unchanged); others are created or updated, after validation, and a batch the
database refuses is written again item by item, so one bad item is rejected
alone.  Each batch's articles then go through the after-commit steps
(``articles.pipeline``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import pipeline
from .importrecord import Item
from .importreport import CREATED, REJECTED, UNCHANGED, UPDATED, FileReport
from .models import Article, Source
from .parsing import canonical_source
from .text import normalize_key

log = logging.getLogger(__name__)

IMPORT_BATCH_ITEMS = 500
# What the importer sets and validation can still refuse (the rest it
# builds itself: lengths are checked, the language is checked).
_VALIDATED = ("title", "body", "url")
_UNVALIDATED = [f.name for f in Article._meta.get_fields() if f.concrete and f.name not in _VALIDATED]
_UPDATED_FIELDS = [
    "title", "slug", "lead", "body", "language", "published", "date_only", "source", "via", "dateline",
    "external_id", "url", "source_file", "raw", "raw_encoding", "content_hash", "modified", "import_key", "version",
]


class Writer:
    """Writes parsed items in batches, each batch in one transaction.

    One query finds which items exist already (unchanged ones are left
    alone), new articles are inserted together and changed ones updated
    together.  Items are validated first, so a bad one is rejected alone and
    nothing of it (not even a new source) is written.  Should a batch still
    fail in the database, it is written again item by item, each in its own
    savepoint.  After each batch commits, its articles go through the
    after-commit steps (``articles.pipeline``: index, link, ...), those of
    ``run`` when the writer belongs to an import.

    Files are reported to ``progress`` once all their items are written.
    """

    def __init__(self, progress: Callable[[FileReport], None] | None = None, run: pipeline.Run | None = None):
        self.committed = run.committed if run is not None else pipeline.committed
        self.items: list[Item] = []
        self.keys: set[str] = set()
        self.finished: list[FileReport] = []
        self.progress = progress
        self.sources: dict[str, Source] = {}

    def add(self, item: Item) -> None:
        if item.key in self.keys or item.legacy_key in self.keys:  # the later one must see the first
            self.flush()
        self.items.append(item)
        self.keys.add(item.key)
        if item.legacy_key:
            self.keys.add(item.legacy_key)
        if len(self.items) >= IMPORT_BATCH_ITEMS:
            self.flush()

    def file_done(self, report: FileReport) -> None:
        self.finished.append(report)
        if not self.items:
            self._report_finished()

    def flush(self) -> None:
        items, self.items, self.keys = self.items, [], set()
        if items:
            try:
                with transaction.atomic():
                    changed = self._write(items)
            except Exception:
                log.exception("a batch of %d items failed; writing them one by one", len(items))
                self.sources.clear()  # the ones the batch created were rolled back
                changed = self._write_one_by_one(items)
            if changed:
                transaction.on_commit(partial(self.committed, changed))
        self._report_finished()

    def _report_finished(self) -> None:
        finished, self.finished = self.finished, []
        if self.progress:
            for report in finished:
                self.progress(report)

    def _existing(self, items: list[Item]) -> dict[str, tuple[int, str, str]]:
        """Rows of the items (by key, else by a legacy key no other item has): key -> (pk, hash, key stored)."""
        keys = {item.key for item in items}
        legacy = {item.legacy_key for item in items if item.legacy_key}
        rows = Article.objects.select_for_update().filter(import_key__in=keys | legacy)
        stored = {key: (pk, content_hash) for key, pk, content_hash in rows.values_list("import_key", "pk", "content_hash")}
        existing = {key: (*stored[key], key) for key in keys if key in stored}
        claimed = {row[0] for row in existing.values()}
        for item in sorted((i for i in items if i.legacy_key and i.key not in existing), key=lambda i: i.key):
            pk, content_hash = stored.get(item.legacy_key, (None, None))
            if pk is not None and pk not in claimed:
                claimed.add(pk)
                existing[item.key] = (pk, content_hash, item.legacy_key)
        return existing

    def _write(self, items: list[Item]) -> list[int]:
        existing = self._existing(items)
        new, changed, outcomes, rekeyed = [], [], [], []
        for item in items:
            pk, content_hash, stored_key = existing.get(item.key, (None, None, None))
            if content_hash == item.content_hash:
                outcomes.append((item, UNCHANGED, pk, ""))
                if stored_key != item.key:
                    rekeyed.append((pk, item))
                continue
            article = self._article(item, pk)
            try:
                article.clean_fields(exclude=_UNVALIDATED)
            except ValidationError as exc:
                outcomes.append((item, REJECTED, None, f"{item.where}: {_invalid(exc)}"))
                continue
            (new if pk is None else changed).append((item, article))
        written = new + changed
        for pk, item in rekeyed:  # an old row under its base name now has its path as key
            Article.objects.filter(pk=pk).update(import_key=item.key, source_file=item.source_file[:500])
        self._set_sources([pair[1] for pair in written], [pair[0] for pair in written])
        Article.objects.bulk_create([pair[1] for pair in new])
        now = timezone.now()
        for pair in changed:
            pair[1].modified = now
            pair[1].bump_version()  # an editor who opened it before is told, not overwritten
        Article.objects.bulk_update([pair[1] for pair in changed], _UPDATED_FIELDS)
        outcomes += [(item, CREATED, article.pk, "") for item, article in new]
        outcomes += [(item, UPDATED, article.pk, "") for item, article in changed]
        # Counted only now: a failed batch is written again item by item.
        for item, outcome, pk, message in outcomes:
            item.report.add(outcome, message, article_id=pk)
        return [pair[1].pk for pair in written]

    def _article(self, item: Item, pk: int | None) -> Article:
        parsed = item.parsed
        article = Article(
            pk=pk, import_key=item.key, title=parsed.title, lead=parsed.lead, body=parsed.body,
            language=parsed.language, published=parsed.published, date_only=parsed.date_only,
            dateline=parsed.dateline[:100], external_id=parsed.external_id, url=parsed.url,
            source_file=item.source_file[:500], raw=item.raw, raw_encoding=item.encoding,
            content_hash=item.content_hash,
        )
        if pk is None:
            article.status = Article.Status.PUBLISHED
        article.fill_slug()
        return article

    def _set_sources(self, articles: list[Article], items: list[Item]) -> None:
        # in the order the feed names them, so that a re-import on a fresh database gives the same ids
        names = dict.fromkeys(name for item in items for name in (item.parsed.source, item.parsed.via) if name and name.strip())
        for name in names:
            if name not in self.sources:
                self.sources[name] = _source(name)
        for article, item in zip(articles, items, strict=True):
            article.source = self.sources.get(item.parsed.source)
            article.via = self.sources.get(item.parsed.via)

    def _write_one_by_one(self, items: list[Item]) -> list[int]:
        changed = []
        for item in items:
            try:
                with transaction.atomic():
                    batch = Writer()
                    pks = batch._write([item])
            except Exception as exc:  # a database error rejects this item only
                log.exception("import of %s failed", item.where)
                item.report.add(REJECTED, f"{item.where}: " + _("the database refused it (%(error)s)") % {
                    "error": str(exc).strip().splitlines()[0][:200] if str(exc).strip() else exc.__class__.__name__})
            else:
                changed += pks
        return changed


def _invalid(exc: ValidationError) -> str:
    fields = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
    return _("a field is not valid (%(fields)s)") % {"fields": fields}


def _source(name: str) -> Source:
    canonical, english = canonical_source(name)
    source = Source.objects.filter(key=normalize_key(canonical)).first()
    if source is None:
        source = Source(name=canonical[:200], name_en=english)
        source.save()
    return source

