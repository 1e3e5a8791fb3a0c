"""Import agency text files and JSON Lines feeds into articles: the reading of files, feeds and streams.

``import_paths`` is what ``manage.py import_articles`` calls (files, folders
and ``-`` for standard input), ``import_stream`` and ``import_bytes`` what
the admin upload calls.  A feed is read as a stream, line by line, so its
size does not matter; items are written in batches (``importwriter.Writer``).  A
broken file or line is rejected with a reason (a translatable sentence)
and never leaves half an article behind, and one bad item never stops the
others.  Importing the same input twice changes nothing: text files are
keyed by their path below the folder imported (or inside the archive),
feed lines by id, URL or content, and compared by hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from . import pipeline
from .importdecode import READ_SIZE, LineDecoder, decode, feed_lines, persian_letters_if_legacy
from .importrecord import build_item, feed_key, feed_record
from .importreport import REJECTED, UNCHANGED, FileReport, ImportReport, RejectedInput
from .importwriter import Writer
from .models import Article
from .parsing import ParseError, parse_agency_text

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".ham", ""}
FEED_SUFFIXES = {".jsonl", ".ndjson"}
STDIN = "-"


def _max_item_bytes() -> int:
    return settings.IMPORT_MAX_FILE_BYTES


def _too_large(size: int | None) -> str:
    if size is None:  # a stream is not read to its end to say how large it is
        return _("too large (more than %(limit)s bytes): one article may not be longer") % {
            "limit": f"{_max_item_bytes():,}"}
    return _("too large (%(size)s bytes; the limit is %(limit)s): one article may not be longer") % {
        "size": f"{size:,}", "limit": f"{_max_item_bytes():,}"}


def _unexpected(where: str, report: FileReport) -> None:
    log.exception("import of %s failed", where)
    report.add(REJECTED, f"{where}: " + _("it could not be read because of an unexpected error (the details are in "
                                          "the server log); please report it"))


# --- agency text files ------------------------------------------------------------


def import_text_file(name: str, data: bytes, report: FileReport, writer: Writer) -> None:
    """Read one agency text file given its name (its path below the import root) and bytes."""
    try:
        text, encoding = decode(data)
        parsed = parse_agency_text(persian_letters_if_legacy(text, encoding))
        legacy = f"file:{name.rsplit('/', 1)[-1]}" if "/" in name else None
        item = build_item(f"file:{name}", parsed, raw=data, encoding=encoding, text=text, source_file=name,
                     where=name, report=report, legacy_key=legacy)
    except (RejectedInput, ParseError) as exc:
        report.add(REJECTED, f"{name}: {exc}")
    except Exception:  # an unexpected reading error rejects this file only
        _unexpected(name, report)
    else:
        writer.add(item)


# --- JSON Lines feeds ---------------------------------------------------------------


def import_feed(name: str, stream: BinaryIO, report: FileReport, writer: Writer,
                on_line: Callable[[FileReport], None] | None = None) -> None:
    """Read a JSON Lines feed from a binary stream, line by line; ``writer`` writes the articles.

    Memory stays bounded whatever the size: one line (at most
    ``IMPORT_MAX_FILE_BYTES``) and one batch at a time.  A later line with
    the id (or URL) of an earlier one is not written again: it is reported
    with a warning, or rejected when its content differs.
    """
    limit = _max_item_bytes()
    head = stream.read(READ_SIZE)
    if not head.strip(b" \t\r\n"):
        report.add(REJECTED, f"{name}: " + _("empty file"))
        return
    try:
        lines, decoder = feed_lines(stream, head, limit)
    except RejectedInput as exc:
        report.add(REJECTED, f"{name}: {exc}")
        return
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


def _feed_line(name: str, number: int, raw: bytes | None, decoder: LineDecoder, seen: dict, report: FileReport,
               writer: Writer, limit: int) -> None:
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
        parsed = feed_record(json.loads(persian_letters_if_legacy(line, decoder.encoding)))
        key = feed_key(parsed)
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
        item = build_item(key, parsed, raw=raw, encoding=decoder.encoding, text=line,
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


def import_bytes(name: str, data: bytes, report: ImportReport, writer: Writer | None = None) -> FileReport:
    """Import one named input already in memory."""
    return import_stream(name, io.BytesIO(data), report, writer)


def import_stream(name: str, stream: BinaryIO, report: ImportReport, writer: Writer | None = None, *,
                  size: int | None = None, on_line: Callable[[FileReport], None] | None = None) -> FileReport:
    """Import one named binary stream: a feed line by line, a text file whole (the admin upload uses this).

    ``name`` is the file's path below the import root (or in the archive),
    its suffix says what it is.  Without a ``writer`` the items are written
    before this returns.
    """
    own = writer is None
    writer = writer or Writer()
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


def _read_path(path: Path, name: str, report: ImportReport, writer: Writer, stdin: BinaryIO | None,
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
def import_session(progress: Callable[[FileReport], None] | None = None, *, link: bool = True) -> Iterator[Writer]:
    """One import of many files: the writer they share, and the after-commit run of their batches.

    Give the writer to ``import_stream`` for each file (and ``file_done``
    its report, to hear of it through ``progress`` once it is written);
    what is still pending is written when the block ends, and the run's
    sessions (the search index's) finish then, also after a failure.
    """
    with pipeline.Run(skip=() if link else ("link",)) as run:
        writer = Writer(progress, run)
        yield writer
        writer.flush()
