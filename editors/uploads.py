"""Admin uploads: text files, feeds and zip archives, through the one importer.

Archives are read in memory, never written to disk, and refused member by
member when a name is unsafe or the sizes betray a zip bomb: the declared
sizes are checked before anything is inflated, and the actual size of each
member is checked while it is read.
"""

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from django.conf import settings

from articles.importer import REJECTED, FileReport, ImportReport, import_bytes

ZIP_MAX_BYTES = 50 * 1024 * 1024  # the archive as uploaded
ZIP_MAX_MEMBERS = 500
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024  # all members inflated
# Text deflates about 3-10 times; a thousandfold ratio is a bomb.
ZIP_MAX_RATIO = 100


def import_upload(name, data, report: ImportReport):
    """Import one uploaded file (a ``.zip`` is opened and its members imported)."""
    if name.lower().endswith(".zip"):
        import_zip(name, data, report)
    else:
        import_bytes(name, data, report)


def refuse(name, reason, report: ImportReport):
    """Report ``name`` as rejected without reading it."""
    file_report = FileReport(name)
    file_report.add(REJECTED, f"{name}: {reason}")
    report.files.append(file_report)


def import_zip(name, data, report: ImportReport):
    """Import every ``.txt``/``.jsonl`` member of a zip archive, each reported on its own."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir() and not _hidden(info.filename)]
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        return refuse(name, "not a readable zip archive", report)
    if not members:
        return refuse(name, "the archive holds no files", report)
    if len(members) > ZIP_MAX_MEMBERS:
        return refuse(name, f"too many files in the archive ({len(members):,}; the limit is {ZIP_MAX_MEMBERS:,})", report)
    declared = sum(info.file_size for info in members)
    if declared > ZIP_MAX_TOTAL_BYTES:
        return refuse(name, f"the archive unpacks to {declared:,} bytes; the limit is {ZIP_MAX_TOTAL_BYTES:,}", report)
    for info in members:
        member = _member_name(info)
        shown = f"{name}/{member}"
        problem = _member_problem(member, info)
        if problem:
            refuse(shown, problem, report)
            continue
        try:
            content = _read(archive, info)
        except ValueError as exc:
            refuse(shown, str(exc), report)
            continue
        # Keyed by the file's own name, as import_articles keys files in folders.
        import_bytes(PurePosixPath(member).name, content, report).name = shown


def _hidden(filename):
    # macOS resource forks and dot files are not articles.
    return filename.startswith("__MACOSX/") or PurePosixPath(filename).name.startswith(".")


def _member_name(info):
    name = info.filename
    if not info.flag_bits & 0x800:
        # Without the UTF-8 flag Python reads names as cp437; Persian names
        # zipped on most systems are UTF-8 all the same.
        try:
            name = name.encode("cp437").decode("utf-8")
        except UnicodeError:
            pass
    return name


def _member_problem(member, info):
    path = member.replace("\\", "/")
    if path.startswith("/") or ".." in path.split("/") or (len(path) > 1 and path[1] == ":"):
        return "unsafe path in the archive"
    if info.flag_bits & 0x1:
        return "encrypted; upload it unencrypted"
    if path.lower().endswith(".zip"):
        return "archives inside archives are not opened"
    if info.file_size > settings.IMPORT_MAX_FILE_BYTES:
        return f"too large ({info.file_size:,} bytes; the limit is {settings.IMPORT_MAX_FILE_BYTES:,})"
    if info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO:
        return "compressed suspiciously well (a zip bomb?)"
    return None


def _read(archive, info):
    limit = min(info.file_size, settings.IMPORT_MAX_FILE_BYTES)
    try:
        with archive.open(info) as member:
            content = member.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise ValueError(f"damaged in the archive ({exc})") from None
    if len(content) > limit:
        raise ValueError("larger than the archive declares")
    return content
