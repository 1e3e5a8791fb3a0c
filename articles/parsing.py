"""Reading raw agency text into an article: title, lead, body and metadata.

Pure Python, no Django: it turns decoded text into a ``ParsedArticle`` and
never touches the database, so it is easy to test on any text.  What it
removes from the body (news codes, "پایان پیام.", "أضف تعليق" …) stays in the
raw text the importer keeps.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .dates import DEFAULT_TIME_ZONES, parse_date
from .text import detect_language, fold, to_ascii_digits
from .text.agencies import (
    AGENCY_CREDIT_RE,
    AR_QUOTED_RE,
    CLAUSE_COMMAS,
    DATELINE_RE,
    NEWS_CODE_RE,
    PUBLISHED_RE,
    REPORTED_BY_RE,
    SENTENCE_BREAK_RE,
    SENTENCE_ENDS,
    SOURCE_LINE_RE,
    canonical_source,
    is_boilerplate,
)

TITLE_MAX = 250
LEAD_MAX = 500


@dataclass
class ParsedArticle:
    """What the importer learned from one text."""

    title: str
    body: str
    lead: str = ""
    language: str | None = None
    published: dt.datetime | None = None
    date_only: bool = False
    source: str = ""
    via: str = ""
    dateline: str = ""
    external_id: str = ""
    url: str = ""
    notes: list[str] = field(default_factory=list)


class ParseError(ValueError):
    """The text is not an article (no title or no body)."""


def _is_dated_header(line: str) -> bool:
    # "عرب وعالم23-9-2023 | 15:05": a short line that is mostly a date
    return len(line) <= 60 and parse_date(line) is not None and len(re.sub(r"[\d\s\-/|:.]", "", to_ascii_digits(line))) <= 20


def _first_clause(text: str, limit: int = 160) -> str:
    """A headline-sized opening of a paragraph, cut at a clause boundary."""
    sentence = SENTENCE_BREAK_RE.split(text, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = max(sentence.rfind(comma, 0, limit) for comma in CLAUSE_COMMAS)
    if cut >= 40:
        return sentence[:cut].rstrip()  # a whole clause reads as a headline
    cut = sentence.rfind(" ", 0, limit)
    return sentence[: cut if cut > 0 else limit].rstrip() + "…"


def parse_agency_text(text: str) -> ParsedArticle:
    """Parse the seed format: a title line, an optional lead, body paragraphs.

    Header lines (news code, publication date, a dated section line, an
    agency credit) are read as metadata and left out of the body, as are
    closing boilerplate lines.  When the file has no headline (the first
    line is already a full sentence), the title is the lead's first clause.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    meta = ParsedArticle(title="", body="")
    date_text = ""
    kept: list[str] = []  # content paragraphs
    current: list[str] = []  # lines of the paragraph being read

    def end_paragraph():
        if current:
            kept.append(" ".join(current))
            current.clear()

    # Metadata and boilerplate are single lines; they are read line by line
    # so a news code glued to the date line above it is still found.
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if line.startswith("#") and not kept and not current:
            line = line.lstrip("#").strip()  # markdown heading marker
        near_top = len(kept) <= 3
        if not line:
            end_paragraph()
        elif m := NEWS_CODE_RE.match(line):
            meta.external_id = meta.external_id or to_ascii_digits(m.group("code"))
        elif m := PUBLISHED_RE.match(line):
            date_text = date_text or m.group("date")
        elif m := SOURCE_LINE_RE.match(line):
            meta.via = meta.via or m.group("name").strip(" .")
        elif is_boilerplate(line):
            end_paragraph()
        elif kept and not current and near_top and _is_dated_header(line):
            date_text = date_text or line
        elif kept and not current and near_top and len(line) <= 60 and (m := AGENCY_CREDIT_RE.search(line)):
            meta.source = meta.source or m.group("name")
        elif len(kept) == 1 and not current and line != kept[0] and fold(line).startswith(fold(kept[0])):
            continue  # the headline again, glued to an image caption
        else:
            current.append(line)
    end_paragraph()
    if not kept:
        raise ParseError("no text: the file has only metadata or boilerplate")

    if len(kept[0]) <= TITLE_MAX and not kept[0].rstrip().endswith(SENTENCE_ENDS):
        meta.title, rest = kept[0], kept[1:]
    else:
        rest = kept
    if not rest:
        raise ParseError("no body: the file has a title but no text")

    dateline_agency = ""
    # "تهران - ایرنا -" opens the first paragraph, or the body after a short lead.
    for at in (0, 1) if len(rest) > 2 and len(rest[0]) <= LEAD_MAX else (0,):
        if dl := DATELINE_RE.match(rest[at]):
            meta.dateline, dateline_agency = dl.group("city"), dl.group("agency")
            rest = [*rest[:at], rest[at][dl.end():], *rest[at + 1:]]
            break
    if len(rest) > 1 and len(rest[0]) <= LEAD_MAX:
        meta.lead, body = rest[0], rest[1:]
    else:
        body = rest
    if not meta.title:
        meta.title = _first_clause(meta.lead or body[0])
        meta.notes.append("no headline in the file: title taken from the lead")
    meta.body = "\n\n".join(body)

    opening = "\n".join(rest[:3])
    if m := REPORTED_BY_RE.search(opening):
        meta.source = meta.source or m.group("source")
        meta.via = m.group("via") or meta.via
    if not meta.via and (m := AR_QUOTED_RE.search("\n".join(rest))):
        meta.via = m.group("via")
    # "مسکو - ایرنا-": the agency wrote it, or the outlet quotes the agency
    if dateline_agency and not meta.source:
        meta.source = dateline_agency
    elif dateline_agency and not meta.via:
        meta.via = dateline_agency
    if meta.source and meta.via and canonical_source(meta.source)[0] == canonical_source(meta.via)[0]:
        meta.via = ""

    meta.language = detect_language(meta.title + "\n" + meta.lead + "\n" + meta.body)
    if date_text and (date := parse_date(date_text, DEFAULT_TIME_ZONES.get(meta.language, DEFAULT_TIME_ZONES["fa"]))):
        meta.published, meta.date_only = date.value, date.date_only
    return meta
