"""Interpolated Kneser-Ney character probabilities over the corpus counts, in backoff form.

For every n-gram of the table (orders 1..4) its interpolated log probability,
and for every n-gram below the top order its log backoff weight, the weight the
next order down gets after it as a context. p(w | h) for an n-gram the table
lacks is then backoff(h) * p(w | h minus its first unit), as in an ARPA file.

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> corpus = count_text(["甲乙甲乙丙"], CountConfig(order=1, jobs=1))
>>> keys, log_prob, backoff, unknown = kneser_ney(corpus, 2)
>>> round(float(np.exp(log_prob[0]).sum() + np.exp(unknown)), 9)  # order 1: units + unknown
1.0
"""

from __future__ import annotations

import math

import numpy as np

from wordmine.counting.table.corpus import Corpus, LearningCorpus
from wordmine.counting.table.ngrams import NgramTable


def kneser_ney(corpus: Corpus, order: int) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], float]:
    """Interpolated Kneser-Ney over the corpus counts, in backoff form.

    The highest order uses raw counts; a lower-order n-gram uses the number of
    distinct units seen before it, a run boundary counting as one more (as
    KenLM counts <s>). Each order has one discount D = n1 / (n1 + 2 n2) of those
    counts. p(w|h) = max(a(hw) - D, 0) / a(h.) + D N(h.) / a(h.) p(w|h'); order 1
    interpolates with the uniform distribution over the units and one unknown.
    """
    table = corpus.counts
    adjusted = [table.counts[k - 1].astype(np.float64) for k in range(1, order + 1)]
    starts = _run_start_ngrams(corpus, order)
    # Pruned counts (see wordmine.counting.reducers.learning) bring the continuation counts and
    # counts of counts of the whole stream: the kept table alone would undercount both.
    stats = corpus.learning if isinstance(corpus, LearningCorpus) else None
    discounts = [0.0] * order
    for k in range(1, order):
        if stats is None:
            rows = table.decode(k + 1, np.arange(len(table.keys[k])))
            suffix = table.index(k, rows[:, 1:])
            continuation = np.bincount(suffix[suffix >= 0], minlength=len(table.keys[k - 1])).astype(np.float64)
        else:
            continuation = stats.continuation[k].astype(np.float64)
        before = continuation[starts[k - 1]]
        continuation[starts[k - 1]] += 1.0
        adjusted[k - 1] = continuation
        if stats is not None:
            discounts[k - 1] = _discount_of(*_started(stats.counts_of_counts[k], before))
        else:
            discounts[k - 1] = _discount(continuation)
    discounts[order - 1] = (_discount(adjusted[order - 1]) if stats is None
                            else _discount_of(*stats.counts_of_counts[order]))
    log_prob, backoff = [], []
    # Order 1.
    a = adjusted[0]
    discount = discounts[0]
    vocab_size = len(a) + 1
    gamma = discount * np.count_nonzero(a) / a.sum() if a.sum() else 1.0
    prob = np.maximum(a - discount, 0) / max(a.sum(), 1.0) + gamma / vocab_size
    log_prob.append(np.log(prob))
    unknown = float(np.log(gamma / vocab_size))
    for k in range(2, order + 1):
        a = adjusted[k - 1]
        discount = discounts[k - 1]
        context = table.prefix_rows(k)
        n_context = len(table.keys[k - 2])
        total = np.bincount(context, weights=a, minlength=n_context)
        distinct = np.bincount(context, weights=(a > 0).astype(float), minlength=n_context)
        with np.errstate(divide="ignore", invalid="ignore"):
            gamma = np.where(total > 0, discount * distinct / total, 1.0)
        grams = table.decode(k, np.arange(len(a)))
        suffix = table.index(k - 1, grams[:, 1:])
        lower = _lower_prob(table, log_prob, backoff, grams[:, 1:], suffix, unknown)
        prob = np.maximum(a - discount, 0) / np.maximum(total[context], 1e-300) + gamma[context] * lower
        log_prob.append(np.log(prob))
        backoff.append(np.log(gamma))
    keys = [table.keys[k - 1] for k in range(1, order + 1)]
    return keys, log_prob, backoff, unknown


def _lower_prob(table: NgramTable, log_prob: list[np.ndarray], backoff: list[np.ndarray],
                grams: np.ndarray, rows: np.ndarray, unknown: float) -> np.ndarray:
    """p(last unit | the units before it) of each row of ``grams``, backing off where unseen.

    The suffix of a counted n-gram is always counted, so ``rows`` is never -1 here;
    the backoff branch keeps the function honest for other callers.
    """
    k = grams.shape[1]
    found = rows >= 0
    out = np.empty(len(grams))
    out[found] = np.exp(log_prob[k - 1][rows[found]])
    if (~found).any():
        if k == 1:
            out[~found] = math.exp(unknown)
        else:
            missing = grams[~found]
            context = table.index(k - 1, missing[:, :-1])
            weight = np.where(context >= 0, np.exp(backoff[k - 2][np.maximum(context, 0)]), 1.0)
            below = table.index(k - 1, missing[:, 1:])
            out[~found] = weight * _lower_prob(table, log_prob, backoff, missing[:, 1:], below, unknown)
    return out


#: Units of the corpus scanned at a time for the n-grams that begin runs.
RUN_START_WINDOW = 1 << 22


def _discount(adjusted: np.ndarray) -> float:
    """D = n1 / (n1 + 2 n2) of the counts, kept inside (0.1, 0.9) for tiny corpora."""
    return _discount_of(int(np.count_nonzero(adjusted == 1)), int(np.count_nonzero(adjusted == 2)))


def _discount_of(n1: int, n2: int) -> float:
    """D = n1 / (n1 + 2 n2), kept inside (0.1, 0.9) for tiny corpora.

    >>> _discount_of(60, 20), _discount_of(0, 0)
    (0.6, 0.5)
    """
    return float(np.clip(n1 / (n1 + 2 * n2), 0.1, 0.9)) if n1 + n2 else 0.5


def _started(counts_of_counts: tuple[int, int], before: np.ndarray) -> tuple[int, int]:
    """n1, n2 of continuation counts once the kept n-grams that begin a run have one more.

    ``before``: the continuation counts of those n-grams without it. A pruned n-gram that
    begins a run is not known here and keeps its count: the one approximation of n1, n2.

    >>> _started((10, 5), np.array([0.0, 1.0, 2.0, 7.0]))  # 0 -> 1, 1 -> 2, 2 -> 3
    (10, 5)
    """
    n1, n2 = counts_of_counts
    n1 += int(np.count_nonzero(before == 0)) - int(np.count_nonzero(before == 1))
    n2 += int(np.count_nonzero(before == 1)) - int(np.count_nonzero(before == 2))
    return n1, n2


def _run_start_ngrams(corpus: Corpus, order: int) -> list[np.ndarray]:
    """For orders 1..order - 1, the table rows of the n-grams that begin a run."""
    found: list[list[np.ndarray]] = [[] for _ in range(1, order)]
    # A window at a time: windows end at boundaries, so each run lies in one window.
    for window in corpus.stream.windows(RUN_START_WINDOW):
        padded = np.concatenate([[0], window.astype(np.int64), np.zeros(order, np.int64)])
        begins = np.flatnonzero((padded[:-1] == 0) & (padded[1:] != 0))  # index in padded of each run's first unit
        for k in range(1, order):
            whole = np.ones(len(begins), bool)
            for j in range(k):
                whole &= padded[np.minimum(begins + 1 + j, len(padded) - 1)] != 0
            at = begins[whole] + 1
            grams = np.stack([padded[at + j] for j in range(k)], axis=1) if len(at) else np.zeros((0, k), np.int64)
            rows = corpus.counts.index(k, grams)
            found[k - 1].append(np.unique(rows[rows >= 0]))
    return [np.unique(np.concatenate(rows)) if rows else np.zeros(0, np.int64) for rows in found]


def prune(counts: NgramTable, keys: list[np.ndarray], log_prob: list[np.ndarray], backoff: list[np.ndarray],
          min_count: int, per_ngram: tuple[list[np.ndarray], ...] = ()) -> None:
    """Drop the n-grams of order 3 and up seen fewer than ``min_count`` times (in place).

    They score by backing off instead. Each list of ``per_ngram`` (one array per
    order, aligned with ``keys``) loses the same rows. An n-gram is never seen more often than its
    prefix, so the table stays closed under prefixes; chained keys (which hold their
    prefix's row) are renumbered after their prefixes.
    """
    renumber = None
    bits = np.uint64(counts.bits)
    for k in range(3, len(keys) + 1):
        keep = counts.counts[k - 1] >= min_count
        if renumber is not None and not counts.is_packed(k):
            prefix = (keys[k - 1] >> bits).astype(np.int64)
            keys[k - 1] = (renumber[prefix].astype(np.uint64) << bits) | (keys[k - 1] & np.uint64((1 << counts.bits) - 1))
        renumber = np.cumsum(keep) - 1
        keys[k - 1], log_prob[k - 1] = keys[k - 1][keep], log_prob[k - 1][keep]
        for values in per_ngram:
            values[k - 1] = values[k - 1][keep]
        if k - 1 < len(backoff):
            backoff[k - 1] = backoff[k - 1][keep]
