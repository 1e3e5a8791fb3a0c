"""Linking articles to people and events through the public entry points."""

import os

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article
from entities.models import ArticleEvent, ArticlePerson, EntityCandidate, Origin, Person
from tests import factories
from tests.conftest import SEEDS

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
        return factories.article(title=title, body=body, language=language)


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
        factories.article(title="لاوروف", body="لاوروف")
        raise RuntimeError("import failed")
    assert not ArticlePerson.objects.exists()


# --- batches: process_articles, the after-commit pipeline and one callback per transaction ---

LAVROV_FA = "سرگئی لاوروف وزیر امور خارجه روسیه روز سه شنبه در ایروان با آرارات میرزویان دیدار کرد."
FIDAN_AR = "التقى وزير الخارجية التركي هاكان فيدان نظيره الروسي سيرغي لافروف في موسكو."


def _bulk(*texts):
    """Published articles written as the bulk importer writes them: no post_save, so not linked yet."""
    from articles.text import detect_language

    rows = [factories.article(save=False, title=title, body=body, language=detect_language(body) or "fa") for title, body in texts]
    return [a.pk for a in Article.objects.bulk_create(rows)]


def _everything_linked():
    """Every link, candidate and near-duplicate pair, comparable across two runs."""
    from articles.models import NearDuplicate

    links = {(article, slug, count, str(positions), origin)
             for model, field in ((ArticlePerson, "person__slug"), (ArticleEvent, "event__slug"))
             for article, slug, count, positions, origin in model.objects.values_list("article_id", field, "count", "positions", "origin")}
    candidates = {(c.key, c.name, c.title, c.language, frozenset(c.articles.values_list("pk", flat=True)))
                  for c in EntityCandidate.objects.all()}
    pairs = set(NearDuplicate.objects.values_list("first_id", "second_id", "containment"))
    return links, candidates, pairs


def _forget_links():
    from articles.models import Band, Fingerprint, NearDuplicate

    for model in (ArticlePerson, ArticleEvent, EntityCandidate, NearDuplicate, Band, Fingerprint):
        model.objects.all().delete()


def test_a_batch_links_exactly_as_one_article_at_a_time(linked):
    from entities.steps import process_article, process_articles

    extra = _bulk(("دیدار در ایروان", LAVROV_FA), ("لقاء في موسكو", FIDAN_AR),
                  ("تماس تلفنی", "ولادیمیر پوتین و نیکول پاشینیان گفت و گوی تلفنی داشتند."))
    for pk in extra:
        process_article(pk)
    one_at_a_time = _everything_linked()
    assert one_at_a_time[0] and one_at_a_time[1] and one_at_a_time[2]  # people, candidates and a pair to compare
    _forget_links()
    process_articles(list(Article.objects.order_by("pk").values_list("pk", flat=True)))
    assert _everything_linked() == one_at_a_time


def test_editor_decisions_survive_a_batch_relink(transactional_db):
    from entities.steps import process_articles

    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    rejected, confirmed, plain = _bulk(("دیدار", "پوتین و پاشینیان در مسکو دیدار کردند."),
                                       ("لقاء", "وقال وزير الخارجية الروسي سيرغي لافروف إن موسكو مستعدة للوساطة."),
                                       ("سفر", "لاوروف به ایروان سفر کرد."))
    process_articles([rejected, confirmed, plain])
    ArticlePerson.objects.filter(article=rejected, person__slug="vladimir-putin").update(origin=Origin.REJECTED)
    ArticlePerson.objects.filter(article=confirmed).update(origin=Origin.CONFIRMED)
    # the confirmed article no longer names Lavrov, the plain one no longer does either
    Article.objects.filter(pk__in=[confirmed, plain]).update(body="قال المتحدث إن المحادثات مستمرة.")
    process_articles([rejected, confirmed, plain])
    assert _linked(Article.objects.get(pk=rejected))[0] == {"nikol-pashinyan"}
    assert ArticlePerson.objects.get(article=rejected, person__slug="vladimir-putin").origin == Origin.REJECTED
    assert ArticlePerson.objects.get(article=confirmed).origin == Origin.CONFIRMED  # kept, although not found
    assert not ArticlePerson.objects.filter(article=plain).exists()  # automatic, no longer found: gone


def test_the_pipeline_links_articles_written_in_bulk(transactional_db):
    from articles import pipeline

    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    pks = _bulk(("دیدار در ایروان", LAVROV_FA), ("لقاء في موسكو", FIDAN_AR))
    assert not ArticlePerson.objects.exists()  # bulk_create sends no post_save
    pipeline.committed(pks)
    assert _linked(Article.objects.get(pk=pks[0]))[0] == {"sergey-lavrov", "ararat-mirzoyan"}
    assert _linked(Article.objects.get(pk=pks[1]))[0] == {"sergey-lavrov"}
    assert EntityCandidate.objects.get(key="هاکان فیدان").articles.get().pk == pks[1]


def test_one_article_failing_does_not_stop_the_others(transactional_db, monkeypatch, caplog):
    from entities import linker, steps

    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    good, bad, also_good = _bulk(("سفر", "لاوروف به ایروان سفر کرد."), ("خراب", "متنی که پردازش آن شکست می خورد."),
                                 ("لقاء", "ولافروف لم يعلق على التصريحات."))
    real = linker.find_candidates

    def failing(text, tokens=None, language=None):
        if "شکست" in text:
            raise ValueError("a bug met this article")
        return real(text, tokens, language)

    monkeypatch.setattr(linker, "find_candidates", failing)
    steps.process_articles([good, bad, also_good])  # never raises
    assert set(ArticlePerson.objects.values_list("article_id", flat=True)) == {good, also_good}
    assert f"linking article {bad} failed" in caplog.text


def test_saves_in_one_transaction_are_linked_together_on_commit(transactional_db, monkeypatch):
    from entities import steps

    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    calls = []
    real = steps.link_articles
    monkeypatch.setattr(steps, "link_articles", lambda articles, tokens: (calls.append([a.pk for a in articles]),
                                                                          real(articles, tokens)))
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.create(title="لغو", body="پوتین گفت.", language="fa")
        raise RuntimeError("rolled back: its article is never linked, nor carried into the next transaction")
    with transaction.atomic():
        first = Article.objects.create(title="سفر", body="لاوروف به ایروان سفر کرد.", language="fa")
        second = Article.objects.create(title="لقاء", body="ولافروف لم يعلق على التصريحات.", language="ar")
        first.save()  # saved twice, linked once
        assert calls == []  # nothing before the commit
    assert calls == [[first.pk, second.pk]]
    assert set(ArticlePerson.objects.values_list("article_id", flat=True)) == {first.pk, second.pk}


def test_a_batch_takes_as_many_queries_as_a_smaller_one(transactional_db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from entities.steps import process_articles

    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    story = f"{LAVROV_FA} {FIDAN_AR} گزارش شماره " * 3
    # Earlier near-duplicates for both; the gazetteer is built now, and the names
    # the recogniser finds reach PEOPLE_MIN_ARTICLES here rather than in one of the two.
    process_articles(_bulk(*[(f"پیشین {i}", story) for i in range(3)]))

    def queries(n):
        pks = _bulk(*[(f"دیدار {i}", f"{story} {i}") for i in range(n)])
        with CaptureQueriesContext(connection) as captured:
            process_articles(pks)
        # the two known people (pages gathered from the recogniser's finds come beside them)
        assert ArticlePerson.objects.filter(article_id__in=pks, person__gathered=False).count() == 2 * n
        return len(captured)

    assert queries(12) == queries(2)
