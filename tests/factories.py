"""Small factories for the suite's data: articles, people and events with Persian and Arabic text.

Each takes the fields a test cares about and fills the rest; ``n`` (a
counter) keeps titles and slugs unique.  ``save=False`` builds without saving
(for ``bulk_create``, which, like the importer, sends no ``post_save``).
An article's slug is made from its title, as the site makes it.
"""

from __future__ import annotations

import datetime as dt
import itertools

from articles.models import Article, Source

_counter = itertools.count(1)
_HOUR_ZERO = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

BODY = {
    "fa": "وزیر امور خارجه روز سه شنبه در ایروان با همتای خود دیدار و گفت و گو کرد.",
    "ar": "التقى وزير الخارجية نظيره في موسكو يوم الثلاثاء وبحثا العلاقات الثنائية.",
}


def article(*, save: bool = True, language: str = "fa", title: str | None = None, body: str | None = None,
            status: str = Article.Status.PUBLISHED, **fields) -> Article:
    """A published article in ``language`` (fa or ar); any other field of ``Article`` as given.

    ``source`` and ``via`` may be names: the sources are made the first time.
    """
    n = next(_counter)
    for role in ("source", "via"):
        if isinstance(fields.get(role), str):
            fields[role] = Source.objects.get_or_create(name=fields[role])[0]
    built = Article(title=title or ("خبر شماره" if language == "fa" else "خبر رقم") + f" {n}",
                    body=body or BODY[language], language=language, status=status, **fields)
    if save:
        built.save()
    else:
        built.fill_slug()
    return built


def articles(count: int, **fields) -> list[Article]:
    """``count`` articles written in bulk, as the importer writes them: no ``post_save``, nothing run after commit."""
    return Article.objects.bulk_create([article(save=False, **fields) for _ in range(count)])


def one_an_hour(numbers, *, title: str = "خبر شماره {n}", bulk: bool = False, **fields) -> list[Article]:
    """An article for each of ``numbers``, published ``n`` hours after 2024-01-01 00:00 UTC (a list long enough for pages).

    ``title`` is formatted with ``n``; ``bulk`` writes them as the importer does (no ``post_save``).
    """
    made = [article(save=not bulk, title=title.format(n=n), published=_HOUR_ZERO + dt.timedelta(hours=n), **fields)
            for n in numbers]
    return Article.objects.bulk_create(made) if bulk else made


def person(*, name_fa: str = "سرگئی لاوروف", name_ar: str = "سيرغي لافروف", name_en: str = "Sergey Lavrov",
           aliases: tuple[tuple[str, str], ...] = (), **fields):
    """A person (and ``aliases``: ``(language, text)`` pairs linking finds them by)."""
    from entities.models import Alias, Person

    n = next(_counter)
    made = Person.objects.create(slug=fields.pop("slug", f"person-{n}"), name_fa=name_fa, name_ar=name_ar,
                                 name_en=name_en, **fields)
    for language, text in aliases:
        Alias.objects.create(person=made, language=language, text=text)
    return made


def event(*, name_fa: str = "نشست مسکو", name_ar: str = "اجتماع موسكو", name_en: str = "Moscow talks",
          participants=(), aliases: tuple[tuple[str, str], ...] = (), **fields):
    """An event, with ``participants`` (people) and ``aliases`` (``(language, text)`` pairs)."""
    from entities.models import Alias, Event

    n = next(_counter)
    made = Event.objects.create(slug=fields.pop("slug", f"event-{n}"), name_fa=name_fa, name_ar=name_ar,
                                name_en=name_en, **fields)
    made.participants.set(participants)
    for language, text in aliases:
        Alias.objects.create(event=made, language=language, text=text)
    return made


def link(article: Article, entity, *, count: int = 1, **fields):
    """``article`` names a person or is about an event (as the linker links it, unless ``origin`` says otherwise)."""
    from entities.models import ArticleEvent, ArticlePerson, Person

    if isinstance(entity, Person):
        return ArticlePerson.objects.create(article=article, person=entity, count=count, **fields)
    return ArticleEvent.objects.create(article=article, event=entity, count=count, **fields)
