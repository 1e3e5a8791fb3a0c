"""Writing the portal's Whoosh index: postings pooled per term.

Whoosh's ``SegmentWriter`` keeps every posting of a new segment as a tuple
``(field, term, document, weight, value)`` in one pool, sorts the whole
pool when the segment is written (spilling sorted runs to temporary files
once it outgrows ``limitmb``), and then reads each posting's field length
back from disk.  ``PortalWriter`` is the same writer (locking, documents,
stored fields, deletions, merges, commit) with a pool that files each
posting under its term as it arrives, in packed arrays: documents are
numbered in the order they are added, so every term's list is already
sorted; only the terms are sorted at the end, and each term's list is
written in one call with the field lengths kept in memory
(``codec.PortalPerDocWriter``).  It writes segments in ``PortalCodec``.
"""

from __future__ import annotations

from array import array

from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from .codec import PortalCodec

# A length byte of 0 means "no length" to Whoosh's block statistics.
_LENGTHS = [None] + [byte_to_length(b) for b in range(1, 256)]


class TermPool:
    """A segment's postings by field and term, each term's in document order.

    Stands in for Whoosh's ``PostingPool`` (``add`` takes the same tuples,
    from ``add_document`` and from merged segments alike).
    """

    def __init__(self):
        # field -> term bytes -> [doc numbers, weights, value lengths, values]
        self.fields: dict[str, dict[bytes, list]] = {}
        self.fieldnames: set[str] = set()

    def add(self, item) -> None:
        fieldname, term, docnum, weight, value = item
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
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


class PortalWriter(SegmentWriter):
    """A ``SegmentWriter`` that pools postings per term (see the module docstring)."""

    def __init__(self, ix, **kwargs):
        kwargs.setdefault("codec", PortalCodec())
        super().__init__(ix, **kwargs)
        self.pool = TermPool()

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.perdocwriter.lengths
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self.pool.fields):
            terms = self.pool.fields[fieldname]
            column = lengths.get(fieldname, b"")
            known = len(column)
            fieldwriter.start_field(fieldname, self.schema[fieldname])
            for term in sorted(terms):
                ids, weights, value_lengths, values = terms[term]
                doc_lengths = [_LENGTHS[column[d]] if d < known else None for d in ids]
                fieldwriter.add_posting_list(term, ids, weights, value_lengths, bytes(values), doc_lengths)
            fieldwriter.finish_field()
        fieldwriter.close()
        self.pool.cleanup()
