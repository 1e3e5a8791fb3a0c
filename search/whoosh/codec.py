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
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections import defaultdict
from itertools import accumulate

from whoosh import columns, formats
from whoosh.codec import whoosh3
from whoosh.filedb import compound
from whoosh.system import emptybytes, pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

_LITTLE_ENDIAN = sys.byteorder == "little"
_CODES = {"B": b"B", "H": b"H", "I": b"I"}


def _pack(numbers) -> tuple[bytes, bytes]:
    """The type letter of the narrowest unsigned array holding ``numbers``, and their bytes.

    Little-endian whatever the machine: index files are read wherever they are served.
    """
    top = max(numbers)
    typecode = "B" if top <= 0xFF else "H" if top <= 0xFFFF else "I"
    packed = array(typecode, numbers)
    if not _LITTLE_ENDIAN:
        packed.byteswap()
    return _CODES[typecode], packed.tobytes()


def _unpack(typecode: str, data: bytes) -> array:
    numbers = array(typecode, data)
    if not _LITTLE_ENDIAN:
        numbers.byteswap()
    return numbers


# --- positions -----------------------------------------------------------------

_ONE_BYTE = [b"B" + bytes([n]) for n in range(256)]


class CompactPositions(formats.Positions):
    """Positions as deltas in the narrowest of 1, 2 or 4 bytes, after a type letter.

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

    SINGLE = _ONE_BYTE  # the value of one position below 256, by position

    def encode(self, poslist) -> bytes:
        if len(poslist) == 1:  # most postings: one byte or two after the type letter
            position = poslist[0]
            if position <= 0xFF:
                return _ONE_BYTE[position]
            if position <= 0xFFFF:
                return b"H" + position.to_bytes(2, "little")
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        typecode, data = _pack(deltas)
        return typecode + data

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(accumulate(_unpack(chr(valuestring[0]), valuestring[1:])))

    def decode_frequency(self, valuestring: bytes) -> int:
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


# --- blocks --------------------------------------------------------------------

BLOCK_MAGIC = b"PtB1"
# count, last id, max weight, compressed?, shortest and longest length (W3's
# length bytes), then the type letters of ids, weights, value lengths.
_INFO = struct.Struct("<HIfBBBccc")
_BLOCK_LENGTH = struct.Struct("<i")
# Type letters that mean "weights all 1.0" and "no values" (nothing stored).
_ALL_ONES, _NO_VALUES = b"1", b"0"
_COMPRESS_FROM = 128  # smaller blocks do not shrink enough to pay for zlib
BLOCK_LIMIT = 128


def block_bytes(ids, weights, value_lengths, values: bytes, *, fixed_size, previous_id: int,
                minlength: int, maxlength: int, maxweight: float, compression: int, last: bool) -> bytes:
    """One block as it is written: its size, its info and its data (see the module docstring).

    ``minlength`` and ``maxlength`` are W3's length bytes of the block's
    shortest and longest document.
    """
    count = len(ids)
    first = ids[0] - previous_id
    id_code, id_bytes = _pack([first] if count == 1 else [first, *(b - a for a, b in zip(ids, ids[1:], strict=False))])
    if weights.count(1.0) == count:
        weight_code, weight_bytes = _ALL_ONES, emptybytes
    else:
        counts = [int(w) for w in weights]
        if counts == list(weights) and min(counts) >= 0 and max(counts) <= 0xFFFF:
            weight_code, weight_bytes = _pack(counts)
        else:
            packed = array("f", weights)
            if not _LITTLE_ENDIAN:
                packed.byteswap()
            weight_code, weight_bytes = b"f", packed.tobytes()
    if fixed_size == 0:
        value_code, value_bytes = _NO_VALUES, emptybytes
    else:
        value_code, lengths = _pack(value_lengths)
        value_bytes = lengths + values
    data = id_bytes + weight_bytes + value_bytes
    compressed = bool(compression) and len(data) >= _COMPRESS_FROM
    if compressed:
        packed = zlib.compress(data, compression)
        compressed = len(packed) < len(data)
        data = packed if compressed else data
    info = _INFO.pack(count, ids[-1], maxweight, compressed, minlength, maxlength, id_code, weight_code, value_code)
    size = len(info) + len(data)
    return _BLOCK_LENGTH.pack(-size if last else size) + info + data


_ITEM_SIZES = {"B": 1, "H": 2, "I": 4, "f": 4, "1": 0, "0": 0}


def split_block(data: bytes, count: int, codes) -> tuple:
    """A block's data cut into its parts, each as bytes.

    ``(id code, id deltas, weight code, weights, value code, value lengths,
    values)``; a weight code "1" means every weight is 1.0 and a value code
    "0" that there are no values (their parts are empty).
    """
    id_code, weight_code, value_code = (c.decode() for c in codes)
    a = count * _ITEM_SIZES[id_code]
    b = a + count * _ITEM_SIZES[weight_code]
    c = b + count * _ITEM_SIZES[value_code]
    return id_code, data[:a], weight_code, data[a:b], value_code, data[b:c], data[c:]


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
            fixed_size=self._format.fixed_value_size(), previous_id=self._previous_id,
            minlength=length_to_byte(self._minlength), maxlength=length_to_byte(self._maxlength),
            maxweight=self._maxweight, compression=self._compression, last=last,
        ))
        self._previous_id = ids[-1]
        self._blockcount += 1
        self._new_block()


class PortalLeafMatcher(whoosh3.W3LeafMatcher):
    """Reads the blocks ``PortalPostingsWriter`` writes."""

    def _read_header(self):
        postfile = self._postfile
        postfile.seek(self._startoffset)
        magic = postfile.read(4)
        if magic != BLOCK_MAGIC:
            raise ValueError(f"not a portal posting list (block tag {magic!r}): rebuild the index")
        self._baseoffset = postfile.tell()

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
        length = _BLOCK_LENGTH.unpack(postfile.get(position, 4))[0]
        self._lastblock = length < 0
        length = abs(length)
        self._nextoffset = position + 4 + length
        info = _INFO.unpack(postfile.get(position + 4, _INFO.size))
        self._dataoffset = position + 4 + _INFO.size
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
        ids = list(accumulate(_unpack(id_code, ids), initial=self._previous_id))[1:]
        weights = array("f", [1.0]) * n if weight_code == "1" else _unpack(weight_code, weights)
        if value_code == "0":
            values = (None,) * n
        else:
            offsets = list(accumulate(_unpack(value_code, lengths), initial=0))
            values = tuple(values[a:b] for a, b in zip(offsets, offsets[1:], strict=False))
        self._data = (ids, weights, values)

    def blocks(self):
        """Every block of this posting list at once, for readers of whole lists (``search.whoosh.engine``).

        Yields ``(last id, id code, id deltas, weight code, weights, value
        code, value lengths, values)`` per block, the parts as bytes (see
        ``split_block``); the first delta of a block counts from the
        previous block's last id.
        """
        length = self._length[0] if isinstance(self._length, tuple) else self._length  # W3 reads it as a 1-tuple
        data = self._postfile.get(self._startoffset, length)
        position, end = len(BLOCK_MAGIC), len(data)
        while position < end:
            size = abs(_BLOCK_LENGTH.unpack_from(data, position)[0])
            count, last, _weight, compressed, _low, _high, *codes = _INFO.unpack_from(data, position + 4)
            body = data[position + 4 + _INFO.size:position + 4 + size]
            if compressed:
                body = zlib.decompress(body)
            yield (last, *split_block(body, count, codes))
            position += 4 + size

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
        fixed_size = self._format.fixed_value_size()
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
                fixed_size=fixed_size, previous_id=previous, minlength=low, maxlength=high,
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
