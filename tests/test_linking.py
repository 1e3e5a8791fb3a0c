"""Linking articles to people and events through the public entry points."""

import os

import pytest
from django.core.management import call_command

from articles.models import Article
from entities.models import ArticleEvent, ArticlePerson

from .conftest import SEEDS

EXPECTED = {
    "000": (
        {"elmar-mammadyarov", "daniel-salaverry", "dalmiro-palomino-ortiz", "juan-carlos-del-aguila", "victor-andres-garcia-belaunde"},
        {"mammadyarov-visit-peru-2019", "khojaly-massacre", "first-karabakh-war", "ceasefire-1994", "minsk-group-founding"},
    ),
    "001": (
        {"elmar-mammadyarov", "daniel-salaverry", "dalmiro-palomino-ortiz", "juan-carlos-del-aguila", "victor-andres-garcia-belaunde"},
        {"mammadyarov-visit-peru-2019", "pacific-alliance-summit-2019", "khojaly-massacre", "first-karabakh-war",
         "ceasefire-1994", "minsk-group-founding"},
    ),
    "002": (
        {"jeyhun-bayramov", "sergey-lavrov"},
        {"bayramov-lavrov-meeting-2023-09", "unga-78", "karabakh-operation-2023", "trilateral-statement-2020"},
    ),
    "003": (
        {"sergey-lavrov", "ararat-mirzoyan", "vladimir-putin", "nikol-pashinyan"},
        {"lavrov-mirzoyan-call-2021-11", "trilateral-statement-2020", "moscow-statement-2021-01-11",
         "putin-pashinyan-meeting-2021-10", "cis-summit-2021", "first-karabakh-war", "second-karabakh-war"},
    ),
    "004": (set(), {"moscow-talks-2020", "first-karabakh-war", "ceasefire-1994"}),
}


@pytest.fixture
def linked(transactional_db, clean_index):
    """The knowledge base loaded first, then the seeds imported: linking happens on import."""
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


def _linked(article):
    people = set(ArticlePerson.objects.visible().filter(article=article).values_list("person__slug", flat=True))
    events = set(ArticleEvent.objects.visible().filter(article=article).values_list("event__slug", flat=True))
    return people, events


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_each_seed_is_linked_to_exactly_what_it_names(linked, seed):
    article = linked[seed]
    people, events = _linked(article)
    assert (people, events) == EXPECTED[seed]
