"""Import agency text files and JSON Lines feeds into articles.

``import_paths`` is what ``manage.py import_articles`` calls (files, folders
and ``-`` for standard input), ``import_stream`` and ``import_bytes`` what
the admin upload calls.  A feed is read as a stream, line by line, so its
size does not matter; items are written in batches (see ``_Writer``).  A
broken file or line is rejected with a reason (a translatable sentence)
and never leaves half an article behind, and one bad item never stops the
others.  Importing the same input twice changes nothing: text files are
keyed by their path below the folder imported (or inside the archive),
feed lines by id, URL or content, and compared by hash.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import pipeline
from .dates import DEFAULT_TIME_ZONES, EARLIEST, LATEST, in_range, parse_date
from .models import Article, Source
from .parsing import ParsedArticle, ParseError, canonical_source, parse_agency_text
from .text import detect_language, normalize_key, persian_letters

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".ham", ""}
FEED_SUFFIXES = {".jsonl", ".ndjson"}
CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, REJECTED)
STDIN = "-"


class RejectedInput(ValueError):
    """An input that cannot become an article; the message says why."""


@dataclass
class FileReport:
    """What happened to one file (a feed counts each of its lines)."""

    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    lines: int = 0  # lines of a feed read so far

    def add(self, outcome: str, message: str = "", article_id: int | None = None):
        self.counts[outcome] += 1
        if message:
            self.messages.append(message)
        if article_id is not None:
            self.article_ids.append(article_id)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def summary(self) -> str:
        return ", ".join(f"{self.counts[o]} {o}" for o in OUTCOMES)


@dataclass
class ImportReport:
    """Per-file reports and their totals."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        return {o: sum(f.counts[o] for f in self.files) for o in OUTCOMES}

    def summary(self) -> str:
        return ", ".join(f"{n} {o}" for o, n in self.totals.items())


def _max_item_bytes() -> int:
    return settings.IMPORT_MAX_FILE_BYTES


def _too_large(size: int | None) -> str:
    if size is None:  # a stream is not read to its end to say how large it is
        return _("too large (more than %(limit)s bytes): one article may not be longer") % {
            "limit": f"{_max_item_bytes():,}"}
    return _("too large (%(size)s bytes; the limit is %(limit)s): one article may not be longer") % {
        "size": f"{size:,}", "limit": f"{_max_item_bytes():,}"}


# --- decoding ---------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """Decode raw bytes to text; return ``(text, encoding)``.

    UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when the
    zero bytes give the byte order away) and Windows-1256, the legacy
    encoding of Persian and Arabic files.  Anything else is rejected with a
    reason: empty, binary, truncated, mixed or otherwise undecodable.
    """
    if not data.strip(b" \t\r\n\x00"):
        raise RejectedInput(_("empty file"))
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    encoding = _utf16_without_bom(data)
    if encoding:
        return _strict(data, encoding), encoding
    if b"\x00" in data:
        raise RejectedInput(_("binary file (contains NUL bytes), not text"))
    try:
        return _plausible(data.decode("utf-8"), "utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise RejectedInput(_("truncated UTF-8: the file ends inside a character (byte %(offset)s); "
                                  "copy the whole file again") % {"offset": exc.start}) from None
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
        if _mostly_utf8(data[start:end if end >= 0 else len(data)]):  # a few bad bytes amid UTF-8
            raise RejectedInput(_("broken UTF-8: invalid bytes on line %(line)s; save the file as UTF-8 again")
                                % {"line": line}) from None
        if (utf8 := _utf8_line(data)) is not None:
            # Windows-1256 decodes any byte, so the UTF-8 lines would become mojibake.
            raise RejectedInput(_("mixed encodings: line %(line)s is in another encoding than line %(utf8)s "
                                  "(UTF-8); save the whole file in one encoding") % {"line": line, "utf8": utf8}) from None
    return _plausible(data.decode("cp1256", errors="strict"), "cp1256"), "cp1256"


# A Persian or Arabic letter in UTF-8: two bytes, D8-DB then a continuation byte.
_UTF8_ARABIC_RE = re.compile(rb"[\xd8-\xdb][\x80-\xbf]")


def _utf8_line(data: bytes) -> int | None:
    """The number of the first line that is Persian or Arabic UTF-8 (Windows-1256 text never is)."""
    for number, line in enumerate(data.split(b"\n"), 1):
        if len(_UTF8_ARABIC_RE.findall(line)) >= 2:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return number
    return None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return _plausible(data.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        raise RejectedInput(_("undecodable %(encoding)s: invalid data at byte %(offset)s; save the file as UTF-8")
                            % {"encoding": encoding, "offset": exc.start}) from None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    # Arabic script in UTF-16 has 0x06 high bytes, ASCII has 0x00 ones.
    even_06 = sample[0::2].count(6) / len(sample[0::2])
    odd_06 = sample[1::2].count(6) / len(sample[1::2])
    if odd_zeros + odd_06 > 0.6 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros + even_06 > 0.6 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    # Valid multi-byte sequences before the first error mean the file is
    # UTF-8 gone wrong; reading it as cp1256 would only make mojibake.
    head = data[:65536]
    decoded = head.decode("utf-8", errors="replace")
    return sum(1 for ch in decoded if ord(ch) > 0x7F and ch != "\ufffd") > decoded.count("\ufffd")


# Control characters no text has (all but tab, line breaks and form feed).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _plausible(text: str, encoding: str) -> str:
    if not text.strip(" \t\r\n\ufeff"):
        raise RejectedInput(_("empty file"))
    # Searched in C: a file may be megabytes of text.
    controls = len(_CONTROL_RE.findall(text)) if _CONTROL_RE.search(text) else 0
    if controls > max(2, len(text) // 200):
        raise RejectedInput(_("binary data, not text (read as %(encoding)s)") % {"encoding": encoding})
    return text


# Windows-1256 has no Persian yeh, so legacy Persian files write ی as
# Arabic ي (or ى); readers of Persian must see their own letters.


def persian_letters_if_legacy(text: str, encoding: str) -> str:
    """Persian yeh and kaf in Persian text read from Windows-1256."""
    if encoding == "cp1256" and detect_language(text) == "fa":
        return persian_letters(text)
    return text


# --- what an article may hold ---------------------------------------------------

# Control characters (C0 and C1, NUL included) never reach stored text: SQLite
# would keep a NUL that PostgreSQL refuses, and pages would show junk.  A title
# is one line; a lead or body keeps its tabs and line breaks.
_LINE_CONTROLS_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_TEXT_CONTROLS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_FIELD_LIMITS = {"title": 500, "external_id": 200, "url": 1000, "source": 200, "via": 200}
_FIELD_NAMES = {"title": gettext_noop("title"), "external_id": gettext_noop("id"), "url": gettext_noop("URL"),
                "source": gettext_noop("source"), "via": gettext_noop("via")}


def _clean(parsed: ParsedArticle, where: str, report: FileReport) -> None:
    """Remove control characters (reporting it) and refuse what cannot be stored whole."""
    removed = 0
    for name in ("title", "source", "via", "external_id", "url", "dateline"):
        value = getattr(parsed, name)
        cleaned, count = _LINE_CONTROLS_RE.subn(" ", value)
        if count:
            removed += count
            setattr(parsed, name, " ".join(cleaned.split()))
    for name in ("lead", "body"):
        value = getattr(parsed, name).replace("\r\n", "\n")
        cleaned, count = _TEXT_CONTROLS_RE.subn(" ", value)
        removed += count
        setattr(parsed, name, cleaned)
    if removed:
        report.warn(_("%(where)s: %(count)s control characters (such as NUL) were replaced by spaces")
                    % {"where": where, "count": removed})
    for name, value in vars(parsed).items():
        if isinstance(value, str) and _SURROGATE_RE.search(value):
            raise RejectedInput(_("the field %(field)s holds an unpaired surrogate (such as \\ud800), which is not "
                                  "a character; fix the escape in the feed") % {"field": _(_FIELD_NAMES.get(name, name))})
    for name, limit in _FIELD_LIMITS.items():
        if len(getattr(parsed, name)) > limit:
            raise RejectedInput(_("the %(field)s is %(length)s characters long; the limit is %(limit)s") % {
                "field": _(_FIELD_NAMES[name]), "length": f"{len(getattr(parsed, name)):,}", "limit": limit})
    if not parsed.title.strip():
        raise RejectedInput(_("missing title"))
    if parsed.published is not None and not in_range(parsed.published):
        raise RejectedInput(_out_of_range(parsed.published.date().isoformat()))


def _out_of_range(shown: str) -> str:
    return _("the date %(date)s is outside the years %(first)s to %(last)s that the portal accepts; "
             "correct the date or leave it out") % {"date": shown, "first": EARLIEST.year, "last": LATEST.year}


# --- writing articles ---------------------------------------------------------

IMPORT_BATCH_ITEMS = 500
# What the importer sets and validation can still refuse (the rest it
# builds itself: lengths are checked, the language is checked).
_VALIDATED = ("title", "body", "url")
_UNVALIDATED = [f.name for f in Article._meta.get_fields() if f.concrete and f.name not in _VALIDATED]
_UPDATED_FIELDS = [
    "title", "slug", "lead", "body", "language", "published", "date_only", "source", "via", "dateline",
    "external_id", "url", "source_file", "raw", "raw_encoding", "content_hash", "modified", "import_key", "version",
]


@dataclass
class _Item:
    """One parsed article waiting to be written, and where to report it."""

    key: str
    parsed: ParsedArticle
    raw: bytes
    encoding: str
    content_hash: str
    source_file: str
    where: str
    report: FileReport
    # A text file's key before keys were paths (its base name): such a row is
    # taken over rather than imported a second time.
    legacy_key: str | None = None


class _Writer:
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
        self.items: list[_Item] = []
        self.keys: set[str] = set()
        self.finished: list[FileReport] = []
        self.progress = progress
        self.sources: dict[str, Source] = {}

    def add(self, item: _Item) -> None:
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

    def _existing(self, items: list[_Item]) -> dict[str, tuple[int, str, str]]:
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

    def _write(self, items: list[_Item]) -> list[int]:
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

    def _article(self, item: _Item, pk: int | None) -> Article:
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

    def _set_sources(self, articles: list[Article], items: list[_Item]) -> None:
        names = {name for item in items for name in (item.parsed.source, item.parsed.via) if name and name.strip()}
        for name in names - self.sources.keys():
            self.sources[name] = _source(name)
        for article, item in zip(articles, items, strict=True):
            article.source = self.sources.get(item.parsed.source)
            article.via = self.sources.get(item.parsed.via)

    def _write_one_by_one(self, items: list[_Item]) -> list[int]:
        changed = []
        for item in items:
            try:
                with transaction.atomic():
                    batch = _Writer()
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


def _item(key: str, parsed: ParsedArticle, *, raw: bytes, encoding: str, text: str, source_file: str,
          where: str, report: FileReport, legacy_key: str | None = None) -> _Item:
    if not parsed.language:
        raise RejectedInput(_("no Persian or Arabic text found"))
    _clean(parsed, where, report)
    return _Item(key, parsed, raw, encoding, Article.hash_text(text), source_file, where, report, legacy_key)


def _unexpected(where: str, report: FileReport) -> None:
    log.exception("import of %s failed", where)
    report.add(REJECTED, f"{where}: " + _("it could not be read because of an unexpected error (the details are in "
                                          "the server log); please report it"))


# --- agency text files ------------------------------------------------------------


def import_text_file(name: str, data: bytes, report: FileReport, writer: _Writer) -> None:
    """Read one agency text file given its name (its path below the import root) and bytes."""
    try:
        text, encoding = decode(data)
        parsed = parse_agency_text(persian_letters_if_legacy(text, encoding))
        legacy = f"file:{name.rsplit('/', 1)[-1]}" if "/" in name else None
        item = _item(f"file:{name}", parsed, raw=data, encoding=encoding, text=text, source_file=name,
                     where=name, report=report, legacy_key=legacy)
    except (RejectedInput, ParseError) as exc:
        report.add(REJECTED, f"{name}: {exc}")
    except Exception:  # an unexpected reading error rejects this file only
        _unexpected(name, report)
    else:
        writer.add(item)


# --- JSON Lines feeds ---------------------------------------------------------------

_FEED_FIELDS = {"title", "body", "lead", "language", "published", "source", "via", "url", "id"}


def _feed_item(obj: object) -> ParsedArticle:
    if not isinstance(obj, dict):
        raise RejectedInput(_("not a JSON object"))
    values = {}
    for key in _FEED_FIELDS & obj.keys():
        value = obj[key]
        if value is None:
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise RejectedInput(_("field %(field)r must be text") % {"field": key})
        values[key] = str(value).strip()
    title, body = values.get("title", ""), values.get("body", "")
    if not title:
        raise RejectedInput(_("missing title"))
    if not body:
        raise RejectedInput(_("missing body"))
    language = values.get("language") or detect_language(f"{title}\n{body}")
    if language is None:
        raise RejectedInput(_('cannot tell Persian from Arabic in so little text: give "language"'))
    if language not in ("fa", "ar"):
        raise RejectedInput(_("language must be fa or ar, not %(language)r") % {"language": language[:20]})
    item = ParsedArticle(
        title=title, body=body, lead=values.get("lead", ""), language=language,
        source=values.get("source", ""), via=values.get("via", ""), url=values.get("url", ""),
        external_id=values.get("id", ""),
    )
    if values.get("published"):
        date = parse_date(values["published"], DEFAULT_TIME_ZONES[language])
        if date is None:
            raise RejectedInput(_("unreadable date %(date)r") % {"date": values["published"][:40]})
        if not in_range(date.value):
            raise RejectedInput(_out_of_range(values["published"][:40]))
        item.published, item.date_only = date.value, date.date_only
    return item


_READ_SIZE = 1 << 20


def _byte_lines(stream: BinaryIO, head: bytes, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` for every line, split on ``\\n`` only (``\\r\\n`` too); ``None`` for a line over ``limit``.

    Only ``\\n`` ends a line, as JSON Lines says: U+2028, U+2029 and U+0085
    may stand inside a JSON string, and the stored bytes and line numbers
    must be exact.  At most ``limit`` bytes of one line are held at a time.
    """
    buffer, number, skipping = head, 0, False
    while True:
        end = buffer.find(b"\n")
        if end < 0:
            if len(buffer) > limit:  # a line too long: drop what is read, skip to its end
                if not skipping:
                    number += 1
                    yield number, None
                skipping, buffer = True, b""
            chunk = stream.read(_READ_SIZE)
            if not chunk:
                if buffer and not skipping:
                    number += 1
                    yield number, buffer.removesuffix(b"\r")
                return
            buffer += chunk
            continue
        line, buffer = buffer[:end], buffer[end + 1:]
        if skipping:
            skipping = False
            continue
        number += 1
        yield number, (line.removesuffix(b"\r") if len(line) <= limit else None)


def _text_lines(stream: BinaryIO, head: bytes, encoding: str, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """The lines of a UTF-16 feed as ``_byte_lines`` gives them, in that encoding's bytes (split on ``\\n`` only)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    pending, number, chunk = "", 0, head
    while True:
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise RejectedInput(_("undecodable %(encoding)s after line %(line)s; save the file as UTF-8")
                                % {"encoding": encoding, "line": number}) from None
        pending += text
        *lines, pending = pending.split("\n")
        for line in lines:
            number += 1
            raw = line.removesuffix("\r").encode(encoding)
            yield number, (raw if len(raw) <= limit else None)
        if not chunk:
            if pending:
                number += 1
                raw = pending.removesuffix("\r").encode(encoding)
                yield number, (raw if len(raw) <= limit else None)
            return
        chunk = stream.read(_READ_SIZE)


def _feed_encoding(head: bytes) -> tuple[str, int]:
    """The encoding a feed's first bytes tell (``utf-8`` unless a BOM or the zero bytes say UTF-16) and the BOM's length."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    return _utf16_without_bom(head) or "utf-8", 0


class _LineDecoder:
    """Decodes a feed's lines one by one: UTF-8, or Windows-1256 when its first non-ASCII line is.

    A line in another encoding than the rest is rejected with its number.
    """

    def __init__(self, encoding: str):
        self.encoding = encoding
        self.settled = encoding != "utf-8"

    def decode(self, raw: bytes) -> str:
        if self.encoding.startswith("utf-16"):
            return raw.decode(self.encoding)
        if raw.isascii():
            return raw.decode("ascii")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if not self.settled and not _mostly_utf8(raw):
                self.encoding, self.settled = "cp1256", True
            if self.encoding == "utf-8":
                if exc.reason == "unexpected end of data":
                    raise RejectedInput(_("the line ends inside a UTF-8 character; the feed may be truncated")) from None
                raise RejectedInput(_("not valid UTF-8 (invalid bytes at position %(offset)s of the line); "
                                      "save the whole feed as UTF-8") % {"offset": exc.start}) from None
            return raw.decode("cp1256")
        if not self.settled:
            self.settled = True
        elif self.encoding == "cp1256" and len(_UTF8_ARABIC_RE.findall(raw)) >= 2:
            raise RejectedInput(_("this line is UTF-8 while earlier lines are Windows-1256; "
                                  "save the whole feed in one encoding"))
        return text


def import_feed(name: str, stream: BinaryIO, report: FileReport, writer: _Writer,
                on_line: Callable[[FileReport], None] | None = None) -> None:
    """Read a JSON Lines feed from a binary stream, line by line; ``writer`` writes the articles.

    Memory stays bounded whatever the size: one line (at most
    ``IMPORT_MAX_FILE_BYTES``) and one batch at a time.  A later line with
    the id (or URL) of an earlier one is not written again: it is reported
    with a warning, or rejected when its content differs.
    """
    limit = _max_item_bytes()
    head = stream.read(_READ_SIZE)
    if not head.strip(b" \t\r\n"):
        report.add(REJECTED, f"{name}: " + _("empty file"))
        return
    encoding, bom = _feed_encoding(head)
    if not encoding.startswith("utf-16") and b"\x00" in head[:4000]:
        report.add(REJECTED, f"{name}: " + _("binary file (contains NUL bytes), not text"))
        return
    if encoding.startswith("utf-16"):
        lines = _text_lines(stream, head[bom:], encoding, limit)
    else:
        lines = _byte_lines(stream, head[bom:], limit)
    decoder = _LineDecoder(encoding)
    seen: dict[int, tuple[int, str]] = {}  # digest of a key -> (line, content hash)
    try:
        for number, raw in lines:
            report.lines = number
            if on_line:
                on_line(report)
            _feed_line(name, number, raw, decoder, seen, report, writer, limit)
    except RejectedInput as exc:  # the rest of the stream cannot be read
        report.add(REJECTED, f"{name}: {exc}")
    except (OSError, EOFError, ValueError) as exc:  # e.g. a damaged archive member
        log.warning("reading %s stopped: %s", name, exc)
        report.add(REJECTED, f"{name}: " + _("reading stopped after line %(line)s: the file is damaged or "
                                            "incomplete; the lines before were imported") % {"line": report.lines})


def _feed_line(name: str, number: int, raw: bytes | None, decoder: _LineDecoder, seen: dict, report: FileReport,
               writer: _Writer, limit: int) -> None:
    where = _("%(name)s line %(number)s") % {"name": name, "number": number}
    if raw is None:
        report.add(REJECTED, f"{where}: " + _("the line is longer than %(limit)s bytes; one article may not be "
                                             "longer") % {"limit": f"{limit:,}"})
        return
    if not raw.strip():
        return
    try:
        line = decoder.decode(raw)
        if not line.strip():
            return
        parsed = _feed_item(json.loads(persian_letters_if_legacy(line, decoder.encoding)))
        key = _feed_key(parsed, line)
        content_hash = Article.hash_text(line)
        digest = int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")
        if digest in seen:
            first, first_hash = seen[digest]
            label = _("id") if parsed.external_id else _("URL") if parsed.url else _("text")
            if first_hash == content_hash:
                report.warn(f"{where}: " + _("the same %(what)s and content as line %(line)s; imported once")
                            % {"what": label, "line": first})
                report.add(UNCHANGED)
            else:
                report.add(REJECTED, f"{where}: " + _("the same %(what)s as line %(line)s but other content; only "
                                                     "line %(line)s was imported") % {"what": label, "line": first})
            return
        seen[digest] = (number, content_hash)
        item = _item(key, parsed, raw=raw, encoding=decoder.encoding, text=line,
                     source_file=f"{name}:{number}", where=where, report=report)
    except json.JSONDecodeError as exc:
        report.add(REJECTED, f"{where}: " + _("invalid JSON (%(error)s at column %(column)s)")
                   % {"error": exc.msg, "column": exc.colno})
    except RecursionError:
        report.add(REJECTED, f"{where}: " + _("invalid JSON (nested too deeply)"))
    except RejectedInput as exc:
        report.add(REJECTED, f"{where}: {exc}")
    except ValueError as exc:  # json refuses numbers of thousands of digits
        if "digits" not in str(exc):
            raise
        report.add(REJECTED, f"{where}: " + _("a number in the line has too many digits; write ids as text"))
    except Exception:
        _unexpected(where, report)
    else:
        writer.add(item)


def _feed_key(item: ParsedArticle, line: str) -> str:
    source = normalize_key(canonical_source(item.source)[0]) if item.source else ""
    if item.external_id:
        return f"feed:{source}:id:{item.external_id}"[:600]
    if item.url:
        return f"feed:url:{item.url}"[:600]
    return f"feed:hash:{Article.hash_text(item.title + item.body)}"


# --- files, folders and streams -----------------------------------------------------


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """``(path, name)`` of every file to import: a file inside a folder named by its path below it.

    ``dirA/same.txt`` and ``dirB/same.txt`` are two articles; a file named on
    its own is known by its base name.
    """
    for path in map(Path, paths):
        if str(path) == STDIN:
            yield path, STDIN
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield child, child.relative_to(path).as_posix()
        else:
            yield path, path.name


def import_bytes(name: str, data: bytes, report: ImportReport, writer: _Writer | None = None) -> FileReport:
    """Import one named input already in memory."""
    return import_stream(name, io.BytesIO(data), report, writer)


def import_stream(name: str, stream: BinaryIO, report: ImportReport, writer: _Writer | None = None, *,
                  size: int | None = None, on_line: Callable[[FileReport], None] | None = None) -> FileReport:
    """Import one named binary stream: a feed line by line, a text file whole (the admin upload uses this).

    ``name`` is the file's path below the import root (or in the archive),
    its suffix says what it is.  Without a ``writer`` the items are written
    before this returns.
    """
    own = writer is None
    writer = writer or _Writer()
    file_report = FileReport(name)
    report.files.append(file_report)
    try:
        _read_stream(name, stream, file_report, writer, size, on_line)
    except Exception:
        _unexpected(name, file_report)
    if own:
        writer.flush()
    return file_report


def _read_stream(name, stream, file_report, writer, size, on_line) -> None:
    suffix = Path(name).suffix.lower()
    if any("\udc80" <= ch <= "\udcff" for ch in name):
        # A name that is not UTF-8 on disk arrives with surrogate escapes, which
        # no database can store; say so rather than fail on the INSERT.
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        file_report.name = shown
        file_report.add(REJECTED, f"{shown}: " + _("the file name is not valid UTF-8 text; rename the file"))
    elif suffix in FEED_SUFFIXES:
        import_feed(name, stream, file_report, writer, on_line)
    elif suffix in TEXT_SUFFIXES:
        limit = _max_item_bytes()
        if size is not None and size > limit:  # refused without reading it
            file_report.add(REJECTED, f"{name}: " + _too_large(size))
            return
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            file_report.add(REJECTED, f"{name}: " + _("the file could not be read to its end (%(error)s)")
                            % {"error": exc})
            return
        if len(data) > limit:
            file_report.add(REJECTED, f"{name}: " + _too_large(None))
            return
        import_text_file(name, data, file_report, writer)
    else:
        file_report.add(REJECTED, f"{name}: " + _("unsupported file type %(suffix)r (use .txt or .jsonl)")
                        % {"suffix": suffix})


def _read_path(path: Path, name: str, report: ImportReport, writer: _Writer, stdin: BinaryIO | None,
               stdin_name: str, on_line: Callable[[FileReport], None] | None) -> FileReport:
    if name == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        return import_stream(stdin_name, stream, report, writer, on_line=on_line)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # opening a pipe or device would wait for ever
            file_report = FileReport(name)
            file_report.add(REJECTED, f"{path}: " + _("not a regular file (a pipe, socket or device); to import "
                                                     "from a pipe, give - and send the feed to standard input"))
            report.files.append(file_report)
            return file_report
        with open(path, "rb") as stream:
            return import_stream(name, stream, report, writer, size=info.st_size, on_line=on_line)
    except OSError as exc:
        file_report = FileReport(str(path))
        file_report.add(REJECTED, f"{path}: " + _("cannot read it (%(error)s)") % {"error": exc.strerror or exc})
        report.files.append(file_report)
        return file_report


def import_paths(paths: Iterable[str | Path], *, progress: Callable[[FileReport], None] | None = None,
                 on_line: Callable[[FileReport], None] | None = None, stdin: BinaryIO | None = None,
                 stdin_name: str = "stdin.jsonl", link: bool = True) -> ImportReport:
    """Import files, folders and ``-`` (standard input, by default a feed); return the per-file report.

    Standard input is known as ``stdin_name``, whose suffix says what it is
    (``-`` is ``stdin``, or ``sys.stdin.buffer`` when none is given).

    ``progress`` is called once each file's articles are written and
    ``on_line`` after each line of a feed is read, so a command can print as
    it goes.  The whole import is one ``pipeline.Run``: its batches are
    indexed in one session; ``link=False`` leaves entity linking and
    near-duplicates out (``load_knowledge_base`` links every article later).
    """
    report = ImportReport()
    with import_session(progress, link=link) as writer:
        for path, name in iter_inputs(paths):
            writer.file_done(_read_path(path, name, report, writer, stdin, stdin_name, on_line))
    return report


@contextmanager
def import_session(progress: Callable[[FileReport], None] | None = None, *, link: bool = True) -> Iterator[_Writer]:
    """One import of many files: the writer they share, and the after-commit run of their batches.

    Give the writer to ``import_stream`` for each file (and ``file_done``
    its report, to hear of it through ``progress`` once it is written);
    what is still pending is written when the block ends, and the run's
    sessions (the search index's) finish then, also after a failure.
    """
    with pipeline.Run(skip=() if link else ("link",)) as run:
        writer = _Writer(progress, run)
        yield writer
        writer.flush()
