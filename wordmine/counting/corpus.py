"""The counted corpus: what one pass over the text yields, and what every later stage reads.

A :class:`Corpus` bundles the vocabulary (unit id <-> text), the exact n-gram
counts and the unit stream (the text as unit ids, 0 at every boundary), so that
discovery, contrast and learning can run from a count file as well as from text.

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.counter import count_text
>>> corpus = count_text(["天天向上"], CountConfig(order=1))
>>> corpus.total_units, corpus.order, len(corpus.vocab)
(4, 1, 4)
"""

from __future__ import annotations

from dataclasses import dataclass

from wordmine.counting.ngrams import NgramCounts
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

    @property
    def total_units(self) -> int:
        return self.counts.total
