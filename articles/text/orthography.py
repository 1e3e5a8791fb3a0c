"""The editors' orthography check: wrong-script letters, foreign digits, ZWNJ and spacing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .digits import to_ascii_digits
from .fold import ARABIC_ONLY_LETTERS, PERSIAN_ONLY_LETTERS, ZWNJ, fold
from .tokens import _JOIN_PREFIXES, _JOIN_SUFFIXES


@dataclass(frozen=True, slots=True)
class OrthographyIssue:
    """One spot in an editor's text that does not follow the article's orthography.

    ``text[start:end]`` is ``found``; ``fix_orthography`` puts ``replacement``
    there and changes nothing else.
    """

    kind: str
    start: int
    end: int
    found: str
    replacement: str


# Kinds, for messages: wrong-script letters, digits of another system,
# misplaced zero-width non-joiners and spaces.
LETTER, DIGIT, ZWNJ_ISSUE, SPACE = "letter", "digit", "zwnj", "space"

_ARABIC_LETTER_RE = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*")  # COVID-19, F-35, 5G
_DIGIT_SETS = {"ascii": "0123456789", "fa": "۰۱۲۳۴۵۶۷۸۹", "ar": "٠١٢٣٤٥٦٧٨٩"}
_DIGIT_SYSTEM = {d: system for system, ds in _DIGIT_SETS.items() for d in ds}
# zero-width non-joiners and spaces: a run with a ZWNJ next to a space, a
# doubled ZWNJ, spaces before punctuation, doubled spaces, trailing spaces
_NO_SPACE_BEFORE = "،؛؟!:.,"
_SPACING_RE = re.compile(
    r"(?P<zwnj>[ \u200c]*\u200c[ \u200c]*)"
    rf"|(?P<before>(?<=\S) +(?=[{_NO_SPACE_BEFORE}]))"
    r"|(?P<trail>(?<=\S) +(?=\n|$))"
    r"|(?P<double>(?<=\S) {2,}(?=\S))"
)
# Arabic words that end in alef maksura (ى), which a Persian keyboard types
# as ی; any other final ی in an Arabic text is a yeh (ي).
_ALEF_MAKSURA_WORDS = frozenset(
    """
    على إلى الى حتى متى لدى سوى مدى أدنى ادنى أقصى اقصى مستوى المستوى مبنى المبنى
    معنى مصطفى موسى عيسى يحيى ليلى سلمى كبرى الكبرى صغرى الصغرى أخرى اخرى الأخرى
    أولى اولى الأولى ذكرى الذكرى فتوى دعوى شكوى قوى القوى مستشفى المستشفى ملتقى
    الملتقى منتدى المنتدى مرمى أعلى اعلى الأعلى أدى ادى جرى أجرى اجرى بقى رأى
    """.replace("ى", "ی").split()
)


def orthography_issues(text: str, language: str) -> list[OrthographyIssue]:
    """What an editor should fix in a ``"fa"`` or ``"ar"`` text, in text order.

    * letters of the other orthography: Arabic ي ى ك in Persian, Persian
      ی ک in Arabic (a final ی becomes ى in the common words spelled so);
    * digits of another system than the text mostly uses (Arabic-Indic
      digits are always wrong in Persian and Persian ones in Arabic); digits
      inside Latin words (COVID-19) are left alone;
    * a ZWNJ next to a space, doubled, or not between two letters;
    * doubled spaces, spaces before punctuation and at the end of a line.

    Nothing is changed here; ``fix_orthography`` applies exactly these.
    """
    issues = []
    for m in _SPACING_RE.finditer(text):
        issue = _spacing_issue(text, m)
        if issue:
            issues.append(issue)
    issues.extend(_letter_issues(text, language))
    issues.extend(_digit_issues(text, language))
    return sorted(issues, key=lambda i: i.start)


def fix_orthography(text: str, language: str) -> str:
    """``text`` with every issue ``orthography_issues`` finds fixed, and nothing else."""
    out, last = [], 0
    for issue in orthography_issues(text, language):
        out.append(text[last:issue.start])
        out.append(issue.replacement)
        last = issue.end
    out.append(text[last:])
    return "".join(out)


def _spacing_issue(text: str, m: re.Match) -> OrthographyIssue | None:
    found = m.group()
    if m.lastgroup != "zwnj":
        return OrthographyIssue(SPACE, m.start(), m.end(), found, " " if m.lastgroup == "double" else "")
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    between_letters = bool(_ARABIC_LETTER_RE.match(before) and _ARABIC_LETTER_RE.match(after))
    if " " in found:
        replacement = " " if before.strip() and after.strip() and after not in _NO_SPACE_BEFORE else ""
        if replacement and between_letters and _joins(text[:m.start()], text[m.end():]):
            replacement = ZWNJ  # "کتاب‌ ها": the ZWNJ was meant, the space slipped in
    elif len(found) > 1:
        replacement = ZWNJ if between_letters else ""
    elif not between_letters:
        replacement = ""
    else:
        return None
    return OrthographyIssue(ZWNJ_ISSUE, m.start(), m.end(), found, replacement)


def _joins(left: str, right: str) -> bool:
    prefix = re.search(r"\w+$", left)
    suffix = re.match(r"\w+", right)
    return bool(prefix and fold(prefix.group()) in _JOIN_PREFIXES or suffix and fold(suffix.group()) in _JOIN_SUFFIXES)


def _letter_issues(text: str, language: str) -> Iterator[OrthographyIssue]:
    if language == "fa":
        for i, ch in enumerate(text):
            if ch in ARABIC_ONLY_LETTERS:
                yield OrthographyIssue(LETTER, i, i + 1, ch, ARABIC_ONLY_LETTERS[ch])
    elif language == "ar":
        for m in re.finditer(r"[\u06cc\u06a9]", text):
            ch, i = m.group(), m.start()
            replacement = PERSIAN_ONLY_LETTERS[ch]
            if ch == "\u06cc" and not _ARABIC_LETTER_RE.match(text[i + 1:i + 2]):
                word = re.search(r"[\u0620-\u06ff]*$", text[:i + 1]).group()
                if word.replace("\u064a", "\u06cc") in _ALEF_MAKSURA_WORDS:
                    replacement = "\u0649"
            yield OrthographyIssue(LETTER, i, i + 1, ch, replacement)


def _digit_issues(text: str, language: str) -> Iterator[OrthographyIssue]:
    latin = {i for m in _LATIN_WORD_RE.finditer(text) for i in range(m.start(), m.end())}
    digits = [(i, _DIGIT_SYSTEM[ch]) for i, ch in enumerate(text) if ch in _DIGIT_SYSTEM and i not in latin]
    if not digits:
        return
    native, foreign = ("fa", "ar") if language == "fa" else ("ar", "fa")
    count_native = sum(system == native for _, system in digits)
    count_ascii = sum(system == "ascii" for _, system in digits)
    target = "ascii" if count_ascii > count_native else native
    table = _DIGIT_SETS[target]
    for i, system in digits:
        if system != target:
            ch = text[i]
            yield OrthographyIssue(DIGIT, i, i + 1, ch, table[int(to_ascii_digits(ch))])


