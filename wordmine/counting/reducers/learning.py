"""What learning a segmenter keeps of the merged counts: the whole table if it fits, else a pruned one.

The character model of ``learn`` (interpolated Kneser-Ney of order 4 and the
normalised variation of branching entropy, nVBE) reads, of every n-gram of
orders 1..4: its count, the number of distinct units seen before it (its
*continuation count*, Kneser and Ney 1995), the counts of counts that set
each order's discount (Chen and Goodman, An Empirical Study of Smoothing
Techniques for Language Modeling, 1998, https://dash.harvard.edu/handle/1/25104739)
and its left and right branching entropy. On text whose distinct n-grams
outgrow the budget, :class:`LearningPruning` keeps only the n-grams seen at
least ``t`` times, as KenLM and SRILM prune a model (Heafield et al., Scalable
Modified Kneser-Ney Language Model Estimation, 2013,
https://aclanthology.org/P13-2121), with those figures computed from the full
stream before the tail is dropped:

- counts, and left and right entropies, exactly as :mod:`wordmine.counting.reducers.discovery`
  computes them for discovery;
- continuation counts: every n-gram aw of order k + 1 adds one to its suffix w.
  The suffixes lie in other partitions, so they go to bucket files on disk
  (by a hash of w); once every partition is through, each bucket is small
  enough to count with one ``np.unique``, which gives the continuation count of
  every w, kept or not;
- counts of counts n1, n2 of those continuation counts (and of the raw counts
  of order 4, the top order), from the same buckets, for the discounts
  D = n1 / (n1 + 2 n2).

The threshold ``t`` is 2 if every n-gram seen twice fits the budget, else the
least count that leaves at most half of it; on the way it rises whenever the
kept rows outgrow the budget (kept n-grams are re-filtered; their figures are
exact whatever ``t``), never past the final one, so the result does not depend
on how the runs were cut into ranges. Counts of a substring are never lower
than the n-gram's, so the kept table stays closed under prefixes and suffixes,
as backoff needs.

When the whole table fits in ``budget`` bytes, nothing is pruned: the result is
the table :func:`wordmine.counting.reducers.reduced.whole_table` gives, and the learned
model is byte for byte the one learned without a budget.

>>> import tempfile
>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> from wordmine.counting.spill.runs import Partition
>>> corpus = count_text(["天天向上，天天\\n"], CountConfig(order=4, jobs=1))
>>> scratch = tempfile.TemporaryDirectory()
>>> whole = LearningPruning(order=4, budget=1 << 20)([Partition((0, 99), corpus.counts)], 7, scratch.name)
>>> whole.pruned_at is None, whole.counts.max_order
(True, 5)
>>> corpus = count_text(["天天向上，天天\\n"], CountConfig(order=4, jobs=1))
>>> pruned = LearningPruning(order=4, budget=100)([Partition((0, 99), corpus.counts)], 7, scratch.name)
>>> pruned.pruned_at, pruned.counts.counts[1].tolist(), pruned.learning.continuation[1].tolist()
(2, [2], [1, 1, 1])
>>> scratch.cleanup()

The table (144 bytes) outgrows a 100-byte budget: 天天 is the one pair seen
twice and kept. ， is a boundary, not a unit; 天 follows only 天, 向 only 天, 上
only 向, so each unit has one distinct unit before it (the starts of the two
runs are added later, from the text).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from wordmine.budget import pruned_bytes
from wordmine.counting.reducers.discovery import select
from wordmine.counting.reducers.reduced import Reduced
from wordmine.counting.spill.runs import Partition, concatenate
from wordmine.counting.table.corpus import LearningStats
from wordmine.counting.table.ngrams import U64, NgramTable
from wordmine.counting.table.stats import LeftTerms, branching_entropy, suffix_keys, sum_c_log_c

#: Bytes a kept row costs while the stream passes: key, count and right entropy sum.
KEPT_ROW_BYTES = 24
#: Rows of a bucket file read at once by np.unique: about 8 bytes a key, a few copies while sorting.
BUCKET_ROWS = 1 << 22
_GOLDEN = U64(0x9E3779B97F4A7C15)


class _SuffixBuckets:
    """The suffix of every n-gram of one order, spread over bucket files by a hash of the suffix."""

    def __init__(self, folder: str, order: int, buckets: int) -> None:
        self.paths = [os.path.join(folder, f"suffix{order}-{b}.bin") for b in range(buckets)]
        self.handles = [open(p, "wb") for p in self.paths]  # noqa: SIM115 - closed in counts()
        self.width = 0

    def add(self, suffix: np.ndarray) -> None:
        """``suffix``: packed keys, or rows of unit ids (a chained order)."""
        if not len(suffix):
            return
        rows = suffix.reshape(len(suffix), -1).astype(U64)
        self.width = rows.shape[1]
        digest = rows[:, 0] * _GOLDEN
        for j in range(1, rows.shape[1]):
            digest = (digest ^ rows[:, j]) * _GOLDEN
        which = (digest >> U64(40)).astype(np.int64) % len(self.handles)
        order = np.argsort(which, kind="stable")
        bounds = np.searchsorted(which[order], np.arange(len(self.handles) + 1))
        for b, handle in enumerate(self.handles):
            if bounds[b + 1] > bounds[b]:
                rows[order[bounds[b] : bounds[b + 1]]].tofile(handle)

    def counts(self, table: NgramTable, order: int) -> tuple[np.ndarray, int, int]:
        """Continuation count of every row of ``table``'s ``order``, and n1, n2 over every suffix seen."""
        for handle in self.handles:
            handle.close()
        out = np.zeros(len(table.keys[order - 1]), np.int64)
        n1 = n2 = 0
        for path in self.paths:
            rows = np.fromfile(path, np.uint64).reshape(-1, max(self.width, 1))
            os.unlink(path)
            if not len(rows):
                continue
            unique, times = np.unique(rows if rows.shape[1] > 1 else rows[:, 0], axis=0 if rows.shape[1] > 1
                                      else None, return_counts=True)
            n1 += int(np.count_nonzero(times == 1))
            n2 += int(np.count_nonzero(times == 2))
            found = (table.find(order, unique) if unique.ndim == 1
                     else table.index(order, unique.astype(np.int64)))
            hit = found >= 0
            out[found[hit]] = times[hit]
        return out, n1, n2

    def close(self) -> None:
        for handle, path in zip(self.handles, self.paths):
            if not handle.closed:
                handle.close()
            if os.path.exists(path):
                os.unlink(path)


def _at_least(table: NgramTable, order: int, threshold: int) -> list[np.ndarray]:
    return [np.ones(len(table.counts[0]), bool)] + [table.counts[k - 1] >= threshold for k in range(2, order + 1)]


@dataclass(frozen=True)
class LearningPruning:
    """Keep the whole table if it takes at most ``budget`` bytes, else what learning needs (orders 1..order).

    ``budget``: ``MemoryPlan.learning_table`` (``learning_reducer``); pruned rows aim at
    :func:`~wordmine.budget.pruned_bytes` of it.

    A :data:`~wordmine.counting.reducers.reduced.TableReducer`.
    """

    order: int
    budget: int

    def __call__(self, partitions: Iterable[Partition], units: int, folder: str) -> Reduced:
        held: list[Partition] = []
        size = 0
        stream = iter(partitions)
        for part in stream:
            held.append(part)
            size += part.table.nbytes
            if size > self.budget:
                return self._pruned(_chain(held, stream), units, folder)
        if not held:
            raise ValueError("no partitions to reduce")
        tables = [p.table for p in held]
        return Reduced(tables[0] if len(tables) == 1 else concatenate(tables))

    def _pruned(self, partitions: Iterator[Partition], units: int, folder: str) -> Reduced:
        order = self.order
        # Enough buckets that one of the largest order's suffixes fits np.unique's working set.
        buckets = max(1, -(-units // BUCKET_ROWS))
        terms = {k: LeftTerms(folder, k) for k in range(1, order + 1)}
        suffixes = {k: _SuffixBuckets(folder, k, buckets) for k in range(1, order)}
        try:
            threshold = 2
            kept: list[NgramTable] = []
            right: list[dict[int, np.ndarray]] = []
            top_n1 = top_n2 = 0
            for part in partitions:
                table = part.table
                if table.max_order <= order:
                    raise ValueError(f"learning to order {order} needs counts of order {order + 1}")
                top = table.counts[order - 1]
                top_n1 += int(np.count_nonzero(top == 1))
                top_n2 += int(np.count_nonzero(top == 2))
                keep = _at_least(table, order, threshold)
                sums = {}
                for k in range(1, order + 1):
                    child = table.counts[k]
                    total = sum_c_log_c(child, table.prefix_rows(k + 1), len(table.counts[k - 1]))
                    sums[k] = total[keep[k - 1]]
                    repeated = np.flatnonzero(child >= 2)
                    terms[k].add(suffix_keys(table, k + 1, repeated), child[repeated])
                    if k < order:
                        suffixes[k].add(suffix_keys(table, k + 1, np.arange(len(child))))
                kept.append(select(table, keep))
                right.append(sums)
                del table, part  # the merged partition is done with
                threshold = self._refilter(kept, right, threshold)
            threshold = self._refilter(kept, right, threshold, final=True)
            counts = concatenate(kept) if kept else NgramTable.empty(16, order)
            stats = LearningStats()
            entropy = {}
            for k in range(1, order + 1):
                n_w = counts.counts[k - 1]
                left = branching_entropy(n_w, terms[k].sums(counts))
                entropy[k] = (left, branching_entropy(n_w, np.concatenate([r[k] for r in right]) if right else np.zeros(0)))
                if k < order:
                    continuation, n1, n2 = suffixes[k].counts(counts, k)
                    stats.continuation[k] = continuation
                    stats.counts_of_counts[k] = (n1, n2)
            stats.counts_of_counts[order] = (top_n1, top_n2)
            return Reduced(counts, threshold, entropy, stats)
        finally:
            for t in terms.values():
                t.close()
            for s in suffixes.values():
                s.close()

    def _refilter(self, kept: list[NgramTable], right: list[dict[int, np.ndarray]], threshold: int,
                  final: bool = False) -> int:
        """Raise the threshold while the kept rows outgrow the budget; the kept tables re-filtered in place.

        Which ranges have passed when the check runs depends on how the runs were cut, so the
        threshold of the end is set from the whole table alone: 2 if every n-gram seen twice fits
        the budget, else the least count that leaves at most half of it. The thresholds on the way
        are never above that one (they see fewer rows at every count), and every row at or above it
        is still kept: the model does not depend on the cut.
        """
        rows = sum(len(c) for t in kept for c in t.counts)
        units = sum(len(t.counts[0]) for t in kept)
        if rows * KEPT_ROW_BYTES <= self.budget and (threshold == 2 or not final):
            return threshold
        counts = np.concatenate([c for t in kept for c in t.counts[1:]])
        new = least_threshold(counts, units, pruned_bytes(self.budget) // KEPT_ROW_BYTES, threshold)
        if new == threshold:
            return threshold
        for i, table in enumerate(kept):
            keep = _at_least(table, self.order, new)
            right[i] = {k: v[keep[k - 1]] for k, v in right[i].items()}
            kept[i] = select(table, keep)
        return new


def least_threshold(counts: np.ndarray, units: int, rows: int, floor: int) -> int:
    """The least count t >= ``floor`` at which ``units`` + the ``counts`` >= t make at most ``rows`` rows.

    >>> least_threshold(np.array([9, 5, 5, 3, 2]), 2, 4, 2)  # two units, room for two more rows
    6
    >>> least_threshold(np.array([9, 5, 5, 3, 2]), 2, 9, 2)
    2
    """
    allowed = max(0, rows - units)
    if allowed >= len(counts):
        return floor
    largest = -np.partition(-counts, allowed)[allowed]  # the (allowed + 1)-th largest count
    return max(floor, int(largest) + 1)


def _chain(held: list[Partition], rest: Iterator[Partition]) -> Iterator[Partition]:
    while held:
        yield held.pop(0)  # handed on, and no longer held here
    yield from rest
