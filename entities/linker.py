"""Link articles to the people and events they name, and collect unknown names.

``link_article`` runs after every commit that saved an article (see
``signals``) and from ``load_knowledge_base``.  Automatic links are replaced
on each run; links an editor confirmed or rejected keep their decision.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Max

from articles.models import Article
from articles.text import normalize_key, stem, tokenize, words

from .matching import Alias as MatchAlias
from .matching import Gazetteer, find_candidates
from .models import Alias, ArticleEvent, ArticlePerson, EntityCandidate, Event, Origin

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"[.!?؟\n]+")
_cache: dict = {}


def gazetteer() -> Gazetteer:
    """The aliases of the knowledge base, rebuilt only when an alias changed."""
    version = tuple(Alias.objects.aggregate(n=Count("id"), m=Max("modified"), i=Max("id")).values())
    if _cache.get("version") != version:
        gaz = Gazetteer()
        for alias in Alias.objects.all():
            key = ("person", alias.person_id) if alias.person_id else ("event", alias.event_id)
            cues = tuple(tuple(str(c) for c in group) for group in alias.cues or ())
            gaz.add(MatchAlias(key, alias.text, cues, alias.window))
        _cache.update(version=version, gazetteer=gaz)
    return _cache["gazetteer"]


def article_text(article: Article) -> str:
    """The text positions refer to: title, lead and body, a blank line apart."""
    return "\n\n".join(part for part in (article.title, article.lead, article.body) if part)


def find_entities(article: Article) -> tuple[dict[int, list], dict[int, list], list]:
    """``(people, events, candidates)`` found in an article: the first two map
    ids to ``[start, end]`` spans; candidates are unknown names next to titles."""
    text = article_text(article)
    tokens = tokenize(text)
    people, events = defaultdict(list), defaultdict(list)
    for mention in gazetteer().find(text, tokens):
        kind, pk = mention.key
        (people if kind == "person" else events)[pk].append([mention.start, mention.end])
    for event in Event.objects.exclude(meeting_words="").prefetch_related("participants"):
        for span in _meeting_sentences(text, people, event):
            events[event.pk].append(span)
    _drop_out_of_window(article, events)
    spans = [s for found in (people, events) for v in found.values() for s in v]
    candidates = [
        c for c in find_candidates(text, tokens, article.language)
        if not any(s[0] < c.end and c.start < s[1] for s in spans)
    ]
    return dict(people), dict(events), candidates


def _meeting_sentences(text, people, event):
    participants = {p.pk for p in event.participants.all()}
    meeting = [tuple(stem(w) for w in words(m)) for m in event.meeting_words.split(",") if words(m)]
    start = 0
    for boundary in [*_SENTENCE_END.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        named = {pk for pk in participants for s in people.get(pk, ()) if start <= s[0] < end}
        if len(named) >= 2:
            stems = [stem(w) for w in words(text[start:end])]
            if any(stems[i:i + len(m)] == list(m) for m in meeting for i in range(len(stems))):
                yield [start, end]
        start = boundary.end() if boundary else end


def _drop_out_of_window(article, events):
    if not article.published or not events:
        return
    day = article.published.date()
    for event in Event.objects.filter(pk__in=list(events), news_days__isnull=False, start__isnull=False):
        if abs((day - event.start).days) > event.news_days:
            del events[event.pk]


@transaction.atomic
def link_article(article: Article) -> None:
    """Replace the article's automatic links and record candidate names."""
    people, events, candidates = find_entities(article)
    _store(ArticlePerson, "person_id", article, people)
    _store(ArticleEvent, "event_id", article, events)
    for candidate in candidates:
        key = normalize_key(candidate.name)
        obj, _ = EntityCandidate.objects.get_or_create(
            key=key, defaults={"name": candidate.name, "title": candidate.title, "language": article.language},
        )
        obj.articles.add(article)


def _store(model, field, article, found):
    existing = {getattr(link, field): link for link in model.objects.filter(article=article)}
    for pk, link in existing.items():
        if pk not in found and link.origin == Origin.AUTOMATIC:
            link.delete()
    for pk, spans in found.items():
        link = existing.get(pk) or model(article=article, **{field: pk})
        link.count, link.positions = len(spans), sorted(spans)
        link.save()


def process_article(pk: int) -> None:
    """Link one article and find its near-duplicates; never raises (runs after commit)."""
    from .duplicates import update_duplicates

    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return
    try:
        link_article(article)
        update_duplicates(article)
    except Exception:
        # The article itself is committed; a failed link must not turn the
        # editor's save into an error page.  load_knowledge_base relinks.
        log.exception("linking article %s failed", pk)


def relink_all() -> int:
    """Link every article again (after the knowledge base changed)."""
    n = 0
    for article in Article.objects.iterator():
        link_article(article)
        n += 1
    return n
