"""Import agency text files and JSON Lines feeds into articles.

``import_paths`` is what ``manage.py import_articles`` and the admin upload
call.  Every item is written in its own transaction, so a broken file or
line is rejected with a reason and never leaves half an article behind, and
one bad file never stops the others.  Importing the same input twice changes
nothing: items are keyed by file name (or feed id) and compared by hash.
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .dates import DEFAULT_TIME_ZONES, parse_date
from .models import Article, Source
from .parsing import ParsedArticle, ParseError, canonical_source, parse_agency_text
from .text import detect_language, normalize_key

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".ham", ""}
FEED_SUFFIXES = {".jsonl", ".ndjson"}
IMPORT_BATCH_FILES = 100
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


def _plausible(text: str, encoding: str) -> str:
    if not text.strip(" \t\r\n\ufeff"):
        raise RejectedInput("empty file")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
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


def _source(name: str) -> Source | None:
    if not name or not name.strip():
        return None
    canonical, english = canonical_source(name)
    source = Source.objects.filter(key=normalize_key(canonical)).first()
    if source is None:
        source = Source(name=canonical[:200], name_en=english)
        source.save()
    return source


def _save(key: str, parsed: ParsedArticle, *, raw: bytes, encoding: str, text: str, source_file: str) -> tuple[str, int]:
    if not parsed.language:
        raise RejectedInput("no Persian or Arabic text found")
    content_hash = Article.hash_text(text)
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(import_key=key).first()
        if article is not None and article.content_hash == content_hash:
            return UNCHANGED, article.pk
        outcome = CREATED if article is None else UPDATED
        if article is None:
            article = Article(import_key=key, status=Article.Status.PUBLISHED)
        article.title = parsed.title[:500]
        article.slug = ""
        article.lead = parsed.lead
        article.body = parsed.body
        article.language = parsed.language
        article.published = parsed.published
        article.date_only = parsed.date_only
        article.source = _source(parsed.source)
        article.via = _source(parsed.via)
        article.dateline = parsed.dateline[:100]
        article.external_id = parsed.external_id[:200]
        article.url = parsed.url[:1000]
        article.source_file = source_file[:500]
        article.raw = raw
        article.raw_encoding = encoding
        article.content_hash = content_hash
        article.full_clean(exclude=["slug", "raw", "source", "via"])
        article.save()
    return outcome, article.pk


def import_text_file(name: str, data: bytes, report: FileReport) -> None:
    """Import one agency text file given its name and bytes."""
    try:
        text, encoding = decode(data)
        parsed = parse_agency_text(persian_letters_if_legacy(text, encoding))
        outcome, pk = _save(f"file:{name}", parsed, raw=data, encoding=encoding, text=text, source_file=name)
    except (RejectedInput, ParseError) as exc:
        report.add(REJECTED, f"{name}: {exc}")
    except Exception as exc:  # a validation or database error rejects this file only
        log.exception("import of %s failed", name)
        report.add(REJECTED, f"{name}: {exc.__class__.__name__}: {exc}")
    else:
        report.add(outcome, article_id=pk)


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


def import_feed(name: str, data: bytes, report: FileReport) -> None:
    """Import a JSON Lines feed: one article per line, each line on its own."""
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
            item = _feed_item(json.loads(persian_letters_if_legacy(line, encoding)))
            key = _feed_key(item, line)
            raw = raw_lines[number - 1] if raw_lines is not None else line.encode(encoding.replace("-sig", ""))
            outcome, pk = _save(key, item, raw=raw, encoding=encoding, text=line, source_file=f"{name}:{number}")
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
            report.add(outcome, article_id=pk)


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
        # Lines are savepoints of one transaction: a bad line is rolled back
        # alone, and the index is written once for the feed, not per line.
        with transaction.atomic():
            import_feed(name, data, file_report)
    elif suffix in TEXT_SUFFIXES:
        import_text_file(name, data, file_report)
    else:
        file_report.add(REJECTED, f"{name}: unsupported file type {suffix!r} (use .txt or .jsonl)")
    return file_report


def _import_path(path: Path, report: ImportReport) -> FileReport:
    try:
        size = path.stat().st_size
        if size > settings.IMPORT_MAX_FILE_BYTES:  # refused without reading it
            file_report = FileReport(path.name)
            file_report.add(REJECTED, f"{path.name}: too large ({size:,} bytes; the limit is {settings.IMPORT_MAX_FILE_BYTES:,})")
            report.files.append(file_report)
            return file_report
        return import_bytes(path.name, path.read_bytes(), report)
    except OSError as exc:
        file_report = FileReport(str(path))
        file_report.add(REJECTED, f"{path}: cannot read ({exc.strerror or exc})")
        report.files.append(file_report)
        return file_report


def import_paths(paths: Iterable[str | Path], *, progress: Callable[[FileReport], None] | None = None) -> ImportReport:
    """Import files and folders; return the per-file report.

    ``progress`` is called after each file, so a command can print as it goes.
    """
    report = ImportReport()
    files = iter(iter_files(paths))
    while batch := list(islice(files, IMPORT_BATCH_FILES)):
        # One transaction per batch of files, each file in its own savepoint:
        # a bad file is still rolled back alone, while the search index and
        # entity linking run once per batch after the commit.
        with transaction.atomic():
            for path in batch:
                file_report = _import_path(path, report)
                if progress:
                    progress(file_report)
    return report

