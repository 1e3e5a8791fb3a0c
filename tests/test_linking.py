"""Linking articles to people and events through the public entry points."""

import os

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article
from entities.models import ArticleEvent, ArticlePerson, EntityCandidate, Origin, Person

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


def _new_article(title, body, language="fa"):
    with transaction.atomic():
        return Article.objects.create(title=title, body=body, language=language, status=Article.Status.PUBLISHED)


@pytest.mark.parametrize("body", [
    "لافروف در مسکو با خبرنگاران درباره قفقاز جنوبی گفت و گو کرد.",
    "وزیر خارجه روسیه لاوروف روز سه شنبه به ایروان سفر کرد.",
    "وقال وزير الخارجية الروسي سيرغي لافروف إن موسكو مستعدة للوساطة.",
    "ولافروف لم يعلق على التصريحات.",
])
def test_a_later_article_is_linked_on_save(transactional_db, body):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    article = _new_article("خبر تازه", body)
    people, _ = _linked(article)
    assert people == {"sergey-lavrov"}
    link = ArticlePerson.objects.get(article=article)
    assert link.origin == Origin.AUTOMATIC and link.count == 1
    start, end = link.positions[0]
    text = f"{article.title}\n\n{article.body}"
    assert "لافروف" in text[start:end] or "لاوروف" in text[start:end]


def test_editing_an_article_relinks_it(transactional_db):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    article = _new_article("دیدار", "نیکول پاشینیان نخست وزیر ارمنستان به مسکو رفت.")
    assert _linked(article)[0] == {"nikol-pashinyan"}
    with transaction.atomic():
        article.body = "ولادیمیر پوتین رئیس جمهوری روسیه سخنرانی کرد."
        article.save()
    assert _linked(article)[0] == {"vladimir-putin"}


def test_editor_decisions_survive_relinking(transactional_db):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    article = _new_article("دیدار", "پوتین و پاشینیان در مسکو دیدار کردند.")
    ArticlePerson.objects.filter(article=article, person__slug="vladimir-putin").update(origin=Origin.REJECTED)
    ArticlePerson.objects.filter(article=article, person__slug="nikol-pashinyan").update(origin=Origin.CONFIRMED)
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    assert _linked(article)[0] == {"nikol-pashinyan"}
    assert ArticlePerson.objects.get(article=article, person__slug="nikol-pashinyan").origin == Origin.CONFIRMED


def test_unknown_names_after_titles_become_candidates_not_people(transactional_db):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    people_before = Person.objects.count()
    _new_article("دیدار", "ژوزپ بورل مسئول سیاست خارجی اتحادیه اروپا و وزیر امور خارجه ترکیه هاکان فیدان دیدار کردند.")
    _new_article("لقاء", "التقى وزير الخارجية التركي هاكان فيدان نظيره سيرغي لافروف.", "ar")
    assert Person.objects.count() == people_before
    names = {c.key: c for c in EntityCandidate.objects.all()}
    assert "هاکان فیدان" in names  # folded key: Persian and Arabic spellings would meet here
    assert names["هاکان فیدان"].articles.count() == 2
    assert not any("لافروف" in key or "لاوروف" in key for key in names)


def test_drafts_are_linked_but_not_shown(transactional_db):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    with transaction.atomic():
        draft = Article.objects.create(title="پیش نویس", body="لاوروف گفت.", language="fa")
    assert ArticlePerson.objects.filter(article=draft).exists()
    assert not ArticlePerson.objects.visible().filter(article=draft).exists()


def test_a_failed_import_leaves_no_links(transactional_db):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.create(title="لاوروف", body="لاوروف", language="fa", status=Article.Status.PUBLISHED)
        raise RuntimeError("import failed")
    assert not ArticlePerson.objects.exists()
