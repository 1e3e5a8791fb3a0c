"""Tag with a linear-chain CRF that python-crfsuite trained, at numpy's speed.

``crfsuite.Tagger`` turns every feature string of every word into an
attribute id on each call, which costs more than finding the names.  A
crfsuite model is only weights: a word's score for a label is the sum of the
weights of its features for that label, and a sentence's labels are the path
of highest score through those and the label-to-label weights.  ``Model``
reads the weights once and lets the caller sum them however it can do so
cheaply (``entities.names`` remembers each word's sums); ``decode`` then
finds the best path (Viterbi) and each word's marginal probability of its
label (forward-backward), for many sentences at once, one numpy step per word
position rather than per word.  It gives crfsuite's answers: the labels of
``Tagger.tag`` and the probabilities of ``Tagger.marginal`` (tests compare).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from pathlib import Path

import numpy as np


class Model:
    """The weights of a crfsuite model file, its labels in the order of ``labels``."""

    def __init__(self, path: Path, labels: tuple[str, ...]):
        import pycrfsuite  # only where a model is read

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        column = {label: k for k, label in enumerate(labels)}
        self.labels = labels
        self.index: dict[str, int] = {}
        weights: list[list[float]] = []
        for (attribute, label), weight in info.state_features.items():
            row = self.index.setdefault(attribute, len(weights))
            if row == len(weights):
                weights.append([0.0] * len(labels))
            weights[row][column[label]] = weight
        self.weights = np.array(weights, dtype=np.float64).reshape(-1, len(labels))
        self.transitions = np.array([[info.transitions.get((a, b), 0.0) for b in labels] for a in labels])
        self._exp_transitions = np.exp(self.transitions)

    def score(self, features: Iterable[str]) -> np.ndarray:
        """The summed weights of ``features`` for each label (features the model does not know weigh 0)."""
        return self.scores([list(features)])[0]

    def scores(self, features: Sequence[Sequence[str]]) -> np.ndarray:
        """``score`` of each list of ``features``, one row each, all looked up together: each
        row's weights are added in the order of its features (the same sums however grouped)."""
        flat = list(chain.from_iterable(features))
        columns = np.fromiter(map(self.index.get, flat, repeat(-1)), dtype=np.intp, count=len(flat))
        at = np.repeat(np.arange(len(features)), list(map(len, features)))
        known = columns >= 0  # features the model never weighed
        # bincount adds each cell's weights in the order given, as a loop would (np.add.at
        # too, at twice the cost): one count over every row's cell of every label
        labels = len(self.labels)
        cells = at[known, None] * labels + np.arange(labels)
        sums = np.bincount(cells.ravel(), self.weights[columns[known]].ravel(), minlength=len(features) * labels)
        return sums.reshape(len(features), labels)

    def decode(self, scores: np.ndarray, starts: np.ndarray, lengths: np.ndarray, *,
               marginals_unless: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The best labels (indices into ``labels``) of the sequences ``scores[start:start + length]``
        (``scores``: one row of label scores per word) and each word's marginal probability of its label.

        Sequences whose labels are all ``marginals_unless`` get no marginals (1.0): a caller
        that wants only the probabilities of what it finds is spared them.
        """
        labels = np.zeros(len(scores), dtype=np.intp)
        probabilities = np.ones(len(scores))
        keep = lengths > 0
        starts, lengths = starts[keep], lengths[keep]
        if not len(starts):
            return labels, probabilities
        order = np.argsort(-lengths, kind="stable")
        starts, lengths = starts[order], lengths[order]
        positions = _positions(starts, lengths)
        self._viterbi(scores, positions, labels)
        if marginals_unless is not None:
            before = np.concatenate(([0], np.cumsum(labels != marginals_unless)))  # such labels before each word
            wanted = before[starts + lengths] > before[starts]
            if not wanted.any():
                return labels, probabilities
            positions = _positions(starts[wanted], lengths[wanted])
        rows, marginals = self._marginals(scores, positions)
        probabilities[rows] = marginals[np.arange(len(rows)), labels[rows]]
        return labels, probabilities

    def marginals(self, scores: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Each word's marginal probability of each label (a row per row of ``scores``), in the
        sequences ``scores[start:start + length]``; rows outside them are 0."""
        out = np.zeros_like(scores)
        keep = lengths > 0
        if keep.any():
            order = np.argsort(-lengths[keep], kind="stable")
            rows, marginals = self._marginals(scores, _positions(starts[keep][order], lengths[keep][order]))
            out[rows] = marginals
        return out

    def _viterbi(self, scores, positions, labels) -> None:
        counts = [len(p) for p in positions]
        delta = scores[positions[0]]
        back = [None]
        last = np.empty(counts[0], dtype=np.intp)  # each sequence's best last label
        for t in range(1, len(positions)):
            active = counts[t]
            if active < counts[t - 1]:  # sequences that ended at t - 1
                last[active:counts[t - 1]] = delta[active:].argmax(axis=1)
            paths = delta[:active, :, None] + self.transitions  # (sequence, from, to)
            back.append(paths.argmax(axis=1))
            delta = paths.max(axis=1) + scores[positions[t]]
        last[:counts[-1]] = delta.argmax(axis=1)
        current = np.empty(counts[0], dtype=np.intp)
        for t in range(len(positions) - 1, -1, -1):
            going_on = counts[t + 1] if t + 1 < len(positions) else 0
            current[going_on:counts[t]] = last[going_on:counts[t]]
            if going_on:
                current[:going_on] = back[t + 1][np.arange(going_on), current[:going_on]]
            labels[positions[t]] = current[:counts[t]]

    def _marginals(self, scores, positions) -> tuple[np.ndarray, np.ndarray]:
        """The rows of all steps of ``positions`` in order, and each one's marginals of each label."""
        # The rows laid out step after step (one gather), so each step reads a slice of them.
        rows = np.concatenate(positions)
        bounds = np.cumsum([0] + [len(where) for where in positions])
        laid = scores[rows]
        here = np.exp(laid - laid.max(axis=1, keepdims=True))
        # Scaled forward-backward: every row is renormalised at each step, which
        # leaves the product alpha * beta proportional to the marginals.
        exp = self._exp_transitions
        alphas = np.empty_like(here)
        for t in range(len(positions)):
            a, b = bounds[t], bounds[t + 1]
            alpha = here[a:b] if t == 0 else (alphas[bounds[t - 1]:bounds[t - 1] + b - a] @ exp) * here[a:b]
            alphas[a:b] = alpha / alpha.sum(axis=1, keepdims=True)
        marginals = alphas  # each step's marginals take its alphas' place
        beta_next = None
        for t in range(len(positions) - 1, -1, -1):
            a, b = bounds[t], bounds[t + 1]
            beta = np.ones((b - a, len(self.labels)))
            if t + 1 < len(positions):
                after = bounds[t + 2] - bounds[t + 1]
                step = here[bounds[t + 1]:bounds[t + 2]] * beta_next
                beta[:after] = step @ exp.T
                beta[:after] /= beta[:after].sum(axis=1, keepdims=True)
            marginal = alphas[a:b] * beta
            marginals[a:b] = marginal / marginal.sum(axis=1, keepdims=True)
            beta_next = beta
        return rows, marginals


def _positions(starts: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
    """For each step t, the rows of word t of the sequences (longest first) that have one."""
    return [starts[:int(np.count_nonzero(lengths > t))] + t for t in range(int(lengths[0]))]
