"""What a text's repeated words tell the name recogniser, for many texts at once, with numpy.

News names a person in full once ("… مدیرعامل بانک، علی جهرمی") and by the surname after
("جهرمی گفت"): the bare surname then carries what its full mention looked like.  So the
recogniser (``entities.name_features``, ``entities.names``) reads, for each word whose
clitic-free form comes back in its text, what stands beside its other occurrences
(``elsewhere``) and, in a second pass, how sure the first pass was of them (``repeated``).

Each word of a batch is described by one row of ``AROUND`` numbers (``name_features`` works
them out once per distinct word): its clitic-free form (a hash), whether that form is worth
remembering, and what the word tells of a word standing after it and before it, as numbers of
``CONTEXTS``.  The texts' words are numbered one after another (``text`` gives each word's
text).  Everything here works on those arrays, never a Python loop per word: a batch of 500
news articles has some 100,000 occurrences of repeated forms.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

# The columns of a word's row: its clitic-free form's hash; 1 if that form is worth remembering
# (a word of letters, three or more of them, not a stop word); the context it gives a word after
# it ("dp:" and its cluster); 1 if it is a title (also "dp:role"); the context it gives a word
# before it ("dn:" and its cluster).
AROUND = ("form", "worth", "before", "role", "after")
FORM, WORTH, BEFORE, ROLE, AFTER = range(len(AROUND))
# An occurrence sees at most this many contexts of its form's other occurrences, the most frequent.
MOST = 8

# Contexts by number: "dn:<cluster>", "dp:<cluster>", "dp:role".  A language has a few hundred
# clusters, so the list stays small however many texts are read.
CONTEXTS: list[str] = []
_numbers: dict[str, int] = {}
_numbering = threading.Lock()  # two threads meeting new contexts at once must not share a number


def context(name: str) -> int:
    """The number of the context ``name`` in ``CONTEXTS`` (given one the first time it is met)."""
    number = _numbers.get(name)
    if number is None:
        with _numbering:
            number = _numbers.get(name)
            if number is None:  # listed before it is handed out: a number always has its name
                CONTEXTS.append(name)
                number = _numbers[name] = len(CONTEXTS) - 1
    return number


ROLE_CONTEXT = context("dp:role")


class Recurrences(NamedTuple):
    """The occurrences of the forms worth remembering that come back in their text (met twice or
    more, the other times perhaps as a word not worth remembering): grouped by text and form, the
    groups numbered in the order of their first occurrence, each group's occurrences in text order."""

    word: np.ndarray  # the occurrence's number among the batch's words
    group: np.ndarray  # its group's number, ascending
    worth: np.ndarray  # whether the occurrence itself is worth remembering


def recurrences(around: np.ndarray, text: np.ndarray) -> Recurrences:
    """The ``Recurrences`` of a batch's words: ``around`` holds a row (``AROUND``) per word and
    ``text`` each word's text number, ascending."""
    n = len(text)
    if not n:
        empty = np.zeros(0, dtype=np.intp)
        return Recurrences(empty, empty, empty.astype(bool))
    order = np.lexsort((around[:, FORM], text))  # by text, then form; stable, so in text order within
    texts, forms = text[order], around[order, FORM]
    starts = np.flatnonzero(np.r_[True, (texts[1:] != texts[:-1]) | (forms[1:] != forms[:-1])])
    counts = np.diff(np.r_[starts, n])
    worth = around[order, WORTH].astype(bool)
    kept = np.flatnonzero((counts > 1) & np.logical_or.reduceat(worth, starts))
    # kept groups numbered by where they first occur; the others -1
    number = np.full(len(starts), -1)
    number[kept[np.argsort(order[starts[kept]])]] = np.arange(len(kept))
    group = np.repeat(number, counts)
    wanted = group >= 0
    by_group = np.argsort(group[wanted], kind="stable")
    return Recurrences(order[wanted][by_group], group[wanted][by_group], worth[wanted][by_group])


def elsewhere(around: np.ndarray, text: np.ndarray, found: Recurrences,
              plain: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """What stands beside each word's other occurrences, as pairs ``(word, context)``, ordered by
    word, then by rank: the clusters of the words after and before the form's occurrences worth
    remembering where only spaces stand between (``plain(gaps)`` says which of the batch's gaps
    do: word w of text t has gap w + t before it and w + t + 1 after), and "dp:role" where the
    word before is a title.  Each of ``found``'s occurrences sees the ``MOST`` most frequent
    contexts of its form (ties: the first met first) but those met only at itself."""
    worth = found.worth
    at, group = found.word[worth], found.group[worth]
    n, own = len(text), text[at]
    after, before = np.minimum(at + 1, n - 1), np.maximum(at - 1, 0)
    has_after = (at + 1 < n) & (text[after] == own)
    has_before = (at > 0) & (text[before] == own)
    has_after[has_after] = plain(at[has_after] + own[has_after] + 1)
    has_before[has_before] = plain(at[has_before] + own[has_before])
    has_role = has_before & (around[before, ROLE] == 1)
    # each context met, in the order met: the word after's, then the word before's and its title
    # (the order their strings sort in, "dn:" < "dp:c…" < "dp:role", so ties rank alike everywhere)
    groups = np.concatenate((group[has_after], group[has_before], group[has_role]))
    met = np.concatenate((3 * at[has_after], 3 * at[has_before] + 1, 3 * at[has_role] + 2))
    contexts = np.concatenate((around[after[has_after], AFTER], around[before[has_before], BEFORE],
                               np.full(int(has_role.sum()), ROLE_CONTEXT)))
    owners = np.concatenate((at[has_after], at[has_before], at[has_role]))
    if not len(met):
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    order = np.lexsort((met, groups))
    groups, contexts, owners = groups[order], contexts[order], owners[order]
    # each group's contexts: how often met, where first met, and at which occurrence if met once
    _keys, first, times = np.unique(groups * (len(CONTEXTS) + 1) + contexts, return_index=True, return_counts=True)
    ranked = np.lexsort((first, -times, groups[first]))  # per group, the most frequent first
    ranked_groups = groups[first][ranked]
    begins = np.flatnonzero(np.r_[True, ranked_groups[1:] != ranked_groups[:-1]])
    place = np.arange(len(ranked)) - np.repeat(begins, np.diff(np.r_[begins, len(ranked)]))
    top = ranked[place < MOST]
    top_group, top_context = groups[first][top], contexts[first][top]
    single = np.where(times[top] == 1, owners[first][top], -1)
    # every occurrence of a group, worth remembering or not, with each of its group's top contexts
    starts = np.searchsorted(found.group, top_group)
    sizes = np.searchsorted(found.group, top_group, side="right") - starts
    row = np.repeat(np.arange(len(top)), sizes)
    words = found.word[starts[row] + np.arange(len(row)) - np.repeat(np.cumsum(sizes) - sizes, sizes)]
    keep = single[row] != words
    words, row = words[keep], row[keep]
    order = np.lexsort((row, words))
    return words[order], top_context[row[order]]


def repeated(found: Recurrences) -> tuple[np.ndarray, np.ndarray]:
    """The occurrences worth remembering of the forms met so two or more times in a text, as
    ``(word, group)``: groups numbered from 0 in the order of their first occurrence, each one's
    words in text order.  What a second pass reads (``name_features.recurrence_features``)."""
    at, group = found.word[found.worth], found.group[found.worth]
    if not len(at):
        return at, group
    times = np.bincount(group)
    keep = times[group] > 1
    return at[keep], np.unique(group[keep], return_inverse=True)[1]
