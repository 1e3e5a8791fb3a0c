"""A compact posting format for the portal's Whoosh index.

Whoosh's default codec (W3) pickles every block of postings as tuples of
Python objects and pickles every posting's positions again inside it: on
news text that is about 35 bytes a posting, most of the index, and most of
the time spent writing it.  ``PortalCodec`` keeps everything else of W3 (the
term table, stored fields, columns, segments and their files) and writes
posting blocks as packed arrays instead:

* document numbers as deltas, weights as small integers when they are term
  counts, values (a posting's positions) as one run of bytes with their
  lengths, each array in the narrowest type that holds it, the block
  compressed only when that pays;
* positions (``CompactPositions``) as deltas in one to four bytes each,
  instead of a pickled list behind a four-byte count.

Blocks carry the statistics W3 keeps (last id, maximum weight, shortest and
longest field length), so Whoosh's block-quality skipping works unchanged.
Whoosh stores the codec with each segment, so an index reads back with the
codec that wrote it; the schema's formats decode the values.

The layout of blocks and values is ``postings``'s; this module fits it into
Whoosh.  It subclasses W3's writers and matcher and so uses their private
names (``_postfile``, ``_blocklimit``, ``W3TermInfo._struct`` ...): with
``writer`` (the segment writer) and ``arrays`` (the reader side), one of the
three modules of the portal that touch Whoosh's private names.

The segments are read in place (``MappedStorage``).  Whoosh opens a segment's
compound file (``.seg``) through a memory map and hands each part it opens
(postings, term table, columns) to a ``BufferFile``, which reads positions from
the map but also fills an ``io.BytesIO`` with the whole part for sequential
reads: every process that searched kept a private copy of nearly all the index
(at 48,000 articles, 450 of a search process's 700 MB, in each gunicorn worker).
``MappedStorage`` maps ``.seg`` files itself and opens their parts as
``MappedFile``s: reads at a position slice the map (what the matchers and the
term table do, from any thread), sequential reads copy only what they read, and
the pages stay the operating system's, shared by every process that maps the
file.  ``supports_mmap=False`` (a public parameter of ``FileStorage``) makes a
compound file open its parts with the file's ``subset``.
"""

from __future__ import annotations

import mmap
import os
import sys
import zlib
from array import array
from collections import defaultdict
from itertools import accumulate

from whoosh import columns, formats
from whoosh.codec import whoosh3
from whoosh.filedb import compound
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.system import emptybytes, pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from . import postings
from .postings import BLOCK_INFO, BLOCK_LIMIT, BLOCK_MAGIC, BLOCK_SIZE, block_bytes, split_block, unpack


class CompactPositions(formats.Positions):
    """Positions as ``postings.encode_positions`` writes them: deltas in the
    narrowest of 1, 2 or 4 bytes, after a type code.

    A word that occurs once (most postings) costs two or three bytes instead
    of W3's sixteen.  Frequency and weight are what Whoosh's ``Positions``
    gives: the number of positions times the field boost.
    """

    def word_values(self, value, analyzer, **kwargs):
        # The portal's analyzers give each term's positions at once, without
        # a token object per word; any other analyzer takes Whoosh's way.
        term_positions = getattr(analyzer, "term_positions", None)
        if term_positions is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        for word, poslist in term_positions(value).items():
            yield word, len(poslist), len(poslist) * boost, encode(poslist)

    SINGLE = postings.SINGLE_POSITION  # the value of one position below 256, by position

    def encode(self, poslist) -> bytes:
        return postings.encode_positions(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return postings.decode_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return postings.position_count(valuestring)

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


class PortalPostingsWriter(whoosh3.W3PostingsWriter):
    """Writes posting lists as packed blocks, one posting at a time, as Whoosh's writers do.

    The portal's own writer hands over a term's whole list instead
    (``PortalFieldWriter.add_posting_list``).
    """

    def __init__(self, postfile, blocklimit=BLOCK_LIMIT, compression=1):
        super().__init__(postfile, blocklimit, byteids=False, compression=compression)

    def start_postings(self, format_, terminfo):
        super().start_postings(format_, terminfo)
        self._previous_id = 0

    def add_posting(self, id_, weight, vbytes, length=None):
        # W3's version asserts every argument's type on every posting.
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        self._values.append(vbytes or emptybytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(BLOCK_MAGIC)
        self._terminfo.add_block(self)
        ids, values = self._ids, self._values
        self._postfile.write(block_bytes(
            ids, self._weights, [len(v) for v in values], emptybytes.join(values),
            has_values=self._format.fixed_value_size() != 0, previous_id=self._previous_id,
            minlength=length_to_byte(self._minlength), maxlength=length_to_byte(self._maxlength),
            maxweight=self._maxweight, compression=self._compression, last=last,
        ))
        self._previous_id = ids[-1]
        self._blockcount += 1
        self._new_block()


class PortalLeafMatcher(whoosh3.W3LeafMatcher):
    """Reads the blocks ``PortalPostingsWriter`` writes."""

    def _read_header(self):
        # ``get``, not W3's seek and read: a kept searcher's files are read
        # by every thread of the process at once.
        postings.check_magic(self._postfile.get(self._startoffset, len(BLOCK_MAGIC)))
        self._baseoffset = self._startoffset + len(BLOCK_MAGIC)

    def reset(self):
        self._previous_id = 0
        self._maxid = None
        super().reset()

    def _goto(self, position):
        if self._maxid is not None and position != self._baseoffset:
            self._previous_id = self._maxid
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        postfile = self._postfile
        length = BLOCK_SIZE.unpack(postfile.get(position, BLOCK_SIZE.size))[0]
        self._lastblock = length < 0
        self._nextoffset = position + BLOCK_SIZE.size + abs(length)
        info = BLOCK_INFO.unpack(postfile.get(position + BLOCK_SIZE.size, BLOCK_INFO.size))
        self._dataoffset = position + BLOCK_SIZE.size + BLOCK_INFO.size
        (self._blocklength, self._maxid, self._maxweight, self._compression,
         minlength, maxlength, *self._codes) = info
        self._minlength = byte_to_length(minlength)
        self._maxlength = byte_to_length(maxlength)

    def _read_data(self):
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        if self._compression:
            data = zlib.decompress(data)
        n = self._blocklength
        id_code, ids, weight_code, weights, value_code, lengths, values = split_block(data, n, self._codes)
        ids = list(accumulate(unpack(id_code, ids), initial=self._previous_id))[1:]
        weights = array("f", [1.0]) * n if weight_code == postings.ALL_ONES else unpack(weight_code, weights)
        if value_code == postings.NO_VALUES:
            values = (None,) * n
        else:
            offsets = list(accumulate(unpack(value_code, lengths), initial=0))
            values = tuple(values[a:b] for a, b in zip(offsets, offsets[1:], strict=False))
        self._data = (ids, weights, values)

    def list_bytes(self) -> bytes:
        """This whole posting list as stored, for readers of whole lists (``postings.read_list``)."""
        length = self._length[0] if isinstance(self._length, tuple) else self._length  # W3 reads it as a 1-tuple
        return self._postfile.get(self._startoffset, length)

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = self._data[0]

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        self._weights = self._data[1]

    def _read_values(self):
        if self._data is None:
            self._read_data()
        self._values = self._data[2]


# W3's stored fields, compressed harder: zlib's default level makes them a
# tenth smaller than W3's level 3 and reads them back as fast.
STORED_COLUMN = columns.PickleColumn(columns.CompressedBytesColumn(level=6))


class PortalPerDocWriter(whoosh3.W3PerDocWriter):
    """W3's per-document writer that keeps each field's lengths in memory, in
    a temporary folder of its own.

    W3 reads a document's field length back from disk for every posting it
    writes; ``search.whoosh.writer`` takes them from here instead.  ``lengths``
    maps a field to the length byte of each document (0: empty or unknown).
    W3 keeps every writer's column files in one temporary folder that a
    writer removes when it finishes: the portal's bulk writers work beside
    other writers (``search.whoosh.bulk``), so each has its own.
    """

    def __init__(self, codec, storage, segment):  # W3's, but for the folder
        self._codec, self._storage, self._segment = codec, storage, segment
        self._tempstorage = storage.temp_storage(f"portal-{segment.segment_id()}.tmp")
        self._cols = compound.CompoundWriter(self._tempstorage)
        self._colwriters = {}
        self._create_column("_stored", STORED_COLUMN)
        self._fieldlengths = defaultdict(int)
        self._doccount = 0
        self._docnum = None
        self._storedfields = None
        self._indoc = False
        self.is_closed = False
        self._vpostfile = None
        self.lengths: dict[str, bytearray] = {}

    def close(self):
        super().close()
        self._tempstorage.destroy()

    def add_field(self, fieldname, fieldobj, value, length):
        super().add_field(fieldname, fieldobj, value, length)
        if length:
            column = self.lengths.setdefault(fieldname, bytearray())
            column.extend(bytes(self._docnum - len(column)))
            column.append(length_to_byte(length))


class PortalFieldWriter(whoosh3.W3FieldWriter):
    """W3's term table, fed a whole posting list per term by ``search.whoosh.writer``."""

    def add_posting_list(self, term: bytes, ids, weights, value_lengths, values: bytes, lengths) -> None:
        """Write one term of the current field with all its postings in one go.

        ``value_lengths`` and ``values`` are the postings' values, packed;
        ``lengths`` the length byte of each posting's document (0: none).
        The term info is what ``W3TermInfo`` would record, without building one.
        """
        postfile = self._postfile
        start = postfile.tell()
        limit, count = self._codec._blocklimit, len(ids)
        has_values = self._format.fixed_value_size() != 0
        compression = self._codec._compression
        chunks = [BLOCK_MAGIC]
        previous, offset, minlength, maxlength = 0, 0, 0, 0
        for first in range(0, count, limit):
            end = first + limit
            block_ids, block_weights, block_value_lengths = ids[first:end], weights[first:end], value_lengths[first:end]
            known = [n for n in lengths[first:end] if n]
            low, high = (min(known), max(known)) if known else (0, 0)
            size = sum(block_value_lengths)
            chunks.append(block_bytes(
                block_ids, block_weights, block_value_lengths, values[offset:offset + size],
                has_values=has_values, previous_id=previous, minlength=low, maxlength=high,
                maxweight=max(block_weights), compression=compression, last=end >= count,
            ))
            offset += size
            previous = block_ids[-1]
            minlength = low if not minlength or (low and low < minlength) else minlength
            maxlength = max(maxlength, high)
        postfile.write(emptybytes.join(chunks))
        info = whoosh3.W3TermInfo._struct.pack(
            False, sum(weights), count, minlength, maxlength, max(weights), ids[0], ids[-1],
        ) + pack_long(start) + pack_int(postfile.tell() - start)
        self._tindex.add(pack_ushort(self._fieldid) + term, info)


class PortalCodec(whoosh3.W3Codec):
    """W3 with packed posting blocks; vectors (unused here) stay W3's."""

    def __init__(self, blocklimit=BLOCK_LIMIT, compression=1):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=1)

    def per_document_writer(self, storage, segment):
        return PortalPerDocWriter(self, storage, segment)

    def field_writer(self, storage, segment):
        return PortalFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:
            return super().postings_writer(dbfile, byteids=True)
        return PortalPostingsWriter(dbfile, blocklimit=self._blocklimit, compression=self._compression)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        offset, length = terminfo.extent()
        return PortalLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


# --- segments read in place -----------------------------------------------------

COMPOUND_EXT = ".seg"  # whoosh.codec.whoosh3.W3Segment's compound files


class _ViewReader:
    """A read-only file over a ``memoryview``: ``read`` copies only what it returns."""

    def __init__(self, view: memoryview):
        self.view, self.position = view, 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self.view) if size is None or size < 0 else min(len(self.view), self.position + size)
        data = bytes(self.view[self.position:end])
        self.position = max(self.position, end)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        """To the next line end, as ``pickle`` reads (the compound file's directory)."""
        end = len(self.view) if size is None or size < 0 else min(len(self.view), self.position + size)
        start = stop = self.position
        while stop < end:  # looked for in growing pieces: a line is short, the part may be long
            stop = min(end, stop + max(256, stop - start))
            found = bytes(self.view[start:stop]).find(b"\n")
            if found >= 0:
                stop = start + found + 1
                break
        return self.read(stop - self.position)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: len(self.view)}[whence]
        self.position = max(0, base + offset)
        return self.position

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        """Nothing to close: the map goes when the last view of it does."""


class MappedFile(StructFile):
    """A part of a mapped file, read where it lies: Whoosh's ``BufferFile`` without its copy."""

    def __init__(self, view: memoryview, name: str | None = None):
        super().__init__(_ViewReader(view), name=name)
        self.view = view

    def get(self, position: int, length: int) -> bytes:
        return bytes(self.view[position:position + length])

    def get_array(self, position: int, typecode: str, length: int) -> array:
        values = array(typecode)
        values.frombytes(self.view[position:position + length * values.itemsize])
        if sys.byteorder == "little":  # Whoosh writes arrays big-endian
            values.byteswap()
        return values

    def subset(self, position: int, length: int, name: str | None = None) -> MappedFile:
        return MappedFile(self.view[position:position + length], name=name or str(self))


class MappedStorage(FileStorage):
    """A folder of index files whose segments are read in place (``MappedFile``)."""

    def __init__(self, path: str, readonly: bool = False):
        super().__init__(path, supports_mmap=False, readonly=readonly)

    def open_file(self, name: str, **kwargs) -> StructFile:
        if not name.endswith(COMPOUND_EXT):
            return super().open_file(name, **kwargs)
        with open(os.path.join(self.folder, name), "rb") as file:
            if not os.fstat(file.fileno()).st_size:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        return MappedFile(memoryview(mapped), name=name)
