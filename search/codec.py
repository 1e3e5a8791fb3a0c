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
from itertools import accumulate

from whoosh import formats
from whoosh.codec import whoosh3
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

_LITTLE_ENDIAN = sys.byteorder == "little"
_TYPECODES = (("B", 0xFF), ("H", 0xFFFF), ("I", 0xFFFFFFFF))


def _pack(numbers) -> tuple[str, bytes]:
    """The narrowest unsigned array type holding ``numbers``, and their bytes (little-endian).

    Index files are read on whatever machine serves them, so the byte order is fixed.
    """
    top = max(numbers) if numbers else 0
    typecode = next(code for code, limit in _TYPECODES if top <= limit)
    packed = array(typecode, numbers)
    if not _LITTLE_ENDIAN:
        packed.byteswap()
    return typecode, packed.tobytes()


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

    def encode(self, poslist) -> bytes:
        if len(poslist) == 1:  # most postings: one byte or two after the type letter
            position = poslist[0]
            if position <= 0xFF:
                return _ONE_BYTE[position]
            if position <= 0xFFFF:
                return b"H" + position.to_bytes(2, "little")
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        typecode, data = _pack(deltas)
        return typecode.encode() + data

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


def encode_block(ids, weights, value_lengths, values: bytes, fixed_size, previous_id: int) -> tuple[tuple, bytes]:
    """The type letters and the data of one block (see the module docstring)."""
    id_code, id_bytes = _pack([b - a for a, b in zip([previous_id, *ids], ids, strict=False)])
    if all(w == 1.0 for w in weights):
        weight_code, weight_bytes = _ALL_ONES, emptybytes
    elif all(w == int(w) and 0 <= w <= 0xFFFF for w in weights):
        code, weight_bytes = _pack([int(w) for w in weights])
        weight_code = code.encode()
    else:
        packed = array("f", weights)
        if not _LITTLE_ENDIAN:
            packed.byteswap()
        weight_code, weight_bytes = b"f", packed.tobytes()
    if fixed_size == 0:
        value_code, value_bytes = _NO_VALUES, emptybytes
    else:
        code, lengths = _pack(value_lengths)
        value_code, value_bytes = code.encode(), lengths + values
    return (id_code.encode(), weight_code, value_code), id_bytes + weight_bytes + value_bytes


class PortalPostingsWriter(whoosh3.W3PostingsWriter):
    """Writes posting lists as packed blocks (see the module docstring).

    Whoosh's writers add postings one at a time (``add_posting``); the
    portal's writer hands over a term's whole list (``write_blocks``).
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
        values = self._values
        self._write(last, [len(v) for v in values], emptybytes.join(values))

    def write_blocks(self, ids, weights, value_lengths, values: bytes, lengths) -> None:
        """Write a started term's whole posting list at once (the bulk writer's path).

        ``value_lengths`` and ``values`` are every posting's value, packed;
        ``lengths`` the field length of each document (None or 0 if unknown).
        """
        limit, count, offset = self._blocklimit, len(ids), 0
        for start in range(0, count, limit):
            end = start + limit
            self._ids, self._weights = ids[start:end], weights[start:end]
            known = [n for n in lengths[start:end] if n]
            self._minlength, self._maxlength = (min(known), max(known)) if known else (None, 0)
            self._maxweight = max(self._weights)
            block_lengths = value_lengths[start:end]
            size = sum(block_lengths)
            self._write(end >= count, block_lengths, values[offset:offset + size])
            offset += size

    def _write(self, last, value_lengths, values: bytes):
        if not self._blockcount:
            self._postfile.write(BLOCK_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        codes, data = encode_block(
            ids, self._weights, value_lengths, values, self._format.fixed_value_size(), self._previous_id,
        )
        compressed = len(data) >= _COMPRESS_FROM and self._compression
        if compressed:
            packed = zlib.compress(data, self._compression)
            compressed = len(packed) < len(data)
            data = packed if compressed else data
        info = _INFO.pack(
            len(ids), ids[-1], self._maxweight, compressed,
            length_to_byte(self._minlength), length_to_byte(self._maxlength), *codes,
        )
        size = len(info) + len(data)
        self._postfile.write(_BLOCK_LENGTH.pack(-size if last else size))
        self._postfile.write(info)
        self._postfile.write(data)
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
        id_code, weight_code, value_code = (c.decode() for c in self._codes)
        end = n * array(id_code).itemsize
        ids = list(accumulate(_unpack(id_code, data[:end]), initial=self._previous_id))[1:]
        if weight_code == "1":
            weights = array("f", [1.0]) * n
        else:  # term counts (whole numbers) or floats
            start, end = end, end + n * array(weight_code).itemsize
            weights = _unpack(weight_code, data[start:end])
        if value_code == "0":
            values = (None,) * n
        else:
            start, end = end, end + n * array(value_code).itemsize
            lengths = _unpack(value_code, data[start:end])
            offsets = list(accumulate(lengths, initial=end))
            values = tuple(data[a:b] for a, b in zip(offsets, offsets[1:], strict=False))
        self._data = (ids, weights, values)

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


class PortalPerDocWriter(whoosh3.W3PerDocWriter):
    """W3's per-document writer that also keeps each field's lengths in memory.

    W3 reads a document's field length back from disk for every posting it
    writes; ``search.writer`` takes them from here instead.  ``lengths``
    maps a field to the length byte of each document (0: empty or unknown).
    """

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self.lengths: dict[str, bytearray] = {}

    def add_field(self, fieldname, fieldobj, value, length):
        super().add_field(fieldname, fieldobj, value, length)
        if length:
            column = self.lengths.setdefault(fieldname, bytearray())
            column.extend(bytes(self._docnum - len(column)))
            column.append(length_to_byte(length))


class PortalFieldWriter(whoosh3.W3FieldWriter):
    """W3's term table, fed a whole posting list per term."""

    def add_posting_list(self, term: bytes, ids, weights, value_lengths, values: bytes, lengths) -> None:
        """Add one term of the current field with all its postings (see ``write_blocks``)."""
        self.start_term(term)
        self._postwriter.write_blocks(ids, weights, value_lengths, values, lengths)
        self.finish_term()


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
