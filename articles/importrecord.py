"""One record of an import, checked and made fit to store: a feed line's fields, a parsed file.

``feed_record`` reads a feed line's JSON object into a ``ParsedArticle``,
``feed_key`` names it for a later import of the same item, and ``build_item``
refuses what cannot be stored whole (control characters replaced and
reported, lengths, dates in range) and gives the ``Item`` the writer takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .dates import DEFAULT_TIME_ZONES, EARLIEST, LATEST, in_range, parse_date
from .importreport import FileReport, RejectedInput
from .models import Article
from .parsing import ParsedArticle, canonical_source
from .text import detect_language, normalize_key

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


@dataclass
class Item:
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


def build_item(key: str, parsed: ParsedArticle, *, raw: bytes, encoding: str, text: str, source_file: str,
               where: str, report: FileReport, legacy_key: str | None = None) -> Item:
    """The item of a parsed article, its text cleaned and checked; ``text`` is what its hash is of."""
    if not parsed.language:
        raise RejectedInput(_("no Persian or Arabic text found"))
    _clean(parsed, where, report)
    return Item(key, parsed, raw, encoding, Article.hash_text(text), source_file, where, report, legacy_key)


_FEED_FIELDS = {"title", "body", "lead", "language", "published", "source", "via", "url", "id"}


def feed_record(obj: object) -> ParsedArticle:
    """A feed line's JSON object as an article: its fields checked, its language told, its date read."""
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


def feed_key(item: ParsedArticle) -> str:
    """What a feed item is known by in a later import: its source and id, else its URL, else its text."""
    source = normalize_key(canonical_source(item.source)[0]) if item.source else ""
    if item.external_id:
        return f"feed:{source}:id:{item.external_id}"[:600]
    if item.url:
        return f"feed:url:{item.url}"[:600]
    return f"feed:hash:{Article.hash_text(item.title + item.body)}"

