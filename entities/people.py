"""People discovered in the articles, not only listed in the knowledge base: what is stored.

``discover`` runs inside ``linker.link_articles`` (so after every commit that
saved articles, a batch at a time): the names ``names.find_names`` finds in
each article become ``NameMention`` rows, keyed by ``articles.text.names``
(titles stripped, one transliteration key for Persian and Arabic spellings).
``regroup`` then reads every mention of the keys the batch touched, with what
else their articles name and the groups stored so far, lets the rules of
``entities.grouping`` decide which names are one person, and writes the
``PersonCandidate`` groups and where they go.  A group named in
``PEOPLE_MIN_ARTICLES`` articles gets a ``Person`` of its own, marked
``gathered``, made once and kept (a lone first name gets none).

Editors' decisions are stored apart from what this recomputes
(``PersonDecision`` for merges and splits, the person's own fields for names,
hiding and confirming), so a re-import or a retrained model leaves them as
they were.  Everything is a function of the articles' text and those
decisions: linking an article again changes nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.conf import settings
from django.db import connection
from django.db.models import Max

from articles.text.names import name_key, translit_key

from .grouping import (
    AR_SUFFIX,
    LONE_WORD_LETTERS,
    SPLIT_PREFIX,
    Owners,
    forename_of,
    group_key,
    known_person,
    lone_words,
    may_join,
    mentions_in,
    person_names,
    share_context,
    surname_of,
    variant_key,
    variants_apart,
)
from .models import Alias, ArticlePerson, NameMention, Origin, Person, PersonCandidate, PersonDecision

# Parameter lists stay far below what SQLite takes in one statement.
CHUNK = 500


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def store_mentions(found: dict[int, tuple[str, dict]]) -> set[str]:
    """Replace the mentions of the articles ``{pk: (language, mentions_in(...))}``;
    the transliteration keys whose groups may have changed."""
    touched, stale, changed = set(), [], []
    existing = defaultdict(dict)
    for chunk in _chunks(found):
        for mention in NameMention.objects.filter(article_id__in=chunk):
            existing[mention.article_id][mention.name_key] = mention
    new = []
    for pk, (language, mentions) in found.items():
        old = existing.get(pk, {})
        for key, mention in old.items():
            now = mentions.get(key)
            if now is None or now["translit_key"] != mention.translit_key:
                stale.append(mention.pk)
                touched.add(mention.translit_key)
            elif sorted(now["positions"]) != mention.positions or mention.language != language:
                mention.positions, mention.language = sorted(now["positions"]), language
                changed.append(mention)
        for key, now in mentions.items():
            if key not in old or now["translit_key"] != old[key].translit_key:
                new.append((pk, language, now["text"][:300], key[:300], now["translit_key"][:300], sorted(now["positions"])))
                touched.add(now["translit_key"])
    for chunk in _chunks(stale):
        NameMention.objects.filter(pk__in=chunk).delete()
    NameMention.objects.bulk_update(changed, ["positions", "language"], batch_size=CHUNK)
    _insert_mentions(new)
    return touched


def _insert_mentions(rows: list[tuple]) -> None:
    """Write new ``NameMention`` rows ``(article, language, text, name_key, translit_key, positions)``
    as ``bulk_create`` would, in one statement run for each row (``bulk_create`` builds model
    instances and a statement of every value of every row, which costs more than the writing)."""
    if not rows:
        return
    meta, quote = NameMention._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in ("article", "language", "text", "name_key", "translit_key", "positions")]
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c.column) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    positions = columns[-1]  # the JSON the backend takes: text on SQLite, an adapter on PostgreSQL
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[:-1], positions.get_db_prep_save(row[-1], connection)) for row in rows])


def _known_keys() -> dict[str, set[int]]:
    """Transliteration keys of the knowledge base's people (their Persian and Arabic names and aliases)."""
    known = defaultdict(set)
    for person, text in Alias.objects.filter(person__isnull=False, language__in=("fa", "ar")).values_list("person_id", "text"):
        if key := translit_key(text):
            known[key].add(person)
    for person, fa, ar in Person.objects.filter(gathered=False).values_list("pk", "name_fa", "name_ar"):
        for text in (fa, ar):
            if key := translit_key(text):
                known[key].add(person)
    return known


def _context(article_ids) -> dict[int, set[str]]:
    """What else each article names: transliteration keys, and known people as ``#id``."""
    context = defaultdict(set)
    for chunk in _chunks(article_ids):
        for article, key in NameMention.objects.filter(article_id__in=chunk).values_list("article_id", "translit_key"):
            # The surname too: one report's "نیکول پاشینیان" is another's "باشينيان".
            context[article].update((key, key.rsplit(" ", 1)[-1]))
        for article, person in ArticlePerson.objects.filter(article_id__in=chunk).values_list("article_id", "person_id"):
            context[article].add(f"#{person}")
    return context


def regroup(keys: set[str], fresh: set[int] = frozenset()) -> tuple[set[int], dict[tuple[int, int], list]]:
    """Recompute the groups of the transliteration ``keys``: ``(relink, links)``, the articles whose
    people changed otherwise, and the links to add (``{(article, person): spans}``) where a name
    just got a gathered person (a page), which needs no new look at the article.  The articles
    of names that went to another group are linked again here, but for ``fresh`` ones (the
    caller links those itself)."""
    if not keys:
        return set(), {}
    splits = set(PersonDecision.objects.filter(action=PersonDecision.Action.SPLIT).values_list("key", flat=True))
    rows, asked = [], set()
    while keys - asked:
        for chunk in _chunks(keys - asked):
            # without the mentions' spans: only the few groups that just got a page need them (``_changes``)
            rows += NameMention.objects.filter(translit_key__in=chunk).values_list(
                "article_id", "language", "text", "name_key", "translit_key")
        asked = keys
        # A lone surname is regrouped with the full names ending with it.
        keys = keys | set(map(surname_of, {row[4] for row in rows if SPLIT_PREFIX + row[3] not in splits})) - {""}
    groups = defaultdict(list)
    sides = defaultdict(lambda: defaultdict(list))
    for row in rows:
        article, language, text, nkey, tkey = row
        if SPLIT_PREFIX + nkey in splits:
            groups[SPLIT_PREFIX + nkey].append(row)
        else:
            sides[tkey][language].append(row)
    scripts = {tkey: tuple(variants_apart(by_language.get(language, []), language, groups) for language in ("fa", "ar"))
               for tkey, by_language in sides.items()}
    # the stored groups are asked about only for the keys whose sides may join
    both = {tkey: (fa, ar) for tkey, (fa, ar) in scripts.items() if fa and ar and may_join(tkey, fa, ar)}
    # What else the articles name is asked of only for the keys whose sides may join and the keys
    # two known people share: read for every article of a much-named key, it cost most of discovery.
    known = _known_keys()
    shared = {key for key, people in known.items() if len(people) > 1}
    context = _context({row[0] for fa, ar in both.values() for row in fa + ar} | {row[0] for row in rows if row[4] in shared})
    own, forenames, named_forenames = _stored_company(both, context, {tkey.split(" ", 1)[0] for tkey in sides if " " in tkey})
    for tkey, (fa, ar) in scripts.items():
        if fa and ar and not share_context(tkey, fa, ar, context, own[tkey], forenames, named_forenames):
            groups[tkey] += fa
            groups[tkey + AR_SUFFIX] += ar
        else:
            groups[tkey] += fa + ar
    # Groups of these keys no longer found (their mentions went) are emptied, and so are
    # the groups their names had apart when another name of the key was the commoner.
    variants = {variant_key(row[3], row[1]) for row in rows}
    before = {}  # the stored groups a name may have been in: {key: (article count, person)}
    for chunk in [[*chunk, *(k + AR_SUFFIX for k in chunk)] for chunk in _chunks(keys)] + list(_chunks(variants)):
        for old, count, person in PersonCandidate.objects.filter(key__in=chunk).values_list("key", "article_count", "person_id"):
            groups.setdefault(old, [])
            before[old] = (count, person)
    for chunk in _chunks({SPLIT_PREFIX + row[3] for row in rows} & splits - before.keys()):
        for old, count, person in PersonCandidate.objects.filter(key__in=chunk).values_list("key", "article_count", "person_id"):
            before[old] = (count, person)
    moved = _moved(rows, groups, before, splits, fresh)
    changed, links = _write_groups(groups, context, known)
    return changed | _link_moved(moved, splits), links


def _moved(rows, groups: dict[str, list], before: dict[str, tuple], splits: set[str], fresh: set[int]) -> dict[int, dict]:
    """The names that leave the group their article was linked by (as ``people_in`` found it
    among the stored groups ``before``) for another: ``{article: {name_key: old group's person}}``,
    but for ``fresh`` articles.  Only these articles' links may have gone stale (a side that
    parts, a name set apart when another became the commoner): their groups' other
    articles keep their names, and their links."""
    placed = {(row[0], row[3]): key for key, group in groups.items() for row in group}
    stored = {key for key, (count, _person) in before.items() if count > 0}
    moved = defaultdict(dict)
    for article, language, _text, nkey, tkey in rows:
        if article in fresh:
            continue
        old = group_key(nkey, tkey, language, splits, stored)
        if old != placed[article, nkey]:
            moved[article][nkey] = before.get(old, (0, None))[1]
    return moved


def _link_moved(moved: dict[int, dict], splits: set[str]) -> set[int]:
    """Link the articles of names that went to another group again, for the people of the
    names' old and new groups only, from their stored mentions (a gathered person's links hold
    only its names' spans); the articles that need a new look (a known person, with aliases
    the recogniser of names does not see, was one of them)."""
    if not moved:
        return set()
    found = {}
    for chunk in _chunks(moved):
        mentions = NameMention.objects.filter(article_id__in=chunk).values_list("article_id", "language", "name_key", "translit_key", "positions")
        for article, language, nkey, tkey, positions in mentions:
            found.setdefault(article, (language, {}))[1][nkey] = {"translit_key": tkey, "positions": positions}
    persons = _persons_of(found, splits)
    touched = {article: {p for nkey, old in names.items() for p in (old, persons.get((article, nkey))) if p is not None}
               for article, names in moved.items()}
    people = set().union(*touched.values())
    by_names = set(Person.objects.filter(pk__in=people, gathered=True).exclude(aliases__isnull=False).values_list("pk", flat=True))
    relink = {article for article, ids in touched.items() if ids - by_names}
    wanted = defaultdict(set)  # {(article, person): spans} of the people touched
    for (article, nkey), person in persons.items():
        if person in touched[article] and article not in relink:
            wanted[article, person].update(map(tuple, found[article][1][nkey]["positions"]))
    stale, updated = [], []
    for chunk in _chunks(set(touched) - relink):
        for link in ArticlePerson.objects.filter(article_id__in=chunk, person_id__in=by_names):
            if link.person_id not in touched[link.article_id]:
                continue
            spans = sorted(map(list, wanted.pop((link.article_id, link.person_id), ())))
            if not spans:
                if link.origin == Origin.AUTOMATIC:  # an editor's confirmed or rejected link stays
                    stale.append(link.pk)
            elif spans != link.positions:
                link.positions, link.count = spans, len(spans)
                updated.append(link)
    for chunk in _chunks(stale):
        ArticlePerson.objects.filter(pk__in=chunk).delete()
    ArticlePerson.objects.bulk_update(updated, ["positions", "count"], batch_size=CHUNK)
    ArticlePerson.objects.bulk_create([ArticlePerson(article_id=article, person_id=person, count=len(spans), positions=sorted(map(list, spans)))
                                       for (article, person), spans in wanted.items()], batch_size=CHUNK)
    return relink


def _stored_company(both: dict[str, tuple], context, forenames: set[str]) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """What ``grouping.share_context`` needs to know of the stored groups for the keys ``both``
    (two sides each): ``(own, forenames, named_forenames)``, the people (``#id``) each key's
    groups went to, and ``forenames`` (the first words of the keys regrouped) with the lone
    words named beside both sides and the keys' last words that are a stored group's first
    word (those of a group named in an article now apart)."""
    own = defaultdict(set)
    for chunk in _chunks(both):
        ours = PersonCandidate.objects.filter(key__in=[*chunk, *(k + AR_SUFFIX for k in chunk)], person__isnull=False)
        for key, person in ours.values_list("key", "person_id"):
            own[key.removesuffix(AR_SUFFIX)].add(f"#{person}")
    words = {tkey.rsplit(" ", 1)[-1] for tkey in both}
    for fa, ar in both.values():  # the lone words named beside both sides
        fa_words, ar_words = (lone_words(set().union(*(context[row[0]] for row in rows))) for rows in (fa, ar))
        words |= fa_words & ar_words
    named = set(forenames)
    forenames = set(forenames)
    for chunk in _chunks(words - forenames):
        stored = PersonCandidate.objects.filter(forename__in=chunk).values("forename").annotate(most=Max("article_count")).order_by()
        for row in stored:
            forenames.add(row["forename"])
            if row["most"] > 0:
                named.add(row["forename"])
    return own, forenames, named


def _write_groups(groups: dict[str, list], context, known: dict[str, set[int]]) -> tuple[set[int], dict[tuple[int, int], list]]:
    minimum = settings.PEOPLE_MIN_ARTICLES
    merges = dict(PersonDecision.objects.filter(action=PersonDecision.Action.MERGE, key__in=list(groups)).values_list("key", "person_id"))
    existing = {c.key: c for c in PersonCandidate.objects.filter(key__in=list(groups)).order_by()}
    renamed = set(PersonDecision.objects.filter(action=PersonDecision.Action.RENAME).values_list("person_id", flat=True))
    named, changed = set(), []
    levels = defaultdict(list)
    for key, rows in groups.items():
        levels[key.count(" ")].append((key, rows))
    # Longest names first: a lone surname or a name written short then finds who it belongs to.
    # What a group looks up (``grouping.Owners``) is only ever a longer name's group, so each length's
    # groups are written together, and read at once by the shorter ones after them.
    for spaces in sorted(levels, reverse=True):
        items = sorted(levels[spaces])
        lookups = _owners([key for key, _rows in items])
        candidates, dirty = [], []
        for key, rows in items:
            candidate = existing.get(key) or PersonCandidate(key=key, surname=surname_of(key), forename=forename_of(key))
            spellings = defaultdict(Counter)
            articles = defaultdict(set)
            for article, language, text, _nkey, _tkey in rows:
                spellings[language][text] += 1
                articles[language].add(article)
            before = (candidate.spellings, candidate.article_counts, candidate.article_count, candidate.person_id)
            candidate.spellings = {lang: dict(counts.most_common()) for lang, counts in sorted(spellings.items())}
            candidate.article_counts = {lang: len(ids) for lang, ids in sorted(articles.items())}
            candidate.article_count = len(all_articles := set().union(*articles.values()))
            forename = lookups.forename(key)
            person = merges.get(key) or known_person(key, known, all_articles, context)
            # who a lone surname or a name written short may belong to: asked only when nothing else decided
            owners = set() if forename or person is not None else lookups.owners(key, rows) | lookups.longer_owners(key)
            if person is None and len(owners) == 1:
                person = next(iter(owners))
            # a lone surname two people share may be either: no page of its own
            page = (person is None and candidate.own_person_id is None and candidate.article_count >= minimum
                    and not forename and len(owners) < 2)
            if person is None and all_articles and not page:
                person = candidate.own_person_id
            # a new group is written once with whom it goes to, unless its page needs its id first
            if not page:
                candidate.person_id = person
            candidates.append((rows, candidate, all_articles, before, person, page, candidate.pk is None))
        PersonCandidate.objects.bulk_create([c[1] for c in candidates if c[-1]], batch_size=CHUNK)
        for rows, candidate, all_articles, before, person, page, new in candidates:
            # what the database holds of it now
            stored = (candidate.spellings, candidate.article_counts, candidate.article_count, candidate.person_id) if new else before
            if page:
                candidate.own_person = Person.objects.create(slug=f"found-{candidate.pk}", gathered=True, **person_names(candidate))
                if all_articles:
                    person = candidate.own_person_id
            candidate.person_id = person
            if altered := stored != (candidate.spellings, candidate.article_counts, candidate.article_count, candidate.person_id):
                dirty.append(candidate)
            if before[3] != person:
                changed.append((before[3], person, rows))
            # a person's names come from its groups' spellings: only a group new or changed may change them
            if person is not None and (new or altered):
                named.add(person)
        _update(dirty, ("spellings", "article_counts", "article_count", "person", "own_person"))
    _refresh_names(named - renamed)
    return _changes(changed)


def _owners(keys: list[str]) -> Owners:
    """Who the groups of ``keys`` may belong to, read with a few queries for all of them: the
    first names among them, the people of the full names a lone surname ends with, and of the
    names that write a name in full.  All are longer names' groups, already written."""
    lone = {key.removesuffix(AR_SUFFIX) for key in keys if " " not in key and not key.startswith(SPLIT_PREFIX)}
    short = {base for key in keys if " " in (base := key.removesuffix(AR_SUFFIX)) and not base.startswith(SPLIT_PREFIX)}
    forenames, by_surname, by_forename = set(), defaultdict(list), defaultdict(list)
    for chunk in _chunks(lone):
        forenames.update(PersonCandidate.objects.filter(forename__in=chunk).order_by().values_list("forename", flat=True).distinct())
    for chunk in _chunks(base for base in lone if len(base) >= LONE_WORD_LETTERS):
        for candidate in PersonCandidate.objects.filter(surname__in=chunk, person__isnull=False).only("surname", "spellings", "person").order_by():
            by_surname[candidate.surname].append(candidate)
    # a name's longer forms begin with its first word: their groups' ``forename``
    for chunk in _chunks({base.split(" ", 1)[0] for base in short}):
        longer = PersonCandidate.objects.filter(forename__in=chunk, person__isnull=False).order_by()
        for forename, other, person in longer.values_list("forename", "key", "person_id"):
            by_forename[forename].append((other, person))
    return Owners(forenames, by_surname, by_forename)


def _update(candidates: list[PersonCandidate], fields: tuple[str, ...]) -> None:
    """Write ``fields`` of ``candidates`` as ``bulk_update`` would, in one statement run for each row
    (``bulk_update`` builds a CASE of every row for every field, which costs more than the writing)."""
    if not candidates:
        return
    meta, quote = PersonCandidate._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    sql = (f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(c.column)} = %s' for c in columns)} "
           f"WHERE {quote(meta.pk.column)} = %s")
    rows = [[c.get_db_prep_save(getattr(candidate, c.attname), connection) for c in columns] + [candidate.pk]
            for candidate in candidates]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _changes(changed) -> tuple[set[int], dict[tuple[int, int], list]]:
    """Links to add where a group went from nobody to a gathered person, articles to relink otherwise.

    A gathered person is named by no alias, so those links hold only the
    group's spans: what relinking the article would give, without running
    the recogniser on it again.
    """
    gathered = set(Person.objects.filter(pk__in={person for _b, person, _r in changed}, gathered=True).values_list("pk", flat=True))
    relink, links, spans_of = set(), defaultdict(list), defaultdict(list)
    for before, person, rows in changed:
        if before is None and person in gathered:
            for article, _language, _text, nkey, _tkey in rows:
                spans_of[article, nkey].append(person)
        else:
            relink |= {row[0] for row in rows}
    for (article, nkey), positions in _stored_spans(spans_of).items():
        for person in spans_of[article, nkey]:
            links[article, person] += [s for s in positions if s not in links[article, person]]
    return relink, dict(links)


def _stored_spans(names) -> dict[tuple[int, str], list]:
    """The stored spans of the mentions ``names`` (``(article, name_key)`` pairs), in their order."""
    found = {}
    for chunk in _chunks({article for article, _nkey in names}):  # an article's few mentions, the pairs picked here
        for article, nkey, positions in NameMention.objects.filter(article_id__in=chunk).values_list("article_id", "name_key", "positions"):
            if (article, nkey) in names:
                found[article, nkey] = positions
    return {pair: found[pair] for pair in names if pair in found}


def add_links(links: dict[tuple[int, int], list]) -> None:
    """Add ``regroup``'s links to gathered people, merged with links the articles already have to them."""
    if not links:
        return
    existing = {}
    for chunk in _chunks({article for article, _person in links}):
        for link in ArticlePerson.objects.filter(article_id__in=chunk, person_id__in={p for _a, p in links}):
            existing[link.article_id, link.person_id] = link
    new, updated = [], []
    for (article, person), spans in links.items():
        link = existing.get((article, person))
        if link is None:
            new.append(ArticlePerson(article_id=article, person_id=person, count=len(spans), positions=sorted(spans)))
        elif link.origin != "rejected":
            merged = sorted(link.positions + [s for s in spans if s not in link.positions])
            if merged != link.positions:
                link.positions, link.count = merged, len(merged)
                updated.append(link)
    ArticlePerson.objects.bulk_create(new, batch_size=CHUNK)
    ArticlePerson.objects.bulk_update(updated, ["positions", "count"], batch_size=CHUNK)


def _refresh_names(people: set[int]) -> None:
    """Gathered people no editor renamed take their groups' most frequent spellings."""
    groups = defaultdict(list)
    for candidate in PersonCandidate.objects.filter(person__in=people, person__gathered=True).select_related("person"):
        groups[candidate.person].append(candidate)
    for person, candidates in groups.items():
        own = next((c for c in candidates if c.own_person_id == person.pk and c.spellings), candidates[0])
        names = person_names(own, [c for c in candidates if c is not own])
        if not names["name_fa"]:
            continue  # none of its groups holds a name now: it keeps the last one
        if any(getattr(person, field) != value for field, value in names.items()):
            Person.objects.filter(pk=person.pk).update(**names)


def people_in(found: dict[int, tuple[str, dict]]) -> dict[int, dict[int, list]]:
    """``{article: {person: spans}}`` of the people the articles' mentions resolve to (hidden ones too)."""
    people = defaultdict(lambda: defaultdict(list))
    for (pk, nkey), person in _persons_of(found).items():
        if person is not None:
            people[pk][person] += found[pk][1][nkey]["positions"]
    return {pk: dict(by_person) for pk, by_person in people.items()}


def _persons_of(found: dict[int, tuple[str, dict]], splits: set[str] | None = None) -> dict[tuple[int, str], int | None]:
    """``{(article, name_key): person}`` of the mentions ``found`` (as ``people_in`` takes them), by
    the groups stored now; ``splits``: the editors' split keys, when the caller has read them."""
    if splits is None:
        splits = set(PersonDecision.objects.filter(action=PersonDecision.Action.SPLIT).values_list("key", flat=True))
    wanted = {k for _language, mentions in found.values() for nkey, m in mentions.items()
              for k in (m["translit_key"], m["translit_key"] + AR_SUFFIX, SPLIT_PREFIX + nkey, variant_key(nkey, "ar"))}
    person_of = {}
    for chunk in _chunks(wanted):
        # emptied groups (their names went elsewhere) hold nobody
        person_of.update(PersonCandidate.objects.filter(key__in=chunk, article_count__gt=0).values_list("key", "person_id"))
    return {(pk, nkey): person_of.get(group_key(nkey, mention["translit_key"], language, splits, person_of.keys()))
            for pk, (language, mentions) in found.items() for nkey, mention in mentions.items()}


def discover(articles, texts: dict[int, str], tokens: dict[int, list] | None = None) -> tuple[dict[int, dict[int, list]], set[int]]:
    """Find, store and group the names of ``articles``; ``(people, relink)``: the people
    their names resolve to (``{article: {person: spans}}``), and other articles whose people changed.
    ``tokens`` maps articles to their texts' tokens where the caller has them (linking does)."""
    from .names import LANGUAGES, find_names_in  # the model is loaded on first use

    articles = list(articles)
    tokens = tokens or {}
    spans = {}
    for language in LANGUAGES:  # one tagging of all a batch's articles in a language
        these = [a.pk for a in articles if a.language == language]
        found = find_names_in([texts[pk] for pk in these], language, tokens=[tokens.get(pk) for pk in these])
        spans.update(zip(these, found, strict=True))
    found = {a.pk: (a.language, mentions_in(spans[a.pk], a.language)) for a in articles}
    relink, links = regroup(store_mentions(found), set(found))
    add_links({pair: spans for pair, spans in links.items() if pair[0] not in found})
    return people_in(found), relink - set(found)


def record_rename(person: Person) -> None:
    """Keep an editor's names of a gathered person: discovery no longer renames it."""
    PersonDecision.objects.get_or_create(key=f"rename:{person.pk}", defaults={"action": PersonDecision.Action.RENAME, "person": person})


def candidate_keys(candidates) -> set[str]:
    """The transliteration keys whose groups hold ``candidates``."""
    keys = set()
    for candidate in candidates:
        if candidate.key.startswith(SPLIT_PREFIX):
            keys |= set(NameMention.objects.filter(name_key=candidate.key[1:]).values_list("translit_key", flat=True))
        else:
            keys.add(candidate.key.removesuffix(AR_SUFFIX))
    return keys


def articles_of(keys: set[str]) -> set[int]:
    """The articles naming any of the transliteration ``keys``."""
    found = set()
    for chunk in _chunks(keys):
        found |= set(NameMention.objects.filter(translit_key__in=chunk).values_list("article_id", flat=True))
    return found


def merge(candidates, into: Person | None = None) -> Person:
    """Record that ``candidates`` are one person: ``into``, else the known person among them,
    else the person of the most-named one (made now if it has none).  Other gathered pages they
    had are hidden.  The caller regroups and relinks (``linker.apply_decisions``)."""
    candidates = sorted(candidates, key=lambda c: (-c.article_count, c.key))
    if into is None:
        people = [c.person for c in candidates if c.person is not None]
        into = next((p for p in people if not p.gathered), None) or (people[0] if people else None)
    if into is None:
        top = candidates[0]
        into = top.own_person = Person.objects.create(slug=f"found-{top.pk}", gathered=True, **person_names(top))
        top.save(update_fields=["own_person"])
    for candidate in candidates:
        PersonDecision.objects.update_or_create(key=candidate.key, defaults={"action": PersonDecision.Action.MERGE, "person": into})
        own = candidate.own_person
        if own is not None and own.pk != into.pk and own.gathered:
            Person.objects.filter(pk=own.pk).update(hidden=True)
    return into


def split(candidate: PersonCandidate) -> int:
    """Record that each spelling of ``candidate`` but the one it is shown by is someone else; how many."""
    keys = candidate_keys([candidate])
    top = candidate.display_name
    spellings = {s for by_language in candidate.spellings.values() for s in by_language} - {top}
    name_keys = set(NameMention.objects.filter(translit_key__in=keys, text__in=spellings).values_list("name_key", flat=True))
    name_keys.discard(name_key(top))
    for key in name_keys:
        PersonDecision.objects.update_or_create(key=SPLIT_PREFIX + key, defaults={"action": PersonDecision.Action.SPLIT, "person": None})
    return len(name_keys)
