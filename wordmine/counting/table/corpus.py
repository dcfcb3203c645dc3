"""The counted corpus: what one pass over the text yields, and what every later stage reads.

A counted corpus bundles the vocabulary (unit id <-> text), the exact n-gram
counts and the unit stream (the text as unit ids, 0 at every boundary), so that
discovery, contrast and learning can run from a count file as well as from text.
It comes in three types, so that a function's signature says which it takes:

- :class:`Corpus`: the table as counted (every n-gram of orders 1..order + 1,
  or the n-grams a reducer was asked to keep, as contrast's general side);
- :class:`PrunedCorpus`: what discovery keeps: orders 1..order, the n-grams of
  order 2 and up seen ``min_count`` times or more, and their boundary entropies
  computed before the tail was dropped (:mod:`wordmine.counting.reducers.discovery`);
- :class:`LearningCorpus`: what learning keeps when the whole table outgrows its
  share of the budget: a pruned table plus the continuation counts and counts of
  counts of the whole stream (:mod:`wordmine.counting.reducers.learning`).

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> corpus = count_text(["天天向上"], CountConfig(order=1))
>>> corpus.total_units, corpus.order, len(corpus.vocab), corpus.pruned_at
(4, 1, 4, None)
>>> pruned = count_text(["天天向上"], CountConfig(order=1, prune=True, min_count=2))
>>> type(pruned).__name__, pruned.pruned_at, sorted(pruned.entropy)
('PrunedCorpus', 2, [1])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from wordmine.counting.table.ngrams import NgramTable
from wordmine.normalize import Vocabulary
from wordmine.unitstream import UnitStream


@dataclass
class LearningStats:
    """The figures of the long tail that a pruned character model needs.

    ``continuation[k]`` (k = 1..order - 1): distinct units seen before each kept
    n-gram of order k, aligned with its rows (the start of a run is added from
    the text, later). ``counts_of_counts[k]``: (n1, n2) over *every* n-gram of
    order k, of continuation counts below the top order and of raw counts at it.
    """

    continuation: dict[int, np.ndarray] = field(default_factory=dict)
    counts_of_counts: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Corpus:
    """What one pass over the text yields: its vocabulary, n-gram counts and unit stream, the table whole."""

    vocab: Vocabulary
    counts: NgramTable
    stream: UnitStream
    order: int
    spilled_runs: int = 0
    """How many count runs went to disk to stay within the memory budget."""

    @property
    def total_units(self) -> int:
        return self.counts.total

    @property
    def pruned_at(self) -> int | None:
        """The least count kept of orders 2 and up: None, nothing was pruned (see :class:`PrunedCorpus`)."""
        return None


@dataclass(frozen=True, kw_only=True)
class PrunedCorpus(Corpus):
    """A corpus whose ``counts`` hold orders 1..order only, and of orders 2 and up only the
    n-grams seen ``min_count`` times or more (see :mod:`wordmine.counting.reducers.discovery`)."""

    min_count: int
    entropy: dict[int, tuple[np.ndarray, np.ndarray]]
    """Left and right boundary entropy of every row of each order (the tables they come from are gone)."""

    @property
    def pruned_at(self) -> int:
        return self.min_count


@dataclass(frozen=True, kw_only=True)
class LearningCorpus(PrunedCorpus):
    """A corpus pruned for learning: the pruned table, its entropies, and the continuation counts
    and counts of counts of the whole stream (see :mod:`wordmine.counting.reducers.learning`)."""

    learning: LearningStats


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
