"""Counts of given words only: the general side of a contrast, kept small as the partitions pass.

``contrast`` needs, of its general corpus, the number of units and the exact
count of each candidate the domain yields, nothing else. Each merged partition
(:func:`wordmine.counting.spill.runs.merged_partitions`) is reduced to every single unit
and the n-grams that are a candidate or a prefix of one (a chained key holds
its prefix's row, so prefixes come along); the tail is dropped before the next
partition is merged. Counts are exact, so the contrast is the same, byte for
byte, as with the whole table.

>>> import tempfile
>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> from wordmine.normalize import Vocabulary
>>> vocab = Vocabulary()
>>> reducer = CandidatePruning(("天天", "向上"), vocab)
>>> corpus = count_text(["天天向上，天天\\n"], CountConfig(order=2, jobs=1), vocab=vocab, reduce=reducer)
>>> corpus.counts.lookup(2, [[vocab.get("天")] * 2, [vocab.get("天"), vocab.get("向")]]).tolist()
[2, 0]
>>> [len(k) for k in corpus.counts.keys], corpus.total_units
([3, 2, 0], 6)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from wordmine.counting.reducers.discovery import select
from wordmine.counting.reducers.reduced import Reduced
from wordmine.counting.spill.runs import Partition, concatenate
from wordmine.counting.table.ngrams import NgramTable
from wordmine.normalize import Vocabulary


@dataclass(frozen=True)
class CandidatePruning:
    """Keep the units and the n-grams spelling ``words`` or their prefixes; a ``TableReducer``.

    ``vocab`` is the vocabulary the counter fills: the words are encoded once
    counting is over and every unit is known.
    """

    words: tuple[str, ...]
    vocab: Vocabulary

    def wanted(self, max_order: int) -> dict[int, np.ndarray]:
        """Unit ids of each candidate and of its prefixes, by order (2..max_order)."""
        grams: dict[int, set[tuple[int, ...]]] = {k: set() for k in range(2, max_order + 1)}
        for word in self.words:
            ids = self.vocab.encode(word, grow=False).tolist()
            if not ids or 0 in ids or len(ids) > max_order:
                continue  # a unit never seen, or longer than the tables: found in the stream instead
            for k in range(2, len(ids) + 1):
                grams[k].add(tuple(ids[:k]))
        return {k: np.array(sorted(g), np.int64).reshape(-1, k) for k, g in grams.items()}

    def __call__(self, partitions: Iterable[Partition], units: int, folder: str) -> Reduced:
        kept: list[NgramTable] = []
        wanted: dict[int, np.ndarray] | None = None
        for part in partitions:
            table = part.table
            if wanted is None:
                wanted = self.wanted(table.max_order)
            keep = [np.ones(len(table.counts[0]), bool)]
            for k in range(2, table.max_order + 1):
                mask = np.zeros(len(table.counts[k - 1]), bool)
                rows = table.index(k, wanted[k]) if len(wanted[k]) else np.zeros(0, np.int64)
                mask[rows[rows >= 0]] = True
                keep.append(mask)
            kept.append(select(table, keep))
            del table, part
        if not kept:
            raise ValueError("no partitions to reduce")
        return Reduced(concatenate(kept))
