"""Cohesion and boundary entropy, vectorised over the count tables.

Worked example on the corpus 天天向上，天天 (T = 6 units, N(天天) = 2,
N(天) = 4):

    coh(天天) = ln(T * N(天天) / (N(天) * N(天))) = ln(6 * 2 / 16) = -0.288

天天 is followed once by 向 and once by the end of the text. A text boundary
counts as a distinct neighbour each time, so the right neighbours are
{向: 1, <end>: 1} and H_right = ln 2 = 0.693; on the left both occurrences
touch a boundary, which also gives ln 2.

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> corpus = count_text(["天天向上，天天"], CountConfig(order=2, jobs=1))
>>> tian = corpus.vocab.get("天")
>>> rows = corpus.counts.index(2, np.array([[tian, tian]]))
>>> round(float(cohesion(corpus.counts, 2, corpus.counts.decode(2, rows))[0]), 3)
-0.288
>>> left, right = boundary_entropy(corpus.counts, 2)
>>> round(float(left[rows][0]), 3), round(float(right[rows][0]), 3)
(0.693, 0.693)

All logarithms are natural, and the same T serves every order, so scores of
different lengths compare. The entropy formulas themselves are those of
:mod:`wordmine.counting.table.stats`, which the pruning reducers share.
"""

from __future__ import annotations

import numpy as np

from wordmine.counting.table.ngrams import NgramTable
from wordmine.counting.table.stats import branching_entropy, suffix_rows, sum_c_log_c


def cohesion(counts: NgramTable, order: int, units: np.ndarray) -> np.ndarray:
    """Weakest-split PMI of each n-gram (rows of ``units``), from exact counts.

    An n-gram that is not in the table gets ``-inf``.
    """
    units = np.asarray(units).reshape(-1, order)
    whole = counts.lookup(order, units).astype(np.float64)
    log_total = np.log(max(counts.total, 1))
    best = np.full(len(units), np.inf)
    with np.errstate(divide="ignore"):
        log_whole = np.log(whole)
        for split in range(1, order):
            left = counts.lookup(split, units[:, :split]).astype(np.float64)
            right = counts.lookup(order - split, units[:, split:]).astype(np.float64)
            best = np.minimum(best, log_total + log_whole - np.log(left) - np.log(right))
    best[whole == 0] = -np.inf
    return best


def boundary_entropy(counts: NgramTable, order: int) -> tuple[np.ndarray, np.ndarray]:
    """Left and right boundary entropy of every n-gram of ``order`` (< max order).

    With N(w) occurrences and c_a the count of neighbour a, H = ln N(w) - sum
    c_a ln c_a / N(w): the occurrences at a text boundary are in N(w) but add
    nothing to the sum, which is exactly "a distinct neighbour each time".
    """
    if order >= counts.max_order:
        raise ValueError(f"entropy of order {order} needs counts of order {order + 1}")
    n_w = counts.counts[order - 1]
    child = counts.counts[order]
    right_sum = sum_c_log_c(child, counts.prefix_rows(order + 1), len(n_w))
    left_sum = sum_c_log_c(child, suffix_rows(counts, order + 1), len(n_w))
    return branching_entropy(n_w, left_sum), branching_entropy(n_w, right_sum)


def entropy_of_occurrences(
    word_ids: np.ndarray, neighbours: np.ndarray, n_words: int
) -> np.ndarray:
    """Entropy of the neighbours seen at each occurrence of each word.

    ``word_ids[i]`` is the word of occurrence i and ``neighbours[i]`` the unit
    beside it (0 = a text boundary, a distinct neighbour every time).

    >>> entropy_of_occurrences(np.array([0, 0, 0, 1]), np.array([5, 5, 0, 7]), 2).round(3).tolist()
    [0.637, 0.0]
    """
    totals = np.bincount(word_ids, minlength=n_words).astype(np.float64)
    real = neighbours != 0
    pairs = (word_ids[real].astype(np.int64) << 32) | neighbours[real].astype(np.int64)
    distinct, pair_counts = np.unique(pairs, return_counts=True)
    sums = sum_c_log_c(pair_counts, (distinct >> 32).astype(np.int64), n_words)
    return branching_entropy(totals, sums)


def entropy_variation(counts: NgramTable, order: int,
                      entropy: dict[int, tuple[np.ndarray, np.ndarray]] | None = None
                      ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Variation of branching entropy (VBE) of every n-gram of orders 1..``order``.

    Right: VBE_r(x) = H_right(x) - H_right(x minus its last unit); left:
    VBE_l(x) = H_left(x) - H_left(x minus its first unit) (Magistry and Sagot,
    ACL 2012). The entropy of the unit after a string rises where the string
    has just completed a word (社会主 -> 社会主义) and falls inside one; for
    one unit the shorter string is the empty one, whose entropy is that of the
    unit distribution. Returns two lists indexed by order - 1, aligned with the
    table's rows; ``order`` is at most the table's, and its top order (whose
    entropy needs counts one above it) is all NaN.

    >>> from wordmine.config import CountConfig
    >>> from wordmine.counting.engine.counter import count_text
    >>> corpus = count_text(["天天向上，天天"], CountConfig(order=2, jobs=1))
    >>> right, left = entropy_variation(corpus.counts, 3)
    >>> row = corpus.counts.index(2, np.array([[corpus.vocab.get("天")] * 2]))
    >>> [round(float(v[1][row][0]), 3) for v in (right, left)]
    [-0.347, -0.347]

    天天 has H = ln 2 on both sides; 天 is followed by 天 twice, 向 once and the end
    once (preceded by 天 twice, ， once and the start once), so H(天) = ln 4 -
    2 ln 2 / 4 = 1.040 on both sides, and both variations are 0.693 - 1.040.

    >>> bool(np.isnan(right[2]).all())  # order 3 needs counts of order 4
    True

    ``entropy`` (left, right per order, as a pruned corpus holds them, computed before its
    tail was dropped) replaces the entropies the table can no longer give.
    """
    unit_counts = counts.counts[0].astype(np.float64)
    share = unit_counts[unit_counts > 0] / max(unit_counts.sum(), 1.0)
    shorter_left = shorter_right = np.array([float(-(share * np.log(share)).sum())])
    right: list[np.ndarray] = []
    left: list[np.ndarray] = []
    for k in range(1, order + 1):
        if entropy and k in entropy:
            h_left, h_right = entropy[k]
        elif k >= counts.max_order:
            right.append(np.full(len(counts.keys[k - 1]), np.nan))
            left.append(right[-1].copy())
            continue
        else:
            h_left, h_right = boundary_entropy(counts, k)
        if k == 1:
            prefix = suffix = np.zeros(len(h_left), np.int64)
        else:
            prefix, suffix = counts.prefix_rows(k), suffix_rows(counts, k)
        right.append(h_right - shorter_right[prefix])
        left.append(h_left - shorter_left[suffix])
        shorter_left, shorter_right = h_left, h_right
    return right, left
