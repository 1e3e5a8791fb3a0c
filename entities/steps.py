"""The entities app's step after each commit (``articles.pipeline``): ``link``.

It reads the batch's rows and tokens (``Batch.articles``, ``Batch.tokens``),
shared with the near-duplicates step that follows.  It never raises: the
articles themselves are committed, and a failed link must not turn an
editor's save or an import into an error (``load_knowledge_base`` relinks
everything).
"""

from __future__ import annotations

from articles import duplicates
from articles.pipeline import Batch, in_parts

from .linker import BATCH_SIZE, link_articles


def link(batch: Batch) -> None:
    """Link the batch's articles to the people and events they name (step ``link``)."""
    in_parts(batch, lambda part: link_articles(part.articles, part.tokens), "linking", BATCH_SIZE)


def process_articles(pks: list[int]) -> None:
    """Link the articles and find their near-duplicates, as after a commit; never raises."""
    batch = Batch(pks)
    link(batch)
    duplicates.deduplicate(batch)


def process_article(pk: int) -> None:
    """Link one article and find its near-duplicates; never raises."""
    process_articles([pk])
