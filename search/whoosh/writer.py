"""Writing the portal's Whoosh index: postings pooled per term.

Whoosh's ``SegmentWriter`` turns every posting of a new segment into a
tuple ``(field, term, document, weight, value)`` in one pool, sorts the
whole pool when the segment is written (spilling sorted runs to temporary
files once it outgrows ``limitmb``), and then reads each posting's field
length back from disk.  ``PortalWriter`` is the same writer (locking,
stored fields, deletions, merges, commit) with a pool that files each
posting under its term as it arrives, in packed arrays.  Documents are
numbered in the order they are added, so every term's list is already in
order; only the terms are sorted at the end, and each term's list is
written in one call with the field lengths kept in memory
(``codec.PortalPerDocWriter``).  The portal's text fields (compact
positions, analysed by ``PortalAnalyzer``) go straight from the analyzer
into the pool.  Segments are written in ``PortalCodec``.

Being a ``SegmentWriter``, this module uses its private names (``_added``,
``_finalize_segment``, ``_merge_segments``, ``_commit_toc`` ...): with
``codec`` and ``arrays``, one of the three modules of the portal that touch
Whoosh's private names.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from array import array

from whoosh.writing import SegmentWriter

from .codec import CompactPositions, PortalCodec


class TermPool:
    """A segment's postings by field and term, each term's in document order.

    Stands in for Whoosh's ``PostingPool``: ``add`` takes its tuples (from
    fields Whoosh indexes and from merged segments).
    """

    def __init__(self):
        # field -> term bytes -> [doc numbers, weights, value lengths, values]
        self.fields: dict[str, dict[bytes, list]] = {}
        self.fieldnames: set[str] = set()

    def terms(self, fieldname: str) -> dict[bytes, list]:
        """The postings of one field, by term (created empty)."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item) -> None:
        fieldname, term, docnum, weight, value = item
        terms = self.fields.get(fieldname) or self.terms(fieldname)
        postings = terms.get(term)
        if postings is None:
            postings = terms[term] = [array("I"), array("f"), array("I"), bytearray()]
        postings[0].append(docnum)
        postings[1].append(weight)
        if value:
            postings[2].append(len(value))
            postings[3] += value
        else:
            postings[2].append(0)

    def cleanup(self) -> None:
        self.fields.clear()


def _pooled_directly(field) -> bool:
    return isinstance(field.format, CompactPositions) and hasattr(field.analyzer, "term_positions")


class PortalWriter(SegmentWriter):
    """A ``SegmentWriter`` that pools postings per term (see the module docstring)."""

    def __init__(self, ix, **kwargs):
        kwargs.setdefault("codec", PortalCodec())
        super().__init__(ix, **kwargs)
        self.pool = TermPool()
        fields = self.schema.items()
        # Vectors and separate spelling words are Whoosh's business alone.
        self._direct = set() if any(f.vector or f.separate_spelling() for _, f in fields) else {
            name for name, field in fields if _pooled_directly(field)
        }

    def add_document(self, **fields):
        """Add a document as Whoosh's ``SegmentWriter`` does, the portal's text
        fields going from the analyzer straight into the pool."""
        if not self._direct:
            return super().add_document(**fields)
        self._check_state()
        schema, perdocwriter, docnum = self.schema, self.perdocwriter, self.docnum
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdocwriter.start_doc(docnum)
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                boost = self._field_boost(fields, name, docboost)
                if name in self._direct:
                    length = self._pool_positions(name, field, docnum, value, boost * field.format.field_boost)
                else:
                    length = self._pool_items(name, field, docnum, value, boost)
            stored = fields.get(f"_stored_{name}", value)
            perdocwriter.add_field(name, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdocwriter.add_column_value(name, field.column_type, field.to_column_value(stored))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _pool_items(self, name, field, docnum, value, boost) -> int:
        add, length = self.pool.add, 0
        for term, freq, weight, encoded in field.index(value):
            if field.scorable:
                length += freq
            add((name, term, docnum, weight * boost, encoded))
        return length

    def _pool_positions(self, name, field, docnum, value, boost) -> int:
        terms = self.pool.terms(name)
        get = terms.get
        encode = field.format.encode
        single = field.format.SINGLE  # a lone position's value, ready-made (most postings)
        length = 0
        found = field.analyzer.term_positions(value)
        for word, positions in found.items():
            term = word.encode("utf-8")
            postings = get(term)
            if postings is None:
                postings = terms[term] = [array("I"), array("f"), array("I"), bytearray()]
            ids, weights, value_lengths, values = postings
            count = len(positions)
            encoded = single[positions[0]] if count == 1 and positions[0] < 256 else encode(positions)
            ids.append(docnum)
            weights.append(count * boost)
            value_lengths.append(len(encoded))
            values += encoded
            length += count
        # the analyzer may know better than its postings how long the text is (``TermPositions``)
        return getattr(found, "length", length)

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.perdocwriter.lengths
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self.pool.fields):
            terms = self.pool.fields[fieldname]
            column = lengths.get(fieldname)
            fieldwriter.start_field(fieldname, self.schema[fieldname])
            for term in sorted(terms):
                ids, weights, value_lengths, values = terms[term]
                doc_lengths = [column[d] for d in ids] if column is not None else bytes(len(ids))
                fieldwriter.add_posting_list(term, ids, weights, value_lengths, bytes(values), doc_lengths)
            fieldwriter.finish_field()
        fieldwriter.close()
        self.pool.cleanup()


    def commit_segments(self, segments) -> None:
        """Commit, adding finished segments that other writers built beside this one.

        What Whoosh's multiprocessing writer does with its sub-writers'
        segments (``MpWriter(multisegment=True)``): this writer's merges and
        deletions, its own documents if any, and the given segments become
        the new generation of the index.
        """
        self._check_state()
        final = self._merge_segments(None, None, None) + list(segments)
        if self._added:
            final.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(final)
        self._finish()


# --- building segments in other processes -------------------------------------

FINISH = "finish"


def build_segments(index_path: str, folder: str, jobs, results, segment_docs: int) -> None:
    """A worker process: index the documents sent on ``jobs`` into segments.

    ``jobs`` carries lists of prepared documents (what ``add_document``
    takes), then ``FINISH``.  The segments are built in ``folder``, an index
    of the worker's own with the main index's schema, so no other writer of
    the main index can clean their files away before the parent moves them
    in (``adopt_segments``).  The worker puts ``("ok", folder, [segments])``
    on ``results``, or ``("error", folder, traceback)``.  A segment is closed every
    ``segment_docs`` documents to bound memory.  No Django here: the schema,
    analyzer and codec are plain Python.
    """
    import traceback

    from whoosh.filedb.filestore import FileStorage

    exit_with_parent()
    try:
        main = FileStorage(index_path).open_index()
        ix = FileStorage(folder).create().create_index(main.schema, indexname=main.indexname)
        segments, writer = [], PortalWriter(ix, _lk=False)
        while (batch := jobs.get()) != FINISH:
            for fields in batch:
                if writer.doc_count() >= segment_docs:
                    segments.append(writer._finalize_segment())
                    writer = PortalWriter(ix, _lk=False)
                writer.add_document(**fields)
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        results.put(("ok", folder, segments))
    except BaseException:
        results.put(("error", folder, traceback.format_exc()))


def exit_with_parent() -> None:
    """End this worker process as soon as its parent is gone (a killed import).

    Otherwise it would wait for ever on the job queue, whose pipe it holds
    open itself (or in the middle of a message the parent never finished),
    and so would multiprocessing's resource tracker; the next session clears
    its folder (``search.whoosh.bulk``).  A thread waiting on the parent's sentinel,
    so it works wherever the worker is blocked.
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=lambda: (parent.join(), os._exit(1)), name="parent-watch", daemon=True).start()


def adopt_segments(index_path: str, folder: str, segments) -> None:
    """Move the files of ``segments`` built in ``folder`` into the index (hold its lock)."""
    prefixes = tuple(f"{segment.segment_id()}." for segment in segments)
    for name in os.listdir(folder):
        if name.startswith(prefixes):
            os.replace(os.path.join(folder, name), os.path.join(index_path, name))
