"""Cross-lingual search support: which people, events and places a query names.

A query typed in Persian ("لاوروف"), Arabic ("لافروف"), with a clitic
("ولافروف") or in English ("Lavrov") names the same person; the search page
adds that person's linked articles, whatever language they are in, with a
line "also showing articles about …" and an entity card.  A place's name
("أذربيجان") also finds the articles that write it another way ("آذربایجان",
"Azerbaijan"), each counted as that word of the query.

What a query names is kept until the content changes (``articles.hooks.remember``,
the page cache's stamp: every save renews it, and so does every linked batch),
so a repeated query costs no database query while an editor's save shows at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from django.db.models import Q

from articles import hooks
from articles.models import Article
from articles.text import chains, fold_key, query_language, tokenize
from articles.text.names import name_key, same_name, translit_key
from search.expansion import Expansion

from .grouping import AR_SUFFIX, LONE_WORD_LETTERS, MIN_KEY_LETTERS
from .linker import gazetteer
from .matching import Alias, Gazetteer
from .models import ArticleEvent, ArticlePerson, Event, Person, PersonCandidate, Place


def entities_for_query(text: str) -> list[Person | Event]:
    """People and events whose name or alias occurs in ``text`` (any spelling), in query order.

    Aliases that need context words (cues) only match when the query has them.
    """
    text = (text or "")[:500]
    found, seen = [], set()
    for mention in gazetteer().find(text):
        if mention.key not in seen:
            seen.add(mention.key)
            found.append(mention.key)
    for pk in discovered_people(text):
        if ("person", pk) not in seen:
            seen.add(("person", pk))
            found.append(("person", pk))
    people = Person.objects.filter(hidden=False).in_bulk([pk for kind, pk in found if kind == "person"])
    events = Event.objects.in_bulk([pk for kind, pk in found if kind == "event"])
    return [obj for kind, pk in found if (obj := (people if kind == "person" else events).get(pk))]


# Names have at most a few words; longer runs of a query are not looked up.
MAX_NAME_WORDS = 4
MAX_QUERY_WORDS = 12


def discovered_people(text: str) -> list[int]:
    """Ids of the people discovery grouped a name of ``text`` under, in either script, longest names
    first; a word of the query that is no group's name may be a person's surname (``_surname_owners``)."""
    query_words = name_key(text).split()[:MAX_QUERY_WORDS]
    keys, lone = {}, {}
    for n in range(min(MAX_NAME_WORDS, len(query_words)), 0, -1):
        for i in range(len(query_words) - n + 1):
            key = translit_key(" ".join(query_words[i:i + n]))
            if len(key.replace(" ", "")) >= MIN_KEY_LETTERS:
                keys.setdefault(key, len(keys))
                keys.setdefault(key + AR_SUFFIX, len(keys))
                if n == 1 and len(key) >= LONE_WORD_LETTERS:
                    lone.setdefault(key, query_words[i])
    if not keys:
        return []
    # one query: the groups of the query's names, and those of the names its lone words may end
    found = PersonCandidate.objects.filter(Q(key__in=list(keys)) | Q(surname__in=list(lone)), person__isnull=False)
    found = list(found.values_list("key", "person_id", "surname", "article_count", "spellings", "person__hidden"))
    rows = [(key, person) for key, person, *_rest in found if key in keys]
    named = {key.removesuffix(AR_SUFFIX) for key, _person in rows}
    words = {key: word for key, word in lone.items() if key not in named}
    carriers = [row[1:5] for row in found if row[2] in words and not row[5]]
    rows += list(_surname_owners(words, carriers, query_language(text)).items())
    return list(dict.fromkeys(person for _key, person in sorted(rows, key=lambda row: keys[row[0]])))


# A lone surname typed is the person who carries it in at least this share of the articles naming
# any person with a page by it: "پوتین" is Vladimir Putin, "لاریجانی" (Ali or Sadegh) is neither.
SURNAME_SHARE = 0.8


def _surname_owners(words: dict[str, str], groups, language: str | None) -> dict[str, int]:
    """For the query's lone words (their keys -> the words, folded) that end the names of people with
    a page (``groups``: ``(person, surname, article count, spellings)`` of the groups of those names),
    spelled alike in the word's script or as the same name in the other (``same_name``;
    ``language``: the query's, else both), the person who carries the word in most of the articles
    naming any of them by it (``SURNAME_SHARE``).

    Discovery never gives a lone surname to a person two full names may mean (a surname names a
    family); a reader who types one still expects the person the news means by it.
    """
    carriers = defaultdict(Counter)
    for person, surname, articles, spellings in groups:
        if _spells(words[surname], spellings, language):
            carriers[surname][person] += articles
    owners = {}
    for surname, counts in carriers.items():
        person, articles = counts.most_common(1)[0]
        if articles >= SURNAME_SHARE * sum(counts.values()):
            owners[surname] = person
    return owners


def _spells(word: str, spellings: dict, language: str | None) -> bool:
    """Whether a group's ``spellings`` (per language) end with ``word`` typed in ``language`` (or either)."""
    for written_in, texts in spellings.items():
        for text in texts:
            last = text.split()[-1] if text.split() else ""
            for typed_in in (language,) if language else chains.LANGUAGES:
                # same_name reads a Persian spelling first
                pair = ((last, word), (written_in, typed_in)) if written_in == "fa" else ((word, last), (typed_in, written_in))
                if last and same_name(*pair[0], pair[1]):
                    return True
    return False


def articles_about(entities):
    """Published articles linked to any of ``entities`` (automatic or confirmed), newest first."""
    person_ids = [e.pk for e in entities if isinstance(e, Person)]
    event_ids = [e.pk for e in entities if isinstance(e, Event)]
    ids = set(ArticlePerson.objects.visible().filter(person__in=person_ids).values_list("article_id", flat=True))
    ids |= set(ArticleEvent.objects.visible().filter(event__in=event_ids).values_list("article_id", flat=True))
    return Article.objects.published().with_related().filter(pk__in=ids).latest_first()


def search_context(query: str, *, limit: int = 10) -> dict:
    """What the search page needs for the entity card and the "also showing
    articles about …" line: ``entities`` and their ``entity_articles``
    (render ``entities/includes/search_card.html`` with it)."""
    entities = entities_for_query(query)
    return {"entities": entities, "entity_articles": list(articles_about(entities)[:limit]) if entities else []}


def search_page_hook(request, params, result):
    """``search.views.PAGE_HOOKS`` entry: the entity card above the results."""
    context = hooks.remember(f"entities:search-card:{params.q}", lambda: search_context(params.q))
    return ("entities/includes/search_card.html", context) if context["entities"] else None


def query_expansion(text: str) -> Expansion:
    """``search.expansion`` entry: every spelling of the people and events ``text``
    names (their names and aliases in fa, ar and en) and the articles linked to them."""
    return hooks.remember(f"entities:expansion:{text}", lambda: _expansion(text))


def _expansion(text: str) -> Expansion:
    places = place_words(text)
    entities = entities_for_query(text)
    if not entities:
        return Expansion(words=places)
    spellings = {}
    for entity in entities:
        spellings.update(dict.fromkeys(n for n in entity.names.values() if n))
        spellings.update(dict.fromkeys(entity.aliases.values_list("text", flat=True)))
        if isinstance(entity, Person):  # the spellings discovery grouped under them
            for grouped in entity.candidates.filter(article_count__gt=0).values_list("spellings", flat=True):
                spellings.update(dict.fromkeys(s for by_language in grouped.values() for s in by_language))
    ids = articles_about(entities).values_list("pk", flat=True)
    return Expansion(tuple(spellings), tuple(ids), places)


def place_words(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each folded word of ``text`` that is a known place's name or part of it, with all that
    place's spellings (``Place.spellings``), in query order.

    Places are not linked to articles: the articles about one are those that write one of its
    names, and a name written another way is as good a match as the word typed.  A one-word
    name must be written exactly (clitics aside): "روسيا" is Russia, "روسی" is not.
    """
    text = (text or "")[:500]
    places = tuple((place.pk, tuple(place.spellings)) for place in Place.objects.all())
    if not places:
        return ()
    spellings_of = dict(places)
    tokens = tokenize(text)
    found: dict[str, dict[str, None]] = {}
    for mention in _places_matcher(places).find(text, tokens):
        for token in tokens:
            if mention.start <= token.start and token.end <= mention.end:
                found.setdefault(token.text, {}).update(dict.fromkeys(spellings_of[mention.key]))
    return tuple((word, tuple(spellings)) for word, spellings in found.items())


@lru_cache(maxsize=2)  # built again only when a place's spellings change, not for every search
def _places_matcher(places: tuple[tuple[int, tuple[str, ...]], ...]) -> Gazetteer:
    matcher = Gazetteer()
    for pk, spellings in places:
        for spelling in spellings:
            matcher.add(Alias(pk, spelling))
    return matcher


def known_names(spellings: list[str]) -> set[str]:
    """``search.expansion`` name checker: which of ``spellings`` (folded words) the people
    discovery found as a name, alone or as a word of a full name, in any article."""
    spellings = sorted(set(spellings))
    return hooks.remember(f"entities:known-names:{' '.join(spellings)}", lambda: _known_names(spellings))


def _known_names(spellings: list[str]) -> set[str]:
    keys = {translit_key(s) for s in spellings} - {""}
    if not keys:
        return set()
    groups = PersonCandidate.objects.filter(
        Q(key__in=keys) | Q(key__in=[k + AR_SUFFIX for k in keys]) | Q(surname__in=keys) | Q(forename__in=keys),
        article_count__gt=0,
    ).values_list("spellings", flat=True)
    written = {fold_key(w) for grouped in groups for by_language in grouped.values() for s in by_language for w in s.split()}
    return {s for s in spellings if s in written}
