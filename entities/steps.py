"""The entities app's steps after each commit (``articles.pipeline``): link, then near-duplicates.

Both read the batch's rows and its tokens once (``Batch.articles`` and the
``memo`` shared by the steps), so an article's text is tokenized once for
both.  Each works ``BATCH_SIZE`` articles at a time, each such part in one
transaction; a part that fails is rolled back and done again one article at
a time, so one bad article costs only itself, and what still fails is
logged.  They never raise: the articles themselves are committed, and a
failed link must not turn an editor's save or an import into an error
(``load_knowledge_base`` relinks everything).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from articles.pipeline import Batch
from articles.text import Token, tokenize

from .duplicates import update_duplicates_many
from .linker import BATCH_SIZE, article_text, link_articles

log = logging.getLogger(__name__)


def tokens(batch: Batch) -> dict[int, list[Token]]:
    """The tokens of each article's ``article_text``, worked out once for the batch it is part of."""
    known = batch.memo("entities.tokens", dict)
    for article in batch.articles:
        if article.pk not in known:
            known[article.pk] = tokenize(article_text(article))
    return {article.pk: known[article.pk] for article in batch.articles}


def link(batch: Batch) -> None:
    """Link the batch's articles to the people and events they name (step ``link``)."""
    _in_parts(batch, lambda part: link_articles(part.articles, tokens(part)), "linking")


def deduplicate(batch: Batch) -> None:
    """Recompute the batch's near-duplicate pairs (step ``deduplicate``)."""
    _in_parts(batch, lambda part: update_duplicates_many(
        part.articles, {pk: [t.text for t in ts] for pk, ts in tokens(part).items()}), "finding near-duplicates of")


def process_articles(pks: list[int]) -> None:
    """Link the articles and find their near-duplicates, as after a commit; never raises."""
    batch = Batch(pks)
    link(batch)
    deduplicate(batch)


def process_article(pk: int) -> None:
    """Link one article and find its near-duplicates; never raises."""
    process_articles([pk])


def _in_parts(batch: Batch, work: Callable[[Batch], None], doing: str) -> None:
    for start in range(0, len(batch.pks), BATCH_SIZE):
        part = batch.part(batch.pks[start:start + BATCH_SIZE])
        try:
            with transaction.atomic(using=batch.using):
                work(part)
        except Exception:
            if len(part.pks) == 1:
                log.exception("%s article %s failed", doing, part.pks[0])
                continue
            log.exception("%s %d articles from %s failed; one at a time", doing, len(part.pks), part.pks[0])
            for pk in part.pks:
                _in_parts(part.part([pk]), work, doing)
