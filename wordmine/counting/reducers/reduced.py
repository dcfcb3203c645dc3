"""What a reducer keeps of the merged count table, and the reducer that keeps all of it.

A reducer is called once, after counting, with the merged table as partitions
(ranges of first units, in order): reduce(partitions, units, folder). It
returns a :class:`Reduced`, whose fields become the counted corpus' fields.

>>> from wordmine.counting.table.ngrams import NgramCounts
>>> table = NgramCounts.empty(bits=8, max_order=2)
>>> kept = whole_table([Partition((0, 256), table)], units=0, folder=".")
>>> kept.counts is table, kept.pruned_at
(True, None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wordmine.counting.spill.runs import Partition, concatenate
from wordmine.counting.table.ngrams import NgramCounts


@dataclass
class Reduced:
    """What a :data:`TableReducer` keeps of the merged table (the fields of :class:`Corpus`)."""

    counts: NgramCounts
    pruned_at: int | None = None
    entropy: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    learning: Any = None
    """What a learning reducer computed of the pruned tail (``wordmine.counting.reducers.learning.LearningStats``)."""


#: ``reduce(partitions, units, folder) -> Reduced``: what becomes of the merged partitions.
TableReducer = Callable[[Iterable[Partition], int, str], Reduced]


def whole_table(partitions: Iterable[Partition], units: int, folder: str) -> Reduced:
    """Every n-gram, the partitions concatenated into one table in memory."""
    tables = [p.table for p in partitions]
    return Reduced(tables[0] if len(tables) == 1 else concatenate(tables))
