"""Migrations keep the data already in a database: near-duplicates moving from entities to articles."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0003_latest_index_and_labels"), ("entities", "0005_discovered_people"), ("contenttypes", "0002_remove_content_type_name")]
AFTER = [("articles", "0004_near_duplicates_from_entities"), ("entities", "0006_near_duplicates_to_articles")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.slow
def test_near_duplicates_written_before_the_move_are_there_after_it_and_back(transactional_db):
    old = _migrate(BEFORE)
    Article = old.get_model("articles", "Article")
    first, second = (Article.objects.create(title=title, body="متن یکسان خبر", language="fa", slug=slug, status="published")
                     for title, slug in (("خبر یک", "khabar-1"), ("خبر دو", "khabar-2")))
    old.get_model("entities", "Fingerprint").objects.create(article_id=first.pk, signature=[1, 2, 3], size=30)
    old.get_model("entities", "Band").objects.create(article_id=first.pk, key=-42)
    old.get_model("entities", "NearDuplicate").objects.create(first_id=first.pk, second_id=second.pk, containment=0.9)
    ContentType = old.get_model("contenttypes", "ContentType")
    moved = ContentType.objects.get_or_create(app_label="entities", model="nearduplicate")[0]

    new = _migrate(AFTER)
    pair = new.get_model("articles", "NearDuplicate").objects.get()
    assert (pair.first_id, pair.second_id, pair.containment) == (first.pk, second.pk, 0.9)
    assert new.get_model("articles", "Fingerprint").objects.get().signature == [1, 2, 3]
    assert new.get_model("articles", "Band").objects.get().key == -42
    assert ContentType.objects.get(pk=moved.pk).app_label == "articles"  # its permissions follow it

    back = _migrate(BEFORE)
    assert back.get_model("entities", "NearDuplicate").objects.get().containment == 0.9
    _migrate(_leaves())


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
