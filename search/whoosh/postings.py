"""The portal's posting format, declared once.

``codec`` writes posting lists in this format and reads them back a block at
a time for Whoosh's matchers; ``arrays`` reads whole lists into numpy arrays
for the engine.  Both ask this module; neither knows the layout.  No Whoosh
here: plain bytes in, plain numbers out.

A posting list is ``BLOCK_MAGIC`` followed by its blocks.  A block is

* its size (``BLOCK_SIZE``: signed 32-bit, negative for the last block);
* its info (``BLOCK_INFO``): posting count, last document number, highest
  weight, whether the data is zlib-compressed, the length bytes of the
  shortest and longest document (Whoosh's W3 length bytes), then the type
  codes of the ids, the weights and the value lengths;
* its data: document numbers as deltas (the first counted from the previous
  block's last number), weights, value lengths, then the values themselves.

Type codes: ``B``/``H``/``I`` unsigned 8/16/32-bit little-endian integers
(the narrowest that holds every number), ``f`` 32-bit floats, ``1`` "every
weight is 1.0" and ``0`` "no values" (nothing stored for either).

A posting's value, for the portal's text fields (``CompactPositions``), is
the word's positions in the document: a type code, then the positions as
deltas (the first from 0) in that width.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from itertools import accumulate

import numpy as np

BLOCK_MAGIC = b"PtB1"
BLOCK_SIZE = struct.Struct("<i")
BLOCK_INFO = struct.Struct("<HIfBBBccc")
ALL_ONES, NO_VALUES = "1", "0"
BLOCK_LIMIT = 128  # postings a block holds
COMPRESS_FROM = 128  # smaller data does not shrink enough to pay for zlib

ITEM_SIZES = {"B": 1, "H": 2, "I": 4, "f": 4, ALL_ONES: 0, NO_VALUES: 0}
NUMPY_TYPES = {"B": "<u1", "H": "<u2", "I": "<u4", "f": "<f4"}

_LITTLE_ENDIAN = sys.byteorder == "little"


def pack(numbers) -> tuple[bytes, bytes]:
    """The type code of the narrowest unsigned array holding ``numbers``, and their bytes.

    Little-endian whatever the machine: index files are read wherever they are served.
    """
    top = max(numbers)
    code = "B" if top <= 0xFF else "H" if top <= 0xFFFF else "I"
    packed = array(code, numbers)
    if not _LITTLE_ENDIAN:
        packed.byteswap()
    return code.encode(), packed.tobytes()


def unpack(code: str, data: bytes) -> array:
    """The numbers of type ``code`` packed in ``data``."""
    numbers = array(code, data)
    if not _LITTLE_ENDIAN:
        numbers.byteswap()
    return numbers


# --- positions -----------------------------------------------------------------

# The value of a lone position below 256 (most postings), by position.
SINGLE_POSITION = [b"B" + bytes([n]) for n in range(256)]
_POSITION_CODES = tuple((ord(code), NUMPY_TYPES[code]) for code in "BHI")


def encode_positions(positions) -> bytes:
    """A posting's value: the word's positions in its document, ascending."""
    if len(positions) == 1:  # most postings: one byte or two after the type code
        position = positions[0]
        if position <= 0xFF:
            return SINGLE_POSITION[position]
        if position <= 0xFFFF:
            return b"H" + position.to_bytes(2, "little")
    code, data = pack([b - a for a, b in zip([0, *positions], positions, strict=False)])
    return code + data


def decode_positions(value: bytes) -> list[int]:
    return list(accumulate(unpack(chr(value[0]), value[1:])))


def position_count(value: bytes) -> int:
    return (len(value) - 1) // ITEM_SIZES[chr(value[0])]


def positions_at(offsets: np.ndarray, blob: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of several postings' values at once.

    ``blob`` is the values one after another (bytes as ``uint8``), the value
    of posting ``i`` being ``blob[offsets[i]:offsets[i + 1]]``.  Returns
    ``(owner, position)`` arrays: for every position, which of ``indices`` it
    belongs to.  Values of one width are cut out, read and summed up together.
    """
    starts, ends = offsets[indices], offsets[indices + 1]
    kinds = blob[starts]
    owners, positions = [], []
    for code, dtype in _POSITION_CODES:
        chosen = np.flatnonzero(kinds == code)
        if not len(chosen):
            continue
        first, sizes = starts[chosen] + 1, ends[chosen] - starts[chosen] - 1
        shift = np.repeat(first - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
        deltas = blob[np.arange(int(sizes.sum())) + shift].view(dtype).astype(np.int64)
        counts = sizes // np.dtype(dtype).itemsize
        running = np.cumsum(deltas)
        value_starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        positions.append(running - np.repeat(running[value_starts] - deltas[value_starts], counts))
        owners.append(np.repeat(chosen, counts))
    if not owners:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(owners), np.concatenate(positions)


# --- blocks --------------------------------------------------------------------

def block_bytes(ids, weights, value_lengths, values: bytes, *, has_values: bool, previous_id: int,
                minlength: int, maxlength: int, maxweight: float, compression: int, last: bool) -> bytes:
    """One block as it is written: its size, its info and its data.

    ``minlength`` and ``maxlength`` are the length bytes of the block's
    shortest and longest document; ``has_values`` is false for a format that
    stores no values.
    """
    count = len(ids)
    first = ids[0] - previous_id
    id_code, id_bytes = pack([first] if count == 1 else [first, *(b - a for a, b in zip(ids, ids[1:], strict=False))])
    if weights.count(1.0) == count:
        weight_code, weight_bytes = ALL_ONES.encode(), b""
    else:
        counts = [int(w) for w in weights]
        if counts == list(weights) and min(counts) >= 0 and max(counts) <= 0xFFFF:
            weight_code, weight_bytes = pack(counts)
        else:
            packed = array("f", weights)
            if not _LITTLE_ENDIAN:
                packed.byteswap()
            weight_code, weight_bytes = b"f", packed.tobytes()
    if not has_values:
        value_code, value_bytes = NO_VALUES.encode(), b""
    else:
        value_code, lengths = pack(value_lengths)
        value_bytes = lengths + values
    data = id_bytes + weight_bytes + value_bytes
    compressed = bool(compression) and len(data) >= COMPRESS_FROM
    if compressed:
        packed = zlib.compress(data, compression)
        compressed = len(packed) < len(data)
        data = packed if compressed else data
    info = BLOCK_INFO.pack(count, ids[-1], maxweight, compressed, minlength, maxlength, id_code, weight_code, value_code)
    size = len(info) + len(data)
    return BLOCK_SIZE.pack(-size if last else size) + info + data


def split_block(data: bytes, count: int, codes) -> tuple:
    """A block's (uncompressed) data cut into its parts, each as bytes.

    ``(id code, id deltas, weight code, weights, value code, value lengths,
    values)``; the parts of codes ``1`` and ``0`` are empty.
    """
    id_code, weight_code, value_code = (c.decode() for c in codes)
    a = count * ITEM_SIZES[id_code]
    b = a + count * ITEM_SIZES[weight_code]
    c = b + count * ITEM_SIZES[value_code]
    return id_code, data[:a], weight_code, data[a:b], value_code, data[b:c], data[c:]


def check_magic(tag: bytes) -> None:
    if tag != BLOCK_MAGIC:
        raise ValueError(f"not a portal posting list (block tag {tag!r}): rebuild the index")


def read_list(data: bytes) -> tuple[np.ndarray, np.ndarray, list]:
    """A whole posting list (its bytes from ``BLOCK_MAGIC`` on) at once.

    Returns the document numbers (``int64``, ascending), the weights
    (``float32``) and the values as ``(value code, value lengths, values)``
    parts, one per block that has values.
    """
    check_magic(data[:len(BLOCK_MAGIC)])
    ids, weights, values = [], [], []
    position, end, previous = len(BLOCK_MAGIC), len(data), 0
    while position < end:
        size = abs(BLOCK_SIZE.unpack_from(data, position)[0])
        count, last, _weight, compressed, _low, _high, *codes = BLOCK_INFO.unpack_from(data, position + BLOCK_SIZE.size)
        body = data[position + BLOCK_SIZE.size + BLOCK_INFO.size:position + BLOCK_SIZE.size + size]
        if compressed:
            body = zlib.decompress(body)
        id_code, deltas, weight_code, block_weights, value_code, lengths, block_values = split_block(body, count, codes)
        ids.append(np.cumsum(np.frombuffer(deltas, dtype=NUMPY_TYPES[id_code]), dtype=np.int64) + previous)
        if weight_code == ALL_ONES:
            weights.append(np.ones(count, dtype=np.float32))
        else:
            weights.append(np.frombuffer(block_weights, dtype=NUMPY_TYPES[weight_code]).astype(np.float32))
        if value_code != NO_VALUES:
            values.append((value_code, lengths, block_values))
        previous = last
        position += BLOCK_SIZE.size + size
    return np.concatenate(ids), np.concatenate(weights), values


def value_table(parts: list) -> tuple[np.ndarray, np.ndarray]:
    """The values of ``read_list`` parts (of one list or several) as ``(offsets, blob)`` for ``positions_at``."""
    lengths = np.concatenate([np.frombuffer(lengths, dtype=NUMPY_TYPES[code]) for code, lengths, _ in parts])
    offsets = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
    blob = np.frombuffer(b"".join(values for _, _, values in parts), dtype=np.uint8)
    return offsets, blob
