"""What a reducer keeps of the merged count table, and the reducer that keeps all of it.

A reducer is called once, after counting, with the merged table as partitions
(ranges of first units, in order): reduce(partitions, units, folder). It
returns a :class:`Reduced`, which :meth:`Reduced.corpus` makes the counted
corpus of its type (whole, pruned, or pruned for learning).

>>> from wordmine.counting.table.ngrams import NgramTable
>>> table = NgramTable.empty(bits=8, max_order=2)
>>> kept = whole_table([Partition((0, 256), table)], units=0, folder=".")
>>> kept.counts is table, kept.pruned_at
(True, None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from wordmine.counting.spill.runs import Partition, concatenate
from wordmine.counting.table.corpus import Corpus, LearningCorpus, LearningStats, PrunedCorpus
from wordmine.counting.table.ngrams import NgramTable
from wordmine.normalize import Vocabulary
from wordmine.unitstream import UnitStream


@dataclass
class Reduced:
    """What a :data:`TableReducer` keeps of the merged table: the table, and when pruned, the
    threshold and entropies (and, when pruned for learning, the statistics of the whole stream)."""

    counts: NgramTable
    pruned_at: int | None = None
    entropy: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    learning: LearningStats | None = None
    """What a learning reducer computed of the pruned tail (``wordmine.counting.reducers.learning``)."""

    def corpus(self, vocab: Vocabulary, stream: UnitStream, order: int, spilled_runs: int = 0) -> Corpus:
        """The counted corpus of what was kept: a :class:`Corpus`, :class:`PrunedCorpus` or
        :class:`LearningCorpus`."""
        if self.pruned_at is None:
            return Corpus(vocab, self.counts, stream, order, spilled_runs)
        if self.learning is None:
            return PrunedCorpus(vocab, self.counts, stream, order, spilled_runs, min_count=self.pruned_at,
                                entropy=self.entropy)
        return LearningCorpus(vocab, self.counts, stream, order, spilled_runs, min_count=self.pruned_at,
                              entropy=self.entropy, learning=self.learning)


#: ``reduce(partitions, units, folder) -> Reduced``: what becomes of the merged partitions.
TableReducer = Callable[[Iterable[Partition], int, str], Reduced]


def whole_table(partitions: Iterable[Partition], units: int, folder: str) -> Reduced:
    """Every n-gram, the partitions concatenated into one table in memory."""
    tables = [p.table for p in partitions]
    return Reduced(tables[0] if len(tables) == 1 else concatenate(tables))
