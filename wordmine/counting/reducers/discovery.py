"""Pruned count tables: what discovery needs of the long tail, computed as it streams past.

Discovery only reports words seen at least ``min_count`` times (63 at 100 M
units), yet most distinct n-grams of real text are seen once or twice. The
tail is needed for one thing only, the boundary entropies of the n-grams that
are kept. Every substring of an n-gram occurs at least as often as the
n-gram, so the kept n-grams are closed under substrings: cohesion, which
splits a kept n-gram into two parts, finds both parts among the kept ones.

The merged partitions of :func:`wordmine.counting.spill.runs.merged_partitions` come in key order.
For each, the n-grams of orders 1..n with count >= ``min_count`` are kept (all
single units are), and before the rest is dropped:

- *right entropy* of each n-gram of order k, H = ln N(w) - sum_a c(wa) ln c(wa) / N(w),
  sums over its extensions wa, which begin with the same unit and so lie in
  the same partition, next to each other;
- *left entropy* sums over the extensions aw, which lie in other partitions.
  An extension seen once adds 1 ln 1 = 0, so only extensions seen twice or
  more are written out, to a file of (suffix, c ln c) per order; once every
  partition is through, the file is read back in blocks and each term added
  to its suffix, if that suffix is kept.

Both sums are added in the row order of the unpruned table, as
:func:`wordmine.mining.scoring.boundary_entropy` adds them, so the entropies are the
same floating-point numbers, not just close ones (the formulas are those of
:mod:`wordmine.counting.table.stats`).

Worked example: in 天天向上，天天 with min count 2, only 天 and 天天 reach
it, and 天天's entropies are those the unpruned table gives (ln 2 on each side).

>>> import tempfile
>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> from wordmine.counting.spill.runs import Partition
>>> corpus = count_text(["天天向上，天天"], CountConfig(order=2, jobs=1))
>>> scratch = tempfile.TemporaryDirectory()
>>> pruned = prune([Partition((0, 99), corpus.counts)], 2, 2, scratch.name)
>>> pruned.counts.counts[1].tolist(), [round(float(h[0]), 3) for h in pruned.entropy[2]]
([2], [0.693, 0.693])
>>> scratch.cleanup()
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from wordmine.config import auto_min_count
from wordmine.counting.reducers.reduced import Reduced
from wordmine.counting.spill.runs import Partition, concatenate
from wordmine.counting.table.ngrams import U64, NgramTable, mask
from wordmine.counting.table.stats import LeftTerms, branching_entropy, suffix_keys, sum_c_log_c


@dataclass
class FrequentNgrams:
    """Counts of orders 1..n at or above ``min_count`` (every unit kept), and their entropies.

    ``entropy[k]`` is (left, right), aligned with the rows of order k.
    """

    counts: NgramTable
    entropy: dict[int, tuple[np.ndarray, np.ndarray]]
    min_count: int


def prune(partitions: Iterable[Partition], order: int, min_count: int, folder: str) -> FrequentNgrams:
    """Keep orders 1..``order`` at ``min_count`` or more; entropies from the whole tables.

    ``partitions`` must hold orders up to ``order + 1`` and come in key order.
    """
    terms = {k: LeftTerms(folder, k) for k in range(1, order + 1)}
    try:
        kept: list[NgramTable] = []
        right: dict[int, list[np.ndarray]] = {k: [] for k in range(1, order + 1)}
        for part in partitions:
            out, part_right, part_terms = prune_partition(part.table, order, min_count)
            for k in range(1, order + 1):
                right[k].append(part_right[k])
                terms[k].add(*part_terms[k])
            kept.append(out)
        counts = concatenate(kept) if kept else NgramTable.empty(16, order)
        entropy = {}
        for k in range(1, order + 1):
            n_w = counts.counts[k - 1]
            left = branching_entropy(n_w, terms[k].sums(counts))
            entropy[k] = (left, np.concatenate(right[k]) if right[k] else np.zeros(0))
        return FrequentNgrams(counts, entropy, min_count)
    finally:
        for t in terms.values():
            t.close()


def prune_partition(table: NgramTable, order: int, min_count: int) -> tuple[
        NgramTable, dict[int, np.ndarray], dict[int, tuple[np.ndarray, np.ndarray]]]:
    """One partition of :func:`prune`: its kept rows, their right entropy, and its left terms.

    Returns the kept table (a table in itself, like the partition), the right
    entropy of its rows of each order k, and for each k the extensions of
    order k + 1 seen twice or more as (suffix, count): their c ln c belongs to
    the left sum of the suffix, which may lie in any partition.
    """
    if table.max_order <= order:
        raise ValueError(f"pruning to order {order} needs counts of order {order + 1}")
    # Every unit, and the n-grams seen min_count times or more: a kept n-gram's prefix is kept too.
    keep = [np.ones(len(table.counts[0]), bool)] + [table.counts[k - 1] >= min_count for k in range(2, order + 1)]
    right: dict[int, np.ndarray] = {}
    terms: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k in range(1, order + 1):
        counts, child = table.counts[k - 1], table.counts[k]
        rows = np.flatnonzero(keep[k - 1])
        sums = sum_c_log_c(child, table.prefix_rows(k + 1), len(counts))
        right[k] = branching_entropy(counts[rows], sums[rows])
        repeated = np.flatnonzero(child >= 2)
        terms[k] = (suffix_keys(table, k + 1, repeated), child[repeated])
    return select(table, keep), right, terms


def select(table: NgramTable, keep: list[np.ndarray]) -> NgramTable:
    """The rows of ``table`` where ``keep[k - 1]`` is True, orders 1..len(keep); chained keys re-based.

    ``keep`` must be closed under prefixes (a kept n-gram's prefix is kept).
    """
    out = NgramTable(table.bits)
    new_row = None
    for k, wanted in enumerate(keep, start=1):
        rows = np.flatnonzero(wanted)
        keys = table.keys[k - 1][rows]
        if not table.is_packed(k):
            prefix = new_row[(keys >> U64(table.bits)).astype(np.int64)]
            keys = (prefix.astype(U64) << U64(table.bits)) | (keys & mask(table.bits))
        new_row = np.cumsum(wanted) - 1
        out.keys.append(keys)
        out.counts.append(table.counts[k - 1][rows])
    return out


@dataclass(frozen=True)
class DiscoveryPruning:
    """Keep what discovery at ``min_count`` needs (None: its default for the corpus' size)."""

    order: int
    min_count: int | None = None

    def __call__(self, partitions: Iterable[Partition], units: int, folder: str) -> Reduced:
        min_count = self.min_count or auto_min_count(units)
        pruned = prune(partitions, self.order, min_count, folder)
        return Reduced(pruned.counts, min_count, pruned.entropy)
