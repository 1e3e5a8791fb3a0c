"""The import report in the editor's language.

The importer (``articles.importer``, ``editors.uploads``) writes its reasons in
English for the command line and the logs: "name line 3: missing body".  The
upload page shows each in the interface language through this table of the
reasons' shapes; a reason not in it is shown as written.  Keep it beside any
new reason the importer gains (tests/test_admin_language.py uploads one of
each kind and finds no English on the page).
"""

import re

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from articles.text import localize_digits

_MESSAGE = re.compile(r"^(?P<where>.+?)(?: line (?P<line>\d+))?: (?P<reason>.+)$", re.DOTALL)

# (pattern of the English reason, its msgid with the same named values)
REASONS = [(re.compile(pattern + r"$", re.DOTALL), msgid) for pattern, msgid in (
    (r"empty file", gettext_noop("empty file")),
    (r"binary file \(contains NUL bytes\), not text", gettext_noop("binary file (it contains zero bytes), not text")),
    (r"truncated UTF-8: the file ends inside a character \(byte (?P<n>\d+)\)",
     gettext_noop("truncated UTF-8: the file ends inside a character (byte %(n)s)")),
    (r"broken UTF-8: invalid byte at offset (?P<n>\d+)", gettext_noop("broken UTF-8: invalid byte at offset %(n)s")),
    (r"undecodable (?P<encoding>\S+): invalid data at byte (?P<n>\d+)",
     gettext_noop("cannot be read as %(encoding)s: invalid data at byte %(n)s")),
    (r"binary data, not text \(read as (?P<encoding>[^)]+)\)", gettext_noop("binary data, not text (read as %(encoding)s)")),
    (r"no Persian or Arabic text found", gettext_noop("no Persian or Arabic text found")),
    (r"no text: the file has only metadata or boilerplate", gettext_noop("no text: the file has only metadata or boilerplate")),
    (r"no body: the file has a title but no text", gettext_noop("no body: the file has a title but no text")),
    (r"not a JSON object", gettext_noop("not a JSON object")),
    (r"field (?P<field>.+) must be text", gettext_noop("field %(field)s must be text")),
    (r"missing title", gettext_noop("missing title")),
    (r"missing body", gettext_noop("missing body")),
    (r'cannot tell Persian from Arabic in so little text: give "language"',
     gettext_noop('cannot tell Persian from Arabic in so little text: give "language"')),
    (r"language must be fa or ar, not (?P<value>.+)", gettext_noop("language must be fa or ar, not %(value)s")),
    (r"unreadable date (?P<value>.+)", gettext_noop("unreadable date %(value)s")),
    (r"invalid JSON \(nested too deeply\)", gettext_noop("invalid JSON (nested too deeply)")),
    (r"invalid JSON \((?P<detail>.+)\)", gettext_noop("invalid JSON (%(detail)s)")),
    (r"too large \((?P<size>[\d,]+) bytes; the limit is (?P<limit>[\d,]+)\)",
     gettext_noop("too large (%(size)s bytes; the limit is %(limit)s)")),
    (r"the file name is not valid UTF-8 text; rename the file", gettext_noop("the file name is not valid UTF-8 text; rename the file")),
    (r"unsupported file type (?P<suffix>.+) \(use \.txt or \.jsonl\)",
     gettext_noop("unsupported file type %(suffix)s (use .txt or .jsonl)")),
    (r"cannot read \((?P<detail>.+)\)", gettext_noop("cannot read (%(detail)s)")),
    (r"not a readable zip archive", gettext_noop("not a readable zip archive")),
    (r"the archive holds no files", gettext_noop("the archive holds no files")),
    (r"too many files in the archive \((?P<count>[\d,]+); the limit is (?P<limit>[\d,]+)\)",
     gettext_noop("too many files in the archive (%(count)s; the limit is %(limit)s)")),
    (r"the archive unpacks to (?P<size>[\d,]+) bytes; the limit is (?P<limit>[\d,]+)",
     gettext_noop("the archive unpacks to %(size)s bytes; the limit is %(limit)s")),
    (r"unsafe path in the archive", gettext_noop("unsafe path in the archive")),
    (r"encrypted; upload it unencrypted", gettext_noop("encrypted; upload it unencrypted")),
    (r"archives inside archives are not opened", gettext_noop("archives inside archives are not opened")),
    (r"compressed suspiciously well \(a zip bomb\?\)", gettext_noop("compressed suspiciously well (a zip bomb?)")),
    (r"damaged in the archive \((?P<detail>.+)\)", gettext_noop("damaged in the archive (%(detail)s)")),
    (r"larger than the archive declares", gettext_noop("larger than the archive declares")),
)]


def reason_text(reason: str, language: str) -> str:
    """``reason`` in the interface language (as written when its shape is unknown)."""
    for pattern, msgid in REASONS:
        match = pattern.match(reason)
        if match:
            values = {key: localize_digits(value, language) for key, value in match.groupdict().items()}
            return _(msgid) % values if values else _(msgid)
    return reason


def report_line(message: str, language: str):
    """One line of the upload report: where (file, line) isolated, then the reason, in the interface language."""
    match = _MESSAGE.match(message)
    if not match:
        return message
    where = match["where"]
    reason = reason_text(match["reason"], language)
    if match["line"]:
        line = _("line %(number)s") % {"number": localize_digits(match["line"], language)}
        return format_html("<bdi>{}</bdi> {}: {}", where, line, reason)
    return format_html("<bdi>{}</bdi>: {}", where, reason)
