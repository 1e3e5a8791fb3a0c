"""Digits: Persian, Arabic-Indic and ASCII, as a reader of each language expects them."""

from __future__ import annotations

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_ASCII_DIGITS = str.maketrans({chr(z + i): str(i) for z in (0x0660, 0x06F0) for i in range(10)})


def to_ascii_digits(text: str) -> str:
    """Replace Persian and Arabic-Indic digits with ASCII ones."""
    return text.translate(_ASCII_DIGITS)


def to_persian_digits(text: str) -> str:
    """Write ASCII digits as Persian (extended Arabic-Indic) digits."""
    return str(text).translate(_PERSIAN_DIGITS)


def to_arabic_digits(text: str) -> str:
    """Write ASCII digits as Arabic-Indic digits."""
    return str(text).translate(_ARABIC_DIGITS)


def localize_digits(text: str, lang: str) -> str:
    """Write digits the way a reader of ``lang`` expects them."""
    if lang == "fa":
        return to_persian_digits(to_ascii_digits(text))
    if lang == "ar":
        return to_arabic_digits(to_ascii_digits(text))
    return to_ascii_digits(str(text))
