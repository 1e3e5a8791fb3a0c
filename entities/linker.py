"""Link articles to the people and events they name, and collect unknown names.

``link_articles`` runs after every commit that saved articles (the ``link``
step of ``articles.pipeline``, see ``steps``) and links a whole batch with a
few queries, however many articles it holds; ``relink_all`` runs from
``load_knowledge_base``.
Automatic links are replaced on each run; links an editor confirmed or
rejected keep their decision.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.db.models import Q

from articles.models import Article, article_text
from articles.text import Token, normalize_key, stem, tokenize, words
from articles.text.tokens import SENTENCE_END_RE
from articles.turns import take_turn

from . import people as discovery
from .matching import Alias as MatchAlias
from .matching import Candidate, Gazetteer, find_candidates
from .models import Alias, ArticleEvent, ArticlePerson, EntityCandidate, Event, Origin

log = logging.getLogger(__name__)

# Articles linked together: a few queries per batch, and their parameter
# lists stay far below what SQLite takes in one statement.
BATCH_SIZE = 500
# What linking reads of an article (not the original bytes kept beside it).
TEXT_FIELDS = ("title", "lead", "body", "language", "published")

_cache: dict = {}


def gazetteer() -> Gazetteer:
    """The aliases of the knowledge base, rebuilt only when an alias changed."""
    # asked by every search: one plain statement, without the ORM's
    # building of an aggregate query (most of the cost at this size)
    with connections[router.db_for_read(Alias)].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(id), MAX(modified), MAX(id) FROM {Alias._meta.db_table}")
        version = tuple(cursor.fetchone())
    if _cache.get("version") != version:
        gaz = Gazetteer()
        for alias in Alias.objects.all():
            key = ("person", alias.person_id) if alias.person_id else ("event", alias.event_id)
            cues = tuple(tuple(str(c) for c in group) for group in alias.cues or ())
            gaz.add(MatchAlias(key, alias.text, cues, alias.window))
        _cache.update(version=version, gazetteer=gaz)
    return _cache["gazetteer"]


@dataclass(frozen=True)
class Meeting:
    """An event also named by two of its participants in one sentence with one of its words."""

    event: int
    participants: frozenset[int]
    phrases: tuple[tuple[str, ...], ...]  # the meeting words, stemmed


@dataclass(frozen=True)
class KnowledgeBase:
    """What linking needs to know, read once for a whole batch of articles."""

    gazetteer: Gazetteer
    meetings: tuple[Meeting, ...]
    windows: dict[int, tuple[dt.date, int]]  # event → (start, news days)


def knowledge_base() -> KnowledgeBase:
    """The gazetteer (kept while no alias changes) and the events with meeting words or a news window.

    The events are read afresh each time, in two small queries: they have no
    modification time to tell a kept copy is stale, and every batch of
    articles, however large, reads them only once.
    """
    events = list(Event.objects.filter(~Q(meeting_words="") | Q(news_days__isnull=False, start__isnull=False))
                  .only("meeting_words", "news_days", "start"))
    participants = defaultdict(set)
    meeting_events = [e.pk for e in events if e.meeting_words]
    for event, person in Event.participants.through.objects.filter(event_id__in=meeting_events).values_list("event_id", "person_id"):
        participants[event].add(person)
    meetings = tuple(
        Meeting(e.pk, frozenset(participants[e.pk]),
                tuple(tuple(stem(w) for w in words(m)) for m in e.meeting_words.split(",") if words(m)))
        for e in events if e.meeting_words
    )
    windows = {e.pk: (e.start, e.news_days) for e in events if e.news_days is not None and e.start is not None}
    return KnowledgeBase(gazetteer(), meetings, windows)


def find_entities(
    article: Article, tokens: list[Token] | None = None, kb: KnowledgeBase | None = None,
) -> tuple[dict[int, list], dict[int, list], list[Candidate]]:
    """``(people, events, candidates)`` found in an article: the first two map
    ids to ``[start, end]`` spans; candidates are unknown names next to titles.

    ``tokens`` (of ``article_text``) and ``kb`` spare the work when the caller has them.
    """
    kb = kb or knowledge_base()
    text = article_text(article)
    tokens = tokens if tokens is not None else tokenize(text)
    people, events = defaultdict(list), defaultdict(list)
    for mention in kb.gazetteer.find(text, tokens):
        kind, pk = mention.key
        (people if kind == "person" else events)[pk].append([mention.start, mention.end])
    for meeting in kb.meetings:
        for span in _meeting_sentences(text, people, meeting):
            events[meeting.event].append(span)
    _drop_out_of_window(article, events, kb.windows)
    spans = [s for found in (people, events) for v in found.values() for s in v]
    candidates = [
        c for c in find_candidates(text, tokens, article.language)
        if not any(s[0] < c.end and c.start < s[1] for s in spans)
    ]
    return dict(people), dict(events), candidates


def _meeting_sentences(text, people, meeting):
    named_anywhere = meeting.participants & people.keys()
    if len(named_anywhere) < 2:
        return  # no sentence can name two of them
    start = 0
    for boundary in [*SENTENCE_END_RE.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        named = {pk for pk in named_anywhere for s in people[pk] if start <= s[0] < end}
        if len(named) >= 2:
            stems = [stem(w) for w in words(text[start:end])]
            if any(stems[i:i + len(m)] == list(m) for m in meeting.phrases for i in range(len(stems))):
                yield [start, end]
        start = boundary.end() if boundary else end


def _drop_out_of_window(article, events, windows):
    if not article.published or not events:
        return
    day = article.published.date()
    for pk in [pk for pk in events if pk in windows]:
        start, news_days = windows[pk]
        if abs((day - start).days) > news_days:
            del events[pk]


@transaction.atomic
def link_articles(articles: list[Article], tokens: dict[int, list[Token]] | None = None, *, follow: bool = True) -> None:
    """Replace the articles' automatic links and record candidate names, with a few queries for all.

    ``tokens`` maps article ids to the tokens of their ``article_text`` when
    the caller has them already.  The names the recogniser finds are grouped
    into people (``people.discover``); when that gives other articles' names
    another person (a name reached its page, a known person absorbed it),
    those articles are linked again too, unless ``follow`` is false.
    """
    take_turn()
    kb = knowledge_base()
    texts = {a.pk: article_text(a) for a in articles}
    # one tokenizing of each text, for the gazetteer and the recogniser both
    tokens = {pk: given if (given := (tokens or {}).get(pk)) is not None else tokenize(text) for pk, text in texts.items()}
    people, events, candidates = {}, {}, {}
    for article in articles:
        found = find_entities(article, tokens[article.pk], kb)
        people[article.pk], events[article.pk], candidates[article.pk] = found
    discovered, relink = discovery.discover(articles, texts, tokens)
    for pk, by_person in discovered.items():
        for person, spans in by_person.items():
            known = people[pk].setdefault(person, [])
            known += [s for s in spans if s not in known]
    _store(ArticlePerson, "person_id", people)
    _store(ArticleEvent, "event_id", events)
    _store_candidates(articles, candidates)
    if follow and relink:
        for start in range(0, len(relink), BATCH_SIZE):
            chunk = sorted(relink)[start:start + BATCH_SIZE]
            link_articles(list(Article.objects.filter(pk__in=chunk).only(*TEXT_FIELDS).order_by("pk")), follow=False)


def link_article(article: Article) -> None:
    """Replace one article's automatic links and record its candidate names."""
    link_articles([article])


def _store(model, field, found: dict[int, dict[int, list]]) -> None:
    """Write ``{article: {entity: spans}}``: automatic links no longer found go,
    editors' decisions stay (with fresh positions), unchanged rows are left alone."""
    stale, changed, kept = [], [], set()
    for link in model.objects.filter(article_id__in=list(found)):
        spans = found[link.article_id].get(getattr(link, field))
        if spans is None:
            if link.origin == Origin.AUTOMATIC:
                stale.append(link.pk)
            continue
        kept.add((link.article_id, getattr(link, field)))
        if (link.count, link.positions) != (len(spans), sorted(spans)):
            link.count, link.positions = len(spans), sorted(spans)
            changed.append(link)
    if stale:
        model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_update(changed, ["count", "positions"], batch_size=BATCH_SIZE)
    model.objects.bulk_create([
        model(article_id=article, count=len(spans), positions=sorted(spans), **{field: pk})
        for article, entities in found.items() for pk, spans in entities.items() if (article, pk) not in kept
    ], batch_size=BATCH_SIZE)


def _store_candidates(articles: list[Article], found: dict[int, list[Candidate]]) -> None:
    """Record each unknown name once, by its folded key, and the articles naming it."""
    new, named = {}, {}
    for article in articles:
        for candidate in found[article.pk]:
            key = normalize_key(candidate.name)
            new.setdefault(key, EntityCandidate(key=key, name=candidate.name, title=candidate.title, language=article.language))
            named[key, article.pk] = None
    if not new:
        return
    # A name seen before keeps its first spelling, title and status.
    EntityCandidate.objects.bulk_create(new.values(), ignore_conflicts=True)
    ids = dict(EntityCandidate.objects.filter(key__in=list(new)).values_list("key", "pk"))
    through = EntityCandidate.articles.through
    through.objects.bulk_create(
        [through(entitycandidate_id=ids[key], article_id=pk) for key, pk in named], ignore_conflicts=True,
    )


def apply_decisions(translit_keys: set[str]) -> int:
    """Regroup the names of ``translit_keys`` after an editor's decision and link their articles again; how many."""
    pks = discovery.articles_of(translit_keys)
    discovery.regroup(translit_keys, pks)  # all their articles are linked again below
    for start in range(0, len(pks), BATCH_SIZE):
        chunk = sorted(pks)[start:start + BATCH_SIZE]
        link_articles(list(Article.objects.filter(pk__in=chunk).only(*TEXT_FIELDS).order_by("pk")), follow=False)
    return len(pks)


def relink_all() -> int:
    """Link every article again (after the knowledge base changed); how many were linked."""
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH_SIZE):
        link_articles(list(Article.objects.filter(pk__in=pks[start:start + BATCH_SIZE]).only(*TEXT_FIELDS).order_by("pk")))
    return len(pks)
