"""Import agency text files and JSON Lines feeds into articles.

``import_paths`` is what ``manage.py import_articles`` calls and
``import_bytes`` what the admin upload calls.  Items are written in
batches (see ``_Writer``): a broken file or line is rejected with a reason
and never leaves half an article behind, and one bad file never stops the
others.  Importing the same input twice changes nothing: items are keyed by
file name (or feed id) and compared by hash.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .dates import DEFAULT_TIME_ZONES, parse_date
from .models import Article, Source
from .parsing import ParsedArticle, ParseError, canonical_source, parse_agency_text
from .signals import articles_changed, import_finished, import_started
from .text import detect_language, normalize_key

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".ham", ""}
FEED_SUFFIXES = {".jsonl", ".ndjson"}
CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, REJECTED)


class RejectedInput(ValueError):
    """An input that cannot become an article; the message says why."""


@dataclass
class FileReport:
    """What happened to one file (a feed counts each of its lines)."""

    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    messages: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    def add(self, outcome: str, message: str = "", article_id: int | None = None):
        self.counts[outcome] += 1
        if message:
            self.messages.append(message)
        if article_id is not None:
            self.article_ids.append(article_id)

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


# --- decoding ---------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """Decode raw bytes to text; return ``(text, encoding)``.

    UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when the
    zero bytes give the byte order away) and Windows-1256, the legacy
    encoding of Persian and Arabic files.  Anything else is rejected with a
    reason: empty, binary, truncated or otherwise undecodable.
    """
    if not data.strip(b" \t\r\n\x00"):
        raise RejectedInput("empty file")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    encoding = _utf16_without_bom(data)
    if encoding:
        return _strict(data, encoding), encoding
    if b"\x00" in data:
        raise RejectedInput("binary file (contains NUL bytes), not text")
    try:
        return _plausible(data.decode("utf-8"), "utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise RejectedInput(f"truncated UTF-8: the file ends inside a character (byte {exc.start})") from None
        if _mostly_utf8(data):
            raise RejectedInput(f"broken UTF-8: invalid byte at offset {exc.start}") from None
    return _plausible(data.decode("cp1256", errors="strict"), "cp1256"), "cp1256"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return _plausible(data.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        raise RejectedInput(f"undecodable {encoding}: invalid data at byte {exc.start}") from None


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
        raise RejectedInput("empty file")
    # Searched in C: a feed of thousands of articles is megabytes of text.
    controls = len(_CONTROL_RE.findall(text)) if _CONTROL_RE.search(text) else 0
    if controls > max(2, len(text) // 200):
        raise RejectedInput(f"binary data, not text (read as {encoding})")
    return text


# Windows-1256 has no Persian yeh, so legacy Persian files write ی as
# Arabic ي (or ى); readers of Persian must see their own letters.
_LEGACY_PERSIAN_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})


def persian_letters_if_legacy(text: str, encoding: str) -> str:
    """Persian yeh and kaf in Persian text read from Windows-1256."""
    if encoding == "cp1256" and detect_language(text) == "fa":
        return text.translate(_LEGACY_PERSIAN_LETTERS)
    return text


# --- writing articles ---------------------------------------------------------

IMPORT_BATCH_ITEMS = 500
# What the importer sets and validation can still refuse (the rest it
# builds itself: lengths are cut to fit, the language is checked).
_VALIDATED = ("title", "body", "url")
_UNVALIDATED = [f.name for f in Article._meta.get_fields() if f.concrete and f.name not in _VALIDATED]
_UPDATED_FIELDS = [
    "title", "slug", "lead", "body", "language", "published", "date_only", "source", "via", "dateline",
    "external_id", "url", "source_file", "raw", "raw_encoding", "content_hash", "modified", "version",
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


class _Writer:
    """Writes parsed items in batches, each batch in one transaction.

    One query finds which items exist already (unchanged ones are left
    alone), new articles are inserted together and changed ones updated
    together.  Items are validated first, so a bad one is rejected alone and
    nothing of it (not even a new source) is written.  Should a batch still
    fail in the database, it is written again item by item, each in its own
    savepoint.  After each batch commits, ``articles_changed`` tells the
    search index and entity linking which articles to process.

    Files are reported to ``progress`` once all their items are written.
    """

    def __init__(self, progress: Callable[[FileReport], None] | None = None):
        self.items: list[_Item] = []
        self.keys: set[str] = set()
        self.finished: list[FileReport] = []
        self.progress = progress
        self.sources: dict[str, Source] = {}

    def add(self, item: _Item) -> None:
        if item.key in self.keys:  # the same item twice: the later one must see the first
            self.flush()
        self.items.append(item)
        self.keys.add(item.key)
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
                transaction.on_commit(partial(articles_changed.send, sender=Article, pks=changed))
        self._report_finished()

    def _report_finished(self) -> None:
        finished, self.finished = self.finished, []
        if self.progress:
            for report in finished:
                self.progress(report)

    def _write(self, items: list[_Item]) -> list[int]:
        rows = Article.objects.select_for_update().filter(import_key__in=[item.key for item in items])
        existing = {key: (pk, content_hash) for key, pk, content_hash in rows.values_list("import_key", "pk", "content_hash")}
        new, changed, outcomes = [], [], []
        for item in items:
            pk, content_hash = existing.get(item.key, (None, None))
            if content_hash == item.content_hash:
                outcomes.append((item, UNCHANGED, pk, ""))
                continue
            article = self._article(item, pk)
            try:
                article.clean_fields(exclude=_UNVALIDATED)
            except ValidationError as exc:
                outcomes.append((item, REJECTED, None, f"{item.where}: {exc.__class__.__name__}: {exc}"))
                continue
            (new if pk is None else changed).append((item, article))
        self._set_sources([article for _, article in new + changed], [item for item, _ in new + changed])
        Article.objects.bulk_create([article for _, article in new])
        now = timezone.now()
        for _, article in changed:
            article.modified = now
            article.bump_version()  # an editor who opened it before is told, not overwritten
        Article.objects.bulk_update([article for _, article in changed], _UPDATED_FIELDS)
        outcomes += [(item, CREATED, article.pk, "") for item, article in new]
        outcomes += [(item, UPDATED, article.pk, "") for item, article in changed]
        # Counted only now: a failed batch is written again item by item.
        for item, outcome, pk, message in outcomes:
            item.report.add(outcome, message, article_id=pk)
        return [article.pk for _, article in new + changed]

    def _article(self, item: _Item, pk: int | None) -> Article:
        parsed = item.parsed
        article = Article(
            pk=pk, import_key=item.key, title=parsed.title[:500], lead=parsed.lead, body=parsed.body,
            language=parsed.language, published=parsed.published, date_only=parsed.date_only,
            dateline=parsed.dateline[:100], external_id=parsed.external_id[:200], url=parsed.url[:1000],
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
                item.report.add(REJECTED, f"{item.where}: {exc.__class__.__name__}: {exc}")
            else:
                changed += pks
        return changed


def _source(name: str) -> Source:
    canonical, english = canonical_source(name)
    source = Source.objects.filter(key=normalize_key(canonical)).first()
    if source is None:
        source = Source(name=canonical[:200], name_en=english)
        source.save()
    return source


def _item(key: str, parsed: ParsedArticle, *, raw: bytes, encoding: str, text: str, source_file: str,
          where: str, report: FileReport) -> _Item:
    if not parsed.language:
        raise RejectedInput("no Persian or Arabic text found")
    return _Item(key, parsed, raw, encoding, Article.hash_text(text), source_file, where, report)


def import_text_file(name: str, data: bytes, report: FileReport, writer: _Writer) -> None:
    """Read one agency text file given its name and bytes; ``writer`` writes it."""
    try:
        text, encoding = decode(data)
        parsed = parse_agency_text(persian_letters_if_legacy(text, encoding))
        item = _item(f"file:{name}", parsed, raw=data, encoding=encoding, text=text, source_file=name,
                     where=name, report=report)
    except (RejectedInput, ParseError) as exc:
        report.add(REJECTED, f"{name}: {exc}")
    except Exception as exc:  # an unexpected reading error rejects this file only
        log.exception("import of %s failed", name)
        report.add(REJECTED, f"{name}: {exc.__class__.__name__}: {exc}")
    else:
        writer.add(item)


_FEED_FIELDS = {"title", "body", "lead", "language", "published", "source", "via", "url", "id"}


def _feed_item(obj: object) -> ParsedArticle:
    if not isinstance(obj, dict):
        raise RejectedInput("not a JSON object")
    values = {}
    for key in _FEED_FIELDS & obj.keys():
        value = obj[key]
        if value is None:
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise RejectedInput(f"field {key!r} must be text")
        values[key] = str(value).strip()
    title, body = values.get("title", ""), values.get("body", "")
    if not title:
        raise RejectedInput("missing title")
    if not body:
        raise RejectedInput("missing body")
    language = values.get("language") or detect_language(f"{title}\n{body}")
    if language is None:
        raise RejectedInput('cannot tell Persian from Arabic in so little text: give "language"')
    if language not in ("fa", "ar"):
        raise RejectedInput(f"language must be fa or ar, not {language!r}")
    item = ParsedArticle(
        title=title, body=body, lead=values.get("lead", ""), language=language,
        source=values.get("source", ""), via=values.get("via", ""), url=values.get("url", ""),
        external_id=values.get("id", ""),
    )
    if values.get("published"):
        date = parse_date(values["published"], DEFAULT_TIME_ZONES[language])
        if date is None:
            raise RejectedInput(f"unreadable date {values['published'][:40]!r}")
        item.published, item.date_only = date.value, date.date_only
    return item


def import_feed(name: str, data: bytes, report: FileReport, writer: _Writer) -> None:
    """Read a JSON Lines feed: one article per line, each line on its own; ``writer`` writes them."""
    try:
        text, encoding = decode(data)
    except RejectedInput as exc:
        report.add(REJECTED, f"{name}: {exc}")
        return
    raw_lines = data.splitlines() if encoding.startswith("utf-8") else None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            parsed = _feed_item(json.loads(persian_letters_if_legacy(line, encoding)))
            raw = raw_lines[number - 1] if raw_lines is not None else line.encode(encoding.replace("-sig", ""))
            item = _item(_feed_key(parsed, line), parsed, raw=raw, encoding=encoding, text=line,
                         source_file=f"{name}:{number}", where=where, report=report)
        except json.JSONDecodeError as exc:
            report.add(REJECTED, f"{where}: invalid JSON ({exc.msg})")
        except RecursionError:
            report.add(REJECTED, f"{where}: invalid JSON (nested too deeply)")
        except RejectedInput as exc:
            report.add(REJECTED, f"{where}: {exc}")
        except Exception as exc:
            log.exception("import of %s failed", where)
            report.add(REJECTED, f"{where}: {exc.__class__.__name__}: {exc}")
        else:
            writer.add(item)


def _feed_key(item: ParsedArticle, line: str) -> str:
    source = normalize_key(canonical_source(item.source)[0]) if item.source else ""
    if item.external_id:
        return f"feed:{source}:id:{item.external_id}"[:600]
    if item.url:
        return f"feed:url:{item.url}"[:600]
    return f"feed:hash:{Article.hash_text(item.title + item.body)}"


def iter_files(paths: Iterable[str | Path]) -> Iterable[Path]:
    """Files named, and files inside folders named, recursively, in order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            yield path


def import_bytes(name: str, data: bytes, report: ImportReport) -> FileReport:
    """Import one named input already in memory (the admin upload uses this)."""
    writer = _Writer()
    file_report = _read_bytes(name, data, report, writer)
    writer.flush()
    return file_report


def _read_bytes(name: str, data: bytes, report: ImportReport, writer: _Writer) -> FileReport:
    file_report = FileReport(name)
    report.files.append(file_report)
    suffix = Path(name).suffix.lower()
    if len(data) > settings.IMPORT_MAX_FILE_BYTES:
        file_report.add(REJECTED, f"{name}: too large ({len(data):,} bytes; the limit is {settings.IMPORT_MAX_FILE_BYTES:,})")
    elif any("\udc80" <= ch <= "\udcff" for ch in name):
        # A name that is not UTF-8 on disk arrives with surrogate escapes, which
        # no database can store; say so rather than fail on the INSERT.
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        file_report.add(REJECTED, f"{shown}: the file name is not valid UTF-8 text; rename the file")
    elif suffix in FEED_SUFFIXES:
        import_feed(name, data, file_report, writer)
    elif suffix in TEXT_SUFFIXES:
        import_text_file(name, data, file_report, writer)
    else:
        file_report.add(REJECTED, f"{name}: unsupported file type {suffix!r} (use .txt or .jsonl)")
    return file_report


def _read_path(path: Path, report: ImportReport, writer: _Writer) -> FileReport:
    try:
        size = path.stat().st_size
        if size > settings.IMPORT_MAX_FILE_BYTES:  # refused without reading it
            file_report = FileReport(path.name)
            file_report.add(REJECTED, f"{path.name}: too large ({size:,} bytes; the limit is {settings.IMPORT_MAX_FILE_BYTES:,})")
            report.files.append(file_report)
            return file_report
        return _read_bytes(path.name, path.read_bytes(), report, writer)
    except OSError as exc:
        file_report = FileReport(str(path))
        file_report.add(REJECTED, f"{path}: cannot read ({exc.strerror or exc})")
        report.files.append(file_report)
        return file_report


def import_paths(paths: Iterable[str | Path], *, progress: Callable[[FileReport], None] | None = None) -> ImportReport:
    """Import files and folders; return the per-file report.

    ``progress`` is called once each file's articles are written, so a
    command can print as it goes.  ``import_started`` and ``import_finished``
    frame the whole import, so listeners may gather its batches.
    """
    report = ImportReport()
    writer = _Writer(progress)
    import_started.send(sender=Article)
    try:
        for path in iter_files(paths):
            writer.file_done(_read_path(path, report, writer))
        writer.flush()
    finally:
        import_finished.send(sender=Article)
    return report
