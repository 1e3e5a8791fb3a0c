"""What happens to articles once the transaction that wrote them has committed.

The articles app is the ground floor: it knows nothing of the apps that
index, link or cache its articles.  Those register a step here in their
``AppConfig.ready()``, with an order, and every committed batch of articles
goes through the steps in that order.  Today's steps::

    10  index        search       write the batch to the search index (an import: one session)
    20  link         entities     link people and events, record unknown names
    30  deduplicate  articles     find near-duplicate articles (``articles.duplicates``)
    90  stamp        pagecache    renew the page-cache stamp, so cached pages are stale

Where a batch comes from:

* an import (``articles.importer``) opens a ``Run`` and hands it each batch
  it wrote once that batch has committed; a step with a ``session`` (the
  search index) gathers the whole import and finishes it when the import
  ends.  ``Run(skip={"link"})`` leaves out linking (and near-duplicates),
  for an import whose articles are linked later;
* an editor's save or delete (``post_save``/``post_delete`` of ``Article``)
  joins the other articles of its transaction; they go through the steps
  together once it commits.  A rolled-back transaction drops them.

A ``Batch`` reads its articles' rows once, for every step that wants them,
and their tokens (``tokens``), and keeps what a step works out from them
(``memo``) for the steps after it, so the text of an article is read and
tokenized once for linking and near-duplicates.
Each step's failure is logged and stops neither the other steps nor the
save: the database has committed and is the truth (``check_index --fix``
and ``load_knowledge_base`` repair what a failed step left behind).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import Article, article_text
from .text import Token, tokenize

log = logging.getLogger(__name__)


class Session(Protocol):
    """A step's work over a whole import: batches added as they commit, finished once."""

    def add(self, batch: Batch) -> None: ...

    def finish(self) -> None: ...


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: Callable[[Batch], None]  # a committed batch outside an import session
    session: Callable[[str], Session | None] | None = None  # opens the step's import session (or None)
    part: str = ""  # what ``skip`` may name besides the step itself ("link")


_steps: dict[str, Step] = {}


def register(name: str, order: int, run: Callable[[Batch], None], *,
             session: Callable[[str], Session | None] | None = None, part: str = "") -> None:
    """Add (or replace: ``ready()`` may run twice) the step ``name`` at ``order``."""
    _steps[name] = Step(name, order, run, session, part)


def steps(skip: Iterable[str] = ()) -> list[Step]:
    """The registered steps in their order, without those ``skip`` names (by name or part)."""
    skip = set(skip)
    return [s for s in sorted(_steps.values(), key=lambda s: s.order) if s.name not in skip and s.part not in skip]


class Batch:
    """Committed articles on their way through the steps: read once, worked on once."""

    model = Article

    def __init__(self, pks: Iterable[int], using: str = "default"):
        self.pks = list(dict.fromkeys(pks))
        self.using = using
        self._memo: dict[str, Any] = {}

    @cached_property
    def articles(self) -> list[Article]:
        """The batch's articles that still exist, in the batch's order (without their original bytes)."""
        order = {pk: n for n, pk in enumerate(self.pks)}
        rows = Article.objects.using(self.using).filter(pk__in=self.pks).defer("raw").order_by()
        return sorted(rows, key=lambda a: order[a.pk])

    @property
    def tokens(self) -> dict[int, list[Token]]:
        """The tokens of each article's ``article_text``, worked out once for every step and part."""
        known = self.memo("tokens", dict)
        for article in self.articles:
            if article.pk not in known:
                known[article.pk] = tokenize(article_text(article))
        return {article.pk: known[article.pk] for article in self.articles}

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, worked out once per batch for every step that asks by ``key``."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def part(self, pks: Iterable[int]) -> Batch:
        """A smaller batch of some of these articles, sharing the rows and work already done."""
        wanted = set(pks)
        part = Batch([pk for pk in self.pks if pk in wanted], self.using)
        part.articles = [a for a in self.articles if a.pk in wanted]  # read once, for the whole batch
        part._memo = self._memo
        return part


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for a batch's work, then resumed.

    A batch's work makes hundreds of thousands of small objects that live
    until it ends (tokens, the recogniser's features, rows); each of the
    collector's full passes walks all of them again, and for batches of 500
    articles those passes took about a third of linking's CPU (``bench/
    linking_speed.py``).  Reference counting still frees them; only cycles
    made meanwhile wait for the next collection.  The collector is process-wide:
    whoever paused it resumes it, so nested or concurrent batches never leave
    it off, nor turn it on where something else had turned it off.
    """
    pausing = gc.isenabled()
    if pausing:
        gc.disable()
    try:
        yield
    finally:
        if pausing:
            gc.enable()


def in_parts(batch: Batch, work: Callable[[Batch], None], doing: str, size: int = 500) -> None:
    """``work`` on ``size`` articles at a time, each part in one transaction and with the
    collector paused (``collector_paused``); never raises.

    A part that fails is rolled back and done again one article at a time,
    so one bad article costs only itself; what still fails is logged
    ("``doing`` article N failed").
    """
    for start in range(0, len(batch.pks), size):
        part = batch.part(batch.pks[start:start + size])
        try:
            with collector_paused(), transaction.atomic(using=batch.using):
                work(part)
        except Exception:
            if len(part.pks) == 1:
                log.exception("%s article %s failed", doing, part.pks[0])
                continue
            log.exception("%s %d articles from %s failed; one at a time", doing, len(part.pks), part.pks[0])
            for pk in part.pks:
                in_parts(part.part([pk]), work, doing, size)


def _run_step(step: Step, batch: Batch, session: Session | None = None) -> None:
    try:
        if session is not None:
            session.add(batch)
        else:
            step.run(batch)
    except Exception:
        log.exception("after-commit step %r failed for %d articles from %s", step.name, len(batch.pks), batch.pks[:1])


class Run:
    """The steps one import's batches go through, with the import sessions of those that have one.

    Use as a context manager (or call ``finish()``): the sessions finish
    when the import ends, also after a failure.  A batch committed after
    that (an import inside a transaction still open) goes through the steps
    one batch at a time.
    """

    def __init__(self, skip: Iterable[str] = (), using: str = "default", *, sessions: bool = True):
        self.using = using
        self.steps = steps(skip)
        self.sessions: dict[str, Session] = {}
        for step in self.steps:
            if sessions and step.session is not None:
                try:
                    session = step.session(using)
                except Exception:
                    log.exception("after-commit step %r could not start its import session", step.name)
                    session = None
                if session is not None:
                    self.sessions[step.name] = session

    def committed(self, pks: Iterable[int]) -> None:
        """Send committed articles through the steps; never raises."""
        batch = Batch(pks, self.using)
        if batch.pks:
            with collector_paused():
                for step in self.steps:
                    _run_step(step, batch, self.sessions.get(step.name))

    def finish(self) -> None:
        """Finish the steps' import sessions; never raises."""
        sessions, self.sessions = self.sessions, {}
        for name, session in sessions.items():
            try:
                session.finish()
            except Exception:
                log.exception("after-commit step %r failed to finish its import session", name)

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc) -> None:
        self.finish()


def committed(pks: Iterable[int], *, using: str = "default", skip: Iterable[str] = ()) -> None:
    """Send articles already committed (written without ``save()``) through every step; never raises."""
    Run(skip, using, sessions=False).committed(pks)


# --- saves and deletes: one batch per transaction, after it commits ------------------


class _Pending:
    """The articles one transaction saved or deleted, sent through the steps once it commits."""

    def __init__(self, using: str, skip: frozenset[str]):
        self.using, self.skip, self.pks = using, skip, {}

    def __call__(self) -> None:
        committed(list(self.pks), using=self.using, skip=self.skip)


def after_commit(pks: Iterable[int], *, using: str = "default", skip: Iterable[str] = ()) -> None:
    """Send ``pks`` through the steps once the current transaction commits (at once outside one).

    All the articles of one transaction go together.  A rolled-back
    transaction, or the savepoint that registered its callback, drops them;
    an article saved in a later savepoint that rolls back stays, and is
    then read as it is (or skipped as gone).
    """
    skip = frozenset(skip)
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        committed(pks, using=using, skip=skip)
        return
    pending = next((func for _, func, _ in connection.run_on_commit
                    if isinstance(func, _Pending) and func.skip == skip and func.using == using), None)
    if pending is None:
        pending = _Pending(using, skip)
        transaction.on_commit(pending, using=using)
    pending.pks.update(dict.fromkeys(pks))


def _saved(sender, instance, raw=False, using="default", **kwargs):
    # A fixture being loaded is indexed but not linked (it brings its links along).
    after_commit([instance.pk], using=using, skip={"link"} if raw else ())


def _deleted(sender, instance, using="default", **kwargs):
    after_commit([instance.pk], using=using)


def connect() -> None:
    """Send every saved or deleted article through the steps (``ArticlesConfig.ready``)."""
    post_save.connect(_saved, sender=Article, dispatch_uid="articles-pipeline-save")
    post_delete.connect(_deleted, sender=Article, dispatch_uid="articles-pipeline-delete")
