"""People and event pages, their share images and JSON API."""

import datetime as dt
from collections import Counter
from itertools import groupby

from django.db.models import Count, F, Q, prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from articles.duplicates import near_duplicates_of
from articles.images import share_image
from articles.models import Language
from articles.text import localize_digits
from articles.views import png_response

from . import images
from .models import ArticleEvent, ArticlePerson, Event, Person
from .related import related_articles


class EntityListView(ListView):
    """A searchable, paginated list; ``q`` matches any name or alias in any spelling."""

    paginate_by = 30

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:200]
        return self.model.objects.matching(self.query).with_article_counts()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class PersonListView(EntityListView):
    """``/people/``: everyone (``q`` searches), or the most-named first: ``period`` ``30`` (the
    last 30 days) or ``all``, ``language`` ``fa``, ``ar`` or both (empty), with their article counts."""

    model = Person
    template_name = "entities/person_list.html"
    context_object_name = "people"
    PERIODS = {"all": None, "30": 30}

    def get_queryset(self):
        self.period = self.request.GET.get("period", "")
        self.language = self.request.GET.get("language", "")
        self.ranked = self.period in self.PERIODS or self.language in Language.values
        people = super().get_queryset().filter(hidden=False)
        if not self.ranked:
            return people.exclude(gathered=True, article_count=0)
        days = self.PERIODS.get(self.period)
        since = timezone.now() - dt.timedelta(days=days) if days else None
        return Person.objects.filter(hidden=False).matching(self.query).most_named(
            language=self.language if self.language in Language.values else None, since=since,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            period=self.period if self.period in self.PERIODS else "", language=self.language if self.language in Language.values else "",
            ranked=self.ranked, **kwargs,
        )


class EventListView(EntityListView):
    model = Event
    template_name = "entities/event_list.html"
    context_object_name = "events"

    def get_queryset(self):
        return super().get_queryset().select_related("place")


def _with_articles(links):
    # Articles are listed by title, date and source: their texts would be most of what is read.
    return links.select_related("article__source").defer("article__lead", "article__body", "article__raw")


def _latest_first(links):
    return _with_articles(links).order_by(F("article__published").desc(nulls_last=True), "-article_id")


class PersonDetailView(DetailView):
    model = Person
    template_name = "entities/person_detail.html"
    context_object_name = "person"
    queryset = Person.objects.filter(hidden=False)

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        # A gathered person whose names all went elsewhere (merged, split) has nothing to show.
        if person.gathered and not ArticlePerson.objects.visible().filter(person=person).exists():
            raise Http404("no articles")
        return person

    def get_context_data(self, **kwargs):
        person = self.object
        links = list(_latest_first(ArticlePerson.objects.visible().filter(person=person)))
        ids = [link.article_id for link in links]
        together = (
            Person.objects.filter(hidden=False, article_links__article__in=ids, article_links__in=ArticlePerson.objects.visible())
            .exclude(pk=person.pk).annotate(together=Count("article_links__article", distinct=True))
            .order_by("-together", "name_en")[:10]
        )
        events = Event.objects.filter(Q(participants=person) | Q(article_links__article__in=ids)).distinct().order_by("start")
        per_language = Counter(link.article.language for link in links)
        return super().get_context_data(
            links=links, together=together, events=events, spellings=_spellings(person),
            # years are drawn from the articles' dates: with none dated the chart would be an empty frame
            dated=any(link.article.published for link in links),
            per_language=[(code, per_language[code]) for code in Language.values if per_language[code]], **kwargs,
        )


def _spellings(person) -> list[tuple[str, str]]:
    """``(language, spelling)`` of the names discovery grouped under ``person``, most frequent first."""
    counts = Counter()
    for spellings in person.candidates.values_list("spellings", flat=True):
        for language, by_spelling in spellings.items():
            for spelling, n in by_spelling.items():
                counts[language, spelling] += n
    return [pair for pair, _n in counts.most_common(20)]


class EventDetailView(DetailView):
    model = Event
    template_name = "entities/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.select_related("place", "parent")

    def get_context_data(self, **kwargs):
        event = self.object
        links = _with_articles(ArticleEvent.objects.visible().filter(event=event))
        links = sorted(links, key=lambda link: (link.article.source.name if link.article.source else "", -(link.article.pk)))
        by_source = [(source, list(group)) for source, group in groupby(links, key=lambda link: link.article.source)]
        return super().get_context_data(
            by_source=by_source, article_count=len(links), children=event.children.order_by("start"),
            participants=event.participants.all(), **kwargs,
        )


@require_safe
def person_timeline(request, slug):
    """Mentions per year as a PNG (labels in the reader's digits)."""
    person = get_object_or_404(Person, slug=slug, hidden=False)
    years = sorted(
        ArticlePerson.objects.visible().filter(person=person, article__published__isnull=False)
        .values_list("article__published__year", flat=True)
    )
    lang = (request.LANGUAGE_CODE or "fa")[:2]
    counts = []
    if years:
        for year in range(years[0], years[-1] + 1):
            counts.append((localize_digits(str(year), lang), years.count(year)))
    rtl = lang in ("fa", "ar")
    return png_response(images.timeline_image(
        counts, title=_("Articles per year"), rtl=rtl, number=lambda n: localize_digits(str(n), lang),
    ))


@require_safe
def person_share(request, slug):
    person = get_object_or_404(Person, slug=slug, hidden=False)
    names = " · ".join(filter(None, (person.name_ar, person.english_name)))
    return png_response(share_image(person.name_fa, names, person.role_fa or _("Caucasus News")))


@require_safe
def event_share(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return png_response(share_image(event.name_fa, f"{event.name_ar} · {event.name_en}", _("Caucasus News")))


def entity_ref(request, entity) -> dict:
    """``{id, url, names}``: how the API points to a person or event."""
    return {"id": entity.pk, "url": request.build_absolute_uri(entity.get_absolute_url()), "names": entity.names}


def _article_ref(request, article) -> dict:
    return {
        "id": article.pk, "url": request.build_absolute_uri(article.get_absolute_url()), "title": article.title,
        "language": article.language, "published": article.published.isoformat() if article.published else None,
    }


def _linked(article) -> tuple[list, list]:
    # Joined through the links: people filtered by a subquery of links took
    # Django 2.4 ms to build, this 1 ms (the database answers either in 0.1).
    people = (ArticlePerson.objects.visible().filter(article=article, person__hidden=False)
              .select_related("person").order_by("person__name_en"))
    events = ArticleEvent.objects.visible().filter(article=article).select_related("event").order_by("event__start")
    return [link.person for link in people], [link.event for link in events]


def article_page_entities(article) -> dict:
    """The people, events, same-story and related articles an article page lists, in a fixed number of queries."""
    people, events = _linked(article)
    same_story = near_duplicates_of(article)
    prefetch_related_objects(same_story, "source")  # each is shown with its source
    related = related_articles(article, people, events, exclude=same_story)
    return {"people": people, "events": events, "same_story": same_story, "related": related}


def article_entities(request, article) -> dict:
    """The ``people``, ``events`` and ``near_duplicates`` lists of the article API."""
    people, events = _linked(article)
    return {
        "people": [entity_ref(request, p) for p in people],
        "events": [entity_ref(request, e) for e in events],
        "near_duplicates": [
            {"id": a.pk, "url": request.build_absolute_uri(a.get_absolute_url()), "title": a.title}
            for a in near_duplicates_of(article)
        ],
    }


def _json(data):
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_safe
def person_api(request, pk):
    """``GET /api/people/<id>/``: a person, with every article naming them (newest first)."""
    person = get_object_or_404(Person, pk=pk, hidden=False)
    links = _latest_first(ArticlePerson.objects.visible().filter(person=person))
    return _json({
        **entity_ref(request, person), "role": person.roles, "wikidata_id": person.wikidata_id or None,
        "articles": [{**_article_ref(request, link.article), "mentions": link.count} for link in links],
    })


@require_safe
def event_api(request, pk):
    """``GET /api/events/<id>/``: an event with its dates, place, relations and articles."""
    event = get_object_or_404(Event.objects.select_related("place", "parent"), pk=pk)
    links = _latest_first(ArticleEvent.objects.visible().filter(event=event))
    return _json({
        **entity_ref(request, event),
        "start": event.start.isoformat() if event.start else None, "start_precision": event.start_precision,
        "end": event.end.isoformat() if event.end else None, "end_precision": event.end_precision if event.end else None,
        "place": event.place.names if event.place else None,
        "parent": entity_ref(request, event.parent) if event.parent else None,
        "children": [entity_ref(request, e) for e in event.children.all()],
        "participants": [entity_ref(request, p) for p in event.participants.all()],
        "articles": [{**_article_ref(request, link.article), "mentions": link.count} for link in links],
    })
