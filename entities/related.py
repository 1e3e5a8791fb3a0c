"""Articles related to an article: those naming the same people and events, then those the search finds for its title's longest words.

Same-story articles (near duplicates) are listed apart on the page; this is
the "read more on this" list.  Articles sharing more of the article's people
and events come first (newer first among equals), then what a search for the
title's words ranks highest.
"""

from __future__ import annotations

import re
from collections import Counter

from django.db.models import Count

from articles.models import Article
from search.params import SearchParams
from search.service import run_search

from .models import ArticleEvent, ArticlePerson

# Candidates read per kind of link: enough to fill the list after exclusions.
CANDIDATES = 30
# The search's syntax ("phrase", -excluded, prefix*) must not apply to a title.
_SYNTAX = re.compile(r"[\"«»“”„*\-()\[\]:|]+")
MAX_WORDS = 16
# The title's longest words carry its subject; each more word costs the
# search time (a whole title took twice as long as its five longest words).
SUBJECT_WORDS = 5


def title_query(title: str) -> str:
    """The title's words as a plain query (no quotes, exclusions or wildcards)."""
    return " ".join(_SYNTAX.sub(" ", title).split()[:MAX_WORDS])


def subject_query(title: str) -> str:
    """The title's ``SUBJECT_WORDS`` longest words, in their order, as a plain query."""
    words = list(dict.fromkeys(title_query(title).split()))
    kept = set(sorted(words, key=len, reverse=True)[:SUBJECT_WORDS])
    return " ".join(word for word in words if word in kept)


def related_articles(article, people, events, *, exclude=(), limit=6) -> list[Article]:
    """Up to ``limit`` published articles on the same subject, besides ``article`` and ``exclude``."""
    skip = {article.pk, *(other.pk for other in exclude)}
    shared = Counter()
    for model, field, entities in ((ArticlePerson, "person", people), (ArticleEvent, "event", events)):
        if entities:
            rows = (
                model.objects.visible().filter(**{f"{field}__in": entities}).exclude(article_id__in=skip)
                .values("article_id").annotate(n=Count("id")).order_by("-n", "-article_id")[:CANDIDATES]
            )
            for row in rows:
                shared[row["article_id"]] += row["n"]
    ids = sorted(shared, key=lambda pk: (-shared[pk], -pk))[:limit]
    query = subject_query(article.title)
    if len(ids) < limit and query:
        for hit in run_search(SearchParams(q=query, page_size=limit + len(skip) + len(ids))).hits:
            if hit.id not in skip and hit.id not in ids:
                ids.append(hit.id)
    ids = ids[:limit]
    found = Article.objects.published().with_related().defer("lead", "body", "raw").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
