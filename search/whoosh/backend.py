"""The portal's Haystack engine: Whoosh with Persian/Arabic analysis.

Haystack builds every text-like field as a stored, English-stemmed TEXT
field.  This backend maps the article index onto the Whoosh field types the
portal needs instead: analysed text with compact positions for the
searchable fields (``search.whoosh.codec``), plain IDs for the facets, a sortable
date, and stored-only fields for what a result page shows, so a hit never
needs a database row.  Every write goes through ``search.whoosh.writer``'s
``PortalWriter``.  ``search()`` answers ``SearchQuerySet`` through
``search.whoosh.query`` (its ``PortalSearchQuery`` builds the plan).

Errors a caller outside this package may see are Haystack's
(``SearchBackendError`` and ``IndexBusy`` below), never Whoosh's.
"""

import pickle
import struct
import time
from contextlib import contextmanager

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.utils import get_identifier
from whoosh import fields as wf
from whoosh import query as wq
from whoosh.index import TOC, LockError

from . import answers, query, spellings
from .analysis import LanguageAnalyzer, with_language
from .arrays import OutdatedIndex, forget_searchers, kept_searcher
from .bulk import IndexSession
from .codec import CompactPositions, MappedStorage, PortalCodec
from .writer import PortalWriter

# How long a write waits for another process's writer (Whoosh lets one
# process write at a time) before giving up; drift is then left to
# ``manage.py check_index --fix``.
WRITER_TIMEOUT = 30.0
# A file beside the index (not one of Whoosh's own, which it may clean away).
SYNC_LOCK = "portal-sync.lock"


class IndexBusy(SearchBackendError):
    """Another process held the index (its writer, or the turn to sync) for ``WRITER_TIMEOUT``."""


# What unpickling the table of contents of an index raises when an older
# version wrote it: Whoosh pickles the schema and codec with their module
# paths (``search.codec`` before ``search.whoosh.codec``).
_UNREADABLE = (ImportError, AttributeError, pickle.UnpicklingError)


class PortalWhooshBackend(WhooshSearchBackend):
    """Whoosh backend with field types chosen per index field."""

    def setup(self):
        try:
            super().setup()
            if self.use_file_storage:  # its segments read in place, not copied into each process
                self.storage = MappedStorage(self.path)
                self.index = self.storage.open_index(schema=self.schema)
        except _UNREADABLE as error:
            raise OutdatedIndex(
                f"the search index in {self.path} was built by another version of the portal "
                f"({type(error).__name__}: {error}): run manage.py rebuild_index"
            ) from error

    def clear(self, models=None, commit=True):
        """Empty the index; clearing all of it deletes the folder, so it works on any index, even unreadable."""
        if models is None:
            self.delete_index()
        else:
            super().clear(models, commit)

    def build_schema(self, fields):
        # A document is found by its unique id; the model and pk are only
        # read back (an indexed copy of every pk would cost a term each).
        schema = {
            ID: wf.ID(unique=True),
            DJANGO_CT: wf.ID(stored=True),
            DJANGO_ID: wf.STORED(),
        }
        content_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            if field.field_type in ("date", "datetime"):
                # A column, not terms: search.whoosh.engine filters and sorts dates
                # on the column, and each timestamp's trie terms would be
                # most of the term table.
                schema[name] = wf.DATETIME(stored=field.stored, sortable=True)
                schema[name].indexed = False
            elif field.field_type == "integer":
                schema[name] = wf.NUMERIC(stored=field.stored, numtype=int, sortable=True)
            elif not field.indexed:
                schema[name] = wf.STORED()
            elif field.analyzer is not None:
                # The document field is never shown, so it is not stored twice.
                schema[name] = wf.TEXT(
                    stored=field.stored and not field.document, analyzer=field.analyzer,
                    field_boost=field.boost, phrase=True,
                )
                schema[name].format = CompactPositions(field_boost=field.boost)
            else:
                # Facet-like values (language code, source name): one term each.
                schema[name] = wf.ID(stored=field.stored, sortable=True)
            if field.document:
                content_field_name = name
                schema[name].spelling = True
        if len(schema) <= 3:
            raise SearchBackendError("No fields were found in any search_indexes.")
        return content_field_name, wf.Schema(**schema)

    def update(self, index, iterable, commit=True):
        """Index a batch of objects, replacing their earlier versions.

        Haystack calls ``update_document`` per object, and Whoosh opens a new
        reader of every segment for each call to find the old version (about
        3 ms each on a small index, more as it grows); here the old versions
        of the whole batch are found with one query.
        """
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        docs = self.documents(index, iterable)
        if not docs:
            return
        writer = self.writer()
        writer.delete_by_query(wq.Or([wq.Term(ID, doc[ID]) for doc in docs]))
        for doc in docs:
            try:
                writer.add_document(**doc)
            except Exception:
                if not self.silently_fail:
                    writer.cancel()
                    raise
                self.log.exception("Preparing object for update", extra={"data": {"object": doc.get(ID)}})
        writer.commit()

    def documents(self, index, objects) -> list[dict]:
        """What ``add_document`` takes for each object (objects the index skips left out)."""
        if not self.setup_complete:
            self.setup()
        docs = []
        for obj in objects:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc.pop("boost", None)  # Whoosh has no document boosts
            docs.append(self._in_language({key: self._from_python(value) for key, value in doc.items()}))
        return docs

    def _in_language(self, doc: dict) -> dict:
        # A LanguageAnalyzer sees only the value: the article's language goes
        # in front of it, and a stored field keeps the value as written.
        language = doc.get("language", "")
        for name in list(doc):
            field = self.schema[name] if name in self.schema else None
            if field is not None and isinstance(getattr(field, "analyzer", None), LanguageAnalyzer):
                if field.stored:
                    doc[f"_stored_{name}"] = doc[name]
                doc[name] = with_language(doc[name], language)
        return doc

    def writer(self, **kwargs):
        """A ``PortalWriter`` on the newest index, waiting up to ``WRITER_TIMEOUT`` for the lock."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        kwargs.setdefault("timeout", WRITER_TIMEOUT)
        try:
            return PortalWriter(self.index, **kwargs)
        except LockError as error:
            raise IndexBusy(f"another process kept the search index locked for {kwargs['timeout']:.0f} s") from error

    @contextmanager
    def sync_turn(self):
        """This process's turn, among all, to sync rows with the index (see ``search.sync.sync_turn``)."""
        if not self.setup_complete:
            self.setup()
        lock = self.storage.lock(SYNC_LOCK)
        deadline = time.monotonic() + WRITER_TIMEOUT
        while not lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise IndexBusy(f"no turn to update the search index within {WRITER_TIMEOUT:.0f} s")
            time.sleep(0.02)
        try:
            yield
        finally:
            lock.release()

    def import_session(self, using="default"):
        """The session that indexes one whole import (``search.whoosh.bulk``)."""
        return IndexSession(using)

    def outdated(self) -> str:
        """Why the index on disk cannot be read as this version writes it ("" if it can).

        Haystack opens the index with the schema of the code, so an index an
        older version built (other fields, Whoosh's own codec) would be read
        wrongly rather than refused; ``rebuild_index --if-outdated`` uses this.
        """
        try:
            if not self.setup_complete:
                self.setup()
            stored = TOC.read(self.storage, self.index.indexname)
        except (OutdatedIndex, *_UNREADABLE) as error:
            cause = error.__cause__ if isinstance(error, OutdatedIndex) else error
            return f"this version cannot read it ({type(cause).__name__}: {cause})"
        if _signature(stored.schema) != _signature(self.schema):
            return "its fields differ from this version's"
        if any(not isinstance(segment.codec(), PortalCodec) for segment in stored.segments):
            return "it has segments in another codec than search.whoosh.codec.PortalCodec"
        return ""

    def remove(self, obj_or_string, commit=True):
        """Delete one document, waiting for the index lock (see ``remove_documents``)."""
        self.remove_documents([get_identifier(obj_or_string)])

    def remove_documents(self, doc_ids):
        """Delete documents by id (``app.model.pk``) in one writer, waiting for the index lock.

        Haystack's ``remove()`` tries the lock once and, while another process
        writes, logs the LockError and drops the deletion: the deleted article
        would stay searchable.
        """
        writer = self.writer()
        for doc_id in doc_ids:
            writer.delete_by_term(ID, doc_id)
        writer.commit()

    def delete_index(self):
        """Delete the index folder and start an empty index; no kept searcher outlives it."""
        super().delete_index()
        forget_searchers(self.storage.folder)

    def optimize(self):
        """Merge every segment into one."""
        self.writer().commit(optimize=True)

    def searcher(self, **kwargs):
        """A Whoosh searcher on the current state of the index (close it after use)."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        return self.index.searcher(**kwargs)

    def shared_searcher(self, weighting):
        """The process's searcher on the newest index: shared by every thread, never close it.

        Opening one reads every segment's term table, which costs as much
        as a search, and its caches (``arrays.IndexArrays``) make the next
        searches fast; Haystack keeps a backend per thread, so the searcher
        is kept per process instead (``arrays.kept_searcher``) and replaced
        only when the index has changed.

        Whoosh's own ``Searcher.refresh()`` is not used: it closes the old
        readers before the new ones are open, so a writer removing a merged
        segment at that moment leaves the kept searcher closed for good (and
        its reuse of unchanged segments never matches anyway).
        """
        if not self.setup_complete:
            self.setup()
        return kept_searcher(self.index, weighting, lambda: self.searcher(weighting=weighting))

    def search(self, query_plan, **kwargs):
        """Answer a ``SearchQuerySet``'s plan (see ``search.whoosh.query`` and ``answers``)."""
        return answers.search(self, query_plan, **kwargs)

    def spelling_suggestion(self, text):
        """"Did you mean" for ``text`` (see ``search.whoosh.answers.spelling_suggestion``)."""
        return answers.spelling_suggestion(self, text)

    def other_spellings(self, text, skip=frozenset()):
        """Other scripts' spellings of the unknown names in ``text`` (see ``search.other_spellings``),
        not looking at the folded words of ``skip``."""
        return spellings.find_other_spellings(self, self.shared_searcher(answers.WEIGHTING), text, frozenset(skip))

    def more_like_this(self, model_instance, additional_query_string=None, **kwargs):
        raise query.UnsupportedQuery("the portal's backend has no more_like_this()")

    def index_version(self, searcher) -> tuple:
        """What identifies the state of the index ``searcher`` reads: answers kept
        under it are true while it is unchanged.  The index object is part of
        it, so a recreated index (same generation numbers) never meets an old answer."""
        return (searcher._ix, searcher.reader().generation())


def _signature(value, depth=0):
    """A comparable picture of a schema: Whoosh's columns and structs have no equality."""
    if isinstance(value, wf.Schema):
        return tuple((name, _signature(value[name])) for name in sorted(value.names()))
    if isinstance(value, struct.Struct):
        return ("Struct", value.format)
    if hasattr(value, "__dict__") and depth < 3:
        return (type(value).__name__, tuple(sorted((k, _signature(v, depth + 1)) for k, v in vars(value).items())))
    return value if isinstance(value, (str, int, float, bool, bytes, type(None), type)) else type(value).__name__


class PortalWhooshEngine(WhooshEngine):
    backend = PortalWhooshBackend
    query = query.PortalSearchQuery
