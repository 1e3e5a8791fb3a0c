"""Admin uploads: text files, feeds and zip archives, through the one importer.

Files are read as streams (a feed line by line), archives member by member,
never unpacked to disk.  A member is refused when its name is unsafe or the
sizes betray a zip bomb: the declared sizes are checked before anything is
inflated, and the actual size of each member while it is read.  Members are
keyed by their path in the archive, as ``import_articles`` keys files by
their path below the folder it imports.
"""

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from articles.importer import FEED_SUFFIXES, import_stream
from articles.importreport import REJECTED, FileReport, ImportReport

ZIP_MAX_BYTES = 50 * 1024 * 1024  # the archive as uploaded
ZIP_MAX_MEMBERS = 500
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024  # all members inflated
# Text deflates about 3-10 times; a thousandfold ratio is a bomb.
ZIP_MAX_RATIO = 100


def upload_problem(name, size):
    """Why an upload of this name and size is refused unread, or None: an archive, a feed or one text file."""
    lower = name.lower()
    if lower.endswith(".zip"):
        limit = ZIP_MAX_BYTES
    elif PurePosixPath(lower).suffix in FEED_SUFFIXES:
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
    else:
        limit = settings.IMPORT_MAX_FILE_BYTES
    if size > limit:
        return _("too large (%(size)s bytes; the limit is %(limit)s)") % {"size": f"{size:,}", "limit": f"{limit:,}"}
    return None


def import_upload(name, data, report: ImportReport, writer=None, on_line=None):
    """Import one uploaded file, given as bytes or a binary file (a ``.zip`` is opened and its members imported)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    if name.lower().endswith(".zip"):
        import_zip(name, stream, report, writer, on_line)
    else:
        import_stream(name, stream, report, writer, size=getattr(stream, "size", None), on_line=on_line)


def refuse(name, reason, report: ImportReport):
    """Report ``name`` as rejected without reading it."""
    file_report = FileReport(name)
    file_report.add(REJECTED, f"{name}: {reason}")
    report.files.append(file_report)


def import_zip(name, stream, report: ImportReport, writer=None, on_line=None):
    """Import every ``.txt``/``.jsonl`` member of a zip archive, each reported on its own."""
    try:
        archive = zipfile.ZipFile(stream)
        members = [info for info in archive.infolist() if not info.is_dir() and not _resource_fork(info.filename)]
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        return refuse(name, _("not a readable zip archive"), report)
    if not members:
        return refuse(name, _("the archive holds no files"), report)
    if len(members) > ZIP_MAX_MEMBERS:
        return refuse(name, _("too many files in the archive (%(count)s; the limit is %(limit)s)") % {
            "count": f"{len(members):,}", "limit": f"{ZIP_MAX_MEMBERS:,}"}, report)
    declared = sum(info.file_size for info in members)
    if declared > ZIP_MAX_TOTAL_BYTES:
        return refuse(name, _("the archive unpacks to %(size)s bytes; the limit is %(limit)s") % {
            "size": f"{declared:,}", "limit": f"{ZIP_MAX_TOTAL_BYTES:,}"}, report)
    for info in members:
        member = _member_name(info)
        shown = f"{name}/{member}"
        problem = _member_problem(member, info)
        if problem:
            refuse(shown, problem, report)
            continue
        try:
            with archive.open(info) as opened:
                import_stream(member, _Member(opened, info.file_size), report, writer, size=info.file_size,
                              on_line=on_line).name = shown
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, RuntimeError) as exc:
            refuse(shown, _("damaged in the archive (%(error)s)") % {"error": exc}, report)


class _Member(io.RawIOBase):
    """A member being inflated, refused once it holds more than the archive declares."""

    def __init__(self, opened, declared):
        self.opened, self.left = opened, declared

    def readable(self):
        return True

    def read(self, size=-1):
        try:
            data = self.opened.read(self.left + 1 if size is None or size < 0 else min(size, self.left + 1))
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise OSError(_("damaged in the archive (%(error)s)") % {"error": exc}) from None
        self.left -= len(data)
        if self.left < 0:
            raise OSError(_("larger than the archive declares"))
        return data


def _resource_fork(filename):
    # macOS resource forks are not files anyone put in the archive.
    return filename.startswith("__MACOSX/")


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
        return _("unsafe path in the archive")
    if PurePosixPath(path).name.startswith("."):
        return _("a hidden file (its name starts with a dot), not imported; rename it if it is an article")
    if info.flag_bits & 0x1:
        return _("encrypted; upload it unencrypted")
    if path.lower().endswith(".zip"):
        return _("archives inside archives are not opened")
    if info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO:
        return _("compressed suspiciously well (a zip bomb?)")
    return None
