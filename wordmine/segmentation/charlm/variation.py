"""Normalised variation of branching entropy (nVBE) as segmentation scores.

Magistry and Sagot, Unsupervised Word Segmentation: the case for Mandarin
Chinese, ACL 2012, https://aclanthology.org/P12-2075. The variation of an
n-gram's right branching entropy, H(next unit | x u) - H(next unit | x), is high
where a string looks complete; normalised per n-gram length, it scores the
boundary before each unit (:func:`boundary_scores`) and each proposed word
(:func:`autonomy`). The character model carries the normalised values of its
n-grams (:func:`normalised`), and these functions read them for a text.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from wordmine.segmentation.charlm.model import CharLM

Variations = list[tuple[np.ndarray, np.ndarray, np.ndarray] | None]


def variation_values(rows_by_order: list[np.ndarray], model: CharLM) -> Variations:
    """For each order, whether the k-gram ending at each unit is in the model, and its right and left variations.

    ``rows_by_order[k - 1]`` is the table row of the k-gram ending at each unit, -1
    where there is none; its variations are then 0 (the average). None for an
    order the model has no variations of.

    >>> from wordmine.segmentation.charlm.model import CharLM
    >>> m = CharLM(["", "a"], 8, [np.array([1], np.uint64)], [np.zeros(1)], [], -5.0, np.zeros((4, 4)),
    ...            right_variation=[np.array([2.0], np.float32)], left_variation=[np.array([-1.0], np.float32)])
    >>> [v.tolist() for v in variation_values([np.array([0, -1, 0])], m)[0]]
    [[True, False, True], [2.0, 0.0, 2.0], [-1.0, 0.0, -1.0]]
    """
    values: Variations = []
    for k, rows in enumerate(rows_by_order, start=1):
        if not len(model.right_variation[k - 1]):
            values.append(None)
            continue
        right, left = model.padded_variations(k)
        values.append((rows >= 0, right[rows], left[rows]))  # row -1 reads the padding 0
    return values


def autonomy(values: Variations, n: int, width: int = 4) -> np.ndarray:
    """a(w) = nVBE_left(w) + nVBE_right(w) of the k-gram ending at each unit, k = 1..width: an (n, width) array.

    The autonomy of Magistry and Sagot (2012), whose segmenter maximises the sum of
    a(w) |w| over the words. 0 (the average) where the model lacks the n-gram.

    >>> found = np.array([True, False])
    >>> autonomy([(found, np.array([2.0, 0.0]), np.array([-0.5, 0.0]))], 2).tolist()
    [[1.5, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]
    """
    # One row per length, returned transposed: each sum writes one contiguous vector, and
    # the products with a row of ``width`` weights that follow run over whole columns.
    out = np.zeros((width, n))
    for k, value in enumerate(values[:width], start=1):
        if value is not None:
            np.add(value[1], value[2], out=out[k - 1])
    return out.T


def boundary_scores(offsets: np.ndarray, values: Variations) -> np.ndarray:
    """The mean normalised variation of branching entropy at the boundary before each unit.

    A boundary before unit i has up to ``order`` n-grams ending just before it
    (their right variation speaks) and up to ``order`` starting at it (their left
    variation speaks); the score is the mean of those the model has, 0 where it
    has none and at the start of a run (always a word start). ``values`` as
    :func:`variation_values` gives them. Sums of shifted slices, not scattered
    indexes, so the cost is a few vectorised passes over the runs.

    >>> found = np.array([True, False, True])
    >>> a_q_a = [(found, np.where(found, 2.0, 0.0), np.where(found, -1.0, 0.0))]
    >>> boundary_scores(np.array([0, 1, 2]), a_q_a).tolist()  # a ? a: only the a's speak
    [0.0, 2.0, -1.0]
    >>> aa_aa = [(np.ones(4, bool), np.full(4, 2.0), np.full(4, -1.0))]
    >>> boundary_scores(np.array([0, 1, 0, 1]), aa_aa).tolist()  # aa, aa: (2 - 1) / 2
    [0.0, 0.5, 0.0, 0.5]
    """
    n = len(offsets)
    total, terms = np.zeros(n), np.zeros(n)
    for k, value in enumerate(values, start=1):
        if value is None or k > n:
            continue
        found, right, left = value
        total[1:] += right[:-1]  # the k-gram ending at unit i - 1
        terms[1:] += found[:-1]
        total[: n - k + 1] += left[k - 1 :]  # the k-gram starting at unit i (ending at i + k - 1)
        terms[: n - k + 1] += found[k - 1 :]
    score = np.divide(total, terms, out=np.zeros(n), where=terms > 0)
    score[offsets == 0] = 0.0
    return score


def normalised(values: np.ndarray, occurrences: np.ndarray) -> np.ndarray:
    """(v - mean) / standard deviation, both over the occurrences of the n-grams (as ``float32``).

    Weighting by occurrences (not by distinct n-grams) makes the scores average
    0 over the running text, so the bonus leaves the number of words about where
    the transition weights put it (per distinct n-gram, it splits far more, and
    scored lower on three of the four gold sets; figures: docs/notes/). Values that are all NaN (an order whose entropy the
    counts do not give) become an empty array.

    >>> [round(float(z), 3) for z in normalised(np.array([1.0, 3.0]), np.array([3.0, 1.0]))]
    [-0.577, 1.732]
    >>> len(normalised(np.full(2, np.nan), np.ones(2)))
    0
    """
    if not len(values) or np.isnan(values).all():
        return np.zeros(0, np.float32)
    mean = np.average(values, weights=occurrences)
    sd = math.sqrt(np.average((values - mean) ** 2, weights=occurrences))
    return ((values - mean) / sd if sd > 0 else np.zeros(len(values))).astype(np.float32)
