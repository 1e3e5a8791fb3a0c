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

from collections.abc import Iterable
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
        rows = [r for r in map(self.index.get, features) if r is not None]
        return self.weights[rows].sum(axis=0) if rows else np.zeros(len(self.labels))

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
            wanted = np.array([bool((labels[s:s + n] != marginals_unless).any()) for s, n in zip(starts, lengths, strict=True)])
            if not wanted.any():
                return labels, probabilities
            positions = _positions(starts[wanted], lengths[wanted])
        for where, marginal in self._marginals(scores, positions):
            probabilities[where] = marginal[np.arange(len(where)), labels[where]]
        return labels, probabilities

    def marginals(self, scores: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Each word's marginal probability of each label (a row per row of ``scores``), in the
        sequences ``scores[start:start + length]``; rows outside them are 0."""
        out = np.zeros_like(scores)
        keep = lengths > 0
        if keep.any():
            order = np.argsort(-lengths[keep], kind="stable")
            for where, marginal in self._marginals(scores, _positions(starts[keep][order], lengths[keep][order])):
                out[where] = marginal
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

    def _marginals(self, scores, positions):
        """``(rows, marginals of each label)`` of each step of ``positions``, last step first."""
        # Scaled forward-backward: every row is renormalised at each step, which
        # leaves the product alpha * beta proportional to the marginals.
        exp = self._exp_transitions
        alphas = []
        alpha = None
        for t, where in enumerate(positions):
            here = np.exp(scores[where] - scores[where].max(axis=1, keepdims=True))
            alpha = here if t == 0 else (alpha[:len(where)] @ exp) * here
            alpha /= alpha.sum(axis=1, keepdims=True)
            alphas.append(alpha)
        beta_next = None
        for t in range(len(positions) - 1, -1, -1):
            where = positions[t]
            beta = np.ones((len(where), len(self.labels)))
            if t + 1 < len(positions):
                after = positions[t + 1]
                nxt = scores[after]
                step = np.exp(nxt - nxt.max(axis=1, keepdims=True)) * beta_next
                beta[:len(after)] = step @ exp.T
                beta[:len(after)] /= beta[:len(after)].sum(axis=1, keepdims=True)
            marginal = alphas[t] * beta
            marginal /= marginal.sum(axis=1, keepdims=True)
            yield where, marginal
            beta_next = beta


def _positions(starts: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
    """For each step t, the rows of word t of the sequences (longest first) that have one."""
    return [starts[:int(np.count_nonzero(lengths > t))] + t for t in range(int(lengths[0]))]
