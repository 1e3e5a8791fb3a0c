"""Persian and Arabic text processing for the whole portal.

This is the one place where the portal decides how Persian and Arabic are
written: the importer, the search analyzer, the query parser, the highlighter
and entity linking all call it, so a reader, an editor and the index agree on
what counts as "the same word".  It is pure Python with no Django imports so
benchmarks and tools can use it on its own.

Three levels of sameness:

* ``fold(text)`` maps spelling variants of one letter to one form: Arabic and
  Persian yeh and kaf, hamza carriers, teh marbuta, heh variants, diacritics,
  tatweel, presentation forms and lam-alef ligatures (NFKC), and Persian,
  Arabic-Indic and Latin digits.  At least what Lucene's ArabicNormalizer,
  PersianNormalizer, PersianCharFilter and DecimalDigitFilter do.
* ``tokenize(text)`` finds words with their character offsets into the
  *original* text.  A zero-width non-joiner joins; the detached spellings
  writers use in place of ZWNJ ("می شود", "کتاب ها") are joined too, so
  "می‌شود", "می شود" and "میشود" give the same token.
* ``stem(token)`` is a light, conservative stemmer for both languages that
  leaves names such as ایران, تهران or آذربایجان intact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

ZWNJ = "\u200c"
ZWJ = "\u200d"

# --- character folding ------------------------------------------------------

_FOLD_MAP = {
    # yeh variants -> Persian yeh (Lucene PersianNormalizer / ArabicNormalizer)
    "\u064a": "\u06cc",  # ي ARABIC YEH
    "\u0649": "\u06cc",  # ى ALEF MAKSURA
    "\u06d2": "\u06cc",  # ے YEH BARREE
    "\u06d0": "\u06cc",  # ې
    "\u0626": "\u06cc",  # ئ YEH WITH HAMZA: مسائل / مسایل
    # kaf variants -> keheh
    "\u0643": "\u06a9",  # ك ARABIC KAF
    "\u06aa": "\u06a9",  # ڪ SWASH KAF
    # heh variants
    "\u06c0": "\u0647",  # ۀ HEH WITH YEH ABOVE
    "\u06c1": "\u0647",  # ہ HEH GOAL
    "\u06c2": "\u0647",  # ۂ
    "\u06d5": "\u0647",  # ە AE (what NFKC leaves of ۀ)
    "\u0629": "\u0647",  # ة TEH MARBUTA
    # alef variants
    "\u0622": "\u0627",  # آ
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0671": "\u0627",  # ٱ WASLA
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    # waw with hamza
    "\u0624": "\u0648",  # ؤ
    # marks and tatweel: removed
    "\u0640": None,  # tatweel
    "\u0670": None,  # superscript alef
    "\u0674": None,  # high hamza
    ZWJ: None,
    "\u200e": None,  # LRM
    "\u200f": None,  # RLM
    "\u061c": None,  # ALM
    "\u00ad": None,  # soft hyphen
    "\u066b": ".",  # ٫ ARABIC DECIMAL SEPARATOR
    "\u066c": ",",  # ٬ ARABIC THOUSANDS SEPARATOR
}
# harakat U+064B..U+065F (fathatan .. wavy hamza below), Quranic marks
for _cp in list(range(0x064B, 0x0660)) + list(range(0x06D6, 0x06DD)) + list(range(0x06DF, 0x06E9)) + list(range(0x06EA, 0x06EE)):
    _FOLD_MAP[chr(_cp)] = None
# every decimal digit system we meet -> ASCII
for _zero in (0x0660, 0x06F0, 0x07C0, 0xFF10):
    for _i in range(10):
        _FOLD_MAP[chr(_zero + _i)] = str(_i)
_FOLD_TABLE = str.maketrans(_FOLD_MAP)

# Only the letters that differ between the Persian and Arabic orthographies;
# used to check an editor's text, not to fold it.
ARABIC_ONLY_LETTERS = {"\u064a": "\u06cc", "\u0643": "\u06a9", "\u0649": "\u06cc"}
PERSIAN_ONLY_LETTERS = {"\u06cc": "\u064a", "\u06a9": "\u0643"}

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_ASCII_DIGITS = str.maketrans({chr(z + i): str(i) for z in (0x0660, 0x06F0) for i in range(10)})


def fold(text: str) -> str:
    """Fold spelling variants to one form, keeping ZWNJ and spaces.

    The result is what two spellings of the same word have in common; it is
    lower-cased for Latin script.  It does not preserve length, so never use
    it to compute offsets into the original (``tokenize`` does that).
    """
    # NFKC matters only for presentation forms, ligatures and width variants;
    # the quick check (C, no copy) spares ordinary text the normalisation.
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_FOLD_TABLE).casefold()


class _WordMemo(dict):
    """Answers of a one-word function, remembered.

    Words follow a Zipfian law: a few thousand make up most of any text, so
    nearly every lookup hits.  A plain dict lookup (C) is several times
    cheaper than ``functools.lru_cache``'s bookkeeping on the indexing hot
    path; when the memo is full it simply starts again.
    """

    def __init__(self, function, size: int = 1 << 20):
        super().__init__()
        self.function, self.size = function, size

    def __missing__(self, word: str) -> str:
        if len(self) >= self.size:
            self.clear()
        value = self[word] = self.function(word)
        return value


# ``fold`` itself also gets whole texts, which are not worth keeping.
_FOLDED = _WordMemo(fold)


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


# --- words and tokens --------------------------------------------------------

# A word: letters, digits, combining marks (harakat must not split a word),
# tatweel and the joiners.  Decimal points inside numbers stay in the word.
_WORD_CHAR = r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200c\u200d])"
_NUMBER_SEPARATORS = "[.,٫٬/]"
_WORD_RE = re.compile(rf"{_WORD_CHAR}+(?:{_NUMBER_SEPARATORS}(?=\d)\d+)*")

# Punctuation that never belongs to a word (no letters, digits, marks or
# joiners; nothing the number pattern keeps inside a word when a digit follows).
_EDGE_PUNCTUATION = "،؛؟.:;!?«»()[]{}\"'-–—…*%٪\n\r\t"

# Detached spellings of what should be ZWNJ-joined: the verbal prefixes and
# the plural/comparative suffixes, in their folded form.
_JOIN_PREFIXES = frozenset({"می", "نمی", "همی"})
_JOIN_SUFFIXES = frozenset({"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "تر", "ترین", "تری"})


class Token(NamedTuple):
    """A word of the original text.

    ``text`` is the folded (and, from ``analyze``, stemmed) form; ``start``
    and ``end`` are offsets into the original string; ``pos`` counts words.
    ``part`` marks one piece of a joined word ("بین" and "المللی" of
    "بین‌المللی"), emitted beside the joined token so both spellings match.
    """

    text: str
    start: int
    end: int
    pos: int
    part: bool = False


def _spans(text: str) -> list[tuple[int, int, str, bool]]:
    """``(start, end, folded, joined to the next by a ZWNJ)`` of every word.

    Most words stand between plain spaces and are letters only: splitting
    on spaces and asking ``str.isalnum`` (both C) finds them several times
    faster than the word pattern, which is kept for the pieces with
    punctuation, marks, joiners or numbers in them.  The pattern's letters
    and digits are exactly what ``isalnum`` accepts, so both find the same words.
    """
    spans: list[tuple[int, int, str, bool]] = []
    offset = 0
    for piece in text.split(" "):
        if piece.isalnum():
            folded = _FOLDED[piece]
            if folded:
                spans.append((offset, offset + len(piece), folded, False))
        elif piece:
            # next commonest: a word with punctuation before or after it
            core = piece.strip(_EDGE_PUNCTUATION)
            if core.isalnum():
                folded = _FOLDED[core]
                if folded:
                    start = offset + len(piece) - len(piece.lstrip(_EDGE_PUNCTUATION))
                    spans.append((start, start + len(core), folded, False))
            else:
                _pattern_spans(piece, offset, spans)
        offset += len(piece) + 1
    return spans


def _pattern_spans(piece: str, offset: int, spans: list) -> None:
    for m in _WORD_RE.finditer(piece):
        raw = m.group()
        start = offset + m.start()
        if ZWNJ not in raw:
            folded = _FOLDED[raw]
            if folded:
                spans.append((start, start + len(raw), folded, False))
            continue
        # each ZWNJ-separated part keeps its own offsets
        first = len(spans)
        for part in raw.split(ZWNJ):
            folded = _FOLDED[part]
            if folded:
                spans.append((start, start + len(part), folded, True))
            start += len(part) + 1
        if len(spans) > first:  # where the joined word ends, so it is not run on
            spans[-1] = spans[-1][:3] + (False,)


def _joinable(text: str, left_end: int, right_start: int) -> bool:
    # Only a run of plain spaces (what a writer types instead of a ZWNJ)
    # joins; punctuation or a line break between the parts does not.
    gap = text[left_end:right_start]
    if not gap:
        return True  # a ZWNJ (already split off) joins
    return len(gap) <= 2 and gap.strip(" \u00a0") == ""


def _grouped(text: str, spans: list, parts: bool, pos: int, offset: int, out: list) -> int:
    """Join ``spans`` into tokens (ZWNJ pieces, detached prefixes and suffixes),
    append them to ``out`` (positions from ``pos``, offsets moved by ``offset``)
    and return the next position."""
    i = 0
    n = len(spans)
    while i < n:
        span = spans[i]
        if not span[3] and span[2] not in _JOIN_PREFIXES and (i + 1 == n or spans[i + 1][2] not in _JOIN_SUFFIXES):
            out.append((span[2], offset + span[0], offset + span[1], pos, False))
            pos += 1
            i += 1
            continue
        group = [span]
        # ZWNJ pieces: flag True means "joined to the next span"
        while group[-1][3] and i + 1 < n:
            i += 1
            group.append(spans[i])
        # prefix + word: "می شود" -> "میشود"
        while group[-1][2] in _JOIN_PREFIXES and i + 1 < n and _joinable(text, group[-1][1], spans[i + 1][0]):
            i += 1
            group.append(spans[i])
            while group[-1][3] and i + 1 < n:
                i += 1
                group.append(spans[i])
        # word + suffix: "کتاب ها" -> "کتابها"
        while (
            i + 1 < n
            and spans[i + 1][2] in _JOIN_SUFFIXES
            and not group[-1][2].isdigit()
            and _joinable(text, group[-1][1], spans[i + 1][0])
        ):
            i += 1
            group.append(spans[i])
        i += 1
        out.append(("".join(s[2] for s in group), offset + group[0][0], offset + group[-1][1], pos, False))
        if parts and len(group) > 1:
            out.extend((s[2], offset + s[0], offset + s[1], pos + k, True) for k, s in enumerate(group))
        pos += len(group) if parts else 1
    return pos


class _Pieces(dict):
    """The tokens of each space-separated piece of text that reads the same anywhere, remembered.

    Such a piece is *closed*: its first word is no detached suffix and its
    last no detached prefix, or punctuation shields them, so nothing joins
    across its edges and its tokens never depend on its neighbours.
    ``_scan`` takes a closed piece's tokens from here in one lookup: a str
    for one token covering the whole piece ("" for a word that gives no
    token but takes a position, as a stop word does), else ``(tokens,
    positions)`` with offsets and positions counted from the piece.  A piece
    that is not closed maps to None.  ``window`` reads text the slow way;
    ``word`` gives a lone word's token text from its folded form ("" for
    none), what ``window`` would make of it, without the detour.
    """

    def __init__(self, window, parts: bool, word, size: int = 1 << 20):
        super().__init__()
        self.window, self.parts, self.word, self.size = window, parts, word, size

    def __missing__(self, piece: str):
        if len(self) >= self.size:
            self.clear()
        value = None
        if piece.isalnum():  # the commonest piece: one word
            folded = _FOLDED[piece]
            if folded and folded not in _JOIN_PREFIXES and folded not in _JOIN_SUFFIXES:
                value = self[piece] = self.word(folded)
                return value
            closed = False
        else:
            spans = _spans(piece)
            closed = bool(piece) and (not spans or (_shielded_start(piece, spans[0]) and _shielded_end(piece, spans[-1])))
        if closed:
            tokens: list = []
            positions = self.window(piece, 0, 0, self.parts, tokens)
            if positions == 1 and not tokens:
                value = ""
            elif positions == 1 and len(tokens) == 1 and tokens[0][1:] == (0, len(piece), 0, False):
                value = tokens[0][0]
            else:
                value = (tuple(tokens), positions)
        self[piece] = value
        return value


def _shielded_start(piece: str, span) -> bool:
    # what stands before the first word blocks a join with the piece before
    return span[2] not in _JOIN_SUFFIXES or piece[:span[0]].strip(" \u00a0") != ""


def _shielded_end(piece: str, span) -> bool:
    return span[2] not in _JOIN_PREFIXES or piece[span[1]:].strip(" \u00a0") != ""


def _scan(text: str, parts: bool, pieces_memo: _Pieces) -> list[tuple[str, int, int, int, bool]]:
    """Tokens of ``text``: closed pieces (nearly all) from ``pieces_memo``,
    every run of other pieces read whole by its ``window``.

    A run begins at a piece that is not closed, or at a closed one followed
    by such a piece, and ends at two closed pieces in a row: no join ever
    crosses its edges.
    """
    pieces = text.split(" ")
    known = [pieces_memo[piece] for piece in pieces]
    out: list[tuple[str, int, int, int, bool]] = []
    n = len(pieces)
    pos = offset = i = 0
    while i < n:
        value = known[i]
        if value is not None and (i + 1 == n or known[i + 1] is not None):
            size = len(pieces[i])
            if value.__class__ is str:
                if value:
                    out.append((value, offset, offset + size, pos, False))
                pos += 1
            else:
                tokens, positions = value
                for term, start, end, at, part in tokens:
                    out.append((term, offset + start, offset + end, pos + at, part))
                pos += positions
            offset += size + 1
            i += 1
            continue
        j = i + 1
        while j < n and (known[j - 1] is None or known[j] is None):
            j += 1
        chunk = " ".join(pieces[i:j])
        pos = pieces_memo.window(chunk, offset, pos, parts, out)
        offset += len(chunk) + 1
        i = j
    return out


def _folded_window(chunk: str, offset: int, pos: int, parts: bool, out: list) -> int:
    return _grouped(chunk, _spans(chunk), parts, pos, offset, out)


_FOLDED_PIECES = {parts: _Pieces(_folded_window, parts, lambda folded: folded) for parts in (False, True)}


def _token_tuples(text: str, parts: bool) -> list[tuple[str, int, int, int, bool]]:
    """What ``tokenize`` returns, as plain tuples."""
    return _scan(text, parts, _FOLDED_PIECES[parts])


def tokenize(text: str, *, parts: bool = False) -> list[Token]:
    """Split ``text`` into folded word tokens with offsets into ``text``.

    ZWNJ-joined words become one token without the ZWNJ; a detached verbal
    prefix (می، نمی) or plural/comparative suffix (ها، های، تر، ترین) written
    with a space is joined to its word the same way.  With ``parts=True`` the
    pieces of a joined word follow it as ``part`` tokens (the first at the
    joined token's position), so "بین المللی" and "بین‌المللی" share terms.
    """
    return [Token(*t) for t in _token_tuples(text, parts)]


def words(text: str) -> list[str]:
    """The folded words of ``text`` (no stemming, stop words kept)."""
    return [t[0] for t in _token_tuples(text, False)]


def normalize_key(text: str) -> str:
    """One string for comparing names and titles: folded words, single spaces."""
    return " ".join(words(text))


# --- light stemming ----------------------------------------------------------

_PROTECTED_ENDINGS = ("ستان", "جان")
# Names and common words ending in what looks like a suffix.  Folded forms.
_PROTECTED = frozenset(
    fold(w)
    for w in """
    ایران تهران اصفهان کرمان گیلان زنجان همدان لبنان یونان آلمان عمان سودان
    اردکان خراسان مازندران سمنان لرستان کردستان ژاپن میدان زمان جهان انسان
    ایروان باکو آبان آذربایجان زمستان تابستان بیابان خیابان باران مهمان
    قانون اکنون میلیون کمیسیون تلویزیون پوتین لنین
    دختر دفتر کبوتر اختر چتر بستر کمتر بهتر
    """.split()
)

_AR_PREFIXES = ("وال", "بال", "فال", "کال", "لل", "ال")
# (suffix, minimum length of what remains)
_SUFFIXES = (
    ("هایی", 2),
    ("های", 2),
    ("ها", 3),
    ("ترین", 3),
    ("تر", 3),
    ("ات", 3),
    ("ان", 4),
    ("ین", 4),
    ("ون", 4),
)


def stem(word: str) -> str:
    """Light stemming of one folded word, for both Persian and Arabic.

    Strips the Arabic article with its proclitics (ال، وال، بال، فال، کال، لل)
    and Persian/Arabic plural, comparative and relational suffixes, only
    while a stem of a safe length remains; protected names are untouched.
    """
    return _STEMS[word]


def _stem(word: str) -> str:
    if len(word) < 4 or word in _PROTECTED or not word.isalpha():
        return word
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    if word in _PROTECTED or word.endswith(_PROTECTED_ENDINGS):
        return word
    for suffix, keep in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)]
            if suffix == "ان" and word.endswith("گ"):
                # a silent heh becomes گ before ان: برگزیدگان -> برگزیده
                word = word[:-1] + "ه"
            break
    # relational / indefinite yeh: ایرانی -> ایران, المللی -> الملل
    if word.endswith("ی") and len(word) >= 5 and not word.endswith("یی"):
        word = word[:-1]
    return word


_STEMS = _WordMemo(_stem)


def stem_variants(word: str) -> list[str]:
    """Other stems a folded word's singular may have, for query expansion.

    A plural in ات drops the singular's ت or ه (خسارات / خسارت, مطالعات /
    مطالعه), which no suffix rule can restore; the search tries both and
    keeps those the index knows.
    """
    base = stem(word)
    if word.endswith("ات") and base == word[:-2]:
        return [base + "ت", base + "ه"]
    return []


# --- stop words --------------------------------------------------------------

_STOP_FA = """
و در به از که را با این آن برای تا بر هم یا نیز اما ولی اگر چون چه پس زیرا
است هست بود شد شده شود می نمی باشد باشند هستند بودند کرد کرده کند کنند کردند
خود ما من تو او ایشان آنها اینها شما همه هر دیگر چند یک دو
ای های ها روی پیش بین درباره مورد
"""
_STOP_AR = """
في من على إلى الى عن مع أن ان إن لا ما لم لن قد كان كانت يكون هذا هذه ذلك تلك
التي الذي الذين اللذين هو هي هم هن نحن أنا انت كل بعض أو ثم حتى إذا اذا لكن بل
عند عندما منذ خلال بين حول أي ايضا أيضا وقد وفي وان وأن ومن فى كما
"""
STOP_WORDS = frozenset(fold(w) for w in (_STOP_FA + _STOP_AR).split())


def _analyzed_tokens(tokens, stemming: bool, stop_words: bool, out: list) -> None:
    joined = None
    stop = STOP_WORDS if stop_words else frozenset()
    stems = _STEMS if stemming else None
    for word, start, end, pos, part in tokens:
        if word in stop:
            continue
        if stems is not None:
            word = stems[word]
        if part:
            if word == joined:
                continue  # "کتاب‌ها" stems to its first part: one term is enough
        else:
            joined = word
        out.append((word, start, end, pos, part))


def _analysis_window(stemming: bool, stop_words: bool):
    def window(chunk: str, offset: int, pos: int, parts: bool, out: list) -> int:
        tokens: list = []
        pos = _folded_window(chunk, offset, pos, parts, tokens)
        _analyzed_tokens(tokens, stemming, stop_words, out)
        return pos

    return window


def _analysed_word(stemming: bool, stop_words: bool):
    def word(folded: str) -> str:
        if stop_words and folded in STOP_WORDS:
            return ""
        return _STEMS[folded] if stemming else folded

    return word


_ANALYZED_PIECES = {
    (stemming, stop): _Pieces(_analysis_window(stemming, stop), True, _analysed_word(stemming, stop))
    for stemming in (True, False) for stop in (True, False)
}


def _analyzed(text: str, stemming: bool, stop_words: bool) -> list[tuple[str, int, int, int, bool]]:
    return _scan(text, True, _ANALYZED_PIECES[stemming, stop_words])


def analyze(text: str, *, stemming: bool = True, stop_words: bool = True) -> Iterator[Token]:
    """Tokens for the search index and for queries: folded, stemmed, no stop words.

    Joined words come with their parts (see ``tokenize``).  Positions count
    every word, stop words included, so phrase queries that span a dropped
    stop word still line up.
    """
    for t in _analyzed(text, stemming, stop_words):
        yield Token(*t)


def analyze_spans(text: str, *, stemming: bool = True, stop_words: bool = True) -> list[tuple[str, int, int, int, bool]]:
    """What ``analyze`` yields, as plain ``(text, start, end, pos, part)``
    tuples: for scanning long texts (highlighting) without a Token each."""
    return _analyzed(text, stemming, stop_words)


def term_positions(text: str, *, stemming: bool = True, stop_words: bool = True) -> dict[str, list[int]]:
    """Each term ``analyze`` finds in ``text`` with its positions, in order.

    What the search index stores for a text, without building a token
    object per word (indexing calls this for every article).
    """
    positions: dict[str, list[int]] = {}
    for word, _start, _end, pos, _part in _analyzed(text, stemming, stop_words):
        found = positions.get(word)
        if found is None:
            positions[word] = [pos]
        else:
            found.append(pos)
    return positions


# --- language detection -------------------------------------------------------

_FA_LETTERS = frozenset("پچژگ")
_AR_LETTERS = frozenset("ةإأؤ")
_FA_WORDS = frozenset(fold(w) for w in "است می را این که های برای شد کرد شده هم ای".split())
_AR_WORDS = frozenset(fold(w) for w in "في من على إلى التي الذي أن عن هذا هذه وقد كما قال".split())


def detect_language(text: str) -> str | None:
    """``"fa"`` or ``"ar"`` from the letters and function words used.

    Persian-only letters (پ چ ژ گ) and Arabic-only ones (ة أ إ ؤ) count, and
    so do the commonest function words of each language, so a Persian text
    typed with Arabic ي and ك, or one stray letter, does not flip the answer.
    ``None`` when the text has no Arabic-script evidence at all.
    """
    fa = sum(ch in _FA_LETTERS for ch in text)
    ar = sum(ch in _AR_LETTERS for ch in text)
    for w in words(text[:20000]):
        if w in _FA_WORDS:
            fa += 3
        elif w in _AR_WORDS:
            ar += 3
    if fa == ar == 0:
        return None
    return "fa" if fa >= ar else "ar"


_ARABIC_SCRIPT_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def has_arabic_script(text: str) -> bool:
    """Whether ``text`` contains any Arabic-script letter."""
    return bool(_ARABIC_SCRIPT_RE.search(text))


def exact_tokens(text: str) -> list[Token]:
    """Words exactly as written, for exact-spelling search.

    Nothing is folded (Arabic and Persian yeh stay apart, diacritics stay);
    only Latin letters are lower-cased and the invisible joiners between
    words are kept inside the word they join.
    """
    return [Token(m.group().casefold(), m.start(), m.end(), i) for i, m in enumerate(_WORD_RE.finditer(text))]


def exact_pattern(words: list[str], *, prefix: bool = False) -> str:
    """A regular expression finding ``words`` (from ``exact_tokens``) written so, in a row.

    Each word must be a whole word of the text, as ``exact_tokens`` reads
    it (so "12" is not found inside "12.5"); anything that is not a word may
    stand between them.  With ``prefix`` the last word may go on.  Compile
    it with ``re.IGNORECASE`` (Latin letters match in either case).
    """
    before = rf"(?<!{_WORD_CHAR})(?<!\d{_NUMBER_SEPARATORS})"
    after = rf"{_WORD_CHAR}*" if prefix else rf"(?!{_WORD_CHAR})(?!{_NUMBER_SEPARATORS}\d)"
    gap = rf"(?:(?!{_WORD_CHAR})[\s\S])+"
    return before + gap.join(re.escape(w) for w in words) + after


# --- spelling-tolerant patterns and the editors' orthography check ------------

_MARKS_CLASS = "[\u064b-\u065f\u0670\u0640\u200c\u200d]*"
_VARIANTS: dict[str, set[str]] = {}
for _src, _dst in _FOLD_MAP.items():
    if _dst and len(_dst) == 1:
        _VARIANTS.setdefault(_dst, {_dst}).add(_src)


def fold_pattern(word: str) -> str:
    """A regular expression matching every spelling of ``word`` that folds like it.

    Works in Python, SQLite's REGEXP and PostgreSQL's ``~*``, so the admin
    can search the database with the portal's folding: each letter becomes
    the class of its variants (ي ی ى ئ …) and each Latin letter of both its
    cases, and diacritics, tatweel and joiners may appear between letters.
    Case-sensitive matching is enough, and faster.
    """
    parts = []
    for ch in fold(word):
        variants = _VARIANTS.get(ch) or ({ch, ch.upper()} if ch.upper() != ch and len(ch.upper()) == 1 else None)
        parts.append("[" + "".join(sorted(variants)) + "]" if variants else re.escape(ch))
    return _MARKS_CLASS.join(parts)


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


# --- clitics, for matching names ----------------------------------------------

# Arabic writes a conjunction (و ف), a preposition (ب ل ک) and the article
# onto the next word: "ولافروف", "بالرئيس", "للجمعية" (ل + ال).  Folded forms.
_AR_PROCLITICS = tuple(
    sorted(
        {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ل", "ک") for a in ("", "ال")} - {""} | {"لل", "ولل", "فلل"},
        key=len,
        reverse=True,
    )
)
# Persian writes the indefinite/ezafe yeh and the plural onto a name:
# "پوتینی", "پاشینیان‌ها" (tokenized without the ZWNJ).
_FA_ENCLITICS = ("هایی", "های", "ها", "ی")


def clitic_forms(word: str, *, min_length: int = 3) -> set[str]:
    """A folded word and what it may be without attached clitics.

    The word itself is always included; every form without an Arabic
    proclitic (و ف ب ل ک ال and their combinations) or a Persian enclitic
    (ی ها های) is added while at least ``min_length`` letters remain.  Used
    to match a known name however it is attached; never use it to index.
    """
    forms = {word}
    if not word.isalpha():
        if word[:2] == "ال" and word[2:].isdigit():  # "الـ78" -> "78"
            forms.add(word[2:])
        return forms
    for prefix in _AR_PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= min_length:
            forms.add(word[len(prefix):])
    for form in list(forms):
        for suffix in _FA_ENCLITICS:
            if form.endswith(suffix) and len(form) - len(suffix) >= min_length:
                forms.add(form[: -len(suffix)])
    return forms
