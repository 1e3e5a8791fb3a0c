"""Transliteration drift: how far two folded spellings of one name are apart.

The letters writers and transliterators exchange (و/ف, dotted look-alikes,
ک/گ …) and the long vowels they insert or drop are a looser sameness than
``fold``: never used to index, only to match a known name against a word
that may be a drifted spelling of it (سالوری/سالواری, لاوروف/لافروف).
"""

from __future__ import annotations

from functools import cache, lru_cache

_VOWELS = frozenset("اوی")
# Letters writers and transliterators exchange: v/f, dotted look-alikes.
_CONFUSABLE = [set("وف"), set("یبنتث"), set("کگ"), set("زذضظژ"), set("سصث"), set("تط"), set("هح"), set("قغ"), set("جچ"), set("بپ")]
_CLASS = {}
for _n, _group in enumerate(_CONFUSABLE):
    for _ch in _group:
        _CLASS.setdefault(_ch, set()).add(_n)


@cache  # letter pairs: a few thousand at most
def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if _CLASS.get(a, set()) & _CLASS.get(b, set()):
        return 0.5
    return 1.0


def _indel_cost(ch: str) -> float:
    return 0.5 if ch in _VOWELS else 1.0


@lru_cache(maxsize=200_000)
def similarity(a: str, b: str) -> float:
    """1 for the same folded word, falling towards 0 with weighted edits.

    A weighted Levenshtein distance divided by the longer length: inserting
    or dropping ا و ی, or exchanging letters transliterations confuse (و/ف,
    dotted look-alikes), costs half an edit.
    """
    if a == b:
        return 1.0
    b_indel = [_indel_cost(cb) for cb in b]
    previous = [0.0]
    for cost in b_indel:
        previous.append(previous[-1] + cost)
    for ca in a:
        a_indel = _indel_cost(ca)
        current = [previous[0] + a_indel]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + a_indel, current[j - 1] + b_indel[j - 1], previous[j - 1] + _sub_cost(ca, cb)))
        previous = current
    return max(0.0, 1.0 - previous[-1] / max(len(a), len(b)))


def below(a: str, b: str, threshold: float) -> bool:
    """True when ``similarity(a, b)`` cannot reach ``threshold``, judged without the edit matrix.

    A letter of the longer word that finds no equal letter left in the other
    word needs an edit of at least half a unit, so half their number is a
    lower bound of the weighted distance: an exact test, and it spares most
    candidate words their quadratic comparison.
    """
    spare = {}
    for ch in a:
        spare[ch] = spare.get(ch, 0) + 1
    shared = 0
    for ch in b:
        if spare.get(ch):
            spare[ch] -= 1
            shared += 1
    longer = max(len(a), len(b))
    return 1.0 - 0.5 * (longer - shared) / longer < threshold


# consonants only, confusable letters as one: سالوری and سالواری agree
_SKELETON = str.maketrans({**{ch: str(min(classes)) for ch, classes in _CLASS.items()}, **dict.fromkeys(_VOWELS)})


def _skeleton(word: str) -> str:
    return word.translate(_SKELETON)


def neighbourhood(word: str) -> set[str]:
    """The skeleton and every skeleton one letter shorter (a SymSpell-style key set):
    two words whose skeletons differ by one edit share a key."""
    sk = _skeleton(word)
    return {sk} | {sk[:i] + sk[i + 1:] for i in range(len(sk))}


# Letters a reader types for one another (by sound or by shape): a looser
# table than the transliterators' above, for the typos of a search.  Words
# are folded (ئ is ی): a hamza on the line stands for one on a yeh seat (قاءد).
_TYPED_ALIKE_GROUPS = ("ذزضظد", "ثتسص", "حجخه", "اعء", "طت", "قغک", "یء")
_TYPED_ALIKE = {a: "".join(sorted({b for g in _TYPED_ALIKE_GROUPS if a in g for b in g} - {a}))
                for g in _TYPED_ALIKE_GROUPS for a in g}


def typing_edits(word: str) -> set[str]:
    """The spellings one likely typing edit from a folded ``word``: a letter left
    out or typed twice, two neighbours swapped, a letter taken for one alike, a
    long vowel left out.  The first letter is never left out (وباکو is not باکو).
    A few dozen, not the hundreds of every edit: each is an index look-up."""
    edits = {word[:i] + word[i + 1:] for i in range(1, len(word))}
    edits |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    edits |= {word[:i] + c + word[i + 1:] for i in range(len(word)) for c in _TYPED_ALIKE.get(word[i], "")}
    edits |= {word[:i] + c + word[i:] for i in range(1, len(word) + 1) for c in "".join(sorted(_VOWELS))}
    edits.discard(word)
    return edits
