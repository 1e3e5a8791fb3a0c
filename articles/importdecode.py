"""Bytes to text for the importer: a whole agency file, and a feed line by line.

UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when the zero
bytes give the byte order away) and Windows-1256, the legacy encoding of
Persian and Arabic files.  What cannot be read as text is refused with a
``RejectedInput`` saying why.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

from django.utils.translation import gettext as _

from .importreport import RejectedInput
from .text import detect_language, persian_letters

# How much of a stream is read at a time.
READ_SIZE = 1 << 20


def decode(data: bytes) -> tuple[str, str]:
    """Decode raw bytes to text; return ``(text, encoding)``.

    UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when the
    zero bytes give the byte order away) and Windows-1256, the legacy
    encoding of Persian and Arabic files.  Anything else is rejected with a
    reason: empty, binary, truncated, mixed or otherwise undecodable.
    """
    if not data.strip(b" \t\r\n\x00"):
        raise RejectedInput(_("empty file"))
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    encoding = _utf16_without_bom(data)
    if encoding:
        return _strict(data, encoding), encoding
    if b"\x00" in data:
        raise RejectedInput(_("binary file (contains NUL bytes), not text"))
    try:
        return _plausible(data.decode("utf-8"), "utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise RejectedInput(_("truncated UTF-8: the file ends inside a character (byte %(offset)s); "
                                  "copy the whole file again") % {"offset": exc.start}) from None
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
        if _mostly_utf8(data[start:end if end >= 0 else len(data)]):  # a few bad bytes amid UTF-8
            raise RejectedInput(_("broken UTF-8: invalid bytes on line %(line)s; save the file as UTF-8 again")
                                % {"line": line}) from None
        if (utf8 := _utf8_line(data)) is not None:
            # Windows-1256 decodes any byte, so the UTF-8 lines would become mojibake.
            raise RejectedInput(_("mixed encodings: line %(line)s is in another encoding than line %(utf8)s "
                                  "(UTF-8); save the whole file in one encoding") % {"line": line, "utf8": utf8}) from None
    return _plausible(data.decode("cp1256", errors="strict"), "cp1256"), "cp1256"


# A Persian or Arabic letter in UTF-8: two bytes, D8-DB then a continuation byte.
_UTF8_ARABIC_RE = re.compile(rb"[\xd8-\xdb][\x80-\xbf]")


def _utf8_line(data: bytes) -> int | None:
    """The number of the first line that is Persian or Arabic UTF-8 (Windows-1256 text never is)."""
    for number, line in enumerate(data.split(b"\n"), 1):
        if len(_UTF8_ARABIC_RE.findall(line)) >= 2:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return number
    return None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return _plausible(data.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        raise RejectedInput(_("undecodable %(encoding)s: invalid data at byte %(offset)s; save the file as UTF-8")
                            % {"encoding": encoding, "offset": exc.start}) from None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    # Arabic script in UTF-16 has 0x06 high bytes, ASCII has 0x00 ones.
    even_06 = sample[0::2].count(6) / len(sample[0::2])
    odd_06 = sample[1::2].count(6) / len(sample[1::2])
    if odd_zeros + odd_06 > 0.6 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros + even_06 > 0.6 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    # Valid multi-byte sequences before the first error mean the file is
    # UTF-8 gone wrong; reading it as cp1256 would only make mojibake.
    head = data[:65536]
    decoded = head.decode("utf-8", errors="replace")
    return sum(1 for ch in decoded if ord(ch) > 0x7F and ch != "\ufffd") > decoded.count("\ufffd")


# Control characters no text has (all but tab, line breaks and form feed).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _plausible(text: str, encoding: str) -> str:
    if not text.strip(" \t\r\n\ufeff"):
        raise RejectedInput(_("empty file"))
    # Searched in C: a file may be megabytes of text.
    controls = len(_CONTROL_RE.findall(text)) if _CONTROL_RE.search(text) else 0
    if controls > max(2, len(text) // 200):
        raise RejectedInput(_("binary data, not text (read as %(encoding)s)") % {"encoding": encoding})
    return text


# Windows-1256 has no Persian yeh, so legacy Persian files write ی as
# Arabic ي (or ى); readers of Persian must see their own letters.


def persian_letters_if_legacy(text: str, encoding: str) -> str:
    """Persian yeh and kaf in Persian text read from Windows-1256."""
    if encoding == "cp1256" and detect_language(text) == "fa":
        return persian_letters(text)
    return text


# --- feeds, line by line ---------------------------------------------------------


def _byte_lines(stream: BinaryIO, head: bytes, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)`` for every line, split on ``\\n`` only (``\\r\\n`` too); ``None`` for a line over ``limit``.

    Only ``\\n`` ends a line, as JSON Lines says: U+2028, U+2029 and U+0085
    may stand inside a JSON string, and the stored bytes and line numbers
    must be exact.  At most ``limit`` bytes of one line are held at a time.
    """
    buffer, number, skipping = head, 0, False
    while True:
        end = buffer.find(b"\n")
        if end < 0:
            if len(buffer) > limit:  # a line too long: drop what is read, skip to its end
                if not skipping:
                    number += 1
                    yield number, None
                skipping, buffer = True, b""
            chunk = stream.read(READ_SIZE)
            if not chunk:
                if buffer and not skipping:
                    number += 1
                    yield number, buffer.removesuffix(b"\r")
                return
            buffer += chunk
            continue
        line, buffer = buffer[:end], buffer[end + 1:]
        if skipping:
            skipping = False
            continue
        number += 1
        yield number, (line.removesuffix(b"\r") if len(line) <= limit else None)


def _text_lines(stream: BinaryIO, head: bytes, encoding: str, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """The lines of a UTF-16 feed as ``_byte_lines`` gives them, in that encoding's bytes (split on ``\\n`` only)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    pending, number, chunk = "", 0, head
    while True:
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise RejectedInput(_("undecodable %(encoding)s after line %(line)s; save the file as UTF-8")
                                % {"encoding": encoding, "line": number}) from None
        pending += text
        *lines, pending = pending.split("\n")
        for line in lines:
            number += 1
            raw = line.removesuffix("\r").encode(encoding)
            yield number, (raw if len(raw) <= limit else None)
        if not chunk:
            if pending:
                number += 1
                raw = pending.removesuffix("\r").encode(encoding)
                yield number, (raw if len(raw) <= limit else None)
            return
        chunk = stream.read(READ_SIZE)


def _feed_encoding(head: bytes) -> tuple[str, int]:
    """The encoding a feed's first bytes tell (``utf-8`` unless a BOM or the zero bytes say UTF-16) and the BOM's length."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    return _utf16_without_bom(head) or "utf-8", 0


class LineDecoder:
    """Decodes a feed's lines one by one: UTF-8, or Windows-1256 when its first non-ASCII line is.

    A line in another encoding than the rest is rejected with its number.
    """

    def __init__(self, encoding: str):
        self.encoding = encoding
        self.settled = encoding != "utf-8"

    def decode(self, raw: bytes) -> str:
        if self.encoding.startswith("utf-16"):
            return raw.decode(self.encoding)
        if raw.isascii():
            return raw.decode("ascii")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if not self.settled and not _mostly_utf8(raw):
                self.encoding, self.settled = "cp1256", True
            if self.encoding == "utf-8":
                if exc.reason == "unexpected end of data":
                    raise RejectedInput(_("the line ends inside a UTF-8 character; the feed may be truncated")) from None
                raise RejectedInput(_("not valid UTF-8 (invalid bytes at position %(offset)s of the line); "
                                      "save the whole feed as UTF-8") % {"offset": exc.start}) from None
            return raw.decode("cp1256")
        if not self.settled:
            self.settled = True
        elif self.encoding == "cp1256" and len(_UTF8_ARABIC_RE.findall(raw)) >= 2:
            raise RejectedInput(_("this line is UTF-8 while earlier lines are Windows-1256; "
                                  "save the whole feed in one encoding"))
        return text


def feed_lines(stream: BinaryIO, head: bytes, limit: int) -> tuple[Iterator[tuple[int, bytes | None]], LineDecoder]:
    """The numbered lines of a feed (``_byte_lines``) whose first bytes read are ``head``, and their decoder."""
    encoding, bom = _feed_encoding(head)
    if not encoding.startswith("utf-16") and b"\x00" in head[:4000]:
        raise RejectedInput(_("binary file (contains NUL bytes), not text"))
    if encoding.startswith("utf-16"):
        lines = _text_lines(stream, head[bom:], encoding, limit)
    else:
        lines = _byte_lines(stream, head[bom:], limit)
    return lines, LineDecoder(encoding)
