"""Load the knowledge base file (people, places, events and their names).

``load_knowledge_base`` is idempotent: slugs identify entries, names,
aliases and dates are overwritten from the file, and every article is linked
again.  A malformed file is rejected as a whole with a message that says
where, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.db import transaction

from articles.text import detect_language

from .models import Alias, Event, Person, Place, Precision

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "knowledge_base.yaml"
LANGUAGES = ("fa", "ar", "en")


class KnowledgeBaseError(ValueError):
    """The file cannot be loaded; the message says why and where."""


def parse_date(value, where: str) -> tuple[dt.date | None, str]:
    """``(date, precision)`` from 1994, "1994-05" or 1994-05-12."""
    if value is None:
        return None, Precision.DAY
    if isinstance(value, dt.date):
        return value, Precision.DAY
    text = str(value)
    try:
        if len(text) == 4:
            return dt.date(int(text), 1, 1), Precision.YEAR
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:]), 1), Precision.MONTH
        return dt.date.fromisoformat(text), Precision.DAY
    except ValueError:
        raise KnowledgeBaseError(f"{where}: {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def _names(entry: dict, where: str) -> dict:
    names = entry.get("names") or {}
    missing = [lang for lang in LANGUAGES if not str(names.get(lang) or "").strip()]
    if missing:
        raise KnowledgeBaseError(f"{where}: missing name in {', '.join(missing)}")
    return {f"name_{lang}": str(names[lang]).strip() for lang in LANGUAGES}


def _aliases(obj, field: str, entry: dict, where: str) -> None:
    Alias.objects.filter(**{field: obj}).delete()
    rows = [(lang, str(entry["names"][lang]), [], 12) for lang in LANGUAGES]
    for lang, texts in (entry.get("aliases") or {}).items():
        if lang not in LANGUAGES or not isinstance(texts, list):
            raise KnowledgeBaseError(f"{where}: aliases must be lists under fa, ar or en")
        rows += [(lang, str(t), [], 12) for t in texts]
    for item in entry.get("contextual") or []:
        cues = item.get("cues")
        if not item.get("alias") or not isinstance(cues, list) or not all(isinstance(g, list) and g for g in cues):
            raise KnowledgeBaseError(f"{where}: contextual aliases need `alias` and `cues` (a list of word lists)")
        lang = item.get("lang") or detect_language(str(item["alias"])) or "fa"
        rows.append((lang, str(item["alias"]), [[str(c) for c in g] for g in cues], int(item.get("window", 12))))
    seen = set()
    for lang, text, cues, window in rows:
        if (text, str(cues)) not in seen:
            seen.add((text, str(cues)))
            Alias.objects.create(**{field: obj}, language=lang, text=text, cues=cues, window=window)


@transaction.atomic
def _load(data: dict) -> dict[str, int]:
    if not isinstance(data, dict):
        raise KnowledgeBaseError("the file must be a mapping with places, people and events")
    places, people = {}, {}
    for n, entry in enumerate(data.get("places") or []):
        where = f"places[{n}] {entry.get('slug', '')}"
        places[entry["slug"]], _ = Place.objects.update_or_create(
            slug=entry["slug"], defaults={**_names(entry, where), "other_names": str(entry.get("other_names") or "")},
        )
    for n, entry in enumerate(data.get("people") or []):
        where = f"people[{n}] {entry.get('slug', '')}"
        if not entry.get("slug"):
            raise KnowledgeBaseError(f"{where}: missing slug")
        role = entry.get("role") or {}
        person, _ = Person.objects.update_or_create(
            slug=entry["slug"],
            defaults={**_names(entry, where), **{f"role_{lang}": str(role.get(lang) or "") for lang in LANGUAGES},
                      "wikidata_id": str(entry.get("wikidata") or "")},
        )
        _aliases(person, "person", entry, where)
        people[person.slug] = person
    events = {}
    for n, entry in enumerate(data.get("events") or []):
        where = f"events[{n}] {entry.get('slug', '')}"
        if not entry.get("slug"):
            raise KnowledgeBaseError(f"{where}: missing slug")
        start, start_precision = parse_date(entry.get("start"), where)
        end, end_precision = parse_date(entry.get("end"), where)
        if entry.get("place") and entry["place"] not in places:
            raise KnowledgeBaseError(f"{where}: unknown place {entry['place']!r}")
        description = entry.get("description") or {}
        event, _ = Event.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                **_names(entry, where), **{f"description_{lang}": str(description.get(lang) or "") for lang in LANGUAGES},
                "start": start, "start_precision": start_precision, "end": end, "end_precision": end_precision,
                "place": places.get(entry.get("place")), "news_days": entry.get("news_days"),
                "meeting_words": ",".join(str(w) for w in entry.get("meeting") or []),
            },
        )
        unknown = [p for p in entry.get("participants") or [] if p not in people]
        if unknown:
            raise KnowledgeBaseError(f"{where}: unknown participants {', '.join(unknown)}")
        event.participants.set([people[p] for p in entry.get("participants") or []])
        _aliases(event, "event", entry, where)
        events[event.slug] = (event, entry.get("parent"))
    for slug, (event, parent) in events.items():
        if parent and parent not in events:
            raise KnowledgeBaseError(f"events {slug}: unknown parent {parent!r}")
        event.parent = events[parent][0] if parent else None
        event.save(update_fields=["parent"])
    return {"places": len(places), "people": len(people), "events": len(events)}


def load_knowledge_base(path: str | Path = DEFAULT_PATH, *, relink: bool = True) -> dict[str, int]:
    """Load the YAML file into the database and, if that changed anything linking reads,
    relink all articles; counts per kind ("articles": how many were relinked)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path} is not valid YAML: {exc}") from None
    before = _linking_state()
    try:
        counts = _load(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise KnowledgeBaseError(f"{path}: malformed entry ({exc})") from None
    counts["articles"] = 0
    # Articles are linked as they are saved: only a changed knowledge base
    # makes them worth reading again (make run loads it at every start).
    if relink and _linking_state() != before:
        from .linker import relink_all

        counts["articles"] = relink_all()
    return counts


def _linking_state() -> tuple:
    """What linking reads of the knowledge base: aliases and events' rules."""
    aliases = sorted(Alias.objects.values_list("person_id", "event_id", "text", "key", "window").order_by("pk"), key=str)
    cues = sorted(str(c) for c in Alias.objects.values_list("cues", flat=True))
    events = sorted(Event.objects.values_list("pk", "meeting_words", "news_days", "start", "parent_id"), key=str)
    participants = sorted(Event.participants.through.objects.values_list("event_id", "person_id"))
    return aliases, cues, events, participants
