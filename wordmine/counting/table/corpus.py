"""The counted corpus: what one pass over the text yields, and what every later stage reads.

A :class:`Corpus` bundles the vocabulary (unit id <-> text), the exact n-gram
counts and the unit stream (the text as unit ids, 0 at every boundary), so that
discovery, contrast and learning can run from a count file as well as from text.

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> corpus = count_text(["天天向上"], CountConfig(order=1))
>>> corpus.total_units, corpus.order, len(corpus.vocab)
(4, 1, 4)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wordmine.counting.table.ngrams import NgramCounts
from wordmine.normalize import Vocabulary
from wordmine.unitstream import UnitStream


@dataclass
class Corpus:
    """What one pass over the text yields: its vocabulary, n-gram counts and unit stream."""

    vocab: Vocabulary
    counts: NgramCounts
    stream: UnitStream
    order: int
    spilled_runs: int = 0
    """How many count runs went to disk to stay within the memory budget."""
    pruned_at: int | None = None
    """When set, ``counts`` holds orders 1..order only, and of orders 2 and up only the
    n-grams seen this many times or more (see :mod:`wordmine.counting.reducers.discovery`)."""
    entropy: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    """Left and right boundary entropy of every row of each order, when pruned
    (the tables they come from are gone)."""
    learning: Any = None
    """When learning pruned the tables: the continuation counts of the kept n-grams and the
    counts of counts of every order (``wordmine.counting.reducers.learning.LearningStats``)."""

    @property
    def total_units(self) -> int:
        return self.counts.total


def ngram_rows(corpus: Corpus, min_count: int = 1, top: int | None = None) -> Iterator[dict]:
    """All n-grams of every order, most frequent first, as rows of ``wordmine count``.

    Decoded a whole order at a time, so a table of millions of rows costs a few
    numpy passes rather than a Python loop per row.

    >>> from wordmine.config import CountConfig
    >>> from wordmine.counting.engine.counter import count_text
    >>> list(ngram_rows(count_text(["天天向上"], CountConfig(order=1)), min_count=2))
    [{'ngram': '天', 'order': 1, 'count': 2}]
    """
    counts = corpus.counts
    values = np.concatenate(counts.counts)
    orders = np.concatenate([np.full(len(c), k + 1) for k, c in enumerate(counts.counts)])
    rows = np.concatenate([np.arange(len(c)) for c in counts.counts])
    ranked = np.argsort(-values, kind="stable")
    ranked = ranked[values[ranked] >= min_count][:top]
    units = np.array(corpus.vocab.units, dtype=object)
    text = np.empty(len(ranked), dtype=object)
    for order in range(1, counts.max_order + 1):
        at = np.flatnonzero(orders[ranked] == order)
        ids = counts.decode(order, rows[ranked[at]])
        text[at] = units[ids[:, 0]]
        for j in range(1, order):
            text[at] += units[ids[:, j]]
    for ngram, order, count in zip(text.tolist(), orders[ranked].tolist(), values[ranked].tolist()):
        yield {"ngram": ngram, "order": order, "count": count}
